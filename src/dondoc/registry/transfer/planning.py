"""Planning an import: each parsed row matched by its upsert key to the registry row it creates or
updates, with references, duplicates and the models' clean() checked before anything is written."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _

from dondoc.registry.models import (
    OPEN_START,
    AliasKind,
    Function,
    JobPosition,
    Jurisdiction,
    Organization,
    OrganizationAlias,
    Post,
    StaffingQuota,
)
from dondoc.registry.transfer.cells import _key
from dondoc.registry.transfer.rows import _Problems, _Row, _Table
from dondoc.registry.transfer.schema import TransferKind
from dondoc.text import fold

_BATCH = 500  # rows per INSERT/UPDATE and per IN (…) lookup, below SQLite's variable limit


def _chunks(items: Sequence[Any]) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), _BATCH):
        yield items[start : start + _BATCH]


def _bodies_by_code(codes: Iterable[str]) -> dict[str, Organization]:
    found: dict[str, Organization] = {}
    for chunk in _chunks(sorted(set(codes))):
        found.update(
            (body.code, body)
            for body in Organization.objects.filter(code__in=chunk).select_related("parent", "jurisdiction")
        )
    return found


def _unique_keys(
    table: _Table, rows: list[_Row], problems: _Problems, key: Callable[[_Row], tuple[Any, ...]], what: str
) -> None:
    """A key given on two rows of the file: both rows would write the same registry row."""
    first: dict[tuple[Any, ...], int] = {}
    for row in rows:
        number = first.setdefault(key(row), row.number)
        if number != row.number:
            problems.row(
                table, row, _("repeats row %(row)s (the same %(key)s)") % {"row": number, "key": what}
            )


@dataclass(slots=True)
class _Change:
    instance: Any
    is_new: bool
    is_changed: bool
    row: _Row
    aliases: dict[str, list[str]] = field(
        default_factory=dict
    )  # alias column → texts, for the columns present
    references: dict[str, Any] = field(default_factory=dict)  # codes and names resolved to ids when written


@dataclass(slots=True)
class _Plan:
    bodies: list[_Change] = field(default_factory=list)
    body_parents: dict[str, str | None] = field(default_factory=dict)  # code → parent code, file's bodies
    dependents: dict[TransferKind, list[_Change]] = field(default_factory=dict)


_ALIAS_COLUMNS = {
    "alternative": AliasKind.ALTERNATIVE,
    "abbreviation": AliasKind.ABBREVIATION,
    "former": AliasKind.FORMER,
}
_BODY_FIELDS = ("name", "short_name", "kind", "level", "outside_jurisdiction", "valid_from", "valid_to")


def _snapshot(instance: models.Model, fields: Iterable[str]) -> tuple[Any, ...]:
    return tuple(getattr(instance, name) for name in fields)


def _clean(instance: models.Model, exclude: Iterable[str]) -> ValidationError | None:
    try:
        # uniqueness is each kind's upsert key, checked above for the whole file against the registry
        instance.full_clean(exclude=list(exclude), validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        return error
    return None


def _plan_bodies(table: _Table, problems: _Problems, plan: _Plan) -> None:
    rows = [row for row in table.rows if "code" not in row.failed]
    _unique_keys(table, rows, problems, lambda row: (_key(row.values["code"]),), _("code"))
    codes: set[str] = {row.values["code"] for row in rows}
    existing = _bodies_by_code(codes | {parent for row in rows if (parent := row.values.get("parent"))})

    def current(body: Organization | None, relation: str) -> str | None:
        related = getattr(body, relation) if body is not None and getattr(body, f"{relation}_id") else None
        return related.code if related is not None else None

    for row in rows:
        body = existing.get(row.values["code"])
        row.values.setdefault("parent", current(body, "parent"))
        row.values.setdefault("jurisdiction", current(body, "jurisdiction"))
    plan.body_parents = {row.values["code"]: row.values["parent"] for row in rows}
    ancestors = _ancestor_codes({parent for parent in plan.body_parents.values() if parent} - codes)
    jurisdiction_codes = sorted({row.values["jurisdiction"] for row in rows} - {None})
    jurisdictions = dict(Jurisdiction.objects.filter(code__in=jurisdiction_codes).values_list("code", "id"))
    aliases: dict[int, list[OrganizationAlias]] = defaultdict(list)
    for chunk in _chunks([existing[code].pk for code in codes if code in existing]):
        for alias in OrganizationAlias.objects.filter(organization_id__in=chunk):
            aliases[alias.organization_id].append(alias)
    alias_columns = [key for key in _ALIAS_COLUMNS if key in table.present]
    field_keys = {name: name for name in (*_BODY_FIELDS, "code")}
    for row in rows:
        values = row.values
        code, parent, jurisdiction = values["code"], values["parent"], values["jurisdiction"]
        found = existing.get(code)
        body = found if found is not None else Organization(code=code)
        before = (*_snapshot(body, _BODY_FIELDS), current(found, "parent"), current(found, "jurisdiction"))
        for name in _BODY_FIELDS:
            if name in values:
                setattr(body, name, values[name])
        if parent is not None and parent not in codes and parent not in existing:
            problems.cell(table, row, "parent", _no_body(parent))
        if jurisdiction is not None and jurisdiction not in jurisdictions:
            problems.cell(
                table,
                row,
                "jurisdiction",
                _("no jurisdiction with code '%(code)s' in the registry") % {"code": jurisdiction},
            )
        if loop := _parent_loop(code, plan.body_parents, ancestors):
            problems.cell(
                table,
                row,
                "parent",
                _("the chain of parent bodies comes back to this body: %(chain)s")
                % {"chain": " → ".join(loop)},
            )
        wanted = {column: values[column] for column in alias_columns if column not in row.failed}
        seen: set[str] = set()
        for column, texts in wanted.items():
            for text in texts:
                if fold(text) in seen:
                    problems.cell(
                        table, row, column, _("the alias '%(alias)s' is given twice") % {"alias": text}
                    )
                seen.add(fold(text))
        had = (
            {
                column: sorted(
                    alias.text for alias in aliases[body.pk] if alias.kind == _ALIAS_COLUMNS[column]
                )
                for column in wanted
            }
            if found is not None
            else {column: [] for column in wanted}
        )
        changed = before != (*_snapshot(body, _BODY_FIELDS), parent, jurisdiction) or had != {
            column: sorted(texts) for column, texts in wanted.items()
        }
        if error := _clean(body, ["parent", "jurisdiction", "folded_name", *row.failed]):
            problems.validation(table, row, error, field_keys)
        references = {
            "parent": parent,
            "jurisdiction": jurisdictions.get(jurisdiction) if jurisdiction else None,
        }
        plan.bodies.append(_Change(body, found is None, found is None or changed, row, wanted, references))


def _no_body(code: str) -> str:
    return _("no body with code '%(code)s' in the file or in the registry") % {"code": code}


def _ancestor_codes(codes: set[str]) -> dict[str, str | None]:
    """Code → parent code of the registry's bodies above the given ones, up to the roots."""
    parents: dict[str, str | None] = {}
    frontier = codes
    while frontier:
        found: dict[str, str | None] = {}
        for chunk in _chunks(sorted(frontier)):
            found.update(Organization.objects.filter(code__in=chunk).values_list("code", "parent__code"))
        parents.update(found)
        frontier = {parent for parent in found.values() if parent is not None and parent not in parents}
    return parents


