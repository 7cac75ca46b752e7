"""Importing a 5,000-body workbook into the registry, against openpyxl reading the same file.

Each database runs in a worker process of its own (a fresh interpreter, so its peak RSS is this
benchmark's), on a throwaway database: a temporary SQLite file, and a PostgreSQL database created
for the run and dropped after it when DONDOC_DATABASE=postgresql's server answers.
"""

from __future__ import annotations

import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import openpyxl

CHILDREN = 5_000
PARENTS = 50
RUNS = 5
BENCH_DATABASE = "dondoc_bench_import"
BODY_HEADER = [
    "Mã",
    "Tên",
    "Tên viết tắt",
    "Tên gọi khác",
    "Loại",
    "Cấp",
    "Mã cơ quan cấp trên",
    "Mã địa bàn",
    "Hiệu lực từ",
    "Hiệu lực đến",
]


def write_workbook(path: Path) -> int:
    """5,000 bodies under 50 parents under one root; children come first, so parents are found later in the
    file."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Cơ quan"
    sheet.append(BODY_HEADER)
    for n in range(CHILDREN):
        parent = f"P{n % PARENTS:03}"
        sheet.append(
            [
                f"C{n:05}",
                f"Phòng Nghiệp vụ số {n} thuộc {parent}",
                f"PNV{n}",
                f"Phòng số {n}; PNV số {n}",
                "đơn vị trực thuộc",
                "cấp huyện",
                parent,
                None,
                date(2020, 1, 1 + n % 28),
                None,
            ]
        )
    for p in range(PARENTS):
        sheet.append(
            [
                f"P{p:03}",
                f"Ủy ban nhân dân huyện số {p}",
                "",
                "",
                "Ủy ban nhân dân",
                "cấp huyện",
                "ROOT",
                None,
                "01/01/2015",
                None,
            ]
        )
    sheet.append(
        [
            "ROOT",
            "Ủy ban nhân dân tỉnh",
            "UBND tỉnh",
            "",
            "Ủy ban nhân dân",
            "cấp tỉnh",
            None,
            None,
            None,
            None,
        ]
    )
    workbook.save(path)
    return CHILDREN + PARENTS + 1


def _median(call: Callable[[], object], runs: int, before: Callable[[], object] = lambda: None) -> float:
    times = []
    for _ in range(runs):
        before()
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _maxrss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux


def worker(backend: str) -> dict[str, Any]:
    """Runs in its own process with the database environment already set; returns the figures."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dondoc.settings.dev")
    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from dondoc.registry.models import Organization, OrganizationAlias
    from dondoc.registry.transfer import export_registry, import_registry_file

    call_command("migrate", verbosity=0)
    folder = Path(tempfile.mkdtemp(prefix="dondoc-import-"))
    path = folder / "co-quan.xlsx"
    rows = write_workbook(path)

    def read_only() -> None:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
        for _row in workbook["Cơ quan"].iter_rows(values_only=True):
            pass
        workbook.close()

    def empty() -> None:
        """Straight SQL: the ORM's delete would write a history row per body and take longer than the
        import."""
        models = [
            OrganizationAlias,
            OrganizationAlias.history.model,
            Organization,
            Organization.history.model,
        ]
        with connection.cursor() as cursor:
            cursor.execute(f"UPDATE {Organization._meta.db_table} SET parent_id = NULL")
            for model in models:
                cursor.execute(f"DELETE FROM {model._meta.db_table}")

    def import_file() -> None:
        result = import_registry_file(path=path)
        assert result.ok, [str(problem) for problem in result.errors[:5]]

    empty()
    rss_before = _maxrss_mib()
    import_file()  # the first run also warms caches; its RSS growth is the import's
    rss_delta = _maxrss_mib() - rss_before
    assert Organization.objects.count() == rows
    reimport = _median(import_file, RUNS)  # every row found unchanged: validation without writes
    baseline = _median(read_only, RUNS)
    imported = _median(import_file, RUNS, before=empty)
    empty()
    tracemalloc.start()
    import_file()
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    exported = _median(lambda: export_registry(path=folder / "xuat.xlsx", kinds=None, as_of=None), RUNS)
    return {
        "backend": backend,
        "vendor": _vendor(connection),
        "rows": rows,
        "bytes": path.stat().st_size,
        "baseline": baseline,
        "import": imported,
        "reimport": reimport,
        "export": exported,
        "tracemalloc_mib": peak / 2**20,
        "rss_delta_mib": rss_delta,
    }


