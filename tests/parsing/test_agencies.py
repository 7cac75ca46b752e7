"""Recognising the names of bodies in running text."""

import pytest

from dondoc.parsing.agencies import find_names, starts_with_head, strip_title
from dondoc.parsing.model import Span
from dondoc.parsing.snippet import Snippet


def names_in(text: str) -> list[str]:
    names, _ = find_names(Snippet.at(text, 0))
    return [n.text for n in names]


def test_a_list_of_bodies_stops_at_the_verb():
    assert names_in("Sở Tài chính, Sở Nội vụ và các cơ quan liên quan tổ chức kiểm tra") == [
        "Sở Tài chính",
        "Sở Nội vụ",
        "các cơ quan liên quan",
    ]


def test_where_the_list_ends_is_given():
    text = "Sở Tài chính, Sở Nội vụ thẩm định dự toán"
    _, end = find_names(Snippet.at(text, 0))
    assert text[end:].strip().startswith("thẩm định")


def test_group_of_localities_is_one_name():
    assert names_in("UBND các huyện, thị xã, thành phố tăng cường kiểm tra") == [
        "UBND các huyện, thị xã, thành phố"
    ]


def test_cac_bo_shared_head_is_expanded():
    assert names_in("Các Bộ: Công an, Tư pháp hướng dẫn việc cấp thẻ") == ["Bộ Công an", "Bộ Tư pháp"]


def test_shared_head_keeps_lao_dong_thuong_binh_va_xa_hoi_whole():
    assert names_in("Các sở: Lao động, Thương binh và Xã hội, Nội vụ hướng dẫn") == [
        "Sở Lao động, Thương binh và Xã hội",
        "Sở Nội vụ",
    ]


def test_so_van_hoa_the_thao_va_du_lich_is_one_name():
    assert names_in("Sở Văn hóa, Thể thao và Du lịch chủ trì tổ chức lễ hội") == [
        "Sở Văn hóa, Thể thao và Du lịch"
    ]


def test_ministry_name_with_va():
    assert names_in("Bộ Tài nguyên và Môi trường chỉ đạo") == ["Bộ Tài nguyên và Môi trường"]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Ban cán sự đảng UBND tỉnh lãnh đạo", "Ban cán sự đảng UBND tỉnh"),
        ("Đảng đoàn HĐND tỉnh chỉ đạo", "Đảng đoàn HĐND tỉnh"),
        ("Ban Thường vụ các huyện ủy, thành ủy lãnh đạo", "Ban Thường vụ các huyện ủy, thành ủy"),
        ("Kho bạc Nhà nước tỉnh kiểm soát chi", "Kho bạc Nhà nước tỉnh"),
        ("Công an tỉnh chủ trì", "Công an tỉnh"),
        ("Đài Phát thanh và Truyền hình tỉnh đưa tin", "Đài Phát thanh và Truyền hình tỉnh"),
    ],
)
def test_party_and_state_bodies(text, name):
    assert names_in(text) == [name]


def test_mat_tran_and_mass_organisations_are_two_names():
    assert names_in(
        "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh và các tổ chức chính trị - xã hội tỉnh tham gia giám sát"
    ) == [
        "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh",
        "các tổ chức chính trị - xã hội tỉnh",
    ]


def test_a_verb_is_no_name():
    assert names_in("Rà soát diện tích đất trồng rừng") == []


def test_title_before_bodies_is_stripped():
    assert strip_title(Snippet.at("Thủ trưởng các sở, ban, ngành", 0)).text == "các sở, ban, ngành"


def test_chu_tich_before_ubnd_is_stripped():
    assert strip_title(Snippet.at("Chủ tịch UBND các huyện", 0)).text == "UBND các huyện"


def test_starts_with_head():
    assert starts_with_head("Sở Y tế chủ trì") and not starts_with_head("Rà soát, báo cáo")


def test_name_span_points_into_the_source():
    text = "Giao Sở Tài chính chủ trì, phối hợp với Sở Nội vụ"
    snippet = Snippet.at(text, 100)
    names, _ = find_names(snippet, text.index("Sở Nội vụ"))
    start = 100 + text.index("Sở Nội vụ")
    assert [n.span() for n in names] == [Span(start, start + len("Sở Nội vụ"))]


def test_to_chuc_hoi_nghi_is_no_name():
    assert names_in("Tổ chức hội nghị triển khai") == []


def test_bao_cao_ket_qua_is_no_name():
    assert names_in("Báo cáo kết quả về Sở Nội vụ") == []


def test_nong_nghiep_va_phat_trien_nong_thon_is_whole():
    assert names_in("Sở Nông nghiệp và Phát triển nông thôn chủ trì") == [
        "Sở Nông nghiệp và Phát triển nông thôn"
    ]


def test_newspaper_name_stops_before_the_verb():
    assert names_in("Báo Hà Giang tuyên truyền") == ["Báo Hà Giang"]


def test_hat_kiem_lam_is_a_body():
    assert names_in("Hạt Kiểm lâm các huyện kiểm tra") == ["Hạt Kiểm lâm các huyện"]


def test_a_title_before_a_bodys_name_does_not_cut_the_names_second_syllable():
    # "Bộ trưởng Bộ Tài chính": the "Bộ" of the body is a head, not a capitalised word of the name
    for text, name in [
        ("Bộ trưởng Bộ Tài chính cân đối kinh phí", "Bộ trưởng Bộ Tài chính"),
        ("Giám đốc Sở Tư pháp chủ trì", "Giám đốc Sở Tư pháp"),
    ]:
        names, _ = find_names(Snippet.at(text, 0), 0)
        assert [n.text for n in names] == [name]
