"""The import service: read, parse and plan the whole file, then write all of it in one transaction or
nothing, and report the counts or every problem."""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path

from django.db import DatabaseError, transaction
from django.utils.translation import gettext as _

from dondoc.registry.models import Organization
from dondoc.registry.transfer.cells import _key
from dondoc.registry.transfer.planning import _known_job_positions, _Plan, _plan_bodies, _plan_dependents
from dondoc.registry.transfer.problems import ImportProblem, ImportResult, KindCounts, RefusedFile
from dondoc.registry.transfer.reading import _read_file
from dondoc.registry.transfer.rows import _parse_table, _Problems, _Table
from dondoc.registry.transfer.schema import SHEETS, TransferKind
from dondoc.registry.transfer.writing import _write_bodies, _write_dependents


def import_registry_file(
    *,
    path: Path,
    kind: TransferKind | None = None,
    dry_run: bool = False,
    territory_ids: Collection[int] | None = None,
) -> ImportResult:
    """Validate every row of the file, then write all of it in one transaction, or nothing if any row fails.

    A dry run writes too, inside the transaction, and rolls back: it finds what the real run would.
    With `territory_ids` (a monitor's jurisdiction and below), every row must concern a body of those
    territories, before and after: a body outside them is a problem of its row, like any other.
    """
    try:
        raw_tables = _read_file(path=path, kind=kind)
    except RefusedFile as refusal:
        return ImportResult({}, (ImportProblem(str(refusal)),), dry_run)
    problems = _Problems()
    tables = {
        raw.sheet.kind: table for raw in raw_tables if (table := _parse_table(raw, problems)) is not None
    }
    if len(tables) != len(raw_tables):
        return ImportResult({}, tuple(problems.items), dry_run)
    plan = _Plan()
    if TransferKind.BODIES in tables:
        _plan_bodies(tables[TransferKind.BODIES], problems, plan)
    referenced = {
        row.values["organization"]
        for kind_, table in tables.items()
        if kind_ is not TransferKind.BODIES
        for row in table.rows
        if "organization" not in row.failed
    }
    job_positions = _known_job_positions(tables, referenced) if TransferKind.POSTS in tables else set()
    for kind_, table in tables.items():
        if kind_ is not TransferKind.BODIES:
            _plan_dependents(table, problems, plan, job_positions)
    if territory_ids is not None:
        _keep_within(plan, tables, problems, frozenset(territory_ids))
    counts = _counts(plan)
    if problems.items:
        return ImportResult(counts, tuple(sorted(problems.items, key=_problem_order)), dry_run)
    try:
        with transaction.atomic():
            # the change history says where each change came from
            reason = _("imported from %(name)s") % {"name": path.name}
            body_ids = _write_bodies(plan, reason)
            for kind_ in (sheet.kind for sheet in SHEETS):
                if kind_ in plan.dependents:
                    _write_dependents(kind_, plan.dependents[kind_], body_ids, reason)
            if dry_run:
                transaction.set_rollback(True)
    except DatabaseError as error:
        problem = ImportProblem(_("the database refused the change: %(error)s") % {"error": error})
        return ImportResult(counts, (problem,), dry_run)
    return ImportResult(counts, (), dry_run)


def _keep_within(
    plan: _Plan, tables: dict[TransferKind, _Table], problems: _Problems, territories: frozenset[int]
) -> None:
    """A problem on each row whose body lies (or would lie, or lies now) outside the territories. A body
    without a territory of its own lies where its parent does."""
    in_file = {change.instance.code: change for change in plan.bodies}
    codes = {code for change in plan.bodies for code in (change.instance.code, change.references["parent"])}
    codes |= {change.references["organization"] for changes in plan.dependents.values() for change in changes}
    registry: dict[str, tuple[int | None, int | None]] = {
        code: (jurisdiction, parent)
        for code, jurisdiction, parent in Organization.objects.filter(code__in=codes - {None}).values_list(
            "code", "jurisdiction_id", "parent__jurisdiction_id"
        )
    }

    def where_now(code: str | None) -> int | None:
        jurisdiction, parent_jurisdiction = registry.get(code or "", (None, None))
        return jurisdiction if jurisdiction is not None else parent_jurisdiction

    def where(code: str | None) -> int | None:
        """The territory of a body after the import: the file's row, else the registry."""
        change = in_file.get(code or "")
        if change is not None:
            own: int | None = change.references["jurisdiction"]
            return own if own is not None else where(change.references["parent"])
        return where_now(code)

    outside = _("%(code)s is outside your jurisdiction: you may import only its bodies.")
    for change in plan.bodies:
        code = change.instance.code
        if "code" in change.row.failed:
            continue
        if where(code) not in territories or (code in registry and where_now(code) not in territories):
            problems.cell(tables[TransferKind.BODIES], change.row, "code", outside % {"code": code})
    for kind, changes in plan.dependents.items():
        for change in changes:
            code = change.references["organization"]
            if "organization" not in change.row.failed and where(code) not in territories:
                problems.cell(tables[kind], change.row, "organization", outside % {"code": code})


def _counts(plan: _Plan) -> dict[TransferKind, KindCounts]:
    counts: dict[TransferKind, KindCounts] = {}
    for kind, changes in ((TransferKind.BODIES, plan.bodies), *plan.dependents.items()):
        if kind is TransferKind.BODIES and not changes:
            continue
        created = sum(change.is_new for change in changes)
        updated = sum(change.is_changed and not change.is_new for change in changes)
        counts[kind] = KindCounts(created, updated, len(changes) - created - updated)
    return counts


def _problem_order(problem: ImportProblem) -> tuple[int, str, int, int]:
    """Sheets in writing order, then rows, then columns as the sheet lays them out."""
    for order, sheet in enumerate(SHEETS):
        if _key(sheet.title) == _key(problem.sheet):
            headers = [column.header for column in sheet.columns]
            column = headers.index(problem.column) + 1 if problem.column in headers else 0
            return order, problem.sheet, problem.row or 0, column
    return len(SHEETS), problem.sheet, problem.row or 0, 0
