"""New deadlines asked by a body and decided by the monitor; files attached to drafts; who is told."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from dondoc.accounts.models import Role
from dondoc.accounts.services import create_member
from dondoc.core.models import Notification
from dondoc.directives.models import (
    Assignment,
    DeadlineExtension,
    ExtensionState,
    ProgressReport,
)
from dondoc.directives.selectors import monitors_of
from dondoc.directives.services import (
    DirectiveError,
    approve_report,
    attach_files,
    create_draft,
    decide_extension,
    draft_report,
    publish_directive,
    request_extension,
)
from dondoc.directives.uploads import ATTACHMENT_KINDS, store_upload, upload_path
from dondoc.parsing import parse_text
from dondoc.reading import read_document
from dondoc.registry.models import Jurisdiction, Organization
from dondoc.registry.sample import load_sample_registry

SEED = "src/dondoc/samples/1317-CV-TU.md"
ASKED_ON = date(2023, 5, 10)


@pytest.fixture(autouse=True)
def upload_dir(settings, tmp_path):
    settings.UPLOAD_DIR = tmp_path / "uploads"
    return settings.UPLOAD_DIR


@pytest.fixture
def published(db):
    load_sample_registry()
    text = read_document(SEED).text
    directive = create_draft(parsed=parse_text(text), source_text=text)
    publish_directive(directive=directive, decisions={"Các cơ quan, đơn vị liên quan": []})
    return directive


@pytest.fixture
def people(published):
    return {
        "reporter": create_member(
            username="reporter",
            password="x-1234567",
            role=Role.UNIT_REPORTER,
            organization=Organization.objects.get(code="CJU.BTV"),
        ),
        "monitor": create_member(
            username="monitor",
            password="x-1234567",
            role=Role.MONITOR,
            jurisdiction=Jurisdiction.objects.get(code="DNO"),
        ),
    }


@pytest.fixture
def task_9(published) -> Assignment:
    return Assignment.objects.get(task__label="9", organization__code="CJU.BTV")


def ask(
    assignment: Assignment,
    requested_due: date = date(2023, 6, 30),
    reason: str = "Chờ hướng dẫn của Trung ương",
    **kwargs,
) -> DeadlineExtension:
    return request_extension(
        assignment=assignment, requested_due=requested_due, reason=reason, on=ASKED_ON, **kwargs
    )


def test_an_approved_request_moves_the_deadline_and_keeps_the_previous_one(task_9, people):
    extension = ask(task_9, by=people["reporter"])
    assert extension.state == ExtensionState.PENDING and extension.previous_due == date(2023, 5, 14)
    decided = decide_extension(extension=extension, approve=True, on=date(2023, 5, 12), by=people["monitor"])
    task_9.refresh_from_db()
    assert task_9.due == date(2023, 6, 30) and decided.previous_due == date(2023, 5, 14)
    assert decided.state == ExtensionState.APPROVED and decided.decided_by == people["monitor"]
    assert decided.decided_on == date(2023, 5, 12)
    assert [row.due for row in task_9.history.order_by("history_id")] == [
        date(2023, 5, 14),
        date(2023, 6, 30),
    ]


def test_a_refusal_needs_a_reason_and_leaves_the_deadline(task_9, people):
    extension = ask(task_9)
    with pytest.raises(DirectiveError):
        decide_extension(extension=extension, approve=False, on=ASKED_ON, comment="  ")
    refused = decide_extension(extension=extension, approve=False, on=ASKED_ON, comment="Không có căn cứ")
    task_9.refresh_from_db()
    assert refused.state == ExtensionState.REFUSED and task_9.due == date(2023, 5, 14)
    with pytest.raises(DirectiveError):
        decide_extension(extension=refused, approve=True, on=ASKED_ON)  # decided once for all


@pytest.mark.parametrize(
    ("requested_due", "reason"),
    [
        (date(2023, 6, 30), "   "),  # no reason
        (date(2023, 5, 14), "Lý do"),  # not after the current deadline
        (date(2023, 5, 1), "Lý do"),  # before it
    ],
)
def test_a_request_without_reason_or_a_later_date_is_refused(task_9, requested_due, reason):
    with pytest.raises(DirectiveError):
        ask(task_9, requested_due=requested_due, reason=reason)
    assert not DeadlineExtension.objects.exists()


def test_a_task_without_a_deadline_has_none_to_move(published):
    ongoing = Assignment.objects.get(task__label="2", organization__code="CJU.BTV")
    with pytest.raises(DirectiveError):
        ask(ongoing)


def test_one_request_at_a_time_awaits_the_monitor(task_9):
    first = ask(task_9)
    with pytest.raises(DirectiveError):
        ask(task_9, requested_due=date(2023, 7, 31))
    decide_extension(extension=first, approve=False, on=ASKED_ON, comment="Chưa đủ căn cứ")
    assert ask(task_9, requested_due=date(2023, 7, 31)).state == ExtensionState.PENDING


def test_the_monitors_are_told_of_a_request_and_the_body_of_the_decision(task_9, people):
    extension = ask(task_9, by=people["reporter"])
    assert Notification.objects.filter(user=people["monitor"], assignment=task_9).count() == 1
    decide_extension(extension=extension, approve=True, on=ASKED_ON, by=people["monitor"])
    assert Notification.objects.filter(organization=task_9.organization, assignment=task_9).count() == 1


def test_the_monitors_of_an_assignment_are_those_whose_jurisdiction_covers_its_body(task_9, people):
    far = create_member(
        username="far",
        password="x-1234567",
        role=Role.MONITOR,
        jurisdiction=Jurisdiction.objects.get(code="DSO"),
    )  # Đắk Song, beside Cư Jút
    found = monitors_of(assignment=task_9)
    assert people["monitor"].pk in found and far.pk not in found and people["reporter"].pk not in found


def test_files_are_added_to_a_draft_only_and_a_refused_batch_leaves_nothing(task_9, people, upload_dir):
    report = draft_report(assignment=task_9, text="Đã rà soát", percent=30, by=people["reporter"])
    first = store_upload(SimpleUploadedFile("a.txt", "Một".encode()), allowed=ATTACHMENT_KINDS)
    attached = attach_files(report=report, files=[first], by=people["reporter"])
    assert [a.original_name for a in attached] == ["a.txt"] and attached[0].uploaded_by == people["reporter"]
    approve_report(report=report, on=ASKED_ON)
    late = store_upload(SimpleUploadedFile("b.txt", b"Hai"), allowed=ATTACHMENT_KINDS)
    with pytest.raises(DirectiveError):
        attach_files(report=report, files=[late])
    assert not upload_path(late.stored_name).exists() and upload_path(first.stored_name).exists()
    assert report.attachments.count() == 1


def test_a_refused_draft_discards_its_files(task_9, upload_dir):
    stored = store_upload(SimpleUploadedFile("a.txt", "Một".encode()), allowed=ATTACHMENT_KINDS)
    with pytest.raises(DirectiveError):
        draft_report(assignment=task_9, text=" ", percent=10, files=[stored])
    assert not upload_path(stored.stored_name).exists() and not ProgressReport.objects.exists()
