"""What an import or an export hands back: the problems found, the counts, and the refusals."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import gettext as _

from dondoc.registry.transfer.schema import TransferKind


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
