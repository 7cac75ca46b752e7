"""One way to cut a list into pages, for every paginated page (the API keeps ninja's own).

The page asked for comes from the query string (`?page=`); a number that is missing, not a number or below
one gives the first page, one past the end the last, so a stale or hand-edited link still shows a page.
What is cut may be a list, a queryset (counted once, then sliced in the database) or only a count, for the
pages whose rows come from a selector that takes an offset and a limit: their Page holds the positions of
its rows. The template `includes/_pagination.html` shows any of these pages the same way."""

from __future__ import annotations

from typing import Any, TypeVar, overload

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest

PAGE_PARAMETER = "page"

T = TypeVar("T")


def requested_page(request: HttpRequest, *, parameter: str = PAGE_PARAMETER) -> int:
    """The page number the query string asks for, at least 1 (1 when it is absent or not a number)."""
    try:
        return max(1, int(request.GET.get(parameter, "1")))
    except ValueError:
        return 1


@overload
def paginate(
    request: HttpRequest, items: QuerySet[Any, T], *, per_page: int, parameter: str = ...
) -> Page[T]: ...
@overload
def paginate(request: HttpRequest, items: list[T], *, per_page: int, parameter: str = ...) -> Page[T]: ...
@overload
def paginate(request: HttpRequest, items: int, *, per_page: int, parameter: str = ...) -> Page[int]: ...
def paginate(
    request: HttpRequest,
    items: QuerySet[Any, Any] | list[Any] | int,
    *,
    per_page: int,
    parameter: str = PAGE_PARAMETER,
) -> Page[Any]:
    """The page the request asks for, of `items`, or of `items` rows when it is a count (the Page then holds
    the rows' positions, from 0; the caller reads the rows from `(page.number - 1) * per_page`)."""
    paginator: Paginator[Any] = Paginator(range(items) if isinstance(items, int) else items, per_page)
    return paginator.page(min(requested_page(request, parameter=parameter), paginator.num_pages))
