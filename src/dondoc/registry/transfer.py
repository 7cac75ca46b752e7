"""Import and export of the registry as .xlsx workbooks and .csv files, all or nothing.

A workbook holds one sheet per kind of row ("Cơ quan", "Chức năng", "Chức vụ", "Biên chế", "Vị trí việc
làm"); a .csv file holds one kind. Headers and enumeration values are Vietnamese and are matched on folded
text ("MÃ CƠ QUAN", "Ma co quan"), in any column order; the code values of enumerations are accepted too.

Upsert keys (a row whose key exists updates that row; any other row is created):
- bodies: Mã (the body's code);
- functions: (Mã cơ quan, Thứ tự, Hiệu lực từ), job positions: (Mã cơ quan, Tên, Hiệu lực từ) — the start
  of validity is part of the key so that every version of an item round-trips; a version ends by filling in
  its Hiệu lực đến;
- posts: (Mã cơ quan, Chức danh, Hiệu lực từ) and the row's place among the rows with that key: a body has
  several posts of one title (three Phó Giám đốc), so the n-th such row is the n-th such post (by id);
- staffing quotas: (Mã cơ quan, Năm, Đối tượng).
A column left out of the file leaves that field of existing rows as it is; an alias column that is present
is the whole list of the body's aliases of that kind (aliases not listed are removed). Bodies name their
parent by code, in the file (any row order) or in the registry; Mã địa bàn names a jurisdiction already in
the registry (jurisdictions are not imported).

Every row is validated (cells, references, duplicates, the models' own clean()) before anything is written;
if any row fails, nothing is written and every problem is returned, each with its row as Excel numbers it.
Refused outright: other file types, password-protected or damaged workbooks, files over MAX_FILE_BYTES
(20 MB) or unpacking past MAX_UNPACKED_BYTES (200 MB), sheets over MAX_ROWS (100,000) data rows, empty
sheets, and formulas without a saved value.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import Any

import openpyxl
from django.core.exceptions import ValidationError
from django.db import DatabaseError, models, transaction
from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from dondoc.registry.models import (
    OPEN_END,
    OPEN_START,
    AliasKind,
    Function,
    FunctionKind,
    JobPosition,
    JobPositionGroup,
    Jurisdiction,
    Level,
    Organization,
    OrganizationAlias,
    OrganizationKind,
    Post,
    PostKind,
    StaffCategory,
    StaffingQuota,
)
from dondoc.text import fold, nfc

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_UNPACKED_BYTES = 200 * 1024 * 1024  # an .xlsx is a zip: refuse one that inflates past this
MAX_ROWS = 100_000  # data rows per sheet
_BATCH = 500  # rows per INSERT/UPDATE and per IN (…) lookup, below SQLite's variable limit
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # password-protected .xlsx and old .xls are OLE files
_EXCEL_ERRORS = frozenset(
    {"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA"}
)


class TransferKind(StrEnum):
    BODIES = "bodies"
    JOB_POSITIONS = "job_positions"
    FUNCTIONS = "functions"
    POSTS = "posts"
    STAFFING_QUOTAS = "staffing_quotas"


def _key(text: str) -> str:
    """Folded words only, so 'Sở, ban, ngành', 'so ban nganh' and 'SO-BAN-NGANH' meet."""
    return " ".join(re.findall(r"[a-z0-9]+", fold(text)))


# ---------------------------------------------------------------- enumerations


@dataclass(frozen=True, slots=True)
class Choices:
    """The Vietnamese spellings accepted for an enumeration; the first one of each value is exported."""

    enum: type[models.TextChoices]
    spellings: tuple[tuple[str, tuple[str, ...]], ...]

    def label(self, value: str) -> str:
        return dict(self.spellings)[value][0]

    def parse(self, value: str) -> str:
        found = _choice_lookup(self).get(_key(value))
        if found is None:
            raise CellError(
                _("value '%(value)s' is not valid; choose one of: %(choices)s")
                % {"value": value, "choices": "; ".join(spellings[0] for _value, spellings in self.spellings)}
            )
        return found


@cache
def _choice_lookup(choices: Choices) -> dict[str, str]:
    lookup: dict[str, str] = {}
    with translation.override("vi"):
        for value, label in choices.enum.choices:
            # the catalogue's Vietnamese label and the code value are accepted as well as ours
            for spelling in (*dict(choices.spellings)[value], str(value), str(label)):
                lookup.setdefault(_key(spelling), str(value))
    return lookup


LEVELS = Choices(
    Level,
    (
        (Level.CENTRAL, ("trung ương", "cấp trung ương")),
        (Level.PROVINCE, ("cấp tỉnh", "tỉnh")),
        (Level.DISTRICT, ("cấp huyện", "huyện")),
        (Level.COMMUNE, ("cấp xã", "xã")),
    ),
)
ORGANIZATION_KINDS = Choices(
    OrganizationKind,
    (
        (OrganizationKind.PARTY_COMMITTEE, ("cấp ủy", "cấp ủy đảng", "đảng ủy")),
        (OrganizationKind.STANDING_BOARD, ("Ban Thường vụ",)),
        (OrganizationKind.STANDING_OFFICE, ("Thường trực",)),
        (OrganizationKind.PARTY_ADVISORY_BODY, ("cơ quan tham mưu, giúp việc cấp ủy", "ban đảng")),
        (OrganizationKind.PARTY_DELEGATION, ("Đảng đoàn",)),
        (OrganizationKind.PARTY_AFFAIRS_COMMITTEE, ("Ban cán sự đảng",)),
        (OrganizationKind.PARTY_BLOC_COMMITTEE, ("Đảng ủy khối",)),
        (OrganizationKind.INSPECTION_COMMISSION, ("Ủy ban Kiểm tra",)),
        (OrganizationKind.PEOPLES_COUNCIL, ("Hội đồng nhân dân", "HĐND")),
        (OrganizationKind.PEOPLES_COMMITTEE, ("Ủy ban nhân dân", "UBND")),
        (OrganizationKind.DEPARTMENT, ("Sở, ban, ngành", "sở", "cơ quan chuyên môn")),
        (OrganizationKind.PUBLIC_SERVICE_UNIT, ("đơn vị sự nghiệp công lập", "đơn vị sự nghiệp")),
        (OrganizationKind.FATHERLAND_FRONT, ("Mặt trận Tổ quốc", "Ủy ban MTTQ", "MTTQ")),
        (OrganizationKind.SOCIO_POLITICAL_ORGANIZATION, ("tổ chức chính trị - xã hội",)),
        (OrganizationKind.MASS_ASSOCIATION, ("hội quần chúng",)),
        (OrganizationKind.JUDICIAL_BODY, ("Tòa án, Viện kiểm sát", "tòa án", "viện kiểm sát")),
        (OrganizationKind.INTERNAL_UNIT, ("đơn vị trực thuộc", "phòng, ban trực thuộc")),
        (OrganizationKind.OTHER, ("khác", "cơ quan khác")),
    ),
)
STAFF_CATEGORIES = Choices(
    StaffCategory,
    (
        (StaffCategory.CADRE_CIVIL_SERVANT, ("cán bộ, công chức",)),
        (StaffCategory.PUBLIC_EMPLOYEE, ("viên chức",)),
        (StaffCategory.CONTRACT, ("hợp đồng lao động", "lao động hợp đồng")),
        (StaffCategory.PART_TIME, ("người hoạt động không chuyên trách", "không chuyên trách")),
    ),
)
FUNCTION_KINDS = Choices(
    FunctionKind,
    (
        (FunctionKind.FUNCTION, ("chức năng",)),
        (FunctionKind.DUTY, ("nhiệm vụ",)),
        (FunctionKind.POWER, ("quyền hạn",)),
    ),
)
JOB_POSITION_GROUPS = Choices(
    JobPositionGroup,
    (
        (JobPositionGroup.LEADERSHIP, ("lãnh đạo, quản lý",)),
        (JobPositionGroup.PROFESSIONAL, ("chuyên môn, nghiệp vụ",)),
        (JobPositionGroup.SUPPORT, ("hỗ trợ, phục vụ",)),
    ),
)
POST_KINDS = Choices(
    PostKind,
    (
        (PostKind.HEAD, ("cấp trưởng",)),
        (PostKind.DEPUTY, ("cấp phó",)),
        (PostKind.MEMBER, ("ủy viên", "thành viên")),
        (PostKind.STAFF, ("công chức, nhân viên", "nhân viên")),
    ),
)


# ---------------------------------------------------------------- cells


class CellError(Exception):
    """A cell's value cannot be read; the message is for the user."""


