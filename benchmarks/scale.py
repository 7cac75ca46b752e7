"""The pages at national scale (issue 16): each page a user opens, at 100,000 and 1,000,000 assignments on
PostgreSQL and 100,000 on SQLite, timed beside the bare SQL that returns the same answer.

The data is `manage.py generate_demo --scale national --seed 7 --assignments N` (dondoc.demo.generation,
called in-process) with today fixed, into a database of the benchmark's own: a temporary SQLite file, or
`dondoc_bench_scale` on the PostgreSQL server at 127.0.0.1:5432 (created, then dropped), then ANALYZE. The
generator writes only into an empty database, so each size is generated afresh, in a child process of its
own; a second child measures, so that its peak resident memory is the pages' and not the generator's.

Each page is opened through Django's test Client as the user who opens it (force_login): a body's reporter
(the body with most assignments among those with users), a monitor of a province and the monitor of
the whole country (the Central Organization Commission). Median of REPEAT after
WARM_UP, interleaved with its bare SQL (hand-written, connection.cursor()), and the number of queries of one
more run; the two pages with a p95 target (TARGET_PAGES) opened TARGET_REPEAT times, and the frame every
page pays (the notices page, with nothing to list) timed beside them. Every run checks that the page shows
what the bare SQL returns: the same ids in the same order and the same count
(tests/web/test_scale_benchmark.py holds that on a small generated set).
"""

from __future__ import annotations

import json
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from benchmarks.load import percentile

ROOT = Path(__file__).resolve().parents[1]
TODAY = date(2025, 11, 14)  # a Friday, after the 2025 mergers the generated history holds
SEED = 7
BENCH_DATABASE = "dondoc_bench_scale"
SIZES = {"postgresql": (100_000, 1_000_000), "sqlite": (100_000,)}
WARM_UP, REPEAT = 2, 7
# the pages the issue gives a p95 target (a body's inbox, the monitor's overdue list): opened this many times
TARGET_PAGES, TARGET_REPEAT = ("a body's inbox", "the monitor's overdue list"), 21
PAGE_ROWS = 50  # the inbox's and the API's page
LIST_ROWS = 25  # the directive list's page
COUNTED = 10_000  # the inbox counts up to this many rows, then says "more than"
SEARCH = "to chuc"


# --- the parent: per backend and size, a child that generates and one that measures ----------------------


def run() -> str:
    from benchmarks.web_pages import postgresql_answers

    started = time.perf_counter()
    load = os.getloadavg()[0]
    results: list[dict[str, Any]] = []
    backends = ["postgresql", "sqlite"] if postgresql_answers() else ["sqlite"]
    for backend in backends:
        for size in SIZES[backend]:
            results.append(run_size(backend, size))
            load = max(load, os.getloadavg()[0])
    note = "" if "postgresql" in backends else "\nPostgreSQL: no server answered; not measured.\n"
    if load > 1.5:
        note += (
            f"\nThe machine was busy with other work during this run (load average up to {load:.1f} on "
            f"{os.cpu_count()} CPUs): times are longer than on an idle machine.\n"
        )
    return _markdown(results, time.perf_counter() - started) + note


def run_size(backend: str, size: int, database: str = BENCH_DATABASE) -> dict[str, Any]:
    """Generate `size` assignments into a fresh database (on PostgreSQL, `database`), then measure there; the
    two children's results."""
    from benchmarks.web_pages import PG, _admin

    environment = dict(os.environ, DJANGO_SETTINGS_MODULE="dondoc.settings.dev", PYTHONPATH=str(ROOT / "src"))
    environment.pop("DONDOC_TODAY", None)
    with tempfile.TemporaryDirectory(prefix="dondoc-scale-") as folder:
        environment["DONDOC_DATA_DIR"] = folder
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
            generated = _child(environment, "generate", size)
            measured = _child(environment, "measure", size)
        finally:
            if backend == "postgresql":
                _admin(f"DROP DATABASE IF EXISTS {database}")
    return {"backend": backend, "size": size} | generated | measured


def _child(environment: dict[str, str], action: str, size: int) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.scale", action, str(size)],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"benchmarks.scale {action} {size} failed:\n{done.stderr[-3000:]}")
    print(done.stderr[-2000:], file=sys.stderr)
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def generate(size: int) -> dict[str, Any]:
    """The national shape cut to `size` assignments, then ANALYZE."""
    from django.core.management import call_command
    from django.db import connection

    from dondoc.demo.generation.demo import Scale, generate_demo

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    summary = generate_demo(scale=Scale.NATIONAL, seed=SEED, today=TODAY, assignments=size)
    seconds = time.perf_counter() - started
    server: dict[str, Any] = {}
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
        if connection.vendor == "postgresql":
            # what the generation time depends on most: how much of the data the server's own cache holds
            cursor.execute("SELECT pg_database_size(current_database()), current_setting('shared_buffers')")
            (size_in_bytes, shared_buffers) = cursor.fetchone() or (0, "")
            server = {"database_gb": size_in_bytes / 2**30, "shared_buffers": shared_buffers}
    return {
        "generated_in": seconds,
        "bodies": summary.bodies,
        "directives": summary.tally.directives,
        "reports": summary.tally.reports,
        "users": summary.users,
    } | server


