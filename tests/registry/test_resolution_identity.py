"""Resolution never names a wrong body: head noun, level words and place are a body's identity.

Against the whole Đắk Nông sample with the catalogue of central bodies: a ministry is never a province's
department, a place the registry does not hold is never traded for one it does, OCR damage is repaired only
within the same identity, and a name without its place means the body of the issuer's place or none.
"""

from __future__ import annotations

import json
from collections import Counter
from datetime import date, timedelta

import pytest
from benchmarks.registry_resolution_labelled import score

from dondoc.registry.models import Organization
from dondoc.registry.resolution import (
    Method,
    PhraseResolution,
    Unresolved,
    canonical,
    resolve_addressees,
)
from dondoc.registry.sample import SAMPLE_DATA, load_sample_registry

SEED_LETTER_DAY = date(2023, 4, 17)
AFTER_THE_2025_MERGERS = date(2025, 6, 1)
PROVINCIAL_PARTY_COMMITTEE = "TỈNH ỦY ĐẮK NÔNG"
MINISTRY_OF_HOME_AFFAIRS = "BỘ NỘI VỤ"
DISTRICT_HOME_AFFAIRS_OFFICES = {
    "CJU.PNV",
    "DGL.PNV",
    "DMI.PNV",
    "DRL.PNV",
    "DSO.PNV",
    "GNG.PNV",
    "KNO.PNV",
    "TDU.PNV",
}
CENTRAL_BODIES = {
    body["code"]: body
    for body in json.loads((SAMPLE_DATA / "central.json").read_text(encoding="utf-8"))["organizations"]
}


@pytest.fixture
def sample(db: None) -> None:
    load_sample_registry()


def codes(ids: tuple[int, ...]) -> set[str]:
    return set(Organization.objects.filter(id__in=ids).values_list("code", flat=True))


def resolve(
    phrase: str, issuer: str | None = PROVINCIAL_PARTY_COMMITTEE, on: date = SEED_LETTER_DAY
) -> PhraseResolution:
    return resolve_addressees(phrases=[phrase], on=on, issuer=issuer).phrases[0]


def found(result: PhraseResolution) -> set[str]:
    return codes(result.organization_ids) if result.resolved else set()


# A ministry is a ministry, a place is a place


def test_bo_noi_vu_is_the_ministry_known_but_outside_the_jurisdiction(sample: None) -> None:
    result = resolve("Bộ Nội vụ")
    assert found(result) == {"VN.BNV"}
    assert result.method == Method.NAME
    assert codes(result.outside_ids) == {"VN.BNV"}
    assert result.assignable_ids == ()


def test_bo_noi_vu_is_never_the_provinces_so_noi_vu(sample: None) -> None:
    assert "DNO.SNV" not in codes(resolve("Bộ Nội vụ").organization_ids)


def test_bo_ke_hoach_va_dau_tu_is_the_ministry_not_the_department(sample: None) -> None:
    assert found(resolve("Bộ Kế hoạch và Đầu tư")) == {"VN.BKHDT"}


def test_bo_tai_chinh_is_the_ministry_not_the_department(sample: None) -> None:
    assert found(resolve("Bộ Tài chính")) == {"VN.BTC"}


def test_so_noi_vu_of_another_province_is_left_as_a_place_the_registry_does_not_hold(sample: None) -> None:
    result = resolve("Sở Nội vụ tỉnh Lâm Đồng")
    assert not result.resolved
    assert result.reason == Unresolved.UNKNOWN_PLACE
    assert result.detail == "tinh lam dong"


def test_ubnd_of_another_provinces_district_is_never_a_dak_nong_district(sample: None) -> None:
    result = resolve("UBND huyện Đức Trọng")
    assert not result.resolved
    assert result.reason == Unresolved.UNKNOWN_PLACE


def test_a_ministry_writing_to_every_provinces_committee_is_left_with_ours_suggested(sample: None) -> None:
    result = resolve(
        "Ủy ban nhân dân các tỉnh, thành phố trực thuộc Trung ương", issuer=MINISTRY_OF_HOME_AFFAIRS
    )
    assert not result.resolved
    assert found(result) == set()
    assert "DNO.UBND" in codes(result.suggestion_ids)


def test_so_noi_vu_from_a_ministry_names_no_place_it_holds(sample: None) -> None:
    result = resolve("Sở Nội vụ", issuer=MINISTRY_OF_HOME_AFFAIRS)
    assert not result.resolved
    assert result.reason == Unresolved.NOT_HERE
    assert "DNO.SNV" in codes(result.suggestion_ids)


def test_so_noi_vu_from_the_provincial_party_committee_is_the_provinces_by_context(sample: None) -> None:
    result = resolve("Sở Nội vụ")
    assert found(result) == {"DNO.SNV"}
    assert result.method == Method.CONTEXT


# Validity over time: the 2025 mergers of central bodies


