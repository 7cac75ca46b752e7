"""The dashboards' tables, defined once for the page and for the .xlsx workbook, so that the file holds the
very numbers the page shows, under the same filters.

A table is its columns (a header and a kind: text, count, rate, day or month) and its rows; a cell may be a
link on the page, written as its text in the workbook. The workbook follows the registry export's house style
(registry/transfer/exporting.py): a sheet per table, a bold coloured header row kept in view, columns as wide
as their content, and pages set up to print on A4 landscape."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from io import BytesIO
from typing import Any

from django.urls import reverse
from django.utils import formats
from django.utils.timezone import localtime
from django.utils.translation import gettext as _

from dondoc.directives.models import Assignment, AssignmentRole, ProgressReport, Task
from dondoc.directives.periods import period_label
from dondoc.directives.selectors import GridCell
from dondoc.directives.selectors.statuses import report_state_label
from dondoc.directives.status import Status
from dondoc.followup.rendering import STANDING_LABELS
from dondoc.followup.selectors.dashboard import BodyOverview, MonthCounts, Overview, StatusCounts
from dondoc.followup.selectors.directive_followup import DirectiveFollowup, PeriodCell, PeriodColumn
from dondoc.followup.selectors.periods import Standing

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_WIDEST = 60  # characters; longer texts wrap in their cell rather than widen the column
_SHEET_NAME = 31  # characters, Excel's limit
_NOT_IN_SHEET_NAMES = str.maketrans(dict.fromkeys("[]:*?/\\", " "))


class Kind(StrEnum):
    TEXT = "text"
    COUNT = "count"
    RATE = "rate"  # a share from 0 to 1, or None when there is nothing to divide by
    DAY = "day"
    MONTH = "month"  # the first day of the month


@dataclass(frozen=True, slots=True)
class Column:
    header: str
    kind: Kind = Kind.TEXT


@dataclass(frozen=True, slots=True)
class Link:
    """A cell that links on the page; the workbook holds its text."""

    text: str
    url: str

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True, slots=True)
class ShownCell:
    text: str
    url: str
    kind: Kind
    label: str  # the column's header, which a narrow screen shows before the value


@dataclass(frozen=True, slots=True)
class Table:
    """`key` names it in the page (its id) and `sheet` in the workbook; `row_keys`, when given, name each row
    for the page (a status, a body …). A `stacked` table, too wide for a phone, shows each row there as a
    block of labelled values (dondoc.css, table.stack)."""

    key: str
    title: str
    sheet: str
    columns: tuple[Column, ...]
    rows: tuple[tuple[Any, ...], ...]
    row_keys: tuple[str, ...] = ()
    stacked: bool = False

    def shown_rows(self) -> list[tuple[str, list[ShownCell]]]:
        """Each row's key and its cells as the page writes them (numbers in the language's format)."""
        keys = self.row_keys or ("",) * len(self.rows)
        return [
            (
                key,
                [
                    ShownCell(
                        shown(value, column.kind),
                        value.url if isinstance(value, Link) else "",
                        column.kind,
                        column.header,
                    )
                    for value, column in zip(row, self.columns, strict=True)
                ],
            )
            for key, row in zip(keys, self.rows, strict=True)
        ]


def shown(value: Any, kind: Kind) -> str:
    """A cell's value as the page shows it."""
    if value is None:
        return "—"
    if kind is Kind.COUNT:
        return str(formats.number_format(value, force_grouping=True))
    if kind is Kind.RATE:
        return percent(value)
    if kind is Kind.DAY:
        return f"{value:%d/%m/%Y}"
    if kind is Kind.MONTH:
        return f"{value:%m/%Y}"
    return str(value)


def percent(rate: float | None) -> str:
    """A share as "75,0 %" (in the language's format), or "—" without one."""
    # number_format cuts the decimals it does not show; rounded first, 2.17 shows as 2.2
    return "—" if rate is None else f"{formats.number_format(round(rate * 100, 1), 1)} %"


# --- the tables ---


