"""The follow-up dashboards: the overall one (the on-time rate of what has fallen due, the counts beside it,
the tasks without an end date by whether they reported for their period, the trend by month, the bodies most
often late), its filters, and one body's page, for each role within what it sees; the statuses counted in the
database equal to the reference in Python, in a number of queries that does not grow with the assignments.

The seed letter 1317-CV/TU on 20/6/2023: task 1 (due 31/5/2023, 40 bodies) done on time by Cư Jút, late by
Đắk Song, overdue everywhere else (one body sent a report that was never confirmed); task 9 (due 14/5/2023,
8 bodies) moved to 31/7 for Cư Jút (reported: in progress) and Đắk Song (not yet due), overdue for the rest;
the tasks without an end date reported for the current quarter (15/6-14/9/2023) by Cư Jút on its period and
by one body without a period, by Đắk Song only for the quarter before."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date
from html.parser import HTMLParser

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from dondoc.accounts.models import Role
from dondoc.accounts.services import create_member
from dondoc.directives.access import assignments_for
from dondoc.directives.models import Assignment, Directive, ProgressReport, Task
from dondoc.directives.selectors import assignment_statuses
from dondoc.directives.services import approve_report, confirm_report, draft_report
from dondoc.directives.status import Status
from dondoc.followup.forms.dashboard import period_code, reporting_period
from dondoc.followup.selectors.dashboard import DashboardFilters, overview
from dondoc.followup.services.inspections import InspectionPlan, plan_inspection
from dondoc.followup.views.dashboard import rate_band
from dondoc.periods import Frequency
from dondoc.registry.models import Jurisdiction, Level, Organization

TODAY = date(2023, 6, 20)
LATER = date(2023, 7, 31)
Q2 = reporting_period(Frequency.QUARTER, 2023, 2)  # 15/3 - 14/6/2023
EN = {"accept-language": "en"}


@dataclass(frozen=True)
class Spread:
    directive: Directive
    on_time: Assignment  # task 1, Cư Jút
    late: Assignment  # task 1, Đắk Song
    sent_not_confirmed: Assignment  # task 1, a third body: still overdue
    in_progress: Assignment  # task 9, Cư Jút, moved to 31/7
    not_yet_due: Assignment  # task 9, Đắk Song, moved to 31/7
    reported: Assignment  # task 2, Cư Jút: reported on the current quarter
    reported_without_period: Assignment  # task 2, the third body: sent during the quarter, no period
    reported_before: Assignment  # task 2, Đắk Song: reported on the quarter before only


def _assignment(directive: Directive, label: str, code: str) -> Assignment:
    return Assignment.objects.select_related("task", "organization").get(
        task__directive=directive, task__label=label, organization__code=code
    )


def _send(
    assignment: Assignment,
    *,
    on: date,
    done: bool = False,
    confirmed: date | None = None,
    period: tuple[date, date] | None = None,
) -> ProgressReport:
    start, end = period or (None, None)
    report = draft_report(
        assignment=assignment,
        text="Đã quán triệt, triển khai",
        percent=60,
        reports_done=done,
        period_start=start,
        period_end=end,
    )
    approve_report(report=report, on=on)
    if confirmed is not None:
        confirm_report(report=report, on=confirmed)
    return report


@pytest.fixture
def spread(published: Directive, settings) -> Spread:
    settings.DONDOC_TODAY = TODAY
    third = (
        Assignment.objects.filter(task__directive=published, task__label="1")
        .exclude(organization__code__in=["CJU.BTV", "DSO.BTV"])
        .order_by("organization__code")
        .first()
    )
    assert third is not None
    found = Spread(
        directive=published,
        on_time=_assignment(published, "1", "CJU.BTV"),
        late=_assignment(published, "1", "DSO.BTV"),
        sent_not_confirmed=third,
        in_progress=_assignment(published, "9", "CJU.BTV"),
        not_yet_due=_assignment(published, "9", "DSO.BTV"),
        reported=_assignment(published, "2", "CJU.BTV"),
        reported_without_period=_assignment(published, "2", third.organization.code),
        reported_before=_assignment(published, "2", "DSO.BTV"),
    )
    _send(found.on_time, on=date(2023, 5, 20), done=True, confirmed=date(2023, 5, 25))
    _send(found.late, on=date(2023, 6, 5), done=True, confirmed=date(2023, 6, 6))
    _send(found.sent_not_confirmed, on=date(2023, 5, 30), done=True)
    Assignment.objects.filter(pk__in=[found.in_progress.pk, found.not_yet_due.pk]).update(due=LATER)
    _send(found.in_progress, on=date(2023, 6, 10))
    _send(found.reported, on=date(2023, 6, 18))
    without_period = _send(found.reported_without_period, on=date(2023, 6, 16))
    ProgressReport.objects.filter(pk=without_period.pk).update(period_start=None, period_end=None)
    _send(found.reported_before, on=date(2023, 5, 10), period=(Q2.start, Q2.end))
    # a draft is not a report the monitor has
    draft_report(
        assignment=_assignment(published, "4", "CJU.BTV"), text="Đang soạn", percent=10, reports_done=False
    )
    return found


def _everything(**filters) -> object:
    return overview(assignments=Assignment.objects.all(), today=TODAY, filters=DashboardFilters(**filters))


# --- the figures, against the reference ---


def test_the_counts_equal_the_reference_statuses_for_every_role(spread, users):
    from dondoc.accounts.scope import build_scope

    for name in ("admin", "monitor", "reader", "reporter", "other_leader"):
        scope = build_scope(user=users[name])
        seen = assignments_for(scope)
        reference = Counter(assignment_statuses(assignments=seen, today=TODAY).values())
        counts = overview(assignments=seen, today=TODAY, filters=DashboardFilters()).counts
        assert {
            Status.DONE_ON_TIME: counts.done_on_time,
            Status.DONE_LATE: counts.done_late,
            Status.OVERDUE: counts.overdue,
            Status.IN_PROGRESS: counts.in_progress,
            Status.NOT_YET_DUE: counts.not_yet_due,
            Status.NO_DEADLINE: counts.without_end,
        } == {status: reference.get(status, 0) for status in Status}, name
        assert counts.total == seen.count(), name


def test_the_trend_and_the_ranking_equal_the_reference_statuses(spread):
    reference = assignment_statuses(assignments=Assignment.objects.all(), today=TODAY)
    by_body: dict[int, Counter[Status]] = defaultdict(Counter)
    by_month: dict[date, Counter[Status]] = defaultdict(Counter)
    for pk, organization_id, due in Assignment.objects.values_list("pk", "organization_id", "due"):
        by_body[organization_id][reference[pk]] += 1
        if due is not None:
            by_month[due.replace(day=1)][reference[pk]] += 1
    figures = _everything()
    for rank in figures.ranking:
        counted = by_body[rank.organization_id]
        expected = (counted[Status.DONE_ON_TIME], counted[Status.DONE_LATE], counted[Status.OVERDUE])
        assert (rank.done_on_time, rank.done_late, rank.overdue) == expected
    for month in figures.trend:
        counted = by_month[month.month]
        expected = (counted[Status.DONE_ON_TIME], counted[Status.DONE_LATE], counted[Status.OVERDUE])
        assert (month.done_on_time, month.done_late, month.overdue) == expected


def test_the_headline_rate_is_done_on_time_of_what_has_fallen_due(spread):
    counts = _everything().counts
    task_1 = Assignment.objects.filter(task__directive=spread.directive, task__label="1").count()
    task_9 = Assignment.objects.filter(task__directive=spread.directive, task__label="9").count()
    assert (counts.done_on_time, counts.done_late) == (1, 1)
    assert counts.overdue == (task_1 - 2) + (task_9 - 2)
    assert (counts.in_progress, counts.not_yet_due) == (1, 1)
    assert counts.fallen_due == task_1 + task_9 - 2
    assert counts.on_time_rate == pytest.approx(1 / counts.fallen_due)


def test_a_task_without_an_end_date_counts_as_reported_only_for_its_current_period(spread):
    counts = _everything().counts
    without_end = Assignment.objects.filter(due__isnull=True).count()
    # Cư Jút on the quarter, the third body without a period; Đắk Song's report is of the quarter before and
    # a draft is nobody's report yet
    assert counts.reported == 2
    assert counts.not_reported == without_end - 2


def test_a_period_keeps_the_deadlines_in_it_and_judges_the_others_on_it(spread):
    counts = _everything(period=Q2).counts
    # 31/7 lies after Q2: the two moved assignments drop out; Đắk Song's report is Q2's, Cư Jút's is not
    assert (counts.in_progress, counts.not_yet_due) == (0, 0)
    assert (counts.done_on_time, counts.done_late) == (1, 1)
    assert counts.reported == 1
    assert _everything(period=Q2).standing_on == Q2.end


def test_a_period_before_the_directive_leaves_nothing(spread):
    counts = _everything(period=reporting_period(Frequency.YEAR, 2022, 1)).counts
    assert counts.total == 0 and counts.on_time_rate is None


def test_the_filters_narrow_the_selection(spread):
    assert _everything(organization_id=spread.on_time.organization_id).counts.total == (
        Assignment.objects.filter(organization_id=spread.on_time.organization_id).count()
    )
    assert _everything(level=Level.DISTRICT).counts.total == (
        Assignment.objects.filter(organization__level=Level.DISTRICT).count()
    )
    overdue = _everything(status=Status.OVERDUE).counts
    assert overdue.total == overdue.overdue == _everything().counts.overdue
    assert _everything(directive_id=spread.directive.pk + 1000).counts.total == 0


def test_the_trend_counts_how_the_deadlines_of_each_month_ended(spread):
    trend = _everything().trend
    assert (trend[0].month, trend[-1].month, len(trend)) == (date(2022, 7, 1), date(2023, 6, 1), 12)
    may = next(month for month in trend if month.month == date(2023, 5, 1))
    counts = _everything().counts
    assert (may.done_on_time, may.done_late, may.overdue) == (1, 1, counts.overdue)
    others = [month for month in trend if month is not may]
    assert all(month.done_on_time + month.done_late + month.overdue == 0 for month in others)


def test_the_trend_of_a_period_runs_over_its_months(spread):
    assert [month.month for month in _everything(period=Q2).trend] == [
        date(2023, 3, 1),
        date(2023, 4, 1),
        date(2023, 5, 1),
        date(2023, 6, 1),
    ]


def test_the_ranking_puts_the_bodies_most_often_late_first(spread):
    ranking = _everything().ranking
    assert len(ranking) == 10
    lateness = [rank.late for rank in ranking]
    assert lateness == sorted(lateness, reverse=True) and lateness[0] == 2
    twice = set(
        Assignment.objects.filter(task__directive=spread.directive, task__label="9")
        .exclude(organization__code__in=["CJU.BTV", "DSO.BTV"])
        .values_list("organization_id", flat=True)
    )
    assert {rank.organization_id for rank in ranking if rank.late == 2} == twice
    assert spread.on_time.organization_id not in {rank.organization_id for rank in ranking}
    assert all(rank.on_time_rate == 0 for rank in ranking)


def test_a_body_late_once_and_on_time_once_has_half_its_rate(spread):
    Assignment.objects.filter(pk=spread.in_progress.pk).update(due=date(2023, 5, 14))
    ProgressReport.objects.filter(assignment=spread.in_progress).update(state="confirmed", confirmed_on=TODAY)
    ranking = _everything(organization_id=spread.on_time.organization_id).ranking
    assert [(rank.name, rank.done_on_time, rank.late) for rank in ranking] == [
        (spread.on_time.organization.name, 1, 1)
    ]
    assert ranking[0].on_time_rate == 0.5


def _grow(directive: Directive, tasks: int) -> None:
    """More tasks of the seed letter, each assigned to forty bodies, overdue or ongoing, with reports."""
    bodies = list(Organization.objects.filter(assignments__task__directive=directive).distinct()[:40])
    for number in range(tasks):
        ongoing = number % 2 == 0
        task = Task.objects.create(
            directive=directive,
            position=100 + number,
            label=str(100 + number),
            text="Nhiệm vụ thêm",
            deadline_kind="ongoing" if ongoing else "by_date",
            due=None if ongoing else date(2023, 4, 30),
        )
        created = Assignment.objects.bulk_create(
            [Assignment(task=task, organization=body, role="lead", due=task.due) for body in bodies]
        )
        ProgressReport.objects.bulk_create(
            [
                ProgressReport(assignment=a, text="x", state="sent", sent_on=date(2023, 6, 16))
                for a in created[:5]
            ]
        )


def _queries(function) -> int:
    with CaptureQueriesContext(connection) as captured:
        function()
    return len(captured)


def test_the_figures_take_as_many_queries_for_ten_times_the_assignments(spread):
    def figures() -> None:
        result = _everything()
        assert result.counts.total

    before = _queries(figures)
    _grow(spread.directive, 10)
    assert _queries(figures) == before <= 8


def test_the_page_takes_as_many_queries_for_ten_times_the_assignments(spread, client_for):
    client, url = client_for("monitor"), reverse("followup:dashboard")
    client.get(url)  # the session and the territory, read once
    # computed (the page's "compute now"), then shown from the figures kept
    before = _queries(lambda: client.post(url)), _queries(lambda: client.get(url))
    _grow(spread.directive, 10)
    assert (_queries(lambda: client.post(url)), _queries(lambda: client.get(url))) == before


# --- the page ---


class _Tables(HTMLParser):
    """The cells of each table of a page by its id, and each row's data-row key."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, list[tuple[str, list[str]]]] = {}
        self._table: str | None = None
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "table" and values.get("id"):
            self._table = str(values["id"])
            self.tables[self._table] = []
        elif tag == "tr" and self._table and "data-row" in values:
            self.tables[self._table].append((str(values["data-row"]), []))
        elif tag == "td" and self._table:
            self._cell = []

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "td" and self._cell is not None and self._table:
            self.tables[self._table][-1][1].append("".join(self._cell).strip())
            self._cell = None
        elif tag == "table":
            self._table = None


