"""HTML the follow-up pages build in Python rather than in templates: the period cells of a directive's
follow-up grid, appended to the rows the directives app renders for its task × body grid (directives.rendering
.grid_body), for the same reason it builds them there: 300 bodies × a dozen columns are too many cells for the
template engine.

Every piece of text is escaped here, and only here is the result marked safe."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from dondoc.directives.rendering import grid_body
from dondoc.directives.status import Status
from dondoc.followup.selectors.directive_followup import DirectiveFollowup, PeriodCell
from dondoc.followup.selectors.periods import Standing

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

STANDING_LABELS: dict[Standing, StrOrPromise] = {
    Standing.REPORTED_ON_TIME: _("reported on time"),
    Standing.REPORTED_LATE: _("reported late"),
    Standing.LATE: _("late, no report"),
    Standing.NOT_YET_DUE: _("not yet due"),
}

# the grid's colours and marks for the statuses that mean the same in a period (dondoc.css, table.grid)
STANDING_CLASSES = {
    Standing.REPORTED_ON_TIME: Status.DONE_ON_TIME.value,
    Standing.REPORTED_LATE: Status.DONE_LATE.value,
    Standing.LATE: Status.OVERDUE.value,
    Standing.NOT_YET_DUE: Status.NOT_YET_DUE.value,
}

# what a cell without a report shows beside the grid's mark: nothing for a late body (its mark is "!")
_UNREPORTED_TEXT = {Standing.LATE: "", Standing.NOT_YET_DUE: "–"}

# the end of every row grid_body writes; escaped text cannot hold it
_ROW_END = "</tr>\n"


def _reports_url_prefix() -> str:
    """The assignment page's address without its number, so that thousands of cells need no reverse() each."""
    return reverse("directives:assignment", args=[0]).removesuffix("0/")


def followup_grid_body(followup: DirectiveFollowup) -> SafeString:
    """The rows of the directive's grid (directives.rendering.grid_body), each followed by its period cells:
    the body's standing and the day it reported, linked to the assignment's reports."""
    prefix = _reports_url_prefix()
    # each standing's cell around its assignment's number and its text: thousands of cells, kept short
    pieces = {
        standing: (
            f'<td class="s-{STANDING_CLASSES[standing]}"><a href="{prefix}',
            f'<span class="sr"> {escape(label)}</span></a></td>',
        )
        for standing, label in STANDING_LABELS.items()
    }

    def cell(found: PeriodCell | None) -> str:
        if found is None:
            return "<td></td>"
        before, after = pieces[found.standing]
        text = f"{found.sent_on:%d/%m}" if found.sent_on is not None else _UNREPORTED_TEXT[found.standing]
        return f'{before}{found.assignment_id}/#reports-title">{text}{after}'

    rows = str(grid_body(followup.grid)).split(_ROW_END)[:-1]
    html = [
        "".join([row, *map(cell, row_cells), _ROW_END])
        for row, row_cells in zip(rows, followup.cells, strict=True)
    ]
    return mark_safe("".join(html))  # grid_body escaped its rows; every piece added above is escaped
