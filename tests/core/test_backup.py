"""`manage.py backup` and `manage.py restore` (dondoc.core.backup): a round trip gives back every row and
every uploaded file; a bad archive is refused, with a message, before anything is touched."""

from __future__ import annotations

import io
import json
import shutil
import tarfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import override_settings
from django.utils import translation

from dondoc.accounts.models import Role, User
from dondoc.accounts.services import create_member
from dondoc.core.backup import BackupError, _postgresql_program
from dondoc.directives.models import Directive
from dondoc.directives.uploads import ATTACHMENT_KINDS, store_upload
from dondoc.registry.models import Organization

DEV = Path("tests/corpus/dev")
OTHER_ENGINE = {"sqlite": "postgresql", "postgresql": "sqlite"}


@pytest.fixture(autouse=True)
def in_english() -> Iterator[None]:
    """The messages are matched in English here; the operator reads them in the site's language (Vietnamese:
    test_the_operator_reads_why_in_vietnamese)."""
    with translation.override("en"):
        yield


@pytest.fixture
def uploads(settings: Any, tmp_path: Path) -> Path:
    settings.UPLOAD_DIR = tmp_path / "uploads"
    return Path(settings.UPLOAD_DIR)


def every_row() -> dict[str, list[str]]:
    """Every table's rows, in an order that does not depend on how the database returns them."""
    rows = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            rows[table] = sorted(repr(row) for row in cursor.fetchall())
    return rows


def every_file(folder: Path) -> dict[str, bytes]:
    return {
        path.relative_to(folder).as_posix(): path.read_bytes() for path in folder.rglob("*") if path.is_file()
    }


def store(name: str, content: bytes) -> str:
    return store_upload(SimpleUploadedFile(name, content), allowed=ATTACHMENT_KINDS).stored_name


