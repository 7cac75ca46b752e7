"""`manage.py generate_demo`: the shape of the generated data (the registry before and after the 2025 mergers,
the mix of deadline kinds, late bodies clustered), its size asked exactly, its determinism for a seed, and its
refusal of a database that already holds data (the command's own output and the determinism, which need an
empty database, are in test_generate_demo_command.py)."""

from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Iterator
from datetime import date
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import Count, Exists, OuterRef
from django.utils import translation

from dondoc.accounts.models import Membership, Role
from dondoc.demo.generation.demo import GenerationSummary, Scale, generate_demo
from dondoc.demo.generation.work import DEADLINE_KIND_MIX
from dondoc.directives.models import Assignment, AssignmentTransfer, ProgressReport, ReportState, Task
from dondoc.registry.history_2025 import EFFECTIVE_ON
from dondoc.registry.models import Level, Organization, Reorganization, ReorganizationKind

TODAY = date(2026, 3, 16)
ASSIGNMENTS = 6_000


# the tests only read what was generated: it is generated once for them all and rolled back after the last
pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def generated(django_db_setup: None, django_db_blocker: Any) -> Iterator[GenerationSummary]:
    with django_db_blocker.unblock(), transaction.atomic():
        yield generate_demo(scale=Scale.PROVINCE, seed=3, today=TODAY, assignments=ASSIGNMENTS)
        transaction.set_rollback(True)


def test_the_assignments_asked_are_written_exactly(generated: GenerationSummary) -> None:
    assert Assignment.objects.count() == generated.tally.assignments == ASSIGNMENTS


def test_the_province_has_its_communes_and_their_bodies_on_both_sides_of_1_july_2025(
    generated: GenerationSummary,
) -> None:
    after = Organization.objects.as_of(EFFECTIVE_ON)
    before = Organization.objects.as_of(date(2025, 6, 30))

    communes_after = after.filter(level=Level.COMMUNE, kind="party_committee").count()
    assert 70 <= communes_after <= 125
    assert 900 <= after.count() <= 1_600  # about 1,200 bodies
    assert not after.filter(level=Level.DISTRICT).exists()  # the district level ended
    assert before.filter(level=Level.DISTRICT, kind="party_committee").count() >= 10
    # about three old communes became one
    assert 2 <= before.filter(level=Level.COMMUNE, kind="party_committee").count() / communes_after <= 4


def test_the_mergers_are_history_committed_through_the_registry(generated: GenerationSummary) -> None:
    kinds = Counter(Reorganization.objects.values_list("kind", flat=True))

    assert kinds[ReorganizationKind.MERGE] > kinds[ReorganizationKind.RENAME] > 0
    assert kinds[ReorganizationKind.DISSOLVE] > 0
    merged = Reorganization.objects.filter(kind=ReorganizationKind.MERGE).annotate(n=Count("originals"))
    assert all(event.n >= 2 for event in merged)
    # the open work of the bodies that ended went on to the bodies that carry it (or into their own)
    confirmed = ProgressReport.objects.filter(assignment=OuterRef("pk"), state=ReportState.CONFIRMED)
    assert AssignmentTransfer.objects.exists()
    assert (
        not Assignment.objects.filter(~Exists(confirmed), organization__valid_to=EFFECTIVE_ON)
        .exclude(transfers__merged_into__isnull=False)
        .exists()
    )


def test_every_deadline_kind_occurs_in_the_proportion_of_the_real_mix(generated: GenerationSummary) -> None:
    counted = Counter(Task.objects.values_list("deadline_kind", flat=True))
    tasks = sum(counted.values())
    weight = sum(DEADLINE_KIND_MIX.values())

    for kind, share in DEADLINE_KIND_MIX.items():
        assert counted[kind.value] > 0
        assert abs(counted[kind.value] / tasks - share / weight) < 0.06, kind


def test_reports_are_spread_over_drafts_sent_confirmed_and_returned(generated: GenerationSummary) -> None:
    states = Counter(ProgressReport.objects.values_list("state", flat=True))

    assert set(states) == set(ReportState.values)
    assert states[ReportState.CONFIRMED] > states[ReportState.RETURNED]
    assert 1.5 <= sum(states.values()) / ASSIGNMENTS <= 4  # about three reports an assignment


def test_a_minority_of_bodies_produces_most_of_the_overdue_work(generated: GenerationSummary) -> None:
    confirmed = ProgressReport.objects.filter(assignment=OuterRef("pk"), state=ReportState.CONFIRMED)
    overdue = Counter(
        Assignment.objects.filter(due__lt=TODAY)
        .filter(~Exists(confirmed))
        .values_list("organization_id", flat=True)
    )
    with_work = Assignment.objects.values("organization_id").distinct().count()
    worst = sum(count for _body, count in overdue.most_common(round(0.15 * with_work)))

    assert worst > 0.5 * sum(overdue.values())


def test_every_body_of_the_province_has_a_reporter_and_a_leader_and_the_province_monitors(
    generated: GenerationSummary,
) -> None:
    roles = Counter(Membership.objects.values_list("role", flat=True))
    bodies = Organization.objects.as_of(TODAY).count()

    assert roles[Role.UNIT_REPORTER] == roles[Role.UNIT_LEADER] == bodies
    assert roles[Role.MONITOR] == 2


def test_the_documents_text_is_vietnamese_in_nfc(generated: GenerationSummary) -> None:
    names = list(Organization.objects.values_list("name", flat=True)[:500])

    assert "Ban Tổ chức Tỉnh ủy Lâm Đồng" in Organization.objects.values_list("name", flat=True)
    assert all(name == unicodedata.normalize("NFC", name) for name in names)


def test_a_database_that_holds_data_is_refused_and_left_as_it_was(generated: GenerationSummary) -> None:
    bodies = Organization.objects.count()

    with translation.override("en"), pytest.raises(CommandError, match="empty database"):
        call_command("generate_demo", "--assignments", "10", "--today", TODAY.isoformat(), stdout=StringIO())

    assert Organization.objects.count() == bodies
