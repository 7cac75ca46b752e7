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

Modules, bottom up (each imports only from modules listed before it):
- cells.py — reading one cell (text, number, date, yes/no, names) and `_key`, the folded matching;
- schema.py — the kinds of row, the enumerations' Vietnamese spellings, the sheets and their columns,
  `parse_kind`; the one description of the layout, shared by import and export;
- problems.py — what comes back: ImportProblem, ImportResult, KindCounts, ExportSummary, and the
  RefusedFile / ExportRefused exceptions;
- reading.py — an .xlsx or .csv file → raw tables of cells, and the limits (MAX_FILE_BYTES …);
- rows.py — a raw table → parsed rows: headers matched to columns, cells to values, problems collected;
- planning.py — parsed rows → a plan: upsert keys matched against the registry, references, duplicates and
  the models' clean() checked;
- writing.py — a plan → the database, in bulk and with change history;
- importing.py — the import service, `import_registry_file`: all of the above in one transaction;
- exporting.py — the export service, `export_registry`: the registry → .xlsx or .csv in the same layouts;
  `export_template`, one kind's empty sheet to fill in.
"""

from dondoc.registry.transfer.exporting import export_registry, export_template
from dondoc.registry.transfer.importing import import_registry_file
from dondoc.registry.transfer.problems import (
    ExportRefused,
    ExportSummary,
    ImportProblem,
    ImportResult,
    KindCounts,
    RefusedFile,
)
from dondoc.registry.transfer.reading import MAX_FILE_BYTES, MAX_ROWS, MAX_UNPACKED_BYTES
from dondoc.registry.transfer.schema import SHEETS, Sheet, TransferKind, parse_kind

__all__ = [
    "MAX_FILE_BYTES",
    "MAX_ROWS",
    "MAX_UNPACKED_BYTES",
    "SHEETS",
    "ExportRefused",
    "ExportSummary",
    "ImportProblem",
    "ImportResult",
    "KindCounts",
    "RefusedFile",
    "Sheet",
    "TransferKind",
    "export_registry",
    "export_template",
    "import_registry_file",
    "parse_kind",
]