# --- who opens the pages, and what they open ---------------------------------------------------------------


@dataclass(frozen=True)
class Territory:
    """A monitor's territories, and their region's key when the monitor's territory is a region (a province
    of the country: registry.Jurisdiction.region), which the pages and the bare SQL then read by."""

    ids: tuple[int, ...]
    region: int | None


@dataclass(frozen=True)
class Subjects:
    reporter: Any  # a User: the reporter of the body with most assignments among those with users
    body_id: int
    body_assignments: int
    monitor: Any  # a User: a monitor of the body's province
    territory: Territory  # what the monitor sees
    central: Any  # a User: a monitor of the whole country (the Central Organization Commission)
    directive_id: int  # the directive with most assignments the monitor sees
    directive_assignments: int


def subjects() -> Subjects:
    from django.db.models import Count

    from dondoc.accounts.models import Membership, Role
    from dondoc.accounts.scope import build_scope
    from dondoc.directives.access import assignments_for
    from dondoc.directives.models import Assignment
    from dondoc.registry.models import Jurisdiction, Level, Organization

    with_reporters = Membership.objects.filter(role=Role.UNIT_REPORTER).values("organization_id")
    body_id, body_assignments = (
        Assignment.objects.filter(organization_id__in=with_reporters)
        .values("organization_id")
        .annotate(n=Count("id"))
        .order_by("-n", "organization_id")
        .values_list("organization_id", "n")[0]
    )
    reporter = Membership.objects.filter(role=Role.UNIT_REPORTER, organization_id=body_id).order_by("id")[0]
    # a monitor of the body's province (the region it lies in: the province it merged into in 2025, if it
    # did), who sees its work
    place = Organization.objects.select_related("jurisdiction").get(pk=body_id).jurisdiction
    while place.level != Level.PROVINCE and place.parent_id is not None:
        place = Jurisdiction.objects.get(pk=place.parent_id)
    if place.region_id is not None:
        place = Jurisdiction.objects.get(pk=place.region_id)
    monitor = Membership.objects.filter(role=Role.MONITOR, jurisdiction=place).order_by("id")[0]
    scope = build_scope(user=monitor.user)
    assert scope is not None and scope.territory_ids
    directive_id, directive_assignments = (
        assignments_for(scope)
        .values("task__directive_id")
        .annotate(n=Count("id"))
        .order_by("-n", "task__directive_id")
        .values_list("task__directive_id", "n")[0]
    )
    central = Membership.objects.filter(role=Role.MONITOR, jurisdiction__parent=None).order_by("id")[0]
    return Subjects(
        central=central.user,
        reporter=reporter.user,
        body_id=body_id,
        body_assignments=body_assignments,
        monitor=monitor.user,
        territory=Territory(
            tuple(sorted(scope.territory_ids)), place.pk if place.region_id == place.pk else None
        ),
        directive_id=directive_id,
        directive_assignments=directive_assignments,
    )


# --- the bare SQL ------------------------------------------------------------------------------------------


def _tables() -> dict[str, str]:
    from dondoc.directives.models import Assignment, Directive, DirectiveRegion, ProgressReport, Task
    from dondoc.registry.models import Jurisdiction, Organization

    return {
        "assignment": Assignment._meta.db_table,
        "directive_region": DirectiveRegion._meta.db_table,
        "task": Task._meta.db_table,
        "directive": Directive._meta.db_table,
        "report": ProgressReport._meta.db_table,
        "organization": Organization._meta.db_table,
        "jurisdiction": Jurisdiction._meta.db_table,
    }


