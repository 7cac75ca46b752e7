""" "As of" queries on a 50,000-row history of bodies: do they use the validity indexes, and what do the
indexes save?

A throwaway database (a temporary SQLite file; and a `dondoc_bench` PostgreSQL database when a
server answers, dropped afterwards) gets 50,000 Organization rows: bodies begun and ended across
2000–2026 at four levels, with the 2025 reform (district level ended on 1 July 2025, most communes
merged), parents chosen among the bodies valid when the child begins; and 50,000 appointments to
10,000 posts. After ANALYZE, each typical query, as the selectors build it, is explained and timed
three ways in the same run: with the model's indexes; without the composite validity index meant
for it (dropped inside a rolled-back transaction, so the planner falls back on what else exists);
and with no index at all (SQLite `NOT INDEXED`, PostgreSQL `enable_indexscan`, `enable_bitmapscan`,
`enable_indexonlyscan` off). Each backend runs in a child process, since the settings choose the
database when Django starts.
"""

from __future__ import annotations

import json
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
BODIES = 50_000
POSTS = 10_000
APPOINTMENTS_PER_POST = 5
PEOPLE = 15_000
ON = date(2024, 6, 30)
LONG_AGO = date(2005, 6, 30)
REFORM = date(2025, 7, 1)
REPETITIONS = 7
PG = {"host": "127.0.0.1", "port": "5432", "user": "dondoc", "password": "dondoc"}
BENCH_DATABASE = "dondoc_bench"

# (query, composite index meant to serve it; none for a query that returns most of the table)
QUERIES: list[tuple[str, str | None]] = [
    ("all bodies valid on the date", None),
    (f"all bodies valid on {LONG_AGO:%d/%m/%Y}", None),
    ("provincial departments valid on the date (kind + level)", "org_kind_level_validity"),
    ("children of a parent valid on the date", "org_parent_validity"),
    ("appointments to a post as of the date", "appointment_post_validity"),
]


def run() -> str:
    results = {"SQLite": _child("sqlite")}
    postgresql_note = ""
    if _postgresql_answers():
        _recreate_bench_database()
        try:
            results["PostgreSQL"] = _child("postgresql")
        finally:
            _drop_bench_database()
    else:
        postgresql_note = "\nPostgreSQL: no server answered on 127.0.0.1:5432 as dondoc; not measured.\n"
    return _markdown(results) + postgresql_note


# --- the parent: databases and the report -------------------------------------------------------


def _child(backend: str) -> dict[str, Any]:
    environment = dict(os.environ, DJANGO_SETTINGS_MODULE="dondoc.settings.dev", PYTHONPATH=str(ROOT / "src"))
    with tempfile.TemporaryDirectory(prefix="dondoc-asof-") as folder:
        environment["DONDOC_DATA_DIR"] = folder
        if backend == "sqlite":
            environment |= {"DONDOC_DATABASE": "sqlite", "DONDOC_SQLITE": str(Path(folder) / "bench.sqlite3")}
        else:
            environment |= {
                "DONDOC_DATABASE": "postgresql",
                "PGHOST": PG["host"],
                "PGPORT": PG["port"],
                "PGUSER": PG["user"],
                "PGPASSWORD": PG["password"],
                "PGDATABASE": BENCH_DATABASE,
            }
        done = subprocess.run(
            [sys.executable, "-m", "benchmarks.registry_asof", backend],
            cwd=ROOT,
            env=environment,
            capture_output=True,
            text=True,
            check=False,
        )
    if done.returncode != 0:
        raise RuntimeError(f"registry_asof on {backend} failed:\n{done.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def _admin_connection() -> Any:
    import psycopg

    return psycopg.connect(dbname="dondoc", autocommit=True, connect_timeout=3, **PG)


def _postgresql_answers() -> bool:
    import psycopg

    try:
        _admin_connection().close()
    except psycopg.Error:
        return False
    return True


def _recreate_bench_database() -> None:
    with _admin_connection() as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {BENCH_DATABASE}")
        connection.execute(f"CREATE DATABASE {BENCH_DATABASE}")


def _drop_bench_database() -> None:
    with _admin_connection() as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {BENCH_DATABASE}")


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.2f} ms" if seconds < 1 else f"{seconds:.2f} s"