def count_table(counts: StatusCounts) -> Table:
    """The assignments by status, each fallen due one with its share of those fallen due."""

    def share(count: int) -> float | None:
        return count / counts.fallen_due if counts.fallen_due else None

    rows = (
        (
            Status.DONE_ON_TIME.value,
            str(Status.DONE_ON_TIME.label),
            counts.done_on_time,
            share(counts.done_on_time),
        ),
        (Status.DONE_LATE.value, str(Status.DONE_LATE.label), counts.done_late, share(counts.done_late)),
        (Status.OVERDUE.value, str(Status.OVERDUE.label), counts.overdue, share(counts.overdue)),
        ("fallen_due", _("fallen due, together"), counts.fallen_due, share(counts.fallen_due)),
        (Status.IN_PROGRESS.value, str(Status.IN_PROGRESS.label), counts.in_progress, None),
        (Status.NOT_YET_DUE.value, str(Status.NOT_YET_DUE.label), counts.not_yet_due, None),
        ("reported", without_end_label(reported=True), counts.reported, None),
        ("not_reported", without_end_label(reported=False), counts.not_reported, None),
        ("total", _("all assignments"), counts.total, None),
    )
    return Table(
        key="counts",
        title=_("Assignments by status"),
        sheet=_("Statuses"),
        columns=(
            Column(_("Status of the assignments")),
            Column(_("Number of assignments"), Kind.COUNT),
            Column(_("Share of those fallen due"), Kind.RATE),
        ),
        rows=tuple(row[1:] for row in rows),
        row_keys=tuple(row[0] for row in rows),
    )


def without_end_label(*, reported: bool) -> str:
    if reported:
        return _("no end date, reported for the period")
    return _("no end date, not reported for the period")


def trend_table(trend: Sequence[MonthCounts]) -> Table:
    return Table(
        key="trend",
        title=_("Deadlines by month: how they ended"),
        sheet=_("By month"),
        columns=(
            Column(_("Month of the deadline"), Kind.MONTH),
            Column(str(Status.DONE_ON_TIME.label), Kind.COUNT),
            Column(str(Status.DONE_LATE.label), Kind.COUNT),
            Column(str(Status.OVERDUE.label), Kind.COUNT),
        ),
        rows=tuple((m.month, m.done_on_time, m.done_late, m.overdue) for m in trend),
        row_keys=tuple(f"{m.month:%Y-%m}" for m in trend),
    )


def ranking_table(figures: Overview, *, body_query: str) -> Table:
    """The bodies most often late; each links to its own dashboard under the same filters (`body_query`)."""
    suffix = f"?{body_query}" if body_query else ""
    return Table(
        key="ranking",
        stacked=True,
        title=_("Bodies most often late"),
        sheet=_("Most often late"),
        columns=(
            Column(_("Rank"), Kind.COUNT),
            Column(_("Body assigned")),
            Column(str(Status.OVERDUE.label), Kind.COUNT),
            Column(str(Status.DONE_LATE.label), Kind.COUNT),
            Column(_("Late, together"), Kind.COUNT),
            Column(str(Status.DONE_ON_TIME.label), Kind.COUNT),
            Column(_("On-time rate"), Kind.RATE),
        ),
        rows=tuple(
            (
                place,
                Link(rank.name, reverse("followup:body_dashboard", args=[rank.organization_id]) + suffix),
                rank.overdue,
                rank.done_late,
                rank.late,
                rank.done_on_time,
                rank.on_time_rate,
            )
            for place, rank in enumerate(figures.ranking, start=1)
        ),
        row_keys=tuple(str(rank.organization_id) for rank in figures.ranking),
    )


def _task_name(assignment: Assignment) -> str:
    return _("task %(task)s") % {"task": assignment.task.label or assignment.task.position}


def _directive_name(assignment: Assignment) -> str:
    directive = assignment.task.directive
    return f"{directive.number or '—'} ({directive.issued_on:%d/%m/%Y})"


