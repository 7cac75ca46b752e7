"""Writing: report data → official documents (.docx in the Party's or the State's layout) and .xlsx
workbooks. Plain Python like reading/ and parsing/: no Django, no app, deterministic bytes."""

from dondoc.writing.docx import write_document
from dondoc.writing.loading import DocumentDataError, document_from_json
from dondoc.writing.model import (
    Block,
    BlockKind,
    DocumentKind,
    Issuer,
    OfficialDocument,
    Sheet,
    Signer,
    System,
    Table,
    Workbook,
)
from dondoc.writing.xlsx import write_workbook

__all__ = [
    "Block",
    "BlockKind",
    "DocumentDataError",
    "DocumentKind",
    "Issuer",
    "OfficialDocument",
    "Sheet",
    "Signer",
    "System",
    "Table",
    "Workbook",
    "document_from_json",
    "write_document",
    "write_workbook",
]
