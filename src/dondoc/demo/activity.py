"""A year of follow-up on the seed letter, so that a newcomer's first look shows a living picture: some
bodies reported on time, some late, some are still at work or have a draft, some never answered.

Which body does what is drawn from its assignment's id, so the same database always gets the same story.
Every report goes through the services a body's reporter, leader and the monitor use; only the days are the
demo's (sent a few days before or after the deadline)."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction

from dondoc.accounts.models import User
from dondoc.core.models import Notification
from dondoc.core.notifications import mark_read
from dondoc.directives.models import Assignment, Directive
from dondoc.directives.periods import current_period
from dondoc.directives.selectors import reports_by_period
from dondoc.directives.services import approve_report, confirm_report, draft_report

# out of every ten assignments: done on time, done late, at work (a report sent), a draft, silent
ON_TIME, LATE, AT_WORK, DRAFT = range(4)
SHARES = (ON_TIME, ON_TIME, ON_TIME, ON_TIME, LATE, LATE, AT_WORK, AT_WORK, DRAFT)  # the tenth: silent

DONE_TEXT = "Đã hoàn thành nhiệm vụ; kết quả cụ thể nêu trong báo cáo gửi kèm."
AT_WORK_TEXT = "Đang triển khai; đã xây dựng kế hoạch và phân công thực hiện."
PERIOD_TEXT = "Đã quán triệt, triển khai thực hiện thường xuyên trong kỳ."


def _role(assignment: Assignment) -> int | None:
    share = assignment.pk * 7 % 10
    return SHARES[share] if share < len(SHARES) else None


@transaction.atomic
def spread_reports(*, directive: Directive, monitor: User, published_on: date, today: date) -> int:
    """Reports on the directive's assignments as its bodies would have sent them up to `today`; how many were
    written. The monitor's notices about them are marked read (the demo's monitor has seen them)."""
    written = 0
    assignments = Assignment.objects.filter(task__directive=directive).select_related("task")
    for assignment in assignments.order_by("pk"):
        role = _role(assignment)
        if role is None:
            continue
        due = assignment.due or assignment.task.due
        if reports_by_period(assignment.task.deadline_kind) or due is None:
            # followed period by period: the period the letter was published in, the last one closed and the
            # current one (the first two sent by their submission deadline, or a week after it by the late
            # ones; the current one by some of the punctual bodies, today)
            if role in (ON_TIME, LATE, AT_WORK):
                written += _period_reports(assignment, role, published_on=published_on, today=today)
            continue
        if role == DRAFT:
            draft_report(assignment=assignment, text=AT_WORK_TEXT, percent=30)
        elif role == AT_WORK:
            report = draft_report(assignment=assignment, text=AT_WORK_TEXT, percent=60)
            approve_report(report=report, on=max(published_on, due - timedelta(days=10)))
        else:
            sent = due - timedelta(days=3) if role == ON_TIME else due + timedelta(days=12)
            report = draft_report(assignment=assignment, text=DONE_TEXT, percent=100, reports_done=True)
            approve_report(report=report, on=max(published_on, sent))
            confirm_report(report=report, on=max(published_on, sent) + timedelta(days=2), by=monitor)
        written += 1
    mark_read(notifications=Notification.objects.filter(user=monitor))
    return written


def _period_reports(assignment: Assignment, role: int, *, published_on: date, today: date) -> int:
    first = current_period(assignment.task, on=published_on)
    current = current_period(assignment.task, on=today)
    last_closed = current_period(assignment.task, on=current.start - timedelta(days=1))
    late_by = timedelta(days=7 if role == LATE else 0)
    sent_on = {first: first.deadline + late_by}
    if role != AT_WORK:
        sent_on.setdefault(last_closed, last_closed.deadline + late_by)
    if role == ON_TIME and assignment.pk % 2:
        sent_on.setdefault(current, today)
    written = 0
    for period, day in sent_on.items():
        if day > today:
            continue
        report = draft_report(
            assignment=assignment,
            text=PERIOD_TEXT,
            percent=50,
            period_start=period.start,
            period_end=period.end,
        )
        approve_report(report=report, on=day)
        written += 1
    return written
