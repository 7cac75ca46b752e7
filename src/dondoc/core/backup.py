"""Backups of the database and the uploaded files in one archive, and their restore (`manage.py backup`,
`manage.py restore`).

An archive is a gzip-compressed tar holding, in this order:

- `database/dondoc.sqlite3` (SQLite's online backup API: a consistent copy while the application runs) or
  `database/dondoc.pgdump` (pg_dump's custom format);
- `uploads/…`: settings.UPLOAD_DIR as it was just after the database was copied;
- `manifest.json`: the format, dondoc's version, the database engine, the migrations applied, when it was
  made and the SHA-256 of every other member. It comes last because the checksums are known only once
  every member is written.

A restore checks the whole archive (every checksum, the engine, the migrations) in a staging folder beside
the upload folder before it touches anything; then it replaces the database in one transaction and swaps
the staged upload folder in with two renames."""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import zlib
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path, PurePosixPath
from typing import IO

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.utils.translation import gettext as _

FORMAT = 1
MANIFEST = "manifest.json"
DATABASE_MEMBERS = {"sqlite": "database/dondoc.sqlite3", "postgresql": "database/dondoc.pgdump"}
UPLOADS = "uploads"
ENGINE_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
# Tables `migrate` fills by itself: rows there do not make a database worth protecting from a restore
BOOKKEEPING_TABLES = frozenset({"django_migrations", "django_content_type", "auth_permission"})
# store_upload writes a file under this suffix and renames it once complete: one still being written is left
# out of the archive
PARTIAL_UPLOAD_SUFFIX = ".part"
_CHUNK = 1024 * 1024
_MAX_MANIFEST_BYTES = 16 * 1024 * 1024
# Everything in the schema is dropped before the dump's objects are created, so that tables (and functions)
# the archive does not know (from a later migration) do not survive it; in the same transaction as the
# restore itself
_DROP_SCHEMA_OBJECTS = """
SET LOCAL lock_timeout = '60s';
DO $$
DECLARE
  item record;
BEGIN
  FOR item IN SELECT schemaname, tablename FROM pg_tables WHERE schemaname = current_schema() LOOP
    EXECUTE format('DROP TABLE IF EXISTS %I.%I CASCADE', item.schemaname, item.tablename);
  END LOOP;
  FOR item IN SELECT schemaname, sequencename FROM pg_sequences WHERE schemaname = current_schema() LOOP
    EXECUTE format('DROP SEQUENCE IF EXISTS %I.%I CASCADE', item.schemaname, item.sequencename);
  END LOOP;
  -- the migrations' trigger functions; an extension's own (pg_trgm's) stay with it
  FOR item IN SELECT p.oid::regprocedure AS signature FROM pg_proc p
      JOIN pg_namespace n ON n.oid = p.pronamespace
      WHERE n.nspname = current_schema() AND NOT EXISTS (
        SELECT 1 FROM pg_depend d
        WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e')
  LOOP
    EXECUTE format('DROP FUNCTION IF EXISTS %s CASCADE', item.signature);
  END LOOP;
END $$;
"""


class BackupError(Exception):
    """A backup or a restore refused or failed; the message says why, for the operator."""


@dataclass(frozen=True, slots=True)
class Manifest:
    dondoc_version: str
    created_at: str
    engine: str
    # app label → names of the migrations applied, sorted
    migrations: dict[str, list[str]]
    # member name → SHA-256 of its content, for every member but the manifest
    checksums: dict[str, str]

    def to_json(self) -> bytes:
        document = {
            "format": FORMAT,
            "dondoc_version": self.dondoc_version,
            "created_at": self.created_at,
            "engine": self.engine,
            "migrations": self.migrations,
            "checksums": self.checksums,
        }
        return json.dumps(document, indent=2, ensure_ascii=False).encode()

    @classmethod
    def from_json(cls, content: bytes) -> Manifest:
        try:
            document = json.loads(content)
            fmt = document["format"]
            if isinstance(fmt, int) and fmt > FORMAT:
                raise BackupError(
                    _(
                        "the archive has format %(format)s, made by a newer dondoc; this one reads format "
                        "%(ours)s"
                    )
                    % {"format": fmt, "ours": FORMAT}
                )
            manifest = cls(
                dondoc_version=str(document["dondoc_version"]),
                created_at=str(document["created_at"]),
                engine=str(document["engine"]),
                migrations={
                    str(app): [str(name) for name in names] for app, names in document["migrations"].items()
                },
                checksums={str(name): str(digest) for name, digest in document["checksums"].items()},
            )
        except (ValueError, KeyError, TypeError, AttributeError) as error:
            raise BackupError(
                _("its %(manifest)s is unreadable (%(error)s): the archive is corrupted")
                % {"manifest": MANIFEST, "error": repr(error)}
            ) from None
        if fmt != FORMAT or manifest.engine not in DATABASE_MEMBERS:
            raise BackupError(
                _("its %(manifest)s names format %(format)s and engine %(engine)s, unknown here")
                % {"manifest": MANIFEST, "format": repr(fmt), "engine": repr(manifest.engine)}
            )
        return manifest

    def applied(self) -> set[tuple[str, str]]:
        return {(app, name) for app, names in self.migrations.items() for name in names}