def _markdown(results: dict[str, dict[str, Any]]) -> str:
    first = next(iter(results.values()))
    built = ", ".join(f"{name} {result['build_seconds']:.1f} s" for name, result in results.items())
    lines = [
        '## Registry: "as of" queries on a 50,000-body history',
        "",
        (
            f"{first['bodies']:,} Organization rows ({first['valid_on']:,} valid on {ON:%d/%m/%Y}), "
            f"{first['appointments']:,} appointments to {first['posts']:,} posts; built in {built}. Each "
            f"query as `dondoc.registry.selectors` builds it (model ordering included), for {ON:%d/%m/%Y}, "
            f"rows fetched with the cursor; median of {REPETITIONS} runs after one warm-up. "
            '"Without its index": the composite validity index meant for the query dropped in a rolled-back '
            'transaction; "no index": SQLite `NOT INDEXED`, PostgreSQL with index and bitmap scans off.'
        ),
        "",
    ]
    lines += [*_reading(results), ""]
    for backend, result in results.items():
        lines += [
            f"### {backend}",
            "",
            (
                "| query | rows | index used | median | without its index: plan | median | no index "
                "| no index ÷ indexed |"
            ),
            "|---|---:|---|---:|---|---:|---:|---:|",
        ]
        for query in result["queries"]:
            indexed, without, scan = query["indexed"], query["without_own_index"], query["no_index"]
            lines.append(
                f"| {query['name']} | {query['rows']:,} | {indexed['access']} | {_ms(indexed['median'])} | "
                f"{without['access']} | {_ms(without['median'])} | {_ms(scan['median'])} | "
                f"{scan['median'] / indexed['median']:.1f}× |"
            )
        lines += ["", f"<details><summary>{backend} query plans</summary>", ""]
        for query in result["queries"]:
            for label, key in (
                ("indexed", "indexed"),
                ("without its index", "without_own_index"),
                ("no index", "no_index"),
            ):
                lines += [f"{query['name']} — {label}:", "", "```", query[key]["plan"].rstrip(), "```", ""]
        lines += ["</details>", ""]
    return "\n".join(lines)


def _reading(results: dict[str, dict[str, Any]]) -> list[str]:
    """What the plans say, with this run's figures."""

    def speedups(position: int) -> str:
        return ", ".join(
            f"{name} {query['no_index']['median'] / query['indexed']['median']:.0f}×"
            for name, result in results.items()
            for query in [result["queries"][position]]
        )

    def accesses(position: int) -> str:
        return "; ".join(
            f"{name}: {result['queries'][position]['indexed']['access']}" for name, result in results.items()
        )

    first = next(iter(results.values()))
    share = first["queries"][0]["rows"] / first["bodies"]
    missed = [
        f"{query['name']} on {name} ({query['indexed']['access']})"
        for name, result in results.items()
        for query in result["queries"][2:]
        if query["own_index"] not in query["indexed"]["access"]
    ]
    uses = "on every backend" if not missed else "except " + "; ".join(missed)
    return [
        "What the plans say:",
        "",
        (
            f"- The selective queries use the composite index made for them, {uses}: kind + level "
            f"({speedups(2)} faster than a full scan), children of a parent ({speedups(3)}), appointments to "
            f"a post ({speedups(4)})."
        ),
        (
            f'- "All bodies valid on a date" returns {share:.0%} of the table, which no B-tree makes cheaper '
            f"({accesses(0)}), so no index is kept for it: an index on (valid_to, valid_from) alone, tried "
            "first, never narrowed the range (open ends are stored as 31/12/9999, so `valid_to > date` "
            "matches every open body) and SQLite, using it, ran slower than its own full scan."
        ),
        (
            "- The foreign keys that lead a composite index (parent; post and person of an appointment; the "
            "body of a post or function) have no single-column index of their own: the composite serves "
            "their lookups, so each insert writes one index less (without the composite, see the table for "
            "what each query falls back on)."
        ),
    ]


