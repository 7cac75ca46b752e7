"""The header of a directive: issuer, number, type, place, date, trích yếu and markings."""

from datetime import date

import pytest

from dondoc.parsing import parse_text

PARTY_LETTER = """\
ĐẢNG BỘ TỈNH NGHỆ AN
**HUYỆN ỦY NAM ĐÀN**
\\*
Số 45-CV/HU
V/v tăng cường công tác phòng, chống thiên tai mùa mưa bão năm 2024

**ĐẢNG CỘNG SẢN VIỆT NAM**

*Nam Đàn, ngày 12 tháng 8 năm 2024*

Kính gửi: Các chi bộ, đảng bộ cơ sở trực thuộc Huyện ủy.

1. Các chi bộ, đảng bộ cơ sở rà soát phương án phòng, chống thiên tai, hoàn thành trước ngày 31/8/2024.

T/M BAN THƯỜNG VỤ
PHÓ BÍ THƯ

Trần Văn Hùng
"""

STATE_LETTER = """\
ỦY BAN NHÂN DÂN TỈNH LONG AN
SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH
Số: 1234/SVHTTDL-VP
Về việc tổ chức các hoạt động chào mừng Ngày Quốc khánh 2/9

CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc

Long An, ngày 05 tháng 8 năm 2024

Kính gửi: Phòng Văn hóa và Thông tin các huyện, thị xã, thành phố.

1. Các đơn vị treo cờ Tổ quốc từ ngày 31/8/2024 đến ngày 03/9/2024.

KT. GIÁM ĐỐC
PHÓ GIÁM ĐỐC

Nguyễn Văn Út
"""

# An OCR of a ministry letter: the two header columns merged line by line.
FLATTENED_HEADER = """\
BỘ TÀI CHÍNH                    CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
                                Độc lập - Tự do - Hạnh phúc
Số: 8123/BTC-NSNN               Hà Nội, ngày 02 tháng 8 năm 2024
V/v hướng dẫn xây dựng dự toán ngân sách nhà nước năm 2025

Kính gửi: Ủy ban nhân dân các tỉnh, thành phố trực thuộc Trung ương.

1. Các địa phương lập dự toán năm 2025, gửi về Bộ Tài chính trước ngày 20/9/2024.
"""

TABLE_HEADER = """\
| UBND TỈNH QUẢNG TRỊ<br>**SỞ Y TẾ**<br>———<br>Số: 2210/SYT-NVY<br>V/v phòng, chống dịch sốt xuất huyết | \
**CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM**<br>**Độc lập - Tự do - Hạnh phúc**<br>———————<br>\
*Quảng Trị, ngày 14 tháng 6 năm 2024* |
|---|---|

**KHẨN**

Kính gửi: Trung tâm Y tế các huyện, thị xã, thành phố.

1. Tổ chức giám sát ca bệnh tại cộng đồng, báo cáo Sở Y tế định kỳ hằng tuần.
"""

NEWS_ARTICLE = """\
Đồng Tháp: Tăng cường quản lý an toàn thực phẩm dịp Tết
Cập nhật: 10:25 20/12/2024  Lượt xem: 1532

Chủ tịch UBND tỉnh Đồng Tháp vừa ban hành Chỉ thị về tăng cường công tác bảo đảm an toàn thực phẩm \
dịp Tết Nguyên đán Ất Tỵ 2025.

Theo đó, Chủ tịch UBND tỉnh yêu cầu Sở Y tế chủ trì, phối hợp với Sở Công Thương tổ chức kiểm tra \
liên ngành về an toàn thực phẩm, hoàn thành trước ngày 25/01/2025.

UBND các huyện, thành phố tăng cường tuyên truyền về an toàn thực phẩm, thực hiện thường xuyên.

(Chỉ thị số 22/CT-UBND ngày 18/12/2024)

Tin liên quan:
- Đồng Tháp họp bàn phòng chống dịch (15/11/2024)
"""


