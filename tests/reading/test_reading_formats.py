"""Each format read into the same kind of text: layout tables by column, data tables as pipe rows."""

from pathlib import Path

import docx
from docx.enum.text import WD_BREAK

from dondoc.reading import DocumentText, read_document


def _lines(document: DocumentText) -> list[str]:
    return [line for line in document.text.split("\n") if line.strip()]


def _official_docx(path: Path, *, data_table: bool = False, page_break: bool = False) -> Path:
    document = docx.Document()
    header = document.add_table(rows=1, cols=2)
    left, right = header.rows[0].cells
    left.paragraphs[0].text = "UBND TỈNH BẮC NINH"
    left.add_paragraph("SỞ NỘI VỤ")
    left.add_paragraph("———")
    left.add_paragraph("Số: 1520/SNV-TCBC")
    right.paragraphs[0].text = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    right.add_paragraph("Độc lập - Tự do - Hạnh phúc")
    right.add_paragraph("Bắc Ninh, ngày 22 tháng 7 năm 2024")
    document.add_paragraph("Kính gửi:")
    document.add_paragraph("- Các sở, ban, ngành thuộc UBND tỉnh;")
    if page_break:
        document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    if data_table:
        table = document.add_table(rows=2, cols=3, style="Table Grid")
        for cell, text in zip(table.rows[0].cells, ["STT", "Nội dung", "Cơ quan chủ trì"], strict=True):
            cell.text = text
        number, content, lead = table.rows[1].cells
        number.text = "1"
        content.text = "Rà soát số lượng cấp phó"
        content.add_paragraph("theo Biểu mẫu số 01")
        lead.text = "Sở Nội vụ"
    document.add_paragraph("1. Rà soát, báo cáo số lượng cấp phó.")
    document.sections[0].header.paragraphs[0].text = "17"
    document.save(path)
    return path


def test_plain_text_keeps_its_hard_line_breaks(corpus):
    document = read_document(corpus / "10-cong-van-bo-noi-vu-ocr.txt")
    assert document.format == "text"
    assert (
        "Thực hiện Kết luận số 40-KL/TW ngày 18/7/2022 của Bộ Chính trị về nâng\ncao hiệu quả"
        in document.text
    )


def test_plain_text_page_number_inside_a_sentence_is_joined(corpus):
    document = read_document(corpus / "10-cong-van-bo-noi-vu-ocr.txt")
    assert "bảo đảm số liệu chính xác, đầy đủ, đúng thời hạn." in document.text


def test_markdown_emphasis_escapes_and_bullet_indentation_removed(corpus):
    lines = _lines(read_document(corpus / "00-1317-CV-TU.md"))
    assert "TỈNH ỦY ĐẮK NÔNG" in lines and "*" in lines
    assert "- Kính gửi:" in lines
    assert (
        "- Các sở, ban, ngành, Ủy ban Mặt trận Tổ quốc, các tổ chức chính trị - xã hội tỉnh và tương đương,"
        in lines
    )
    assert any(line.startswith("10. Tăng cường công tác kiểm tra") for line in lines)
    assert any(line.endswith("(chậm nhất hoàn thành trong tháng 5/2023).") for line in lines)


def test_markdown_escaped_dashes_become_list_dashes_and_rules_go(corpus):
    lines = _lines(read_document(corpus / "04-thong-bao-vpcp.md"))
    assert "- Lưu: VT, TCCV (2b)." in lines
    assert not any(set(line) <= {"-"} for line in lines)


def test_markdown_page_break_inside_a_sentence_is_joined(corpus):
    text = read_document(corpus / "00-1317-CV-TU.md").text
    assert "thực hiện mô hình thí điểm bí thư cấp ủy đồng thời" in text


def test_markdown_layout_table_is_read_left_column_then_right(corpus):
    lines = _lines(read_document(corpus / "02-cong-van-khan-ubnd.md"))
    assert lines[:7] == [
        "ỦY BAN NHÂN DÂN",
        "TỈNH BÌNH ĐỊNH",
        "Số: 4127/UBND-NC",
        "V/v rà soát, xây dựng kế hoạch biên chế công chức, số lượng người làm việc năm 2025",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Bình Định, ngày 29 tháng 7 năm 2024",
    ]


def test_markdown_signature_table_puts_noi_nhan_before_the_signer(corpus):
    lines = _lines(read_document(corpus / "02-cong-van-khan-ubnd.md"))
    assert lines[-10:] == [
        "Nơi nhận:",
        "- Như trên;",
        "- Bộ Nội vụ (b/c);",
        "- TT Tỉnh ủy, TT HĐND tỉnh (b/c);",
        "- CT, các PCT UBND tỉnh;",
        "- Ban Tổ chức Tỉnh ủy;",
        "- Lưu: VT, NC.",
        "KT. CHỦ TỊCH",
        "PHÓ CHỦ TỊCH",
        "Trần Minh Khoa",
    ]


