"""Reviewing a draft (source beside the fields, every field editable, phrases resolved or to decide) and
publishing it (confirmation, decisions, assignments and notices in one go)."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from tests.fixtures.members import VAGUE

from dondoc.core.models import Notification
from dondoc.directives.models import Assignment, Directive, DirectiveState, Task
from dondoc.registry.models import Organization


def review_url(directive: Directive) -> str:
    return f"/directives/{directive.pk}/review/"


def header_data(directive: Directive, **changes: str) -> dict[str, str]:
    """The header form as a page read now posts it: the version saved (tests/web/test_review_conflicts.py
    posts older ones)."""
    data = {
        "version": str(Directive.objects.get(pk=directive.pk).version),
        "issuer_text": directive.issuer_text,
        "number": directive.number,
        "type_code": directive.type_code,
        "issued_on": f"{directive.issued_on:%Y-%m-%d}",
        "subject": directive.subject,
        "addressee_phrases": "\n".join(directive.addressee_phrases),
    }
    return {**data, **changes}


def task_data(task: Task, **changes: str) -> dict[str, str]:
    """A task's form as a page read now posts it, as header_data."""
    data = {
        "version": str(Task.objects.get(pk=task.pk).version),
        "label": task.label,
        "text": task.text,
        "lead_phrases": "\n".join(task.lead_phrases),
        "coordinating_phrases": "\n".join(task.coordinating_phrases),
        "deadline_kind": task.deadline_kind,
        "due": f"{task.due:%Y-%m-%d}" if task.due else "",
        "start": f"{task.start:%Y-%m-%d}" if task.start else "",
        "deadline_text": task.deadline_text,
    }
    return {f"task-{task.pk}-{key}": value for key, value in {**data, **changes}.items()}


def publish_data(directive: Directive, **fields: str) -> dict[str, str | list[str]]:
    """The publish form as a page read now posts it: the versions of the header and the tasks it shows."""
    tasks = Task.objects.filter(directive=directive).values_list("pk", "version")
    return {
        "version": str(Directive.objects.get(pk=directive.pk).version),
        "task_version": [f"{pk}:{version}" for pk, version in tasks],
        **fields,
    }


def decisions_form(page: str) -> dict[int, str]:
    """The phrases the page asks a decision for, as the publish form posts them (hidden inputs by
    position)."""
    return dict(enumerate(re.findall(r'<input type="hidden" name="phrase" value="([^"]*)">', page)))


@pytest.fixture
def monitor(client_for) -> Client:
    return client_for("monitor")


def test_the_review_page_shows_the_source_beside_the_fields_each_linked_to_its_mark(draft, monitor):
    page = monitor.get(review_url(draft)).content.decode()
    assert 'class="split review"' in page
    assert '<mark id="span-number" tabindex="-1">' in page and 'href="#span-number"' in page
    assert 'value="1317-CV/TU"' in page
    task_9 = draft.tasks.get(label="9")
    assert f'<section class="task-review" id="task-{task_9.pk}"' in page
    assert 'href="#span-task-9-lead-0"' in page and 'id="span-task-9-lead-0"' in page
    assert 'id="span-task-9-deadline"' in page and 'id="span-signer"' in page
    assert page.count('class="task-review"') == 11


def test_marks_nest_inside_the_task_that_holds_them(draft, monitor):
    page = monitor.get(review_url(draft)).content.decode()
    task_mark = page.index('<mark id="span-task-9"')
    lead_mark = page.index('<mark id="span-task-9-lead-0"')
    assert task_mark < lead_mark
    assert page.count("<mark ") == page.count("</mark>")


def test_phrases_show_their_bodies_and_the_unresolved_ones_ask_for_a_decision(draft, monitor):
    page = monitor.get(review_url(draft)).content.decode()
    assert Organization.objects.get(code="CJU.BTV").name in page
    assert decisions_form(page) == {0: VAGUE}
    assert '<fieldset class="decision" id="decision-0">' in page
    assert 'name="decision-0" value="none"' in page


