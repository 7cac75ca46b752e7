"""HTML the directive pages build in Python rather than in templates: the task × body grid's rows (too many
cells for the template engine; a body carrying a task out through its own plan shows the status derived from
that plan, marked as such) and the review page's source text with its marks (cut at offsets in the text).

Every piece of text is escaped here, and only here is the result marked safe."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, pgettext

from dondoc.directives import selectors
from dondoc.directives.models import AssignmentRole
from dondoc.directives.status import Status

# --- the task × body grid ---


def _assignment_url_prefix() -> str:
    """The assignment page's address without its number, so that 3,000 cells need no reverse() each."""
    return reverse("directives:assignment", args=[0]).removesuffix("0/")


def grid_body(grid: selectors.TaskBodyGrid) -> SafeString:
    """The grid's rows as HTML, built here rather than in the template: ≈3,000 cells through the template
    engine cost several times the page's queries (BENCHMARKS.md, web pages). Every value is a number, a status
    code, or escaped text (body names, labels)."""
    prefix = _assignment_url_prefix()
    letters = {
        AssignmentRole.LEAD.value: escape(pgettext("lead, one letter", "L")),
        AssignmentRole.COORDINATING.value: escape(pgettext("coordinating, one letter", "C")),
    }
    labels = {
        (role, status.value): escape(f"{AssignmentRole(role).label}, {status.label}")
        for role in letters
        for status in Status
    }
    cells = {
        key: (
            f'<td class="s-{key[1]}"><a href="{prefix}',
            f'/">{letters[key[0]]}<span class="sr"> {label}</span></a></td>',
        )
        for key, label in labels.items()
    }
    html = []
    for row in grid.rows:
        html.append(f'<tr data-body="{row.organization_id}"><th scope="row">{escape(row.name)}')
        if row.carried_from:
            carried = gettext("carries on from %(bodies)s") % {"bodies": "; ".join(row.carried_from)}
            html.append(f'<small class="carried-from">↳ {escape(carried)}</small>')
        if row.gone_since is not None:
            gone = gettext("no longer exists since %(day)s") % {"day": f"{row.gone_since:%d/%m/%Y}"}
            html.append(f'<small class="carried-from gone">{escape(gone)}</small>')
        html.append("</th>")
        for cell in row.cells:
            if cell is None:
                html.append("<td></td>")
            elif cell.plan is not None:
                html.append(_derived_cell(cell, cell.plan, prefix, letters[cell.role]))
            else:
                before, after = cells[cell.role, cell.status]
                html.append(f"{before}{cell.assignment_id}{after}")
        html.append("</tr>\n")
    return mark_safe("".join(html))  # every piece is escaped above


def _derived_cell(cell: selectors.GridCell, plan: selectors.PlanProgress, prefix: str, letter: str) -> str:
    """A cell whose status is derived from the body's own plan: that status's colour, a mark, and the plan's
    progress said in its title and to screen readers."""
    said = escape(
        gettext("%(role)s, %(status)s, derived: %(progress)s")
        % {"role": AssignmentRole(cell.role).label, "status": plan.status.label, "progress": plan.text}
    )
    return (
        f'<td class="s-{plan.status.value} derived" data-plan="{plan.directive_id}" title="{said}">'
        f'<a href="{prefix}{cell.assignment_id}/">{letter}<span aria-hidden="true">↳</span>'
        f'<span class="sr"> {said}</span></a></td>'
    )


# --- the review page's source text ---


class Marked(Protocol):
    """A stretch of the text to mark (review.Mark): the id of its <mark> element, where it starts and ends."""

    @property
    def id(self) -> str: ...

    @property
    def start(self) -> int: ...

    @property
    def end(self) -> int: ...


def highlight(text: str, marks: Iterable[Marked]) -> SafeString:
    """The text escaped, each mark wrapped in <mark id=…>; an enclosing span's mark holds the marks inside it,
    and a span crossing its neighbour's end is cut there, so the HTML stays well nested."""
    out: list[str] = []
    open_ends: list[int] = []
    position = 0

    def close_until(offset: int) -> None:
        nonlocal position
        while open_ends and open_ends[-1] <= offset:
            end = open_ends.pop()
            out.append(escape(text[position:end]) + "</mark>")
            position = end

    for mark in sorted(marks, key=lambda mark: (mark.start, -mark.end)):
        close_until(mark.start)
        end = min(mark.end, open_ends[-1]) if open_ends else mark.end
        if end <= mark.start:
            continue
        out.append(escape(text[position : mark.start]))
        out.append(f'<mark id="{escape(mark.id)}" tabindex="-1">')
        position = mark.start
        open_ends.append(end)
    close_until(len(text))
    out.append(escape(text[position:]))
    return mark_safe("".join(out))  # every piece of text above is escaped