# --- the child: build, explain, time --------------------------------------------------------------


def _access(plan: str, table: str) -> str:
    """How the plan reaches the table: the index it searches, or a full scan."""
    patterns = [
        rf"SEARCH {table} USING (?:COVERING )?INDEX (\w+)",
        rf"(?:Index Scan|Index Only Scan) using (\w+) on {table}\b",
        r"Bitmap Index Scan on (\w+)",
    ]
    for pattern in patterns:
        if found := re.search(pattern, plan):
            return f"index `{found.group(1)}`"
    if re.search(rf"SEARCH {table} USING INTEGER PRIMARY KEY", plan):
        return "primary key"
    if re.search(rf"SCAN {table}\b|Seq Scan on {table}\b", plan):
        return "**full scan**"
    return "?"


def _bodies(rng: random.Random) -> list[dict[str, Any]]:
    """Rows of a history: heads (Party committees, People's Committees) parent the bodies of their level and
    the heads of the level below; communes hang under district heads until the 2025 reform, then under
    provinces."""
    from dondoc.registry.models import OPEN_END, OPEN_START, Level, OrganizationKind

    plan = [  # level, heads, others, kinds of the others
        (
            Level.CENTRAL,
            60,
            440,
            [
                OrganizationKind.PARTY_ADVISORY_BODY,
                OrganizationKind.DEPARTMENT,
                OrganizationKind.PUBLIC_SERVICE_UNIT,
                OrganizationKind.INTERNAL_UNIT,
            ],
        ),
        (
            Level.PROVINCE,
            500,
            4_000,
            [OrganizationKind.DEPARTMENT] * 4
            + [
                OrganizationKind.PARTY_ADVISORY_BODY,
                OrganizationKind.PUBLIC_SERVICE_UNIT,
                OrganizationKind.INTERNAL_UNIT,
                OrganizationKind.SOCIO_POLITICAL_ORGANIZATION,
                OrganizationKind.MASS_ASSOCIATION,
            ],
        ),
        (
            Level.DISTRICT,
            1_500,
            13_500,
            [
                OrganizationKind.DEPARTMENT,
                OrganizationKind.PARTY_ADVISORY_BODY,
                OrganizationKind.PUBLIC_SERVICE_UNIT,
                OrganizationKind.SOCIO_POLITICAL_ORGANIZATION,
            ],
        ),
        (
            Level.COMMUNE,
            0,
            30_000,
            [
                OrganizationKind.PARTY_COMMITTEE,
                OrganizationKind.PEOPLES_COMMITTEE,
                OrganizationKind.PEOPLES_COUNCIL,
                OrganizationKind.FATHERLAND_FRONT,
                OrganizationKind.SOCIO_POLITICAL_ORGANIZATION,
                OrganizationKind.PUBLIC_SERVICE_UNIT,
            ],
        ),
    ]
    span = (date(2026, 6, 30) - date(2000, 1, 1)).days

    def validity(level: str) -> tuple[date, date]:
        start = OPEN_START if rng.random() < 0.35 else date(2000, 1, 1) + timedelta(days=rng.randrange(span))
        if level == Level.DISTRICT and start >= REFORM:
            start = date(2000, 1, 1) + timedelta(days=rng.randrange((REFORM - date(2000, 1, 1)).days))
        end = OPEN_END
        if rng.random() < 0.45:
            first = max(start, date(2000, 1, 1)) + timedelta(days=365)
            if first < date(2026, 11, 1):
                end = first + timedelta(days=rng.randrange((date(2026, 11, 1) - first).days))
        if level == Level.DISTRICT:
            end = min(end, REFORM)
        elif level == Level.COMMUNE and start < REFORM < end and rng.random() < 0.6:
            end = REFORM
        return start, end

    rows: list[dict[str, Any]] = []
    heads_by_level: dict[str, list[int]] = {}
    for index, (level, heads, others, kinds) in enumerate(plan):
        above = heads_by_level.get(plan[index - 1][0], []) if index else []
        mine: list[int] = []
        for position in range(heads + others):
            is_head = position < heads
            start, end = validity(level)
            kind = (
                (OrganizationKind.PARTY_COMMITTEE if position % 2 else OrganizationKind.PEOPLES_COMMITTEE)
                if is_head
                else rng.choice(kinds)
            )
            pool = above if is_head else (mine or above)
            if level == Level.COMMUNE:
                pool = above if start < REFORM else heads_by_level[Level.PROVINCE]
            parent = None
            for _ in range(30):  # a parent valid when the child begins, when one is found quickly
                if not pool:
                    break
                candidate = rows[rng.choice(pool)]
                if candidate["valid_from"] <= start < candidate["valid_to"]:
                    parent = candidate["index"]
                    break
            rows.append(
                {
                    "index": len(rows),
                    "level": level,
                    "kind": kind,
                    "parent": parent,
                    "valid_from": start,
                    "valid_to": end,
                    "name": f"{kind.label} {level.label} {len(rows)}",
                }
            )
            if is_head:
                mine.append(len(rows) - 1)
        heads_by_level[level] = mine
    return rows


