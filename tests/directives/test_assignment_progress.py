"""The dates the database keeps on each assignment (started_from, done_from, done_in_time_from; migration
0015's triggers), against its reports read in Python: on every day around the deadlines, and after each
way a report or a deadline can be written (a service, bulk_create, a queryset update or delete, a full save
of an instance read before)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import connection
from tests.directives.test_status_expression import COMBINATIONS, TODAY, create_rows, statuses_from_reports

from dondoc.directives.models import Assignment, ProgressReport, ReportState
from dondoc.directives.selectors import with_status
from dondoc.directives.selectors.status_expression import status_condition, status_counts
from dondoc.directives.status import Status

pytestmark = pytest.mark.django_db

# every day from before the earliest deadline to after the latest confirmation of the combinations
DAYS = [TODAY + timedelta(days=offset) for offset in range(-16, 135, 3)]


def kept_dates(pk: int) -> tuple[date | None, date | None, date | None]:
    return Assignment.objects.values_list("started_from", "done_from", "done_in_time_from").get(pk=pk)


def read_from_reports(pk: int) -> tuple[date | None, date | None, date | None]:
    """The three dates as the reports say them, read in Python."""
    assignment = Assignment.objects.get(pk=pk)
    reports = list(ProgressReport.objects.filter(assignment=assignment))
    sent = [r.sent_on for r in reports if r.state in (ReportState.SENT, ReportState.CONFIRMED) and r.sent_on]
    confirmed = [
        (max(r.sent_on, r.confirmed_on), r.sent_on)
        for r in reports
        if r.state == ReportState.CONFIRMED and r.sent_on and r.confirmed_on
    ]
    due = assignment.due
    return (
        min(sent, default=None),
        min((known for known, _sent in confirmed), default=None),
        min((known for known, sent_on in confirmed if due is not None and sent_on <= due), default=None),
    )


def test_the_triggers_are_in_the_database():
    """A migration that rebuilds the assignments' or the reports' table on SQLite (an AlterField) drops its
    triggers with it: they must be created again in that migration."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE %s ORDER BY name",
                ["assignment_progress%"],
            )
        else:
            cursor.execute(
                "SELECT DISTINCT tgname FROM pg_trigger WHERE NOT tgisinternal AND tgname LIKE %s ORDER BY 1",
                ["assignment_progress%"],
            )
        names = [row[0] for row in cursor.fetchall()]
    own = "assignment_progress_assignment_updated" if connection.vendor == "sqlite" else "assignment_progress"
    assert names == sorted(
        [
            own,
            "assignment_progress_report_deleted",
            "assignment_progress_report_inserted",
            "assignment_progress_report_updated",
        ]
    )


def test_the_status_on_every_day_is_the_one_the_reports_give():
    """The statuses as comparisons of the kept dates, on fifty days from before the deadlines to after the
    last confirmation, against the rule over the reports read in Python on each day; and the situations the
    lists show agree."""
    by_assignment = create_rows(
        [c for c in COMBINATIONS if c.extension in ("no extension", "extension approved")]
    )
    assignments = Assignment.objects.filter(pk__in=list(by_assignment))
    wrong = []
    for day in DAYS:
        computed = dict(with_status(assignments, today=day).values_list("id", "status"))
        expected = statuses_from_reports(assignments, day)
        wrong += [
            (day, pk, computed[pk], status) for pk, status in expected.items() if computed[pk] != status
        ]
        for status in (Status.OVERDUE, Status.DONE_LATE):
            chosen = set(
                assignments.filter(status_condition([status], today=day)).values_list("id", flat=True)
            )
            assert chosen == {pk for pk, found in expected.items() if found == status}
    assert wrong == []


def test_each_way_of_writing_a_report_keeps_the_dates():
    first, second = create_rows(
        [
            c
            for c in COMBINATIONS
            if c.reports == "done twice, the later sent first"
            and c.extension == "no extension"
            and c.kind == "by_date"
            and c.due in ("due before today", "due after today")
        ]
    ).keys()
    checked = [first, second]

    def agree() -> None:
        assert [kept_dates(pk) for pk in checked] == [read_from_reports(pk) for pk in checked]

    agree()
    assert kept_dates(first)[1] is not None
    # a queryset update: both confirmations returned
    ProgressReport.objects.filter(assignment_id=first).update(state=ReportState.RETURNED)
    agree()
    assert kept_dates(first) == (None, None, None)
    # sent again, one at a time, through save()
    report = ProgressReport.objects.filter(assignment_id=first).first()
    assert report is not None
    report.state, report.sent_on = ReportState.SENT, TODAY
    report.save()
    agree()
    assert kept_dates(first)[0] == TODAY
    # moved to the other assignment, then deleted
    ProgressReport.objects.filter(pk=report.pk).update(assignment_id=second)
    agree()
    ProgressReport.objects.filter(assignment_id=second).delete()
    agree()
    assert kept_dates(second) == (None, None, None)


def test_a_deadline_moved_by_any_write_moves_done_in_time():
    combination = next(
        c
        for c in COMBINATIONS
        if c.reports == "done, sent after due, confirmed that day" and c.due == "due before today"
    )
    (pk,) = create_rows([combination])
    sent_on, done_from, in_time = kept_dates(pk)
    assert (done_from, in_time) == (sent_on, None)
    Assignment.objects.filter(pk=pk).update(due=sent_on)
    assert kept_dates(pk) == (sent_on, done_from, done_from)
    assignment = Assignment.objects.get(pk=pk)
    assignment.due = sent_on - timedelta(days=1)
    assignment.save(update_fields=["due"])
    assert kept_dates(pk) == (sent_on, done_from, None)


def test_a_full_save_of_an_instance_read_before_a_report_does_not_write_stale_dates():
    combination = next(
        c for c in COMBINATIONS if c.reports == "sent before due" and c.due == "due after today"
    )
    (pk,) = create_rows([combination])
    read_before = Assignment.objects.get(pk=pk)
    ProgressReport.objects.filter(assignment_id=pk).update(state=ReportState.CONFIRMED, confirmed_on=TODAY)
    kept = kept_dates(pk)
    assert kept[1] is not None
    read_before.role = read_before.role
    read_before.save()
    assert kept_dates(pk) == kept == read_from_reports(pk)


def test_status_counts_read_no_report(django_assert_num_queries):
    by_assignment = create_rows(COMBINATIONS[:200])
    assignments = Assignment.objects.filter(pk__in=list(by_assignment))
    with django_assert_num_queries(1) as captured:
        counts = status_counts(assignments, today=TODAY)
    assert ProgressReport._meta.db_table not in captured.captured_queries[0]["sql"]
    expected = statuses_from_reports(assignments, TODAY)
    assert sum(n for _status, n in counts) == len(expected)
    assert dict(counts) == {
        status.value: sum(1 for found in expected.values() if found == status)
        for status in set(expected.values())
    }
