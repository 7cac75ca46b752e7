"""What partitioning would give (issue 16), measured on PostgreSQL beside the pages of benchmarks.scale: the
hot queries on the generated tables as they are, and on copies of them made in the same database

- assignments with their body's province as a column of their own (the territory key the scope lacks),
  indexed (province, due): the plain table keyed;
- the same, partitioned by LIST (province), one partition a province, the central bodies' in DEFAULT;
- progress reports partitioned by RANGE (sent_on), one partition a year, drafts (no date) in DEFAULT;

each answer checked to be the same on every table. The copies are dropped afterwards. A body's province is
that of its territory, else of its parent's: the territory under the country's that holds it (a province
merged in 2025 lies under the one it joined).
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

from benchmarks.scale import (
    PAGE_ROWS,
    REPEAT,
    WARM_UP,
    _capped_count,
    _ids,
    _overdue,
    _status_case,
    _tables,
)
from benchmarks.scale import _fetch as _execute

KEYED = "bench_assignment_keyed"
BY_PROVINCE = "bench_assignment_by_province"
REPORTS_BY_YEAR = "bench_report_by_year"


@dataclass(frozen=True)
class Timed:
    query: str
    current: float
    keyed: float | None
    partitioned: float


def build() -> dict[str, float]:
    """The three copies and their indexes, as a migration would make them; seconds each took."""
    from dondoc.registry.models import Level

    t = _tables()
    took: dict[str, float] = {}
    started = time.perf_counter()
    _execute(
        f"""CREATE TEMPORARY TABLE bench_province AS
        WITH RECURSIVE below(id, province) AS (
            SELECT j.id, j.id FROM {t["jurisdiction"]} j JOIN {t["jurisdiction"]} up ON up.id = j.parent_id
            WHERE up.level = %s
            UNION ALL
            SELECT j.id, below.province FROM {t["jurisdiction"]} j JOIN below ON j.parent_id = below.id
        ) SELECT o.id AS organization_id, COALESCE(own.province, up.province) AS province_id
        FROM {t["organization"]} o
        LEFT JOIN below own ON own.id = o.jurisdiction_id
        LEFT JOIN {t["organization"]} p ON p.id = o.parent_id
        LEFT JOIN below up ON up.id = p.jurisdiction_id""",
        [Level.CENTRAL],
    )
    _execute("CREATE INDEX ON bench_province (organization_id)")
    _execute(
        f"""CREATE TABLE {KEYED} AS SELECT a.id, a.task_id, a.organization_id, a.due, a.started_from,
        a.done_from, a.done_in_time_from, a.without_end, b.province_id
        FROM {t["assignment"]} a JOIN bench_province b USING (organization_id)"""
    )
    _execute(f"ALTER TABLE {KEYED} ADD PRIMARY KEY (id)")
    _index_assignments(KEYED)
    took["assignments keyed by province (copy and indexes)"] = time.perf_counter() - started

    started = time.perf_counter()
    _execute(f"CREATE TABLE {BY_PROVINCE} (LIKE {KEYED}) PARTITION BY LIST (province_id)")
    for (province,) in _execute(
        "SELECT DISTINCT province_id FROM bench_province WHERE province_id IS NOT NULL"
    ):
        _execute(
            f"CREATE TABLE {BY_PROVINCE}_{province} PARTITION OF {BY_PROVINCE} FOR VALUES IN ({province})"
        )
    _execute(f"CREATE TABLE {BY_PROVINCE}_default PARTITION OF {BY_PROVINCE} DEFAULT")
    _execute(f"INSERT INTO {BY_PROVINCE} SELECT * FROM {KEYED}")
    _execute(f"ALTER TABLE {BY_PROVINCE} ADD PRIMARY KEY (id, province_id)")
    _index_assignments(BY_PROVINCE)
    took["assignments partitioned by province (copy and indexes)"] = time.perf_counter() - started

    started = time.perf_counter()
    first, last = _execute(
        f"""SELECT EXTRACT(YEAR FROM MIN(sent_on))::int, EXTRACT(YEAR FROM MAX(sent_on))::int
        FROM {t["report"]}"""
    )[0]
    _execute(
        f"""CREATE TABLE {REPORTS_BY_YEAR} (id bigint, assignment_id bigint, state varchar(20), sent_on date,
        period_start date, period_end date) PARTITION BY RANGE (sent_on)"""
    )
    for year in range(first, last + 1):
        _execute(
            f"""CREATE TABLE {REPORTS_BY_YEAR}_{year} PARTITION OF {REPORTS_BY_YEAR}
            FOR VALUES FROM ('{year}-01-01') TO ('{year + 1}-01-01')"""
        )
    _execute(f"CREATE TABLE {REPORTS_BY_YEAR}_default PARTITION OF {REPORTS_BY_YEAR} DEFAULT")
    _execute(
        f"""INSERT INTO {REPORTS_BY_YEAR}
        SELECT id, assignment_id, state, sent_on, period_start, period_end FROM {t["report"]}"""
    )
    _execute(f"CREATE INDEX ON {REPORTS_BY_YEAR} (assignment_id, state, sent_on)")
    took[f"progress reports partitioned by year ({last - first + 2} partitions: copy and indexes)"] = (
        time.perf_counter() - started
    )
    _execute(f"ANALYZE {KEYED}")
    _execute(f"ANALYZE {BY_PROVINCE}")
    _execute(f"ANALYZE {REPORTS_BY_YEAR}")
    return took


def _index_assignments(table: str) -> None:
    """The province's deadlines, and the product's index on a body's assignments (assignment_body_progress):
    each with the kind the status is read from."""
    _execute(f"CREATE INDEX ON {table} (province_id, due, done_from, without_end)")
    _execute(
        f"""CREATE INDEX ON {table}
        (organization_id, due, done_from, done_in_time_from, started_from, without_end, task_id)"""
    )


def drop() -> None:
    for table in (KEYED, BY_PROVINCE, REPORTS_BY_YEAR, "bench_province"):
        _execute(f"DROP TABLE IF EXISTS {table}")


def _median(query: Callable[[], Any], check: Any, warm_up: int, repeat: int) -> float:
    times = []
    for attempt in range(warm_up + repeat):
        started = time.perf_counter()
        answer = query()
        seconds = time.perf_counter() - started
        if answer != check:
            raise AssertionError(f"a copy answers {answer!r}, the table as it is {check!r}")
        if attempt >= warm_up:
            times.append(seconds)
    return statistics.median(times)


def _overdue_list(table: str, where: str, parameters: list[Any], today: date) -> Any:
    """The monitor's overdue list: its first page by deadline (newest first), its count up to COUNTED + 1."""
    overdue, overdue_parameters = _overdue(today)
    base = f"FROM {table} a WHERE {where} AND {overdue}"
    everything = [*parameters, *overdue_parameters]
    page = _execute(f"SELECT a.id {base} ORDER BY a.due DESC, a.id DESC LIMIT {PAGE_ROWS}", everything)
    return [row[0] for row in page], _capped_count(f"SELECT 1 {base}", everything)


