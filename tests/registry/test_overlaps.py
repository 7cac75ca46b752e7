import json
from datetime import date
from pathlib import Path

import pytest

from dondoc.registry.models import Function, Level, Organization, OrganizationKind, RequiredFunction
from dondoc.registry.overlaps import (
    HELD_THRESHOLD,
    OVERLAP_THRESHOLD,
    TextIndex,
    find_function_gaps,
    find_function_overlaps,
    mask_boilerplate,
)

PAIRS = json.loads((Path(__file__).parent / "data" / "function_pairs.json").read_text(encoding="utf-8"))[
    "pairs"
]
ON = date(2023, 4, 17)
# measured 0.879 at the runtime threshold 0.45 (BENCHMARKS.md); a margin for changes that cost a pair
F1_FLOOR = 0.84


def evaluation_index() -> TextIndex[tuple[int, int]]:
    return TextIndex(
        ((n, side), pair[part]["text"])
        for n, pair in enumerate(PAIRS)
        for side, part in enumerate(("first", "second"))
    )


def test_the_labelled_pairs_are_told_apart_with_an_f1_above_the_floor():
    index = evaluation_index()
    predicted = [index.score((n, 0), (n, 1)) >= OVERLAP_THRESHOLD for n in range(len(PAIRS))]
    actual = [pair["overlap"] for pair in PAIRS]
    true_positive = sum(p and a for p, a in zip(predicted, actual, strict=True))
    precision, recall = true_positive / sum(predicted), true_positive / sum(actual)
    assert 2 * precision * recall / (precision + recall) >= F1_FLOOR


def test_the_index_finds_exactly_the_pairs_all_pairs_scoring_finds():
    index = evaluation_index()
    for threshold in (0.3, OVERLAP_THRESHOLD, 0.6):
        indexed = {(p.first, p.second, round(p.score, 9)) for p in index.similar_pairs(threshold=threshold)}
        every = {(p.first, p.second, round(p.score, 9)) for p in index.all_pairs(threshold=threshold)}
        assert indexed == every
        assert (
            index.count_candidates(threshold=threshold).candidates
            < index.count_candidates(threshold=threshold).all_pairs
        )


def test_the_index_never_pairs_texts_of_one_group():
    index = evaluation_index()
    pairs = index.similar_pairs(threshold=0.2, group=lambda key: key[0])
    assert pairs
    assert all(p.first[0] != p.second[0] for p in pairs)


def test_boilerplate_is_masked_and_keeps_the_length():
    text = "Tham mưu, giúp Ủy ban nhân dân tỉnh thực hiện chức năng quản lý nhà nước về giáo dục và đào tạo"
    printed, folded = mask_boilerplate(text)
    assert len(printed) == len(folded) == len(text)
    assert "giáo dục và đào tạo" in printed
    assert "Tham mưu" not in printed and "nhà nước" not in printed


def test_texts_alike_only_in_their_boilerplate_score_zero():
    index = TextIndex(
        [
            (
                "Sở Tư pháp",
                "Thực hiện các nhiệm vụ khác do Ủy ban nhân dân tỉnh, Chủ tịch Ủy ban nhân dân tỉnh giao",
            ),
            (
                "Sở Tài chính",
                "Thực hiện nhiệm vụ khác do Ủy ban nhân dân tỉnh giao và theo quy định của pháp luật",
            ),
        ]
    )
    assert index.score("Sở Tư pháp", "Sở Tài chính") == 0.0
    assert index.similar_pairs(threshold=0.01) == []


# --- the registry ---


def body(code: str, name: str, kind: str = OrganizationKind.DEPARTMENT, **fields: object) -> Organization:
    return Organization.objects.create(code=code, name=name, kind=kind, level=Level.PROVINCE, **fields)


def duties(organization: Organization, *texts: str, **fields: object) -> list[Function]:
    return [
        Function.objects.create(organization=organization, position=position, text=text, **fields)
        for position, text in enumerate(texts, start=1)
    ]