def test_a_corrected_header_is_saved_with_its_history(draft, monitor, users):
    versions = draft.history.count()
    response = monitor.post(
        review_url(draft),
        header_data(
            draft,
            subject="thực hiện Kết luận số 50-KL/TW (đã sửa)",
            addressee_phrases="Sở Nội vụ\n\nSở Nội vụ\nBan Tổ chức Tỉnh ủy",
        ),
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.subject.endswith("(đã sửa)") and draft.addressee_phrases == [
        "Sở Nội vụ",
        "Ban Tổ chức Tỉnh ủy",
    ]
    assert draft.history.count() == versions + 1 and draft.history.first().history_user == users["monitor"]


def test_a_header_without_a_date_is_refused_and_nothing_changes(draft, monitor):
    response = monitor.post(review_url(draft), header_data(draft, issued_on="", number="99-CV/TU"))
    assert response.status_code == 400
    draft.refresh_from_db()
    assert draft.number == "1317-CV/TU"


def test_a_header_taking_another_directives_number_is_refused(draft, monitor, users):
    other = Directive.objects.create(
        issuer_text=draft.issuer_text,
        number="99-CV/TU",
        issued_on=draft.issued_on,
        source_text="…",
        duplicate_key="",
    )
    Directive.objects.filter(pk=other.pk).update(
        duplicate_key=f"tinh uy dak nong|99-cv/tu|{draft.issued_on.year}"
    )
    response = monitor.post(review_url(draft), header_data(draft, number="99-CV/TU"))
    assert response.status_code == 400 and Directive.objects.get(pk=draft.pk).number == "1317-CV/TU"


def test_a_task_is_saved_by_a_plain_post_with_its_history(draft, monitor):
    task = draft.tasks.get(label="9")
    versions = task.history.count()
    response = monitor.post(
        f"{review_url(draft)}tasks/{task.pk}/",
        task_data(
            task, due="2023-05-31", deadline_text="chậm nhất ngày 31/5/2023", coordinating_phrases="Sở Nội vụ"
        ),
    )
    assert response.status_code == 302 and response["Location"].endswith(f"#task-{task.pk}")
    task.refresh_from_db()
    assert (f"{task.due}", task.deadline_text, task.coordinating_phrases) == (
        "2023-05-31",
        "chậm nhất ngày 31/5/2023",
        ["Sở Nội vụ"],
    )
    assert task.history.count() == versions + 1


def test_a_task_saved_through_htmx_comes_back_as_its_fragment_with_the_decisions_renewed(draft, monitor):
    task = draft.tasks.get(label="9")
    response = monitor.post(
        f"{review_url(draft)}tasks/{task.pk}/",
        task_data(task, lead_phrases="Ban thường vụ huyện ủy, thành ủy\nCác ban ngành liên quan xyz"),
        headers={"HX-Request": "true"},
    )
    fragment = response.content.decode()
    assert response.status_code == 200 and "<html" not in fragment
    assert fragment.startswith(f'<section class="task-review" id="task-{task.pk}"')
    assert '<div id="decisions" hx-swap-oob="true">' in fragment and "Các ban ngành liên quan xyz" in fragment
    assert Task.objects.get(pk=task.pk).lead_phrases[-1] == "Các ban ngành liên quan xyz"


def test_a_task_due_by_a_date_without_its_date_is_refused(draft, monitor):
    task = draft.tasks.get(label="9")
    htmx = monitor.post(
        f"{review_url(draft)}tasks/{task.pk}/", task_data(task, due=""), headers={"HX-Request": "true"}
    )
    assert htmx.status_code == 200 and 'role="alert"' in htmx.content.decode()
    plain = monitor.post(f"{review_url(draft)}tasks/{task.pk}/", task_data(task, deadline_kind="bogus"))
    assert plain.status_code == 400
    assert Task.objects.get(pk=task.pk).due == task.due and task.history.count() == 1


def test_a_task_of_another_directive_is_not_found(draft, published, monitor):
    other = Directive.objects.create(
        issuer_text="X", number="1-CV/X", issued_on=draft.issued_on, source_text="x", duplicate_key="x"
    )
    task = draft.tasks.first()
    assert monitor.post(f"/directives/{other.pk}/review/tasks/{task.pk}/", task_data(task)).status_code == 404


def test_publishing_is_refused_without_the_reviewers_confirmation(draft, monitor):
    response = monitor.post(f"/directives/{draft.pk}/publish/", {"phrase": VAGUE, "decision-0": "none"})
    assert response.status_code == 400 and 'class="error"' in response.content.decode()
    assert (
        Directive.objects.get(pk=draft.pk).state == DirectiveState.DRAFT and Assignment.objects.count() == 0
    )
    assert 'value="none" id="decision-0-none" checked' in response.content.decode()


def test_publishing_is_refused_while_a_phrase_is_undecided(draft, monitor):
    response = monitor.post(f"/directives/{draft.pk}/publish/", {"phrase": VAGUE, "confirm": "yes"})
    assert response.status_code == 400 and VAGUE in response.content.decode()
    assert (
        Directive.objects.get(pk=draft.pk).state == DirectiveState.DRAFT and Assignment.objects.count() == 0
    )
    # a phrase the form never asked about is still caught by the service
    skipped = monitor.post(f"/directives/{draft.pk}/publish/", publish_data(draft, confirm="yes"))
    assert skipped.status_code == 400 and Assignment.objects.count() == 0


def test_publishing_creates_the_assignments_and_notifies_each_body_once(draft, monitor, users):
    sno = Organization.objects.get(code="DNO.SNV")
    response = monitor.post(
        f"/directives/{draft.pk}/publish/",
        publish_data(draft, phrase=VAGUE, **{"decision-0": str(sno.pk)}, confirm="yes"),
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.state == DirectiveState.PUBLISHED and draft.reviewed_by == users["monitor"]
    assert draft.reviewed_at is not None
    bodies = set(Assignment.objects.filter(task__directive=draft).values_list("organization_id", flat=True))
    notified = list(Notification.objects.filter(directive=draft).values_list("organization_id", flat=True))
    assert sno.pk in bodies and len(notified) == len(set(notified)) and set(notified) == bodies
    assert monitor.post(f"/directives/{draft.pk}/publish/", {"confirm": "yes"}).status_code == 302
    assert Notification.objects.filter(directive=draft).count() == len(bodies)


def test_a_published_directive_is_no_longer_reviewed(published, monitor):
    response = monitor.get(review_url(published))
    assert response.status_code == 302 and response["Location"] != review_url(published)
    task = published.tasks.first()
    assert monitor.post(f"{review_url(published)}tasks/{task.pk}/", task_data(task)).status_code == 302
    assert task.history.count() == 1


def test_a_body_that_does_not_exist_is_refused_as_a_decision(draft, monitor):
    response = monitor.post(
        f"/directives/{draft.pk}/publish/",
        publish_data(draft, phrase=VAGUE, **{"decision-0": "999999"}, confirm="yes"),
    )
    assert response.status_code == 400 and Assignment.objects.count() == 0


@pytest.mark.parametrize("name", ["reporter", "leader", "other_reporter", "reader", "auditor"])
def test_only_the_monitor_and_the_administrator_review_and_publish(draft, client_for, name):
    client = client_for(name)
    task = draft.tasks.first()
    assert client.get(review_url(draft)).status_code == 403
    assert client.post(review_url(draft), header_data(draft, number="1-X")).status_code == 403
    assert client.post(f"{review_url(draft)}tasks/{task.pk}/", task_data(task, label="Z")).status_code == 403
    publish = client.post(
        f"/directives/{draft.pk}/publish/", {"phrase": VAGUE, "decision-0": "none", "confirm": "yes"}
    )
    assert publish.status_code == 403
    assert Directive.objects.get(pk=draft.pk).state == DirectiveState.DRAFT and draft.number == "1317-CV/TU"
    assert Task.objects.get(pk=task.pk).label == task.label


def test_the_administrator_publishes_too(draft, client_for):
    response = client_for("admin").post(
        f"/directives/{draft.pk}/publish/",
        publish_data(draft, phrase=VAGUE, **{"decision-0": "none"}, confirm="yes"),
    )
    assert (
        response.status_code == 302 and Directive.objects.get(pk=draft.pk).state == DirectiveState.PUBLISHED
    )


def test_the_review_page_costs_a_bounded_number_of_queries(draft, monitor, django_assert_max_num_queries):
    with django_assert_max_num_queries(40):
        assert monitor.get(review_url(draft)).status_code == 200