def _build() -> None:
    from django.core.management import call_command
    from django.db import connection

    from dondoc.registry.models import (
        Appointment,
        Organization,
        Person,
        Post,
        PostKind,
    )
    from dondoc.text import fold

    call_command("migrate", verbosity=0)
    rng = random.Random(2026)
    rows = _bodies(rng)
    pks: list[int] = []
    waiting: list[dict[str, Any]] = []

    def create_waiting() -> None:
        created = Organization.objects.bulk_create(
            [
                Organization(
                    name=row["name"],
                    folded_name=fold(row["name"]),
                    code=f"B{row['index']:05d}",
                    kind=row["kind"],
                    level=row["level"],
                    valid_from=row["valid_from"],
                    valid_to=row["valid_to"],
                    parent_id=None if row["parent"] is None else pks[row["parent"]],
                )
                for row in waiting
            ],
            batch_size=2_000,
        )
        pks.extend(body.pk for body in created)
        waiting.clear()

    for row in rows:
        if row["parent"] is not None and row["parent"] >= len(pks):  # its parent waits too: create that first
            create_waiting()
        waiting.append(row)
    create_waiting()

    people = Person.objects.bulk_create(
        [Person(full_name=f"Nguyễn Văn {n}", is_sample=True) for n in range(PEOPLE)], batch_size=2_000
    )
    posts = Post.objects.bulk_create(
        [
            Post(organization_id=rng.choice(pks), title="Phó Giám đốc", kind=PostKind.DEPUTY)
            for _ in range(POSTS)
        ],
        batch_size=2_000,
    )
    appointments = []
    for post in posts:
        cuts = sorted(
            rng.sample(range(1, (date(2026, 11, 1) - date(2000, 1, 1)).days), APPOINTMENTS_PER_POST)
        )
        starts = [date(2000, 1, 1) + timedelta(days=cut) for cut in cuts]
        for number, start in enumerate(starts):
            end = starts[number + 1] if number + 1 < len(starts) else date(9999, 12, 31)
            appointments.append(
                Appointment(person=rng.choice(people), post=post, valid_from=start, valid_to=end)
            )
    Appointment.objects.bulk_create(appointments, batch_size=2_000)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")


