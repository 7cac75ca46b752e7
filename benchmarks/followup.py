"""The follow-up at the size of years of use: the daily reminder run over 100,000 open assignments (target
≤ 10 s) and the overall dashboard over 1,000,000 assignments on PostgreSQL and 100,000 on SQLite (target
≤ 1.5× the bare SQL aggregate it needs), each timed beside its bare SQL in the same run.

Each backend runs in a child process on a database of its own (a temporary SQLite file;
`dondoc_bench_followup` on the PostgreSQL server at 127.0.0.1:5432 when one answers as `dondoc`, created then
dropped). In each, the Đắk Nông sample registry is loaded and the generator of `manage.py generate_demo`
(dondoc.demo.generation.work) adds, as rows of the project's tables (COPY on PostgreSQL, in batches, without
change history; the same rows bulk_create would write):

- a reporter and a leader for every body of the province and monitors for the province and each district,
  most with an e-mail address (a few without, a few who turned e-mail off);
- published directives of 10 tasks, four in five from the Tỉnh ủy to bodies across the province, one in five
  from a Huyện ủy to the bodies of its district; each task to part of the directive's addressees; deadlines
  spread over the two years around TODAY; one task in ten without an end date ("thường xuyên");
- progress reports as offices send them: past deadlines mostly confirmed on time, some late, some after a
  report the monitor returned, some reported but not confirmed, some silent, most of the late work from the
  one body in eight that is late most of the time; future deadlines some confirmed early, some in progress;
  tasks without an end date reported quarter by quarter (Nghị định 09).

The data grows in stages, each measured before the next: 100,000 assignments (the dashboard), then until
100,000 are open, a deadline and no confirmed completion (the reminder run), then on PostgreSQL 1,000,000
(the dashboard again).

The reminder run is `send_reminders(today=TODAY)` with Django's locmem e-mail back end, each run inside a
transaction rolled back afterwards so that every run starts with nothing sent. Its baseline finds who is due
and nothing else: the deadlines each rule falls due for in the catch-up window (worked out from
dondoc.calendar, a few dozen dates), then one SQL query joining the open assignments with those deadlines to
the users of their body or of the territories above it.

The dashboard is `followup.selectors.dashboard.overview` for a monitor of the province, every query forced;
its baseline is the same statuses counted by hand-written SQL (a CASE over the deadline, the kind of deadline
and the first confirmed report, as directives.selectors.status_expression reads them). Both must give the
counts the generator knows it wrote.
"""

from __future__ import annotations

import json
import random
import re
import statistics
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from dondoc.demo.generation.work import Planned, Tally

TODAY = date(2024, 5, 15)  # a Wednesday; the sample registry holds every body from 2023 to mid-2025
SEED = 20240515
BENCH_DATABASE = "dondoc_bench_followup"
DASHBOARD_SIZES = {"sqlite": (100_000,), "postgresql": (100_000, 1_000_000)}
REMINDER_OPEN = 100_000
TASKS = 10
DEADLINE_SPAN = 395  # days from a directive's issue to its last deadlines: deadlines run a year either side
PROVINCIAL_SHARE = 0.8
REMINDER_RUNS = 5
DASHBOARD_RUNS = 3
REMINDER_TARGET = 10.0  # seconds
DASHBOARD_TARGET = 1.5  # × the bare SQL
PROVINCE = "DNO"
PROVINCIAL_ISSUER = "DNO.TU"


def run() -> str:
    from benchmarks.web_pages import run_on_both_databases

    results, note = run_on_both_databases("benchmarks.followup", BENCH_DATABASE)
    return _markdown(results) + note


# --- the data ----------------------------------------------------------------------------------------------


SHAPE_KINDS = {"by_date": 9, "ongoing": 1}  # one task in ten without an end date ("thường xuyên")