@dataclass(frozen=True, slots=True)
class BackupSummary:
    path: Path
    engine: str
    upload_files: int
    archive_bytes: int


@dataclass(frozen=True, slots=True)
class RestoreSummary:
    manifest: Manifest
    upload_files: int
    # migrations of this code the restored database has not applied: `manage.py migrate` is due
    pending_migrations: list[str]


def engine_of(connection: BaseDatabaseWrapper) -> str:
    if connection.vendor not in DATABASE_MEMBERS:
        raise BackupError(
            _("dondoc backs up SQLite and PostgreSQL databases, not %(vendor)s")
            % {"vendor": connection.vendor}
        )
    return connection.vendor


def default_archive_name(now: datetime) -> str:
    return f"dondoc-{now:%Y%m%d-%H%M%S}.tar.gz"


def create_backup(destination: Path, *, using: str = DEFAULT_DB_ALIAS) -> BackupSummary:
    """Write an archive of the database and the upload folder to `destination` (a file that must not exist
    yet). It appears only once complete: it is written under a hidden name beside it, then renamed."""
    connection = connections[using]
    engine = engine_of(connection)
    if destination.exists():
        raise BackupError(_("%(path)s exists already; name a new file or a folder") % {"path": destination})
    if not destination.parent.is_dir():
        raise BackupError(_("%(path)s is not a folder") % {"path": destination.parent})
    if connection.in_atomic_block:
        # SQLite's backup API waits for ever for a connection to end its own write transaction; PostgreSQL's
        # pg_dump would miss what the transaction has not committed
        raise BackupError(_("a backup cannot run inside a transaction"))
    partial = destination.with_name(f".{destination.name}.part")
    upload_dir = Path(settings.UPLOAD_DIR)
    checksums: dict[str, str] = {}
    with tempfile.TemporaryDirectory(prefix=".dondoc-backup-", dir=destination.parent) as work:
        snapshot = Path(work) / "database"
        migrations = _applied_migrations(connection)
        if engine == "sqlite":
            _copy_sqlite(connection, snapshot)
        else:
            _dump_postgresql(connection, snapshot)
        # The uploads are copied after the database: a file uploaded meanwhile is one no row names, harmless;
        # a file the database names was stored before its row was written, so it is in the folder already.
        uploads = sorted(_upload_files(upload_dir))
        try:
            # readable by its owner alone: it holds every row, password hashes included
            with (
                open(partial, "xb", opener=lambda path, flags: os.open(path, flags, 0o600)) as file,
                tarfile.open(fileobj=file, mode="w:gz", compresslevel=6) as archive,
            ):
                checksums[DATABASE_MEMBERS[engine]] = _add_file(archive, snapshot, DATABASE_MEMBERS[engine])
                for path in uploads:
                    member = f"{UPLOADS}/{path.relative_to(upload_dir).as_posix()}"
                    checksums[member] = _add_file(archive, path, member)
                manifest = Manifest(
                    dondoc_version=_dondoc_version(),
                    created_at=datetime.now(UTC).isoformat(timespec="seconds"),
                    engine=engine,
                    migrations=migrations,
                    checksums=checksums,
                )
                _add_bytes(archive, MANIFEST, manifest.to_json())
            partial.rename(destination)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
    return BackupSummary(destination, engine, len(uploads), destination.stat().st_size)


def _dondoc_version() -> str:
    try:
        return metadata.version("dondoc")
    except metadata.PackageNotFoundError:
        return "unknown"


def _applied_migrations(connection: BaseDatabaseWrapper) -> dict[str, list[str]]:
    migrations: dict[str, list[str]] = {}
    for app, name in sorted(MigrationRecorder(connection).applied_migrations()):
        migrations.setdefault(app, []).append(name)
    return migrations


