"""The demo's first start shows a living follow-up: on the seed letter, bodies done on time, done late,
overdue, at work, with a draft, and silent; a second run adds nothing."""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest
from tests.demo.test_setup_demo import run_setup_demo

from dondoc.core.models import Notification
from dondoc.directives.models import Assignment, ProgressReport, ReportState
from dondoc.directives.selectors import assignment_statuses
from dondoc.directives.status import Status
from dondoc.registry.sample import load_sample_registry

# the demo as `make run` builds it on SQLite; the services it calls are tested on PostgreSQL too
pytestmark = pytest.mark.database_neutral


def test_the_seed_letter_has_reports_of_every_kind_and_the_monitor_has_read_their_notices(db):
    load_sample_registry()
    run_setup_demo()
    assignments = Assignment.objects.all()
    statuses = Counter(assignment_statuses(assignments=assignments, today=date(2026, 12, 5)).values())
    for status in (Status.DONE_ON_TIME, Status.DONE_LATE, Status.OVERDUE, Status.NO_DEADLINE):
        assert statuses[status] > 0, status
    states = Counter(ProgressReport.objects.values_list("state", flat=True))
    assert states[ReportState.CONFIRMED] and states[ReportState.SENT] and states[ReportState.DRAFT]
    silent = assignments.exclude(reports__isnull=False).count()
    assert 0 < silent < assignments.count() // 5
    # what stays unread is the reminders of demo/followup.py, not the reports
    unread = Notification.objects.filter(user__username="monitor", read_at__isnull=True)
    assert unread.exists() and all(
        text.startswith("Overdue:") for text in unread.values_list("text", flat=True)
    )

    reports = ProgressReport.objects.count()
    run_setup_demo()
    assert ProgressReport.objects.count() == reports