def overdue_table(body: BodyOverview, *, today: date) -> Table:
    return Table(
        key="overdue",
        stacked=True,
        title=_("Overdue assignments, oldest deadline first"),
        sheet=_("Overdue"),
        columns=(
            Column(_("Directive followed")),
            Column(_("Task assigned")),
            Column(_("Deadline"), Kind.DAY),
            Column(_("Days overdue"), Kind.COUNT),
        ),
        rows=tuple(
            (
                _directive_name(assignment),
                Link(_task_name(assignment), reverse("directives:assignment", args=[assignment.pk])),
                assignment.due,
                (today - assignment.due).days if assignment.due is not None else None,
            )
            for assignment in body.overdue
        ),
        row_keys=tuple(str(assignment.pk) for assignment in body.overdue),
    )


def report_table(reports: Sequence[ProgressReport]) -> Table:
    return Table(
        key="reports",
        stacked=True,
        title=_("Latest progress reports"),
        sheet=_("Reports"),
        columns=(
            Column(_("Sent on"), Kind.DAY),
            Column(_("Directive followed")),
            Column(_("Task assigned")),
            Column(_("Report state")),
            Column(_("Percent done"), Kind.COUNT),
            Column(_("What was reported")),
        ),
        rows=tuple(
            (
                report.sent_on,
                _directive_name(report.assignment),
                Link(
                    _task_name(report.assignment),
                    reverse("directives:assignment", args=[report.assignment_id]),
                ),
                report_state_label(report.state),
                report.percent,
                report.text,
            )
            for report in reports
        ),
        row_keys=tuple(str(report.pk) for report in reports),
    )


def inspection_table(body: BodyOverview) -> Table:
    return Table(
        key="inspections",
        stacked=True,
        title=_("Inspections that covered the body"),
        sheet=_("Inspections"),
        columns=(
            Column(_("Inspection")),
            Column(_("Inspection from"), Kind.DAY),
            Column(_("Inspection to"), Kind.DAY),
            Column(_("State of the inspection")),
        ),
        rows=tuple(
            (
                Link(inspection.title, reverse("followup:inspection", args=[inspection.pk])),
                inspection.starts_on,
                inspection.ends_on,
                str(inspection.get_state_display()),
            )
            for inspection in body.inspections
        ),
        row_keys=tuple(str(inspection.pk) for inspection in body.inspections),
    )


def period_count_table(followup: DirectiveFollowup) -> Table:
    """For each task without an end date and each of its recent periods, how many of the bodies shown stand
    where (the counts above a directive's follow-up grid)."""
    standings = list(STANDING_LABELS)
    return Table(
        key="period-counts",
        title=_("Reports by period"),
        sheet=_("Reports by period"),
        columns=(
            Column(_("Task")),
            Column(_("Reporting period")),
            Column(_("Report due by"), Kind.DAY),
            *(Column(str(STANDING_LABELS[standing]), Kind.COUNT) for standing in standings),
        ),
        rows=tuple(
            (
                _("task %(task)s") % {"task": column.task.label or column.task.position},
                period_label(column.period),
                column.period.deadline,
                *(_count_of(column, standing) for standing in standings),
            )
            for column in followup.columns
        ),
    )


def _count_of(column: PeriodColumn, standing: Standing) -> int:
    return next(count.count for count in column.counts if count.standing == standing)


def directive_grid_table(followup: DirectiveFollowup, tasks: Sequence[Task]) -> Table:
    """A directive's task × body grid: each body's role and status per task, then its standing in each recent
    period of the tasks without an end date, with the day it reported."""

    def task_cell(cell: GridCell | None) -> str:
        if cell is None:
            return ""
        return f"{AssignmentRole(cell.role).label} · {Status(cell.status).label}"

    def period_cell(cell: PeriodCell | None) -> str:
        if cell is None:
            return ""
        standing = str(STANDING_LABELS[cell.standing])
        return f"{standing} ({cell.sent_on:%d/%m/%Y})" if cell.sent_on is not None else standing

    task_names = [_("task %(task)s") % {"task": task.label or task.position} for task in tasks]
    return Table(
        key="directive-grid",
        title=_("Tasks × bodies, with the reporting periods"),
        sheet=_("Tasks × bodies"),
        columns=(
            Column(_("Body")),
            *(Column(name) for name in task_names),
            *(
                Column(
                    f"{_('task %(task)s') % {'task': column.task.label or column.task.position}} · "
                    f"{period_label(column.period)}"
                )
                for column in followup.columns
            ),
        ),
        rows=tuple(
            (row.name, *map(task_cell, row.cells), *map(period_cell, cells))
            for row, cells in zip(followup.grid.rows, followup.cells, strict=True)
        ),
    )


