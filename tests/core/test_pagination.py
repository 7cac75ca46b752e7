"""One paginator for every paginated page (dondoc/core/pagination.py) and one set of page links
(includes/_pagination.html): a bad page number gives the first page, one past the end the last; the links keep
the other filters of the query string."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template.loader import render_to_string
from django.test import Client, RequestFactory
from django.utils import translation

from dondoc.core.pagination import paginate, requested_page
from dondoc.directives.models import Directive, DirectiveState


@pytest.mark.parametrize(
    ("query", "number"),
    [("", 1), ("page=2", 2), ("page=abc", 1), ("page=0", 1), ("page=-3", 1), ("page=", 1), ("page=999", 3)],
)
def test_a_bad_number_gives_the_first_page_one_past_the_end_the_last(
    rf: RequestFactory, query: str, number: int
) -> None:
    request = rf.get(f"/?{query}")
    rows = list(range(120))
    page = paginate(request, rows, per_page=50)
    assert page.number == number and page.paginator.num_pages == 3
    assert list(page.object_list) == rows[(number - 1) * 50 : number * 50]


def test_the_number_asked_for_is_at_least_one(rf: RequestFactory) -> None:
    assert [requested_page(rf.get(f"/?page={n}")) for n in ("7", "0", "-2", "x", "")] == [7, 1, 1, 1, 1]
    assert requested_page(rf.get("/?p=4"), parameter="p") == 4


def test_a_count_gives_the_positions_of_the_page(rf: RequestFactory) -> None:
    page = paginate(rf.get("/?page=3"), 523, per_page=50)
    assert (page.number, page.paginator.num_pages, page.paginator.count) == (3, 11, 523)
    assert list(page.object_list) == list(range(100, 150))
    empty = paginate(rf.get("/?page=4"), 0, per_page=50)
    assert (empty.number, empty.paginator.num_pages, list(empty.object_list)) == (1, 1, [])


def test_a_queryset_is_counted_then_sliced(
    rf: RequestFactory, db: None, django_assert_num_queries: Any
) -> None:
    for n in range(7):
        Directive.objects.create(
            issuer_text="X",
            number=f"{n}-CV/TU",
            issued_on=date(2023, 1, 1 + n),
            source_text="…",
            duplicate_key=str(n),
            state=DirectiveState.PUBLISHED,
        )
    with django_assert_num_queries(2):
        page = paginate(rf.get("/?page=9"), Directive.objects.order_by("issued_on"), per_page=3)
        shown = [d.number for d in page.object_list]
    assert page.number == 3 and shown == ["6-CV/TU"]


def links(html: str) -> list[tuple[str, str, str]]:
    return re.findall(r'<a href="([^"]*)" rel="(prev|next)">([^<]*)</a>', html)


def test_the_links_keep_the_filters(rf: RequestFactory) -> None:
    request = rf.get("/?status=overdue&page=2&body=7")
    request.user = AnonymousUser()  # the frame's context processor reads it
    page = paginate(request, list(range(120)), per_page=50)
    with translation.override("vi"):
        html = render_to_string("includes/_pagination.html", {"page": page}, request=request)
    assert '<nav class="pages no-print" aria-label="Trang">' in html and "<span>Trang 2/3</span>" in html
    assert links(html) == [
        ("?status=overdue&amp;page=1&amp;body=7", "prev", "Trang trước"),
        ("?status=overdue&amp;page=3&amp;body=7", "next", "Trang sau"),
    ]
    with translation.override("en"):
        english = render_to_string("includes/_pagination.html", {"page": page}, request=request)
    assert "<span>Page 2 of 3</span>" in english and [text for *_, text in links(english)] == [
        "Previous",
        "Next",
    ]
    one_page = paginate(request, [1, 2], per_page=50)
    assert render_to_string("includes/_pagination.html", {"page": one_page}, request=request).strip() == ""


def test_the_directive_list_pages_with_the_shared_links(
    client_for: Callable[[str], Client], published: Directive
) -> None:
    for n in range(30):
        Directive.objects.create(
            issuer_text="TỈNH ỦY ĐẮK NÔNG",
            number=f"{n}-KH/TU",
            type_code="KH",
            issued_on=date(2022, 1, 1 + n % 28),
            source_text="…",
            duplicate_key=f"list-{n}",
            state=DirectiveState.PUBLISHED,
        )
    monitor = client_for("monitor")
    first = monitor.get("/directives/?state=published")
    html = first.content.decode()
    assert first.context["page"].paginator.count == first.context["total"] == 31
    assert html.count('<tr data-directive="') == 25 and "<span>Trang 1/2</span>" in html
    assert links(html) == [("?state=published&amp;page=2", "next", "Trang sau")]
    last = monitor.get("/directives/?state=published&page=7").content.decode()  # past the end: the last
    assert last.count('<tr data-directive="') == 6 and "<span>Trang 2/2</span>" in last
    assert links(last) == [("?state=published&amp;page=1", "prev", "Trang trước")]


def test_the_change_log_past_its_end_shows_its_last_page(
    client_for: Callable[[str], Client], published: Directive
) -> None:
    auditor = client_for("auditor")
    first = auditor.get("/directives/history/")
    pages = first.context["page"].paginator.num_pages
    assert pages > 1 and len(first.context["entries"]) == 50
    last = auditor.get("/directives/history/?page=9999")
    assert last.context["page"].number == pages and last.context["entries"]
    assert f"<span>Trang {pages}/{pages}</span>" in last.content.decode()
    assert links(last.content.decode())[0][1] == "prev"