def test_markdown_glued_words_are_split(corpus):
    assert "4. Sở Nội vụ là cơ quan đầu mối" in read_document(corpus / "02-cong-van-khan-ubnd.md").text


def test_markdown_data_table_keeps_one_line_per_row(corpus):
    lines = _lines(read_document(corpus / "03-quyet-dinh-ke-hoach.md"))
    assert "| STT | Nội dung nhiệm vụ | Cơ quan chủ trì | Cơ quan phối hợp | Thời gian hoàn thành |" in lines
    assert (
        "| 8 | Kiểm tra việc thực hiện tinh giản biên chế tại các cơ quan, đơn vị, địa phương "
        "| Sở Nội vụ | Thanh tra tỉnh | Thường xuyên |" in lines
    )
    assert not any(line.startswith("|---") for line in lines)


def test_docx_header_table_is_read_left_column_then_right(tmp_path):
    lines = _lines(read_document(_official_docx(tmp_path / "cv.docx")))
    assert lines[:7] == [
        "UBND TỈNH BẮC NINH",
        "SỞ NỘI VỤ",
        "Số: 1520/SNV-TCBC",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Bắc Ninh, ngày 22 tháng 7 năm 2024",
        "Kính gửi:",
    ]


def test_docx_page_header_number_is_not_read(tmp_path):
    document = read_document(_official_docx(tmp_path / "cv.docx"))
    assert document.format == "docx"
    assert "17" not in document.text


def test_docx_data_table_rows_are_pipe_lines_in_document_order(tmp_path):
    lines = _lines(read_document(_official_docx(tmp_path / "kh.docx", data_table=True)))
    table_at = lines.index("| STT | Nội dung | Cơ quan chủ trì |")
    assert lines[table_at + 1] == "| 1 | Rà soát số lượng cấp phó theo Biểu mẫu số 01 | Sở Nội vụ |"
    assert lines[table_at + 2] == "1. Rà soát, báo cáo số lượng cấp phó."


def test_docx_page_break_starts_a_new_page(tmp_path):
    document = read_document(_official_docx(tmp_path / "cv.docx", page_break=True))
    assert document.pages == 2
    assert document.position(document.text.index("1. Rà soát")) == (2, 1)


def test_docx_carries_the_same_text_as_its_markdown_rendering(corpus):
    from_word = _lines(read_document(corpus / "03a-quyet-dinh-ke-hoach.docx"))
    from_markdown = _lines(read_document(corpus / "03-quyet-dinh-ke-hoach.md"))
    assert from_word == from_markdown


def test_docx_plan_on_a_new_page(corpus):
    document = read_document(corpus / "03a-quyet-dinh-ke-hoach.docx")
    assert document.pages == 2
    assert document.position(document.text.index("KẾ HOẠCH"))[0] == 2


def test_pdf_header_columns_do_not_interleave(corpus):
    lines = _lines(read_document(corpus / "05a-cong-van-huyen-uy.pdf"))
    assert lines[:10] == [
        "ĐẢNG BỘ TỈNH QUẢNG NAM",
        "HUYỆN ỦY ĐẠI LỘC",
        "*",
        "Số 512-CV/HU",
        "V/v kiện toàn tổ chức chi bộ và sinh",
        "hoạt đảng sau sắp xếp thôn, tổ dân",
        "phố",
        "ĐẢNG CỘNG SẢN VIỆT NAM",
        "Đại Lộc, ngày 20 tháng 6 năm 2024",
        "Kính gửi:",
    ]


def test_pdf_signature_page_drops_its_page_number_and_reads_noi_nhan_first(corpus):
    document = read_document(corpus / "05a-cong-van-huyen-uy.pdf")
    assert document.format == "pdf" and document.pages == 2
    assert document.position(document.text.index("Nơi nhận:")) == (2, 1)
    assert document.text.endswith("- Lưu Văn phòng Huyện ủy.\n\nT/M BAN THƯỜNG VỤ\nPHÓ BÍ THƯ\nVõ Thị Thu Hà")


def test_pdf_pages_are_separated_by_one_blank_line(corpus):
    text = read_document(corpus / "05a-cong-van-huyen-uy.pdf").text
    assert "triển khai thực hiện.\n\nNơi nhận:" in text


def test_lines_cover_the_text_and_give_page_and_line(corpus):
    document = read_document(corpus / "05a-cong-van-huyen-uy.pdf")
    for line in document.lines:
        assert "\n" not in document.text[line.start : line.end]
    assert document.position(0) == (1, 1)
    assert document.position(len(document.text)) == (2, document.lines[-1].number)


def test_every_corpus_text_file_reads(corpus):
    for path in sorted(corpus.glob("*.md")) + sorted(corpus.glob("*.txt")):
        document = read_document(path)
        assert document.pages == 1 and document.text.strip(), path
