"""Documents a directive cites: number, date, issuer and type."""

from datetime import date

from dondoc.parsing import parse_text

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
