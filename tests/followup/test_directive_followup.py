"""A directive's follow-up by period: the task × body grid with, for each task without an end date, the
current quarter and the three before it, where each body stands in them and the day it reported, the counts
above the grid, the drill-down to the reports, what each role sees, the filters, the links from the directive
page, and a number of queries that does not grow with the bodies."""

from __future__ import annotations

import re
from datetime import date
from io import BytesIO

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from dondoc.accounts.models import Role
from dondoc.accounts.scope import build_scope
from dondoc.accounts.services import create_member
from dondoc.directives.links import directive_links
from dondoc.directives.models import Assignment, AssignmentRole, Directive, Task
from dondoc.directives.selectors import assignment_statuses, reports_by_period
from dondoc.directives.services import approve_report, draft_report
from dondoc.followup.rendering import STANDING_CLASSES
from dondoc.registry.models import Jurisdiction, Organization

# the second quarter of 2024 (15/3 to 14/6) is under way; the first (due 20/3) has passed
TODAY = date(2024, 4, 10)
QUARTERS = ["Q3/2023", "Q4/2023", "Q1/2024", "Q2/2024"]  # Q2/2023, the letter's first, is four before


@pytest.fixture
def reports(published: Directive, users, settings) -> dict[str, Assignment]:
    """Task 2 ("thực hiện thường xuyên"): Cư Jút reported Q3/2023 on time and Q4/2023 late, nothing for
    Q1/2024; Đắk Song reported Q1/2024 on time."""
    settings.DONDOC_TODAY = TODAY
    found = {
        code: Assignment.objects.get(task__directive=published, task__label="2", organization__code=code)
        for code in ("CJU.BTV", "DSO.BTV")
    }
    for code, start, end, sent_on, text in [
        ("CJU.BTV", date(2023, 6, 15), date(2023, 9, 14), date(2023, 9, 18), "Quý III đã quán triệt"),
        ("CJU.BTV", date(2023, 9, 15), date(2023, 12, 14), date(2024, 1, 5), "Quý IV gửi muộn"),
        ("DSO.BTV", date(2023, 12, 15), date(2024, 3, 14), date(2024, 3, 18), "Quý I đúng hạn"),
    ]:
        reporter, leader = ("reporter", "leader") if code == "CJU.BTV" else ("other_reporter", "other_leader")
        report = draft_report(
            assignment=found[code],
            text=text,
            percent=50,
            period_start=start,
            period_end=end,
            by=users[reporter],
        )
        approve_report(report=report, on=sent_on, by=users[leader])
    return found


def _url(directive: Directive, query: str = "") -> str:
    return reverse("followup:directive_followup", args=[directive.pk]) + query


def _page(client, url: str, status: int = 200) -> str:
    with translation.override("en"):
        response = client.get(url, headers={"accept-language": "en"})
    assert response.status_code == status, (url, response.status_code)
    return response.content.decode()


def _summary(html: str, task: Task) -> dict[str, dict[str, int]]:
    """The counts above the grid for `task`: period → standing → number of bodies."""
    standings = {status: standing.value for standing, status in STANDING_CLASSES.items()}
    table = html.split('id="period-summary"')[1].split("</table>")[0]
    row = table.split(f'<tr data-task="{task.pk}">')[1].split("</tr>")[0]
    return {
        period: {
            standings[s]: int(n) for s, n in re.findall(r'class="cell-key s-(\w+)" data-count="(\d+)"', cell)
        }
        for period, cell in re.findall(r'<td class="nowrap" data-period="([^"]+)"[^>]*>(.*?)</td>', row, re.S)
    }


def _grid_rows(html: str) -> dict[int, str]:
    grid = html.split('id="followup-task-body"')[1].split("</table>")[0]
    return {int(body): row for body, row in re.findall(r'<tr data-body="(\d+)">(.*?)</tr>', grid, re.S)}


def _period_cells(row: str, tasks: int) -> list[tuple[str, str, str]]:
    """Each period cell of a row, after its `tasks` cells: the standing (by its colour), the link, the text
    shown; three empty strings for a body without the task."""
    standings = {f"s-{status}": standing.value for standing, status in STANDING_CLASSES.items()}
    cells = re.findall(r"<td[^>]*>.*?</td>", row)[tasks:]
    pattern = r'<td class="(s-\w+)"><a href="([^"]+)">([^<]*)<'
    return [
        (standings[found[0][0]], *found[0][1:]) if (found := re.findall(pattern, cell)) else ("", "", "")
        for cell in cells
    ]


