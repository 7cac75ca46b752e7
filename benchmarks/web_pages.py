"""The pages people open every morning, timed on the server on SQLite and on PostgreSQL.

Each backend runs in a child process (the settings choose the database when Django starts) on a database of
its own: a temporary SQLite file, and `dondoc_bench_web` on the PostgreSQL server at 127.0.0.1:5432 when one
answers as `dondoc` (created, then dropped). In each, the Đắk Nông sample registry is loaded and:

(a) publishing the seed letter with "Các sở, ban, ngành" decided as 300 bodies
    (`benchmarks.publishing.measure`: each run on a fresh draft inside a rolled-back transaction; baseline:
    the same assignments saved one by one);
(b) the letter, then published for good to those bodies, some reports sent and confirmed so that every status
    occurs, is shown to the provincial monitor as its task × body page (`directives:detail`, every body ×
    every task), through Django's test Client (middleware, session, access rules, template), median of 15 GETs
    after 3 warm-up ones; baseline: the statuses alone, read the naive way (one query per assignment);
(c) a district standing board with 2,000 assignments (200 more directives of 10 tasks each, deadlines spread
    over two years, a quarter of them reported) opens its inbox (`directives:inbox`, the first page of the
    list sorted by urgency), the same way; baseline: the same naive status read over its 2,000 assignments.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
PG = {"host": "127.0.0.1", "port": "5432", "user": "dondoc", "password": "dondoc"}
BENCH_DATABASE = "dondoc_bench_web"
TODAY = date(2023, 7, 10)
WARM_UP, REPEAT = 3, 15
INBOX_BODY = "CJU.BTV"
INBOX_DIRECTIVES, INBOX_TASKS = 200, 10


def run() -> str:
    load = os.getloadavg()[0]
    results = {"SQLite": run_child("benchmarks.web_pages", "sqlite", BENCH_DATABASE)}
    note = ""
    if postgresql_answers():
        results["PostgreSQL"] = run_child("benchmarks.web_pages", "postgresql", BENCH_DATABASE)
    else:
        note = "\nPostgreSQL: no server answered on 127.0.0.1:5432 as dondoc; not measured.\n"
    load = max(load, os.getloadavg()[0])
    busy = (
        (
            f"\nThe machine was busy with other work during this run (load average up to {load:.1f} on "
            f"{os.cpu_count()} CPUs): times are longer than on an idle machine.\n"
        )
        if load > 1.5
        else ""
    )
    return _markdown(results) + note + busy


# --- the parent: one child per backend, each on a database of its own ---------------------------------------


def run_child(module: str, backend: str, database: str) -> dict[str, Any]:
    """Run `python -m <module> <backend>` on a fresh database and return the JSON it prints."""
    environment = dict(os.environ, DJANGO_SETTINGS_MODULE="dondoc.settings.dev", PYTHONPATH=str(ROOT / "src"))
    with tempfile.TemporaryDirectory(prefix="dondoc-web-") as folder:
        environment["DONDOC_DATA_DIR"] = folder
        environment.pop("DONDOC_TODAY", None)
        if backend == "sqlite":
            environment |= {"DONDOC_DATABASE": "sqlite", "DONDOC_SQLITE": str(Path(folder) / "bench.sqlite3")}
        else:
            _admin(f"DROP DATABASE IF EXISTS {database}", f"CREATE DATABASE {database}")
            environment |= {
                "DONDOC_DATABASE": "postgresql",
                "PGHOST": PG["host"],
                "PGPORT": PG["port"],
                "PGUSER": PG["user"],
                "PGPASSWORD": PG["password"],
                "PGDATABASE": database,
            }
        try:
            done = subprocess.run(
                [sys.executable, "-m", module, backend],
                cwd=ROOT,
                env=environment,
                capture_output=True,
                text=True,
                check=False,
            )
        finally:
            if backend == "postgresql":
                _admin(f"DROP DATABASE IF EXISTS {database}")
    if done.returncode != 0:
        raise RuntimeError(f"{module} on {backend} failed:\n{done.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def _admin(*statements: str) -> None:
    import psycopg

    with psycopg.connect(dbname="dondoc", autocommit=True, connect_timeout=3, **PG) as connection:
        for statement in statements:
            connection.execute(statement)  # type: ignore[arg-type]


def postgresql_answers() -> bool:
    import psycopg

    try:
        psycopg.connect(dbname="dondoc", autocommit=True, connect_timeout=3, **PG).close()
    except psycopg.Error:
        return False
    return True


def run_on_both_databases(module: str, database: str) -> tuple[dict[str, dict[str, Any]], str]:
    """`module`'s child run on SQLite and, when a server answers, on PostgreSQL, each on a fresh `database`;
    with the note to print under the table: PostgreSQL not measured, or the machine busy during the run."""
    load = os.getloadavg()[0]
    results = {"SQLite": run_child(module, "sqlite", database)}
    note = ""
    if postgresql_answers():
        results["PostgreSQL"] = run_child(module, "postgresql", database)
    else:
        note = "\nPostgreSQL: no server answered on 127.0.0.1:5432 as dondoc; not measured.\n"
    load = max(load, os.getloadavg()[0])
    if load > 1.5:
        note += (
            f"\nThe machine was busy with other work during this run (load average up to {load:.1f} on "
            f"{os.cpu_count()} CPUs): times are longer than on an idle machine.\n"
        )
    return results, note


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms"


def _mark(seconds: float, target: float) -> str:
    return "✅" if seconds <= target else "❌"


def _markdown(results: dict[str, dict[str, Any]]) -> str:
    names = list(results)
    first = results[names[0]]
    head = "| | " + " | ".join(names) + " |\n|---|" + "---|" * len(names) + "\n"

    def line(label: str, cell: Callable[[dict[str, Any]], str]) -> str:
        return f"| {label} | " + " | ".join(cell(results[name]) for name in names) + " |\n"

    return (
        "## Web pages (`benchmarks/web_pages.py`)\n\n"
        "Server-side times through Django's test Client (middleware, session, access rules, queries, "
        f"template), today fixed at {TODAY:%d/%m/%Y}; medians of {REPEAT} requests after {WARM_UP} warm-up "
        "ones, every backend in the same run.\n\n"
        f"**(a) Publishing the seed letter** to {first['bodies']} bodies ({first['assignments']:,} "
        "assignments), median of 5 fresh drafts, each rolled back:\n\n"
        + head
        + line(
            "`publish_directive` (target ≤ 500 ms)",
            lambda r: f"**{_ms(r['publish'])}** {_mark(r['publish'], 0.5)}",
        )
        + line(
            "baseline: the same assignments saved one by one",
            lambda r: f"{_ms(r['publish_naive'])} ({r['publish_naive'] / r['publish']:.1f}× slower)",
        )
        + f"\n**(b) The task × body page** of that letter for the provincial monitor: "
        f"{first['grid_bodies']} bodies × {first['grid_tasks']} tasks ({first['grid_cells']:,} cells, "
        f"{first['grid_kb']:.0f} kB of HTML):\n\n"
        + head
        + line(
            "`directives:detail` (target ≤ 300 ms)",
            lambda r: f"**{_ms(r['grid'])}** {_mark(r['grid'], 0.3)} ({r['grid_queries']} queries)",
        )
        + line("of which the grid's reads (`task_body_grid`)", lambda r: _ms(r["grid_selector"]))
        + line(
            "baseline: the statuses alone, one query per assignment",
            lambda r: f"{_ms(r['grid_naive'])} ({r['grid_naive'] / r['grid']:.1f}× the whole page)",
        )
        + f"\n**(c) A body's inbox** ({INBOX_BODY}, {first['inbox_assignments']:,} assignments, "
        f"first page of {first['inbox_rows']} rows, sorted by urgency):\n\n"
        + head
        + line(
            "`directives:inbox` (target ≤ 150 ms)",
            lambda r: f"**{_ms(r['inbox'])}** {_mark(r['inbox'], 0.15)} ({r['inbox_queries']} queries)",
        )
        + line(
            "baseline: the statuses alone, one query per assignment",
            lambda r: f"{_ms(r['inbox_naive'])} ({r['inbox_naive'] / r['inbox']:.1f}× the whole page)",
        )
    )


# --- the child: one backend --------------------------------------------------------------------------------


def _median_get(client: Any, url: str) -> tuple[float, int, int]:
    """Median time of GET url, its number of queries and its size."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(WARM_UP):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
    times = []
    for _ in range(REPEAT):
        started = time.perf_counter()
        client.get(url)
        times.append(time.perf_counter() - started)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    return statistics.median(times), len(queries), len(response.content)