def _parent_loop(code: str, in_file: dict[str, str | None], in_registry: dict[str, str | None]) -> list[str]:
    chain = [code]
    current: str | None = code
    while current is not None:
        current = in_file[current] if current in in_file else in_registry.get(current)
        if current == code:
            return [*chain, code]
        if current in chain:
            return []  # a loop higher up, reported on its own rows
        if current is not None:
            chain.append(current)
    return []


@dataclass(frozen=True, slots=True)
class _Dependent:
    """How one kind of row hanging off a body is keyed, looked up and filled."""

    model: type[models.Model]
    key: tuple[str, ...]  # column keys after the body's code
    fields: tuple[str, ...]  # model fields the columns fill
    # the key, in words, for "repeats row N (the same …)"; None when rows may share a key, and then the
    # n-th row with a key is the n-th registry row with it
    what: Callable[[], str] | None

    def row_key(self, row: _Row) -> tuple[Any, ...]:
        values = row.values
        return (values["organization"], *(_comparable(values.get(name, OPEN_START)) for name in self.key))

    def instance_key(self, instance: Any) -> tuple[Any, ...]:
        return (instance.organization.code, *(_comparable(getattr(instance, name)) for name in self.key))


def _comparable(value: Any) -> Any:
    return _key(value) if isinstance(value, str) else value


