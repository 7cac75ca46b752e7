"""The change log's machinery: every recorded change (simple_history) of the kinds of record the apps
register, or one object's, with each field before → after.

Core knows no app's models: each app registers its own sources in its AppConfig.ready() (the directives app
its directives, tasks, assignments and what hangs on them; the registry its bodies), naming the model, how
one of its records is described for people, and what that description reads (loaded with the rows, so that a
page costs a fixed number of queries). Who may read which changes is the owning app's rule
(directives.access.changes_for), given to the reads as `readable`.

The kinds are listed area by area, the apps built on the others first (the reverse of INSTALLED_APPS: the
directives app's before the registry's bodies, which everything refers to), each app's in the order it
registers them: the change log's filter offers them so."""

from __future__ import annotations

import heapq
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from itertools import islice
from typing import Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Exists, Model, OuterRef, QuerySet, Subquery
from django.utils.translation import gettext as _


@dataclass(frozen=True, slots=True)
class HistorySource:
    kind: str  # its name in URLs and in the change log's filter
    model: type[Model]  # recorded by simple_history (its `history`)
    describe: Callable[[Any], str]  # one record (or one of its historical rows) for people
    related: tuple[str, ...] = ()  # what `describe` reads, loaded with the rows (select_related)
    elided: frozenset[str] = frozenset()  # fields too long to print (a document's text): shown as "…"


_SOURCES: dict[str, HistorySource] = {}

# The changes a reader may read: given a kind and its recorded changes (simple_history's rows), those they may
# see. Without one, every change is read.
Readable = Callable[[str, Any], Any]


def register_history_source(
    *,
    kind: str,
    model: type[Model],
    describe: Callable[[Any], str],
    related: Sequence[str] = (),
    elided: Sequence[str] = (),
) -> None:
    """Show this model's recorded changes in the change log, as `kind`. Registering the same kind again
    replaces it (an app made ready twice); naming another model with it is a mistake."""
    known = _SOURCES.get(kind)
    if known is not None and known.model is not model:
        raise ImproperlyConfigured(f"the history kind {kind!r} is already {known.model.__name__}'s")
    _SOURCES[kind] = HistorySource(kind, model, describe, tuple(related), frozenset(elided))


def history_sources() -> list[HistorySource]:
    """The registered sources, in the order the change log lists them (see the module's docstring)."""
    position = {config.label: at for at, config in enumerate(apps.get_app_configs())}
    # sorted() is stable: each app's sources keep the order they were registered in
    return sorted(_SOURCES.values(), key=lambda source: -position.get(source.model._meta.app_label, -1))


def history_kinds() -> dict[str, Any]:
    """The kinds of recorded change the change log shows: URL name → model, in the filter's order."""
    return {source.kind: source.model for source in history_sources()}


def _history(model: type[Model]) -> Any:
    """simple_history's manager of the model's recorded changes."""
    return model.history  # type: ignore[attr-defined]


_LONGEST = 160


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
    """Names for the foreign keys a page of changes shows: one query per related model. A registered kind is
    described as in the log, a user by their username, anything else as it prints itself."""
    labels: dict[tuple[Any, Any], str] = {}
    user_model = get_user_model()
    sources = history_sources()
    for model, ids in references.items():
        source = next((each for each in sources if each.model is model), None)
        objects = model._default_manager.filter(pk__in=ids)
        if source is not None and source.related:
            objects = objects.select_related(*source.related)
        for found in objects:
            if model is user_model:
                labels[(model, found.pk)] = found.get_username()
            elif source is not None:
                labels[(model, found.pk)] = source.describe(found)
            else:
                labels[(model, found.pk)] = str(found)
    return labels


def _readable(kind: str, readable: Readable | None) -> Any:
    """The recorded changes of a kind that the reader may read."""
    records = _history(_SOURCES[kind].model).all()
    return readable(kind, records) if readable is not None else records


