"""Hostile and broken files: each gives one clear ReadError line, none hangs or escapes as a library error."""

import io
import os
import struct
import unicodedata
import zipfile
import zlib
from pathlib import Path

import docx
import pytest
from pypdf import PdfWriter

from dondoc.reading import ReadError, read_document
from dondoc.reading.cleanup import TONES
from dondoc.reading.limits import MAX_FILE_BYTES, MAX_PDF_PAGES


def _error(path: Path) -> str:
    with pytest.raises(ReadError) as raised:
        read_document(path)
    message = str(raised.value)
    assert "\n" not in message
    return message


def test_missing_file(tmp_path):
    assert _error(tmp_path / "khong-co.pdf") == f"không tìm thấy tệp: {tmp_path / 'khong-co.pdf'}"


def test_directory(tmp_path):
    assert _error(tmp_path).startswith("đây là thư mục")


def test_empty_file(tmp_path):
    path = tmp_path / "x.pdf"
    path.write_bytes(b"")
    assert _error(path) == f"tệp rỗng: {path}"


def test_file_over_the_size_limit(tmp_path):
    path = tmp_path / "lon.txt"
    with path.open("wb") as file:
        file.truncate(MAX_FILE_BYTES + 1)  # sparse: costs no disk
    assert _error(path).startswith("tệp quá lớn")


def test_unknown_extension(tmp_path):
    path = tmp_path / "cong-van.odt"
    path.write_bytes(b"abc")
    assert _error(path).startswith("định dạng không hỗ trợ (.odt)")


def test_text_file_with_only_blank_lines(tmp_path):
    path = tmp_path / "trang.txt"
    path.write_text("\n \n\t\n")
    assert _error(path).startswith("không tìm thấy chữ nào")


def test_binary_file_given_as_txt(tmp_path):
    path = tmp_path / "anh.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    assert _error(path).startswith("tệp nhị phân")


def test_utf16_text_with_bom_is_read(tmp_path):
    path = tmp_path / "cv.txt"
    path.write_bytes("Kính gửi: Sở Nội vụ".encode("utf-16"))
    assert read_document(path).text == "Kính gửi: Sở Nội vụ"


def _windows_1258(text: str) -> bytes:
    """Windows-1258 has the vowels ư ơ â … but writes tone marks as separate combining characters."""
    out = b""
    for char in text:
        try:
            out += char.encode("cp1258")
        except UnicodeEncodeError:
            parts = unicodedata.normalize("NFD", char)
            base = unicodedata.normalize("NFC", "".join(p for p in parts if p not in TONES))
            out += (base + "".join(p for p in parts if p in TONES)).encode("cp1258")
    return out


def test_windows_1258_text_is_read(tmp_path):
    path = tmp_path / "cv.txt"
    path.write_bytes(_windows_1258("Kính gửi: Sở Nội vụ"))
    assert read_document(path).text == "Kính gửi: Sở Nội vụ"


def test_docx_that_is_not_a_zip(tmp_path):
    path = tmp_path / "cv.docx"
    path.write_text("Đây không phải tệp Word")
    assert _error(path).startswith("tệp .docx hỏng hoặc không phải Word")


def test_zip_without_a_word_document(tmp_path):
    path = tmp_path / "cv.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("readme.txt", "xin chào")
    assert _error(path).startswith("tệp zip không phải văn bản Word")


def test_zip_bomb_docx_is_refused_before_it_is_unpacked(tmp_path):
    path = tmp_path / "bom.docx"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b" " * (20 * 1024 * 1024))
    assert "zip bomb" in _error(path)


def test_docx_with_broken_xml_is_wrapped(tmp_path):
    source = tmp_path / "good.docx"
    docx.Document().save(source)
    path = tmp_path / "broken.docx"
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(path, "w") as broken:
        for member in original.infolist():
            data = original.read(member)
            broken.writestr(
                member, b"<w:document><unclosed" if member.filename == "word/document.xml" else data
            )
    assert _error(path).startswith(f"không đọc được tệp {path}:")