class Generator:
    """The module's data on the Đắk Nông sample registry, written by dondoc.demo.generation's WorkGenerator:
    four directives in five from the Tỉnh ủy to bodies across the province, one in five from a Huyện ủy to
    the bodies of its district, grown until a condition on what was written holds."""

    def __init__(self, *, today: date, seed: int) -> None:
        from dondoc.demo.generation.work import Issuer, Shape, WorkGenerator
        from dondoc.parsing.model import DeadlineKind
        from dondoc.registry.models import Jurisdiction, Organization
        from dondoc.registry.selectors import territory_and_below

        self.today = today
        self.random = random.Random(seed)
        self.work = WorkGenerator(
            today=today,
            rng=self.random,
            shape=Shape(
                tasks=(TASKS, TASKS),
                deadline_kinds={DeadlineKind(kind): weight for kind, weight in SHAPE_KINDS.items()},
                deadline_days=(30, DEADLINE_SPAN),
            ),
        )
        self.seconds = 0.0
        province = Jurisdiction.objects.get(code=PROVINCE)
        bodies = list(
            Organization.objects.as_of(today)
            .filter(jurisdiction_id__in=territory_and_below(jurisdiction_id=province.pk))
            .order_by("id")
            .values_list("id", "code", "jurisdiction_id")
        )
        self.bodies = [body_id for body_id, _code, _place in bodies]
        by_code = {code: (body_id, place) for body_id, code, place in bodies}
        # the issuers: the Tỉnh ủy to the whole province, each Huyện ủy to the bodies of its district
        self.provincial = Issuer(
            by_code[PROVINCIAL_ISSUER][0], "TỈNH ỦY ĐẮK NÔNG", "TU", True, ("CV",), self.bodies
        )
        self.districts = list(Jurisdiction.objects.filter(parent=province).order_by("code"))
        self.district_issuers = []
        for district in self.districts:
            found = by_code.get(f"{district.code}.HU")
            if found is not None:
                below = territory_and_below(jurisdiction_id=district.pk)
                pool = [body_id for body_id, _code, place in bodies if place in below]
                text = f"HUYỆN ỦY {district.name.upper()}"
                self.district_issuers.append(Issuer(found[0], text, "HU", True, ("CV",), pool))
        self.province_id = province.pk

    @property
    def tally(self) -> Tally:
        return self.work.tally

    def create_users(self) -> int:
        """A reporter and a leader for every body, two monitors for the province and one per district; one in
        twenty without an e-mail address, one in twenty who turned e-mail off. Returns how many."""
        from dondoc.demo.generation.people import create_users

        territories = [self.province_id, self.province_id, *(district.pk for district in self.districts)]
        return create_users(
            rng=self.random,
            bodies=[(body_id, str(body_id)) for body_id in self.bodies],
            territories=[(territory, f"{territory}.{n}") for n, territory in enumerate(territories)],
            password=None,
            email_domain="daknong.dcs.vn",
        )

    def grow(self, *, until: Callable[[Tally], bool]) -> None:
        """Add directives until `until(tally)` holds, the last one cut short so that it holds exactly."""
        started = time.perf_counter()
        self.work.write(self._plans(), until=until)
        self.seconds += time.perf_counter() - started

    def _plans(self) -> Iterator[Planned]:
        """Directives without end, issued over the span before today, each to part of its issuer's bodies
        (a share of 0.3 to 1 of the addressees per task, 0.65 on average)."""
        from dondoc.demo.generation.work import Planned

        rng = self.random
        while True:
            issued_on = self.today - timedelta(days=rng.randint(0, DEADLINE_SPAN))
            if rng.random() < PROVINCIAL_SHARE:
                issuer = self.provincial
                addressees = min(len(issuer.pool), rng.choice((9, 30, 60, 120, 200, len(issuer.pool))))
            else:
                issuer = rng.choice(self.district_issuers)
                addressees = rng.randint(min(len(issuer.pool), 5), len(issuer.pool))
            yield Planned(issuer=issuer, issued_on=issued_on, assignments=round(TASKS * addressees * 0.65))


def _analyze() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")


# --- the reminder run --------------------------------------------------------------------------------------


def due_deadlines(rules: Sequence[Any], today: date) -> list[tuple[int, str, date]]:
    """(rule, kind of recipient, deadline) for every deadline a rule falls due for on `today`: its moment in
    the catch-up window, not overtaken by a later rule of the same kind, not before a deadline that passed."""
    from dondoc import calendar
    from dondoc.followup.services.reminders import CATCH_UP_DAYS

    catch_up_from = today - timedelta(days=CATCH_UP_DAYS)
    latest = max(rule.offset for rule in rules)
    earliest = min(rule.offset for rule in rules)
    # every deadline a rule can reach from the window: n working days fit in 3n + 15 calendar days
    first = catch_up_from - timedelta(days=3 * max(latest, 0) + 15)
    last = calendar.add_working_days(today, max(-earliest, 0))
    kinds: dict[str, list[Any]] = {}
    for rule in sorted(rules, key=lambda rule: rule.offset, reverse=True):
        kinds.setdefault(rule.recipients, []).append(rule)
    found = []
    deadline = first
    while deadline <= last:
        for kind, kind_rules in kinds.items():
            for rule in kind_rules:
                moment = calendar.add_working_days(deadline, rule.offset)
                if moment > today:
                    continue
                if moment >= catch_up_from and (rule.offset >= 0 or today <= deadline):
                    found.append((rule.pk, kind, deadline))
                break
        deadline += timedelta(days=1)
    return found


