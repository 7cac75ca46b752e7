"""Uploaded files: the type decided by the content, never by the name; the size capped while streaming;
stored under settings.UPLOAD_DIR (outside the web root) by a random name, served only through views that
check access."""

from __future__ import annotations

import hashlib
import io
import uuid
import zipfile
from dataclasses import dataclass
from pathlib import Path

import filetype
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.http import FileResponse
from django.utils.translation import gettext as _

# kind → MIME type served back; the kind is also the stored file's suffix, which the reader dispatches on
KINDS: dict[str, str] = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
    "png": "image/png",
    "jpg": "image/jpeg",
    "tiff": "image/tiff",
    "txt": "text/plain; charset=utf-8",
}
DIRECTIVE_KINDS = frozenset({"docx", "pdf", "png", "jpg", "tiff", "txt"})
ATTACHMENT_KINDS = frozenset(KINDS)
_IMAGE_KINDS = {"png": "png", "jpg": "jpg", "tif": "tiff"}
_SNIFF_BYTES = 8192


class UploadError(Exception):
    """A file refused; the message is for the user."""


@dataclass(frozen=True, slots=True)
class StoredFile:
    stored_name: str
    original_name: str
    kind: str
    content_type: str
    size: int
    sha256: str


def _zip_kind(path: Path) -> str | None:
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError):
        return None
    if "word/document.xml" in names:
        return "docx"
    if "xl/workbook.xml" in names:
        return "xlsx"
    return None


def _text_kind(head: bytes) -> str | None:
    if b"\x00" in head:
        return None
    try:
        # a multi-byte character may be cut at the end of the sniffed bytes
        io.TextIOWrapper(io.BytesIO(head), encoding="utf-8-sig", errors="strict").read()
    except UnicodeDecodeError as error:
        if error.start < len(head) - 4:
            return None
    return "txt"


def sniff(path: Path) -> str | None:
    """The kind of file by its content: a Word or Excel file (a zip with their parts), a PDF, an image, or
    UTF-8 text; None for anything else."""
    with path.open("rb") as file:
        head = file.read(_SNIFF_BYTES)
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return _zip_kind(path)
    guessed = filetype.guess(head)
    if guessed is not None:
        return _IMAGE_KINDS.get(guessed.extension)
    return _text_kind(head)


def upload_path(stored_name: str) -> Path:
    root = Path(settings.UPLOAD_DIR)
    path = (root / stored_name).resolve()
    if root.resolve() not in path.parents:
        raise UploadError(_("No such file."))
    return path


def _label(kinds: frozenset[str]) -> str:
    return ", ".join(sorted({".jpg" if kind == "jpg" else f".{kind}" for kind in kinds}))


def store_upload(upload: UploadedFile[bytes], *, allowed: frozenset[str]) -> StoredFile:
    """Copy an upload into the store, checking size while copying and type once copied; a refused file
    leaves nothing behind."""
    limit: int = settings.MAX_UPLOAD_BYTES
    original_name = Path(upload.name or "tep").name[:255]
    stored = f"{uuid.uuid4().hex[:2]}/{uuid.uuid4().hex}"
    partial = upload_path(stored + ".part")
    partial.parent.mkdir(parents=True, exist_ok=True)
    digest, size = hashlib.sha256(), 0
    try:
        with partial.open("wb") as out:
            for chunk in upload.chunks():
                size += len(chunk)
                if size > limit:
                    raise UploadError(
                        _("The file is larger than %(limit)d MB.") % {"limit": limit // 1024 // 1024}
                    )
                digest.update(chunk)
                out.write(chunk)
        if size == 0:
            raise UploadError(_("The file is empty."))
        kind = sniff(partial)
        if kind not in allowed:
            raise UploadError(
                _("%(name)s is not a file dondoc accepts here; send one of: %(kinds)s.")
                % {"name": original_name, "kinds": _label(allowed)}
            )
        final = upload_path(f"{stored}.{kind}")
        partial.rename(final)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return StoredFile(f"{stored}.{kind}", original_name, kind, KINDS[kind], size, digest.hexdigest())


def discard(stored_name: str) -> None:
    """Remove a stored file whose database row was never written (the import failed as a whole)."""
    upload_path(stored_name).unlink(missing_ok=True)


def file_response(*, stored_name: str, original_name: str, content_type: str) -> FileResponse:
    """The file as a download (never rendered inline by the browser), for a view that has checked access."""
    response = FileResponse(
        upload_path(stored_name).open("rb"),
        as_attachment=True,
        filename=original_name,
        content_type=content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
