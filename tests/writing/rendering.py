"""Looking at a written document as it prints: LibreOffice converts the .docx to PDF, pdftoppm renders pages
to PNG, and the pages are kept in ARTEFACTS (var/artefacts, or $DONDOC_ARTEFACTS) for a person to look at.
Shared by the tests of written documents.

LibreOffice is slow to start (a few seconds a conversion): convert once per module (a module-scoped
fixture) and check everything on that PDF. Without `soffice` the tests are skipped, except on CI (CI set in
the environment), where its absence is a failure: the layout must be looked at there."""

from __future__ import annotations

import atexit
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ARTEFACTS = Path(os.environ.get("DONDOC_ARTEFACTS") or ROOT / "var" / "artefacts")
CONVERSION_TIMEOUT = 180  # seconds: a first start builds LibreOffice's profile
RENDER_TIMEOUT = 60


def require_soffice() -> str:
    """The path of LibreOffice's `soffice`; the test is skipped without it, or fails on CI."""
    found = shutil.which("soffice")
    if found is None:
        reason = (
            "LibreOffice (soffice) is not installed: scripts/system-packages.sh installs libreoffice-writer"
        )
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    return found


_profile: Path | None = None


def _own_profile() -> Path:
    """A LibreOffice profile of this process's own, so that runs side by side do not wait on each other's
    lock; made once (its first start is the slow one) and removed at exit."""
    global _profile
    if _profile is None:
        _profile = Path(tempfile.mkdtemp(prefix="dondoc-soffice-"))
        atexit.register(shutil.rmtree, _profile, ignore_errors=True)
    return _profile


def docx_to_pdf(document: Path | bytes, out_dir: Path) -> Path:
    """The .docx (a file, or its bytes) converted to PDF in `out_dir`; the PDF's path."""
    soffice = require_soffice()
    out_dir.mkdir(parents=True, exist_ok=True)
    if isinstance(document, bytes):
        source = out_dir / "document.docx"
        source.write_bytes(document)
    else:
        source = document
    run = subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={_own_profile().as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
            str(out_dir),
            str(source),
        ],
        capture_output=True,
        text=True,
        timeout=CONVERSION_TIMEOUT,
        check=False,
    )
    pdf = out_dir / f"{source.stem}.pdf"
    if run.returncode != 0 or not pdf.exists():
        raise AssertionError(f"LibreOffice did not convert {source.name}: {run.stdout} {run.stderr}".strip())
    return pdf


def pdf_pages_to_png(
    pdf: Path, out_dir: Path, dpi: int = 60, *, pages: range | None = None, prefix: str = ""
) -> list[Path]:
    """Pages of the PDF (all, or those of `pages`, counted from 1) as PNG files "<prefix>-<page>.png" in
    `out_dir` (prefix: the PDF's name by default)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    stem = prefix or pdf.stem
    if pages is None:
        pages = range(1, _page_count(pdf) + 1)
    written = []
    for page in pages:
        target = out_dir / f"{stem}-{page}"
        command = ["pdftoppm", "-r", str(dpi), "-png", "-f", str(page), "-l", str(page), "-singlefile"]
        subprocess.run([*command, str(pdf), str(target)], check=True, timeout=RENDER_TIMEOUT)
        written.append(target.with_suffix(".png"))
    return written


def _page_count(pdf: Path) -> int:
    info = subprocess.run(
        ["pdfinfo", str(pdf)], capture_output=True, text=True, check=True, timeout=RENDER_TIMEOUT
    ).stdout
    return next(int(line.split()[-1]) for line in info.splitlines() if line.startswith("Pages:"))