def _fetch(sql: str, parameters: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
    """The rows of `sql` (none for a statement that returns none)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(sql, parameters)
        return list(cursor.fetchall()) if cursor.description else []


def _in(values: Sequence[Any]) -> str:
    return ", ".join(["%s"] * len(values))


def _monitor_scope(territory: Territory | None) -> tuple[str, list[Any]]:
    """A condition on `a`: the assignments a monitor of `territory` sees (bodies there or below a body there,
    or tasks a body there issued). A region's by its key and the few bodies under one of its bodies that lie
    elsewhere; other territories' bodies listed as the page lists them. The tasks issued there that are
    assigned to a body outside those (the others' assignments are the bodies') read by a query of their own.
    Every assignment for a monitor of the whole country (None), whose territories hold every body."""
    if territory is None:
        return "(1 = 1)", []
    t = _tables()
    if territory.region is not None:
        elsewhere = _elsewhere(territory.region)
        listed_bodies, body_parameters = "a.region_id = %s", [territory.region]
        if elsewhere:
            listed_elsewhere, elsewhere_parameters = _ids("a.organization_id", elsewhere)
            listed_bodies = f"({listed_bodies} OR {listed_elsewhere})"
            body_parameters += elsewhere_parameters
        issued_there, issued_parameters = "i.region_id = %s", [territory.region]
    else:
        bodies = territory_bodies(territory.ids)
        if not bodies:
            return "(1 = 0)", []
        listed_bodies, body_parameters = _ids("a.organization_id", bodies)
        issued_there, issued_parameters = f"i.jurisdiction_id IN ({_in(territory.ids)})", list(territory.ids)
    tasks = [
        row[0]
        for row in _fetch(
            f"""SELECT DISTINCT a.task_id FROM {t["assignment"]} a JOIN {t["task"]} tt ON tt.id = a.task_id
                JOIN {t["directive"]} d ON d.id = tt.directive_id
                JOIN {t["organization"]} i ON i.id = d.issuer_id
                WHERE {issued_there} AND NOT {listed_bodies}""",
            [*issued_parameters, *body_parameters],
        )
    ]
    if not tasks:
        return listed_bodies, body_parameters
    listed_tasks, task_parameters = _ids("a.task_id", tasks)
    return f"({listed_bodies} OR {listed_tasks})", [*body_parameters, *task_parameters]


def _elsewhere(region: int) -> list[int]:
    """The bodies under one of the region's bodies that lie in another region (or none)."""
    return [
        row[0]
        for row in _fetch(
            f"""SELECT id FROM {_tables()["organization"]}
                WHERE parent_region_id = %s AND region_id IS DISTINCT FROM %s""",
            [region, region],
        )
    ]


def territory_bodies(territories: Sequence[int]) -> list[int]:
    """The bodies of `territories` and those under a body there."""
    t = _tables()
    places = _in(territories)
    return [
        row[0]
        for row in _fetch(
            f"""SELECT o.id FROM {t["organization"]} o LEFT JOIN {t["organization"]} p ON p.id = o.parent_id
                WHERE o.jurisdiction_id IN ({places}) OR p.jurisdiction_id IN ({places})""",
            [*territories, *territories],
        )
    ]


def _ids(column: str, ids: Sequence[int]) -> tuple[str, list[Any]]:
    """`column` among `ids`: on PostgreSQL one array (psycopg writes each parameter into the statement in
    Python: 15 ms for a province's 4,481 bodies as placeholders), on SQLite placeholders."""
    from django.db import connection

    if connection.vendor == "postgresql":
        return f"{column} = ANY(%s::bigint[])", ["{" + ",".join(map(str, ids)) + "}"]
    # as core.expressions.IdsIn writes it for SQLite, which otherwise probes a two-column index once per id
    return f"+{column} IN ({_in(ids)})", list(ids)


def _overdue(today: date) -> tuple[str, list[Any]]:
    """A condition on `a`: overdue on `today`, by the dates and the kind the database keeps on each
    assignment."""
    sql = """NOT a.without_end AND a.due IS NOT NULL AND a.due < %s
        AND (a.done_from IS NULL OR a.done_from > %s)"""
    return sql, [today, today]


def _status_case(today: date) -> tuple[str, list[Any]]:
    """A CASE on `a`: the status on `today`, by the dates and the kind kept on `a`."""
    sql = """CASE
            WHEN a.without_end OR a.due IS NULL THEN 'no_deadline'
            WHEN a.done_in_time_from <= %s THEN 'done_on_time'
            WHEN a.done_from <= %s THEN 'done_late'
            WHEN a.due < %s THEN 'overdue'
            WHEN a.started_from <= %s THEN 'in_progress'
            ELSE 'not_yet_due' END"""
    return sql, [today, today, today, today]


def _capped_count(sql: str, parameters: list[Any]) -> int:
    return int(_fetch(f"SELECT COUNT(*) FROM ({sql} LIMIT {COUNTED + 1}) capped", parameters)[0][0])


@dataclass(frozen=True)
class Answer:
    """What a page shows, or its bare SQL returns: ids in their order, and a count."""

    ids: tuple[Any, ...]
    count: int


def inbox_sql(body_id: int, today: date) -> Answer:
    """The body's first page in the inbox's order (overdue, newest deadline first; open, nearest first;
    without a deadline, unreported for the current quarter first; done, newest deadline first; newest
    assignment among equals) and its size counted up to COUNTED + 1, in two queries."""
    from dondoc.periods import DEFAULT_SCHEDULE

    t = _tables()
    period = DEFAULT_SCHEDULE.period_on(today)
    rows = f"""
        SELECT id FROM (
            SELECT a.id, a.due,
                CASE WHEN a.without_end OR a.due IS NULL THEN 2
                     WHEN a.done_from <= %s THEN 3
                     WHEN a.due < %s THEN 0 ELSE 1 END AS segment,
                CASE WHEN EXISTS (SELECT 1 FROM {t["report"]} r WHERE r.assignment_id = a.id AND (
                         (r.period_start <= %s AND r.period_end >= %s)
                         OR (r.period_start IS NULL AND r.sent_on >= %s AND r.sent_on <= %s))) THEN 1 ELSE 0
                END AS reported
            FROM {t["assignment"]} a
            WHERE a.organization_id = %s
        ) ranked
        ORDER BY segment, CASE WHEN segment IN (0, 3) THEN due END DESC, CASE WHEN segment = 1 THEN due END,
                 CASE WHEN segment = 2 THEN reported END, id DESC
        LIMIT {PAGE_ROWS}"""
    parameters = [today, today, period.end, period.start, period.start, period.end, body_id]
    ids = tuple(row[0] for row in _fetch(rows, parameters))
    count = _capped_count(f"SELECT 1 FROM {t['assignment']} a WHERE a.organization_id = %s", [body_id])
    return Answer(ids, count)


def overdue_sql(territories: Territory | None, today: date, *, newest_first: bool, capped: bool) -> Answer:
    """The overdue assignments a monitor sees: the first page by deadline (newest first as the inbox lists
    them, oldest first as the API does) and how many (up to COUNTED + 1 when `capped`, as the inbox
    counts)."""
    t = _tables()
    seen, seen_parameters = _monitor_scope(territories)
    overdue, overdue_parameters = _overdue(today)
    base = f"""FROM {t["assignment"]} a WHERE {seen} AND {overdue}"""
    parameters = [*seen_parameters, *overdue_parameters]
    order = "a.due DESC, a.id DESC" if newest_first else "a.due, a.id"
    ids = tuple(
        row[0] for row in _fetch(f"SELECT a.id {base} ORDER BY {order} LIMIT {PAGE_ROWS}", parameters)
    )
    if capped:
        return Answer(ids, _capped_count(f"SELECT 1 {base}", parameters))
    return Answer(ids, int(_fetch(f"SELECT COUNT(*) {base}", parameters)[0][0]))


def grid_sql(territories: Territory, directive_id: int, today: date) -> Answer:
    """Every assignment of the directive the monitor sees with its status (sorted: the grid's order is by
    body), one query."""
    t = _tables()
    seen, seen_parameters = _monitor_scope(territories)
    status, status_parameters = _status_case(today)
    sql = f"""SELECT a.id, {status} FROM {t["assignment"]} a JOIN {t["task"]} t ON t.id = a.task_id
        WHERE t.directive_id = %s AND {seen}"""
    rows = sorted(_fetch(sql, [*status_parameters, directive_id, *seen_parameters]))
    return Answer(tuple(rows), len(rows))


def _visible_directives(territories: Territory | None) -> tuple[str, list[Any]]:
    """A condition on `d`: the directives a monitor reads (published with an assignment they see, published
    and assigning nothing, drafts of their territories or of none)."""
    from dondoc.directives.models import DirectiveState

    t = _tables()
    seen, seen_parameters = _monitor_scope(territories)
    drafts = (
        "1 = 1"
        if territories is None
        else f"(d.jurisdiction_id IS NULL OR d.jurisdiction_id IN ({_in(territories.ids)}))"
    )
    # a territory's directives from its assignments, read once; a region's from the counts the database
    # keeps per directive and region, those its bodies issued and those of the few bodies under one of its
    # bodies that lie elsewhere; every directive with any for the whole country's (the flag the database
    # keeps on each directive), as directives.access does
    if territories is None:
        assigned, assigned_parameters = "d.has_assignments", []
    elif territories.region is not None:
        elsewhere = _elsewhere(territories.region)
        assigned = f"""(d.id IN (SELECT directive_id FROM {t["directive_region"]} WHERE region_id = %s)
            OR (d.has_assignments
                AND d.issuer_id IN (SELECT id FROM {t["organization"]} WHERE region_id = %s)))"""
        assigned_parameters = [territories.region, territories.region]
        if elsewhere:
            listed, listed_parameters = _ids("a.organization_id", elsewhere)
            assigned = f"""({assigned} OR d.id IN (SELECT t.directive_id FROM {t["assignment"]} a
                JOIN {t["task"]} t ON t.id = a.task_id WHERE {listed}))"""
            assigned_parameters += listed_parameters
    else:
        assigned = f"""d.id IN (SELECT t.directive_id FROM {t["assignment"]} a JOIN {t["task"]} t
            ON t.id = a.task_id WHERE {seen})"""
        assigned_parameters = seen_parameters
    sql = f"""(
        (d.state = %s AND {assigned})
        OR (d.state = %s AND NOT d.has_assignments)
        OR (d.state = %s AND {drafts}))"""
    published, draft = DirectiveState.PUBLISHED.value, DirectiveState.DRAFT.value
    return sql, [published, *assigned_parameters, published, draft, *(territories.ids if territories else ())]


def directive_list_sql(territories: Territory | None) -> Answer:
    """The first page of the directives the monitor reads, newest first, and how many: two queries."""
    visible, parameters = _visible_directives(territories)
    base = f"FROM {_tables()['directive']} d WHERE {visible}"
    ids = tuple(
        row[0]
        for row in _fetch(
            f"SELECT d.id {base} ORDER BY d.issued_on DESC, d.id DESC LIMIT {LIST_ROWS}", parameters
        )
    )
    return Answer(ids, int(_fetch(f"SELECT COUNT(*) {base}", parameters)[0][0]))


def search_sql(territories: Territory | None, words: str) -> Answer:
    """The tasks and the directives whose folded text holds `words` among those the monitor reads: the first
    PAGE_ROWS of each (tasks by their directive, newest first, then position), and how many directives."""
    from dondoc.text import fold

    t = _tables()
    visible, parameters = _visible_directives(territories)
    pattern = f"%{fold(words)}%"
    tasks = _fetch(
        f"""SELECT tk.id FROM {t["task"]} tk JOIN {t["directive"]} d ON d.id = tk.directive_id
            WHERE tk.search_text LIKE %s AND {visible}
            ORDER BY d.issued_on DESC, d.id DESC, tk.position LIMIT {PAGE_ROWS}""",
        [pattern, *parameters],
    )
    base = f"FROM {t['directive']} d WHERE d.search_text LIKE %s AND {visible}"
    documents = _fetch(
        f"SELECT d.id {base} ORDER BY d.issued_on DESC, d.id DESC LIMIT {PAGE_ROWS}", [pattern, *parameters]
    )
    count = int(_fetch(f"SELECT COUNT(*) {base}", [pattern, *parameters])[0][0])
    return Answer((tuple(row[0] for row in tasks), tuple(row[0] for row in documents)), count)


def status_counts_sql(territories: Territory | None, today: date) -> dict[str, int]:
    """How many assignments the monitor sees have each status, in one aggregate query."""
    t = _tables()
    seen, seen_parameters = _monitor_scope(territories)
    status, status_parameters = _status_case(today)
    sql = f"""SELECT {status} AS status, COUNT(*)
        FROM {t["assignment"]} a WHERE {seen} GROUP BY 1"""
    return {status: int(n) for status, n in _fetch(sql, [*status_parameters, *seen_parameters]) if n}


# --- the pages, as their users see them --------------------------------------------------------------------


_ASSIGNMENT_LINK = re.compile(r'href="/directives/assignments/(\d+)/"')
_TOTAL = re.compile(r'id="inbox-count" data-total="(\d+)"')
_GRID_CELL = re.compile(r'<td class="s-(\w+)"><a href="/directives/assignments/(\d+)/"')
_DIRECTIVE_LINK = re.compile(r'href="/directives/(\d+)/"')
_TASK_LINK = re.compile(r'href="/directives/\d+/#task-(\d+)"')


def _get(client: Any, url: str) -> Any:
    response = client.get(url, headers={"accept-language": "en"})
    assert response.status_code == 200, (url, response.status_code)
    return response


def _inbox_answer(response: Any) -> Answer:
    text = response.content.decode()
    total = _TOTAL.search(text)
    assert total is not None
    return Answer(tuple(int(pk) for pk in _ASSIGNMENT_LINK.findall(text)), int(total.group(1)))


def _grid_answer(response: Any) -> Answer:
    cells = sorted((int(pk), status) for status, pk in _GRID_CELL.findall(response.content.decode()))
    return Answer(tuple(cells), len(cells))


def _list_answer(response: Any) -> Answer:
    return Answer(tuple(int(pk) for pk in _DIRECTIVE_LINK.findall(response.content.decode())), -1)


def _search_answer(response: Any) -> Answer:
    text = response.content.decode()
    tasks = tuple(int(pk) for pk in _TASK_LINK.findall(text))
    documents = tuple(int(pk) for pk in _DIRECTIVE_LINK.findall(text))
    return Answer((tasks, documents), -1)


def _api_answer(response: Any) -> Answer:
    body = response.json()
    return Answer(tuple(item["id"] for item in body["items"]), int(body["count"]))


@dataclass(frozen=True)
class Page:
    """A page as its user opens it, and the bare SQL that returns the same answer; `agree` says whether the
    two answers are the same (the parts the page shows)."""

    name: str
    open: Callable[[], Any]  # the response
    answer: Callable[[Any], Answer]  # what the response shows
    bare: Callable[[], Answer]
    agree: Callable[[Answer, Answer], bool]


def _same(page: Answer, bare: Answer) -> bool:
    return page == bare


def _same_ids(page: Answer, bare: Answer) -> bool:
    return page.ids == bare.ids


def _cells_shown(page: Answer, bare: Answer) -> bool:
    """Every cell the grid shows is an assignment the bare SQL returns, with its status. The grid has one cell
    per body and task: two assignments of one task held by one body (after a merger) show as one cell."""
    return set(page.ids) <= set(bare.ids)


def pages(found: Subjects, today: date) -> list[Page]:
    """The pages measured, each with its client logged in as its user."""
    from django.test import Client

    reporter, monitor, central = Client(), Client(), Client()
    reporter.force_login(found.reporter)
    monitor.force_login(found.monitor)
    central.force_login(found.central)
    territories = found.territory
    return [
        Page(
            "a body's inbox",
            lambda: _get(reporter, "/directives/assignments/"),
            _inbox_answer,
            lambda: inbox_sql(found.body_id, today),
            _same,
        ),
        Page(
            "the monitor's overdue list",
            lambda: _get(monitor, "/directives/assignments/?status=overdue"),
            _inbox_answer,
            lambda: overdue_sql(territories, today, newest_first=True, capped=True),
            _same,
        ),
        Page(
            "a directive's task × body page",
            lambda: _get(monitor, f"/directives/{found.directive_id}/"),
            _grid_answer,
            lambda: grid_sql(territories, found.directive_id, today),
            _cells_shown,
        ),
        Page(
            "a directive's follow-up by period (bare: its grid alone)",
            lambda: _get(monitor, f"/followup/directives/{found.directive_id}/"),
            _grid_answer,
            lambda: grid_sql(territories, found.directive_id, today),
            _cells_shown,
        ),
        Page(
            f'search "{SEARCH}"',
            lambda: _get(monitor, f"/directives/search/?q={SEARCH.replace(' ', '+')}"),
            _search_answer,
            lambda: search_sql(territories, SEARCH),
            _same_ids,
        ),
        Page(
            "API assignments with a status filter",
            lambda: _get(monitor, "/api/assignments/?status=overdue"),
            _api_answer,
            lambda: overdue_sql(territories, today, newest_first=False, capped=False),
            _same,
        ),
        Page(
            "the directive list",
            lambda: _get(monitor, "/directives/"),
            _list_answer,
            lambda: directive_list_sql(territories),
            _same_ids,
        ),
        *_dashboard_pages("the overall dashboard", monitor, territories, today),
        Page(
            "the whole country's overdue list",
            lambda: _get(central, "/directives/assignments/?status=overdue"),
            _inbox_answer,
            lambda: overdue_sql(None, today, newest_first=True, capped=True),
            _same,
        ),
        Page(
            "the whole country's directive list",
            lambda: _get(central, "/directives/"),
            _list_answer,
            lambda: directive_list_sql(None),
            _same_ids,
        ),
        Page(
            f'the whole country\'s search "{SEARCH}"',
            lambda: _get(central, f"/directives/search/?q={SEARCH.replace(' ', '+')}"),
            _search_answer,
            lambda: search_sql(None, SEARCH),
            _same_ids,
        ),
        *_dashboard_pages("the whole country's dashboard", central, None, today),
    ]


DASHBOARD = "/followup/dashboard/"
FRAME = "/directives/notifications/"


def _dashboard_pages(name: str, client: Any, territories: Territory | None, today: date) -> list[Page]:
    """A monitor's dashboard as its readers get it (the figures kept) and as computed now (its POST), each
    against the bare aggregate."""

    def bare() -> Answer:
        return Answer(tuple(sorted(status_counts_sql(territories, today).items())), -1)

    return [
        Page(name, lambda: _get(client, DASHBOARD), _dashboard_shown, bare, _same_ids),
        Page(
            f"{name}, computed now",
            lambda: _compute_now(client),
            lambda _response: _dashboard_shown(_get(client, DASHBOARD)),
            bare,
            _same_ids,
        ),
    ]


_FIGURE = re.compile(r'data-figure="(\w+)"[^>]*><span class="figure-value">([^<]+)</span>')


def _compute_now(client: Any) -> Any:
    """The dashboard's "compute now": its figures computed and kept, then back to the page (not followed)."""
    response = client.post(DASHBOARD, headers={"accept-language": "en"})
    assert response.status_code == 302, response.status_code
    return response


def _dashboard_shown(response: Any) -> Answer:
    """The counts the dashboard page shows (those without an end date, split on the page by their report for
    the period, added up again)."""
    shown: dict[str, int] = {}
    for key, value in _FIGURE.findall(response.content.decode()):
        name = "no_deadline" if key in ("reported", "not_reported") else key
        shown[name] = shown.get(name, 0) + int(re.sub(r"\D", "", value))
    return Answer(tuple(sorted((name, n) for name, n in shown.items() if n)), -1)


# --- the measurement ---------------------------------------------------------------------------------------


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux


def measure_page(page: Page, *, warm_up: int = WARM_UP, repeat: int = REPEAT) -> dict[str, Any]:
    """The page's median and its bare SQL's, interleaved; the queries of one more opening, each timed. Every
    opening is checked against the bare SQL's answer."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times: list[float] = []
    bare_times: list[float] = []
    for attempt in range(warm_up + repeat):
        started = time.perf_counter()
        bare = page.bare()
        bare_seconds = time.perf_counter() - started
        started = time.perf_counter()
        response = page.open()
        seconds = time.perf_counter() - started
        shown = page.answer(response)
        if not page.agree(shown, bare):
            raise AssertionError(f"{page.name}: the page shows {shown}, the bare SQL returns {bare}")
        if attempt >= warm_up:
            times.append(seconds)
            bare_times.append(bare_seconds)
    with CaptureQueriesContext(connection) as queries:
        page.open()
    return {
        "page": page.name,
        "median": statistics.median(times),
        "p95": percentile(times, 0.95),
        "bare": statistics.median(bare_times),
        "queries": [(query["sql"], float(query["time"])) for query in queries.captured_queries],
    }


def measure_frame(found: Subjects, *, warm_up: int = WARM_UP, repeat: int = REPEAT) -> dict[str, Any]:
    """What every page pays before its own work: the reporter's notices page, which lists nothing here
    (session, user, role, menu with the unread count, the base template)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.force_login(found.reporter)
    times = []
    for attempt in range(warm_up + repeat):
        started = time.perf_counter()
        _get(client, FRAME)
        if attempt >= warm_up:
            times.append(time.perf_counter() - started)
    with CaptureQueriesContext(connection) as queries:
        _get(client, FRAME)
    return {"median": statistics.median(times), "queries": len(queries.captured_queries)}


def measure_reminders(today: date, *, warm_up: int = WARM_UP, repeat: int = REPEAT) -> dict[str, Any]:
    """send_reminders(today), each run rolled back, beside the bare SQL that finds who is due
    (benchmarks.followup.who_is_due); the two must agree on the in-app reminders."""
    from django.db import transaction

    from benchmarks.followup import who_is_due
    from dondoc.followup.models import ReminderRule
    from dondoc.followup.services.reminders import send_reminders

    rules = list(ReminderRule.objects.filter(active=True).order_by("pk"))
    times: list[float] = []
    bare_times: list[float] = []
    for attempt in range(warm_up + repeat):
        started = time.perf_counter()
        due = who_is_due(rules, today)
        bare_seconds = time.perf_counter() - started
        with transaction.atomic():
            started = time.perf_counter()
            summary = send_reminders(today=today)
            seconds = time.perf_counter() - started
            transaction.set_rollback(True)
        if summary.in_app != len(due):
            raise AssertionError(
                f"the reminder run: {summary.in_app} in-app reminders, the bare SQL {len(due)}"
            )
        if attempt >= warm_up:
            times.append(seconds)
            bare_times.append(bare_seconds)
    return {
        "page": "the reminder run",
        "median": statistics.median(times),
        "bare": statistics.median(bare_times),
        "queries": [],
        "sent": len(due),
    }


def _explain(sql: str) -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
        return "\n".join(row[0] for row in cursor.fetchall())


def measure(size: int) -> dict[str, Any]:
    """Every page at this size, the overdue list and the dashboard first so that the peak resident memory
    after them is theirs; on PostgreSQL at the largest size the plans of the two slowest queries."""
    from django.conf import settings
    from django.db import connection
    from django.test import override_settings

    settings.DONDOC_TODAY = TODAY
    settings.DEBUG = False
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    # the static files where they are, as the tests read them: a fresh data folder holds no manifest
    plain = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    override_settings(STORAGES=settings.STORAGES | {"staticfiles": plain}).enable()
    found = subjects()
    measured = {page.name: page for page in pages(found, TODAY)}
    memory_before = _peak_rss_mb()
    first = ("the monitor's overdue list", "the overall dashboard, computed now")
    results = {name: measure_page(measured[name]) for name in first}
    memory_after = _peak_rss_mb()
    results |= {
        name: measure_page(page, repeat=TARGET_REPEAT if name in TARGET_PAGES else REPEAT)
        for name, page in measured.items()
        if name not in first
    }
    rows = [results[name] for name in measured] + [measure_reminders(TODAY)]
    plans = []
    if connection.vendor == "postgresql" and size >= max(SIZES["postgresql"]):
        every = [(seconds, sql, row["page"]) for row in rows for sql, seconds in row["queries"]]
        for seconds, sql, name in sorted(every, reverse=True)[:2]:
            plans.append({"page": name, "seconds": seconds, "sql": sql, "plan": _explain(sql)})
    for row in rows:
        row["query_count"] = len(row.pop("queries"))
    partitioning = None
    # the partitioned copies at the sizes of this module (benchmarks/national.py's 10,000,000 go without)
    if connection.vendor == "postgresql" and size in SIZES["postgresql"]:
        from benchmarks import _partitioning

        bodies = territory_bodies(found.territory.ids)
        partitioning = _partitioning.measure(found.body_id, bodies, TODAY)
    return {
        "rows": rows,
        "frame": measure_frame(found),
        "rss_before": memory_before,
        "rss_after": memory_after,
        "body_assignments": found.body_assignments,
        "directive_assignments": found.directive_assignments,
        "plans": plans,
        "partitioning": partitioning,
    }


# --- the section -------------------------------------------------------------------------------------------


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:,.1f} ms" if seconds < 0.1 else f"{seconds * 1000:,.0f} ms"


