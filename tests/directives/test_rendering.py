"""The HTML the directive pages build in Python (directives.rendering): the task × body grid's rows and the
review page's source text with its marks, every piece of text escaped."""

from __future__ import annotations

import pytest
from django.utils import translation
from django.utils.safestring import SafeString

from dondoc.directives.models import AssignmentRole
from dondoc.directives.rendering import grid_body, highlight
from dondoc.directives.review import Mark
from dondoc.directives.selectors import GridCell, GridRow, TaskBodyGrid
from dondoc.directives.status import Status

HOSTILE = '<script>alert("x")</script> & Co'


def grid(*rows: GridRow) -> TaskBodyGrid:
    return TaskBodyGrid(rows=list(rows), summaries=[], bodies=len(rows))


def row(organization_id: int, name: str, *cells: GridCell | None) -> GridRow:
    return GridRow(organization_id=organization_id, name=name, sort_key=name, cells=list(cells))


def cell(assignment_id: int, role: str, status: str) -> GridCell:
    return GridCell(assignment_id=assignment_id, role=role, status=status)


# --- the task × body grid ---


def test_the_grid_escapes_a_hostile_body_name() -> None:
    html = grid_body(grid(row(7, HOSTILE, cell(31, "lead", "overdue"))))
    assert isinstance(html, SafeString)
    assert "<script" not in html
    assert '<th scope="row">&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Co</th>' in html


def test_the_grid_holds_one_row_per_body_and_one_cell_per_task_linking_to_its_assignment() -> None:
    rows = [
        row(7, "Ban Thường vụ Huyện ủy Cư Jút", cell(31, "lead", "overdue"), None),
        row(8, "Ban Tuyên giáo", None, cell(32, "coordinating", "done_on_time")),
    ]
    with translation.override("en"):
        html = grid_body(grid(*rows))
    assert html == (
        '<tr data-body="7"><th scope="row">Ban Thường vụ Huyện ủy Cư Jút</th>'
        '<td class="s-overdue"><a href="/directives/assignments/31/">'
        'L<span class="sr"> lead, overdue</span></a></td>'
        "<td></td></tr>\n"
        '<tr data-body="8"><th scope="row">Ban Tuyên giáo</th><td></td>'
        '<td class="s-done_on_time"><a href="/directives/assignments/32/">'
        'C<span class="sr"> coordinating, done on time</span></a></td>'
        "</tr>\n"
    )


@pytest.mark.parametrize("role", list(AssignmentRole))
@pytest.mark.parametrize("status", list(Status))
def test_every_cell_shows_its_status_and_the_role_s_letter(role: AssignmentRole, status: Status) -> None:
    with translation.override("en"):
        html = grid_body(grid(row(1, "A", cell(5, role.value, status.value))))
        label = f"{role.label}, {status.label}"
    letter = "L" if role == AssignmentRole.LEAD else "C"
    assert html.count("<td class=") == 1
    assert (
        f'<td class="s-{status.value}"><a href="/directives/assignments/5/">{letter}<span class="sr">' in html
    )
    assert f'<span class="sr"> {label}</span></a></td>' in html


def test_the_grid_reads_in_vietnamese() -> None:
    with translation.override("vi"):
        html = grid_body(grid(row(1, "A", cell(5, "lead", "overdue"))))
    assert '/">CT<span class="sr"> chủ trì, quá hạn</span></a></td>' in html


def test_an_empty_grid_has_no_rows() -> None:
    assert grid_body(grid()) == ""


# --- the review page's source text ---


def test_the_source_is_escaped() -> None:
    text = 'Kính gửi: <b>Ban</b> & "các" đơn vị'
    html = highlight(text, [Mark("span-addressee-0", 10, 20)])
    assert isinstance(html, SafeString)
    assert "<b>" not in html
    assert html == (
        "Kính gửi: "
        '<mark id="span-addressee-0" tabindex="-1">&lt;b&gt;Ban&lt;/b&gt;</mark>'
        " &amp; &quot;các&quot; đơn vị"
    )


def test_a_mark_id_is_escaped() -> None:
    assert highlight("abc", [Mark('x"><script>', 0, 1)]) == (
        '<mark id="x&quot;&gt;&lt;script&gt;" tabindex="-1">a</mark>bc'
    )


def test_exactly_the_spans_given_are_wrapped() -> None:
    text = "Số 1317-CV/TU, ngày 03 tháng 4 năm 2023"
    html = highlight(text, [Mark("span-date", 15, len(text)), Mark("span-number", 3, 13)])
    assert html == (
        'Số <mark id="span-number" tabindex="-1">1317-CV/TU</mark>, '
        '<mark id="span-date" tabindex="-1">ngày 03 tháng 4 năm 2023</mark>'
    )


def test_no_marks_leave_the_text_escaped_only() -> None:
    assert highlight("a < b", []) == "a &lt; b"


def test_an_enclosing_span_holds_the_marks_inside_it() -> None:
    text = "9. Ban Tuyên giáo chủ trì"
    html = highlight(text, [Mark("span-task-9-lead-0", 3, 17), Mark("span-task-9", 0, len(text))])
    assert html == (
        '<mark id="span-task-9" tabindex="-1">9. '
        '<mark id="span-task-9-lead-0" tabindex="-1">Ban Tuyên giáo</mark> chủ trì</mark>'
    )


def test_a_span_crossing_its_neighbour_s_end_is_cut_there() -> None:
    html = highlight("0123456789ABCDE", [Mark("a", 0, 10), Mark("b", 5, 15)])
    assert html == '<mark id="a" tabindex="-1">01234<mark id="b" tabindex="-1">56789</mark></mark>ABCDE'
