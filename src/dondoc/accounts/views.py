"""Log-in, log-out, the page of a log-in locked after too many wrong passwords, the start page, which sends
each role where its work is, the choice of the role a user acts in (for those who hold several), and the
user's API tokens."""

from __future__ import annotations

from datetime import timedelta
from typing import Any, cast

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from dondoc.accounts.access import role_required, scope
from dondoc.accounts.models import ApiToken, Role, User
from dondoc.accounts.services import choose_membership, issue_token, revoke_token

NAME_LENGTH = ApiToken._meta.get_field("name").max_length or 100


def locked_out(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: Any = None
) -> HttpResponse:
    """What django-axes answers (AXES_LOCKOUT_CALLABLE) to a log-in from a locked account or address."""
    cool_off = timedelta(hours=settings.AXES_COOLOFF_TIME)
    return render(
        request,
        "accounts/locked_out.html",
        {"failure_limit": settings.AXES_FAILURE_LIMIT, "minutes": round(cool_off.total_seconds() / 60)},
        status=429,
    )


@role_required()
def home(request: HttpRequest) -> HttpResponse:
    acting = scope(request)
    if acting.is_unit:
        return redirect("directives:inbox")
    if acting.role == Role.AUDITOR:
        return redirect("directives:history")
    return redirect("directives:list")


@require_POST
@role_required()
def choose_role(request: HttpRequest) -> HttpResponse:
    """Act in another of the user's roles for the rest of the session, from its start page."""
    try:
        membership_id = int(request.POST.get("membership", ""))
    except ValueError:
        membership_id = 0
    chosen = choose_membership(
        session=request.session, user=cast(User, request.user), membership_id=membership_id
    )
    messages.success(request, _("You now act as %(role)s.") % {"role": chosen.label})
    return redirect("home")


@never_cache
@role_required()
def tokens(request: HttpRequest) -> HttpResponse:
    """The user's API tokens; a new one's key is shown on this response only (not stored, not redirected)."""
    user = cast(User, request.user)
    issued = None
    name = ""
    if request.method == "POST":
        name = request.POST.get("name", "").strip()
        if len(name) > NAME_LENGTH:
            messages.error(
                request, _("A token's name is at most %(count)d characters.") % {"count": NAME_LENGTH}
            )
        else:
            issued = issue_token(user=user, name=name)
            name = ""
    return render(
        request,
        "accounts/tokens.html",
        {
            "tokens": ApiToken.objects.filter(user=user),
            "issued": issued,
            "name": name,
            "name_length": NAME_LENGTH,
        },
    )


@require_POST
@role_required()
def revoke(request: HttpRequest, pk: int) -> HttpResponse:
    """Revoke one of the user's own tokens (another user's is not found)."""
    token = get_object_or_404(ApiToken, pk=pk, user=cast(User, request.user))
    revoke_token(token=token)
    messages.success(
        request, _("The token “%(name)s” is revoked: it no longer opens the API.") % {"name": token.name}
    )
    return redirect("accounts:tokens")