def page_tables(html: str) -> dict[str, list[tuple[str, list[str]]]]:
    parser = _Tables()
    parser.feed(html)
    return parser.tables


def _get(client, url: str, **params):
    with translation.override("en"):
        return client.get(url, params, headers=EN)


def test_the_monitor_sees_the_rate_the_counts_and_the_three_charts(spread, client_for):
    response = _get(client_for("monitor"), reverse("followup:dashboard"))
    assert response.status_code == 200
    html = response.content.decode()
    counts = response.context["counts"]
    assert f'id="on-time-rate">{100 / counts.fallen_due:.1f} %<' in html
    rows = dict(page_tables(html)["counts-table"])
    assert rows["done_on_time"][:2] == ["done on time", "1"]
    assert rows["overdue"][1] == str(counts.overdue)
    assert rows["reported"] == ["no end date, reported for the period", "2", "—"]
    for chart in ("status-chart", "trend-chart", "ranking-chart"):
        assert f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="{chart}" role="img"' in html


def test_the_ranked_bodies_link_to_their_own_dashboard_keeping_the_period(spread, client_for):
    response = _get(client_for("reader"), reverse("followup:dashboard"), period=period_code(Q2), level="")
    ranking = response.context["figures"].ranking
    first = reverse("followup:body_dashboard", args=[ranking[0].organization_id])
    assert f'<a href="{first}?period={period_code(Q2)}">{ranking[0].name}</a>' in response.content.decode()


