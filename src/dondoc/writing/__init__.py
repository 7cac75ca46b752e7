"""Writing: report data → official documents (.docx in the Party's or the State's layout) and .xlsx
workbooks. Plain Python like reading/ and parsing/: no Django, no app, deterministic bytes.

python-docx and openpyxl (with lxml, some 40 MB of a process) are imported when a document is first written,
not when this package is: every web process imports it, few ever write."""

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


def write_document(document: OfficialDocument) -> bytes:
    """The document as .docx bytes, the same bytes for the same document (writing.docx)."""
    from dondoc.writing import docx

    return docx.write_document(document)


def write_workbook(workbook: Workbook) -> bytes:
    """The workbook as .xlsx bytes, the same bytes for the same workbook (writing.xlsx)."""
    from dondoc.writing import xlsx

    return xlsx.write_workbook(workbook)


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