def _inbox(table: str, where: str, parameters: list[Any]) -> Any:
    """A body's assignments by deadline, as the inbox reads them (the body's index)."""
    return _execute(f"SELECT a.id FROM {table} a WHERE {where} ORDER BY a.due, a.id", parameters)


def _statuses(table: str, today: date) -> Any:
    """The whole country's count of each status."""
    status, parameters = _status_case(today)
    sql = f"""SELECT {status}, COUNT(*)
        FROM {table} a GROUP BY 1 ORDER BY 1"""
    return _execute(sql, parameters)


def _reported(reports: str, table: str, where: str, parameters: list[Any], start: date, end: date) -> Any:
    """How many of a province's assignments have a report sent for the period (the dashboard's "reported")."""
    sql = f"""SELECT COUNT(*) FROM {table} a WHERE {where} AND EXISTS (
        SELECT 1 FROM {reports} r WHERE r.assignment_id = a.id AND r.state IN ('sent', 'confirmed')
        AND ((r.period_start = %s AND r.period_end = %s)
             OR (r.period_start IS NULL AND r.sent_on >= %s AND r.sent_on <= %s)))"""
    return _execute(sql, [*parameters, start, end, start, end])[0][0]


def _history(reports: str, assignments: Sequence[int]) -> Any:
    """The reports of fifty assignments, newest first (each assignment's page lists its own)."""
    return _execute(
        f"""SELECT id FROM {reports} WHERE assignment_id = ANY(%s)
        ORDER BY assignment_id, sent_on DESC NULLS FIRST, id""",
        [list(assignments)],
    )