def test_a_unit_sees_its_own_body_only_and_is_not_offered_other_bodies(spread, client_for):
    response = _get(client_for("reporter"), reverse("followup:dashboard"))
    assert response.status_code == 200
    own = Assignment.objects.filter(organization=spread.on_time.organization).count()
    assert response.context["counts"].total == own
    assert "body" not in response.context["form"].fields
    assert "level" not in response.context["form"].fields


def test_the_auditor_is_refused(spread, client_for):
    assert client_for("auditor").get(reverse("followup:dashboard")).status_code == 403


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("period", "quarter-2023-9", "Choose a reporting period from the list."),
        ("period", "anything", "Choose a reporting period from the list."),
        ("directive", "999999", "Choose one of the directives in the list."),
        ("directive", "abc", "Choose one of the directives in the list."),
        ("body", "-1", "Choose one of the bodies in the list."),
        ("level", "village", "Choose one of the levels in the list."),
        ("status", "lost", "Choose one of the statuses in the list."),
    ],
)
def test_an_invalid_filter_is_a_clear_error_on_the_page(spread, client_for, name, value, message):
    response = _get(client_for("monitor"), reverse("followup:dashboard"), **{name: value})
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html and "Correct the filters above to see the figures." in html
    assert "on-time-rate" not in html