def _copy_sqlite(connection: BaseDatabaseWrapper, target: Path) -> None:
    """SQLite's online backup API, all pages in one step: one read transaction, so a consistent copy, which
    in WAL mode does not hold up the application's writes."""
    connection.ensure_connection()
    with closing(sqlite3.connect(target)) as copy:
        connection.connection.backup(copy)
        # a file that stands alone, without the -wal and -shm files WAL mode keeps beside it
        copy.execute("PRAGMA journal_mode=DELETE")


def _libpq_environment(connection: BaseDatabaseWrapper) -> dict[str, str]:
    """The environment of pg_dump, pg_restore and psql: the database Django is configured for (under
    pytest-django, the test database), over whatever PG* variables are set."""
    environment = dict(os.environ)
    parameters = connection.settings_dict
    for key, variable in (
        ("NAME", "PGDATABASE"),
        ("USER", "PGUSER"),
        ("PASSWORD", "PGPASSWORD"),
        ("HOST", "PGHOST"),
        ("PORT", "PGPORT"),
    ):
        if parameters.get(key):
            environment[variable] = str(parameters[key])
    return environment


def _postgresql_program(name: str) -> str:
    program = shutil.which(name)
    if program is None:
        raise BackupError(
            _(
                "%(program)s is not installed (or not on PATH); install PostgreSQL's client programs, the "
                "server's major version or newer (Debian: apt-get install postgresql-client)"
            )
            % {"program": name}
        )
    return program


