"""Reads: assignment statuses for lists, in a fixed number of queries whatever their length."""

from __future__ import annotations

from datetime import date

from django.db.models import QuerySet

from dondoc.directives.models import Assignment, Directive, ProgressReport, ReportState
from dondoc.directives.status import Status, assignment_status
from dondoc.text import fold


def assignment_statuses(*, assignments: QuerySet[Assignment], today: date) -> dict[int, Status]:
    """Each assignment's status on `today`: started once a report was sent; done on the day the report the
    monitor confirmed was sent."""
    rows = list(assignments.values_list("id", "due", "task__deadline_kind"))
    started: set[int] = set()
    done_on: dict[int, date] = {}
    reports = ProgressReport.objects.filter(
        assignment_id__in=[row[0] for row in rows], state__in=(ReportState.SENT, ReportState.CONFIRMED),
        sent_on__lte=today,
    ).values_list("assignment_id", "state", "sent_on", "confirmed_on")
    for assignment_id, state, sent_on, confirmed_on in reports:
        started.add(assignment_id)
        confirmed = state == ReportState.CONFIRMED and confirmed_on is not None and confirmed_on <= today
        if confirmed and sent_on is not None:
            done_on[assignment_id] = min(done_on.get(assignment_id, sent_on), sent_on)
    return {
        assignment_id: assignment_status(
            deadline_kind=kind, due=due, today=today, started=assignment_id in started,
            done_on=done_on.get(assignment_id),
        )
        for assignment_id, due, kind in rows
    }


def citing_number(*, number: str) -> QuerySet[Directive]:
    """The directives that cite a document, whether dondoc holds it or knows it only by its number."""
    return Directive.objects.filter(citations__folded_number=fold(number)).distinct()


def cited_by(*, directive: Directive) -> QuerySet[Directive]:
    """The directives citing this one (linked when either was imported)."""
    return Directive.objects.filter(citations__cited=directive).distinct()
