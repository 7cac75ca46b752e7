"""Documents a directive cites: number, date, issuer and type."""

import time
from datetime import date

from dondoc.parsing import parse_text
from dondoc.parsing.patterns import normalize_number
from dondoc.parsing.references import find_references
from dondoc.parsing.snippet import Snippet

HEADER = """\
UBND TỈNH SƠN LA
SỞ NỘI VỤ
Số: 300/SNV-VP
V/v triển khai sắp xếp tổ chức bộ máy
Sơn La, ngày 20 tháng 5 năm 2024

Kính gửi: UBND các huyện, thành phố.

"""
TASKS = "\n\n1. Các đơn vị rà soát tổ chức bộ máy, hoàn thành trong quý III/2024.\n"


def references_in(opening: str):
    return parse_text(HEADER + opening + TASKS).references


def test_party_resolution_with_date_and_issuer():
    (ref,) = references_in(
        "Thực hiện Nghị quyết số 26-NQ/TU, ngày 15/3/2023 của Ban Thường vụ Tỉnh ủy, Sở Nội vụ đề nghị:"
    )
    assert (ref.number, ref.issued_on, ref.issuer, ref.type) == (
        "26-NQ/TU",
        date(2023, 3, 15),
        "Ban Thường vụ Tỉnh ủy",
        "nghị quyết",
    )


def test_party_conclusion_of_the_politburo():
    (ref,) = references_in("Thực hiện Kết luận số 40-KL/TW ngày 18/7/2022 của Bộ Chính trị, Sở đề nghị:")
    assert (ref.number, ref.issued_on, ref.issuer, ref.type) == (
        "40-KL/TW",
        date(2022, 7, 18),
        "Bộ Chính trị",
        "kết luận",
    )


def test_state_decision_of_the_province():
    (ref,) = references_in("Căn cứ Quyết định số 1200/QĐ-UBND ngày 02/5/2024 của UBND tỉnh, Sở đề nghị:")
    assert (ref.number, ref.issued_on, ref.issuer, ref.type) == (
        "1200/QĐ-UBND",
        date(2024, 5, 2),
        "UBND tỉnh",
        "quyết định",
    )


def test_government_decree_with_year_in_its_number():
    (ref,) = references_in(
        "Căn cứ Nghị định số 33/2023/NĐ-CP ngày 10/6/2023 của Chính phủ quy định về cán bộ, công chức cấp xã,"
        " Sở đề nghị:"
    )
    assert (ref.number, ref.issued_on, ref.issuer, ref.type) == (
        "33/2023/NĐ-CP",
        date(2023, 6, 10),
        "Chính phủ",
        "nghị định",
    )


def test_ministry_circular_with_date_in_words():
    (ref,) = references_in(
        "Căn cứ Thông tư số 06/2022/TT-BNV ngày 28 tháng 6 năm 2022 của Bộ Nội vụ, Sở đề nghị:"
    )
    assert (ref.number, ref.issued_on, ref.issuer) == ("06/2022/TT-BNV", date(2022, 6, 28), "Bộ Nội vụ")


def test_references_come_in_order_of_first_mention():
    refs = references_in(
        "Thực hiện Kết luận số 40-KL/TW ngày 18/7/2022 của Bộ Chính trị và Kế hoạch số 33/KH-UBND "
        "ngày 01/02/2024 của UBND tỉnh, Sở đề nghị:"
    )
    assert [r.number for r in refs] == ["40-KL/TW", "33/KH-UBND"]


def test_a_document_cited_twice_is_one_reference():
    refs = references_in(
        "Thực hiện Chỉ thị số 05-CT/TW của Bộ Chính trị;"
        " để tiếp tục thực hiện Chỉ thị số 05-CT/TW, Sở đề nghị:"
    )
    assert [r.number for r in refs] == ["05-CT/TW"]


def test_reference_without_a_date_has_none():
    (ref,) = references_in("Thực hiện Chỉ thị số 05-CT/TW của Bộ Chính trị, Sở đề nghị:")
    assert (ref.issued_on, ref.issuer) == (None, "Bộ Chính trị")


def test_law_cited_by_name_and_date_has_no_number():
    (ref,) = references_in("Căn cứ Luật Đất đai ngày 18 tháng 01 năm 2024, Sở đề nghị:")
    assert (ref.number, ref.issued_on, ref.type) == (None, date(2024, 1, 18), "luật")


def test_law_whose_name_has_a_comma():
    refs = references_in("Căn cứ Luật Cán bộ, công chức ngày 13 tháng 11 năm 2008, Sở đề nghị:")
    assert [(r.number, r.issued_on, r.type) for r in refs] == [(None, date(2008, 11, 13), "luật")]


def test_the_document_itself_is_not_a_reference():
    refs = references_in("Sở Nội vụ ban hành Công văn số 300/SNV-VP để triển khai, đề nghị:")
    assert "300/SNV-VP" not in [r.number for r in refs]


