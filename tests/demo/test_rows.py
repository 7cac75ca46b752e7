"""The generator's row writer (dondoc.demo.generation.rows): rows written by COPY (PostgreSQL) or one INSERT
(SQLite) read back as the same rows written through the models would, the database's triggers having run on
them, and the key sequences follow them so that the next row saved through the models gets a free key."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import pytest
from django.db import models
from django.utils import timezone

from dondoc.demo.generation.rows import RowWriter, follow_sequences, next_ids
from dondoc.directives.models import (
    Assignment,
    Directive,
    DirectiveRegion,
    DirectiveState,
    ProgressReport,
    ReportState,
    Task,
)
from dondoc.registry.models import Jurisdiction, JurisdictionKind, Level, Organization, OrganizationKind

pytestmark = pytest.mark.django_db

UNCOMPARED = {"id", "created_at", "directive_id", "task_id", "assignment_id"}


def _body() -> Organization:
    country = Jurisdiction.objects.create(
        code="VN", name="Việt Nam", kind=JurisdictionKind.COUNTRY, level=Level.CENTRAL
    )
    province = Jurisdiction.objects.create(
        code="P", name="Tỉnh P", kind=JurisdictionKind.PROVINCE, level=Level.PROVINCE, parent=country
    )
    body = Organization.objects.create(
        code="P-BTC",
        name="Ban Tổ chức",
        kind=OrganizationKind.OTHER,
        level=Level.PROVINCE,
        jurisdiction=province,
    )
    body.refresh_from_db()  # its region, which the database's triggers set
    return body


def _values(model: type[models.Model], pk: int) -> dict[str, Any]:
    row = model._default_manager.filter(pk=pk).values().get()
    return {name: value for name, value in row.items() if name not in UNCOMPARED}


def _written_twice(body: Organization, number: str) -> tuple[list[int], list[int]]:
    """One directive with a task, an assignment and two reports, through bulk_create and through RowWriter:
    the keys of each, in that order."""
    directive: dict[str, Any] = {
        "issuer_text": "BAN THƯỜNG VỤ",
        "issuer_id": body.pk,
        "number": number,
        "type_code": "CV",
        "issued_on": date(2025, 3, 3),
        "subject": "về sắp xếp tổ chức bộ máy",
        "source_text": "BAN THƯỜNG VỤ\nSố: " + number,
        "duplicate_key": "ban thuong vu|" + number + "|2025",
        "search_text": "cv ban thuong vu",
        "state": DirectiveState.PUBLISHED.value,
        "published_at": timezone.make_aware(datetime(2025, 3, 3, 8)),
    }
    task: dict[str, Any] = {
        "position": 1,
        "label": "1",
        "text": "Rà soát",
        "deadline_kind": "by_date",
        "due": date(2025, 6, 30),
        "start": None,
        "deadline_text": "trước ngày 30/6/2025",
        "search_text": "ra soat",
    }
    assignment: dict[str, Any] = {"organization_id": body.pk, "role": "lead", "due": date(2025, 6, 30)}
    reports: list[dict[str, Any]] = [
        {
            "text": "Đang rà soát",
            "percent": 40,
            "reports_done": False,
            "state": ReportState.SENT.value,
            "sent_on": date(2025, 4, 2),
            "confirmed_on": None,
            "period_start": date(2025, 1, 1),
            "period_end": date(2025, 3, 31),
        },
        {
            "text": "Đã hoàn thành",
            "percent": 100,
            "reports_done": True,
            "state": ReportState.CONFIRMED.value,
            "sent_on": date(2025, 6, 20),
            "confirmed_on": date(2025, 6, 23),
            "period_start": None,
            "period_end": None,
        },
    ]
    by_models = Directive.objects.bulk_create([Directive(**directive)])[0]
    by_models_task = Task.objects.bulk_create([Task(directive=by_models, **task)])[0]
    by_models_assignment = Assignment.objects.bulk_create([Assignment(task=by_models_task, **assignment)])[0]
    by_models_reports = ProgressReport.objects.bulk_create(
        [ProgressReport(assignment=by_models_assignment, **report) for report in reports]
    )

    directive_id, task_id, assignment_id, report_id = next_ids(Directive, Task, Assignment, ProgressReport)
    RowWriter(Directive, ["id", *directive]).write([(directive_id, *directive.values())])
    RowWriter(Task, ["id", "directive_id", *task]).write([(task_id, directive_id, *task.values())])
    RowWriter(Assignment, ["id", "task_id", *assignment]).write(
        [(assignment_id, task_id, *assignment.values())]
    )
    RowWriter(ProgressReport, ["id", "assignment_id", *reports[0]]).write(
        [(report_id + index, assignment_id, *report.values()) for index, report in enumerate(reports)]
    )
    follow_sequences(Directive, Task, Assignment, ProgressReport)
    first = [by_models.pk, by_models_task.pk, by_models_assignment.pk, by_models_reports[0].pk]
    return first, [directive_id, task_id, assignment_id, report_id]


def test_rows_written_directly_read_back_as_rows_written_through_the_models() -> None:
    body = _body()
    (directive, task, assignment, report), (directive_2, task_2, assignment_2, report_2) = _written_twice(
        body, "12-CV/TU"
    )

    # the same values, the defaults of the fields not given included (JSON lists, version, state)
    assert _values(Directive, directive) == _values(Directive, directive_2)
    assert _values(Task, task) == _values(Task, task_2)
    assert _values(ProgressReport, report) == _values(ProgressReport, report_2)
    assert _values(ProgressReport, report + 1) == _values(ProgressReport, report_2 + 1)
    # the triggers ran on both: the body's region, the first report sent and the day of the confirmation
    written = _values(Assignment, assignment_2)
    assert written == _values(Assignment, assignment)
    assert written["region_id"] == body.region_id and written["region_id"] is not None
    assert (written["started_from"], written["done_from"]) == (date(2025, 4, 2), date(2025, 6, 23))
    assert Directive.objects.get(pk=directive_2).has_assignments
    assert DirectiveRegion.objects.filter(directive_id=directive_2, region_id=body.region_id).exists()
    assert Directive.objects.get(pk=directive_2).created_at is not None


def test_the_next_row_saved_through_the_models_takes_a_key_after_those_written() -> None:
    _first, (directive, task, assignment, report) = _written_twice(_body(), "13-CV/TU")

    assert (
        Directive.objects.create(issuer_text="X", issued_on=date(2025, 5, 5), source_text="X").pk > directive
    )
    assert next_ids(Task, Assignment, ProgressReport) == [task + 1, assignment + 1, report + 2]