def _period_columns(html: str) -> list[int]:
    return [int(task) for task in re.findall(r'data-period-column="(\d+)"', html)]


def _task(directive: Directive, label: str) -> Task:
    return Task.objects.get(directive=directive, label=label)


def test_each_ongoing_task_has_the_current_quarter_and_the_three_before(client_for, published, reports):
    html = _page(client_for("monitor"), _url(published))
    ongoing = [task.pk for task in published.tasks.all() if reports_by_period(task.deadline_kind)]
    assert ongoing and _task(published, "1").pk not in ongoing  # task 1 is due in May 2023
    assert _period_columns(html) == [task for task in ongoing for _quarter in QUARTERS]
    second = _summary(html, _task(published, "2"))
    assert list(second) == QUARTERS
    assert re.search(r'data-period="Q2/2024" data-current>', html) and "(current period)" in html


def test_the_counts_say_who_reported_on_time_late_or_not_at_all(client_for, published, reports):
    html = _page(client_for("monitor"), _url(published))
    bodies = Assignment.objects.filter(task=_task(published, "2")).count()
    assert _summary(html, _task(published, "2")) == {
        "Q3/2023": {"reported_on_time": 1, "reported_late": 0, "late": bodies - 1, "not_yet_due": 0},
        "Q4/2023": {"reported_on_time": 0, "reported_late": 1, "late": bodies - 1, "not_yet_due": 0},
        "Q1/2024": {"reported_on_time": 1, "reported_late": 0, "late": bodies - 1, "not_yet_due": 0},
        "Q2/2024": {"reported_on_time": 0, "reported_late": 0, "late": 0, "not_yet_due": bodies},
    }


def test_a_body_s_cells_give_its_standing_and_the_day_it_reported(client_for, published, reports):
    html = _page(client_for("monitor"), _url(published))
    columns = _period_columns(html)
    second = _task(published, "2").pk
    cu_jut = _grid_rows(html)[reports["CJU.BTV"].organization_id]
    cells = [
        cell
        for cell, task in zip(_period_cells(cu_jut, published.tasks.count()), columns, strict=True)
        if task == second
    ]
    assert [(standing, text) for standing, _link, text in cells] == [
        ("reported_on_time", "18/09"),
        ("reported_late", "05/01"),
        ("late", ""),
        ("not_yet_due", "–"),
    ]
    assert '05/01<span class="sr"> reported late</span>' in cu_jut


def test_every_cell_drills_down_to_the_assignment_and_its_reports(client_for, published, reports):
    monitor = client_for("monitor")
    html = _page(monitor, _url(published))
    cu_jut = _grid_rows(html)[reports["CJU.BTV"].organization_id]
    own = set(
        Assignment.objects.filter(task__directive=published, organization__code="CJU.BTV").values_list(
            "pk", flat=True
        )
    )
    grid_links = {int(pk) for pk in re.findall(r'href="/directives/assignments/(\d+)/"', cu_jut)}
    assert grid_links == own
    second = f"/directives/assignments/{reports['CJU.BTV'].pk}/#reports-title"
    assert (
        sum(link == second for _standing, link, _text in _period_cells(cu_jut, published.tasks.count())) == 4
    )
    assignment_page = _page(monitor, second.split("#")[0])
    assert "Quý III đã quán triệt" in assignment_page and "Quý IV gửi muộn" in assignment_page


def test_a_unit_sees_only_its_own_body(client_for, published, reports):
    html = _page(client_for("reporter"), _url(published))
    assert list(_grid_rows(html)) == [reports["CJU.BTV"].organization_id]
    assert _summary(html, _task(published, "2"))["Q1/2024"] == {
        "reported_on_time": 0,
        "reported_late": 0,
        "late": 1,
        "not_yet_due": 0,
    }
    assert "Quý I đúng hạn" not in html and 'id="send-followup-link"' not in html


def test_a_directive_the_user_does_not_read_is_not_found(client, client_for, published, reports):
    province = Jurisdiction.objects.get(code="DNO")
    elsewhere = Jurisdiction.objects.create(
        code="LDO", name="Lâm Đồng", kind=province.kind, level=province.level
    )
    client.force_login(
        create_member(username="ngoai", password="x-y-z-1234", role=Role.MONITOR, jurisdiction=elsewhere)
    )
    assert client.get(_url(published)).status_code == 404
    assert (
        client_for("monitor")
        .get(reverse("followup:directive_followup", args=[published.pk + 99]))
        .status_code
        == 404
    )
    assert client_for("auditor").get(_url(published)).status_code == 403


