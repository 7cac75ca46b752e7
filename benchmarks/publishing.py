"""Publishing the seed letter to 300 bodies (target ≤ 0.5 s): 11 tasks fanned out to thousands of assignments.

The Đắk Nông sample registry is loaded into an empty SQLite database; the reviewer's decision widens
"Các sở, ban, ngành" to 300 bodies so that every task the addressees lead reaches them all. Each run
imports a fresh draft and times `publish_directive` alone (resolution, fan-out, one bulk insert with
history). Baseline in the same run: the same assignments saved one by one.
"""

from __future__ import annotations

import statistics
import time

from benchmarks._django import empty_sqlite_database

SEED = "src/dondoc/samples/1317-CV-TU.md"
RUNS = 5
BODIES = 300
VAGUE = "Các cơ quan, đơn vị liên quan"


def run() -> str:
    with empty_sqlite_database():
        from django.db import transaction

        from dondoc.directives.models import Assignment
        from dondoc.directives.services import create_draft, publish_directive
        from dondoc.parsing import parse_text
        from dondoc.reading import read_document
        from dondoc.registry.models import Organization
        from dondoc.registry.sample import load_sample_registry

        load_sample_registry()
        text = read_document(SEED).text
        parsed = parse_text(text)
        wide = list(Organization.objects.order_by("id").values_list("id", flat=True)[:BODIES])
        decisions = {"Các sở, ban, ngành": wide, VAGUE: []}
        times, naive_times, counts = [], [], []
        for _ in range(RUNS):
            with transaction.atomic():
                draft = create_draft(parsed=parsed, source_text=text)
                started = time.perf_counter()
                publication = publish_directive(directive=draft, decisions=decisions)
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
    publish, naive = statistics.median(times), statistics.median(naive_times)
    assignments, bodies = counts[0]
    return f"""## Publishing a directive (`benchmarks/publishing.py`)

The seed letter (11 tasks) published against the Đắk Nông sample registry on SQLite, with "Các sở, ban, ngành"
decided as {BODIES} bodies: {assignments:,} assignments to {bodies} bodies. Median of {RUNS} runs, each on a fresh
draft, inside a transaction rolled back afterwards.

| | time |
|---|---|
| `publish_directive` (resolve phrases, fan out, one bulk insert with change history) | **{publish * 1000:.0f} ms** (target ≤ 500 ms) {"✅" if publish <= 0.5 else "❌"} |
| baseline: the same assignments saved one by one | {naive * 1000:.0f} ms ({naive / publish:.1f}× slower) |

Not yet measured: the same on PostgreSQL.
"""