def measure(
    body_id: int, body_ids: Sequence[int], today: date, *, warm_up: int = WARM_UP, repeat: int = REPEAT
) -> dict[str, Any]:
    """Each query on the tables as they are and on the copies; the seconds building the copies took and what
    removing a year of reports costs either way."""
    from dondoc.periods import DEFAULT_SCHEDULE

    t = _tables()
    drop()
    took = build()
    try:
        province = _execute("SELECT province_id FROM bench_province WHERE organization_id = %s", [body_id])[
            0
        ][0]
        listed, bodies = _ids("a.organization_id", body_ids)
        keyed = "a.province_id = %s"
        rows: list[Timed] = []

        def timed(name: str, current: Callable[[], Any], *copies: Callable[[], Any] | None) -> None:
            check = current()
            seconds = [_median(copy, check, warm_up, repeat) if copy else None for copy in (current, *copies)]
            rows.append(Timed(name, seconds[0] or 0.0, seconds[1], seconds[2] or 0.0))

        def overdue(table: str, where: str, parameters: list[Any]) -> Callable[[], Any]:
            return lambda: _overdue_list(table, where, parameters, today)

        timed(
            "the province's overdue list (page and count)",
            overdue(t["assignment"], listed, bodies),
            overdue(KEYED, keyed, [province]),
            overdue(BY_PROVINCE, keyed, [province]),
        )
        timed(
            "a body's inbox, without its province",
            lambda: _inbox(t["assignment"], "a.organization_id = %s", [body_id]),
            None,
            lambda: _inbox(BY_PROVINCE, "a.organization_id = %s", [body_id]),
        )
        timed(
            "the whole country's statuses",
            lambda: _statuses(t["assignment"], today),
            lambda: _statuses(KEYED, today),
            lambda: _statuses(BY_PROVINCE, today),
        )
        period = DEFAULT_SCHEDULE.period_on(today)
        timed(
            "the province's reported count for the quarter",
            lambda: _reported(t["report"], t["assignment"], listed, bodies, period.start, period.end),
            None,
            lambda: _reported(REPORTS_BY_YEAR, t["assignment"], listed, bodies, period.start, period.end),
        )
        sample = [row[0] for row in _execute(f"SELECT id FROM {t['assignment']} ORDER BY id LIMIT 50")]
        timed(
            "the reports of fifty assignments",
            lambda: _history(t["report"], sample),
            None,
            lambda: _history(REPORTS_BY_YEAR, sample),
        )
        removal = _removing_a_year()
    finally:
        drop()
    return {"rows": [asdict(row) for row in rows], "took": took, "removal": removal, "province": province}


def _removing_a_year() -> dict[str, Any]:
    """The year with most reports removed from the copy (rolled back): its rows deleted, against its
    partition detached and dropped."""
    from django.db import transaction

    (year,) = _execute(
        f"""SELECT EXTRACT(YEAR FROM sent_on)::int FROM {REPORTS_BY_YEAR} WHERE sent_on IS NOT NULL
        GROUP BY 1 ORDER BY COUNT(*) DESC, 1 LIMIT 1"""
    )[0]
    removed: dict[str, Any] = {"year": year}
    with transaction.atomic():
        started = time.perf_counter()
        _execute(
            f"DELETE FROM {REPORTS_BY_YEAR} WHERE sent_on >= %s AND sent_on < %s",
            [date(year, 1, 1), date(year + 1, 1, 1)],
        )
        removed["delete"] = time.perf_counter() - started
        transaction.set_rollback(True)
    with transaction.atomic():
        started = time.perf_counter()
        _execute(f"ALTER TABLE {REPORTS_BY_YEAR} DETACH PARTITION {REPORTS_BY_YEAR}_{year}")
        _execute(f"DROP TABLE {REPORTS_BY_YEAR}_{year}")
        removed["drop"] = time.perf_counter() - started
        transaction.set_rollback(True)
    removed["rows"] = _execute(f"SELECT COUNT(*) FROM {REPORTS_BY_YEAR}_{year}")[0][0]
    return removed
