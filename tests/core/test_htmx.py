"""The pages htmx updates in place (dondoc/core/htmx.py): the fragment to htmx only, the whole page to the
browser, to a boosted link and to a history restore, and `Vary: HX-Request` on both so that no cache serves
one for the other."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils.cache import has_vary_header
from django_htmx.middleware import HtmxMiddleware
from tests.web.test_review import review_url, task_data

from dondoc.accounts.models import User
from dondoc.core.htmx import render_partial, wants_fragment
from dondoc.directives.models import Directive, ImportJob, ImportState

INBOX = "/directives/assignments/"
HTMX = {"HX-Request": "true"}


def through_middleware(request: HttpRequest) -> bool:
    seen: list[bool] = []

    def view(request: HttpRequest) -> HttpResponse:
        seen.append(wants_fragment(request))
        return HttpResponse()

    HtmxMiddleware(view)(request)
    return seen[0]


@pytest.mark.parametrize(
    ("headers", "fragment"),
    [
        ({}, False),
        (HTMX, True),
        ({"HX-Request": "1"}, False),  # htmx sends "true"; anything else is not htmx
        ({**HTMX, "HX-Boosted": "true"}, False),  # a boosted link replaces the whole page
        ({**HTMX, "HX-History-Restore-Request": "true"}, False),  # Back, with the page not in htmx's cache
    ],
)
def test_only_htmx_swapping_a_part_wants_a_fragment(headers: dict[str, str], fragment: bool) -> None:
    request = RequestFactory().get("/", headers=headers)
    assert through_middleware(request) is fragment
    assert wants_fragment(RequestFactory().get("/", headers=headers)) is fragment  # without the middleware


def test_the_inbox_sends_the_fragment_to_htmx_only_and_varies_on_it(
    client_for: Callable[[str], Client], published: Directive
) -> None:
    client = client_for("reporter")
    page = client.get(f"{INBOX}?status=overdue")
    with CaptureQueriesContext(connection) as queries:
        fragment = client.get(f"{INBOX}?status=overdue", headers=HTMX)
    # read before the next request, which clears the log; the fragment draws no menu, so counts no notices
    fragment_sql = [query["sql"] for query in queries.captured_queries]
    restored = client.get(f"{INBOX}?status=overdue", headers={**HTMX, "HX-History-Restore-Request": "true"})
    assert page.status_code == fragment.status_code == restored.status_code == 200
    assert "<html" in page.content.decode() and 'id="inbox-count"' in page.content.decode()
    assert "<html" not in fragment.content.decode() and 'id="inbox-count"' in fragment.content.decode()
    assert "<html" in restored.content.decode()
    assert all(has_vary_header(response, "HX-Request") for response in (page, fragment, restored))
    assert fragment_sql and not [sql for sql in fragment_sql if "core_notification" in sql]


def test_the_import_progress_varies_on_htmx(
    client_for: Callable[[str], Client], users: dict[str, User], published: Directive
) -> None:
    job = ImportJob.objects.create(
        original_name="x.md",
        stored_name="x.md",
        kind="md",
        size=1,
        sha256="0" * 64,
        state=ImportState.DONE,
        progress=100,
        directive=published,
        uploaded_by=users["monitor"],
    )
    client = client_for("monitor")
    page = client.get(f"/directives/import/{job.pk}/")
    fragment = client.get(f"/directives/import/{job.pk}/", headers=HTMX)
    assert "<html" in page.content.decode() and "HX-Redirect" not in page
    assert "<html" not in fragment.content.decode() and fragment["HX-Redirect"].endswith("/review/")
    assert has_vary_header(page, "HX-Request") and has_vary_header(fragment, "HX-Request")


def test_a_task_saved_in_review_varies_on_htmx(client_for: Callable[[str], Client], draft: Directive) -> None:
    task = draft.tasks.get(label="9")
    url = f"{review_url(draft)}tasks/{task.pk}/"
    monitor = client_for("monitor")
    fragment = monitor.post(url, task_data(task), headers=HTMX)
    page = monitor.post(url, task_data(task))
    assert fragment.status_code == 200 and "<html" not in fragment.content.decode()
    assert page.status_code == 302  # back to the review page
    assert has_vary_header(fragment, "HX-Request") and has_vary_header(page, "HX-Request")


def test_render_partial_picks_the_template_and_patches_vary(rf: RequestFactory, db: None) -> None:
    def request(**headers: str) -> HttpRequest:
        made = rf.get("/", headers=headers)
        made.user = AnonymousUser()
        return made

    response = render_partial(request(**HTMX), "base.html", "includes/_pagination.html", {}, status=202)
    assert response.status_code == 202 and "<html" not in response.content.decode()
    assert response["Vary"] == "HX-Request"
    whole = render_partial(request(), "base.html", "includes/_pagination.html", {})
    assert "<html" in whole.content.decode() and whole["Vary"] == "HX-Request"