def _vendor(connection: Any) -> str:
    if connection.vendor == "sqlite":
        return f"SQLite {connection.Database.sqlite_version}"
    major, minor = divmod(connection.pg_version, 10_000)
    return f"PostgreSQL {major}.{minor}"


def _spawn(backend: str, env: dict[str, str]) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.registry_import", backend],
        cwd=Path(__file__).resolve().parents[1],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=1800,
    )
    if done.returncode != 0:
        raise RuntimeError(f"{backend} worker failed:\n{done.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def _postgres_env() -> tuple[dict[str, str] | None, str]:
    """A database of our own on the local server, or why there is none."""
    try:
        import psycopg
    except ImportError:
        return None, "psycopg is not installed"
    env = {
        **os.environ,
        "DONDOC_DATABASE": "postgresql",
        "PGPASSWORD": os.environ.get("PGPASSWORD", "dondoc"),
    }
    params = {
        "host": env.get("PGHOST", "127.0.0.1"),
        "port": env.get("PGPORT", "5432"),
        "user": env.get("PGUSER", "dondoc"),
        "password": env["PGPASSWORD"],
        "dbname": env.get("PGDATABASE", "dondoc"),
        "connect_timeout": 3,
    }
    try:
        with psycopg.connect(**params, autocommit=True) as connection:
            connection.execute(f"DROP DATABASE IF EXISTS {BENCH_DATABASE}")
            connection.execute(f"CREATE DATABASE {BENCH_DATABASE}")
    except psycopg.Error as error:
        return None, f"PostgreSQL not reachable ({str(error).strip().splitlines()[0]})"
    return {**env, "PGDATABASE": BENCH_DATABASE, "_DROP_AFTER": json.dumps(params)}, ""


def _drop_postgres(env: dict[str, str]) -> None:
    import psycopg

    params = json.loads(env["_DROP_AFTER"])
    with psycopg.connect(**params, autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {BENCH_DATABASE}")


def run() -> str:
    results = []
    load = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="dondoc-import-db-") as folder:
        env = {
            **os.environ,
            "DONDOC_DATABASE": "sqlite",
            "DONDOC_SQLITE": str(Path(folder) / "bench.sqlite3"),
            "DONDOC_DATA_DIR": folder,
        }
        results.append(_spawn("sqlite", env))
        postgres, why_not = _postgres_env()
        if postgres is not None:
            try:
                results.append(_spawn("postgresql", {**postgres, "DONDOC_DATA_DIR": folder}))
            finally:
                _drop_postgres(postgres)
    first = results[0]
    lines = [
        "## Registry import (.xlsx, bodies)",
        "",
        (
            f"A workbook of {first['rows']:,} bodies ({CHILDREN:,} units listed before their {PARENTS} "
            f"parents and root, with two aliases each; {first['bytes'] / 2**20:.1f} MiB) imported into an "
            f"empty throwaway database. Medians of {RUNS} runs. Baseline: openpyxl alone reading the same "
            "file (`read_only=True, data_only=True`, every row's values). Re-import: the same file again, "
            "every row found unchanged (validated, nothing written). Memory: tracemalloc peak of one import "
            "(Python allocations), and the growth of the process's peak RSS (`ru_maxrss`) over the first "
            "import. Every body and alias is written with its change-history row. Load average when the run "
            f"began: {load:.1f}."
        ),
        "",
        (
            "| database | openpyxl read | import | import / read | rows/s | re-import "
            "| export (.xlsx, all kinds) | tracemalloc peak | ru_maxrss growth |"
        ),
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        lines.append(
            f"| {r['vendor']} | {r['baseline']:.2f} s | {r['import']:.2f} s "
            f"| {r['import'] / r['baseline']:.1f}× | {r['rows'] / r['import']:,.0f} "
            f"| {r['reimport']:.2f} s | {r['export']:.2f} s "
            f"| {r['tracemalloc_mib']:.0f} MiB | {r['rss_delta_mib']:.0f} MiB |"
        )
    if len(results) == 1:
        lines += ["", f"PostgreSQL skipped: {why_not}."]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(json.dumps(worker(sys.argv[1])))
