"""benchmarks/scale.py compares each page with bare SQL: on a small national set, every page shows what its
bare SQL returns (the same ids in the same order, the same counts), so that the ratios it reports are honest.
On PostgreSQL, the copies that measure partitioning answer each query as the tables do. The national shape on
three of its provinces (a city, one formed of three, one of one) and the Central: the whole registry took
two minutes of each test run to write, and adds no case the pages read differently."""

from __future__ import annotations

from dataclasses import replace

import pytest
from benchmarks import _partitioning, scale
from django.db import connection
from django.test import override_settings

from dondoc.demo.generation import demo
from dondoc.demo.generation.demo import Scale, generate_demo

PROVINCES = ("Hà Nội", "Lâm Đồng", "Huế")


@override_settings(DONDOC_TODAY=scale.TODAY)
def test_every_page_shows_what_its_bare_sql_returns_and_is_measured(
    db: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(
        demo.SCALES, Scale.NATIONAL, replace(demo.SCALES[Scale.NATIONAL], provinces=PROVINCES)
    )
    generate_demo(scale=Scale.NATIONAL, seed=scale.SEED, today=scale.TODAY, assignments=6_000)
    # the province's monitor reads by the province's key (directives.access._region_condition)
    assert scale.subjects().territory.region is not None
    disagreeing = {}
    for page in scale.pages(scale.subjects(), scale.TODAY):
        shown, bare = page.answer(page.open()), page.bare()
        assert bare.ids, f"{page.name}: the bare SQL finds rows (an empty page would agree with anything)"
        if not page.agree(shown, bare):
            disagreeing[page.name] = (shown, bare)
    assert disagreeing == {}
    inbox = scale.measure_page(scale.pages(scale.subjects(), scale.TODAY)[0], warm_up=0, repeat=3)
    assert inbox["median"] > 0 and inbox["bare"] > 0 and inbox["queries"]
    assert inbox["p95"] >= inbox["median"]
    reminders = scale.measure_reminders(scale.TODAY, warm_up=0, repeat=1)
    assert reminders["sent"] > 0
    # the frame every page pays: the notices page, which reads no assignment
    frame = scale.measure_frame(scale.subjects(), warm_up=0, repeat=1)
    assert frame["median"] > 0 and 3 <= frame["queries"] < len(inbox["queries"])
    section = scale._markdown(
        [
            {
                "backend": connection.vendor,
                "size": 6_000,
                "rows": [{**inbox, "query_count": len(inbox["queries"])}, {**reminders, "query_count": 0}],
                "frame": frame,
                **dict.fromkeys(("bodies", "directives", "reports", "users", "generated_in"), 1),
                **dict.fromkeys(("body_assignments", "directive_assignments", "rss_before", "rss_after"), 1),
                "plans": [],
                "database_gb": 1.5,
                "shared_buffers": "6GB",
            }
        ],
        60.0,
    )
    assert f"a body's inbox {scale._ms(inbox['p95'])}" in section and "the frame" in section
    assert "into a database of 1.50 GB (shared_buffers 6GB)" in section
    if connection.vendor == "postgresql":
        found = scale.subjects()
        bodies = scale.territory_bodies(found.territory.ids)
        # each query's answer on the copies is checked against the tables' inside, raising if they differ
        measured = _partitioning.measure(found.body_id, bodies, scale.TODAY, warm_up=0, repeat=1)
        assert len(measured["rows"]) == 5 and all(row["partitioned"] > 0 for row in measured["rows"])
        assert measured["removal"]["rows"] > 0
        with connection.cursor() as cursor:
            cursor.execute("SELECT COUNT(*) FROM pg_class WHERE relname LIKE 'bench_%%'")
            assert cursor.fetchone() == (0,), "the copies are dropped"
