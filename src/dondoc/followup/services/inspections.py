"""Inspections: planned, corrected, their findings and recommendations recorded, and concluded.

Concluding publishes the conclusion as a directive of its own ("Thông báo kết luận kiểm tra", issued by the
planning monitor's body) through the directives services, so that each recommendation chosen becomes a task
assigned to its lead and coordinating bodies, reported on and confirmed like any other."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from dondoc.accounts.models import User
from dondoc.directives.models import Directive
from dondoc.directives.services import DirectiveError, create_draft, publish_directive
from dondoc.followup.models.inspections import Finding, Inspection, InspectionState, Recommendation
from dondoc.parsing.model import Deadline, DeadlineKind, Field, ParsedDirective, Span
from dondoc.parsing.model import Task as ParsedTask
from dondoc.registry.models import Jurisdiction, Organization
from dondoc.text import nfc

CONCLUSION_TYPE = "TB"
CONCLUSION_TITLE = "THÔNG BÁO KẾT LUẬN KIỂM TRA"


class InspectionError(Exception):
    """A change to an inspection refused; the message is for the user."""


@dataclass(frozen=True, slots=True)
class InspectionPlan:
    """What the monitor enters when planning an inspection or correcting its plan."""

    title: str
    legal_basis: str
    team: str
    leader: User | None
    starts_on: date
    ends_on: date
    scope_text: str
    organizations: Sequence[Organization]
    directives: Sequence[Directive]


def _text(value: str) -> str:
    return nfc(value).strip()


def _checked(plan: InspectionPlan) -> InspectionPlan:
    if not _text(plan.title):
        raise InspectionError(_("Enter the inspection's title."))
    if plan.ends_on < plan.starts_on:
        raise InspectionError(_("The inspection ends before it starts."))
    if not plan.organizations:
        raise InspectionError(_("Choose at least one body to inspect."))
    return plan


def _write(inspection: Inspection, plan: InspectionPlan) -> Inspection:
    inspection.title = " ".join(_text(plan.title).split())
    inspection.legal_basis, inspection.team = _text(plan.legal_basis), _text(plan.team)
    inspection.leader = plan.leader
    inspection.starts_on, inspection.ends_on = plan.starts_on, plan.ends_on
    inspection.scope_text = _text(plan.scope_text)
    inspection.save()
    inspection.organizations.set(plan.organizations)
    inspection.directives.set(plan.directives)
    return inspection


@transaction.atomic
def plan_inspection(
    *, plan: InspectionPlan, jurisdiction: Jurisdiction | None, by: User | None
) -> Inspection:
    """A new inspection, seen by the monitors and readers of `jurisdiction` (the planning monitor's)."""
    return _write(Inspection(jurisdiction=jurisdiction, created_by=by), _checked(plan))


def _open_locked(inspection: Inspection) -> Inspection:
    inspection = Inspection.objects.select_for_update().get(pk=inspection.pk)
    if inspection.state == InspectionState.CONCLUDED:
        raise InspectionError(_("This inspection is concluded; it can no longer be changed."))
    return inspection


@transaction.atomic
def update_inspection(*, inspection: Inspection, plan: InspectionPlan) -> Inspection:
    """The plan corrected, until the inspection is concluded."""
    return _write(_open_locked(inspection), _checked(plan))


@transaction.atomic
def record_finding(*, inspection: Inspection, text: str) -> Finding:
    """A finding, numbered after the others; the first one marks the inspection as under way."""
    inspection = _open_locked(inspection)
    if not (text := _text(text)):
        raise InspectionError(_("Enter the finding."))
    last = inspection.findings.aggregate(last=Max("position"))["last"] or 0
    finding = Finding.objects.create(inspection=inspection, position=last + 1, text=text)
    if inspection.state == InspectionState.PLANNED:
        inspection.state = InspectionState.IN_PROGRESS
        inspection.save(update_fields=["state"])
    return finding


@transaction.atomic
def record_recommendation(
    *,
    finding: Finding,
    text: str,
    lead: Organization | None,
    coordinating: Sequence[Organization] = (),
    due: date | None,
) -> Recommendation:
    """A recommendation on a finding: what a body must do, by when, and who helps it."""
    _open_locked(finding.inspection)
    if not (text := _text(text)):
        raise InspectionError(_("Enter the recommendation."))
    if lead is None:
        raise InspectionError(_("Choose the body that leads the recommendation."))
    if due is None:
        raise InspectionError(_("Enter the recommendation's deadline."))
    recommendation = Recommendation.objects.create(finding=finding, text=text, lead=lead, due=due)
    recommendation.coordinating.set([body for body in coordinating if body.pk != lead.pk])
    return recommendation


# --- the conclusion ---


def _phrases(bodies: Sequence[Organization]) -> dict[int, str]:
    """A phrase naming each body in the conclusion's tasks, told apart when two bodies share a name (each
    district has its "Ban Tổ chức"): the phrase is the decision publish_directive is given for it."""
    phrases: dict[int, str] = {}
    taken: set[str] = set()
    for body in bodies:
        if body.pk in phrases:
            continue
        phrase = body.name
        if phrase in taken:
            phrase = f"{body.name} ({body.jurisdiction.name if body.jurisdiction else body.pk})"
        if phrase in taken:
            phrase = f"{body.name} ({body.pk})"
        phrases[body.pk] = phrase
        taken.add(phrase)
    return phrases


class _Writer:
    """The conclusion's text, line by line, and where each recommendation's text lies in it (the task spans
    the review page would highlight)."""

    def __init__(self) -> None:
        self.text = ""

    def line(self, value: str = "") -> Span:
        start = len(self.text)
        self.text += value + "\n"
        return Span(start, start + len(value))


def _conclusion(
    *,
    inspection: Inspection,
    chosen: Sequence[Recommendation],
    issuer: Organization,
    number: str,
    on: date,
) -> tuple[ParsedDirective, str, dict[str, list[int]]]:
    """The conclusion as the parser would have read it, its text, and the decision for each body's phrase."""
    bodies = [body for each in chosen for body in (each.lead, *each.coordinating.all())]
    phrases = _phrases(bodies)
    writer = _Writer()
    writer.line(issuer.name.upper())
    writer.line(f"Số: {number}" if number else "Số:")
    writer.line(CONCLUSION_TITLE)
    subject = f"Kết luận kiểm tra: {inspection.title}"
    writer.line(subject)
    if inspection.legal_basis:
        writer.line(inspection.legal_basis)
    writer.line(f"Thời gian kiểm tra: từ {inspection.starts_on:%d/%m/%Y} đến {inspection.ends_on:%d/%m/%Y}.")
    writer.line("I. KẾT QUẢ KIỂM TRA")
    for finding in inspection.findings.all():
        writer.line(f"{finding.position}. {finding.text}")
    writer.line("II. KIẾN NGHỊ")
    tasks: list[ParsedTask] = []
    for position, recommendation in enumerate(chosen, start=1):
        deadline = f"Thời hạn: trước ngày {recommendation.due:%d/%m/%Y}."
        span = writer.line(f"{position}. {recommendation.text}")
        writer.line(deadline)
        tasks.append(
            ParsedTask(
                label=str(position),
                text=recommendation.text,
                span=span,
                lead=(Field(phrases[recommendation.lead_id]),),
                coordinating=tuple(Field(phrases[body.pk]) for body in recommendation.coordinating.all()),
                deadline=Deadline(kind=DeadlineKind.BY_DATE, due=recommendation.due, text=deadline),
            )
        )
    parsed = ParsedDirective(
        issuer=Field(issuer.name),
        number=Field(number) if number else None,
        type=Field(CONCLUSION_TYPE),
        issued_on=on,
        subject=Field(subject),
        tasks=tuple(tasks),
    )
    return parsed, writer.text, {phrase: [body_id] for body_id, phrase in phrases.items()}


@transaction.atomic
def conclude_inspection(
    *,
    inspection: Inspection,
    recommendations: Sequence[Recommendation],
    number: str,
    issuer: Organization | None,
    on: date,
    by: User | None,
) -> Directive:
    """Conclude the inspection: its conclusion is published as a directive of `issuer` (the monitor's body),
    numbered `number` (or left for the clerk), issued `on`, whose tasks are the `recommendations` chosen, each
    assigned to its lead and coordinating bodies with its deadline; each recommendation links its task."""
    inspection = _open_locked(inspection)
    if issuer is None:
        raise InspectionError(_("Your role names no body to issue the conclusion."))
    if on < inspection.starts_on:
        raise InspectionError(_("The conclusion comes before the inspection starts."))
    ids = {each.pk for each in recommendations}
    chosen = list(
        Recommendation.objects.filter(finding__inspection=inspection, pk__in=ids)
        .select_related("lead__jurisdiction")
        .prefetch_related("coordinating__jurisdiction")
        .order_by("finding__position", "id")
    )
    if len(chosen) != len(ids):
        raise InspectionError(_("A recommendation chosen is not one of this inspection's."))
    parsed, text, decisions = _conclusion(
        inspection=inspection, chosen=chosen, issuer=issuer, number=" ".join(number.split()), on=on
    )
    try:
        directive = create_draft(
            parsed=parsed, source_text=text, imported_by=by, jurisdiction=inspection.jurisdiction
        )
        directive.issuer = issuer
        directive.save(update_fields=["issuer"])
        publish_directive(directive=directive, decisions=decisions, reviewed_by=by)
    except DirectiveError as refused:
        raise InspectionError(str(refused)) from refused
    tasks = {task.position: task for task in directive.tasks.all()}
    for position, recommendation in enumerate(chosen, start=1):
        recommendation.task = tasks[position]
        recommendation.save(update_fields=["task"])
    inspection.state, inspection.concluded_on, inspection.conclusion = (
        InspectionState.CONCLUDED,
        on,
        directive,
    )
    inspection.save(update_fields=["state", "concluded_on", "conclusion"])
    directive.refresh_from_db()
    return directive