def test_a_body_outside_the_district_monitors_territory_is_not_offered(spread, client):
    district = Jurisdiction.objects.get(pk=spread.late.organization.jurisdiction_id)
    monitor = create_member(username="dso", password="x-y-z-1234", role=Role.MONITOR, jurisdiction=district)
    client.force_login(monitor)
    response = _get(client, reverse("followup:dashboard"), body=str(spread.on_time.organization_id))
    assert response.status_code == 400
    offered = {value for value, _label in response.context["form"].fields["body"].choices if value}
    assert spread.late.organization_id in offered and spread.on_time.organization_id not in offered


def test_the_filters_on_the_page_narrow_the_figures(spread, client_for):
    response = _get(
        client_for("monitor"),
        reverse("followup:dashboard"),
        directive=str(spread.directive.pk),
        status=Status.DONE_LATE.value,
    )
    assert response.status_code == 200
    assert response.context["counts"].total == 1
    assert ("Status of the assignment", "done late") in response.context["chosen"]


# --- one body's page ---


def test_a_bodys_page_lists_what_is_overdue_oldest_first_with_links(spread, client_for):
    body = spread.sent_not_confirmed.organization
    overdue = list(
        Assignment.objects.filter(organization=body, due__lt=TODAY).order_by("due").values_list("pk", "due")
    )
    response = _get(client_for("monitor"), reverse("followup:body_dashboard", args=[body.pk]))
    assert response.status_code == 200
    rows = page_tables(response.content.decode())["overdue-table"]
    assert [int(key) for key, _cells in rows] == [pk for pk, _due in overdue]
    assert [cells[2] for _key, cells in rows] == [f"{due:%d/%m/%Y}" for _pk, due in overdue]
    assert rows[0][1][3] == str((TODAY - overdue[0][1]).days)
    html = response.content.decode()
    assert f'href="{reverse("directives:assignment", args=[overdue[0][0]])}"' in html