def _text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime) and value.time() == time(0):
        return f"{value:%d/%m/%Y}"
    return nfc(str(value)).strip()


def _integer(value: object) -> int:
    if isinstance(value, bool):
        raise CellError(_("'%(value)s' is not a whole number of 0 or more") % {"value": value})
    if isinstance(value, int):
        number = value
    elif isinstance(value, float) and value.is_integer():
        number = int(value)
    elif isinstance(value, str) and value.strip().isdigit():
        number = int(value.strip())
    else:
        raise CellError(_("'%(value)s' is not a whole number of 0 or more") % {"value": _text(value)})
    if number < 0:
        raise CellError(_("'%(value)s' is not a whole number of 0 or more") % {"value": number})
    return number


_DAY_MONTH_YEAR = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})")
_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:[ T]00:00(?::00)?)?")


def _date(value: object) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = _text(value)
    try:
        if match := _DAY_MONTH_YEAR.fullmatch(text):
            return date(int(match[3]), int(match[2]), int(match[1]))
        if match := _ISO_DATE.fullmatch(text):
            return date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        pass
    raise CellError(_("'%(value)s' is not a date; write it as dd/mm/yyyy") % {"value": text})


_YES = {"x", "có", "co", "1", "true", "yes", "đúng"}
_NO = {"", "không", "khong", "0", "false", "no", "sai"}