def _naive_statuses(assignment_ids: list[int]) -> float:
    """Each status read on its own, as a template calling a method per cell would: one query per
    assignment."""
    from dondoc.directives.models import Assignment, ProgressReport, ReportState
    from dondoc.directives.status import assignment_status

    started = time.perf_counter()
    for assignment in Assignment.objects.filter(id__in=assignment_ids).select_related("task"):
        reports = list(
            ProgressReport.objects.filter(
                assignment=assignment,
                state__in=(ReportState.SENT, ReportState.CONFIRMED),
                sent_on__lte=TODAY,
            ).values_list("state", "sent_on", "confirmed_on")
        )
        done = [
            sent
            for state, sent, confirmed in reports
            if state == ReportState.CONFIRMED and confirmed is not None and confirmed <= TODAY
        ]
        assignment_status(
            deadline_kind=assignment.task.deadline_kind,
            due=assignment.due,
            today=TODAY,
            started=bool(reports),
            done_on=min(done) if done else None,
        )
    return time.perf_counter() - started


def _reports(assignment_ids: list[int], *, sent: date) -> None:
    """Reports on some assignments: every third sent, every sixth also confirmed (a completion)."""
    from dondoc.directives.models import ProgressReport, ReportState

    rows = []
    for n, assignment_id in enumerate(assignment_ids):
        if n % 3:
            continue
        confirmed = n % 6 == 0
        rows.append(
            ProgressReport(
                assignment_id=assignment_id,
                text="Đã triển khai",
                percent=100 if confirmed else 50,
                reports_done=confirmed,
                state=ReportState.CONFIRMED if confirmed else ReportState.SENT,
                sent_on=sent,
                confirmed_on=sent + timedelta(days=3) if confirmed else None,
            )
        )
    ProgressReport.objects.bulk_create(rows, batch_size=500)