def test_a_bodys_page_shows_its_reports_and_the_inspections_that_covered_it(spread, client_for):
    body = spread.late.organization
    plan = InspectionPlan(
        title="Kiểm tra việc thực hiện Công văn 1317",
        legal_basis="",
        team="",
        leader=None,
        starts_on=date(2023, 6, 1),
        ends_on=date(2023, 6, 10),
        scope_text="",
        organizations=[body],
        directives=[spread.directive],
    )
    inspection = plan_inspection(plan=plan, jurisdiction=Jurisdiction.objects.get(code="DNO"), by=None)
    response = _get(client_for("other_reporter"), reverse("followup:body_dashboard", args=[body.pk]))
    assert response.status_code == 200
    tables = page_tables(response.content.decode())
    reports = ProgressReport.objects.filter(assignment__organization=body).order_by("-sent_on")
    assert [int(key) for key, _cells in tables["reports-table"]] == [report.pk for report in reports]
    assert tables["reports-table"][0][1][0] == "05/06/2023"
    assert [cells[0] for _key, cells in tables["inspections-table"]] == [inspection.title]
    counts = response.context["counts"]
    assert (counts.done_late, counts.not_yet_due) == (1, 1)


def test_a_unit_user_does_not_find_another_bodys_page(spread, client_for):
    url = reverse("followup:body_dashboard", args=[spread.late.organization_id])
    assert client_for("reporter").get(url).status_code == 404
    assert client_for("leader").get(url).status_code == 404
    assert client_for("other_leader").get(url).status_code == 200


