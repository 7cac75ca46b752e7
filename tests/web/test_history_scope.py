"""A progress report stays inside its body until its leader sends it, in the change history too: another
body's draft (its text, its attached files) is not found on its history page and not listed in the change
log, for monitors and auditors as for everyone else; once sent, its history starts there for them."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from dondoc.accounts.models import User
from dondoc.directives.models import Assignment, Attachment, Directive, ProgressReport
from dondoc.directives.services import approve_report, draft_report
from dondoc.directives.uploads import ATTACHMENT_KINDS, store_upload

pytestmark = pytest.mark.django_db
TODAY = date(2023, 5, 10)
SECRET = "NHÁP-CHƯA-GỬI: số liệu chưa được lãnh đạo duyệt"
FILE_NAME = "bang-so-lieu-nhap.txt"


@pytest.fixture(autouse=True)
def fixed_today(settings: Any, tmp_path: Path) -> None:
    settings.DONDOC_TODAY = TODAY
    settings.UPLOAD_DIR = tmp_path / "uploads"


@pytest.fixture
def draft(published: Directive, users: dict[str, User]) -> ProgressReport:
    """Cư Jút's standing board's unsent draft, with a file attached."""
    assignment = Assignment.objects.get(
        task__directive=published, task__position=9, organization__code="CJU.BTV"
    )
    stored = store_upload(SimpleUploadedFile(FILE_NAME, "Số liệu".encode()), allowed=ATTACHMENT_KINDS)
    return draft_report(assignment=assignment, text=SECRET, percent=30, by=users["reporter"], files=[stored])


def history_of(client: Client, kind: str, pk: int) -> tuple[int, str]:
    response = client.get(f"/directives/history/{kind}/{pk}/")
    return response.status_code, response.content.decode()


def logged(client: Client, kind: str, pk: int) -> bool:
    """Whether the change log lists a change of this object."""
    html = client.get(f"/directives/history/?kind={kind}").content.decode()
    return f'<tr data-kind="{kind}" data-object="{pk}"' in html


@pytest.mark.parametrize("name", ["monitor", "auditor"])
def test_another_bodys_draft_report_history_is_not_found_its_own_body_reads_it(
    client_for: Callable[[str], Client], draft: ProgressReport, name: str
) -> None:
    attachment = Attachment.objects.get(report=draft)
    for kind, pk in (("progressreport", draft.pk), ("attachment", attachment.pk)):
        status, html = history_of(client_for(name), kind, pk)
        assert status == 404 and SECRET not in html and FILE_NAME not in html
    for own in ("reporter", "leader", "admin"):
        status, html = history_of(client_for(own), "progressreport", draft.pk)
        assert status == 200 and SECRET in html


@pytest.mark.parametrize("name", ["monitor", "auditor"])
def test_the_change_log_lists_nothing_of_another_bodys_draft_report(
    client_for: Callable[[str], Client], draft: ProgressReport, name: str
) -> None:
    client = client_for(name)
    attachment = Attachment.objects.get(report=draft)
    assert not logged(client, "progressreport", draft.pk) and not logged(client, "attachment", attachment.pk)
    html = client.get("/directives/history/").content.decode()
    assert SECRET not in html and FILE_NAME not in html
    assert logged(client_for("admin"), "progressreport", draft.pk)


def test_once_sent_the_report_history_starts_there_for_the_monitor_and_the_auditor(
    client_for: Callable[[str], Client], draft: ProgressReport, users: dict[str, User]
) -> None:
    approve_report(report=draft, on=TODAY, by=users["leader"])
    attachment = Attachment.objects.get(report=draft)
    for name in ("monitor", "auditor"):
        client = client_for(name)
        status, html = history_of(client, "progressreport", draft.pk)
        rows = html.split("<tr data-kind=")[1:]
        # the sending alone, with the text sent: the draft it was before is not listed
        assert status == 200 and len(rows) == 1 and 'data-action="~"' in rows[0] and SECRET in rows[0]
        assert history_of(client, "attachment", attachment.pk)[0] == 200
        assert logged(client, "progressreport", draft.pk) and logged(client, "attachment", attachment.pk)
