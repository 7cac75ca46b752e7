"""Two monitors reviewing one draft: the second to save a header or a task from a page read before the first's
save is answered 409 with their values kept, the values saved since shown beside them and the form now on the
version saved, so that saving again is a deliberate choice; publishing from a page older than the last save
shows the page again instead. Nothing anyone saved is lost unseen."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from tests.fixtures.members import VAGUE
from tests.web.test_review import header_data, review_url, task_data

from dondoc.accounts.models import Role, User
from dondoc.accounts.services import create_member
from dondoc.directives.models import Assignment, Directive, DirectiveState, Task
from dondoc.registry.models import Jurisdiction, Organization

THEIR_SUBJECT = "về thực hiện Kết luận số 50-KL/TW (bản đã sửa)"
THEIR_TEXT = "Rà soát, sắp xếp tổ chức bộ máy và báo cáo kết quả."
HEADER_CONFLICT = (
    "Someone else saved this header after you opened it: their values are shown beside yours; "
    "save again to keep yours."
)
TASK_CONFLICT = "Someone else saved this task after you opened it"
HTMX = {"HX-Request": "true"}


@pytest.fixture
def first(client_for) -> Client:
    return client_for("monitor")


@pytest.fixture
def second(users: dict[str, User]) -> Client:
    """Another monitor of the same jurisdiction, in a session of their own."""
    colleague = create_member(
        username="monitor2",
        password="mat-khau-thu-nghiem",
        role=Role.MONITOR,
        organization=Organization.objects.get(code="DNO.BTCTU"),
        jurisdiction=Jurisdiction.objects.get(code="DNO"),
    )
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(colleague)
    return client


def hidden(page: str, name: str) -> list[str]:
    """The values of the hidden inputs named `name`, in the page's order."""
    return re.findall(rf'<input type="hidden" name="{re.escape(name)}" value="([^"]*)"', page)


def field(page: str, name: str) -> str:
    """The HTML of one field of a review form (_review_field.html), from its label to its end."""
    return page.split(f'<label for="id_{name}">')[1].split("</p>")[0]


def theirs(page: str, name: str) -> str | None:
    """The saved value shown beside the field `name`, if any."""
    found = re.search(r'<span class="theirs-value">(.*?)</span>', field(page, name), re.S)
    return found.group(1) if found else None


def publish_form(page: str) -> dict[str, str | list[str]]:
    """The publish form of a review page as its reviewer sends it, the vague phrase decided and every field
    confirmed."""
    form = page.split('id="publish-form"')[1]
    return {
        "version": hidden(form, "version")[0],
        "task_version": hidden(page, "task_version"),
        "phrase": VAGUE,
        "decision-0": "none",
        "confirm": "yes",
    }


def test_the_forms_carry_the_versions_they_were_read_at(draft, first):
    task = draft.tasks.get(label="9")
    Directive.objects.filter(pk=draft.pk).update(version=4)
    Task.objects.filter(pk=task.pk).update(version=7)
    page = first.get(review_url(draft)).content.decode()
    assert hidden(page, "version") == ["4", "4"]  # the header form's, the publish form's
    assert hidden(page, f"task-{task.pk}-version") == ["7"]
    assert f"{task.pk}:7" in hidden(page, "task_version") and len(hidden(page, "task_version")) == 11
    assert f'name="task_version" value="{task.pk}:7" form="publish-form"' in page


def test_a_header_saved_from_a_stale_page_shows_the_conflict_and_loses_nothing(draft, first, second):
    second_page = second.get(review_url(draft)).content.decode()
    stale = header_data(draft, number="1318-CV/TU")
    assert stale["version"] == hidden(second_page, "version")[0] == "1"
    assert first.post(review_url(draft), header_data(draft, subject=THEIR_SUBJECT)).status_code == 302

    response = second.post(review_url(draft), stale)

    assert response.status_code == 409
    page = response.content.decode()
    assert HEADER_CONFLICT in page
    assert theirs(page, "subject") == THEIR_SUBJECT and f"{draft.subject}</textarea>" in field(
        page, "subject"
    )
    assert 'value="1318-CV/TU"' in field(page, "number") and theirs(page, "number") == "1317-CV/TU"
    assert theirs(page, "issuer_text") is None and theirs(page, "issued_on") is None
    assert 'aria-describedby="id_subject-theirs"' in page and 'id="id_subject-theirs"' in page
    assert hidden(page, "version") == ["2", "2"]  # the form now on the version saved
    kept = Directive.objects.get(pk=draft.pk)
    assert (kept.subject, kept.number, kept.version) == (THEIR_SUBJECT, "1317-CV/TU", 2)

    # the second monitor takes the first's subject and saves their number again
    again = second.post(review_url(draft), {**stale, "subject": THEIR_SUBJECT, "version": "2"})
    assert again.status_code == 302
    saved = Directive.objects.get(pk=draft.pk)
    assert (saved.subject, saved.number, saved.version) == (THEIR_SUBJECT, "1318-CV/TU", 3)