CLOSING = "Thực hiện nhiệm vụ khác do Ủy ban nhân dân tỉnh, Chủ tịch Ủy ban nhân dân tỉnh giao"


@pytest.fixture
def registry(db: None) -> dict[str, Organization]:
    bodies = {
        "SNV": body("SNV", "Sở Nội vụ"),
        "BTCTU": body("BTCTU", "Ban Tổ chức Tỉnh ủy", OrganizationKind.PARTY_ADVISORY_BODY),
        "SGDDT": body("SGDDT", "Sở Giáo dục và Đào tạo"),
        "SYT": body("SYT", "Sở Y tế"),
        "SLDTBXH": body("SLDTBXH", "Sở Lao động - Thương binh và Xã hội", valid_to=date(2025, 3, 1)),
        "OLD": body("OLD", "Sở đã giải thể", valid_to=date(2020, 1, 1)),
    }
    duties(
        bodies["SNV"],
        (
            "Tham mưu, giúp Ủy ban nhân dân tỉnh thực hiện chức năng quản lý nhà nước"
            " về tổ chức bộ máy, biên chế"
        ),
        "Tham gia thẩm định đề án vị trí việc làm, cơ cấu ngạch công chức",
        # same body: never a pair
        "Thẩm định đề án vị trí việc làm, cơ cấu ngạch công chức của các sở, ngành",
        (
            "Hướng dẫn, kiểm tra nghiệp vụ công tác văn thư, lưu trữ"
            " đối với các cơ quan, tổ chức trên địa bàn tỉnh"
        ),
        CLOSING,
    )
    duties(
        bodies["BTCTU"],
        "Tham mưu Ban Thường vụ Tỉnh ủy về công tác tổ chức, cán bộ, quản lý cán bộ và đảng viên",
        "Thẩm định, trình cấp có thẩm quyền phê duyệt đề án vị trí việc làm",
        "Hướng dẫn, thẩm định công tác quy hoạch cán bộ lãnh đạo, quản lý diện Ban Thường vụ Tỉnh ủy quản lý",
    )
    duties(
        bodies["SGDDT"],
        "Tham mưu, giúp Ủy ban nhân dân tỉnh thực hiện chức năng quản lý nhà nước về giáo dục và đào tạo",
        (
            "Hướng dẫn các trung tâm giáo dục nghề nghiệp - giáo dục thường xuyên"
            " tổ chức đào tạo nghề trình độ sơ cấp"
        ),
        CLOSING,
    )
    duties(
        bodies["SYT"],
        "Tham mưu, giúp Ủy ban nhân dân tỉnh thực hiện chức năng quản lý nhà nước về y tế",
        "Chủ trì điều tra, xử lý các vụ ngộ độc thực phẩm trên địa bàn tỉnh",
        CLOSING,
    )
    duties(
        bodies["SLDTBXH"],
        (
            "Quản lý, hướng dẫn các cơ sở giáo dục nghề nghiệp thực hiện tuyển sinh,"
            " đào tạo trình độ sơ cấp, trung cấp"
        ),
        CLOSING,
    )
    # an item that ended before the day, and one of a body that no longer exists: both ignored
    duties(
        bodies["SYT"],
        "Tham gia thẩm định đề án vị trí việc làm, cơ cấu ngạch viên chức ngành y tế",
        valid_to=date(2022, 1, 1),
    )
    duties(bodies["OLD"], "Thẩm định đề án vị trí việc làm, cơ cấu ngạch công chức")
    return bodies


def codes(overlaps: list) -> set[frozenset[str]]:
    return {frozenset(o.organization.code for o in (overlap.first, overlap.second)) for overlap in overlaps}


@pytest.mark.django_db
def test_the_same_duty_in_two_bodies_is_an_overlap_with_its_shared_terms(registry):
    overlaps = find_function_overlaps(on=ON)
    job_positions = [o for o in overlaps if codes([o]) == {frozenset({"SNV", "BTCTU"})}]
    assert job_positions
    best = job_positions[0]
    assert "vị trí việc làm" in best.first.text and "vị trí việc làm" in best.second.text
    assert OVERLAP_THRESHOLD <= best.score <= 1.0
    assert any("việc làm" in term for term in best.shared_terms)
    assert {o.code for o in best.organizations} == {"SNV", "BTCTU"}