def test_a_draft_goes_to_its_directive_page(client_for, draft, settings):
    settings.DONDOC_TODAY = TODAY
    response = client_for("monitor").get(_url(draft))
    assert response.status_code == 302 and response["Location"] == draft.get_absolute_url()


def test_the_body_filter_keeps_the_matching_bodies_and_counts_them_only(client_for, published, reports):
    html = _page(client_for("monitor"), _url(published, "?body=cu+jut"))
    rows = _grid_rows(html)
    assert reports["CJU.BTV"].organization_id in rows
    assert all("cu jut" in Organization.objects.get(pk=body).folded_name for body in rows)
    with_second = Assignment.objects.filter(task=_task(published, "2"), organization_id__in=rows).count()
    assert (
        sum(_summary(html, _task(published, "2"))["Q3/2023"].values())
        == with_second
        < len(Assignment.objects.filter(task=_task(published, "2")))
    )


def test_the_status_filter_keeps_the_bodies_with_an_assignment_in_it(client_for, published, reports):
    html = _page(client_for("monitor"), _url(published, "?status=overdue"))
    assignments = Assignment.objects.filter(task__directive=published)
    statuses = assignment_statuses(assignments=assignments, today=TODAY)
    overdue = {
        body for pk, body in assignments.values_list("pk", "organization_id") if statuses[pk] == "overdue"
    }
    assert overdue and set(_grid_rows(html)) == overdue
    nothing = _page(client_for("monitor"), _url(published, "?status=done_on_time"))
    assert "No assignment matches." in nothing and 'id="followup-task-body"' not in nothing


def test_a_directive_whose_tasks_all_have_an_end_date_has_no_period(client_for, published, reports):
    published.tasks.update(deadline_kind="by_date")
    html = _page(client_for("monitor"), _url(published))
    assert _period_columns(html) == [] and 'id="period-summary"' not in html
    assert "Every task of this directive has an end date" in html and _grid_rows(html)


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("monitor", ["Follow-up by period", "Send a follow-up"]),
        ("admin", ["Follow-up by period", "Send a follow-up"]),
        ("reader", ["Follow-up by period"]),
        ("reporter", ["Follow-up by period"]),
        ("leader", ["Follow-up by period"]),
    ],
)
def test_the_directive_page_links_to_the_follow_up_for_the_right_roles(
    client_for, published, reports, role, expected
):
    html = _page(client_for(role), published.get_absolute_url())
    links = html.split('id="directive-links"')[1].split("</p>")[0]
    found = re.findall(r'<a class="button secondary" href="([^"]+)">([^<]+)</a>', links)
    urls = {
        "Follow-up by period": _url(published),
        "Send a follow-up": reverse("followup:send_followup", args=[published.pk]),
    }
    assert found == [(urls[label], label) for label in expected]


def test_the_follow_up_page_offers_sending_a_follow_up_to_those_who_manage(client_for, published, reports):
    send = reverse("followup:send_followup", args=[published.pk])
    assert f'href="{send}" id="send-followup-link"' in _page(client_for("monitor"), _url(published))
    assert send not in _page(client_for("reader"), _url(published))


def test_a_draft_offers_no_follow_up_link(draft, users):
    scope = build_scope(user=users["monitor"])
    assert scope is not None
    assert directive_links(scope, draft) == []


def test_the_queries_do_not_grow_with_the_bodies(client_for, published, reports):
    monitor = client_for("monitor")
    with CaptureQueriesContext(connection) as few:
        _page(monitor, _url(published))
    assigned = set(
        Assignment.objects.filter(task__directive=published).values_list("organization_id", flat=True)
    )
    more = Organization.objects.exclude(pk__in=assigned).order_by("pk")[: 300 - len(assigned)]
    Assignment.objects.bulk_create(
        [
            Assignment(task=task, organization=body, role=AssignmentRole.COORDINATING, due=task.due)
            for task in published.tasks.all()
            for body in more
        ]
    )
    with CaptureQueriesContext(connection) as many:
        html = _page(monitor, _url(published))
    assert len(_grid_rows(html)) >= 250
    assert len(few) == len(many), [query["sql"][:120] for query in many.captured_queries]
    ongoing = sum(reports_by_period(task.deadline_kind) for task in published.tasks.all())
    assert len(many) <= 15 + 4 * ongoing