def _yes_no(value: object) -> bool:
    if isinstance(value, bool):
        return value
    text = _text(value).lower()
    if text in _YES or text in _NO:
        return text in _YES
    raise CellError(
        _("'%(value)s' is neither yes (x, có) nor no (không, or empty)") % {"value": _text(value)}
    )


def _names(value: object) -> list[str]:
    return [name for part in _text(value).split(";") if (name := part.strip())]


def _choice(choices: Choices) -> Callable[[object], str]:
    return lambda value: choices.parse(_text(value))


# ---------------------------------------------------------------- sheets and columns


@dataclass(frozen=True, slots=True)
class Column:
    key: str  # the model field it fills, or a reference resolved by code (parent, organization …)
    header: str
    parse: Callable[[object], Any]
    required: bool = False
    other_headers: tuple[str, ...] = ()
    empty: Any = ""  # the value of an empty cell


@dataclass(frozen=True, slots=True)
class Sheet:
    kind: TransferKind
    title: str
    columns: tuple[Column, ...]

    def column(self, key: str) -> Column:
        return next(column for column in self.columns if column.key == key)


_VALID_FROM = Column("valid_from", "Hiệu lực từ", _date, empty=OPEN_START)
_VALID_TO = Column("valid_to", "Hiệu lực đến", _date, empty=OPEN_END)
_BODY_CODE = Column("organization", "Mã cơ quan", _text, required=True, other_headers=("Mã",))