def test_reference_span_points_at_the_citation():
    text = (
        HEADER
        + "Thực hiện Nghị quyết số 26-NQ/TU, ngày 15/3/2023 của Ban Thường vụ Tỉnh ủy, Sở đề nghị:"
        + TASKS
    )
    (ref,) = parse_text(text).references
    assert ref.number in text[ref.span.start : ref.span.end]


def test_van_ban_so_cites_a_document_of_unknown_type():
    (ref,) = references_in("Thực hiện văn bản số 559/BNV-CTTN ngày 21/02/2013 của Bộ Nội vụ, Sở đề nghị:")
    assert (ref.number, ref.issued_on, ref.issuer, ref.type) == (
        "559/BNV-CTTN",
        date(2013, 2, 21),
        "Bộ Nội vụ",
        None,
    )


def test_words_between_the_kind_and_so():
    (ref,) = references_in("Xét Báo cáo thẩm định số 18/BCTĐ-STP ngày 25/5/2018 của Sở Tư pháp, Sở đề nghị:")
    assert (ref.number, ref.type) == ("18/BCTĐ-STP", "báo cáo")


def test_symbol_naming_two_units_with_an_ampersand():
    (ref,) = references_in("Theo Công văn số 2231/SNV-CCHC&PC ngày 28/9/2018 của Sở Nội vụ, Sở đề nghị:")
    assert ref.number == "2231/SNV-CCHC&PC"


def test_number_split_by_ocr_after_its_first_digit():
    refs = references_in(
        "Căn cứ Nghị định số 1 15/2021/NĐ-CP ngày 16/12/2021 của Chính phủ; Xét Tờ trình số 61 1/TTr-BNV"
        " ngày 05/10/2025 của Bộ Nội vụ, Sở đề nghị:"
    )
    assert [r.number for r in refs] == ["115/2021/NĐ-CP", "611/TTr-BNV"]


def test_so_misread_by_ocr():
    (ref,) = references_in("Căn cứ Nghị định tố 126/2008/NĐ-CP ngày 11/12/2008 của Chính phủ, Sở đề nghị:")
    assert (ref.number, ref.type) == ("126/2008/NĐ-CP", "nghị định")


def test_hyphen_lost_between_type_and_issuer_codes_is_restored():
    refs = references_in(
        "Căn cứ Nghị định số 61/2018/NĐCP, Nghị quyết số 30c/NQCP, Thông tư số 01/2018/TTVPCP"
        " và Quyết định số 2468/QĐUBND của UBND tỉnh, Sở đề nghị:"
    )
    assert [r.number for r in refs] == ["61/2018/NĐ-CP", "30c/NQ-CP", "01/2018/TT-VPCP", "2468/QĐ-UBND"]


def test_codes_that_only_look_joined_keep_their_form():
    # the Government Inspectorate (TTCP) and a people's council (HĐND) write no hyphen
    assert [normalize_number(n) for n in ("123/TTCP", "45/HĐND", "9/BCĐ", "12/UBND")] == [
        "123/TTCP",
        "45/HĐND",
        "9/BCĐ",
        "12/UBND",
    ]


def test_own_number_with_its_lost_hyphen_restored():
    text = HEADER.replace("300/SNV-VP", "1961/QĐUBND") + "Căn cứ Luật Đất đai ngày 18/01/2024." + TASKS
    assert parse_text(text).number.value == "1961/QĐ-UBND"


def test_own_number_on_a_so_line_is_not_a_reference():
    body = Snippet.at("Số:\n35/2019/QĐ-UBND\nCăn cứ Quyết định số 12/2018/QĐ-UBND của UBND tỉnh;", 0)
    assert [r.number for r in find_references(body)] == ["12/2018/QĐ-UBND"]


def test_a_reference_cut_at_the_end_of_the_text():
    refs = parse_text(HEADER + "Thực hiện Công văn số\n3444/LĐTBXH-").references
    assert [r.number for r in refs] == ["3444/LĐTBXH"]


def test_number_of_a_known_shape_with_its_date_is_cited_even_without_its_kind():
    # a web copy cut at the left: "Căn cứ Nghị định số" lost all but its last letter
    (ref,) = references_in(
        "ố 09/2019/NĐ-CP ngày 24 tháng 01 năm 2019 của Chính phủ quy định về chế độ báo cáo;"
    )
    assert (ref.number, ref.issued_on, ref.type) == ("09/2019/NĐ-CP", date(2019, 1, 24), "nghị định")


def test_a_long_run_of_spaces_after_a_number_is_read_in_linear_time():
    body = Snippet.at("Công văn số 1/UBND" + " " * 50_000 + "của Sở Nội vụ", 0)
    started = time.perf_counter()
    find_references(body)
    assert time.perf_counter() - started < 2  # the issuer's gap, matched with nested runs, took 10 s