def _marked(marking: str) -> str:
    return STATE_LETTER.replace("Kính gửi:", f"{marking}\n\nKính gửi:", 1)


# --- Party header --------------------------------------------------------------------------


def test_party_number_without_so_colon_is_read():
    assert parse_text(PARTY_LETTER).number.value == "45-CV/HU"


def test_party_issuer_is_the_huyen_uy_not_the_dang_bo_above_it():
    parsed = parse_text(PARTY_LETTER)
    assert parsed.issuer.value == "HUYỆN ỦY NAM ĐÀN"
    assert parsed.parent_issuer.value == "ĐẢNG BỘ TỈNH NGHỆ AN"


def test_party_motto_is_not_taken_for_the_issuer():
    assert "ĐẢNG CỘNG SẢN" not in parse_text(PARTY_LETTER).issuer.value


def test_cv_in_the_number_makes_a_cong_van():
    assert parse_text(PARTY_LETTER).type.value == "công văn"


def test_place_and_date_line_gives_place_and_issue_date():
    parsed = parse_text(PARTY_LETTER)
    assert (parsed.place.value, parsed.issued_on) == ("Nam Đàn", date(2024, 8, 12))


def test_vv_is_dropped_from_the_subject():
    assert (
        parse_text(PARTY_LETTER).subject.value
        == "tăng cường công tác phòng, chống thiên tai mùa mưa bão năm 2024"
    )


# --- State header --------------------------------------------------------------------------


def test_state_number_after_so_colon_is_read():
    assert parse_text(STATE_LETTER).number.value == "1234/SVHTTDL-VP"


def test_state_issuer_is_the_so_not_the_ubnd_tinh_above_it():
    parsed = parse_text(STATE_LETTER)
    assert parsed.issuer.value == "SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH"
    assert parsed.parent_issuer.value == "ỦY BAN NHÂN DÂN TỈNH LONG AN"


def test_ve_viec_is_dropped_from_the_subject():
    assert parse_text(STATE_LETTER).subject.value == "tổ chức các hoạt động chào mừng Ngày Quốc khánh 2/9"


def test_state_place_and_date():
    parsed = parse_text(STATE_LETTER)
    assert (parsed.place.value, parsed.issued_on) == ("Long An", date(2024, 8, 5))


def test_ubnd_on_two_lines_is_one_issuer():
    text = STATE_LETTER.replace(
        "ỦY BAN NHÂN DÂN TỈNH LONG AN\nSỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH", "ỦY BAN NHÂN DÂN\nTỈNH LONG AN"
    )
    assert parse_text(text).issuer.value == "ỦY BAN NHÂN DÂN TỈNH LONG AN"


def test_ke_hoach_title_line_gives_the_type_and_the_subject():
    text = """\
TỈNH ỦY BẾN TRE
*
Số 120-KH/TU
ĐẢNG CỘNG SẢN VIỆT NAM
Bến Tre, ngày 10 tháng 3 năm 2024

KẾ HOẠCH
thực hiện Chỉ thị số 35-CT/TW của Bộ Chính trị về đại hội đảng bộ các cấp

1. Ban Tổ chức Tỉnh ủy hướng dẫn công tác nhân sự, chậm nhất ngày 30/6/2024.
"""
    parsed = parse_text(text)
    assert parsed.type.value == "kế hoạch"
    assert parsed.subject.value.startswith("thực hiện Chỉ thị số 35-CT/TW")


# --- Layouts --------------------------------------------------------------------------------


def test_flattened_header_gives_the_issuer_of_the_left_column():
    assert parse_text(FLATTENED_HEADER).issuer.value == "BỘ TÀI CHÍNH"


def test_flattened_header_separates_number_from_place_and_date():
    parsed = parse_text(FLATTENED_HEADER)
    assert parsed.number.value == "8123/BTC-NSNN"
    assert (parsed.place.value, parsed.issued_on) == ("Hà Nội", date(2024, 8, 2))