def filter_table(
    *, chosen: Sequence[tuple[str, str]], today: date, standing_on: date, computed_at: datetime | None = None
) -> Table:
    """What the figures are of: the filters chosen, the days they were counted on and, for figures kept
    ahead (followup.services.dashboards), when they were computed."""
    computed = [(_("Computed at"), f"{localtime(computed_at):%H:%M %d/%m/%Y}")] if computed_at else []
    rows = [
        (_("Figures as of"), f"{today:%d/%m/%Y}"),
        *computed,
        (_("Reporting periods of the tasks without an end date, as of"), f"{standing_on:%d/%m/%Y}"),
        *chosen,
    ]
    return Table(
        key="filters",
        title=_("Filters"),
        sheet=_("Filters"),
        columns=(Column(_("Filter")), Column(_("Chosen"))),
        rows=tuple(rows),
    )


# --- the workbook ---


def workbook(tables: Sequence[Table]) -> bytes:
    """The tables as an .xlsx workbook, a sheet each. openpyxl is imported here, when a workbook is asked
    for: every web process imports this module for the pages' tables, few ever export."""
    import openpyxl

    book = openpyxl.Workbook()
    book.remove(book.active)
    for table in tables:
        _write_sheet(book.create_sheet(_sheet_name(table.sheet)), table)
    stream = BytesIO()
    book.save(stream)
    return stream.getvalue()


def _sheet_name(name: str) -> str:
    return name.translate(_NOT_IN_SHEET_NAMES)[:_SHEET_NAME]


def _cell(value: Any) -> Any:
    return value.text if isinstance(value, Link) else value


_NUMBER_FORMATS = {Kind.COUNT: "#,##0", Kind.RATE: "0.0%", Kind.DAY: "DD/MM/YYYY", Kind.MONTH: "MM/YYYY"}


def _write_sheet(worksheet: Any, table: Table) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    header_font, header_fill = Font(bold=True, color="FFFFFF"), PatternFill("solid", fgColor="1F4E78")
    widths = [len(column.header) + 2 for column in table.columns]
    worksheet.append([column.header for column in table.columns])
    for cell in worksheet[1]:
        cell.font, cell.fill = header_font, header_fill
        cell.alignment = Alignment(vertical="center", wrap_text=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    for number, row in enumerate(table.rows, start=2):
        worksheet.append([_cell(value) for value in row])
        for index, (value, column) in enumerate(zip(row, table.columns, strict=True)):
            cell = worksheet.cell(number, index + 1)
            if column.kind in _NUMBER_FORMATS:
                cell.number_format = _NUMBER_FORMATS[column.kind]
                widths[index] = max(widths[index], 12)
            text = str(value) if value is not None else ""
            widths[index] = max(widths[index], min(len(text) + 2, _WIDEST))
            if len(text) > _WIDEST:
                cell.alignment = wrap
    for index, width in enumerate(widths, start=1):
        worksheet.column_dimensions[get_column_letter(index)].width = width
    worksheet.freeze_panes = "A2"
    worksheet.auto_filter.ref = worksheet.dimensions
    worksheet.print_title_rows = "1:1"
    worksheet.page_setup.orientation = worksheet.ORIENTATION_LANDSCAPE
    worksheet.page_setup.paperSize = worksheet.PAPERSIZE_A4
    worksheet.page_setup.fitToWidth, worksheet.page_setup.fitToHeight = 1, 0
    worksheet.sheet_properties.pageSetUpPr.fitToPage = True
