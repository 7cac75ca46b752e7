"""Scans and photographs (.png .jpg .tif …) and image-only PDF pages, through Tesseract (`-l vie`)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from PIL import Image, ImageOps, ImageSequence

from dondoc.reading.document import PAGE_BREAK, Progress, ReadError
from dondoc.reading.layout import Word, drop_page_numbers, reading_order, rows_from_lines
from dondoc.reading.limits import MAX_OCR_PAGES, check_image_size, open_image

INSTALL_HINT = "cài bằng: apt-get install tesseract-ocr tesseract-ocr-vie"
# Tesseract misreads Vietnamese marks ("tố chức" for "tổ chức") at 150-300 dpi; on the dev scan
# ~375 dpi gave the fewest errors (450 lost an "I" of "Quý III").
TARGET_DPI = 375
MAX_SCALE = 4.0
MAX_OCR_PIXELS = 60_000_000
TIMEOUT_SECONDS = 180
A4_SHORT_SIDE_INCHES = 8.27


def tesseract_command() -> str:
    """The tesseract executable, checked to have Vietnamese data; ReadError says how to install."""
    command = shutil.which("tesseract")
    if command is None:
        raise ReadError(f"không tìm thấy Tesseract để đọc ảnh quét; {INSTALL_HINT}")
    try:
        languages = subprocess.run(
            [command, "--list-langs"], capture_output=True, text=True, timeout=30, check=False
        ).stdout.split()
    except (OSError, subprocess.TimeoutExpired) as error:
        raise ReadError(f"không chạy được Tesseract ({error}); {INSTALL_HINT}") from None
    if "vie" not in languages:
        raise ReadError(f"Tesseract thiếu dữ liệu tiếng Việt (vie); {INSTALL_HINT}")
    return command


def read_image(path: Path, *, progress: Progress | None = None) -> str:
    """All frames of an image file (a TIFF may hold several pages), page breaks marked; `progress` hears of
    each page read."""
    command = tesseract_command()
    with open_image(path) as image:
        frames = getattr(image, "n_frames", 1)
        if frames > MAX_OCR_PAGES:
            raise ReadError(f"ảnh có quá nhiều trang ({frames}, tối đa {MAX_OCR_PAGES}): {path}")
        pages = []
        for frame in ImageSequence.Iterator(image):
            check_image_size(frame.width, frame.height, path)
            pages.append(ocr_image(frame.copy(), dpi=_dpi(image), name=str(path), command=command))
            if progress is not None:
                progress(len(pages), frames)
    return f"\n{PAGE_BREAK}\n".join(pages)


def _dpi(image: Image.Image) -> float | None:
    dpi = image.info.get("dpi")
    return float(dpi[0]) if dpi and dpi[0] and float(dpi[0]) >= 50 else None


def prepare(image: Image.Image, dpi: float | None) -> Image.Image:
    """Grayscale, scaled up to about TARGET_DPI (dpi guessed from an A4 page when unknown)."""
    gray = ImageOps.grayscale(ImageOps.exif_transpose(image) or image)
    if dpi is None:
        dpi = min(gray.size) / A4_SHORT_SIDE_INCHES
    scale = min(max(TARGET_DPI / dpi, 1.0), MAX_SCALE)
    scale = min(scale, (MAX_OCR_PIXELS / (gray.width * gray.height)) ** 0.5)
    if scale > 1.05:
        gray = gray.resize((round(gray.width * scale), round(gray.height * scale)), Image.Resampling.LANCZOS)
    return gray


def ocr_image(image: Image.Image, *, dpi: float | None, name: str, command: str | None = None) -> str:
    command = command or tesseract_command()
    prepared = prepare(image, dpi)
    with tempfile.TemporaryDirectory(prefix="dondoc-ocr-") as folder:
        source = Path(folder) / "page.png"
        prepared.save(source, dpi=(TARGET_DPI, TARGET_DPI))
        try:
            # --psm 4: one column of lines of varying size, so a header row stays one line and
            # the layout step can split its two columns by the gap between them.
            result = subprocess.run(
                [command, str(source), "stdout", "-l", "vie", "--psm", "4", "tsv"],
                # one thread: Tesseract's OpenMP threads spin against each other on a small machine
                # (a page took 3-4 times longer with them here), and the reader runs one page at a time
                env={**os.environ, "OMP_THREAD_LIMIT": "1"},
                capture_output=True,
                text=True,
                timeout=TIMEOUT_SECONDS,
                check=False,
            )
        except subprocess.TimeoutExpired:
            raise ReadError(f"OCR quá thời gian ({TIMEOUT_SECONDS} giây): {name}") from None
    if result.returncode != 0:
        reason = (result.stderr.strip().splitlines() or ["lỗi không rõ"])[-1]
        raise ReadError(f"OCR thất bại ({reason}): {name}")
    lines = reading_order(drop_page_numbers(rows_from_lines(parse_tsv(result.stdout))))
    return fix_roman_numerals("\n".join(lines))


_QUARTER = re.compile(r"\b(quý)\s+([IVXlH1|]{1,4})(?=[\s/.,;)-]|$)", re.IGNORECASE)
_ROMAN_QUARTERS = ("I", "II", "III", "IV")


def fix_roman_numerals(text: str) -> str:
    """ "Quý II1/2024" → "Quý III/2024": Tesseract reads the last I of a quarter as 1, l or H."""

    def repair(match: re.Match[str]) -> str:
        numeral = match.group(2).translate(str.maketrans("l1|H", "IIII"))
        return f"{match.group(1)} {numeral}" if numeral in _ROMAN_QUARTERS else match.group(0)

    return _QUARTER.sub(repair, text)


def parse_tsv(tsv: str) -> list[list[Word]]:
    """Tesseract's TSV as lines of words, in its line order."""
    lines: dict[tuple[str, str, str, str], list[Word]] = {}
    for record in tsv.splitlines()[1:]:
        fields = record.split("\t")
        if len(fields) < 12 or fields[0] != "5" or not fields[11].strip():
            continue
        left, top, width, height = (float(value) for value in fields[6:10])
        key = (fields[1], fields[2], fields[3], fields[4])
        lines.setdefault(key, []).append(Word(left, left + width, top, top + height, fields[11].strip()))
    return list(lines.values())