def who_is_due(rules: Sequence[Any], today: date) -> list[tuple[int, int, int]]:
    """The baseline: (assignment, rule, user) for every reminder due on `today`, in one query."""
    from django.db import connection

    from dondoc.accounts.models import Membership, Role, User
    from dondoc.directives.models import Assignment, Directive, DirectiveState, Task
    from dondoc.followup.models import RecipientKind
    from dondoc.registry.models import Jurisdiction, Organization

    due = due_deadlines(rules, today)
    if not due:
        return []
    tables = {
        "assignment": Assignment._meta.db_table,
        "task": Task._meta.db_table,
        "directive": Directive._meta.db_table,
        "organization": Organization._meta.db_table,
        "jurisdiction": Jurisdiction._meta.db_table,
        "membership": Membership._meta.db_table,
        "user": User._meta.db_table,
    }
    sql = f"""
        WITH RECURSIVE
        due_rule(rule_id, kind, due) AS (VALUES {", ".join(["(%s, %s, %s)"] * len(due))}),
        covering(territory_id, ancestor_id) AS (
            SELECT id, id FROM {tables["jurisdiction"]}
            UNION ALL
            SELECT c.territory_id, j.parent_id FROM covering c
            JOIN {tables["jurisdiction"]} j ON j.id = c.ancestor_id WHERE j.parent_id IS NOT NULL
        ),
        open_assignment AS (
            SELECT a.id, a.due, a.organization_id, o.jurisdiction_id AS own_place,
                   p.jurisdiction_id AS parent_place, i.jurisdiction_id AS issuer_place
            FROM {tables["assignment"]} a
            JOIN {tables["task"]} t ON t.id = a.task_id
            JOIN {tables["directive"]} d ON d.id = t.directive_id
            JOIN {tables["organization"]} o ON o.id = a.organization_id
            LEFT JOIN {tables["organization"]} p ON p.id = o.parent_id
            LEFT JOIN {tables["organization"]} i ON i.id = d.issuer_id
            WHERE a.due IN (SELECT due FROM due_rule)
              AND d.state = %s
              AND NOT a.without_end
              AND a.done_from IS NULL
        )
        SELECT oa.id, r.rule_id, m.user_id
        FROM open_assignment oa
        JOIN due_rule r ON r.due = oa.due AND r.kind IN (%s, %s)
        JOIN {tables["membership"]} m ON m.organization_id = oa.organization_id
             AND m.role = CASE r.kind WHEN %s THEN %s ELSE %s END
        JOIN {tables["user"]} u ON u.id = m.user_id AND u.is_active
        UNION
        SELECT oa.id, r.rule_id, m.user_id
        FROM open_assignment oa
        JOIN due_rule r ON r.due = oa.due AND r.kind = %s
        JOIN covering c ON c.territory_id IN (oa.own_place, oa.parent_place, oa.issuer_place)
        JOIN {tables["membership"]} m ON m.role = %s AND m.jurisdiction_id = c.ancestor_id
        JOIN {tables["user"]} u ON u.id = m.user_id AND u.is_active
    """
    parameters: list[Any] = [value for row in due for value in row]
    parameters += [DirectiveState.PUBLISHED.value]
    parameters += [RecipientKind.REPORTER.value, RecipientKind.LEADER.value]
    parameters += [RecipientKind.REPORTER.value, Role.UNIT_REPORTER.value, Role.UNIT_LEADER.value]
    parameters += [RecipientKind.MONITOR.value, Role.MONITOR.value]
    with connection.cursor() as cursor:
        cursor.execute(sql, parameters)
        return list(cursor.fetchall())


def measure_reminders() -> dict[str, Any]:
    """Median times of send_reminders (each run rolled back) and of its baseline, interleaved, after one
    warm-up of each; the two must agree on who gets an in-app reminder."""
    from django.core import mail
    from django.db import transaction

    from dondoc.followup.models import ReminderRule
    from dondoc.followup.services.reminders import send_reminders

    rules = list(ReminderRule.objects.filter(active=True).order_by("pk"))
    mail.outbox = []
    times, baseline_times = [], []
    for attempt in range(REMINDER_RUNS + 1):
        started = time.perf_counter()
        due = who_is_due(rules, TODAY)
        baseline = time.perf_counter() - started
        with transaction.atomic():
            started = time.perf_counter()
            summary = send_reminders(today=TODAY)
            elapsed = time.perf_counter() - started
            transaction.set_rollback(True)
        emails = len(mail.outbox)
        mail.outbox.clear()
        if summary.in_app != len(due):
            print(
                f"mismatch: send_reminders sent {summary.in_app} in-app reminders; the bare SQL finds "
                f"{len(due)}",
                file=sys.stderr,
            )
        assert summary.in_app == len(due), (summary, len(due))
        if attempt:  # the first is a warm-up
            times.append(elapsed)
            baseline_times.append(baseline)
    return {
        "seconds": statistics.median(times),
        "baseline": statistics.median(baseline_times),
        "due_rows": len(due),
        "rules": [(rule.recipients, rule.offset) for rule in sorted(rules, key=lambda rule: rule.offset)],
        "in_app": summary.in_app,
        "email": summary.email,
        "emails": emails,
        "reminded_assignments": len({assignment_id for assignment_id, _rule, _user in due}),
        "due_deadlines": len({deadline for _rule, _kind, deadline in due_deadlines(rules, TODAY)}),
    }