_DEPENDENTS = {
    TransferKind.JOB_POSITIONS: _Dependent(
        JobPosition,
        ("name", "valid_from"),
        (
            "name",
            "group",
            "competencies",
            "description",
            "planned_count",
            "filled_count",
            "valid_from",
            "valid_to",
        ),
        lambda: _("body, name and start of validity"),
    ),
    TransferKind.FUNCTIONS: _Dependent(
        Function,
        ("position", "valid_from"),
        ("position", "kind", "text", "source", "valid_from", "valid_to"),
        lambda: _("body, position and start of validity"),
    ),
    TransferKind.POSTS: _Dependent(
        Post, ("title", "valid_from"), ("title", "kind", "category", "valid_from", "valid_to"), None
    ),
    TransferKind.STAFFING_QUOTAS: _Dependent(
        StaffingQuota,
        ("year", "category"),
        ("year", "category", "assigned", "decision"),
        lambda: _("body, year and staff category"),
    ),
}


def _plan_dependents(
    table: _Table, problems: _Problems, plan: _Plan, job_positions: set[tuple[str, str]]
) -> None:
    spec = _DEPENDENTS[table.sheet.kind]
    rows = [row for row in table.rows if not row.failed & {"organization", *spec.key}]
    row_keys = [spec.row_key(row) for row in rows]
    if spec.what is None:
        row_keys = _numbered(row_keys)
    else:
        _unique_keys(table, rows, problems, spec.row_key, spec.what())
    file_codes = {change.instance.code for change in plan.bodies}
    codes = sorted({row.values["organization"] for row in rows})
    registry_codes = set(_bodies_by_code(set(codes) - file_codes))
    stored: list[Any] = []
    manager = spec.model._default_manager
    for chunk in _chunks(codes):  # a body's rows all fall in one chunk, so numbering them per chunk is whole
        stored += (
            manager.filter(organization__code__in=chunk)
            .order_by("pk")
            .select_related("organization", *(("job_position",) if spec.model is Post else ()))
        )
    stored_keys = [spec.instance_key(row) for row in stored]
    existing: dict[tuple[Any, ...], Any] = {}
    for key, match in zip(_numbered(stored_keys) if spec.what is None else stored_keys, stored, strict=True):
        existing.setdefault(key, match)
    changes = plan.dependents.setdefault(table.sheet.kind, [])
    field_keys = {name: name for name in spec.fields}
    for row, row_key in zip(rows, row_keys, strict=True):
        code = row.values["organization"]
        if code not in file_codes and code not in registry_codes:
            problems.cell(table, row, "organization", _no_body(code))
        found = existing.get(row_key)
        is_new = found is None
        instance: Any = spec.model() if found is None else found
        before = _snapshot(instance, spec.fields)
        for name in spec.fields:
            if name in row.values:
                setattr(instance, name, row.values[name])
        changed = before != _snapshot(instance, spec.fields)
        references: dict[str, Any] = {"organization": code}
        if spec.model is Post and "job_position" in table.present:
            name = row.values["job_position"]
            current = instance.job_position.name if instance.job_position_id else None
            changed = changed or current != name
            if name is not None and (_key(code), _key(name)) not in job_positions:
                problems.cell(
                    table,
                    row,
                    "job_position",
                    _("no job position '%(name)s' of body '%(code)s' in the file or in the registry")
                    % {"name": name, "code": code},
                )
            references["job_position"] = name
        if error := _clean(instance, ["organization", "job_position", *row.failed]):
            problems.validation(table, row, error, field_keys)
        changes.append(_Change(instance, is_new, is_new or changed, row, references=references))


def _numbered(keys: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    """Each key with how many times it came before: (k, 0), (k, 1) … for the rows of one key."""
    seen: Counter[tuple[Any, ...]] = Counter()
    numbered = []
    for key in keys:
        numbered.append((*key, seen[key]))
        seen[key] += 1
    return numbered


def _known_job_positions(tables: dict[TransferKind, _Table], codes: Iterable[str]) -> set[tuple[str, str]]:
    known = {
        (_key(row.values["organization"]), _key(row.values["name"]))
        for row in (tables[TransferKind.JOB_POSITIONS].rows if TransferKind.JOB_POSITIONS in tables else ())
        if not row.failed & {"organization", "name"}
    }
    for chunk in _chunks(sorted(set(codes))):
        known.update(
            (_key(code), _key(name))
            for code, name in JobPosition.objects.filter(organization__code__in=chunk).values_list(
                "organization__code", "name"
            )
        )
    return known
