"""OCR with Tesseract on the dev scan; slow-ish, so few tests."""

import pytest
from PIL import Image

from dondoc.reading import read_document
from dondoc.reading.ocr import fix_roman_numerals


@pytest.fixture(scope="module")
def scan_text(corpus):
    return read_document(corpus / "06a-cong-van-so-noi-vu.png")


def test_scan_is_read_by_ocr(scan_text):
    assert scan_text.format == "ocr" and scan_text.pages == 1


def test_scan_number_hyphenated_across_lines_is_whole(scan_text):
    assert "Công văn số 2874/UBND-NC ngày 15/7/2024" in scan_text.text


def test_scan_header_columns_are_read_one_after_the_other(scan_text):
    lines = [line for line in scan_text.text.split("\n") if line.strip()]
    assert lines[0] == "UBND TỈNH BẮC NINH"
    assert "Số: 1520/SNV-TCBC" in lines[:4]
    assert lines.index("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM") < lines.index("Kính gửi:")
    assert "Bắc Ninh, ngày 22 tháng 7 năm 2024" in lines


def test_scan_tasks_and_deadlines_come_through(scan_text):
    assert "trước 16 giờ 00 ngày" in scan_text.text
    assert "Thời gian thực hiện: Quý III/2024." in scan_text.text


def test_quarter_numeral_misread_by_ocr_is_repaired():
    assert fix_roman_numerals("Quý II1/2024, quý Il, Quý IH/2024") == "Quý III/2024, quý II, Quý II/2024"


def test_image_only_pdf_page_goes_through_ocr(tmp_path, corpus):
    with Image.open(corpus / "06a-cong-van-so-noi-vu.png") as scan:
        top = scan.crop((0, 0, scan.width, scan.height // 4))
        path = tmp_path / "scan.pdf"
        top.save(path, resolution=150)
    document = read_document(path)
    assert document.format == "ocr"
    assert "Số: 1520/SNV-TCBC" in document.text