# --- the overall dashboard ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Figures:
    """What the overall dashboard shows, however it was read: counts by status (those without an end date
    split by whether they reported for the current period), the trend by month, the ranking of late bodies."""

    counts: dict[str, int]
    trend: tuple[tuple[date, int, int, int], ...] = ()  # month, done on time, done late, overdue
    ranking: tuple[tuple[int, int, int, int], ...] = ()  # body, done on time, done late, overdue


def _statuses_sql(territory_ids: Sequence[int], today: date) -> tuple[str, list[Any]]:
    """A CTE `seen`: every assignment a monitor of these territories sees, with its status on `today` by
    status_expression's rule (no end date; done on time or late by the first confirmed report; overdue; in
    progress once a report was sent; else not yet due), by joins to two aggregates of the reports."""
    from dondoc.directives.models import Assignment, Directive, ProgressReport, ReportState, Task
    from dondoc.directives.status import Status
    from dondoc.registry.models import Organization

    places = ", ".join(["%s"] * len(territory_ids))
    report = ProgressReport._meta.db_table
    organization = Organization._meta.db_table
    sql = f"""
        WITH seen AS (
            SELECT a.id, a.organization_id, a.due, CASE
                WHEN a.without_end OR a.due IS NULL THEN %s
                WHEN done.done_on <= a.due THEN %s
                WHEN done.done_on IS NOT NULL THEN %s
                WHEN a.due < %s THEN %s
                WHEN started.assignment_id IS NOT NULL THEN %s
                ELSE %s
            END AS status
            FROM {Assignment._meta.db_table} a
            JOIN {Task._meta.db_table} t ON t.id = a.task_id
            JOIN {Directive._meta.db_table} d ON d.id = t.directive_id
            JOIN {organization} o ON o.id = a.organization_id
            LEFT JOIN {organization} p ON p.id = o.parent_id
            LEFT JOIN {organization} i ON i.id = d.issuer_id
            LEFT JOIN (
                SELECT assignment_id, MIN(sent_on) AS done_on FROM {report}
                WHERE state = %s AND sent_on <= %s AND confirmed_on <= %s GROUP BY assignment_id
            ) done ON done.assignment_id = a.id
            LEFT JOIN (
                SELECT DISTINCT assignment_id FROM {report} WHERE state IN (%s, %s) AND sent_on <= %s
            ) started ON started.assignment_id = a.id
            WHERE o.jurisdiction_id IN ({places}) OR p.jurisdiction_id IN ({places})
               OR i.jurisdiction_id IN ({places})
        )
    """
    parameters: list[Any] = [Status.NO_DEADLINE.value]
    parameters += [Status.DONE_ON_TIME.value, Status.DONE_LATE.value, today, Status.OVERDUE.value]
    parameters += [Status.IN_PROGRESS.value, Status.NOT_YET_DUE.value]
    parameters += [ReportState.CONFIRMED.value, today, today]
    parameters += [ReportState.SENT.value, ReportState.CONFIRMED.value, today]
    parameters += [*territory_ids, *territory_ids, *territory_ids]
    return sql, parameters


def _fetch(sql: str, parameters: Sequence[Any]) -> list[tuple[Any, ...]]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(sql, parameters)
        return list(cursor.fetchall())


def status_counts_sql(territory_ids: Sequence[int], today: date) -> Figures:
    """The brief's baseline: the statuses alone, in one aggregate query."""
    seen, parameters = _statuses_sql(territory_ids, today)
    rows = _fetch(seen + "SELECT status, COUNT(*) FROM seen GROUP BY status", parameters)
    return Figures(counts=dict(rows))


