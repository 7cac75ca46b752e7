"""Writes: a parsed directive becomes a draft; a reviewed draft is published as assignments, in one transaction."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from django.contrib.auth.models import User
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from dondoc.directives.models import (
    Assignment,
    AssignmentRole,
    Attachment,
    Citation,
    DeadlineExtension,
    Directive,
    DirectiveState,
    ExtensionState,
    ImportJob,
    ImportState,
    Notification,
    ProgressReport,
    ReportState,
    Task,
)
from dondoc.directives.uploads import DIRECTIVE_KINDS, StoredFile, discard, store_upload
from dondoc.parsing.model import DeadlineKind, ParsedDirective
from dondoc.registry.models import Organization
from dondoc.registry.resolution import AddresseeResolver
from dondoc.text import fold, nfc


class DirectiveError(Exception):
    """A draft or a publication refused; the message is for the user."""


class DuplicateDirective(DirectiveError):
    def __init__(self, existing: Directive) -> None:
        self.existing = existing
        super().__init__(
            _("This directive is already in dondoc: %(number)s of %(date)s.")
            % {"number": existing.number or "—", "date": f"{existing.issued_on:%d/%m/%Y}"}
        )


class AlreadyImported(DirectiveError):
    """The same file (by content) is already a directive, or is being imported right now."""

    def __init__(self, *, directive: Directive | None = None, job: ImportJob | None = None) -> None:
        self.directive, self.job = directive, job
        if directive is not None:
            message = _("This file is already imported: %(number)s of %(date)s.") % {
                "number": directive.number or "—",
                "date": f"{directive.issued_on:%d/%m/%Y}",
            }
        else:
            message = _("This file is already being imported (%(name)s).") % {
                "name": job.original_name if job else ""
            }
        super().__init__(message)


RUNNING_IMPORTS = (ImportState.QUEUED, ImportState.READING, ImportState.PARSING)
# The longest import (50 OCR pages at about 6 s each) takes 5 minutes; one still unfinished after this long
# lost its worker, and must not keep the same file from being imported again
STALE_IMPORT = timedelta(minutes=30)


def _duplicate_key(*, issuer: str, number: str, issued_on_year: int) -> str:
    # a Party committee numbers each type from 1 in each term: issuer + number + year stands in for the term
    return f"{fold(issuer)}|{fold(number)}|{issued_on_year}" if number else ""


def start_import(*, upload: UploadedFile[bytes], user: User | None) -> ImportJob:
    """Store an uploaded directive (checked by content and size) and queue it for reading and parsing; the same
    file already imported, or being imported, is refused. A refused file leaves nothing behind."""
    from dondoc.directives.tasks import parse_import  # the task calls back into these services

    stored = store_upload(upload, allowed=DIRECTIVE_KINDS)
    try:
        with transaction.atomic():
            directive = Directive.objects.filter(file_sha256=stored.sha256).first()
            if directive is not None:
                raise AlreadyImported(directive=directive)
            running = ImportJob.objects.filter(sha256=stored.sha256, state__in=RUNNING_IMPORTS)
            stale = timezone.now() - STALE_IMPORT
            running.filter(created_at__lt=stale).update(
                state=ImportState.FAILED,
                finished_at=timezone.now(),
                message=_(
                    "Interrupted: not finished %(minutes)d minutes after the upload (was the task worker "
                    "running?). The file was uploaded again."
                )
                % {"minutes": STALE_IMPORT.seconds // 60},
            )
            if (current := running.filter(created_at__gte=stale).first()) is not None:
                raise AlreadyImported(job=current)
            job = ImportJob.objects.create(
                original_name=nfc(stored.original_name),
                stored_name=stored.stored_name,
                kind=stored.kind,
                size=stored.size,
                sha256=stored.sha256,
                uploaded_by=user,
            )
            transaction.on_commit(lambda: parse_import.enqueue(job.pk))
    except BaseException:
        discard(stored.stored_name)
        raise
    return job


@transaction.atomic
def create_draft(
    *,
    parsed: ParsedDirective,
    source_text: str,
    file_sha256: str = "",
    imported_by: User | None = None,
) -> Directive:
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
        issuer_text=issuer,
        number=number,
        type_code=parsed.type.value if parsed.type else "",
        issued_on=parsed.issued_on,
        subject=parsed.subject.value if parsed.subject else "",
        addressee_phrases=[field.value for field in parsed.addressees],
        source_text=source_text,
        parsed=parsed.to_json(),
        file_sha256=file_sha256,
        duplicate_key=key,
        imported_by=imported_by,
    )
    bulk_create_with_history(
        [
            Task(
                directive=directive,
                position=position,
                label=task.label or "",
                text=task.text,
                lead_phrases=[field.value for field in task.lead],
                coordinating_phrases=[field.value for field in task.coordinating],
                deadline_kind=task.deadline.kind.value,
                due=task.deadline.due,
                start=task.deadline.start,
                deadline_text=task.deadline.text,
                search_text=fold(task.text),
            )
            for position, task in enumerate(parsed.tasks, start=1)
        ],
        Task,
    )
    _link_citations(directive, parsed)
    return directive


def _link_citations(directive: Directive, parsed: ParsedDirective) -> None:
    """Record what the directive cites, linked to the cited directives dondoc holds; and link the earlier
    citations of this directive's number to it, so the trail runs both ways whatever came first."""
    citations = [
        Citation(
            citing=directive,
            number=reference.number or "",
            folded_number=fold(reference.number or ""),
            issued_on=reference.issued_on,
            issuer_text=reference.issuer or "",
            type_text=reference.type or "",
        )
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
            directive_id
            for directive_id, issued_on in held.get(citation.folded_number, [])
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


def _phrases(lines: Sequence[str]) -> list[str]:
    """Phrases as the reviewer typed them, one a line: NFC, trimmed, blank lines and repeats dropped."""
    return list(dict.fromkeys(phrase for line in lines if (phrase := " ".join(nfc(line).split()))))


def _fits(value: str, *, limit: int, label: str) -> str:
    value = " ".join(nfc(value).split())
    if len(value) > limit:
        raise DirectiveError(
            _("%(field)s is longer than %(limit)d characters.") % {"field": label, "limit": limit}
        )
    return value


def _draft_locked(directive_id: int) -> Directive:
    directive = Directive.objects.select_for_update().get(pk=directive_id)
    if directive.state != DirectiveState.DRAFT:
        raise DirectiveError(_("This directive is already published; it can no longer be edited here."))
    return directive


@transaction.atomic
def update_draft(
    *,
    directive: Directive,
    issuer_text: str,
    number: str,
    type_code: str,
    issued_on: date,
    subject: str,
    addressee_phrases: Sequence[str],
) -> Directive:
    """The reviewer's corrections to a draft's header (each save is a history record); the same issuer, number
    and year as another directive is refused."""
    directive = _draft_locked(directive.pk)
    issuer_text = _fits(issuer_text, limit=300, label=_("The issuer"))
    number = _fits(number, limit=100, label=_("The number")).replace(" ", "")
    type_code = _fits(type_code, limit=20, label=_("The type"))
    if not issuer_text:
        raise DirectiveError(_("Enter the issuer as printed."))
    key = _duplicate_key(issuer=issuer_text, number=number, issued_on_year=issued_on.year)
    if key and (existing := Directive.objects.filter(duplicate_key=key).exclude(pk=directive.pk).first()):
        raise DuplicateDirective(existing)
    if fold(issuer_text) != fold(directive.issuer_text):
        directive.issuer = None  # the registry body is found again from the corrected name at publication
    directive.issuer_text, directive.number, directive.type_code = issuer_text, number, type_code
    directive.issued_on, directive.subject = issued_on, " ".join(nfc(subject).split())
    directive.addressee_phrases = _phrases(addressee_phrases)
    directive.duplicate_key = key
    directive.save()
    return directive


@transaction.atomic
def update_task(
    *,
    task: Task,
    label: str,
    text: str,
    lead_phrases: Sequence[str],
    coordinating_phrases: Sequence[str],
    deadline_kind: str,
    due: date | None,
    start: date | None,
    deadline_text: str,
) -> Task:
    """The reviewer's corrections to one task of a draft (each save is a history record)."""
    _draft_locked(task.directive_id)
    task = Task.objects.select_for_update().get(pk=task.pk)
    text = nfc(text).strip()
    if not text:
        raise DirectiveError(_("Enter the task's text."))
    if deadline_kind not in {kind.value for kind in DeadlineKind}:
        raise DirectiveError(_("Choose a kind of deadline."))
    if deadline_kind == DeadlineKind.BY_DATE and due is None:
        raise DirectiveError(_("A task to be done by a date needs its due date."))
    if deadline_kind == DeadlineKind.FROM_DATE and start is None:
        raise DirectiveError(_("A task in force from a date needs its start date."))
    if due is not None and start is not None and due < start:
        raise DirectiveError(_("The due date comes before the start date."))
    task.label = _fits(label, limit=20, label=_("The label"))
    task.text = text
    task.lead_phrases, task.coordinating_phrases = _phrases(lead_phrases), _phrases(coordinating_phrases)
    task.deadline_kind, task.due, task.start = deadline_kind, due, start
    task.deadline_text = _fits(deadline_text, limit=300, label=_("The deadline as printed"))
    task.save()
    return task


@dataclass(frozen=True, slots=True)
class Publication:
    directive: Directive
    assignments: int
    bodies: int


def issuer_context(*, directive: Directive, resolver: AddresseeResolver) -> int | None:
    """The registry body that issued the draft: recorded, or found from the issuer as printed (placed by the line
    above it in the header, "UBND TỈNH ĐẮK NÔNG" over "SỞ NỘI VỤ")."""
    if directive.issuer_id is not None:
        return directive.issuer_id
    if not directive.issuer_text:
        return None
    parent = (directive.parsed or {}).get("parent_issuer")
    return resolver.issuer_context(
        directive.issuer_text, parent=parent if isinstance(parent, str) and parent else None
    )


@transaction.atomic
def publish_directive(
    *,
    directive: Directive,
    decisions: Mapping[str, Sequence[int]] | None = None,
    resolver: AddresseeResolver | None = None,
    reviewed_by: User | None = None,
) -> Publication:
    """Every task becomes one assignment per body: its lead bodies (the addressees when it names none) and its
    coordinating bodies, with the task's deadline. Phrases the registry cannot resolve must have a reviewer's
    decision in `decisions` (phrase → body ids, possibly none); otherwise nothing is published. A body outside the
    jurisdiction (a ministry named as lead) is assigned only when a decision names it. Each body
    assigned a task is notified in the application; `reviewed_by` is recorded as the reviewer."""
    directive = Directive.objects.select_for_update().get(pk=directive.pk)
    if directive.state != DirectiveState.DRAFT:
        raise DirectiveError(_("This directive is already published."))
    decisions = decisions or {}
    decided = {body_id for body_ids in decisions.values() for body_id in body_ids}
    if decided and Organization.objects.filter(pk__in=decided).count() != len(decided):
        raise DirectiveError(_("A body chosen for a phrase is not in the registry."))
    resolver = resolver or AddresseeResolver(on=directive.issued_on)
    context = issuer_context(directive=directive, resolver=resolver)
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
                    resolved[phrase] = resolution.assignable_ids
            found.extend(resolved[phrase])
        return found

    addressees = bodies(directive.addressee_phrases)
    assignments: list[Assignment] = []
    for task in directive.tasks.all():
        leads = bodies(task.lead_phrases) if task.lead_phrases else addressees
        roles = dict.fromkeys(bodies(task.coordinating_phrases), AssignmentRole.COORDINATING)
        roles.update(dict.fromkeys(leads, AssignmentRole.LEAD))  # a body both leading and helping leads
        assignments += [
            Assignment(task=task, organization_id=body_id, role=role, due=task.due)
            for body_id, role in roles.items()
        ]
    if unresolved:
        raise DirectiveError(
            _("Decide which bodies these phrases mean before publishing: %(phrases)s.")
            % {"phrases": "; ".join(dict.fromkeys(unresolved))}
        )
    bulk_create_with_history(assignments, Assignment)
    directive.state = DirectiveState.PUBLISHED
    directive.published_at = timezone.now()
    if reviewed_by is not None:
        directive.reviewed_by, directive.reviewed_at = reviewed_by, directive.published_at
    if context is not None and directive.issuer_id is None:
        directive.issuer_id = context
    directive.save(update_fields=["state", "published_at", "issuer", "reviewed_by", "reviewed_at"])
    notice = _("New directive to carry out: %(number)s, %(subject)s") % {
        "number": directive.number or f"{directive.issued_on:%d/%m/%Y}",
        "subject": directive.subject,
    }
    Notification.objects.bulk_create(
        [
            Notification(organization_id=body_id, directive=directive, text=notice[:500])
            for body_id in dict.fromkeys(assignment.organization_id for assignment in assignments)
        ]
    )
    return Publication(directive, len(assignments), len({a.organization_id for a in assignments}))


def draft_progress(
    *,
    assignment: Assignment,
    text: str,
    percent: int,
    reports_done: bool = False,
    period_start: date | None = None,
    period_end: date | None = None,
    by: User | None = None,
    files: Sequence[StoredFile] = (),
) -> ProgressReport:
    """The reporter's draft, with its attached files (already stored and checked by content); nothing leaves
    the body until its leader approves it. All or nothing: if the draft is refused or cannot be written, the
    stored files are discarded."""
    try:
        with transaction.atomic():
            if not 0 <= percent <= 100:
                raise DirectiveError(_("The percentage must lie between 0 and 100."))
            if not text.strip():
                raise DirectiveError(_("Say what was done."))
            if period_start and period_end and period_end < period_start:
                raise DirectiveError(_("The reporting period ends before it starts."))
            report = ProgressReport.objects.create(
                assignment=assignment,
                text=text.strip(),
                percent=100 if reports_done else percent,
                reports_done=reports_done,
                period_start=period_start,
                period_end=period_end,
                drafted_by=by,
            )
            _attach(report, files, by)
    except BaseException:
        for file in files:
            discard(file.stored_name)
        raise
    return report


def _attach(report: ProgressReport, files: Sequence[StoredFile], by: User | None) -> list[Attachment]:
    created: list[Attachment] = bulk_create_with_history(
        [
            Attachment(
                report=report,
                original_name=file.original_name,
                stored_name=file.stored_name,
                content_type=file.content_type,
                size=file.size,
                sha256=file.sha256,
                uploaded_by=by,
            )
            for file in files
        ],
        Attachment,
        default_user=by,
    )
    return created


def attach_files(
    *, report: ProgressReport, files: Sequence[StoredFile], by: User | None = None
) -> list[Attachment]:
    """More files for a draft (a sent report is what the monitor read: it stays as it was). All or nothing:
    the stored files are discarded if they cannot be recorded."""
    try:
        with transaction.atomic():
            report = ProgressReport.objects.select_for_update().get(pk=report.pk)
            if report.state != ReportState.DRAFT:
                raise DirectiveError(_("Files can be added to a draft only."))
            return _attach(report, files, by)
    except BaseException:
        for file in files:
            discard(file.stored_name)
        raise


def _move(report: ProgressReport, expected: ReportState, message: str) -> ProgressReport:
    report = (
        ProgressReport.objects.select_for_update()
        .select_related("assignment__task__directive", "assignment__organization")
        .get(pk=report.pk)
    )
    if report.state != expected:
        raise DirectiveError(message)
    return report


def _task_name(assignment: Assignment) -> str:
    task = assignment.task
    return _("task %(label)s of %(number)s") % {
        "label": task.label or task.position,
        "number": task.directive.number or task.directive,
    }


def _notify_monitors(assignment: Assignment, text: str) -> None:
    from dondoc.directives.selectors import monitors_of  # selectors read what services write

    Notification.objects.bulk_create(
        [
            Notification(
                user_id=user_id,
                text=text[:500],
                directive_id=assignment.task.directive_id,
                assignment=assignment,
            )
            for user_id in monitors_of(assignment=assignment)
        ]
    )


def _notify_body(assignment: Assignment, text: str) -> None:
    Notification.objects.create(
        organization_id=assignment.organization_id,
        text=text[:500],
        directive_id=assignment.task.directive_id,
        assignment=assignment,
    )


@transaction.atomic
def approve_progress(*, report: ProgressReport, on: date, by: User | None = None) -> ProgressReport:
    """The body's leader approves the draft, which sends it to the monitors of the body's jurisdiction."""
    report = _move(report, ReportState.DRAFT, _("Only a draft can be approved and sent."))
    report.state, report.sent_on, report.approved_by = ReportState.SENT, on, by
    report.save(update_fields=["state", "sent_on", "approved_by"])
    assignment = report.assignment
    message = (
        _("%(body)s sent a progress report on %(task)s.")
        if not report.reports_done
        else _("%(body)s reports %(task)s done; confirm or return it.")
    )
    _notify_monitors(
        assignment, message % {"body": assignment.organization.name, "task": _task_name(assignment)}
    )
    return report


@transaction.atomic
def confirm_completion(*, report: ProgressReport, on: date, by: User | None = None) -> ProgressReport:
    """The monitor confirms a sent report that says the task is done."""
    report = _move(report, ReportState.SENT, _("Only a sent report can be confirmed."))
    if not report.reports_done:
        raise DirectiveError(_("This report does not say the task is done."))
    report.state, report.confirmed_on, report.decided_by = ReportState.CONFIRMED, on, by
    report.save(update_fields=["state", "confirmed_on", "decided_by"])
    _notify_body(
        report.assignment,
        _("The completion of %(task)s was confirmed.") % {"task": _task_name(report.assignment)},
    )
    return report


@transaction.atomic
def return_progress(*, report: ProgressReport, comment: str, by: User | None = None) -> ProgressReport:
    """The monitor sends a report back with a comment; the body drafts a new one."""
    if not comment.strip():
        raise DirectiveError(_("Say why the report is returned."))
    report = _move(report, ReportState.SENT, _("Only a sent report can be returned."))
    report.state, report.comment, report.decided_by = ReportState.RETURNED, comment.strip(), by
    report.save(update_fields=["state", "comment", "decided_by"])
    _notify_body(
        report.assignment,
        _("Your report on %(task)s was returned: %(comment)s")
        % {"task": _task_name(report.assignment), "comment": report.comment},
    )
    return report


@transaction.atomic
def request_extension(
    *, assignment: Assignment, requested_due: date, reason: str, on: date, by: User | None = None
) -> DeadlineExtension:
    """A body asks for a new deadline, with its reason; one request at a time waits for the monitor."""
    assignment = (
        Assignment.objects.select_for_update()
        .select_related("task__directive", "organization")
        .get(pk=assignment.pk)
    )
    if not reason.strip():
        raise DirectiveError(_("Give the reason for a new deadline."))
    if assignment.due is None:
        raise DirectiveError(_("This task has no deadline to move."))
    if requested_due <= assignment.due:
        raise DirectiveError(
            _("The new deadline must come after the current one (%(due)s).")
            % {"due": f"{assignment.due:%d/%m/%Y}"}
        )
    if requested_due < on:
        raise DirectiveError(_("The new deadline has already passed."))
    if assignment.extensions.filter(state=ExtensionState.PENDING).exists():
        raise DirectiveError(_("A request for a new deadline already awaits the monitor's decision."))
    extension = DeadlineExtension.objects.create(
        assignment=assignment,
        previous_due=assignment.due,
        requested_due=requested_due,
        reason=reason.strip(),
        requested_by=by,
        requested_on=on,
    )
    _notify_monitors(
        assignment,
        _("%(body)s asks to move the deadline of %(task)s to %(due)s.")
        % {
            "body": assignment.organization.name,
            "task": _task_name(assignment),
            "due": f"{requested_due:%d/%m/%Y}",
        },
    )
    return extension


@transaction.atomic
def decide_extension(
    *, extension: DeadlineExtension, approve: bool, on: date, comment: str = "", by: User | None = None
) -> DeadlineExtension:
    """The monitor approves (the assignment's deadline moves; the one it replaces stays on the request) or
    refuses, saying why."""
    extension = DeadlineExtension.objects.select_for_update().get(pk=extension.pk)
    if extension.state != ExtensionState.PENDING:
        raise DirectiveError(_("This request has already been decided."))
    if not approve and not comment.strip():
        raise DirectiveError(_("Say why the new deadline is refused."))
    assignment = (
        Assignment.objects.select_for_update()
        .select_related("task__directive")
        .get(pk=extension.assignment_id)
    )
    if approve:
        extension.previous_due = assignment.due
        assignment.due = extension.requested_due
        assignment.save(update_fields=["due"])
    extension.state = ExtensionState.APPROVED if approve else ExtensionState.REFUSED
    extension.decided_by, extension.decided_on, extension.comment = by, on, comment.strip()
    extension.save(update_fields=["state", "decided_by", "decided_on", "comment", "previous_due"])
    task = _task_name(assignment)
    if approve:
        text = _("The new deadline of %(task)s, %(due)s, was approved.") % {
            "task": task,
            "due": f"{extension.requested_due:%d/%m/%Y}",
        }
    else:
        text = _("The new deadline of %(task)s was refused: %(comment)s") % {
            "task": task,
            "comment": extension.comment,
        }
    _notify_body(assignment, text)
    return extension


@transaction.atomic
def mark_read(*, notifications: QuerySet[Notification]) -> int:
    """Mark notices read (the caller passes only the user's own and their body's)."""
    return notifications.filter(read_at__isnull=True).update(read_at=timezone.now())
