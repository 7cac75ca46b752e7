"""Writes: a parsed directive becomes a draft; a reviewed draft is published as assignments, in one transaction."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from dondoc.directives.models import (
    Assignment,
    AssignmentRole,
    Citation,
    Directive,
    DirectiveState,
    ProgressReport,
    ReportState,
    Task,
)
from dondoc.parsing.model import ParsedDirective
from dondoc.registry.resolution import AddresseeResolver
from dondoc.text import fold


class DirectiveError(Exception):
    """A draft or a publication refused; the message is for the user."""


class DuplicateDirective(DirectiveError):
    def __init__(self, existing: Directive) -> None:
        self.existing = existing
        super().__init__(
            _("This directive is already in dondoc: %(number)s of %(date)s.")
            % {"number": existing.number or "—", "date": f"{existing.issued_on:%d/%m/%Y}"}
        )


def _duplicate_key(*, issuer: str, number: str, issued_on_year: int) -> str:
    # a Party committee numbers each type from 1 in each term: issuer + number + year stands in for the term
    return f"{fold(issuer)}|{fold(number)}|{issued_on_year}" if number else ""


@transaction.atomic
def create_draft(*, parsed: ParsedDirective, source_text: str, file_sha256: str = "") -> Directive:
    """A draft from the parser's output, every field still to be confirmed; the same document twice is refused."""
    if parsed.issued_on is None:
        raise DirectiveError(_("The directive's date could not be read; enter it before importing."))
    issuer = parsed.issuer.value if parsed.issuer else ""
    number = parsed.number.value if parsed.number else ""
    key = _duplicate_key(issuer=issuer, number=number, issued_on_year=parsed.issued_on.year)
    existing = Directive.objects.filter(file_sha256=file_sha256).first() if file_sha256 else None
    if existing is None and key:
        existing = Directive.objects.filter(duplicate_key=key).first()
    if existing is not None:
        raise DuplicateDirective(existing)
    directive = Directive.objects.create(
        issuer_text=issuer, number=number, type_code=parsed.type.value if parsed.type else "",
        issued_on=parsed.issued_on, subject=parsed.subject.value if parsed.subject else "",
        addressee_phrases=[field.value for field in parsed.addressees], source_text=source_text,
        parsed=parsed.to_json(), file_sha256=file_sha256, duplicate_key=key,
    )
    bulk_create_with_history([
        Task(
            directive=directive, position=position, label=task.label or "", text=task.text,
            lead_phrases=[field.value for field in task.lead],
            coordinating_phrases=[field.value for field in task.coordinating],
            deadline_kind=task.deadline.kind.value, due=task.deadline.due, start=task.deadline.start,
            deadline_text=task.deadline.text, search_text=fold(task.text),
        )
        for position, task in enumerate(parsed.tasks, start=1)
    ], Task)
    _link_citations(directive, parsed)
    return directive


def _link_citations(directive: Directive, parsed: ParsedDirective) -> None:
    """Record what the directive cites, linked to the cited directives dondoc holds; and link the earlier
    citations of this directive's number to it, so the trail runs both ways whatever came first."""
    citations = [
        Citation(citing=directive, number=reference.number or "", folded_number=fold(reference.number or ""),
                 issued_on=reference.issued_on, issuer_text=reference.issuer or "", type_text=reference.type or "")
        for reference in parsed.references
    ]
    held: dict[str, list[tuple[int, date]]] = {}
    for directive_id, number, issued_on in Directive.objects.filter(
        number__in=[c.number for c in citations if c.number]
    ).values_list("id", "number", "issued_on"):
        held.setdefault(fold(number), []).append((directive_id, issued_on))
    for citation in citations:
        # numbers repeat across issuers and terms: link only when the date agrees or the number is unique
        candidates = [
            directive_id for directive_id, issued_on in held.get(citation.folded_number, [])
            if citation.issued_on in (None, issued_on)
        ]
        citation.cited_id = candidates[0] if len(candidates) == 1 else None
    bulk_create_with_history(citations, Citation)
    if directive.number:
        earlier = Citation.objects.filter(folded_number=fold(directive.number), cited__isnull=True).exclude(
            citing=directive
        )
        for citation in earlier:
            if citation.issued_on in (None, directive.issued_on):
                citation.cited = directive
                citation.save(update_fields=["cited"])


@dataclass(frozen=True, slots=True)
class Publication:
    directive: Directive
    assignments: int
    bodies: int


