from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from dondoc.directives.uploads import (
    ATTACHMENT_KINDS,
    DIRECTIVE_KINDS,
    UploadError,
    store_upload,
    upload_path,
)

DEV = Path("tests/corpus/dev")


@pytest.fixture(autouse=True)
def upload_dir(settings, tmp_path):
    settings.UPLOAD_DIR = tmp_path / "uploads"
    return settings.UPLOAD_DIR


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("03a-quyet-dinh-ke-hoach.docx", "docx"),
        ("05a-cong-van-huyen-uy.pdf", "pdf"),
        ("06a-cong-van-so-noi-vu.png", "png"),
        ("00-1317-CV-TU.md", "txt"),
    ],
)
def test_the_kind_comes_from_the_content_even_under_a_misleading_name(name, kind):
    stored = store_upload(
        SimpleUploadedFile("tai-lieu.bin", (DEV / name).read_bytes()), allowed=DIRECTIVE_KINDS
    )
    assert stored.kind == kind and stored.stored_name.endswith(f".{kind}")
    assert upload_path(stored.stored_name).read_bytes() == (DEV / name).read_bytes()
    assert len(stored.sha256) == 64 and stored.original_name == "tai-lieu.bin"


@pytest.mark.parametrize(
    "content",
    [
        b"MZ\x90\x00\x03\x00\x00\x00" + bytes(200),  # a Windows program
        b"PK\x03\x04" + bytes(100),  # a broken zip
        "xin chào".encode("utf-16"),
    ],
)
def test_a_file_of_another_kind_is_refused_and_leaves_nothing(upload_dir, content):
    with pytest.raises(UploadError, match=r"cong-van\.docx"):
        store_upload(SimpleUploadedFile("cong-van.docx", content), allowed=DIRECTIVE_KINDS)
    assert not any(path.is_file() for path in upload_dir.rglob("*"))


def test_an_empty_or_oversized_file_is_refused(settings, upload_dir):
    with pytest.raises(UploadError):
        store_upload(SimpleUploadedFile("rong.txt", b""), allowed=ATTACHMENT_KINDS)
    settings.MAX_UPLOAD_BYTES = 1000
    with pytest.raises(UploadError, match="MB"):
        store_upload(SimpleUploadedFile("lon.txt", b"a" * 1001), allowed=ATTACHMENT_KINDS)
    assert not any(path.is_file() for path in upload_dir.rglob("*"))


def test_a_stored_name_cannot_point_outside_the_store():
    with pytest.raises(UploadError):
        upload_path("../../etc/passwd")