def test_a_restore_gives_back_every_row_and_every_uploaded_file(
    transactional_db: None,
    published: Directive,
    users: dict[str, User],
    uploads: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    kept = store("cong-van.pdf", (DEV / "05a-cong-van-huyen-uy.pdf").read_bytes())
    altered = store("bao-cao.txt", "Báo cáo tiến độ nhiệm vụ 9".encode())
    removed = store("anh.png", (DEV / "06a-cong-van-so-noi-vu.png").read_bytes())
    rows, files = every_row(), every_file(uploads)
    assert rows[User._meta.db_table] and rows[Directive._meta.db_table] and len(files) == 3

    archive = tmp_path / "dondoc.tar.gz"
    call_command("backup", str(archive), verbosity=0)

    Organization.objects.filter(code="CJU.BTV").update(name="Đã đổi tên")
    User.objects.filter(username="reader").delete()
    create_member(username="newcomer", password="mat-khau-moi-123", role=Role.AUDITOR)
    (uploads / altered).write_bytes(b"changed")
    (uploads / removed).unlink()
    store("moi.txt", b"a file uploaded after the backup")
    changed_rows, changed_files = every_row(), every_file(uploads)
    assert changed_rows != rows and changed_files != files

    with pytest.raises(CommandError, match=r"Refusing to replace data: the database has rows .*--force"):
        call_command("restore", str(archive), interactive=False, verbosity=0)
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    monkeypatch.setattr("builtins.input", lambda prompt: "no")
    with pytest.raises(CommandError, match="Restore cancelled; nothing was changed"):
        call_command("restore", str(archive), verbosity=0)
    assert every_row() == changed_rows and every_file(uploads) == changed_files

    call_command("restore", str(archive), force=True, verbosity=0)
    assert every_row() == rows
    assert every_file(uploads) == files and (uploads / kept).is_file()
    # the staging folder and the replaced uploads are gone
    assert sorted(path.name for path in uploads.parent.iterdir()) == ["dondoc.tar.gz", "uploads"]


@pytest.fixture(scope="module")
def pristine_archive(
    django_db_setup: None, django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory
) -> Path:
    """An archive of the test database and one uploaded file, written once into a folder, outside any
    transaction (a backup refuses to run inside one)."""
    folder = tmp_path_factory.mktemp("backups")
    with override_settings(UPLOAD_DIR=folder / "uploads"), django_db_blocker.unblock():
        store("bao-cao.txt", b"noi dung")
        call_command("backup", str(folder), verbosity=0)
    (written,) = folder.glob("dondoc-*.tar.gz")
    return written


@pytest.fixture
def archive(pristine_archive: Path, db: None, uploads: Path, tmp_path: Path) -> Path:
    store("hien-co.txt", b"a file the failed restore must leave alone")
    return Path(shutil.copy(pristine_archive, tmp_path / pristine_archive.name))


def rewrite(archive: Path, change: Callable[[str, bytes], bytes | None], *, extra: str | None = None) -> None:
    """The archive with every member passed through `change` (None drops it), and an `extra` member."""
    with tarfile.open(archive) as tar:
        members = [
            (member.name, tar.extractfile(member).read()) for member in tar.getmembers() if member.isfile()
        ]
    with tarfile.open(archive, "w:gz") as tar:
        for name, content in [*members, *([(extra, b"x")] if extra else [])]:
            changed = change(name, content)
            if changed is not None:
                info = tarfile.TarInfo(name)
                info.size = len(changed)
                tar.addfile(info, io.BytesIO(changed))


def in_manifest(edit: Callable[[dict[str, Any]], None]) -> Callable[[str, bytes], bytes]:
    def change(name: str, content: bytes) -> bytes:
        if name != "manifest.json":
            return content
        manifest = json.loads(content)
        edit(manifest)
        return json.dumps(manifest).encode()

    return change


def keep(name: str, content: bytes) -> bytes:
    return content


BAD_ARCHIVES: dict[str, tuple[Callable[[Path], None], str]] = {
    "missing": (lambda path: path.unlink(), "no such file"),
    "not an archive": (lambda path: path.write_text("một tệp văn bản"), r"not a dondoc backup \(not a tar"),
    "no manifest": (
        lambda path: rewrite(path, lambda name, content: None if name == "manifest.json" else content),
        "holds no manifest.json",
    ),
    "truncated": (
        lambda path: path.write_bytes(path.read_bytes()[: path.stat().st_size // 2]),
        "corrupted or truncated",
    ),
    "altered file": (
        lambda path: rewrite(path, lambda name, content: b"khac" if name.startswith("uploads/") else content),
        r"corrupted: uploads/.* does not match its checksum",
    ),
    "missing file": (
        lambda path: rewrite(path, lambda name, content: None if name.startswith("uploads/") else content),
        r"corrupted: uploads/.*, listed in its manifest, is missing",
    ),
    "unlisted file": (
        lambda path: rewrite(path, keep, extra="uploads/la.txt"),
        "which its manifest does not list",
    ),
    "escaping path": (lambda path: rewrite(path, keep, extra="../../la.txt"), "which no backup holds"),
    "unreadable manifest": (
        lambda path: rewrite(path, in_manifest(lambda manifest: manifest.pop("checksums"))),
        "manifest.json is unreadable",
    ),
    "other engine": (
        lambda path: rewrite(
            path, in_manifest(lambda manifest: manifest.update(engine=OTHER_ENGINE[manifest["engine"]]))
        ),
        r"holds a \w+ database, but this dondoc is configured for",
    ),
    "later dondoc": (
        lambda path: rewrite(
            path, in_manifest(lambda manifest: manifest["migrations"]["core"].append("9999_later"))
        ),
        r"made by a later dondoc .*core\.9999_later",
    ),
}


@pytest.mark.parametrize("damage", BAD_ARCHIVES.values(), ids=BAD_ARCHIVES.keys())
def test_a_bad_archive_is_refused_before_anything_is_touched(
    archive: Path, uploads: Path, damage: tuple[Callable[[Path], None], str]
) -> None:
    spoil, message = damage
    spoil(archive)
    files, users = every_file(uploads), User.objects.count()
    with pytest.raises(CommandError, match=f"Restore failed: .*{message}"):
        call_command("restore", str(archive), force=True, verbosity=0)
    assert every_file(uploads) == files and User.objects.count() == users
    assert not list(uploads.parent.glob(".dondoc-restore-*"))


def test_a_backup_never_overwrites_a_file_nor_runs_inside_a_transaction(archive: Path) -> None:
    before = archive.read_bytes()
    with pytest.raises(CommandError, match="exists already"):
        call_command("backup", str(archive), verbosity=0)
    assert archive.read_bytes() == before
    with pytest.raises(CommandError, match="cannot run inside a transaction"):
        call_command("backup", str(archive.parent / "another.tar.gz"), verbosity=0)


def test_without_the_postgresql_client_programs_the_message_says_what_to_install(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(BackupError, match=r"pg_dump is not installed .*postgresql-client"):
        _postgresql_program("pg_dump")


def test_the_operator_reads_why_in_vietnamese(archive: Path, uploads: Path, tmp_path: Path) -> None:
    with translation.override("vi"):
        with pytest.raises(
            CommandError, match=r"Không thay dữ liệu đang có: .*tệp tải lên có 1 tệp\. Thêm --force"
        ):
            call_command("restore", str(archive), interactive=False, verbosity=0)
        garbage = tmp_path / "khong-phai.tar.gz"
        garbage.write_bytes(b"not an archive")
        with pytest.raises(
            CommandError, match=r"Khôi phục không thành công: .*không phải bản sao lưu của dondoc"
        ):
            call_command("restore", str(garbage), force=True, verbosity=0)
        with pytest.raises(CommandError, match=r"Sao lưu không thành công: .*đã tồn tại"):
            call_command("backup", str(archive), verbosity=0)