def _inbox_load(body_id: int) -> int:
    """200 more published directives of 10 tasks each, all assigned to one body; returns its assignments."""
    from django.utils import timezone

    from dondoc.directives.models import Assignment, AssignmentRole, Directive, DirectiveState, Task

    directives = Directive.objects.bulk_create(
        [
            Directive(
                issuer_text="TỈNH ỦY ĐẮK NÔNG",
                number=f"{9000 + n}-CV/TU",
                type_code="CV",
                issued_on=date(2023, 1, 1) + timedelta(days=n),
                subject=f"Văn bản thử số {n}",
                source_text="…",
                duplicate_key=f"bench|{n}",
                search_text=f"van ban thu so {n}",
                state=DirectiveState.PUBLISHED,
                published_at=timezone.now(),
            )
            for n in range(INBOX_DIRECTIVES)
        ]
    )
    tasks = Task.objects.bulk_create(
        [
            Task(
                directive=directive,
                position=p,
                label=str(p),
                text=f"Nhiệm vụ {p} của văn bản {directive.number}",
                deadline_kind="by_date" if p % 4 else "ongoing",
                due=directive.issued_on + timedelta(days=30 * p) if p % 4 else None,
                search_text="nhiem vu",
            )
            for directive in directives
            for p in range(1, INBOX_TASKS + 1)
        ],
        batch_size=500,
    )
    assignments = Assignment.objects.bulk_create(
        [
            Assignment(
                task=task,
                organization_id=body_id,
                role=AssignmentRole.LEAD if task.position % 3 else AssignmentRole.COORDINATING,
                due=task.due,
            )
            for task in tasks
        ],
        batch_size=500,
    )
    _reports([a.pk for a in assignments], sent=date(2023, 5, 2))
    return Assignment.objects.filter(organization_id=body_id).count()


