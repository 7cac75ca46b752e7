"""`manage.py generate_demo` into an empty database: the same seed writes the same rows, and the command says
how to log in."""

from __future__ import annotations

from datetime import date
from io import StringIO

from django.core.management import call_command
from django.db import transaction
from django.utils import translation

from dondoc.demo.generation.demo import Scale, generate_demo
from dondoc.demo.generation.digest import digest

TODAY = date(2026, 3, 16)


def test_the_same_seed_writes_the_same_rows_and_another_seed_others(db: None) -> None:
    digests = []
    for seed in (3, 3, 4):
        with transaction.atomic():
            generate_demo(scale=Scale.PROVINCE, seed=seed, today=TODAY, assignments=800)
            digests.append(digest())
            transaction.set_rollback(True)

    assert digests[0] == digests[1] != digests[2]


def test_the_command_says_how_to_log_in(db: None) -> None:
    out = StringIO()
    with translation.override("en"):
        call_command(
            "generate_demo",
            "--assignments",
            "300",
            "--today",
            TODAY.isoformat(),
            "--password",
            "demo-password",
            stdout=out,
        )

    assert "300 assignments" in out.getvalue()
    assert "theodoi.lam-dong-2025.1" in out.getvalue()
