"""Parsing a raw table: matching its headers to the sheet's columns and each cell to its value, and
collecting every problem found on the way (the import reports them all at once)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from dondoc.registry.transfer.cells import CellError, _key
from dondoc.registry.transfer.problems import ImportProblem
from dondoc.registry.transfer.reading import _is_empty, _RawTable
from dondoc.registry.transfer.schema import Sheet

_EXCEL_ERRORS = frozenset(
    {"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA"}
)


@dataclass(slots=True)
class _Row:
    number: int
    values: dict[str, Any]  # column key → parsed value (the column's empty value for an empty cell)
    failed: set[str] = field(default_factory=set)  # column keys whose cell could not be read


@dataclass(frozen=True, slots=True)
class _Table:
    sheet: Sheet
    label: str
    present: frozenset[str]  # keys of the columns the file has
    rows: tuple[_Row, ...]


class _Problems:
    def __init__(self) -> None:
        self.items: list[ImportProblem] = []

    def cell(self, table: _Table, row: _Row, key: str, message: str) -> None:
        row.failed.add(key)
        self.items.append(ImportProblem(message, table.label, row.number, table.sheet.column(key).header))

    def row(self, table: _Table, row: _Row, message: str) -> None:
        self.items.append(ImportProblem(message, table.label, row.number))

    def validation(self, table: _Table, row: _Row, error: ValidationError, fields: dict[str, str]) -> None:
        for name, messages in error.message_dict.items():
            for message in messages:
                if name in fields:
                    self.cell(table, row, fields[name], message)
                else:
                    self.row(table, row, message)


def _parse_table(raw: _RawTable, problems: _Problems) -> _Table | None:
    sheet = raw.sheet
    by_header = {
        _key(name): column for column in sheet.columns for name in (column.header, *column.other_headers)
    }
    positions: dict[str, int] = {}
    unknown, repeated = [], []
    for index, header in enumerate(raw.headers):
        if not header:
            continue
        column = by_header.get(_key(header))
        if column is None:
            unknown.append(header)
        elif column.key in positions:
            repeated.append(header)
        else:
            positions[column.key] = index
    missing = [column.header for column in sheet.columns if column.required and column.key not in positions]
    if unknown:
        problems.items.append(
            ImportProblem(
                _("unknown columns: %(columns)s; the columns of this sheet are: %(accepted)s")
                % {
                    "columns": ", ".join(f"'{h}'" for h in unknown),
                    "accepted": ", ".join(f"'{c.header}'" for c in sheet.columns),
                },
                raw.label,
            )
        )
    if repeated:
        problems.items.append(
            ImportProblem(
                _("columns given twice: %(columns)s") % {"columns": ", ".join(f"'{h}'" for h in repeated)},
                raw.label,
            )
        )
    if missing:
        problems.items.append(
            ImportProblem(
                _("missing columns: %(columns)s") % {"columns": ", ".join(f"'{h}'" for h in missing)},
                raw.label,
            )
        )
    named = {index for index, header in enumerate(raw.headers) if header}
    unnamed = sorted(
        {
            index
            for _number, cells in raw.rows
            for index, cell in enumerate(cells)
            if index not in named and not _is_empty(cell)
        }
    )
    if unnamed:
        from openpyxl.utils import get_column_letter  # openpyxl only on this rare path, not in every process

        problems.items.append(
            ImportProblem(
                _("columns with values but no header: %(columns)s")
                % {"columns": ", ".join(get_column_letter(index + 1) for index in unnamed)},
                raw.label,
            )
        )
    if unknown or repeated or missing or unnamed:
        return None
    table = _Table(
        sheet, raw.label, frozenset(positions), tuple(_Row(number, {}) for number, _cells in raw.rows)
    )
    columns = [(sheet.column(key), index) for key, index in positions.items()]
    for row, (_number, cells) in zip(table.rows, raw.rows, strict=True):
        for column, index in columns:
            value = cells[index] if index < len(cells) else None
            if isinstance(value, str) and value.strip() in _EXCEL_ERRORS:
                problems.cell(
                    table, row, column.key, _("the cell holds the error '%(value)s'") % {"value": value}
                )
            elif _is_empty(value):
                if column.required:
                    problems.cell(table, row, column.key, _("a value is required"))
                else:
                    # a fresh list per row: rows must not share one mutable default
                    row.values[column.key] = (
                        list(column.empty) if isinstance(column.empty, list) else column.empty
                    )
            else:
                try:
                    row.values[column.key] = column.parse(value)
                except CellError as error:
                    problems.cell(table, row, column.key, str(error))
    return table