def child(backend: str) -> dict[str, Any]:
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    from benchmarks import publishing
    from dondoc.accounts.models import Role
    from dondoc.accounts.scope import build_scope
    from dondoc.accounts.services import create_member
    from dondoc.directives.access import assignments_for
    from dondoc.directives.models import Assignment
    from dondoc.directives.selectors import task_body_grid
    from dondoc.directives.services import create_draft, publish_directive
    from dondoc.parsing import parse_text
    from dondoc.reading import read_document
    from dondoc.registry.models import Jurisdiction, Organization
    from dondoc.registry.sample import load_sample_registry

    setup_test_environment()  # the test Client's hosts, and no e-mail leaves
    settings.DONDOC_TODAY = TODAY
    settings.DEBUG = False
    call_command("migrate", verbosity=0)
    load_sample_registry()
    result: dict[str, Any] = {"backend": backend}
    result |= publishing.measure()

    # (b) the letter published for good, with reports so that every status occurs
    text = read_document(publishing.SEED).text
    draft = create_draft(parsed=parse_text(text), source_text=text)
    publish_directive(directive=draft, decisions=publishing.decisions())
    assignments = list(
        Assignment.objects.filter(task__directive=draft).order_by("id").values_list("id", flat=True)
    )
    _reports(assignments, sent=date(2023, 5, 10))
    monitor = create_member(
        username="bench-monitor",
        password="x" * 16,
        role=Role.MONITOR,
        organization=Organization.objects.get(code="DNO.BTCTU"),
        jurisdiction=Jurisdiction.objects.get(code="DNO"),
    )
    client = Client()
    client.force_login(monitor)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    result["grid"], result["grid_queries"], size = _median_get(client, f"/directives/{draft.pk}/")
    tasks = list(draft.tasks.order_by("position").values_list("id", flat=True))
    monitor_scope = build_scope(user=monitor)
    assert monitor_scope is not None
    seen = assignments_for(monitor_scope)
    times = []
    for _ in range(REPEAT):
        started = time.perf_counter()
        grid = task_body_grid(task_ids=tasks, assignments=seen, today=TODAY)
        times.append(time.perf_counter() - started)
    result["grid_selector"] = statistics.median(times)
    result |= {
        "grid_bodies": len(grid.rows),
        "grid_tasks": len(tasks),
        "grid_cells": len(assignments),
        "grid_kb": size / 1024,
    }
    result["grid_naive"] = statistics.median(_naive_statuses(assignments) for _ in range(3))

    # (c) one body's inbox with 2,000 assignments
    body = Organization.objects.get(code=INBOX_BODY)
    result["inbox_assignments"] = _inbox_load(body.pk)
    reporter = create_member(
        username="bench-reporter", password="x" * 16, role=Role.UNIT_REPORTER, organization=body
    )
    client = Client()
    client.force_login(reporter)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    result["inbox"], result["inbox_queries"], _size = _median_get(client, "/directives/assignments/")
    with CaptureQueriesContext(connection):
        response = client.get("/directives/assignments/")
    result["inbox_rows"] = len(response.context["rows"]) if response.context else 0
    mine = list(Assignment.objects.filter(organization=body).values_list("id", flat=True))
    result["inbox_naive"] = statistics.median(_naive_statuses(mine) for _ in range(3))
    return result


if __name__ == "__main__":
    print(json.dumps(child(sys.argv[1]), default=str))
