"""The export service: the registry, or the rows valid on a date, written as a styled .xlsx workbook or
a .csv file in the very layouts the import reads."""

from __future__ import annotations

import csv
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from django.db import models
from django.utils.translation import gettext as _

from dondoc.registry.models import (
    OPEN_END,
    OPEN_START,
    AliasKind,
    Function,
    JobPosition,
    Organization,
    OrganizationAlias,
    Post,
    StaffingQuota,
)
from dondoc.registry.transfer.problems import ExportRefused, ExportSummary
from dondoc.registry.transfer.schema import (
    FUNCTION_KINDS,
    JOB_POSITION_GROUPS,
    LEVELS,
    ORGANIZATION_KINDS,
    POST_KINDS,
    SHEETS,
    STAFF_CATEGORIES,
    Sheet,
    TransferKind,
)


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
    import openpyxl  # here, not with the module: every web process imports the registry's pages, few export

    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for sheet in chosen:
        counts[sheet.kind] = _write_sheet(workbook.create_sheet(sheet.title), sheet, _ROWS[sheet.kind](as_of))
    workbook.save(path)
    return ExportSummary(path, counts)


def export_template(*, path: Path, kind: TransferKind) -> None:
    """An .xlsx workbook of one kind with its sheet's headers and no rows: the file to fill in and import."""
    import openpyxl

    sheet = next(sheet for sheet in SHEETS if sheet.kind is kind)
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    _write_sheet(workbook.create_sheet(sheet.title), sheet, iter(()))
    workbook.save(path)


def _write_sheet(worksheet: Any, sheet: Sheet, rows: Iterator[list[Any]]) -> int:
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    widths = [len(column.header) + 2 for column in sheet.columns]
    worksheet.append([column.header for column in sheet.columns])
    for cell in worksheet[1]:
        cell.font, cell.fill = Font(bold=True, color="FFFFFF"), PatternFill("solid", fgColor="1F4E78")
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