@pytest.mark.django_db
def test_vocational_training_in_two_departments_is_an_overlap(registry):
    assert frozenset({"SGDDT", "SLDTBXH"}) in codes(find_function_overlaps(on=ON))


@pytest.mark.django_db
def test_boilerplate_only_similarity_does_not_count(registry):
    found = codes(find_function_overlaps(on=ON))
    # "quản lý nhà nước về giáo dục" against "… về y tế", and the closing item every department has
    assert frozenset({"SGDDT", "SYT"}) not in found
    assert not any(CLOSING in (o.first.text, o.second.text) for o in find_function_overlaps(on=ON))


@pytest.mark.django_db
def test_two_items_of_one_body_are_never_reported(registry):
    assert all(
        o.first.organization_id != o.second.organization_id
        for o in find_function_overlaps(on=ON, threshold=0.05)
    )


@pytest.mark.django_db
def test_items_and_bodies_not_valid_on_the_day_are_ignored(registry):
    overlaps = find_function_overlaps(on=ON, threshold=0.05)
    texts = {text for o in overlaps for text in (o.first.text, o.second.text)}
    assert "Tham gia thẩm định đề án vị trí việc làm, cơ cấu ngạch viên chức ngành y tế" not in texts
    assert "OLD" not in {code for pair in codes(overlaps) for code in pair}
    # the labour department ends in 2025: afterwards its overlap with education is gone
    assert frozenset({"SGDDT", "SLDTBXH"}) not in codes(find_function_overlaps(on=date(2025, 6, 1)))


@pytest.mark.django_db
def test_the_day_decides_which_version_of_an_item_counts(registry):
    assert frozenset({"SNV", "SYT"}) not in codes(find_function_overlaps(on=ON))
    assert frozenset({"SNV", "SYT"}) in codes(find_function_overlaps(on=date(2021, 6, 1)))


@pytest.mark.django_db
def test_overlaps_can_be_limited_to_some_bodies(registry):
    limited = find_function_overlaps(
        on=ON, organizations=Organization.objects.filter(code__in=["SGDDT", "SLDTBXH", "SYT"])
    )
    assert codes(limited) == {frozenset({"SGDDT", "SLDTBXH"})}


@pytest.mark.django_db
def test_overlaps_are_read_in_a_bounded_number_of_queries(registry, django_assert_max_num_queries):
    for n in range(30):
        duties(
            body(f"X{n}", f"Ban {n}"), f"Theo dõi công trình số {n}", "Quản lý kho lưu trữ chuyên dụng số {n}"
        )
    with django_assert_max_num_queries(2):
        overlaps = find_function_overlaps(on=ON, organizations=Organization.objects.exclude(code="OLD"))
        names = [(overlap.first.organization.name, overlap.second.organization.name) for overlap in overlaps]
    with django_assert_max_num_queries(1):
        find_function_overlaps(on=ON)
    assert ("Sở Nội vụ", "Ban Tổ chức Tỉnh ủy") in names or ("Ban Tổ chức Tỉnh ủy", "Sở Nội vụ") in names


@pytest.mark.django_db
def test_a_threshold_outside_zero_to_one_is_refused(registry):
    with pytest.raises(ValueError):
        find_function_overlaps(on=ON, threshold=0)
    with pytest.raises(ValueError):
        find_function_gaps(on=ON, threshold=1.5)


@pytest.mark.django_db
def test_a_required_function_nobody_holds_is_a_gap_with_its_nearest_item(registry):
    nobody = RequiredFunction.objects.create(
        text="Quản lý nhà nước về dân số, kế hoạch hóa gia đình, chăm sóc sức khỏe sinh sản",
        organization_kinds=[OrganizationKind.DEPARTMENT],
        level=Level.PROVINCE,
    )
    held = RequiredFunction.objects.create(
        text="Hướng dẫn nghiệp vụ văn thư, lưu trữ cho các cơ quan, tổ chức của tỉnh",
        organization_kinds=[OrganizationKind.DEPARTMENT],
        level=Level.PROVINCE,
    )
    gaps = {gap.required.pk: gap for gap in find_function_gaps(on=ON)}
    assert nobody.pk in gaps
    assert held.pk not in gaps
    assert gaps[nobody.pk].score < HELD_THRESHOLD