BODIES = Sheet(
    TransferKind.BODIES,
    "Cơ quan",
    (
        Column("code", "Mã", _text, required=True, other_headers=("Mã cơ quan",)),
        Column("name", "Tên", _text, required=True, other_headers=("Tên cơ quan",)),
        Column("short_name", "Tên viết tắt", _text),
        Column("alternative", "Tên gọi khác", _names, empty=[]),
        Column("abbreviation", "Tên viết tắt khác", _names, empty=[]),
        Column("former", "Tên cũ", _names, empty=[]),
        Column("kind", "Loại", _choice(ORGANIZATION_KINDS), required=True, other_headers=("Loại cơ quan",)),
        Column("level", "Cấp", _choice(LEVELS), required=True),
        Column("parent", "Mã cơ quan cấp trên", _text, empty=None),
        Column("jurisdiction", "Mã địa bàn", _text, empty=None),
        Column("outside_jurisdiction", "Ngoài địa bàn", _yes_no, empty=False),
        _VALID_FROM,
        _VALID_TO,
    ),
)
JOB_POSITIONS = Sheet(
    TransferKind.JOB_POSITIONS,
    "Vị trí việc làm",
    (
        _BODY_CODE,
        Column("name", "Tên", _text, required=True, other_headers=("Tên vị trí việc làm", "Vị trí việc làm")),
        Column("group", "Nhóm", _choice(JOB_POSITION_GROUPS), required=True, other_headers=("Nhóm vị trí",)),
        Column("competencies", "Khung năng lực", _names, empty=[]),
        Column("description", "Bản mô tả", _text, other_headers=("Mô tả",)),
        Column("planned_count", "Số lượng dự kiến", _integer, empty=1),
        Column("filled_count", "Số lượng hiện có", _integer, empty=0),
        _VALID_FROM,
        _VALID_TO,
    ),
)
FUNCTIONS = Sheet(
    TransferKind.FUNCTIONS,
    "Chức năng",
    (
        _BODY_CODE,
        Column("position", "Thứ tự", _integer, required=True, other_headers=("STT", "Số thứ tự")),
        Column("kind", "Loại", _choice(FUNCTION_KINDS), empty=FunctionKind.DUTY),
        Column("text", "Nội dung", _text, required=True),
        Column("source", "Căn cứ", _text, other_headers=("Căn cứ pháp lý",)),
        _VALID_FROM,
        _VALID_TO,
    ),
)
POSTS = Sheet(
    TransferKind.POSTS,
    "Chức vụ",
    (
        _BODY_CODE,
        Column("title", "Chức danh", _text, required=True, other_headers=("Chức vụ",)),
        Column("kind", "Loại", _choice(POST_KINDS), required=True),
        Column("category", "Đối tượng", _choice(STAFF_CATEGORIES), empty=StaffCategory.CADRE_CIVIL_SERVANT),
        Column("job_position", "Vị trí việc làm", _text, empty=None),
        _VALID_FROM,
        _VALID_TO,
    ),
)
STAFFING_QUOTAS = Sheet(
    TransferKind.STAFFING_QUOTAS,
    "Biên chế",
    (
        _BODY_CODE,
        Column("year", "Năm", _integer, required=True),
        Column("category", "Đối tượng", _choice(STAFF_CATEGORIES), required=True),
        Column("assigned", "Biên chế được giao", _integer, required=True, other_headers=("Số được giao",)),
        Column("decision", "Quyết định giao", _text, other_headers=("Quyết định",)),
    ),
)
# in the order they are written: a sheet refers only to sheets before it
SHEETS: tuple[Sheet, ...] = (BODIES, JOB_POSITIONS, FUNCTIONS, POSTS, STAFFING_QUOTAS)
_SHEET_OF = {sheet.kind: sheet for sheet in SHEETS}


def parse_kind(text: str) -> TransferKind:
    """A kind named by its code value ('bodies') or its sheet title ('Cơ quan', 'co quan')."""
    for sheet in SHEETS:
        if _key(text) in (_key(sheet.kind.value), _key(sheet.title)):
            return sheet.kind
    raise ValueError(
        _("unknown kind '%(kind)s'; choose one of: %(kinds)s")
        % {"kind": text, "kinds": ", ".join(f"{sheet.kind.value} ({sheet.title})" for sheet in SHEETS)}
    )


# ---------------------------------------------------------------- problems and results


@dataclass(frozen=True, slots=True)
class ImportProblem:
    """Why a file, a sheet, a row or a cell cannot be imported."""

    message: str
    sheet: str = ""
    row: int | None = None
    column: str = ""

    def __str__(self) -> str:
        where = {"sheet": self.sheet, "row": self.row, "column": self.column, "message": self.message}
        if self.row is not None and self.column:
            return _("%(sheet)s, row %(row)s, column '%(column)s': %(message)s") % where
        if self.row is not None:
            return _("%(sheet)s, row %(row)s: %(message)s") % where
        if self.sheet:
            return _("%(sheet)s: %(message)s") % where
        return self.message


@dataclass(frozen=True, slots=True)
class KindCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass(frozen=True, slots=True)
class ImportResult:
    counts: dict[TransferKind, KindCounts]
    errors: tuple[ImportProblem, ...]
    dry_run: bool

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass(frozen=True, slots=True)
class ExportSummary:
    path: Path
    counts: dict[TransferKind, int]


class RefusedFile(Exception):
    """The file as a whole cannot be read; the message is for the user."""


class ExportRefused(Exception):
    """The export cannot be written as asked; the message is for the user."""


