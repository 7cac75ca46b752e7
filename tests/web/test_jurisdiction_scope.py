"""Monitors follow their own jurisdiction: the drafts and imports of a body of their territory (or below it)
are theirs to see, correct and publish; a district's monitor does not find the province's, nor the history of
what another district was assigned."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from tests.fixtures.members import PASSWORD, SEED

from dondoc.accounts.models import Role, User
from dondoc.accounts.services import add_membership, create_member
from dondoc.directives.models import Assignment, Directive, ImportJob
from dondoc.directives.services import create_draft
from dondoc.parsing import parse_text
from dondoc.reading import read_document
from dondoc.registry.models import Jurisdiction, Organization

pytestmark = pytest.mark.django_db
IMMEDIATE = {
    "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": ["default"]}
}
# the seed letter under another number: another document for dondoc
DISTRICT_LETTER = Path(SEED).read_text(encoding="utf-8").replace("1317-CV/TU", "1318-CV/TU")


@pytest.fixture(autouse=True)
def inline_imports(settings: Any, tmp_path: Path) -> None:
    settings.UPLOAD_DIR = tmp_path / "uploads"
    settings.TASKS = IMMEDIATE


@pytest.fixture
def district_monitor(users: dict[str, User], client_for: Callable[[str], Client]) -> Client:
    """Cư Jút's Organization Commission, following the district."""
    user = create_member(
        username="district_monitor",
        password=PASSWORD,
        role=Role.MONITOR,
        organization=Organization.objects.get(code="CJU.BTC"),
        jurisdiction=Jurisdiction.objects.get(code="CJU"),
    )
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def upload(django_capture_on_commit_callbacks: Any) -> Callable[[Client, str, str], ImportJob]:
    def send(client: Client, name: str, text: str) -> ImportJob:
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post("/directives/import/", {"file": SimpleUploadedFile(name, text.encode())})
        assert response.status_code == 302, response.content.decode()
        return ImportJob.objects.select_related("directive").latest("created_at", "id")

    return send


@pytest.fixture
def provincial_job(
    client_for: Callable[[str], Client], upload: Callable[[Client, str, str], ImportJob]
) -> ImportJob:
    return upload(client_for("monitor"), "1317-CV-TU.md", read_document(SEED).text)


def pages_of(job: ImportJob) -> dict[str, str]:
    directive = job.directive
    assert directive is not None
    return {
        "job": f"/directives/import/{job.pk}/",
        "review": f"/directives/{directive.pk}/review/",
        "bodies": f"/directives/{directive.pk}/review/bodies/?q=ban",
        "detail": f"/directives/{directive.pk}/",
        "history": f"/directives/history/directive/{directive.pk}/",
        "api": f"/api/documents/{directive.pk}",
    }


def test_an_import_and_its_draft_are_recorded_for_the_importers_jurisdiction(
    provincial_job: ImportJob,
) -> None:
    province = Jurisdiction.objects.get(code="DNO")
    assert provincial_job.jurisdiction == province
    assert provincial_job.directive is not None and provincial_job.directive.jurisdiction == province


def test_a_district_monitor_finds_nothing_of_the_provinces_draft_and_import(
    provincial_job: ImportJob, district_monitor: Client
) -> None:
    directive = provincial_job.directive
    assert directive is not None
    for name, url in pages_of(provincial_job).items():
        assert district_monitor.get(url).status_code == 404, name
    task = directive.tasks.get(position=1)
    for url in (
        f"/directives/{directive.pk}/review/",
        f"/directives/{directive.pk}/review/tasks/{task.pk}/",
        f"/directives/{directive.pk}/publish/",
    ):
        assert district_monitor.post(url, {"confirm": "yes"}).status_code == 404, url
    assert Directive.objects.get(pk=directive.pk).state == "draft"
    assert "1317-CV-TU.md" not in district_monitor.get("/directives/import/").content.decode()
    assert "1317-CV/TU" not in district_monitor.get("/directives/?state=draft").content.decode()
    assert district_monitor.get("/api/documents/?state=draft").json()["items"] == []


def test_the_provincial_monitor_follows_its_own_imports_and_the_districts(
    provincial_job: ImportJob,
    district_monitor: Client,
    client_for: Callable[[str], Client],
    upload: Callable[[Client, str, str], ImportJob],
) -> None:
    district_job = upload(district_monitor, "1318-CV-TU.md", DISTRICT_LETTER)
    assert district_job.jurisdiction == Jurisdiction.objects.get(code="CJU")
    monitor = client_for("monitor")
    for job in (provincial_job, district_job):
        for name in ("job", "review", "history", "api"):
            assert monitor.get(pages_of(job)[name]).status_code == 200, name
    for name in ("job", "review", "api"):
        assert district_monitor.get(pages_of(district_job)[name]).status_code == 200, name
    listed = monitor.get("/directives/import/").content.decode()
    assert "1317-CV-TU.md" in listed and "1318-CV-TU.md" in listed
    drafts = [row["number"] for row in monitor.get("/api/documents/?state=draft").json()["items"]]
    assert sorted(drafts) == ["1317-CV/TU", "1318-CV/TU"]


def test_a_district_monitor_reads_the_history_of_its_own_territory_only(
    published: Directive, district_monitor: Client, client_for: Callable[[str], Client]
) -> None:
    of_the_letter = Assignment.objects.filter(task__directive=published, task__position=9)
    own = of_the_letter.get(organization__code="CJU.BTV")
    other = of_the_letter.get(organization__code="DSO.BTV")
    assert district_monitor.get(f"/directives/history/assignment/{own.pk}/").status_code == 200
    assert district_monitor.get(f"/directives/history/assignment/{other.pk}/").status_code == 404
    assert client_for("monitor").get(f"/directives/history/assignment/{other.pk}/").status_code == 200
    log = district_monitor.get("/directives/history/?kind=assignment").content.decode()
    assert f'data-object="{own.pk}"' in log and f'data-object="{other.pk}"' not in log


def test_the_migration_records_the_jurisdiction_of_an_importer_who_monitors_one_only(
    users: dict[str, User],
) -> None:
    text = read_document(SEED).text
    by_the_monitor = create_draft(parsed=parse_text(text), source_text=text, imported_by=users["monitor"])
    twice = users["admin"]  # a monitor of two jurisdictions and the administrator: which one is not known
    add_membership(
        user=twice,
        role=Role.MONITOR,
        organization=Organization.objects.get(code="DNO.BTCTU"),
        jurisdiction=Jurisdiction.objects.get(code="DNO"),
    )
    add_membership(
        user=twice,
        role=Role.MONITOR,
        organization=Organization.objects.get(code="CJU.BTC"),
        jurisdiction=Jurisdiction.objects.get(code="CJU"),
    )
    by_either = create_draft(
        parsed=parse_text(DISTRICT_LETTER), source_text=DISTRICT_LETTER, imported_by=twice
    )
    migration = importlib.import_module("dondoc.directives.migrations.0009_record_jurisdictions")
    migration.record_jurisdictions(apps, None)
    by_the_monitor.refresh_from_db()
    by_either.refresh_from_db()
    assert by_the_monitor.jurisdiction == Jurisdiction.objects.get(code="DNO")
    assert by_either.jurisdiction is None