def dashboard_sql(territory_ids: Sequence[int], today: date) -> Figures:
    """Every figure overview() shows, by hand-written SQL: three aggregate queries. Every task of the
    generated data follows the default quarters (it writes no schedule), so the current period is one."""
    from django.db import connection

    from dondoc.directives.models import ProgressReport, ReportState
    from dondoc.directives.status import Status
    from dondoc.periods import DEFAULT_SCHEDULE
    from dondoc.registry.models import Organization
    from dondoc.text import fold

    seen, parameters = _statuses_sql(territory_ids, today)
    period = DEFAULT_SCHEDULE.period_on(today)
    rows = _fetch(
        seen
        + f"""
        SELECT status, COUNT(*), SUM(CASE WHEN status = %s AND EXISTS (
            SELECT 1 FROM {ProgressReport._meta.db_table} r
            WHERE r.assignment_id = seen.id AND r.state IN (%s, %s) AND r.sent_on <= %s
              AND (r.period_start = %s AND r.period_end = %s
                   OR r.period_start IS NULL AND r.sent_on >= %s AND r.sent_on <= %s)
        ) THEN 1 ELSE 0 END)
        FROM seen GROUP BY status
        """,
        [
            *parameters,
            Status.NO_DEADLINE.value,
            ReportState.SENT.value,
            ReportState.CONFIRMED.value,
            today,
            period.start,
            period.end,
            period.start,
            period.end,
        ],
    )
    counts = {status: count for status, count, _reported in rows if status != Status.NO_DEADLINE}
    reported = sum(reported or 0 for status, _count, reported in rows if status == Status.NO_DEADLINE)
    without_end = sum(count for status, count, _reported in rows if status == Status.NO_DEADLINE)
    counts |= {"reported": reported, "not_reported": without_end - reported}

    fallen_due = [Status.DONE_ON_TIME.value, Status.DONE_LATE.value, Status.OVERDUE.value]
    sums = ", ".join(["SUM(CASE WHEN status = %s THEN 1 ELSE 0 END)"] * 3)
    months = _trend_months(today)
    month = (
        "CAST(date_trunc('month', due) AS date)"
        if connection.vendor == "postgresql"
        else "strftime('%%Y-%%m-01', due)"
    )
    by_month = {
        (date.fromisoformat(value) if isinstance(value, str) else value): (on_time, late, overdue)
        for value, on_time, late, overdue in _fetch(
            seen + f"SELECT {month} AS month, {sums} FROM seen WHERE due >= %s AND due < %s "
            "AND status IN (%s, %s, %s) GROUP BY 1",
            [*parameters, *fallen_due, months[0], _next_month(months[-1]), *fallen_due],
        )
    }
    trend = tuple((first, *by_month.get(first, (0, 0, 0))) for first in months)

    by_body = _fetch(
        seen + f"SELECT seen.organization_id, o.name, {sums} FROM seen "
        f"JOIN {Organization._meta.db_table} o ON o.id = seen.organization_id "
        "WHERE status IN (%s, %s, %s) GROUP BY seen.organization_id, o.name",
        [*parameters, *fallen_due, *fallen_due],
    )
    late = [row for row in by_body if row[3] + row[4]]
    late.sort(key=lambda row: (-(row[3] + row[4]), -row[4], fold(row[1]), row[0]))
    ranking = tuple((pk, on_time, done_late, overdue) for pk, _name, on_time, done_late, overdue in late[:10])
    return Figures(counts=counts, trend=trend, ranking=ranking)