# ---------------------------------------------------------------- reading


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
                "the file is password-protected or an old .xls workbook; save it as an .xlsx workbook without a password"
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
                                "%(sheet)s, row %(row)s: a formula has no saved value; open the file in Excel, "
                                "save it and import it again"
                            )
                            % {"sheet": table.label, "row": number}
                        )
    finally:
        workbook.close()


# ---------------------------------------------------------------- parsing rows


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


# ---------------------------------------------------------------- planning


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


# ---------------------------------------------------------------- writing


def _write_bodies(plan: _Plan, reason: str) -> dict[str, int]:
    """Bodies parent-first, a generation at a time, so each parent has its id before its children."""
    ids = {
        code: body.pk
        for code, body in _bodies_by_code(
            {change.references["parent"] for change in plan.bodies} - {None}
        ).items()
    }
    depth: dict[str, int] = {}

    def depth_of(code: str) -> int:
        if code not in depth:
            parent = plan.body_parents.get(code)
            depth[code] = depth_of(parent) + 1 if parent in plan.body_parents and parent is not None else 0
        return depth[code]

    generations: dict[int, list[_Change]] = defaultdict(list)
    for change in plan.bodies:
        generations[depth_of(change.instance.code)].append(change)
    for generation in sorted(generations):
        created, updated = [], []
        for change in generations[generation]:
            body = change.instance
            parent = change.references["parent"]
            body.parent_id = ids[parent] if parent is not None else None
            body.jurisdiction_id = change.references["jurisdiction"]
            body.folded_name = fold(body.name)  # bulk writes skip Organization.save()
            if change.is_new:
                created.append(body)
            elif change.is_changed:
                updated.append(body)
        for body in bulk_create_with_history(
            created, Organization, batch_size=_BATCH, default_change_reason=reason
        ):
            ids[body.code] = body.pk
        if updated:
            bulk_update_with_history(
                updated,
                Organization,
                [*_BODY_FIELDS, "parent", "jurisdiction", "folded_name"],
                batch_size=_BATCH,
                default_change_reason=reason,
            )
        ids.update((change.instance.code, change.instance.pk) for change in generations[generation])
    _write_aliases(plan, ids, reason)
    return ids


def _write_aliases(plan: _Plan, ids: dict[str, int], reason: str) -> None:
    changes = [change for change in plan.bodies if change.is_changed and change.aliases]
    body_ids = [ids[change.instance.code] for change in changes]
    existing: dict[int, list[OrganizationAlias]] = defaultdict(list)
    for chunk in _chunks(body_ids):
        for alias in OrganizationAlias.objects.filter(organization_id__in=chunk):
            existing[alias.organization_id].append(alias)
    stale, kept, new = [], [], []
    for change, body_id in zip(changes, body_ids, strict=True):
        wanted = {
            fold(text): (text, _ALIAS_COLUMNS[column])
            for column, texts in change.aliases.items()
            for text in texts
        }
        managed = {_ALIAS_COLUMNS[column] for column in change.aliases}
        for alias in existing[body_id]:
            if fold(alias.text) in wanted:
                text, kind = wanted.pop(fold(alias.text))
                if (alias.text, alias.kind) != (text, kind):
                    alias.text, alias.kind = text, kind
                    kept.append(alias)
            elif alias.kind in managed:
                stale.append(alias.pk)
        new += [
            OrganizationAlias(organization_id=body_id, text=text, kind=kind, folded=folded)
            for folded, (text, kind) in wanted.items()
        ]
    for chunk in _chunks(stale):
        for alias in OrganizationAlias.objects.filter(pk__in=chunk):
            alias._change_reason = reason  # type: ignore[attr-defined]  # simple_history reads it
            alias.delete()  # one by one, so the change history records each removal
    if kept:
        bulk_update_with_history(
            kept, OrganizationAlias, ["text", "kind"], batch_size=_BATCH, default_change_reason=reason
        )
    bulk_create_with_history(new, OrganizationAlias, batch_size=_BATCH, default_change_reason=reason)