def _measure(backend: str) -> dict[str, Any]:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dondoc.settings.dev")
    import django

    django.setup()
    from django.db import connection, transaction
    from django.db.models import Count

    from dondoc.registry.models import Appointment, Level, Organization, OrganizationKind, Post
    from dondoc.registry.selectors import organizations_as_of

    started = time.perf_counter()
    _build()
    build_seconds = time.perf_counter() - started

    busiest_parent = (
        Organization.objects.exclude(parent=None)
        .values("parent")
        .annotate(n=Count("id"))
        .order_by("-n", "parent")
    )[0]["parent"]
    post = Post.objects.order_by("id")[POSTS // 2]
    querysets = [
        organizations_as_of(on=ON),
        organizations_as_of(on=LONG_AGO),
        organizations_as_of(on=ON, kind=OrganizationKind.DEPARTMENT, level=Level.PROVINCE),
        organizations_as_of(on=ON, parent=Organization.objects.get(pk=busiest_parent)),
        Appointment.objects.as_of(ON).filter(post=post),
    ]
    postgresql = connection.vendor == "postgresql"

    def explain(sql: str, params: tuple[Any, ...]) -> str:
        with connection.cursor() as cursor:
            cursor.execute(
                ("EXPLAIN (ANALYZE, BUFFERS) " if postgresql else "EXPLAIN QUERY PLAN ") + sql, params
            )
            found = cursor.fetchall()
        return "\n".join(row[0] for row in found) if postgresql else "\n".join(str(row[-1]) for row in found)

    def median(sql: str, params: tuple[Any, ...]) -> tuple[float, int]:
        timings, count = [], 0
        for repetition in range(REPETITIONS + 1):
            with connection.cursor() as cursor:
                begun = time.perf_counter()
                cursor.execute(sql, params)
                count = len(cursor.fetchall())
                if repetition:
                    timings.append(time.perf_counter() - begun)
        return statistics.median(timings), count

    def variant(sql: str, params: tuple[Any, ...], table: str) -> dict[str, Any]:
        plan = explain(sql, params)
        seconds, _ = median(sql, params)
        return {"plan": plan, "access": _access(plan, table), "median": seconds}

    @contextmanager
    def without_indexes(table: str) -> Iterator[Callable[[str], str]]:
        if postgresql:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SET enable_indexscan = off; SET enable_bitmapscan = off; SET enable_indexonlyscan = off"
                )
            try:
                yield lambda sql: sql
            finally:
                with connection.cursor() as cursor:
                    cursor.execute(
                        "RESET enable_indexscan; RESET enable_bitmapscan; RESET enable_indexonlyscan"
                    )
        else:
            yield lambda sql: sql.replace(f'FROM "{table}"', f'FROM "{table}" NOT INDEXED', 1)

    queries = []
    for (name, own_index), queryset in zip(QUERIES, querysets, strict=True):
        table = queryset.model._meta.db_table
        sql, params = queryset.query.sql_with_params()
        rows = median(sql, params)[1]
        indexed = variant(sql, params, table)
        without_own_index = indexed
        if own_index is not None:
            # a distinct text per variant: sqlite3 reuses a cached statement
            # planned before the index was dropped
            with transaction.atomic():
                with connection.cursor() as cursor:
                    cursor.execute(f'DROP INDEX "{own_index}"')
                without_own_index = variant(f"{sql} /* without {own_index} */", params, table)
                transaction.set_rollback(True)
        with without_indexes(table) as rewrite:
            no_index = variant(f"{rewrite(sql)} /* no index */", params, table)
        queries.append(
            {
                "name": name,
                "own_index": own_index,
                "rows": rows,
                "indexed": indexed,
                "without_own_index": without_own_index,
                "no_index": no_index,
            }
        )
    return {
        "backend": backend,
        "bodies": Organization.objects.count(),
        "valid_on": Organization.objects.as_of(ON).count(),
        "posts": Post.objects.count(),
        "appointments": Appointment.objects.count(),
        "build_seconds": build_seconds,
        "queries": queries,
    }


if __name__ == "__main__":
    print(json.dumps(_measure(sys.argv[1])))
