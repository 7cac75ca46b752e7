"""Reading an .xlsx or .csv file into raw tables of cells, one per sheet, refusing files past the limits
(size, unpacked size, rows), damaged or password-protected workbooks and uncalculated formulas."""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, time
from pathlib import Path

from django.utils.translation import gettext as _

from dondoc.registry.transfer.cells import _key, _text
from dondoc.registry.transfer.problems import RefusedFile
from dondoc.registry.transfer.schema import _SHEET_OF, SHEETS, Sheet, TransferKind

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_UNPACKED_BYTES = 200 * 1024 * 1024  # an .xlsx is a zip: refuse one that inflates past this
MAX_ROWS = 100_000  # data rows per sheet


_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # password-protected .xlsx and old .xls are OLE files


@dataclass(frozen=True, slots=True)
class _RawTable:
    sheet: Sheet
    label: str  # the sheet's name as the file writes it, or the .csv file's name
    headers: tuple[str, ...]
    rows: tuple[tuple[int, tuple[object, ...]], ...]  # (row number as Excel shows it, cells)


def _is_empty(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _nonempty_rows(rows: Iterable[Sequence[object]], label: str) -> Iterator[tuple[int, tuple[object, ...]]]:
    count = 0
    for number, cells in enumerate(rows, start=1):
        if all(_is_empty(cell) for cell in cells):
            continue
        count += 1
        if count > MAX_ROWS + 1:  # + the header row
            raise RefusedFile(
                _("%(sheet)s: more than %(limit)s data rows (the limit per sheet)")
                % {"sheet": label, "limit": MAX_ROWS}
            )
        yield number, tuple(cells)


def _table(sheet: Sheet, label: str, rows: Iterable[Sequence[object]]) -> _RawTable:
    found = list(_nonempty_rows(rows, label))
    if not found:
        raise RefusedFile(_("%(sheet)s: the sheet is empty") % {"sheet": label})
    (_number, header), data = found[0], found[1:]
    if not data:
        raise RefusedFile(_("%(sheet)s: the sheet has a header row but no data rows") % {"sheet": label})
    return _RawTable(sheet, label, tuple("" if cell is None else _text(cell) for cell in header), tuple(data))


def _sheet_for_headers(headers: Sequence[str]) -> Sheet | None:
    """The one kind whose columns are exactly what a header row names (required ones all there)."""
    given = {_key(header) for header in headers if header}
    fitting = []
    for sheet in SHEETS:
        accepted = {_key(name) for column in sheet.columns for name in (column.header, *column.other_headers)}
        required = [column for column in sheet.columns if column.required]
        has_required = all(
            any(_key(name) in given for name in (column.header, *column.other_headers)) for column in required
        )
        if given <= accepted and has_required:
            fitting.append(sheet)
    return fitting[0] if len(fitting) == 1 else None


def _read_file(*, path: Path, kind: TransferKind | None = None) -> list[_RawTable]:
    """The tables of an .xlsx or .csv file, in writing order; raises RefusedFile when it cannot be read."""
    suffix = path.suffix.lower()
    if suffix not in (".xlsx", ".csv"):
        raise RefusedFile(_("'%(name)s' is not an .xlsx or .csv file") % {"name": path.name})
    try:
        size = path.stat().st_size
    except OSError:
        raise RefusedFile(_("the file '%(name)s' cannot be opened") % {"name": path}) from None
    if size > MAX_FILE_BYTES:
        raise RefusedFile(
            _("the file is larger than %(limit)s MB (the limit)") % {"limit": MAX_FILE_BYTES // (1024 * 1024)}
        )
    try:
        return _read_csv(path, kind) if suffix == ".csv" else _read_xlsx(path, kind)
    except OSError:
        raise RefusedFile(_("the file '%(name)s' cannot be opened") % {"name": path}) from None


def _read_csv(path: Path, kind: TransferKind | None) -> list[_RawTable]:
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise RefusedFile(_("the .csv file is not UTF-8 text; save it as 'CSV UTF-8'")) from None
    first_line = text.split("\n", 1)[0]
    # Excel in a vi-VN locale separates with ';' (the comma is the decimal separator there)
    delimiter = max((",", ";", "\t"), key=first_line.count)
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as error:
        raise RefusedFile(_("the .csv file is damaged: %(error)s") % {"error": error}) from None
    header = next((row for row in rows if any(cell.strip() for cell in row)), [])
    sheet = _SHEET_OF[kind] if kind else _sheet_for_headers([_text(cell) for cell in header])
    if sheet is None:
        if not header:
            raise RefusedFile(_("%(sheet)s: the sheet is empty") % {"sheet": path.name})
        raise RefusedFile(
            _("cannot tell from the header row what the .csv file holds; give the kind (one of: %(kinds)s)")
            % {"kinds": ", ".join(s.kind.value for s in SHEETS)}
        )
    return [_table(sheet, path.name, rows)]


def _read_xlsx(path: Path, kind: TransferKind | None) -> list[_RawTable]:
    with path.open("rb") as stream:
        magic = stream.read(8)
    if magic == _OLE_MAGIC:
        raise RefusedFile(
            _(
                "the file is password-protected or an old .xls workbook; "
                "save it as an .xlsx workbook without a password"
            )
        )
    try:
        with zipfile.ZipFile(path) as archive:
            if sum(member.file_size for member in archive.infolist()) > MAX_UNPACKED_BYTES:
                raise RefusedFile(
                    _("the workbook unpacks to more than %(limit)s MB (the limit)")
                    % {"limit": MAX_UNPACKED_BYTES // (1024 * 1024)}
                )
            has_formulas = any(
                b"<f>" in part or b"<f " in part
                for name in archive.namelist()
                if name.startswith("xl/worksheets/") and name.endswith(".xml")
                for part in (archive.read(name),)
            )
        import openpyxl  # here, not with the module: every web process imports it, few read a workbook

        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except RefusedFile:
        raise
    except Exception as error:  # a damaged part raises whatever openpyxl's XML parser raises
        raise RefusedFile(_("the file is damaged or is not an .xlsx workbook")) from error
    try:
        names = {_key(name): name for name in workbook.sheetnames}
        wanted = [_SHEET_OF[kind]] if kind else [sheet for sheet in SHEETS if _key(sheet.title) in names]
        if kind is None:
            unknown = [name for key, name in names.items() if key not in {_key(s.title) for s in SHEETS}]
            if unknown:
                raise RefusedFile(
                    _("unknown sheets: %(sheets)s; a workbook holds the sheets %(accepted)s")
                    % {"sheets": ", ".join(f"'{n}'" for n in unknown), "accepted": _sheet_titles()}
                )
        missing = [sheet for sheet in wanted if _key(sheet.title) not in names]
        if missing or not wanted:
            raise RefusedFile(
                _("the workbook has no sheet named %(sheets)s")
                % {"sheets": ", ".join(f"'{s.title}'" for s in missing) if missing else _sheet_titles()}
            )
        tables = []
        for sheet in wanted:
            label = names[_key(sheet.title)]
            tables.append(_table(sheet, label, workbook[label].iter_rows(values_only=True)))
    except RefusedFile:
        raise
    except Exception as error:  # rows are parsed as they are read: a damaged sheet fails here
        raise RefusedFile(_("the file is damaged or is not an .xlsx workbook")) from error
    finally:
        workbook.close()
    if has_formulas:
        _refuse_uncached_formulas(path, tables)
    return tables


def _sheet_titles() -> str:
    return ", ".join(f"'{sheet.title}'" for sheet in SHEETS)


def _refuse_uncached_formulas(path: Path, tables: list[_RawTable]) -> None:
    """A formula cell that was never calculated (the file was not saved by Excel) reads as empty: say so."""
    import openpyxl

    workbook = openpyxl.load_workbook(path, read_only=True, data_only=False)  # read once already: not damaged
    try:
        for table in tables:
            cached = dict(table.rows)
            for number, cells in enumerate(workbook[table.label].iter_rows(values_only=True), start=1):
                for index, cell in enumerate(cells):
                    is_formula = (isinstance(cell, str) and cell.startswith("=")) or not isinstance(
                        cell, (str, int, float, date, time, type(None))
                    )
                    row = cached.get(number, ())
                    if is_formula and (index >= len(row) or _is_empty(row[index])):
                        raise RefusedFile(
                            _(
                                "%(sheet)s, row %(row)s: a formula has no saved value; "
                                "open the file in Excel, save it and import it again"
                            )
                            % {"sheet": table.label, "row": number}
                        )
    finally:
        workbook.close()
