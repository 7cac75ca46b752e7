"""The header as real copies give it: cells broken by a web page's table, OCR of signed scans, news
items that report a directive. Each example is made up; each names a general case."""

from datetime import date

from dondoc.parsing import parse_text

WEB_TABLE_COPY = """\
ỦY
BAN NHÂN DÂN
TỈNH AN GIANG
-------
|
CỘNG
HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
---------------
|
Số:
77/QĐ-UBND
|
Long
Xuyên, ngày 03 tháng 5
năm 2021
|
QUYẾT ĐỊNH
BAN HÀNH QUY CHẾ PHỐI HỢP QUẢN LÝ NHÀ NƯỚC VỀ CÔNG TÁC THANH NIÊN,
TRÊN ĐỊA BÀN TỈNH AN GIANG
CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH AN GIANG
Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;
Căn cứ Nghị định số
12/2020/NĐ-CP ngày 05 tháng 02 năm 2020 của Chính phủ;
QUYẾT ĐỊNH:
Điều 1. Ban hành kèm theo Quyết định này Quy chế phối hợp.
"""


def test_a_header_broken_across_lines_and_cells_is_read_whole():
    parsed = parse_text(WEB_TABLE_COPY)
    assert parsed.issuer and parsed.issuer.value == "ỦY BAN NHÂN DÂN TỈNH AN GIANG"
    assert parsed.number and parsed.number.value == "77/QĐ-UBND"
    assert parsed.issued_on == date(2021, 5, 3)
    assert parsed.place and parsed.place.value == "Long Xuyên"
    # a subject in capitals goes on in capitals, its comma kept, up to the authority line
    assert parsed.subject and parsed.subject.value == (
        "BAN HÀNH QUY CHẾ PHỐI HỢP QUẢN LÝ NHÀ NƯỚC VỀ CÔNG TÁC THANH NIÊN, TRÊN ĐỊA BÀN TỈNH AN GIANG"
    )
    assert [r.number for r in parsed.references if r.number] == ["12/2020/NĐ-CP"]


FLATTENED_ROWS = """\
ỦY BAN NHÂN DÂN | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM |
Số: 12/2020/QĐ-UBND | Cần Thơ, ngày 09 tháng 3 năm 2020 |
BAN HÀNH QUY ĐỊNH VỀ CÔNG TÁC VĂN THƯ TRÊN ĐỊA BÀN THÀNH PHỐ
ỦY BAN NHÂN DÂN THÀNH PHỐ CẦN THƠ
Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;
"""


def test_a_subject_in_capitals_without_its_title_line_is_still_the_subject():
    parsed = parse_text(FLATTENED_ROWS)
    assert parsed.subject and parsed.subject.value == (
        "BAN HÀNH QUY ĐỊNH VỀ CÔNG TÁC VĂN THƯ TRÊN ĐỊA BÀN THÀNH PHỐ"
    )
    assert parsed.type and parsed.type.value == "quyết định"


SIGNED_SCAN = """\
Người ký: CÔNG THÔNG TIN ĐIỆN TỬ CHÍNH PHỦ
Email: thongtinchinhphu@chinhphu.vn
Cơ quan: VĂN PHÒNG CHÍNH PHỦ
CHINHPHU.VNThời gian ký: 20.03.2025 10:11:12 +07:00

TIPT BỘ XÂY DỰNG CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc

Số: 1422/BXD-KHTC Hà Nội, ngày 1Í tháng 4O năm 2025
V/w triển khai dự án nhà ở xã hội
tại các địa phương CONG THONG Ti wen TỰ cri PHU

CỔNG THÔNG ®
ĐẾN Ngày.......

Kính gửi: Ủy ban nhân dân các tỉnh, thành phố.

Thực hiện chỉ đạo của Thủ tướng Chính phủ, Bộ Xây dựng đề nghị các địa phương báo cáo.
"""


def test_ocr_of_a_signed_scan_keeps_stamp_debris_out_and_reads_look_alike_digits():
    parsed = parse_text(SIGNED_SCAN)
    assert parsed.issuer and parsed.issuer.value == "BỘ XÂY DỰNG"
    assert parsed.number and parsed.number.value == "1422/BXD-KHTC"
    # "1Í" reads as 11, but month "4O" reads as 40: no date is made up
    assert parsed.issued_on is None
    assert parsed.type and parsed.type.value == "công văn"  # a V/v trích yếu is a công văn's
    assert parsed.subject and parsed.subject.value == "triển khai dự án nhà ở xã hội tại các địa phương"