def _run(command: list[str], *, environment: dict[str, str]) -> None:
    result = subprocess.run(command, env=environment, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        message = result.stderr.strip() or _("exit status %(status)s") % {"status": result.returncode}
        raise BackupError(
            _("%(program)s failed: %(message)s") % {"program": Path(command[0]).name, "message": message}
        )


def _dump_postgresql(connection: BaseDatabaseWrapper, target: Path) -> None:
    program = _postgresql_program("pg_dump")
    _run(
        [program, "--format=custom", "--no-password", f"--file={target}"],
        environment=_libpq_environment(connection),
    )


def _upload_files(upload_dir: Path) -> Iterator[Path]:
    if not upload_dir.is_dir():
        return
    for path in upload_dir.rglob("*"):
        if path.is_file() and not path.is_symlink() and not path.name.endswith(PARTIAL_UPLOAD_SUFFIX):
            yield path


class _HashingReader:
    """A file read once, both into the archive and into its checksum."""

    def __init__(self, file: IO[bytes]) -> None:
        self._file = file
        self.digest = hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        chunk = self._file.read(size)
        self.digest.update(chunk)
        return chunk


def _add_file(archive: tarfile.TarFile, path: Path, member: str) -> str:
    info = tarfile.TarInfo(member)
    status = path.stat()
    info.size, info.mtime, info.mode = status.st_size, int(status.st_mtime), 0o600
    with path.open("rb") as file:
        reader = _HashingReader(file)
        archive.addfile(info, reader)
    return reader.digest.hexdigest()


def _add_bytes(archive: tarfile.TarFile, member: str, content: bytes) -> None:
    info = tarfile.TarInfo(member)
    info.size, info.mtime, info.mode = len(content), int(datetime.now(UTC).timestamp()), 0o600
    archive.addfile(info, io.BytesIO(content))


# What reading a damaged gzip or tar raises, besides tarfile's own errors
_DAMAGED = (tarfile.TarError, EOFError, zlib.error, gzip.BadGzipFile)


class StagedRestore:
    """An archive checked and unpacked beside the upload folder, ready to replace the database and the
    uploads; nothing is touched until `apply`."""

    def __init__(self, *, manifest: Manifest, staging: Path, connection: BaseDatabaseWrapper) -> None:
        self.manifest = manifest
        self._staging = staging
        self._connection = connection

    @property
    def _database_file(self) -> Path:
        return self._staging / DATABASE_MEMBERS[self.manifest.engine]

    @property
    def _uploads(self) -> Path:
        return self._staging / UPLOADS

    @property
    def upload_count(self) -> int:
        return sum(1 for name in self.manifest.checksums if name.startswith(f"{UPLOADS}/"))

    def existing_data(self) -> list[str]:
        """What a restore would replace: tables holding rows, files in the upload folder; empty if nothing."""
        found = []
        with self._connection.cursor() as cursor:
            tables = [
                table
                for table in self._connection.introspection.table_names(cursor)
                if table not in BOOKKEEPING_TABLES
            ]
            filled = []
            for table in tables:
                cursor.execute(f"SELECT 1 FROM {self._connection.ops.quote_name(table)} LIMIT 1")
                if cursor.fetchone() is not None:
                    filled.append(table)
        if filled:
            more = "…" if len(filled) > 5 else ""
            found.append(
                _("the database has rows in %(count)d tables (%(tables)s)")
                % {"count": len(filled), "tables": ", ".join(filled[:5]) + more}
            )
        upload_count = sum(1 for _file in _upload_files(Path(settings.UPLOAD_DIR)))
        if upload_count:
            found.append(_("the upload folder holds %(count)d files") % {"count": upload_count})
        return found

    def apply(self) -> RestoreSummary:
        """Replace the database (in one transaction) and then the upload folder (two renames)."""
        if self._connection.in_atomic_block:
            raise BackupError(_("a restore cannot run inside a transaction"))
        if self.manifest.engine == "sqlite":
            self._restore_sqlite()
        else:
            self._restore_postgresql()
        # the connection's cached statements and types describe the schema that was just replaced
        self._connection.close()
        self._swap_uploads()
        pending = sorted(_code_migrations() - set(MigrationRecorder(self._connection).applied_migrations()))
        return RestoreSummary(self.manifest, self.upload_count, [f"{app}.{name}" for app, name in pending])

    def _restore_sqlite(self) -> None:
        """The backup API again, from the staged copy into the configured database: one write transaction,
        taken once other connections' writes are over, which leaves WAL mode as it was."""
        self._connection.ensure_connection()
        with closing(sqlite3.connect(self._database_file)) as source:
            source.backup(self._connection.connection)

    def _restore_postgresql(self) -> None:
        environment = _libpq_environment(self._connection)
        script = self._staging / "restore.sql"
        _run(
            [
                _postgresql_program("pg_restore"),
                "--no-owner",
                "--no-privileges",
                f"--file={script}",
                str(self._database_file),
            ],
            environment=environment,
        )
        # psql wraps the commands in one transaction (--single-transaction) and rolls it back at the first
        # error (ON_ERROR_STOP): the database is replaced as a whole or not at all
        _run(
            [
                _postgresql_program("psql"),
                "--no-psqlrc",
                "--quiet",
                "--no-password",
                "--single-transaction",
                "--set=ON_ERROR_STOP=1",
                f"--command={_DROP_SCHEMA_OBJECTS}",
                f"--file={script}",
            ],
            environment=environment,
        )

    def _swap_uploads(self) -> None:
        upload_dir = Path(settings.UPLOAD_DIR)
        # into the staging folder, which is removed once the restore is over
        replaced = self._staging / "uploads-replaced"
        try:
            if upload_dir.exists():
                upload_dir.rename(replaced)
            self._uploads.rename(upload_dir)
        except OSError as error:
            if replaced.exists() and not upload_dir.exists():
                replaced.rename(upload_dir)
            raise BackupError(
                _(
                    "the database was restored, but the upload folder could not be replaced (%(error)s); it "
                    "was left as it was"
                )
                % {"error": error}
            ) from None


@contextmanager
def staged_restore(archive: Path, *, using: str = DEFAULT_DB_ALIAS) -> Iterator[StagedRestore]:
    """Check `archive` completely and unpack it into a staging folder beside the upload folder (so that the
    swap is a rename on one file system); the folder is removed on leaving."""
    connection = connections[using]
    engine = engine_of(connection)
    if not archive.exists():
        raise BackupError(_("%(path)s: no such file") % {"path": archive})
    if not archive.is_file():
        raise BackupError(_("%(path)s is not a file") % {"path": archive})
    upload_dir = Path(settings.UPLOAD_DIR)
    upload_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".dondoc-restore-", dir=upload_dir.parent))
    try:
        manifest = _unpack(archive, staging)
        _check_fits(manifest, engine, staging)
        (staging / UPLOADS).mkdir(exist_ok=True)
        yield StagedRestore(manifest=manifest, staging=staging, connection=connection)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _unpack(archive: Path, staging: Path) -> Manifest:
    """Every member into `staging`, each checked against the manifest's checksum."""
    digests: dict[str, str] = {}
    manifest_content = None
    try:
        with tarfile.open(archive, mode="r:*") as tar:
            for member in tar:
                name = _safe_member_name(member)
                if member.isdir():
                    continue
                source = tar.extractfile(member)
                if source is None:
                    raise BackupError(
                        _("not a dondoc backup: %(member)s is not a plain file") % {"member": member.name}
                    )
                if name == MANIFEST:
                    if member.size > _MAX_MANIFEST_BYTES:
                        raise BackupError(
                            _("not a dondoc backup: its %(manifest)s is too large") % {"manifest": MANIFEST}
                        )
                    manifest_content = source.read()
                else:
                    digests[name] = _extract(source, staging / name)
    except tarfile.ReadError as error:
        if not digests and manifest_content is None:
            raise BackupError(
                _("%(path)s is not a dondoc backup (not a tar archive)") % {"path": archive}
            ) from None
        raise BackupError(
            _("%(path)s is corrupted or truncated (%(error)s)") % {"path": archive, "error": error}
        ) from None
    except _DAMAGED as error:
        raise BackupError(
            _("%(path)s is corrupted or truncated (%(error)s)") % {"path": archive, "error": repr(error)}
        ) from None
    if manifest_content is None:
        raise BackupError(
            _("%(path)s is not a dondoc backup: it holds no %(manifest)s")
            % {"path": archive, "manifest": MANIFEST}
        )
    try:
        manifest = Manifest.from_json(manifest_content)
    except BackupError as error:
        raise BackupError(f"{archive}: {error}") from None
    if missing := sorted(manifest.checksums.keys() - digests.keys()):
        raise BackupError(
            _("%(path)s is corrupted: %(member)s, listed in its manifest, is missing")
            % {"path": archive, "member": missing[0]}
        )
    if unlisted := sorted(digests.keys() - manifest.checksums.keys()):
        raise BackupError(
            _("%(path)s is corrupted: it holds %(member)s, which its manifest does not list")
            % {"path": archive, "member": unlisted[0]}
        )
    if damaged := sorted(name for name, digest in digests.items() if manifest.checksums[name] != digest):
        raise BackupError(
            _("%(path)s is corrupted: %(member)s does not match its checksum")
            % {"path": archive, "member": damaged[0]}
        )
    return manifest


