"""benchmarks/scale.py compares each page with bare SQL: on a small national set, every page shows what its
bare SQL returns (the same ids in the same order, the same counts), so that the ratios it reports are honest.
One test, because the national registry alone takes most of a minute to write."""

from __future__ import annotations

from benchmarks import scale
from django.test import override_settings

from dondoc.demo.generation.demo import Scale, generate_demo


@override_settings(DONDOC_TODAY=scale.TODAY)
def test_every_page_shows_what_its_bare_sql_returns_and_is_measured(db: None) -> None:
    generate_demo(scale=Scale.NATIONAL, seed=scale.SEED, today=scale.TODAY, assignments=2_000)
    disagreeing = {}
    for page in scale.pages(scale.subjects(), scale.TODAY):
        shown, bare = page.answer(page.open()), page.bare()
        assert bare.ids, f"{page.name}: the bare SQL finds rows (an empty page would agree with anything)"
        if not page.agree(shown, bare):
            disagreeing[page.name] = (shown, bare)
    assert disagreeing == {}
    inbox = scale.measure_page(scale.pages(scale.subjects(), scale.TODAY)[0], warm_up=0, repeat=1)
    assert inbox["median"] > 0 and inbox["bare"] > 0 and inbox["queries"]
    assert scale.measure_reminders(scale.TODAY, warm_up=0, repeat=1)["sent"] > 0