def test_a_day_ocr_misread_as_letters_is_read_where_the_signing_time_confirms_it():
    text = SIGNED_SCAN.replace("ngày 1Í tháng 4O năm 2025", "ngày 1Í tháng O3 năm 2025")
    parsed = parse_text(text)
    assert parsed.issued_on == date(2025, 3, 11)
    assert any("OCR" in warning for warning in parsed.warnings)


def test_an_unreadable_date_still_gives_its_place():
    parsed = parse_text(SIGNED_SCAN.replace("ngày 1Í tháng 4O năm 2025", "ngày OF tháng0năm 2025"))
    assert parsed.issued_on is None
    assert parsed.place and parsed.place.value == "Hà Nội"


def test_a_date_cited_in_a_sentence_is_not_the_documents_own():
    text = """\
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc

THÔNG TƯ
Hướng dẫn quản lý quỹ
Thông tư số 97/2020/TT-BTC ngày 16 tháng 11 năm 2020 của Bộ trưởng Bộ Tài chính được sửa đổi bởi:

Điều 1. Phạm vi điều chỉnh

BỘ TÀI CHÍNH XÁC THỰC VĂN BẢN HỢP NHẤT
Số: 39/VBHN-BTC Hà Nội, ngày 07 tháng 10 năm 2025
"""
    parsed = parse_text(text)
    # a consolidated text prints its own number and date in the closing authentication block
    assert parsed.number and parsed.number.value == "39/VBHN-BTC"
    assert parsed.issued_on == date(2025, 10, 7)


def test_a_header_without_its_number_takes_no_number_cited_in_the_text():
    text = """\
BỘ TÀI CHÍNH CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Số: 4555+ /BTC-PTHT Hà Nội, ngày 08 tháng 10 năm 2025
V/v công khai tỷ lệ giải ngân

Đề nghị các Bộ thực hiện theo văn bản số 14328/BTC-PTHT ngày 15/9/2025 của Bộ Tài chính.
"""
    parsed = parse_text(text)
    assert parsed.number is None
    assert parsed.issued_on == date(2025, 10, 8)
    assert [r.number for r in parsed.references] == ["14328/BTC-PTHT"]


def test_a_news_item_gives_the_reported_documents_identity_not_what_its_issuer_received():
    text = (
        "Không tổ chức đối thoại doanh nghiệp trong quý II\n\n"
        "UBND tỉnh nhận được văn bản số 559/BNV-CTTN ngày 21/02/2020 của Bộ Nội vụ. "
        "Ngày 10/4/2020, UBND tỉnh ban hành văn bản số 1153/UBND-VP về việc không tổ chức đối thoại "
        "với cộng đồng doanh nghiệp trong quý II.\n"
    )
    parsed = parse_text(text)
    assert parsed.issuer and parsed.issuer.value == "UBND tỉnh"
    assert parsed.number and parsed.number.value == "1153/UBND-VP"
    assert parsed.issued_on == date(2020, 4, 10)
    assert parsed.subject and parsed.subject.value == (
        "không tổ chức đối thoại với cộng đồng doanh nghiệp trong quý II"
    )
    assert [r.number for r in parsed.references] == ["559/BNV-CTTN"]


def test_a_news_item_names_its_issuer_through_whose_direction_it_reports():
    text = (
        "Kiểm tra, xử lý nghiêm các trường hợp vi phạm\n\n"
        "Đó là chỉ đạo của UBND tỉnh đối với các sở, ngành tại Công văn số 4079/UBND-KT ngày 19/6 về việc "
        "tiếp tục thực hiện các biện pháp phòng, chống dịch theo Chỉ thị số 16/CT-TTg ngày 31/3/2020.\n"
    )
    parsed = parse_text(text)
    assert parsed.issuer and parsed.issuer.value == "UBND tỉnh"
    assert parsed.number and parsed.number.value == "4079/UBND-KT"
    assert parsed.issued_on is None  # "ngày 19/6" has no year
    assert [r.number for r in parsed.references] == ["16/CT-TTg"]


