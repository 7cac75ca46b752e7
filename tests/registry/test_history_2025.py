"""The 2025 reorganisation committed onto the Đắk Nông sample: the district level gone, the 28 new communes
there, old names resolving to the body of the day asked, every event citing its decision, loaded once (what is
refused on an empty or a 2023-only registry: test_history_2025_refusals.py)."""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from django.db import transaction
from django.utils import translation

from dondoc.registry.history_2025 import (
    EFFECTIVE_ON,
    HISTORY_FILE,
    HistoryError,
    load_2025_reorganization,
)
from dondoc.registry.models import Jurisdiction, Level, Organization, OrganizationKind, Reorganization
from dondoc.registry.resolution import resolve_addressees
from dondoc.registry.sample import SAMPLE_DATA, load_sample_registry

SEED_LETTER_DAY = date(2023, 4, 17)
TODAY = date(2026, 1, 15)
HISTORY: dict[str, Any] = json.loads(HISTORY_FILE.read_text(encoding="utf-8"))
SAMPLE_BODIES: list[dict[str, Any]] = json.loads(
    (SAMPLE_DATA / "organizations.json").read_text(encoding="utf-8")
)["organizations"]
NEW_COMMUNES = [row for row in HISTORY["jurisdictions"] if row["level"] == Level.COMMUNE]
# a number ("202/2025/QH15", "1671/NQ-UBTVQH15", "60-NQ/TW") and a date ("12/6/2025") in a decision
DECISION_NUMBER = re.compile(r"\b\d+(?:/\d{4})?[/-][A-ZĐ]")
DECISION_DATE = re.compile(r"\b\d{1,2}/\d{1,2}/\d{4}\b")


@pytest.fixture(scope="module")
def loaded_history(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    """The sample and its 2025 history, loaded once for the tests that only read them (or are refused a
    second load), and rolled back after the last."""
    with django_db_blocker.unblock(), transaction.atomic():
        load_sample_registry()
        load_2025_reorganization(today=TODAY)
        yield
        transaction.set_rollback(True)


@pytest.fixture
def history(loaded_history: None, db: None) -> None:
    """What `loaded_history` loaded, for one test."""


def standing_boards_of_districts(on: date) -> int:
    return (
        Organization.objects.as_of(on)
        .filter(kind=OrganizationKind.STANDING_BOARD, level=Level.DISTRICT, outside_jurisdiction=False)
        .count()
    )


def test_the_data_is_nfc_text() -> None:
    text = HISTORY_FILE.read_text(encoding="utf-8")
    assert unicodedata.normalize("NFC", text) == text


def test_every_body_of_the_2023_sample_ends_in_exactly_one_event() -> None:
    ended = Counter(code for event in HISTORY["reorganizations"] for code in event["originals"])
    sample = {row["code"] for row in SAMPLE_BODIES}
    assert {code: ended[code] for code in sample} == dict.fromkeys(sample, 1)


def test_the_eight_district_standing_boards_exist_on_the_seed_letters_day(history: None) -> None:
    assert standing_boards_of_districts(SEED_LETTER_DAY) == 8


def test_no_district_standing_board_exists_from_1_july_2025(history: None) -> None:
    assert standing_boards_of_districts(EFFECTIVE_ON) == 0


def test_the_28_new_communes_and_their_four_bodies_exist_from_1_july_2025(history: None) -> None:
    communes = Jurisdiction.objects.as_of(EFFECTIVE_ON).filter(level=Level.COMMUNE)
    bodies = Organization.objects.as_of(EFFECTIVE_ON).filter(level=Level.COMMUNE)
    assert len(NEW_COMMUNES) == 28
    assert set(communes.values_list("code", flat=True)) == {row["code"] for row in NEW_COMMUNES}
    assert Counter(bodies.values_list("kind", flat=True)) == {
        OrganizationKind.PARTY_COMMITTEE: 28,
        OrganizationKind.PEOPLES_COUNCIL: 28,
        OrganizationKind.PEOPLES_COMMITTEE: 28,
        OrganizationKind.FATHERLAND_FRONT: 28,
    }


def resolved_codes(phrase: str, *, on: date, issuer: str) -> list[str]:
    resolution = resolve_addressees(phrases=[phrase], on=on, issuer=issuer)
    codes = dict(Organization.objects.values_list("id", "code"))
    return [codes[body] for body in resolution.organization_ids]


def test_an_old_communes_peoples_committee_resolves_to_the_body_of_the_day(history: None) -> None:
    # the commune that took Ea Pô in writes its old name; in 2023 the province did
    assert resolved_codes("UBND xã Ea Pô", on=SEED_LETTER_DAY, issuer="TỈNH ỦY ĐẮK NÔNG") == [
        "CJU-EA-PO.UBND"
    ]
    assert resolved_codes("UBND xã Ea Pô", on=date(2025, 8, 1), issuer="ĐẢNG ỦY XÃ ĐẮK WIL") == [
        "LDG-DAK-WIL.UBND"
    ]
    # and the new province writes it too: the old name carries its own place
    assert resolved_codes("UBND xã Ea Pô", on=date(2025, 8, 1), issuer="TỈNH ỦY LÂM ĐỒNG") == [
        "LDG-DAK-WIL.UBND"
    ]


def test_every_event_cites_a_decision_with_its_number_and_date(history: None) -> None:
    events = Reorganization.objects.filter(effective_on=EFFECTIVE_ON)
    assert events.count() == len(HISTORY["reorganizations"])
    for event in events:
        assert DECISION_NUMBER.search(event.decision), event.decision
        assert DECISION_DATE.search(event.decision), event.decision


def test_loading_twice_is_refused_and_writes_nothing(history: None) -> None:
    before = (Organization.objects.count(), Jurisdiction.objects.count(), Reorganization.objects.count())
    with pytest.raises(HistoryError, match="already in the registry"), translation.override("en"):
        load_2025_reorganization(today=TODAY)
    assert (
        Organization.objects.count(),
        Jurisdiction.objects.count(),
        Reorganization.objects.count(),
    ) == before