@transaction.atomic
def publish_directive(
    *, directive: Directive, decisions: Mapping[str, Sequence[int]] | None = None,
    resolver: AddresseeResolver | None = None,
) -> Publication:
    """Every task becomes one assignment per body: its lead bodies (the addressees when it names none) and its
    coordinating bodies, with the task's deadline. Phrases the registry cannot resolve must have a reviewer's
    decision in `decisions` (phrase → body ids, possibly none); otherwise nothing is published."""
    directive = Directive.objects.select_for_update().get(pk=directive.pk)
    if directive.state != DirectiveState.DRAFT:
        raise DirectiveError(_("This directive is already published."))
    decisions = decisions or {}
    resolver = resolver or AddresseeResolver(on=directive.issued_on)
    context = directive.issuer_id or (resolver.issuer_context(directive.issuer_text) if directive.issuer_text else None)
    resolved: dict[str, tuple[int, ...]] = {}
    unresolved: list[str] = []

    def bodies(phrases: Sequence[str]) -> list[int]:
        found: list[int] = []
        for phrase in phrases:
            if phrase not in resolved:
                if phrase in decisions:
                    resolved[phrase] = tuple(decisions[phrase])
                else:
                    resolution = resolver.resolve(phrase, context=context)
                    if not resolution.resolved:
                        unresolved.append(phrase)
                    resolved[phrase] = resolution.organization_ids
            found.extend(resolved[phrase])
        return found

    addressees = bodies(directive.addressee_phrases)
    assignments: list[Assignment] = []
    for task in directive.tasks.all():
        leads = bodies(task.lead_phrases) if task.lead_phrases else addressees
        roles = dict.fromkeys(bodies(task.coordinating_phrases), AssignmentRole.COORDINATING)
        roles.update(dict.fromkeys(leads, AssignmentRole.LEAD))  # a body both leading and helping leads
        assignments += [
            Assignment(task=task, organization_id=body_id, role=role, due=task.due) for body_id, role in roles.items()
        ]
    if unresolved:
        raise DirectiveError(
            _("Decide which bodies these phrases mean before publishing: %(phrases)s.")
            % {"phrases": "; ".join(dict.fromkeys(unresolved))}
        )
    bulk_create_with_history(assignments, Assignment)
    directive.state = DirectiveState.PUBLISHED
    directive.published_at = timezone.now()
    if context is not None and directive.issuer_id is None:
        directive.issuer_id = context
    directive.save(update_fields=["state", "published_at", "issuer"])
    return Publication(directive, len(assignments), len({a.organization_id for a in assignments}))


def draft_progress(
    *, assignment: Assignment, text: str, percent: int, reports_done: bool = False,
    period_start: date | None = None, period_end: date | None = None,
) -> ProgressReport:
    """The reporter's draft; nothing leaves the body until its leader approves it."""
    if not 0 <= percent <= 100:
        raise DirectiveError(_("The percentage must lie between 0 and 100."))
    if not text.strip():
        raise DirectiveError(_("Say what was done."))
    if period_start and period_end and period_end < period_start:
        raise DirectiveError(_("The reporting period ends before it starts."))
    return ProgressReport.objects.create(
        assignment=assignment, text=text.strip(), percent=100 if reports_done else percent,
        reports_done=reports_done, period_start=period_start, period_end=period_end,
    )


def _move(report: ProgressReport, expected: ReportState, message: str) -> ProgressReport:
    report = ProgressReport.objects.select_for_update().get(pk=report.pk)
    if report.state != expected:
        raise DirectiveError(message)
    return report


@transaction.atomic
def approve_progress(*, report: ProgressReport, on: date) -> ProgressReport:
    """The body's leader approves the draft, which sends it to the monitor."""
    report = _move(report, ReportState.DRAFT, _("Only a draft can be approved and sent."))
    report.state, report.sent_on = ReportState.SENT, on
    report.save(update_fields=["state", "sent_on"])
    return report


@transaction.atomic
def confirm_completion(*, report: ProgressReport, on: date) -> ProgressReport:
    """The monitor confirms a sent report that says the task is done."""
    report = _move(report, ReportState.SENT, _("Only a sent report can be confirmed."))
    if not report.reports_done:
        raise DirectiveError(_("This report does not say the task is done."))
    report.state, report.confirmed_on = ReportState.CONFIRMED, on
    report.save(update_fields=["state", "confirmed_on"])
    return report


@transaction.atomic
def return_progress(*, report: ProgressReport, comment: str) -> ProgressReport:
    """The monitor sends a report back with a comment; the body drafts a new one."""
    if not comment.strip():
        raise DirectiveError(_("Say why the report is returned."))
    report = _move(report, ReportState.SENT, _("Only a sent report can be returned."))
    report.state, report.comment = ReportState.RETURNED, comment.strip()
    report.save(update_fields=["state", "comment"])
    return report