def _trend_months(today: date) -> list[date]:
    """The first days of the twelve months to today's, as the dashboard shows without a period chosen."""
    index = today.year * 12 + today.month - 1
    return [date((index - back) // 12, (index - back) % 12 + 1, 1) for back in range(11, -1, -1)]


def _next_month(first: date) -> date:
    index = first.year * 12 + first.month
    return date(index // 12, index % 12 + 1, 1)


def overview_figures(scope: Any, today: date) -> Figures:
    """overview() for the scope's assignments, no filter (its queries all run inside: it returns values)."""
    from dondoc.directives.access import assignments_for
    from dondoc.followup.selectors.dashboard import DashboardFilters, overview

    shown = overview(assignments=assignments_for(scope), today=today, filters=DashboardFilters())
    counts = shown.counts
    return Figures(
        counts={
            name: getattr(counts, name)
            for name in (
                "done_on_time",
                "done_late",
                "overdue",
                "in_progress",
                "not_yet_due",
                "reported",
                "not_reported",
            )
        },
        trend=tuple((m.month, m.done_on_time, m.done_late, m.overdue) for m in shown.trend),
        ranking=tuple((r.organization_id, r.done_on_time, r.done_late, r.overdue) for r in shown.ranking),
    )


def _province_monitor() -> Any:
    from dondoc.accounts.models import Membership, Role
    from dondoc.accounts.scope import build_scope

    membership = (
        Membership.objects.filter(role=Role.MONITOR, jurisdiction__code=PROVINCE).order_by("id").first()
    )
    assert membership is not None
    scope = build_scope(user=membership.user)
    assert scope is not None
    return scope


def _nonzero(counts: dict[str, int]) -> dict[str, int]:
    return {name: count for name, count in counts.items() if count}


def _agree(name: str, found: Any, expected: Any) -> None:
    if found != expected:
        print(f"mismatch: {name} gives {found}, expected {expected}", file=sys.stderr)
    assert found == expected, (name, found, expected)


# what each of overview()'s queries reads, told by a fragment of its SQL (the first that matches)
_QUERY_LABELS = (
    ('AS "due_year"', "counts by status, body and month (counts, trend, ranking)"),
    ('"registry_organization"."name" AS "name" FROM "registry_organization"', "ranking: names"),
    ('AS "reported"', "without an end date: reported for the period"),
    ('SELECT DISTINCT "directives_assignment"."task_id"', "without an end date: their tasks"),
    ('FROM "directives_task" INNER JOIN "directives_directive"', "without an end date: their directives"),
    ('"followup_reportingschedule"', "without an end date: reporting schedules"),
    ('AS "status", COUNT', "counts by status"),
)


def _label(sql: str) -> str:
    return next((label for fragment, label in _QUERY_LABELS if fragment in sql), sql[:60])


def _explain(sql: str) -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
        return "\n".join(row[0] for row in cursor.fetchall())


def measure_dashboard(tally: Tally) -> dict[str, Any]:
    """Median times of overview() and of the bare SQL (the statuses alone; every figure), interleaved, after
    one warm-up of each; all must give the counts the generator wrote, and the figures must agree. Then one
    more run of overview() query by query, and on PostgreSQL, when it misses its target, the plan of its
    slowest query."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from dondoc.directives.status import Status

    scope = _province_monitor()
    territories = sorted(scope.territory_ids)
    expected_statuses = dict(tally.statuses)
    without_end = tally.statuses[Status.NO_DEADLINE]
    expected_counts = _nonzero(
        {status: n for status, n in expected_statuses.items() if status != Status.NO_DEADLINE}
        | {"reported": tally.reported_now, "not_reported": without_end - tally.reported_now}
    )
    times: dict[str, list[float]] = {"overview": [], "counts_sql": [], "figures_sql": []}
    for attempt in range(DASHBOARD_RUNS + 1):
        started = time.perf_counter()
        counted = status_counts_sql(territories, TODAY)
        counts_sql = time.perf_counter() - started
        started = time.perf_counter()
        by_sql = dashboard_sql(territories, TODAY)
        figures_sql = time.perf_counter() - started
        started = time.perf_counter()
        shown = overview_figures(scope, TODAY)
        elapsed = time.perf_counter() - started
        _agree("the bare SQL's status counts", counted.counts, expected_statuses)
        _agree("the bare SQL's counts", _nonzero(by_sql.counts), expected_counts)
        _agree("overview()'s counts", _nonzero(shown.counts), expected_counts)
        _agree("overview()'s trend", shown.trend, by_sql.trend)
        _agree("overview()'s ranking", shown.ranking, by_sql.ranking)
        if attempt:  # the first is a warm-up
            times["overview"].append(elapsed)
            times["counts_sql"].append(counts_sql)
            times["figures_sql"].append(figures_sql)
    result: dict[str, Any] = {name: statistics.median(values) for name, values in times.items()}
    with CaptureQueriesContext(connection) as queries:
        overview_figures(scope, TODAY)
    result["queries"] = [(_label(query["sql"]), float(query["time"])) for query in queries.captured_queries]
    if connection.vendor == "postgresql" and result["overview"] > DASHBOARD_TARGET * result["figures_sql"]:
        slowest = max(queries.captured_queries, key=lambda query: float(query["time"]))
        result["plan"] = (_label(slowest["sql"]), _explain(slowest["sql"]))
    return result | {
        "assignments": tally.assignments,
        "statuses": expected_counts,
    }


# --- the child: one backend --------------------------------------------------------------------------------


def child(backend: str) -> dict[str, Any]:
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    from dondoc.demo.generation.work import FLUSH_EVERY
    from dondoc.registry.sample import load_sample_registry

    settings.DONDOC_TODAY = TODAY
    settings.DEBUG = False
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    call_command("migrate", verbosity=0)
    load_sample_registry()
    generator = Generator(today=TODAY, seed=SEED)
    result: dict[str, Any] = {
        "backend": backend,
        "flush_every": FLUSH_EVERY,
        "users": generator.create_users(),
        "bodies": len(generator.bodies),
        "stages": [],
        "dashboards": [],
    }

    def grow(purpose: str, until: Callable[[Tally], bool]) -> None:
        tally = generator.tally
        before = generator.seconds
        generator.grow(until=until)
        started = time.perf_counter()
        _analyze()
        done = {
            "purpose": purpose,
            "directives": tally.directives,
            "assignments": tally.assignments,
            "open": tally.open,
            "reports": tally.reports,
            "seconds": generator.seconds - before,
            "analyze": time.perf_counter() - started,
        }
        result["stages"].append(done)
        print(f"{backend}: {done}", file=sys.stderr)

    first, *larger = DASHBOARD_SIZES[backend]
    grow("the dashboard", lambda tally: tally.assignments >= first)
    result["dashboards"].append(measure_dashboard(generator.tally))
    grow("the reminder run", lambda tally: tally.open >= REMINDER_OPEN)
    result["reminders"] = {
        "assignments": generator.tally.assignments,
        "open": generator.tally.open,
    } | measure_reminders()
    for size in larger:
        grow("the dashboard", lambda tally, size=size: tally.assignments >= size)
        result["dashboards"].append(measure_dashboard(generator.tally))
    return result


# --- the section -------------------------------------------------------------------------------------------


def _seconds(value: float) -> str:
    if value < 0.01:
        return f"{value * 1000:.1f} ms"
    return f"{value * 1000:.0f} ms" if value < 1 else f"{value:.2f} s"


def _mark(ok: bool) -> str:
    return "✅" if ok else "❌"


def _table(head: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def _data(results: dict[str, dict[str, Any]]) -> str:
    rows = []
    for name, result in results.items():
        for stage in result["stages"]:
            rows.append(
                [
                    name,
                    stage["purpose"],
                    f"{stage['directives']:,}",
                    f"{stage['assignments']:,}",
                    f"{stage['open']:,}",
                    f"{stage['reports']:,}",
                    f"{stage['seconds']:.1f} s ({stage['assignments'] / stage['seconds']:,.0f} assignments/s)"
                    if stage["seconds"]
                    else "—",
                    f"{stage['analyze']:.1f} s",
                ]
            )
    head = [
        "database",
        "grown for",
        "directives (total)",
        "assignments (total)",
        "open",
        "progress reports",
        "generated in (this stage)",
        "then ANALYZE",
    ]
    return _table(head, rows)


def _reminders(results: dict[str, dict[str, Any]]) -> str:
    names = list(results)
    runs = [results[name]["reminders"] for name in names]

    def line(label: str, cell: Callable[[dict[str, Any]], str]) -> list[str]:
        return [label, *(cell(run) for run in runs)]

    return _table(
        ["", *names],
        [
            line("open assignments (of all)", lambda r: f"{r['open']:,} (of {r['assignments']:,})"),
            line(
                f"`send_reminders` (target ≤ {REMINDER_TARGET:.0f} s)",
                lambda r: f"**{_seconds(r['seconds'])}** {_mark(r['seconds'] <= REMINDER_TARGET)}",
            ),
            line(
                "reminders sent",
                lambda r: (
                    f"{r['in_app']:,} in the application, {r['email']:,} by e-mail in {r['emails']:,} "
                    f"e-mails, about {r['reminded_assignments']:,} assignments"
                ),
            ),
            line(
                "baseline: the bare SQL that finds who is due (rows: the in-app reminders, asserted equal)",
                lambda r: (
                    f"{_seconds(r['baseline'])} ({r['due_rows']:,} rows, {r['due_deadlines']} deadlines)"
                ),
            ),
            line("`send_reminders` / baseline", lambda r: f"{r['seconds'] / r['baseline']:.1f}×"),
        ],
    )


def _dashboards(results: dict[str, dict[str, Any]]) -> tuple[list[str], list[dict[str, Any]]]:
    names, runs = [], []
    for name, result in results.items():
        for run in result["dashboards"]:
            names.append(f"{name}, {run['assignments']:,}")
            runs.append(run)
    return names, runs


def _dashboard(results: dict[str, dict[str, Any]]) -> str:
    names, runs = _dashboards(results)

    def line(label: str, cell: Callable[[dict[str, Any]], str]) -> list[str]:
        return [label, *(cell(run) for run in runs)]

    def ratio(run: dict[str, Any], baseline: str) -> float:
        return float(run["overview"] / run[baseline])

    counts = (
        "done_on_time",
        "done_late",
        "overdue",
        "in_progress",
        "not_yet_due",
        "reported",
        "not_reported",
    )
    return _table(
        ["", *names],
        [
            line(
                "`overview()`, every query run",
                lambda r: f"**{_seconds(r['overview'])}** ({len(r['queries'])} queries)",
            ),
            line(
                "baseline: bare SQL for every figure it shows (3 queries)",
                lambda r: _seconds(r["figures_sql"]),
            ),
            line(
                f"`overview()` / that baseline (target ≤ {DASHBOARD_TARGET}×)",
                lambda r: (
                    f"**{ratio(r, 'figures_sql'):.1f}×** {_mark(ratio(r, 'figures_sql') <= DASHBOARD_TARGET)}"
                ),
            ),
            line(
                "baseline: bare SQL for the status counts alone (1 query)",
                lambda r: _seconds(r["counts_sql"]),
            ),
            line("`overview()` / the status counts alone", lambda r: f"{ratio(r, 'counts_sql'):.1f}×"),
            line(
                "counts: done on time / late / overdue / in progress / not yet due / no end date, reported "
                "for the period / not",
                lambda r: " / ".join(f"{r['statuses'].get(name, 0):,}" for name in counts),
            ),
        ],
    )


def _breakdown(results: dict[str, dict[str, Any]]) -> str:
    names, runs = _dashboards(results)
    labels = list(dict.fromkeys(label for run in runs for label, _seconds_taken in run["queries"]))

    def cell(run: dict[str, Any], label: str) -> str:
        taken = [seconds for each, seconds in run["queries"] if each == label]
        return " + ".join(_seconds(seconds) for seconds in taken) if taken else "—"

    return _table(["query", *names], [[label, *(cell(run, label) for run in runs)] for label in labels])


def _plans(results: dict[str, dict[str, Any]]) -> str:
    names, runs = _dashboards(results)
    found = [(name, run) for name, run in zip(names, runs, strict=True) if "plan" in run]
    if not found:
        return ""
    name, run = found[-1]
    label, plan = run["plan"]
    jit = re.search(r"JIT:.*?Total ([\d.]+) ms", plan, re.DOTALL)
    execution = re.search(r"Execution Time: ([\d.]+) ms", plan)
    spent = ""
    if jit and execution:
        compiling, running = float(jit.group(1)) / 1000, float(execution.group(1)) / 1000
        spent = f" PostgreSQL's JIT compilation took {compiling:.2f} s of its {running:.2f} s."
    # each subquery's first node says how many times it ran: once per row unless PostgreSQL hashed it
    runs = sum(int(loops) for loops in re.findall(r"SubPlan \d+\n[^\n]*?loops=(\d+)", plan))
    if runs:
        spent += f" Its subqueries ran {runs:,} times in all."
    lines = "\n".join(line if len(line) <= 160 else line[:159] + "…" for line in plan.splitlines())
    return (
        f"\nOn PostgreSQL `overview()` misses its target; the plan of its slowest query, {label} ({name}), "
        f"shows why.{spent}\n\n<details><summary>EXPLAIN (ANALYZE, BUFFERS)</summary>\n\n"
        f"```\n{lines}\n```\n</details>\n"
    )


def _prose(text: str) -> str:
    """A paragraph written over several lines of source, as one line."""
    return " ".join(text.split())


def _markdown(results: dict[str, dict[str, Any]]) -> str:
    first = next(iter(results.values()))
    intro = _prose(f"""
        Today fixed at {TODAY:%d/%m/%Y}. The module's generator writes the data into the project's tables
        on the Đắk Nông sample registry: {first["bodies"]} bodies, {first["users"]:,} users (a reporter and
        a leader per body, monitors of the province and of each district, most with an e-mail address),
        published directives of {TASKS} tasks with deadlines over the two years around today (one task in
        ten without an end date), progress reports as offices send them (on time, late, returned, silent,
        period by period). The data grows in stages, each measured before the next; every backend in the
        same run, each measurement beside its baseline, interleaved, medians after one warm-up.
    """)
    data = _prose(f"""
        **The data** (rows written as the models define them, by COPY on PostgreSQL,
        {first["flush_every"]:,} assignments at a time, without change history; open: a deadline and no
        confirmed completion):
    """)
    rules = ", ".join(
        f"{kind} {offset:+d}" if offset else f"{kind} 0" for kind, offset in first["reminders"]["rules"]
    )
    reminders = _prose(f"""
        **(a) The daily reminder run**: `send_reminders(today)` with the rules the data migration creates
        ({rules}; working days from the deadline) and Django's locmem e-mail back end, median of
        {REMINDER_RUNS} runs, each in a transaction rolled back so that every run starts with nothing sent.
        The baseline works out the deadlines each rule falls due for in the catch-up window
        (dondoc.calendar's working days), then finds the open assignments with those deadlines and their
        recipients (the body's reporters or leaders, the monitors of the territories above it) in one SQL
        query.
    """)
    dashboard = _prose(f"""
        **(b) The overall dashboard** of a monitor of the province (every assignment):
        `followup.selectors.dashboard.overview` with no filter against hand-written SQL, median of
        {DASHBOARD_RUNS} runs. Both baselines read the statuses by a CASE over the deadline, the kind of
        deadline and the first confirmed report, joined to the reports aggregated once (status_expression's
        rule); the one for every figure adds the split of the tasks without an end date by their report for
        the current period, the trend by month and the ranking of late bodies. Every run asserts that the
        generator's counts, the bare SQL's and overview()'s agree, and that the trend and ranking are the
        same.
    """)
    return (
        "## The follow-up at scale: reminders and the dashboard (`benchmarks/followup.py`)\n\n"
        f"{intro}\n\n{data}\n\n{_data(results)}\n{reminders}\n\n{_reminders(results)}\n"
        f"{dashboard}\n\n{_dashboard(results)}\n"
        f"Where `overview()` spends its time (one more run, query by query):\n\n{_breakdown(results)}"
        + _plans(results)
    )


if __name__ == "__main__":
    print(json.dumps(child(sys.argv[1]), default=str))
