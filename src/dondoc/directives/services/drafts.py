"""Drafts: a parsed directive becomes a draft (its tasks and citations with it, and the links of its tasks to
those of the directive it implements proposed), refused if dondoc already holds the document; and the
reviewer's corrections to the draft's header and tasks, each refused if someone else saved the same header or
task after the reviewer's form was read (optimistic versions)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from dondoc.accounts.models import User
from dondoc.directives.models import Citation, Directive, DirectiveState, Task
from dondoc.directives.services.chain import store_proposals
from dondoc.directives.services.errors import DirectiveError, DuplicateDirective, EditConflict
from dondoc.parsing.model import DeadlineKind, ParsedDirective
from dondoc.registry.models import Jurisdiction
from dondoc.text import fold, nfc


def _duplicate_key(*, issuer: str, number: str, issued_on_year: int) -> str:
    # a Party committee numbers each type from 1 in each term: issuer + number + year stands in for the term
    return f"{fold(issuer)}|{fold(number)}|{issued_on_year}" if number else ""


@transaction.atomic
def create_draft(
    *,
    parsed: ParsedDirective,
    source_text: str,
    file_sha256: str = "",
    imported_by: User | None = None,
    jurisdiction: Jurisdiction | None = None,
) -> Directive:
    """A draft from the parser's output, every field still to be confirmed, reviewed by the monitors of
    `jurisdiction` (directives.access.imports_jurisdiction); the same document twice is refused."""
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
        jurisdiction=jurisdiction,
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
    store_proposals(directive)  # a parent not found leaves the tasks unlinked; the review page says why
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
    expected_version: int,
    issuer_text: str,
    number: str,
    type_code: str,
    issued_on: date,
    subject: str,
    addressee_phrases: Sequence[str],
) -> Directive:
    """The reviewer's corrections to a draft's header (each save is a history record and a new version); the
    same issuer, number and year as another directive is refused, and so is a form read at another version
    than `expected_version` (EditConflict: someone else saved the header since)."""
    directive = _draft_locked(directive.pk)
    if directive.version != expected_version:
        raise EditConflict(
            directive,
            _(
                "Someone else saved this header after you opened it: their values are shown beside yours; "
                "save again to keep yours."
            ),
        )
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
    directive.version += 1  # the value read under the lock: no other save can come in between
    directive.save()
    return directive


@transaction.atomic
def update_task(
    *,
    task: Task,
    expected_version: int,
    label: str,
    text: str,
    lead_phrases: Sequence[str],
    coordinating_phrases: Sequence[str],
    deadline_kind: str,
    due: date | None,
    start: date | None,
    deadline_text: str,
) -> Task:
    """The reviewer's corrections to one task of a draft (each save is a history record and a new version);
    a form read at another version than `expected_version` is refused (EditConflict)."""
    _draft_locked(task.directive_id)
    task = Task.objects.select_for_update().get(pk=task.pk)
    if task.version != expected_version:
        raise EditConflict(
            task,
            _(
                "Someone else saved this task after you opened it: their values are shown beside yours; "
                "save again to keep yours."
            ),
        )
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
    task.version += 1  # the value read under the lock, as for the header
    task.save()
    return task