@pytest.mark.django_db
def test_a_function_held_only_by_a_body_of_another_kind_is_a_gap(registry):
    party_only = RequiredFunction.objects.create(
        text="Thẩm định đề án vị trí việc làm",
        organization_kinds=[OrganizationKind.INSPECTION_COMMISSION],
    )
    any_kind = RequiredFunction.objects.create(text="Thẩm định đề án vị trí việc làm")
    gaps = {gap.required.pk: gap for gap in find_function_gaps(on=ON)}
    assert gaps[party_only.pk].nearest is None
    assert any_kind.pk not in gaps


@pytest.mark.django_db
def test_a_near_miss_is_shown_for_a_gap(registry):
    required = RequiredFunction.objects.create(
        text="Hướng dẫn, kiểm tra công tác thi đua, khen thưởng",
        organization_kinds=[OrganizationKind.DEPARTMENT],
        level=Level.PROVINCE,
    )
    gap = next(g for g in find_function_gaps(on=ON) if g.required.pk == required.pk)
    assert gap.nearest is not None and gap.nearest.organization.code == "SNV"
    assert 0 < gap.score < HELD_THRESHOLD
    assert "hướng dẫn" in gap.shared_terms


@pytest.mark.django_db
def test_a_longer_item_that_says_more_still_holds_a_required_function(registry):
    held = RequiredFunction.objects.create(
        text="Quản lý nhà nước về giáo dục nghề nghiệp", organization_kinds=[OrganizationKind.DEPARTMENT]
    )
    assert held.pk not in {gap.required.pk for gap in find_function_gaps(on=ON)}


@pytest.mark.django_db
def test_nobody_at_the_required_level_is_a_gap_without_a_near_miss(registry):
    required = RequiredFunction.objects.create(text="Thẩm định đề án vị trí việc làm", level=Level.DISTRICT)
    gap = next(g for g in find_function_gaps(on=ON) if g.required.pk == required.pk)
    assert gap.nearest is None and gap.score == 0.0


@pytest.mark.django_db
def test_gaps_are_read_in_a_bounded_number_of_queries(registry, django_assert_max_num_queries):
    for n in range(10):
        RequiredFunction.objects.create(
            text=f"Nhiệm vụ bắt buộc số {n} về lưu trữ", organization_kinds=["department"]
        )
    with django_assert_max_num_queries(2):
        nearest = [gap.nearest.organization.name for gap in find_function_gaps(on=ON) if gap.nearest]
    assert "Sở Nội vụ" in nearest


def test_bodies_of_different_territories_holding_the_same_duty_do_not_overlap(small_registry):
    r = small_registry
    same = "Quản lý nhà nước về đất đai, tài nguyên nước, khoáng sản trên địa bàn theo phân cấp"
    for code in ("UBTT", "UBND_NDU"):  # two communes' People's Committees: each for its own commune
        duties(r.bodies[code], same)
    unit = Organization.objects.create(
        code="P",
        name="Phòng Tài nguyên",
        kind=OrganizationKind.INTERNAL_UNIT,
        level=Level.PROVINCE,
        parent=r.bodies["SNV"],
    )  # no territory: its parent's
    duties(unit, "Thẩm định hồ sơ cấp giấy phép khai thác khoáng sản làm vật liệu xây dựng thông thường")
    duties(
        r.bodies["SKHDT"], "Thẩm định hồ sơ cấp phép khai thác khoáng sản làm vật liệu xây dựng thông thường"
    )
    found = {
        frozenset(o.organization.code for o in (overlap.first, overlap.second))
        for overlap in find_function_overlaps(on=ON)
    }
    assert found == {frozenset({"P", "SKHDT"})}