def _safe_member_name(member: tarfile.TarInfo) -> str:
    """The member's name, once sure that it is a file or folder a backup holds and stays inside the staging
    folder when unpacked."""
    path = PurePosixPath(member.name)
    if (
        path.is_absolute()
        or ".." in path.parts
        or not (member.isfile() or member.isdir())
        or not (str(path) == MANIFEST or path.parts[:1] in {("database",), (UPLOADS,)})
    ):
        raise BackupError(
            _("not a dondoc backup: it holds %(member)s, which no backup holds")
            % {"member": repr(member.name)}
        )
    return str(path)


def _extract(source: IO[bytes], target: Path) -> str:
    target.parent.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    with target.open("xb") as out:
        while chunk := source.read(_CHUNK):
            digest.update(chunk)
            out.write(chunk)
    return digest.hexdigest()


def _check_fits(manifest: Manifest, engine: str, staging: Path) -> None:
    """The archive suits this dondoc: the same engine, no migration this code lacks, a readable database."""
    if manifest.engine != engine:
        raise BackupError(
            _(
                "the archive holds a %(theirs)s database, but this dondoc is configured for %(ours)s "
                "(DONDOC_DATABASE); restore it with the settings it was made with"
            )
            % {"theirs": ENGINE_NAMES[manifest.engine], "ours": ENGINE_NAMES[engine]}
        )
    database_file = staging / DATABASE_MEMBERS[engine]
    if not database_file.is_file():
        raise BackupError(_("the archive holds no %(member)s") % {"member": DATABASE_MEMBERS[engine]})
    unknown = sorted(manifest.applied() - _code_migrations())
    if unknown:
        names = ", ".join(f"{app}.{name}" for app, name in unknown[:5])
        raise BackupError(
            _(
                "the archive was made by a later dondoc (%(version)s): its database has migrations this code "
                "lacks (%(migrations)s); install that version first"
            )
            % {"version": manifest.dondoc_version, "migrations": names}
        )
    if engine == "sqlite":
        _check_sqlite(database_file)
    else:
        _run([_postgresql_program("pg_restore"), "--list", str(database_file)], environment=dict(os.environ))


def _check_sqlite(database_file: Path) -> None:
    try:
        with closing(sqlite3.connect(f"{database_file.as_uri()}?mode=ro", uri=True)) as database:
            (result,) = database.execute("PRAGMA quick_check").fetchone()
    except sqlite3.DatabaseError as error:
        raise BackupError(_("the archive's database cannot be read: %(error)s") % {"error": error}) from None
    if result != "ok":
        raise BackupError(_("the archive's database is damaged: %(result)s") % {"result": result})


def _code_migrations() -> set[tuple[str, str]]:
    return set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