def test_truncated_pdf(tmp_path, corpus):
    data = (corpus / "05a-cong-van-huyen-uy.pdf").read_bytes()
    path = tmp_path / "cut.pdf"
    path.write_bytes(data[: len(data) // 3])
    assert _error(path).startswith("PDF hỏng hoặc không đầy đủ")


def test_pdf_with_a_password(tmp_path, corpus):
    writer = PdfWriter(clone_from=corpus / "05a-cong-van-huyen-uy.pdf")
    writer.encrypt(user_password="mat-khau", owner_password="chu", algorithm="AES-128")
    path = tmp_path / "khoa.pdf"
    writer.write(path)
    assert _error(path) == f"PDF có mật khẩu (mã hóa), không đọc được: {path}"


def test_pdf_encrypted_without_a_user_password_is_read(tmp_path, corpus):
    writer = PdfWriter(clone_from=corpus / "05a-cong-van-huyen-uy.pdf")
    writer.encrypt(user_password="", owner_password="chu", algorithm="RC4-128")
    path = tmp_path / "quyen.pdf"
    writer.write(path)
    assert "Số 512-CV/HU" in read_document(path).text


def test_pdf_with_too_many_pages(tmp_path):
    writer = PdfWriter()
    for _ in range(MAX_PDF_PAGES + 1):
        writer.add_blank_page(width=595, height=842)
    path = tmp_path / "dai.pdf"
    writer.write(path)
    assert _error(path).startswith(f"PDF quá nhiều trang ({MAX_PDF_PAGES + 1}")


def _png_header_only(width: int, height: int) -> bytes:
    """A PNG that claims a size without the pixels: what a decompression bomb looks like to open()."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00"))
        + chunk(b"IEND", b"")
    )


def test_image_over_the_pixel_limit(tmp_path):
    path = tmp_path / "lon.png"
    path.write_bytes(_png_header_only(12_000, 10_000))
    assert _error(path).startswith("ảnh quá lớn khi giải nén (12000×10000")


def test_image_decompression_bomb(tmp_path):
    path = tmp_path / "bom.png"
    path.write_bytes(_png_header_only(40_000, 40_000))
    assert _error(path).startswith("ảnh quá lớn khi giải nén")


def test_broken_image(tmp_path):
    path = tmp_path / "hong.jpg"
    path.write_bytes(b"\xff\xd8\xff\xe0 not really a jpeg")
    assert _error(path).startswith("ảnh hỏng hoặc không nhận ra định dạng")


def _fake_tesseract(folder: Path, script: str) -> None:
    command = folder / "tesseract"
    command.write_text("#!/bin/sh\n" + script)
    command.chmod(0o755)


def test_missing_tesseract_says_how_to_install(tmp_path, monkeypatch, corpus):
    monkeypatch.setenv("PATH", str(tmp_path))
    message = _error(corpus / "06a-cong-van-so-noi-vu.png")
    assert message.endswith("apt-get install tesseract-ocr tesseract-ocr-vie")


def test_tesseract_without_vietnamese_data_says_how_to_install(tmp_path, monkeypatch, corpus):
    _fake_tesseract(tmp_path, 'echo "List of available languages (1):"; echo eng\n')
    monkeypatch.setenv("PATH", f"{tmp_path}{os.pathsep}{os.environ['PATH']}")
    message = _error(corpus / "06a-cong-van-so-noi-vu.png")
    assert "thiếu dữ liệu tiếng Việt" in message and "tesseract-ocr-vie" in message


def test_ocr_that_hangs_is_stopped(tmp_path, monkeypatch):
    _fake_tesseract(tmp_path, 'if [ "$1" = --list-langs ]; then echo vie; else sleep 30; fi\n')
    monkeypatch.setenv("PATH", f"{tmp_path}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setattr("dondoc.reading.ocr.TIMEOUT_SECONDS", 1)
    from PIL import Image

    path = tmp_path / "scan.png"
    buffer = io.BytesIO()
    Image.new("L", (200, 100), 255).save(buffer, format="PNG")
    path.write_bytes(buffer.getvalue())
    assert _error(path).startswith("OCR quá thời gian")