def _entries(
    kind: str, history_ids: Sequence[int], *, with_values: bool, readable: Readable | None
) -> dict[int, LogEntry]:
    """The log entries of these historical rows of one kind, each with what changed against the row before
    it (before → after); a creation lists its values when `with_values`. A row whose row before is hidden
    from the reader (a progress report's draft) is where the reader's history of the object starts: what
    changed is named, never its value before, and `with_values` lists its values as for a creation. Four
    queries at most, plus one per kind of related object named."""
    source = _SOURCES[kind]
    model = source.model
    history = _history(model)
    records_query = (
        history.filter(history_id__in=list(history_ids))
        .select_related("history_user", *source.related)
        .annotate(
            previous_id=Subquery(
                history.filter(id=OuterRef("id"), history_id__lt=OuterRef("history_id"))
                .order_by("-history_id")
                .values("history_id")[:1]
            )
        )
    )
    if readable is not None:
        seen = _readable(kind, readable)
        records_query = records_query.annotate(
            previous_seen=Exists(seen.filter(history_id=OuterRef("previous_id")))
        )
    records = list(records_query)
    previous = {
        p.history_id: p
        for p in history.filter(history_id__in=[r.previous_id for r in records if r.previous_id])
    }
    raw: dict[int, list[tuple[Any, Any, Any]]] = {}
    references: dict[Any, set[Any]] = {}
    fields: list[Any] = [
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
        hidden_before = before is not None and not getattr(record, "previous_seen", True)
        changes: list[tuple[Any, Any, Any]] = []
        if before is not None and not (hidden_before and with_values):
            delta = record.diff_against(before)
            changes = [
                (by_name[c.field], None if hidden_before else c.old, c.new)
                for c in delta.changes
                if c.field in by_name
            ]
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
            object_label=source.describe(record),
            history_id=record.history_id,
            when=record.history_date,
            action=record.history_type,
            user=record.history_user.get_username() if record.history_user is not None else "",
            changes=[
                FieldChange(
                    field.name,
                    str(field.verbose_name),
                    "…" if field.name in source.elided and old is not None else _shown(old, field, labels),
                    "…" if field.name in source.elided else _shown(new, field, labels),
                )
                for field, old, new in raw[record.history_id]
            ],
        )
        for record in records
    }


# how many changes the log counts before it says "more than", as the inbox does: a count is as slow as what it
# counts, and nobody pages through ten thousand changes rather than narrowing them with a filter
COUNTED = 10_000


def change_log(
    *,
    kinds: Sequence[str],
    readable: Readable | None = None,
    user_id: int | None = None,
    since: date | None = None,
    until: date | None = None,
    offset: int = 0,
    limit: int = 50,
) -> tuple[list[LogEntry], int]:
    """Every recorded change of the given kinds the reader may read, newest first: one page of it, and how
    many there are counted up to COUNTED + 1 (one more: more than COUNTED). Each kind's newest
    `offset + limit` records are read through its table's index on the date, then merged, and each kind is
    counted up to what is left to count: two queries per kind, then a few per kind on the page. Sorted and
    counted whole as one UNION of every table, a province's log at 1,000,000 assignments took 1.5 s."""
    parts: list[tuple[str, QuerySet[Any]]] = []
    for kind in kinds:
        records = _readable(kind, readable)
        if user_id is not None:
            records = records.filter(history_user_id=user_id)
        if since is not None:
            records = records.filter(history_date__date__gte=since)
        if until is not None:
            records = records.filter(history_date__date__lte=until)
        parts.append((kind, records.order_by("-history_date", "-history_id")))
    newest = heapq.merge(
        *(
            [
                (when, history_id, kind)
                for when, history_id in records.values_list("history_date", "history_id")[: offset + limit]
            ]
            for kind, records in parts
        ),
        key=lambda row: (row[0], row[1]),
        reverse=True,
    )
    rows = list(islice(newest, offset, offset + limit))
    total, left = 0, COUNTED + 1
    for _kind, records in parts:
        if not left:
            break
        counted = records.order_by()[:left].count()
        total, left = total + counted, left - counted
    by_kind: dict[str, list[int]] = {}
    for _when, history_id, kind in rows:
        by_kind.setdefault(kind, []).append(history_id)
    found = {
        (kind, hid): entry
        for kind, ids in by_kind.items()
        for hid, entry in _entries(kind, ids, with_values=False, readable=readable).items()
    }
    return [found[(kind, hid)] for _when, hid, kind in rows if (kind, hid) in found], total


def object_changes(
    *, kind: str, object_id: int, readable: Readable | None = None, offset: int = 0, limit: int = 50
) -> tuple[list[LogEntry], int]:
    """One object's recorded changes the reader may read, newest first: who, when, and each field's value
    before → after."""
    history = _readable(kind, readable).filter(id=object_id)
    total = history.count()
    ids = list(
        history.order_by("-history_date", "-history_id").values_list("history_id", flat=True)[
            offset : offset + limit
        ]
    )
    found = _entries(kind, ids, with_values=True, readable=readable)
    return [found[i] for i in ids if i in found], total
