"""The REST API at /api/: documents, tasks, assignments, progress reports and bodies, with the pages' access
rules.

A caller signs in with `Authorization: Bearer <key>` (an API token from the token page) or with the browser's
session (CSRF checked on unsafe methods). The OpenAPI schema is at /api/openapi.json and the interactive docs
at /api/docs load Swagger UI from ninja's own static files, so they work without internet.

Every answer is JSON, errors included: 401 without a valid token, 403 for a role that may not, 404 for what
is missing or outside the caller's scope, 422 for invalid parameters (ninja), 400 and 409 for the services'
refusals, and 500 for anything unexpected (a database outage too), logged with its traceback; each operation
declares the codes it may answer (core.api)."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError
from ninja.renderers import JSONRenderer
from ninja.security import APIKeyCookie, HttpBearer

from dondoc.accounts.access import attach_scope
from dondoc.accounts.models import ApiToken, User
from dondoc.accounts.services import token_digest
from dondoc.directives.api import ReportConflict, assignments, documents, reports, tasks
from dondoc.directives.services import DirectiveError
from dondoc.registry.api import bodies

# last_used_at is a hint for the token page, not an audit trail: one write a minute at most per token
LAST_USED_RESOLUTION = timedelta(minutes=1)

logger = logging.getLogger(__name__)


class TokenAuth(HttpBearer):
    """`Authorization: Bearer <key>`: the key's SHA-256 names an unrevoked token of an active user."""

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        key = token.strip()
        if not key:
            return None
        found = (
            ApiToken.objects.select_related("user")
            .filter(digest=token_digest(key), revoked_at__isnull=True, user__is_active=True)
            .first()
        )
        if found is None:
            return None
        now = timezone.now()
        if found.last_used_at is None or now - found.last_used_at >= LAST_USED_RESOLUTION:
            ApiToken.objects.filter(pk=found.pk).update(last_used_at=now)
        # the change history (HistoryRequestMiddleware) records request.user: the token's user made the change
        request.user = found.user
        attach_scope(request)
        return found.user


class Utf8Renderer(JSONRenderer):
    """Vietnamese as written ("Tổ chức"), not as \\u escapes; the response is UTF-8 JSON either way."""

    json_dumps_params = {"ensure_ascii": False}  # noqa: RUF012  (ninja's class-level setting)


class SessionAuth(APIKeyCookie):
    """The signed-in browser's session; CSRF is checked on unsafe methods, for signed-in users only, so that
    an anonymous caller gets 401 rather than a CSRF refusal."""

    param_name = settings.SESSION_COOKIE_NAME

    def _get_key(self, request: HttpRequest) -> str | None:
        if not request.user.is_authenticated:
            return None
        return super()._get_key(request)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        if not request.user.is_authenticated:
            return None
        attach_scope(request)
        return request.user


api = NinjaAPI(
    title="dondoc",
    version="1",
    description=(
        "Directives, their tasks, each body's assignments with their computed status, progress reports "
        "and the registry of bodies. Authenticate with `Authorization: Bearer <key>` (create a key on the "
        "API tokens page) or a signed-in session."
    ),
    auth=[TokenAuth(), SessionAuth()],
    renderer=Utf8Renderer(),
    urls_namespace="api",
)
api.add_router("/documents", documents, tags=["documents"])
api.add_router("/tasks", tasks, tags=["tasks"])
api.add_router("/assignments", assignments, tags=["assignments"])
api.add_router("/reports", reports, tags=["progress reports"])
api.add_router("/bodies", bodies, tags=["bodies"])


@api.exception_handler(AuthenticationError)
def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return api.create_response(
        request, {"detail": _("Sign in, or send an API token: Authorization: Bearer <key>.")}, status=401
    )


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return api.create_response(request, {"detail": _("Not found, or not yours to see.")}, status=404)


@api.exception_handler(PermissionDenied)
def forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return api.create_response(
        request, {"detail": str(exc) or _("Your role does not allow this.")}, status=403
    )


@api.exception_handler(DirectiveError)
def refused(request: HttpRequest, exc: DirectiveError) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc)}, status=400)


@api.exception_handler(ReportConflict)
def conflict(request: HttpRequest, exc: ReportConflict) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc)}, status=409)


@api.exception_handler(Exception)
def failed(request: HttpRequest, exc: Exception) -> HttpResponse:
    """Anything unexpected (a bug, the database down or locked): logged with its traceback, answered in
    JSON, where ninja would let Django render its HTML error page."""
    # the exception itself carries the traceback: the handler need not run inside ninja's `except` block
    logger.error("%s %s failed", request.method, request.path, exc_info=exc)
    return api.create_response(
        request, {"detail": _("Something went wrong on the server. Try again later.")}, status=500
    )
