"""One rule for the pages htmx updates in place: the fragment to htmx, the whole page to everyone else.

A page that answers htmx with a fragment and a browser with the whole page must say so in `Vary:
HX-Request`, or a browser's or a proxy's cache may serve one for the other (the fragment alone after Back,
say). The request's `htmx` is django-htmx's (its middleware is in the settings), so every view reads the
header the same way. htmx asks for the whole page, though it sends HX-Request, when it follows a boosted
link and when it restores a page missing from its history cache."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django_htmx.middleware import HtmxDetails

HTMX_HEADER = "HX-Request"


def _details(request: HttpRequest) -> HtmxDetails:
    details = getattr(request, "htmx", None)  # set by django_htmx.middleware.HtmxMiddleware
    return details if isinstance(details, HtmxDetails) else HtmxDetails(request)


def wants_fragment(request: HttpRequest) -> bool:
    """An htmx request that swaps part of the page, not one that wants the whole page."""
    details = _details(request)
    return bool(details) and not details.boosted and not details.history_restore_request


def vary_on_htmx(response: HttpResponse) -> HttpResponse:
    """Tell caches that the response depends on whether htmx asked for it."""
    patch_vary_headers(response, (HTMX_HEADER,))
    return response


def render_partial(
    request: HttpRequest,
    full_template: str,
    partial_template: str,
    context: Mapping[str, Any],
    *,
    status: int = 200,
) -> HttpResponse:
    """`partial_template` for htmx, `full_template` (which includes it) otherwise, with the Vary header."""
    template = partial_template if wants_fragment(request) else full_template
    return vary_on_htmx(render(request, template, context, status=status))
