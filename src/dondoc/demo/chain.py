"""The chain of implementation in the demonstration: two districts' plans carrying out the seed letter
(composed samples, src/dondoc/samples/SOURCE.md), imported and published by the demo monitor through the
services the pages use, the links the import proposed confirmed, and the districts' bodies' reports, so that
`make run` shows the chain KL 50-KL/TW → 1317-CV/TU → the plans, and the plans' progress on the letter's
page.

Cư Jút's bodies did everything their plan asked, on time; Đắk Mil's did some, one late, and two tasks are
still open. Only the days are the demo's (a few days before or after each deadline)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from django.db import transaction

import dondoc
from dondoc.accounts.models import User
from dondoc.core.models import Notification
from dondoc.core.notifications import mark_read
from dondoc.directives.models import Assignment, Directive, DirectiveState, LinkState, TaskLink
from dondoc.directives.services import (
    DuplicateDirective,
    approve_report,
    confirm_link,
    confirm_report,
    create_draft,
    draft_report,
    propose_task_links,
    publish_directive,
)
from dondoc.parsing import parse_text
from dondoc.reading import read_document

SAMPLES = Path(dondoc.__file__).resolve().parent / "samples"

# what each plan's bodies did, by task position: done on time, done late, at work, or silent (the rest)
ON_TIME, LATE, AT_WORK = "on time", "late", "at work"


@dataclass(frozen=True, slots=True)
class SamplePlan:
    file: Path
    story: dict[int, str]


PLANS = (
    SamplePlan(SAMPLES / "45-KH-HU-CU-JUT.md", {1: ON_TIME, 2: ON_TIME, 3: ON_TIME, 4: ON_TIME, 5: ON_TIME}),
    SamplePlan(SAMPLES / "38-KH-HU-DAK-MIL.md", {1: ON_TIME, 2: LATE, 3: AT_WORK, 4: ON_TIME}),
)

DONE_TEXT = "Đã hoàn thành nhiệm vụ theo Kế hoạch của Ban Thường vụ Huyện ủy; có báo cáo kết quả gửi kèm."
AT_WORK_TEXT = "Đang triển khai; đã xây dựng dự thảo và lấy ý kiến các cơ quan liên quan."


def carry_out_seed_letter(*, monitor: User, today: date) -> list[Directive]:
    """Each sample plan imported and published unless dondoc holds it already, its proposed links confirmed,
    its bodies' reports written; the plans published now."""
    published = []
    for plan in PLANS:
        directive = _import_plan(plan, monitor=monitor, today=today)
        if directive is not None:
            published.append(directive)
    return published


@transaction.atomic
def _import_plan(plan: SamplePlan, *, monitor: User, today: date) -> Directive | None:
    document = read_document(plan.file)
    try:
        directive = create_draft(
            parsed=parse_text(document.text),
            source_text=document.text,
            file_sha256=hashlib.sha256(plan.file.read_bytes()).hexdigest(),
            imported_by=monitor,
        )
    except DuplicateDirective as duplicate:
        directive = duplicate.existing
    if directive.state == DirectiveState.PUBLISHED:
        return None
    seen = Notification.objects.filter(user=monitor).order_by("-id").values_list("id", flat=True).first() or 0
    if not TaskLink.objects.filter(child__directive=directive).exists():
        propose_task_links(directive=directive)  # a draft left by a run from before the seed letter was in
    for link in TaskLink.objects.filter(child__directive=directive, state=LinkState.PROPOSED):
        confirm_link(link=link, by=monitor)
    publish_directive(directive=directive, reviewed_by=monitor)
    _report(directive, plan.story, monitor=monitor, today=today)
    # the monitor has seen the notices about the plan's reports (not the reminders sent before)
    mark_read(notifications=Notification.objects.filter(user=monitor, id__gt=seen))
    return directive


def _report(directive: Directive, story: dict[int, str], *, monitor: User, today: date) -> None:
    assignments = Assignment.objects.filter(task__directive=directive).select_related("task")
    for assignment in assignments.order_by("task__position", "pk"):
        kind, due = story.get(assignment.task.position), assignment.due
        if kind is None or due is None:
            continue
        if kind == AT_WORK:
            report = draft_report(assignment=assignment, text=AT_WORK_TEXT, percent=60)
            approve_report(report=report, on=min(today, due - timedelta(days=5)))
            continue
        sent = due - timedelta(days=2) if kind == ON_TIME else due + timedelta(days=9)
        if sent > today:
            continue
        report = draft_report(assignment=assignment, text=DONE_TEXT, percent=100, reports_done=True)
        approve_report(report=report, on=sent)
        confirm_report(report=report, on=min(today, sent + timedelta(days=2)), by=monitor)
