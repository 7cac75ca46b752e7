"""The change log: every recorded change (simple_history) of the directives app and the registry's bodies, or
one object's, with each field before → after (who may see an object's history: directives.access)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import CharField, OuterRef, Subquery, Value
from django.utils.translation import gettext as _

from dondoc.directives.models import (
    Assignment,
    Attachment,
    Citation,
    DeadlineExtension,
    Directive,
    ProgressReport,
    Task,
)
from dondoc.registry.models import Organization


# The kinds of recorded change the change log shows: URL name → model (each with simple_history's `history`)
def history_kinds() -> dict[str, Any]:

    return {
        "directive": Directive,
        "task": Task,
        "assignment": Assignment,
        "progressreport": ProgressReport,
        "deadlineextension": DeadlineExtension,
        "attachment": Attachment,
        "citation": Citation,
        "organization": Organization,
    }


# what a historical row needs to describe its object without a query per row
_HISTORY_RELATED: dict[str, tuple[str, ...]] = {
    "task": ("directive",),
    "assignment": ("task__directive", "organization"),
    "progressreport": ("assignment__task__directive", "assignment__organization"),
    "deadlineextension": ("assignment__task__directive", "assignment__organization"),
    "attachment": ("report__assignment__task__directive", "report__assignment__organization"),
    "citation": ("citing",),
}


_HEAVY_FIELDS = frozenset({"source_text", "parsed"})


_LONGEST = 160


def _describe(kind: str, record: Any) -> str:
    def assignment_label(assignment: Any) -> str:
        task = assignment.task
        return f"{task.directive.number} · {task.label or task.position} → {assignment.organization.name}"

    match kind:
        case "directive":
            return f"{record.number or '—'} {record.issued_on:%d/%m/%Y}"
        case "task":
            return f"{record.directive.number} · {record.label or record.position}. {record.text[:60]}"
        case "assignment":
            return assignment_label(record)
        case "progressreport":
            return f"{assignment_label(record.assignment)}: {record.percent}%"
        case "deadlineextension":
            return f"{assignment_label(record.assignment)}: {record.requested_due:%d/%m/%Y}"
        case "attachment":
            return f"{assignment_label(record.report.assignment)}: {record.original_name}"
        case "citation":
            return f"{record.citing.number} → {record.number or record.type_text}"
        case _:
            return str(record.name)


@dataclass(frozen=True, slots=True)
class FieldChange:
    name: str  # the field's name in code
    field: str  # its verbose name, for people
    old: str
    new: str


@dataclass(frozen=True, slots=True)
class LogEntry:
    kind: str
    kind_label: str
    object_id: int
    object_label: str
    history_id: int
    when: Any  # datetime
    action: str  # simple_history's history_type: "+" created, "~" changed, "-" deleted
    user: str
    changes: list[FieldChange]


def _shown(value: Any, field: Any, labels: dict[tuple[Any, Any], str]) -> str:
    if value is None or value == "":
        return ""
    if field.is_relation:
        return labels.get((field.related_model, value), f"#{value}")
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, date):
        return f"{value:%d/%m/%Y}"
    text = str(value)
    return text if len(text) <= _LONGEST else text[:_LONGEST] + "…"


def _related_labels(references: dict[Any, set[Any]]) -> dict[tuple[Any, Any], str]:
    """Names for the foreign keys a page of changes shows: one query per related model."""
    labels: dict[tuple[Any, Any], str] = {}
    user_model = get_user_model()
    for model, ids in references.items():
        kind = next((k for k, m in history_kinds().items() if m is model), "")
        objects = model._default_manager.filter(pk__in=ids)
        if kind in _HISTORY_RELATED:
            objects = objects.select_related(*_HISTORY_RELATED[kind])
        for found in objects:
            if model is user_model:
                labels[(model, found.pk)] = found.get_username()
            elif kind:
                labels[(model, found.pk)] = _describe(kind, found)
            else:
                labels[(model, found.pk)] = str(found)
    return labels


def _entries(kind: str, history_ids: Sequence[int], *, with_values: bool) -> dict[int, LogEntry]:
    """The log entries of these historical rows of one kind, each with what changed against the row before
    it (before → after); a creation lists its values when `with_values`. Four queries at most, plus one per
    kind of related object named."""
    model = history_kinds()[kind]
    history = model.history
    records = list(
        history.filter(history_id__in=list(history_ids))
        .select_related("history_user", *_HISTORY_RELATED.get(kind, ()))
        .annotate(
            previous_id=Subquery(
                history.filter(id=OuterRef("id"), history_id__lt=OuterRef("history_id"))
                .order_by("-history_id")
                .values("history_id")[:1]
            )
        )
    )
    previous = {
        p.history_id: p
        for p in history.filter(history_id__in=[r.previous_id for r in records if r.previous_id])
    }
    raw: dict[int, list[tuple[Any, Any, Any]]] = {}
    references: dict[Any, set[Any]] = {}
    fields = [
        f
        for f in model._meta.get_fields()
        if getattr(f, "concrete", False)
        and getattr(f, "editable", False)
        and not f.many_to_many
        and f.name not in ("id",)
    ]
    by_name = {f.name: f for f in fields}
    for record in records:
        before = previous.get(record.previous_id) if record.previous_id else None
        changes: list[tuple[Any, Any, Any]] = []
        if before is not None:
            delta = record.diff_against(before)
            changes = [(by_name[c.field], c.old, c.new) for c in delta.changes if c.field in by_name]
        elif with_values:
            changes = [
                (f, None, getattr(record, f.attname))
                for f in fields
                if getattr(record, f.attname) not in (None, "", [], {})
            ]
        raw[record.history_id] = changes
        for field, old, new in changes:
            if field.is_relation:
                references.setdefault(field.related_model, set()).update(
                    v for v in (old, new) if v is not None
                )
    labels = _related_labels(references) if references else {}
    return {
        record.history_id: LogEntry(
            kind=kind,
            kind_label=str(model._meta.verbose_name),
            object_id=record.id,
            object_label=_describe(kind, record),
            history_id=record.history_id,
            when=record.history_date,
            action=record.history_type,
            user=record.history_user.get_username() if record.history_user is not None else "",
            changes=[
                FieldChange(
                    field.name,
                    str(field.verbose_name),
                    "…" if field.name in _HEAVY_FIELDS and old is not None else _shown(old, field, labels),
                    "…" if field.name in _HEAVY_FIELDS else _shown(new, field, labels),
                )
                for field, old, new in raw[record.history_id]
            ],
        )
        for record in records
    }


def change_log(
    *,
    kinds: Sequence[str],
    user_id: int | None = None,
    since: date | None = None,
    until: date | None = None,
    offset: int = 0,
    limit: int = 50,
) -> tuple[list[LogEntry], int]:
    """Every recorded change of the given kinds, newest first, one page of it and the number of all: two
    queries for the page (one UNION over the history tables), then a few per kind on the page."""
    known = history_kinds()
    parts = []
    for kind in kinds:
        records = known[kind].history.all()
        if user_id is not None:
            records = records.filter(history_user_id=user_id)
        if since is not None:
            records = records.filter(history_date__date__gte=since)
        if until is not None:
            records = records.filter(history_date__date__lte=until)
        parts.append(
            records.annotate(log_kind=Value(kind, output_field=CharField()))
            .order_by()
            .values_list("history_date", "history_id", "log_kind")
        )
    if not parts:
        return [], 0
    union = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
    total = union.count()
    rows = list(union.order_by("-history_date", "-history_id")[offset : offset + limit])
    by_kind: dict[str, list[int]] = {}
    for _when, history_id, kind in rows:
        by_kind.setdefault(kind, []).append(history_id)
    found = {
        (kind, hid): entry
        for kind, ids in by_kind.items()
        for hid, entry in _entries(kind, ids, with_values=False).items()
    }
    return [found[(kind, hid)] for _when, hid, kind in rows if (kind, hid) in found], total


def object_changes(
    *, kind: str, object_id: int, offset: int = 0, limit: int = 50
) -> tuple[list[LogEntry], int]:
    """One object's recorded changes, newest first: who, when, and each field's value before → after."""
    history = history_kinds()[kind].history.filter(id=object_id)
    total = history.count()
    ids = list(
        history.order_by("-history_date", "-history_id").values_list("history_id", flat=True)[
            offset : offset + limit
        ]
    )
    found = _entries(kind, ids, with_values=True)
    return [found[i] for i in ids if i in found], total
