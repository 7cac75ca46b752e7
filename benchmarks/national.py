"""The pages at the issue's full national size (issue 16): 10,000,000 assignments on PostgreSQL, generated
and measured as benchmarks/scale.py does 100,000 and 1,000,000, in a section of its own because it takes an
hour (61 minutes on a server with 6 GB of shared_buffers, docs/deploying.md: 44 generating, 16 measuring, the
whole country's dashboard computed now most of that). Without scale.py's partitioned copies, which its
1,000,000 stand for.
"""

from __future__ import annotations

import time

from benchmarks import scale

SIZE = 10_000_000
BENCH_DATABASE = "dondoc_bench_national"  # its own: scale.py may run beside it


def run() -> str:
    from benchmarks.web_pages import postgresql_answers

    heading = "The pages at the full national size (`benchmarks/national.py`)"
    if not postgresql_answers():
        return f"## {heading}\n\nPostgreSQL: no server answered; not measured.\n"
    started = time.perf_counter()
    result = scale.run_size("postgresql", SIZE, BENCH_DATABASE)
    return scale._markdown([result], time.perf_counter() - started, heading=heading)
