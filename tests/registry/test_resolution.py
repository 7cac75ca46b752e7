from datetime import date

from dondoc.registry.models import Organization
from dondoc.registry.resolution import AddresseeResolver, canonical, resolve_addressees

ISSUED = date(2023, 4, 17)


def codes(ids: tuple[int, ...]) -> set[str]:
    return set(Organization.objects.filter(id__in=ids).values_list("code", flat=True))


def resolve(
    phrase: str, issuer: str | None = "TỈNH ỦY ĐẮK NÔNG", on: date = ISSUED
) -> tuple[set[str], object]:
    result = resolve_addressees(phrases=[phrase], on=on, issuer=issuer).phrases[0]
    return codes(result.organization_ids), result


def test_canonical_expands_abbreviations_and_folds():
    assert canonical("UBND tỉnh") == canonical("Ủy ban nhân dân TỈNH")
    assert canonical("Sở KH&ĐT") == "so kh va dt"
    assert canonical("Ủy ban MTTQ Việt Nam tỉnh") == "uy ban mat tran to quoc tinh"


def test_ubnd_tinh_is_the_provincial_peoples_committee(small_registry):
    found, result = resolve("UBND tỉnh")
    assert found == {"UBND"}
    assert result.resolved


def test_abbreviation_alias_without_diacritics(small_registry):
    assert resolve("so ke hoach va dau tu")[0] == {"SKHDT"}
    assert resolve("Sở KH&ĐT")[0] == {"SKHDT"}
    assert resolve("BTCTU")[0] == {"BTCTU"}


def test_standing_boards_of_the_district_committees_by_grammar(small_registry):
    found, result = resolve("Ban thường vụ các huyện ủy, thành ủy")
    assert found == {"BTVCJ", "BTVGN"}
    assert result.method == "grammar"
    assert resolve("Ban thường vụ huyện ủy, thành ủy")[0] == {"BTVCJ", "BTVGN"}
    assert resolve("các huyện ủy, thành ủy")[0] == {"HUCJ", "TUGN"}


def test_peoples_committees_of_districts_and_cities(small_registry):
    assert resolve("UBND các huyện, thành phố")[0] == {"UBCJ", "UBGN"}
    assert resolve("UBND các huyện")[0] == {"UBCJ"}
    assert resolve("Ủy ban nhân dân các xã, phường")[0] == {"UBTT", "UBND_NDU"}


def test_fatherland_front_is_the_one_of_the_issuers_territory(small_registry):
    assert resolve("Ủy ban Mặt trận Tổ quốc")[0] == {"MTTQ"}
    assert resolve("Ủy ban Mặt trận Tổ quốc", issuer="HUYỆN ỦY CƯ JÚT")[0] == {"MTCJ"}


def test_namesakes_without_an_issuer_are_left_for_a_person(small_registry):
    found, result = resolve("Ủy ban Mặt trận Tổ quốc", issuer=None)
    assert found == set() and not result.resolved
    assert codes(result.suggestion_ids) >= {"MTTQ", "MTCJ"}
    assert result.reason == "ambiguous"


def test_group_phrase_gives_its_members_valid_on_the_date(small_registry):
    found, result = resolve("Các sở, ban, ngành")
    assert found == {"SNV", "SKHDT"}  # Sở Ngoại vụ ended on 1/1/2023
    assert result.method == "group"
    assert resolve("Các sở, ban, ngành", on=date(2022, 6, 1))[0] == {"SNV", "SKHDT", "SNGV"}
    assert resolve("Các tổ chức chính trị - xã hội tỉnh và tương đương")[0] == {"HND", "MTTQ"}


def test_ocr_typo_resolves_fuzzily_with_less_confidence(small_registry):
    found, result = resolve("Sở Kế hoạch và Đầutư")  # OCR glued two words
    assert found == {"SKHDT"}
    assert result.method == "repaired"
    assert 0.5 < result.confidence < 0.9


def test_vague_phrase_is_reported_unresolved(small_registry):
    found, result = resolve("Các cơ quan, đơn vị liên quan")
    assert found == set()
    assert result.unresolved == ("Các cơ quan, đơn vị liên quan",)
    assert not result.resolved


def test_a_list_resolves_part_by_part_and_names_what_is_left(small_registry):
    found, result = resolve("Sở Nội vụ, Ban Tổ chức Tỉnh ủy và Ban Quản lý dự án XYZ")
    assert found == {"SNV", "BTCTU"}
    assert result.unresolved == ("ban quan ly du an xyz",)


def test_a_body_ended_before_the_date_is_not_found(small_registry):
    assert resolve("Sở Ngoại vụ")[0] != {"SNGV"}
    assert resolve("Sở Ngoại vụ", on=date(2022, 12, 31))[0] == {"SNGV"}


def test_resolver_reads_the_registry_in_a_bounded_number_of_queries(
    small_registry, django_assert_max_num_queries
):
    with django_assert_max_num_queries(6):
        resolver = AddresseeResolver(on=ISSUED)
    with django_assert_max_num_queries(0):
        resolver.resolve_all(["UBND tỉnh", "Các sở, ban, ngành", "Ban thường vụ các huyện ủy, thành ủy"])
