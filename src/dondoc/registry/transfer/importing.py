"""The import service: read, parse and plan the whole file, then write all of it in one transaction or
nothing, and report the counts or every problem."""

from __future__ import annotations

from pathlib import Path

from django.db import DatabaseError, transaction
from django.utils.translation import gettext as _

from dondoc.registry.transfer.cells import _key
from dondoc.registry.transfer.planning import _known_job_positions, _Plan, _plan_bodies, _plan_dependents
from dondoc.registry.transfer.problems import ImportProblem, ImportResult, KindCounts, RefusedFile
from dondoc.registry.transfer.reading import _read_file
from dondoc.registry.transfer.rows import _parse_table, _Problems
from dondoc.registry.transfer.schema import SHEETS, TransferKind
from dondoc.registry.transfer.writing import _write_bodies, _write_dependents


def import_registry_file(
    *, path: Path, kind: TransferKind | None = None, dry_run: bool = False
) -> ImportResult:
    """Validate every row of the file, then write all of it in one transaction, or nothing if any row fails.

    A dry run writes too, inside the transaction, and rolls back: it finds what the real run would.
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
