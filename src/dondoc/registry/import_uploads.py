"""Spreadsheets sent to the import page, kept on disk between the preview and the save.

The type is decided by the content, never by the name: an Excel workbook (a zip holding xl/workbook.xml), an
OLE file (an old .xls or a password-protected workbook, which the import then names as such) or text without
NUL bytes, read as .csv; a PDF, an image or any other binary file is refused. The size is capped while copying
at the import's own limit. A file is kept under settings.UPLOAD_DIR/registry-imports/<random token>/ by its
own name, cleaned, because the change history quotes it ("imported from …"); the token is what the session
keeps. A file goes once saved, cancelled or replaced; one left behind by a preview never saved goes after a
day (at the next upload)."""

from __future__ import annotations

import re
import shutil
import time
import uuid
import zipfile
from dataclasses import dataclass
from pathlib import Path

import filetype
from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation
from django.core.files.uploadedfile import UploadedFile
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

from dondoc.registry.transfer import MAX_FILE_BYTES

IMPORTS_FOLDER = "registry-imports"
_TOKEN = re.compile(r"[0-9a-f]{32}")
_SUFFIXES = (".xlsx", ".csv")
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_SNIFF_BYTES = 8192
_KEPT_SECONDS = 24 * 60 * 60  # longer than a working session (SESSION_COOKIE_AGE)
_DEFAULT_STEM = "so-dang-ky"


class UploadRefused(Exception):
    """The file sent is not one the import reads; the message is for the user."""


@dataclass(frozen=True, slots=True)
class PendingImport:
    token: str
    path: Path


def _root() -> Path:
    return Path(settings.UPLOAD_DIR) / IMPORTS_FOLDER


def _spreadsheet_suffix(path: Path) -> str | None:
    with path.open("rb") as file:
        head = file.read(_SNIFF_BYTES)
    if head.startswith(_OLE_MAGIC):
        return ".xlsx"  # the reader explains: save it as an .xlsx workbook without a password
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(path) as archive:
                return ".xlsx" if "xl/workbook.xml" in archive.namelist() else None
        except (zipfile.BadZipFile, OSError):
            return ".xlsx"  # a damaged workbook: the reader says so
    if filetype.guess(head) is not None or b"\x00" in head:
        return None
    return ".csv"  # text: the reader refuses it if it is not UTF-8 or fits no kind


def _stem(name: str) -> str:
    try:
        return get_valid_filename(Path(name).stem[:100])
    except SuspiciousFileOperation:  # a name of dots or nothing at all
        return _DEFAULT_STEM


def _remove_stale() -> None:
    if not _root().is_dir():
        return
    oldest = time.time() - _KEPT_SECONDS
    for folder in _root().iterdir():
        if folder.is_dir() and folder.stat().st_mtime < oldest:
            shutil.rmtree(folder, ignore_errors=True)


def store_spreadsheet(upload: UploadedFile[bytes]) -> PendingImport:
    """Copy an upload into a folder of its own, checking the size while copying and the type once copied; a
    refused file leaves nothing behind."""
    _remove_stale()
    token = uuid.uuid4().hex
    folder = _root() / token
    folder.mkdir(parents=True)
    partial = folder / "upload.part"
    size = 0
    try:
        with partial.open("wb") as out:
            for chunk in upload.chunks():
                size += len(chunk)
                if size > MAX_FILE_BYTES:
                    raise UploadRefused(
                        _("The file is larger than %(limit)d MB.") % {"limit": MAX_FILE_BYTES // 1024 // 1024}
                    )
                out.write(chunk)
        if size == 0:
            raise UploadRefused(_("The file is empty."))
        suffix = _spreadsheet_suffix(partial)
        name = Path(upload.name or "").name
        if suffix is None:
            raise UploadRefused(
                _("%(name)s is not a spreadsheet; send an Excel workbook (.xlsx) or a .csv file.")
                % {"name": name}
            )
        path = folder / f"{_stem(name)}{suffix}"
        partial.rename(path)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return PendingImport(token, path)


def pending_file(token: str) -> Path | None:
    """The stored file of a token, or None when the token is malformed or its file is gone."""
    folder = _root() / token
    if not _TOKEN.fullmatch(token) or not folder.is_dir():
        return None
    found = [path for path in folder.iterdir() if path.suffix in _SUFFIXES]
    return found[0] if len(found) == 1 else None


def discard(token: str) -> None:
    if _TOKEN.fullmatch(token):
        shutil.rmtree(_root() / token, ignore_errors=True)