def _write_dependents(
    kind: TransferKind, changes: list[_Change], body_ids: dict[str, int], reason: str
) -> None:
    spec = _DEPENDENTS[kind]
    missing = {change.references["organization"] for change in changes} - set(body_ids)
    body_ids.update((code, body.pk) for code, body in _bodies_by_code(missing).items())
    job_positions: dict[tuple[int, str], list[JobPosition]] = defaultdict(list)
    if kind is TransferKind.POSTS:
        for chunk in _chunks(sorted({body_ids[change.references["organization"]] for change in changes})):
            for job_position in JobPosition.objects.filter(organization_id__in=chunk).order_by("valid_from"):
                job_positions[(job_position.organization_id, _key(job_position.name))].append(job_position)
    created, updated = [], []
    for change in changes:
        instance = change.instance
        instance.organization_id = body_ids[change.references["organization"]]
        if "job_position" in change.references:
            name = change.references["job_position"]
            versions = job_positions[(instance.organization_id, _key(name))] if name is not None else []
            # the version in force when the post begins, else the latest one
            instance.job_position = next(
                (v for v in versions if v.is_valid_on(instance.valid_from)), None
            ) or (versions[-1] if versions else None)
        if change.is_new:
            created.append(instance)
        elif change.is_changed:
            updated.append(instance)
    bulk_create_with_history(created, spec.model, batch_size=_BATCH, default_change_reason=reason)
    if updated:
        fields = [*spec.fields, "organization"] + (["job_position"] if kind is TransferKind.POSTS else [])
        bulk_update_with_history(updated, spec.model, fields, batch_size=_BATCH, default_change_reason=reason)


# ---------------------------------------------------------------- the import service


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


# ---------------------------------------------------------------- export


def _cell_date(day: date, open_end: date) -> date | None:
    return None if day == open_end else day


def _valid(model: Any, as_of: date | None) -> models.QuerySet[Any]:
    rows: models.QuerySet[Any] = model.objects.as_of(as_of) if as_of is not None else model.objects.all()
    return rows


