"""Optimistic versions of a draft in review: every save of the header or of a task raises its version; a save
from a form read at an older version is refused with the object as saved now (EditConflict), and so is
publishing from a page that showed an older header or task."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.utils import translation
from tests.fixtures.members import VAGUE

from dondoc.directives.models import Assignment, Directive, DirectiveState, Task
from dondoc.directives.services import (
    DirectiveError,
    EditConflict,
    ReviewedVersions,
    publish_directive,
    update_draft,
    update_task,
)


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    """The messages asserted below, in English (the site's language is Vietnamese)."""
    with translation.override("en"):
        yield


THEIR_SUBJECT = "về thực hiện Kết luận số 50-KL/TW (bản đã sửa)"
THEIR_TEXT = "Rà soát, sắp xếp tổ chức bộ máy và báo cáo kết quả."


def save_header(directive: Directive, *, expected_version: int, **changes: Any) -> Directive:
    """The header as `directive` holds it (as its reader's form would send it), with `changes`."""
    values: dict[str, Any] = {
        "issuer_text": directive.issuer_text,
        "number": directive.number,
        "type_code": directive.type_code,
        "issued_on": directive.issued_on,
        "subject": directive.subject,
        "addressee_phrases": directive.addressee_phrases,
    }
    return update_draft(directive=directive, expected_version=expected_version, **{**values, **changes})


def save_task(task: Task, *, expected_version: int, **changes: Any) -> Task:
    values: dict[str, Any] = {
        "label": task.label,
        "text": task.text,
        "lead_phrases": task.lead_phrases,
        "coordinating_phrases": task.coordinating_phrases,
        "deadline_kind": task.deadline_kind,
        "due": task.due,
        "start": task.start,
        "deadline_text": task.deadline_text,
    }
    return update_task(task=task, expected_version=expected_version, **{**values, **changes})


def shown(directive: Directive) -> ReviewedVersions:
    """The versions a review page read now shows."""
    directive = Directive.objects.get(pk=directive.pk)
    return ReviewedVersions(
        header=directive.version, tasks=dict(directive.tasks.values_list("pk", "version"))
    )


def test_each_header_save_raises_the_version_and_records_it_in_the_history(draft):
    assert draft.version == 1
    saved = save_header(draft, expected_version=1, subject=THEIR_SUBJECT)
    again = save_header(saved, expected_version=2, number="1318-CV/TU")
    assert again.version == Directive.objects.get(pk=draft.pk).version == 3
    assert [record.version for record in draft.history.all()] == [3, 2, 1]


def test_a_header_read_before_another_save_is_refused_with_the_header_saved_since(draft):
    theirs = Directive.objects.get(pk=draft.pk)
    mine = Directive.objects.get(pk=draft.pk)  # both read at version 1
    save_header(theirs, expected_version=1, subject=THEIR_SUBJECT)
    with pytest.raises(EditConflict) as refused:
        save_header(mine, expected_version=1, number="1318-CV/TU")
    assert refused.value.current.subject == THEIR_SUBJECT and refused.value.current.version == 2
    assert "Someone else saved this header after you opened it" in str(refused.value)
    kept = Directive.objects.get(pk=draft.pk)
    assert (kept.subject, kept.number, kept.version) == (THEIR_SUBJECT, "1317-CV/TU", 2)
    assert draft.history.count() == 2
    # having seen theirs, the second writer saves again on the version now saved: a deliberate overwrite
    saved = save_header(mine, expected_version=refused.value.current.version, number="1318-CV/TU")
    assert (saved.number, saved.version) == ("1318-CV/TU", 3)


def test_a_stale_header_is_refused_as_stale_before_its_own_mistakes(draft):
    save_header(Directive.objects.get(pk=draft.pk), expected_version=1, subject=THEIR_SUBJECT)
    with pytest.raises(EditConflict):
        save_header(draft, expected_version=1, issuer_text="")


def test_a_refused_header_raises_no_version(draft):
    with pytest.raises(DirectiveError):
        save_header(draft, expected_version=1, issuer_text="")
    assert Directive.objects.get(pk=draft.pk).version == 1


def test_a_task_read_before_another_save_is_refused_with_the_task_saved_since(draft):
    theirs = draft.tasks.get(label="9")
    mine = Task.objects.get(pk=theirs.pk)
    save_task(theirs, expected_version=1, text=THEIR_TEXT)
    with pytest.raises(EditConflict) as refused:
        save_task(mine, expected_version=1, deadline_text="chậm nhất ngày 31/5/2023")
    assert refused.value.current.text == THEIR_TEXT and refused.value.current.version == 2
    assert "Someone else saved this task after you opened it" in str(refused.value)
    kept = Task.objects.get(pk=theirs.pk)
    assert (kept.text, kept.deadline_text, kept.version) == (THEIR_TEXT, theirs.deadline_text, 2)
    saved = save_task(mine, expected_version=2, deadline_text="chậm nhất ngày 31/5/2023")
    assert (saved.deadline_text, saved.version) == ("chậm nhất ngày 31/5/2023", 3)
    assert [record.version for record in saved.history.all()] == [3, 2, 1]


def test_a_task_save_leaves_the_header_and_the_other_tasks_versions_alone(draft):
    task = draft.tasks.get(label="9")
    save_task(task, expected_version=1, text=THEIR_TEXT)
    assert Directive.objects.get(pk=draft.pk).version == 1
    assert set(draft.tasks.exclude(pk=task.pk).values_list("version", flat=True)) == {1}


def test_publishing_from_the_versions_shown_publishes(draft):
    publication = publish_directive(directive=draft, decisions={VAGUE: []}, reviewed=shown(draft))
    assert publication.directive.state == DirectiveState.PUBLISHED and publication.assignments > 0


def test_publishing_after_a_header_saved_since_is_refused_naming_it(draft):
    seen = shown(draft)
    save_header(draft, expected_version=1, subject=THEIR_SUBJECT)
    with pytest.raises(EditConflict) as refused:
        publish_directive(directive=draft, decisions={VAGUE: []}, reviewed=seen)
    assert "(the header)" in str(refused.value) and refused.value.current.subject == THEIR_SUBJECT
    assert (
        Directive.objects.get(pk=draft.pk).state == DirectiveState.DRAFT and Assignment.objects.count() == 0
    )


def test_publishing_after_a_task_saved_since_is_refused_naming_it(draft):
    seen = shown(draft)
    save_task(draft.tasks.get(label="9"), expected_version=1, text=THEIR_TEXT)
    with pytest.raises(EditConflict) as refused:
        publish_directive(directive=draft, decisions={VAGUE: []}, reviewed=seen)
    assert "(task 9)" in str(refused.value)
    assert (
        Directive.objects.get(pk=draft.pk).state == DirectiveState.DRAFT and Assignment.objects.count() == 0
    )
    publish_directive(directive=draft, decisions={VAGUE: []}, reviewed=shown(draft))
    assert Directive.objects.get(pk=draft.pk).state == DirectiveState.PUBLISHED


def test_publishing_from_a_page_that_showed_no_version_of_a_task_is_refused(draft):
    seen = shown(draft)
    first = draft.tasks.get(position=1)
    partial = ReviewedVersions(
        header=seen.header, tasks={pk: version for pk, version in seen.tasks.items() if pk != first.pk}
    )
    with pytest.raises(EditConflict) as refused:
        publish_directive(directive=draft, decisions={VAGUE: []}, reviewed=partial)
    assert f"(task {first.label or first.position})" in str(refused.value)