def test_a_print_date_above_an_article_is_not_the_documents_date():
    text = (
        "Hải Phòng, ngày 18 tháng 11 năm 2019\n"
        "Thực hiện chủ đề năm 2011 của huyện, ngày 13/5/2011, Ủy ban nhân dân huyện ban hành "
        "Kế hoạch số 42/KH-UBND về thực hiện cải cách hành chính năm 2011.\n"
    )
    parsed = parse_text(text)
    assert parsed.issued_on == date(2011, 5, 13)
    assert parsed.number and parsed.number.value == "42/KH-UBND"
    assert parsed.subject and parsed.subject.value == "thực hiện cải cách hành chính năm 2011"


def test_a_stamps_ocr_in_mixed_case_leaves_the_subject_but_a_product_name_stays():
    text = SIGNED_SCAN.replace(
        "tại các địa phương CONG THONG Ti wen TỰ cri PHU", "tại các địa phương GỐNG TrộNG LêN hot PHỦ"
    )
    assert parse_text(text).subject.value == "triển khai dự án nhà ở xã hội tại các địa phương"
    text = SIGNED_SCAN.replace("tại các địa phương CONG THONG Ti wen TỰ cri PHU", "qua ứng dụng VNeID")
    assert parse_text(text).subject.value == "triển khai dự án nhà ở xã hội qua ứng dụng VNeID"


PARTY_CONCLUSION = """\
TỈNH ỦY QUẢNG TRỊ
ĐẢNG CỘNG SẢN VIỆT NAM
*
Số 12-KL/TU
Quảng Trị, ngày 13 tháng 5 năm 2022
K ÉT LUẬN
HỘI NGHỊ LẦN THỨ BẢY
BAN CHẤP HÀNH ĐẢNG BỘ TỈNH (KHÓA XVII)
về phát triển hạ tầng giao thông đến năm 2025,
định hướng đến năm 2030
Hội nghị lần thứ bảy Ban Chấp hành Đảng bộ tỉnh họp ngày 26/4/2022 và kết luận:
"""


def test_a_party_title_goes_on_through_the_body_it_names_and_its_part_in_lower_case():
    parsed = parse_text(PARTY_CONCLUSION)
    assert parsed.type and parsed.type.value == "kết luận"  # OCR's spaced letters in the title
    assert parsed.subject and parsed.subject.value == (
        "HỘI NGHỊ LẦN THỨ BẢY BAN CHẤP HÀNH ĐẢNG BỘ TỈNH (KHÓA XVII) về phát triển hạ tầng giao thông"
        " đến năm 2025, định hướng đến năm 2030"
    )


def test_a_subject_lead_broken_over_two_lines_is_not_part_of_the_subject():
    text = WEB_TABLE_COPY.replace("BAN HÀNH QUY CHẾ PHỐI HỢP", "VỀ\nVIỆC BAN HÀNH QUY CHẾ PHỐI HỢP")
    assert parse_text(text).subject.value.startswith("BAN HÀNH QUY CHẾ PHỐI HỢP")


def test_a_news_item_gives_its_signer_and_a_party_committees_number():
    text = (
        "Ngày 27 tháng 5 năm 2022, đồng chí Lê Văn Ngoan, Phó Bí thư Thường trực Huyện ủy đã ký ban hành "
        "Công văn số 1127-CV/HU “về việc lãnh đạo đại hội chi bộ, nhiệm kỳ 2022 – 2025”.\n"
        "Ban Thường vụ Huyện ủy đề nghị các đảng bộ trực thuộc thực hiện nghiêm.\n"
    )
    parsed = parse_text(text)
    assert parsed.number and parsed.number.value == "1127-CV/HU"
    assert parsed.subject and parsed.subject.value == "lãnh đạo đại hội chi bộ, nhiệm kỳ 2022 – 2025"
    assert parsed.signer and parsed.signer.name == "Lê Văn Ngoan"
    assert parsed.signer.title == "Phó Bí thư Thường trực Huyện ủy"


def test_a_news_item_names_the_body_that_acts_not_the_one_whose_direction_it_implements():
    text = (
        "Thực hiện chỉ đạo của Thủ tướng Chính phủ, Chủ tịch UBND tỉnh Lê Trí Thanh vừa ký ban hành "
        "Công văn số 2577/UBND-NCKS về việc tăng cường kỷ luật.\n"
    )
    parsed = parse_text(text)
    assert parsed.issuer and parsed.issuer.value == "UBND tỉnh"
    assert parsed.signer and parsed.signer.name == "Lê Trí Thanh"
    assert parsed.number and parsed.number.value == "2577/UBND-NCKS"