def test_flattened_header_subject():
    assert (
        parse_text(FLATTENED_HEADER).subject.value == "hướng dẫn xây dựng dự toán ngân sách nhà nước năm 2025"
    )


def test_header_as_markdown_table_with_br():
    parsed = parse_text(TABLE_HEADER)
    assert (parsed.issuer.value, parsed.parent_issuer.value) == ("SỞ Y TẾ", "UBND TỈNH QUẢNG TRỊ")
    assert parsed.number.value == "2210/SYT-NVY"
    assert (parsed.place.value, parsed.issued_on) == ("Quảng Trị", date(2024, 6, 14))
    assert parsed.subject.value == "phòng, chống dịch sốt xuất huyết"


def test_news_article_takes_number_and_date_from_the_trailing_bracket():
    parsed = parse_text(NEWS_ARTICLE)
    assert (parsed.number.value, parsed.issued_on) == ("22/CT-UBND", date(2024, 12, 18))


def test_news_article_type_comes_from_the_trailing_bracket():
    assert parse_text(NEWS_ARTICLE).type.value == "chỉ thị"


def test_news_article_issuer_is_taken_from_who_issued_it():
    assert parse_text(NEWS_ARTICLE).issuer.value == "UBND tỉnh Đồng Tháp"


def test_news_article_has_no_place():
    assert parse_text(NEWS_ARTICLE).place is None


def test_news_article_publication_time_is_not_the_issue_date():
    assert parse_text(NEWS_ARTICLE).issued_on != date(2024, 12, 20)


def test_text_without_any_header_warns_of_missing_number_and_date():
    parsed = parse_text("Các sở, ngành tăng cường kiểm tra an toàn thực phẩm.")
    assert parsed.number is None and parsed.issued_on is None
    assert any("số, ký hiệu" in w for w in parsed.warnings)
    assert any("ngày ban hành" in w for w in parsed.warnings)


# --- Markings -------------------------------------------------------------------------------


def test_no_marking_means_neither_classification_nor_urgency():
    parsed = parse_text(STATE_LETTER)
    assert parsed.classification is None and parsed.urgency is None


@pytest.mark.parametrize("marking", ["MẬT", "TỐI MẬT"])
def test_classification_marking(marking):
    assert parse_text(_marked(marking)).classification.value == marking


@pytest.mark.parametrize("marking", ["KHẨN", "HỎA TỐC", "THƯỢNG KHẨN"])
def test_urgency_marking(marking):
    assert parse_text(_marked(marking)).urgency.value == marking


def test_bold_khan_in_a_table_header_letter():
    assert parse_text(TABLE_HEADER).urgency.value == "KHẨN"


def test_classification_and_urgency_together():
    parsed = parse_text(_marked("MẬT\nHỎA TỐC"))
    assert (parsed.classification.value, parsed.urgency.value) == ("MẬT", "HỎA TỐC")


def test_the_word_khan_in_running_text_is_no_marking():
    text = STATE_LETTER.replace("treo cờ", "khẩn trương treo cờ")
    assert parse_text(text).urgency is None


# --- Spans ------------------------------------------------------------------------------------


@pytest.mark.parametrize("field", ["issuer", "parent_issuer", "number", "place", "subject"])
def test_header_field_span_points_at_its_value(field):
    parsed = parse_text(STATE_LETTER)
    value = getattr(parsed, field)
    assert STATE_LETTER[value.span.start : value.span.end] == value.value


def test_issue_date_span_points_at_the_date():
    parsed = parse_text(PARTY_LETTER)
    span = parsed.issued_on_span
    assert PARTY_LETTER[span.start : span.end] == "ngày 12 tháng 8 năm 2024"


def test_spans_in_a_table_header_point_into_the_original_text():
    parsed = parse_text(TABLE_HEADER)
    for value in (parsed.issuer, parsed.number, parsed.subject):
        assert TABLE_HEADER[value.span.start : value.span.end] == value.value