def test_bo_ke_hoach_va_dau_tu_is_gone_after_its_absorption(sample: None) -> None:
    result = resolve("Bộ Kế hoạch và Đầu tư", on=AFTER_THE_2025_MERGERS)
    assert not result.resolved


def test_bo_nong_nghiep_va_moi_truong_exists_after_the_merger(sample: None) -> None:
    assert found(resolve("Bộ Nông nghiệp và Môi trường", on=AFTER_THE_2025_MERGERS)) == {"VN.BNNMT"}


def test_bo_nong_nghiep_va_moi_truong_does_not_exist_before_the_merger(sample: None) -> None:
    assert not resolve("Bộ Nông nghiệp và Môi trường").resolved


def test_ban_tuyen_giao_va_dan_van_trung_uong_exists_only_from_its_founding(sample: None) -> None:
    founded = date.fromisoformat(CENTRAL_BODIES["VN.BTGDVTW"]["valid_from"])
    assert not resolve("Ban Tuyên giáo và Dân vận Trung ương", on=founded - timedelta(days=1)).resolved
    assert found(resolve("Ban Tuyên giáo và Dân vận Trung ương", on=founded)) == {"VN.BTGDVTW"}


# OCR damage is repaired within the same identity, never into another


def test_glued_words_are_repaired_with_less_confidence(sample: None) -> None:
    result = resolve("Sở Kế hoạch và Đầutư")
    assert found(result) == {"DNO.SKHDT"}
    assert result.method == Method.REPAIRED
    assert result.confidence < 0.9


def test_a_letter_lost_in_the_place_is_repaired_with_less_confidence(sample: None) -> None:
    result = resolve("Ủy ban nhân dân huyện Cư Jt")
    assert found(result) == {"CJU.UBND"}
    assert result.method == Method.REPAIRED
    assert result.confidence < 0.9


def test_hoi_nong_dan_is_never_the_hoi_dong_nhan_dan(sample: None) -> None:
    assert "DSO.HDND" not in found(resolve("Hội Nông dân huyện Đắk Song"))


def test_phong_noi_vu_from_the_provincial_committee_is_any_of_the_district_offices(sample: None) -> None:
    result = resolve("Phòng Nội vụ", issuer="UBND TỈNH ĐẮK NÔNG")
    assert not result.resolved
    assert result.reason == Unresolved.AMBIGUOUS
    assert codes(result.suggestion_ids[:8]) == DISTRICT_HOME_AFFAIRS_OFFICES


def test_phong_noi_vu_from_a_districts_committee_is_its_own(sample: None) -> None:
    assert found(resolve("Phòng Nội vụ", issuer="ỦY BAN NHÂN DÂN HUYỆN KRÔNG NÔ")) == {"KNO.PNV"}


# A commune's name is unique only within its province


def test_xa_tan_thanh_from_a_dak_nong_issuer_is_krong_nos_commune(sample: None) -> None:
    assert found(resolve("UBND xã Tân Thành")) == {"KNO-TAN-THANH.UBND"}


def test_xa_tan_thanh_from_a_ministry_may_be_any_provinces(sample: None) -> None:
    assert not resolve("UBND xã Tân Thành", issuer=MINISTRY_OF_HOME_AFFAIRS).resolved


def test_xa_tan_thanh_without_an_issuer_may_be_any_provinces(sample: None) -> None:
    assert not resolve("UBND xã Tân Thành", issuer=None).resolved


# The labelled phrases, measured both ways


@pytest.mark.django_db
def test_labelled_phrases_never_resolve_to_a_wrong_body_and_nearly_all_named_bodies_are_found() -> None:
    load_sample_registry()
    outcomes, _ = score(runs=1)
    wrong = [
        (o.phrase, o.issuer, sorted(o.expected), sorted(o.found)) for o in outcomes if o.verdict == "wrong"
    ]
    assert wrong == []
    named = Counter(outcome.verdict for outcome in outcomes if outcome.expected)
    assert named["right"] >= 0.95 * named.total()


# Canonical forms: abbreviations that are also words, and Hồ Chí Minh


def test_bo_tu_phap_in_capitals_is_not_tinh_uy_phap() -> None:
    assert canonical("BỘ TƯ PHÁP") == "bo tu phap"


def test_tu_in_capitals_within_a_name_is_tinh_uy() -> None:
    assert canonical("Ban Tổ chức TU") == "ban to chuc tinh uy"


def test_tu_with_its_horn_within_a_name_is_trung_uong() -> None:
    assert canonical("Ban Tổ chức TƯ") == "ban to chuc trung uong"


def test_thanh_pho_ho_chi_minh_keeps_its_name() -> None:
    assert canonical("UBND Thành phố Hồ Chí Minh") == "uy ban nhan dan thanh pho ho chi minh"


def test_doan_tncs_ho_chi_minh_drops_the_filler() -> None:
    assert canonical("Đoàn TNCS Hồ Chí Minh tỉnh") == "doan thanh nien cong san tinh"