def test_a_header_posted_without_a_version_counts_as_stale(draft, second):
    data = header_data(draft, number="1318-CV/TU")
    del data["version"]  # a page opened before drafts had versions
    response = second.post(review_url(draft), data)
    assert response.status_code == 409 and HEADER_CONFLICT in response.content.decode()
    assert Directive.objects.get(pk=draft.pk).number == "1317-CV/TU"


def test_a_task_saved_through_htmx_from_a_stale_page_shows_the_conflict(draft, first, second):
    task = draft.tasks.get(label="9")
    url = f"{review_url(draft)}tasks/{task.pk}/"
    stale = task_data(task, due="2023-05-31")
    assert first.post(url, task_data(task, text=THEIR_TEXT), headers=HTMX).status_code == 200

    response = second.post(url, stale, headers=HTMX)

    assert response.status_code == 409
    fragment = response.content.decode()
    assert fragment.startswith(f'<section class="task-review" id="task-{task.pk}"')
    assert '<p class="error" role="alert">' + TASK_CONFLICT in fragment
    assert theirs(fragment, f"task-{task.pk}-text") == THEIR_TEXT
    assert 'value="2023-05-31"' in field(fragment, f"task-{task.pk}-due")
    assert theirs(fragment, f"task-{task.pk}-due") == f"{task.due:%d/%m/%Y}"
    assert theirs(fragment, f"task-{task.pk}-label") is None
    assert hidden(fragment, f"task-{task.pk}-version") == ["2"] and hidden(fragment, "task_version") == [
        f"{task.pk}:2"
    ]
    assert '<div id="decisions" hx-swap-oob="true">' in fragment
    kept = Task.objects.get(pk=task.pk)
    assert (kept.text, kept.due, kept.version) == (THEIR_TEXT, task.due, 2)

    # saving again from the conflict deliberately keeps the second monitor's values; the first's stay in the
    # history
    again = second.post(url, {**stale, f"task-{task.pk}-version": "2"}, headers=HTMX)
    assert again.status_code == 200 and "Saved." in again.content.decode()
    saved = Task.objects.get(pk=task.pk)
    assert (f"{saved.due}", saved.text, saved.version) == ("2023-05-31", task.text, 3)
    assert THEIR_TEXT in saved.history.values_list("text", flat=True)


def test_a_task_saved_by_a_plain_post_from_a_stale_page_shows_the_whole_page_again(draft, first, second):
    task = draft.tasks.get(label="9")
    url = f"{review_url(draft)}tasks/{task.pk}/"
    stale = task_data(task, due="2023-05-31")
    assert first.post(url, task_data(task, text=THEIR_TEXT)).status_code == 302

    response = second.post(url, stale)

    assert response.status_code == 409
    page = response.content.decode()
    assert "<html" in page and TASK_CONFLICT in page
    assert theirs(page, f"task-{task.pk}-text") == THEIR_TEXT
    assert hidden(page, f"task-{task.pk}-version") == ["2"]
    assert Task.objects.get(pk=task.pk).text == THEIR_TEXT


def test_publishing_from_a_page_older_than_a_save_shows_the_page_again(draft, first, second):
    task = draft.tasks.get(label="9")
    stale_page = first.get(review_url(draft)).content.decode()
    assert (
        second.post(f"{review_url(draft)}tasks/{task.pk}/", task_data(task, text=THEIR_TEXT)).status_code
        == 302
    )

    response = first.post(
        f"/directives/{draft.pk}/publish/", publish_form(stale_page), HTTP_ACCEPT_LANGUAGE="en"
    )

    assert response.status_code == 409
    page = response.content.decode()
    assert "Someone else saved changes to this draft after you opened it (task 9)" in page
    assert THEIR_TEXT in page  # the page shows the task as saved now
    assert 'id="confirm" checked' not in page and 'value="none" id="decision-0-none" checked' in page
    assert (
        Directive.objects.get(pk=draft.pk).state == DirectiveState.DRAFT and Assignment.objects.count() == 0
    )

    again = first.post(f"/directives/{draft.pk}/publish/", publish_form(page))
    assert again.status_code == 302 and Directive.objects.get(pk=draft.pk).state == DirectiveState.PUBLISHED


def test_publishing_after_a_header_save_names_the_header(draft, first, second):
    stale_page = first.get(review_url(draft)).content.decode()
    assert second.post(review_url(draft), header_data(draft, subject=THEIR_SUBJECT)).status_code == 302
    response = first.post(
        f"/directives/{draft.pk}/publish/", publish_form(stale_page), HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 409 and "after you opened it (the header)" in response.content.decode()
    assert Directive.objects.get(pk=draft.pk).state == DirectiveState.DRAFT