def _body_rows(as_of: date | None) -> Iterator[list[Any]]:
    bodies = _valid(Organization, as_of).select_related("parent", "jurisdiction").order_by("code")
    aliases: dict[int, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for alias in OrganizationAlias.objects.order_by("pk"):
        aliases[alias.organization_id][alias.kind].append(alias.text)
    for body in bodies:
        names = aliases[body.pk]
        yield [
            body.code,
            body.name,
            body.short_name,
            "; ".join(names[AliasKind.ALTERNATIVE]),
            "; ".join(names[AliasKind.ABBREVIATION]),
            "; ".join(names[AliasKind.FORMER]),
            ORGANIZATION_KINDS.label(body.kind),
            LEVELS.label(body.level),
            body.parent.code if body.parent_id else None,
            body.jurisdiction.code if body.jurisdiction_id else None,
            "x" if body.outside_jurisdiction else None,
            _cell_date(body.valid_from, OPEN_START),
            _cell_date(body.valid_to, OPEN_END),
        ]


def _job_position_rows(as_of: date | None) -> Iterator[list[Any]]:
    rows = _valid(JobPosition, as_of).select_related("organization")
    for job in rows.order_by("organization__code", "name", "valid_from"):
        yield [
            job.organization.code,
            job.name,
            JOB_POSITION_GROUPS.label(job.group),
            "; ".join(str(item) for item in job.competencies),
            job.description,
            job.planned_count,
            job.filled_count,
            _cell_date(job.valid_from, OPEN_START),
            _cell_date(job.valid_to, OPEN_END),
        ]


def _function_rows(as_of: date | None) -> Iterator[list[Any]]:
    rows = _valid(Function, as_of).select_related("organization")
    for item in rows.order_by("organization__code", "position", "valid_from"):
        yield [
            item.organization.code,
            item.position,
            FUNCTION_KINDS.label(item.kind),
            item.text,
            item.source,
            _cell_date(item.valid_from, OPEN_START),
            _cell_date(item.valid_to, OPEN_END),
        ]


def _post_rows(as_of: date | None) -> Iterator[list[Any]]:
    rows = _valid(Post, as_of).select_related("organization", "job_position")
    for post in rows.order_by("organization__code", "title", "valid_from", "pk"):
        yield [
            post.organization.code,
            post.title,
            POST_KINDS.label(post.kind),
            STAFF_CATEGORIES.label(post.category),
            post.job_position.name if post.job_position_id else None,
            _cell_date(post.valid_from, OPEN_START),
            _cell_date(post.valid_to, OPEN_END),
        ]


def _quota_rows(as_of: date | None) -> Iterator[list[Any]]:
    rows = StaffingQuota.objects.select_related("organization").order_by(
        "organization__code", "year", "category"
    )
    # a quota is set for a year: as of a date means the quotas of that date's year
    for quota in rows.filter(year=as_of.year) if as_of else rows:
        yield [
            quota.organization.code,
            quota.year,
            STAFF_CATEGORIES.label(quota.category),
            quota.assigned,
            quota.decision,
        ]


_ROWS: dict[TransferKind, Callable[[date | None], Iterator[list[Any]]]] = {
    TransferKind.BODIES: _body_rows,
    TransferKind.JOB_POSITIONS: _job_position_rows,
    TransferKind.FUNCTIONS: _function_rows,
    TransferKind.POSTS: _post_rows,
    TransferKind.STAFFING_QUOTAS: _quota_rows,
}
_HEADER_FONT = Font(bold=True, color="FFFFFF")
_HEADER_FILL = PatternFill("solid", fgColor="1F4E78")
_WIDEST = 60  # characters; longer texts wrap in their cell rather than widen the column


def export_registry(
    *,
    path: Path,
    kinds: Sequence[TransferKind] | None = None,
    as_of: date | None = None,
    delimiter: str = ",",
) -> ExportSummary:
    """Write the registry (or the rows valid on as_of) in the layouts the import reads.

    An .xlsx workbook gets one sheet per kind; a .csv file (UTF-8 with BOM, so Excel opens it right) one kind,
    separated by `delimiter` (';' for Excel set to Vietnamese, whose list separator it is).
    """
    chosen = [sheet for sheet in SHEETS if kinds is None or sheet.kind in kinds]
    suffix = path.suffix.lower()
    if suffix == ".csv" and len(chosen) != 1:
        raise ExportRefused(
            _("a .csv file holds one kind of row; choose one of: %(kinds)s")
            % {"kinds": ", ".join(sheet.kind.value for sheet in SHEETS)}
        )
    if suffix not in (".xlsx", ".csv"):
        raise ExportRefused(_("'%(name)s' is not an .xlsx or .csv file") % {"name": path.name})
    counts: dict[TransferKind, int] = {}
    if suffix == ".csv":
        sheet = chosen[0]
        with path.open("w", encoding="utf-8-sig", newline="") as stream:
            writer = csv.writer(stream, delimiter=delimiter)
            writer.writerow([column.header for column in sheet.columns])
            count = 0
            for row in _ROWS[sheet.kind](as_of):
                writer.writerow(
                    ["" if v is None else f"{v:%d/%m/%Y}" if isinstance(v, date) else v for v in row]
                )
                count += 1
        return ExportSummary(path, {sheet.kind: count})
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for sheet in chosen:
        counts[sheet.kind] = _write_sheet(workbook.create_sheet(sheet.title), sheet, _ROWS[sheet.kind](as_of))
    workbook.save(path)
    return ExportSummary(path, counts)


def _write_sheet(worksheet: Any, sheet: Sheet, rows: Iterator[list[Any]]) -> int:
    widths = [len(column.header) + 2 for column in sheet.columns]
    worksheet.append([column.header for column in sheet.columns])
    for cell in worksheet[1]:
        cell.font, cell.fill = _HEADER_FONT, _HEADER_FILL
        cell.alignment = Alignment(vertical="center", wrap_text=True)
    count = 0
    wrap = Alignment(wrap_text=True, vertical="top")
    for count, row in enumerate(rows, start=1):
        worksheet.append(row)
        for index, value in enumerate(row):
            if isinstance(value, date):
                worksheet.cell(count + 1, index + 1).number_format = "DD/MM/YYYY"
                widths[index] = max(widths[index], 12)
            elif isinstance(value, str):
                widths[index] = max(widths[index], min(len(value) + 2, _WIDEST))
                if len(value) > _WIDEST:
                    worksheet.cell(count + 1, index + 1).alignment = wrap
    for index, width in enumerate(widths, start=1):
        worksheet.column_dimensions[get_column_letter(index)].width = width
    worksheet.freeze_panes = "A2"
    worksheet.auto_filter.ref = worksheet.dimensions
    return count
