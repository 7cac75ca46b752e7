"""The page guard: who may open a page, and the scope the page then acts in.

A role is scoped: a unit's reporter and leader act on their own body's assignments only; a monitor acts
within a jurisdiction; a reader reads there; an auditor reads the change history. What a scope may see and do
with each domain's objects is answered by that domain's `access` module (`directives.access` …), from the
`Scope` this guard puts on the request."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from dondoc.accounts.models import Role
from dondoc.accounts.scope import SESSION_KEY, Scope, build_scope

View = TypeVar("View", bound=Callable[..., HttpResponse])


def attach_scope(request: HttpRequest) -> Scope | None:
    """Build the scope of `request.user` (through the membership chosen in the session) and keep it on the
    request: the page guard does, and the API's authentication once it knows the caller."""
    session = getattr(request, "session", None)
    chosen = session.get(SESSION_KEY) if session is not None else None
    found = build_scope(user=request.user, chosen=chosen)
    request.scope = found  # type: ignore[attr-defined]
    return found


def request_scope(request: HttpRequest) -> Scope | None:
    """The request's scope, built on first use and kept on the request (the page frame reads it too)."""
    if not hasattr(request, "scope"):
        return attach_scope(request)
    return cast(Scope | None, getattr(request, "scope"))  # noqa: B009  (set above, not typed on HttpRequest)


def role_required(*roles: Role) -> Callable[[View], View]:
    """A view for signed-in users with a role (any role when none is named); puts their `Scope` on the
    request. Anonymous users go to the log-in page; a user without the role gets 403."""

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            found = request_scope(request)
            if found is None or (roles and found.role not in roles):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return cast(View, wrapped)

    return decorator


def scope(request: HttpRequest) -> Scope:
    """The scope the page guard or the API's authentication put on the request; a signed-in account without a
    role has none, and may do nothing."""
    found: Any = getattr(request, "scope", None)
    if not isinstance(found, Scope):
        raise PermissionDenied(_("This account has no role in dondoc."))
    return found