# --- the export ---


def _workbook(client, url: str):
    with translation.override("en"):
        response = client.get(url, headers={"accept-language": "en"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return openpyxl.load_workbook(BytesIO(response.content))


def test_the_export_holds_the_period_counts_and_the_grid_as_on_the_page(client_for, published, reports):
    monitor = client_for("monitor")
    book = _workbook(monitor, _url(published, "?body=C%C6%B0+J%C3%BAt&format=xlsx"))
    counts, grid = book.worksheets
    assert [cell.value for cell in counts[1]][:3] == ["Task", "Reporting period", "Report due by"]
    by_period = {
        row[1]: row[3:] for row in counts.iter_rows(min_row=2, values_only=True) if row[0] == "task 2"
    }
    # only Cư Jút is shown: on time in Q3/2023, late in Q4/2023, no report in Q1/2024, Q2/2024 not yet due
    assert by_period == {
        "Q3/2023": (1, 0, 0, 0),
        "Q4/2023": (0, 1, 0, 0),
        "Q1/2024": (0, 0, 1, 0),
        "Q2/2024": (0, 0, 0, 1),
    }
    header = [cell.value for cell in grid[1]]
    rows = list(grid.iter_rows(min_row=2, values_only=True))
    assert header[0] == "Body" and "task 2 · Q3/2023" in header and len(rows) == 1
    cu_jut = dict(zip(header, rows[0], strict=True))
    assert cu_jut["Body"] == reports["CJU.BTV"].organization.name
    assert cu_jut["task 2 · Q3/2023"] == "reported on time (18/09/2023)"
    assert cu_jut["task 2 · Q4/2023"] == "reported late (05/01/2024)"
    assert cu_jut["task 2 · Q1/2024"] == "late, no report"
    assert cu_jut["task 2"].startswith("lead · ")


def test_an_export_of_nothing_is_refused_on_the_page(client_for, published, reports):
    html = _page(
        client_for("monitor"),
        _url(published, "?body=kh%C3%B4ng+c%C3%B3+%C4%91%C6%A1n+v%E1%BB%8B&format=xlsx"),
    )
    assert 'id="export-refused"' in html and "There is nothing to export" in html


def test_each_cell_is_the_bodys_standing_in_its_period_an_early_report_included(published, users, reports):
    """The grid reads only the reports that may count for its periods; each cell is still what
    period_standings, reading every report of the task, says of that body and period. Đắk Song sent its
    report on the second quarter of 2024 before the quarter began: it counts, on time."""
    from dondoc.directives.access import assignments_for
    from dondoc.followup.selectors.directive_followup import directive_followup
    from dondoc.followup.selectors.periods import Standing, period_standings

    early = draft_report(
        assignment=reports["DSO.BTV"],
        text="Quý II gửi sớm",
        percent=60,
        period_start=date(2024, 3, 15),
        period_end=date(2024, 6, 14),
        by=users["other_reporter"],
    )
    approve_report(report=early, on=date(2024, 3, 12), by=users["other_leader"])
    followup = directive_followup(
        directive=published,
        tasks=list(published.tasks.all()),
        assignments=assignments_for(build_scope(user=users["monitor"])),
        today=TODAY,
    )
    assert followup.columns
    checked = 0
    for index, column in enumerate(followup.columns):
        [standing] = [
            each
            for each in period_standings(column.task, on=TODAY, since=column.period.start)
            if each.period == column.period
        ]
        expected = {body.assignment.pk: (body.standing, body.sent_on) for body in standing.bodies}
        for row in followup.cells:
            if (cell := row[index]) is not None:
                assert (cell.standing, cell.sent_on) == expected[cell.assignment_id]
                checked += 1
    assert checked > 100
    current = next(
        index
        for index, column in enumerate(followup.columns)
        if column.current and column.task == reports["DSO.BTV"].task
    )
    cells = [row[current] for row in followup.cells if row[current] is not None]
    [dak_song] = [cell for cell in cells if cell.assignment_id == reports["DSO.BTV"].pk]
    assert (dak_song.standing, dak_song.sent_on) == (Standing.REPORTED_ON_TIME, date(2024, 3, 12))
