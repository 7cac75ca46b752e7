"""Limits that keep hostile or broken files from hanging the reader or eating memory."""

from __future__ import annotations

import warnings
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING

from dondoc.reading.document import ReadError

if TYPE_CHECKING:
    from PIL import Image

MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_PDF_PAGES = 300
MAX_OCR_PAGES = 50
MAX_IMAGE_PIXELS = 100_000_000  # a 600 dpi A3 scan is ~70 million pixels
MAX_DOCX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_DOCX_RATIO = 100  # XML compresses ~10:1; a zip bomb compresses 1000:1
MAX_DOCX_MEMBERS = 5000


def check_file(path: Path) -> None:
    """Exists, is a regular file, is neither empty nor too large."""
    if not path.exists():
        raise ReadError(f"không tìm thấy tệp: {path}")
    if path.is_dir():
        raise ReadError(f"đây là thư mục, không phải tệp: {path}")
    if not path.is_file():
        raise ReadError(f"không phải tệp thông thường: {path}")
    size = path.stat().st_size
    if size == 0:
        raise ReadError(f"tệp rỗng: {path}")
    if size > MAX_FILE_BYTES:
        raise ReadError(
            f"tệp quá lớn ({size / 1024 / 1024:.0f} MB, tối đa {MAX_FILE_BYTES // 1024 // 1024} MB): {path}"
        )


def check_docx(path: Path) -> None:
    """A real zip whose members unpack to a sane size, checked before python-docx opens it."""
    if not zipfile.is_zipfile(path):
        raise ReadError(f"tệp .docx hỏng hoặc không phải Word (không phải tệp zip): {path}")
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError) as error:
        raise ReadError(f"tệp .docx hỏng ({error}): {path}") from None
    if len(members) > MAX_DOCX_MEMBERS:
        raise ReadError(f"tệp .docx có quá nhiều thành phần ({len(members)}): {path}")
    unpacked = sum(member.file_size for member in members)
    packed = sum(member.compress_size for member in members)
    if unpacked > MAX_DOCX_UNPACKED_BYTES or unpacked > MAX_DOCX_RATIO * max(packed, 1) + 1024 * 1024:
        raise ReadError(
            f"tệp .docx giải nén quá lớn ({unpacked / 1024 / 1024:.0f} MB), nghi là zip bomb: {path}"
        )
    if "word/document.xml" not in {member.filename for member in members}:
        raise ReadError(f"tệp zip không phải văn bản Word (thiếu word/document.xml): {path}")


def open_image(path: Path) -> Image.Image:
    """Open lazily and refuse images that would decompress to more than MAX_IMAGE_PIXELS."""
    from PIL import Image  # Pillow when an image is read, not in every process that checks a file

    try:
        with warnings.catch_warnings():
            # Pillow only warns below twice its own limit; the size check below decides instead.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image = Image.open(path)
    except Image.DecompressionBombError:
        raise ReadError(f"ảnh quá lớn khi giải nén (tối đa {MAX_IMAGE_PIXELS:,} điểm ảnh): {path}") from None
    except (OSError, SyntaxError, ValueError) as error:
        raise ReadError(f"ảnh hỏng hoặc không nhận ra định dạng ({error}): {path}") from None
    try:
        check_image_size(image.width, image.height, path)
    except ReadError:
        image.close()
        raise
    return image


def check_image_size(width: int, height: int, path: Path) -> None:
    if width * height > MAX_IMAGE_PIXELS:
        raise ReadError(
            f"ảnh quá lớn khi giải nén ({width}×{height}, tối đa {MAX_IMAGE_PIXELS:,} điểm ảnh): {path}"
        )
