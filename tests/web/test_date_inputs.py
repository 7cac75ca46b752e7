"""Dates in forms are shown and typed day first, dd/mm/yyyy, whatever the browser's language;
yyyy-mm-dd is still taken, so links and query strings written with ISO dates keep working."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client
from tests.web.test_review import header_data, review_url, task_data

from dondoc.directives.models import Directive

ENGLISH = {"accept-language": "en-US,en;q=0.9"}
VIETNAMESE = {"accept-language": "vi"}
INBOX = "/directives/assignments/"


@pytest.fixture
def monitor(client_for) -> Client:
    return client_for("monitor")


@pytest.mark.parametrize(
    ("headers", "placeholder"), [(ENGLISH, "dd/mm/yyyy"), (VIETNAMESE, "ngày/tháng/năm")]
)
def test_the_issued_date_of_a_draft_is_shown_day_first_in_either_language(
    draft, monitor, headers, placeholder
):
    page = monitor.get(review_url(draft), headers=headers).content.decode()
    assert (
        f'<input type="text" name="issued_on" value="17/04/2023" class="day" placeholder="{placeholder}" '
        'inputmode="numeric" autocomplete="off" size="10" required id="id_issued_on">'
    ) in page
    assert 'type="date"' not in page


@pytest.mark.parametrize("typed", ["17/04/2023", "17/4/2023", "17-4-2023", "17.04.2023", "2023-04-17"])
def test_a_typed_issued_date_is_read_day_first_or_iso(draft, monitor, typed):
    Directive.objects.filter(pk=draft.pk).update(issued_on=date(2023, 4, 1))
    draft.refresh_from_db()
    response = monitor.post(review_url(draft), header_data(draft, issued_on=typed))
    assert response.status_code == 302
    assert Directive.objects.get(pk=draft.pk).issued_on == date(2023, 4, 17)


@pytest.mark.parametrize(
    ("headers", "message"),
    [
        (ENGLISH, "Enter a date as dd/mm/yyyy, e.g. 17/04/2023."),
        (VIETNAMESE, "Nhập ngày theo dạng ngày/tháng/năm, ví dụ 17/04/2023."),
    ],
)
def test_a_month_first_date_is_refused_with_the_form_to_use_and_nothing_changes(
    draft, monitor, headers, message
):
    response = monitor.post(
        review_url(draft), header_data(draft, issued_on="04/17/2023", number="99-CV/TU"), headers=headers
    )
    assert response.status_code == 400 and message in response.content.decode()
    assert 'value="04/17/2023"' in response.content.decode()  # what was typed stays, to be corrected
    draft.refresh_from_db()
    assert (draft.number, draft.issued_on) == ("1317-CV/TU", date(2023, 4, 17))


def test_a_task_deadline_typed_day_first_is_saved(draft, monitor):
    task = draft.tasks.get(label="9")
    response = monitor.post(f"{review_url(draft)}tasks/{task.pk}/", task_data(task, due="31/5/2023"))
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.due == date(2023, 5, 31)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("due_from=01/05/2023", {"9", "1"}),  # task 9 is due on 14/05/2023, task 1 on 31/05/2023
        ("due_from=15/5/2023", {"1"}),
        ("due_to=14.05.2023", {"9"}),
    ],
)
def test_the_inbox_filters_on_deadlines_typed_day_first(published, client_for, settings, query, expected):
    settings.DONDOC_TODAY = date(2023, 5, 20)
    response = client_for("reporter").get(f"{INBOX}?{query}")
    assert response.status_code == 200 and response.context["form"].is_valid()
    assert {a.task.label for a, _situation in response.context["rows"]} == expected


def test_the_search_filters_on_deadlines_typed_day_first(published, monitor):
    first = published.tasks.get(position=1)  # due on 31/05/2023; task 9 on 14/05/2023
    page = monitor.get("/directives/search/?due_from=15/05/2023&due_to=31/5/2023").content.decode()
    assert f'data-task="{first.pk}"' in page and page.count("data-task=") == 1