def test_a_monitor_of_another_province_does_not_find_the_body(spread, client):
    province = Jurisdiction.objects.get(code="DNO")
    elsewhere = Jurisdiction.objects.create(
        code="LDO", name="Lâm Đồng", kind=province.kind, level=province.level
    )
    outsider = create_member(
        username="ngoai", password="x-y-z-1234", role=Role.MONITOR, jurisdiction=elsewhere
    )
    client.force_login(outsider)
    assert (
        client.get(reverse("followup:body_dashboard", args=[spread.late.organization_id])).status_code == 404
    )
    response = client.get(reverse("followup:dashboard"))
    assert response.status_code == 200 and response.context["counts"].total == 0


def test_an_invalid_filter_on_a_bodys_page_is_an_error_there(spread, client_for):
    url = reverse("followup:body_dashboard", args=[spread.late.organization_id])
    response = _get(client_for("monitor"), url, status="lost")
    assert response.status_code == 400
    assert "Choose one of the statuses in the list." in response.content.decode()


def test_the_menu_offers_the_dashboard_to_the_reading_roles(spread, client_for):
    url = reverse("followup:dashboard")
    for name in ("admin", "monitor", "reader", "reporter"):
        assert f'<li><a href="{url}"' in client_for(name).get(reverse("accounts:tokens")).content.decode()
    assert (
        f'<li><a href="{url}"' not in client_for("auditor").get(reverse("accounts:tokens")).content.decode()
    )


def test_the_rate_is_written_as_vietnamese_write_numbers(spread, client_for):
    response = client_for("monitor").get(reverse("followup:dashboard"))
    counts = response.context["counts"]
    rate = f"{100 / counts.fallen_due:.1f}".replace(".", ",")
    assert f'id="on-time-rate">{rate} %<' in response.content.decode()


def test_without_anything_fallen_due_there_is_no_rate(spread, client_for):
    response = _get(client_for("monitor"), reverse("followup:dashboard"), status=Status.NOT_YET_DUE.value)
    html = response.content.decode()
    assert 'id="on-time-rate">—<' in html and "no on-time rate yet: no assignment has fallen due" in html


@pytest.mark.parametrize(
    ("rate", "band"),
    [(None, "none"), (0.0, "poor"), (0.69, "poor"), (0.7, "fair"), (0.9, "good"), (1.0, "good")],
)
def test_the_rate_is_coloured_by_its_band_never_green_when_low(rate, band):
    assert rate_band(rate) == band


def test_a_low_rate_is_shown_in_red_and_a_bodys_page_names_its_kind_and_parent(spread, client_for):
    html = client_for("monitor").get(reverse("followup:dashboard")).content.decode()
    assert 'class="rate-value rate-poor" id="on-time-rate"' in html  # one done on time of many fallen due
    body = Organization.objects.select_related("parent", "jurisdiction").get(pk=spread.late.organization_id)
    page = client_for("monitor").get(reverse("followup:body_dashboard", args=[body.pk])).content.decode()
    place = re.search(r'<p class="muted" id="body-place">(.*?)</p>', page).group(1)
    assert place.split(" · ")[0] == str(body.get_kind_display())
    assert body.parent is None or body.parent.name in place


def test_a_trend_of_years_ago_ends_at_its_latest_deadline_rather_than_showing_nothing(spread):
    two_years_on = date(TODAY.year + 2, TODAY.month, TODAY.day)
    trend = overview(
        assignments=Assignment.objects.all(), today=two_years_on, filters=DashboardFilters()
    ).trend
    latest = Assignment.objects.exclude(due=None).latest("due").due
    assert trend[-1].month == latest.replace(day=1) and len(trend) == 12
    may = next(month for month in trend if month.month == date(2023, 5, 1))
    assert may.done_on_time == 1 and may.done_late == 1 and may.overdue > 0