def _markdown(
    results: list[dict[str, Any]],
    seconds: float,
    heading: str = "The pages at national scale (`benchmarks/scale.py`)",
) -> str:
    names = [f"{'PostgreSQL' if r['backend'] == 'postgresql' else 'SQLite'} {r['size']:,}" for r in results]
    day, minutes = f"{TODAY:%d/%m/%Y}", seconds / 60
    lines = [
        f"## {heading}\n",
        " ".join(
            f"""`generate_demo --scale national --seed {SEED} --assignments N`, today {day}, ANALYZE
            after; each size generated afresh (the generator writes only into an empty database). Each page
            through Django's test Client as its user (a province's monitor; the whole country's
            monitor; the reporter of the body with most assignments), median of {REPEAT} after {WARM_UP}
            warm-ups, interleaved with the bare SQL that returns the same answer (the same ids in the same
            order, the same count: checked on every opening). Cells: page median / ratio to the bare SQL
            (queries of the page). Whole run {minutes:.1f} min.""".split()
        )
        + "\n",
        "| page | " + " | ".join(names) + " |",
        "|---|" + "---|" * len(names),
    ]
    for index, row in enumerate(results[0]["rows"]):
        cells = []
        for result in results:
            each = result["rows"][index]
            queries = f" ({each['query_count']} q)" if each["query_count"] else ""
            cells.append(f"{_ms(each['median'])} / {each['median'] / each['bare']:.1f}×{queries}")
        lines.append(f"| {row['page']} | " + " | ".join(cells) + " |")
    lines.append(
        "| bare SQL of each page (same order) | "
        + " | ".join(", ".join(_ms(each["bare"]) for each in result["rows"]) for result in results)
        + " |"
    )
    lines.append("")
    data = "; ".join(
        f"{name}: {r['bodies']:,} bodies, {r['directives']:,} directives, {r['reports']:,} progress reports, "
        f"{r['users']:,} users, generated in {r['generated_in']:.0f} s{_server(r)}; the body's inbox "
        f"{r['body_assignments']:,} assignments, the directive {r['directive_assignments']:,}; peak RSS "
        f"{r['rss_before']:.0f} MB before the overdue list and dashboard, {r['rss_after']:.0f} MB after"
        for name, r in zip(names, results, strict=True)
    )
    lines.append(f"Data and memory: {data}.\n")
    targets = "; ".join(
        f"{name}: "
        + ", ".join(f"{row['page']} {_ms(row['p95'])}" for row in r["rows"] if row["page"] in TARGET_PAGES)
        + f"; the frame {_ms(r['frame']['median'])} ({r['frame']['queries']} q)"
        for name, r in zip(names, results, strict=True)
    )
    lines.append(
        f"The p95 of the pages with a target (≤ 50 ms), of {TARGET_REPEAT} openings, and the frame every "
        f"page pays before its own work (the reporter's notices page with nothing to list: session, user, "
        f"role, menu and unread count, the base template), median of {REPEAT}: {targets}.\n"
    )
    lines += _partitioning_markdown([r for r in results if r.get("partitioning")])
    for result in results:
        for plan in result["plans"]:
            text = "\n".join(
                line if len(line) <= 160 else line[:159] + "…" for line in plan["plan"].splitlines()
            )
            sql = plan["sql"] if len(plan["sql"]) <= 600 else plan["sql"][:599] + "…"
            lines.append(
                f"<details><summary>PostgreSQL {result['size']:,}: the slowest query of {plan['page']} "
                f"({_ms(plan['seconds'])}), EXPLAIN (ANALYZE, BUFFERS)</summary>\n\n"
                f"```\n{sql}\n\n{text}\n```\n"
                "</details>\n"
            )
    return "\n".join(lines) + "\n"


def _server(result: dict[str, Any]) -> str:
    if "database_gb" not in result:
        return ""
    return f" into a database of {result['database_gb']:.2f} GB (shared_buffers {result['shared_buffers']})"


def _partitioning_markdown(results: list[dict[str, Any]]) -> list[str]:
    """benchmarks._partitioning's figures: each query's bare SQL on the tables as they are, keyed by province,
    and partitioned (by province for assignments, by year for progress reports)."""
    if not results:
        return []
    names = [f"PostgreSQL {r['size']:,}" for r in results]
    lines = [
        "### What partitioning would give\n",
        " ".join(
            f"""The same data, copied in the same run (`benchmarks/_partitioning.py`): assignments with their
            body's province as a column indexed (province, deadline), that copy partitioned by province
            (one partition each, the central bodies' in a default one), and progress reports partitioned by
            year of sending. Bare SQL only, median of {REPEAT}, each answer checked equal on every table;
            the page is {PAGE_ROWS} rows, counted up to {COUNTED + 1:,}. Cells: as they are, a province's
            bodies named in a list (as before the tables carried the region key; a district's monitor still
            reads so) / keyed, as the tables now are (`region_id`, on the copy) / partitioned (— where the key
            is no part of the query).""".split()
        )
        + "\n",
        "| query | " + " | ".join(names) + " |",
        "|---|" + "---|" * len(names),
    ]
    for index, row in enumerate(results[0]["partitioning"]["rows"]):
        cells = []
        for result in results:
            each = result["partitioning"]["rows"][index]
            keyed = _ms(each["keyed"]) if each["keyed"] is not None else "—"
            cells.append(f"{_ms(each['current'])} / {keyed} / {_ms(each['partitioned'])}")
        lines.append(f"| {row['query']} | " + " | ".join(cells) + " |")
    removal = [
        f"{name}: deleting {r['partitioning']['removal']['year']}'s "
        f"{r['partitioning']['removal']['rows']:,} reports {_ms(r['partitioning']['removal']['delete'])}, "
        f"detaching and dropping its partition {_ms(r['partitioning']['removal']['drop'])}; building the "
        + ", ".join(f"{what} {seconds:.1f} s" for what, seconds in r["partitioning"]["took"].items())
        for name, r in zip(names, results, strict=True)
    ]
    lines.append("")
    lines.append("Removing a year, and building the copies: " + "; ".join(removal) + ".\n")
    return lines


if __name__ == "__main__":
    import django

    django.setup()
    action, size = sys.argv[1], int(sys.argv[2])
    print(json.dumps(generate(size) if action == "generate" else measure(size), default=str))
