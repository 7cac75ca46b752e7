"""Read replicas: a real streaming replica of the local PostgreSQL cluster on loopback (pg_basebackup -R into
a temporary folder, started on a free port), its replay paused to make the lag real. The dashboards read from
it; the writer reads their own write from the primary at once while others still see the replica's older
data; a stopped replica leaves the pages to the primary. And the settings that name the replica.

PostgreSQL only, in the PostgreSQL half of `make test`. Transactional tests: a test's rolled-back transaction
never reaches a replica. They skip, saying why, when PostgreSQL 15's server programs are missing on a
developer's machine; in CI (CI set) or under `make test` (DONDOC_BROWSER_TESTS=required) they fail instead."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import psycopg
import pytest
from benchmarks._processes import free_port
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dondoc.core.replica import REPLICA
from dondoc.directives.models import Assignment, Directive
from dondoc.registry.models import Organization

POSTGRESQL_BIN = Path("/usr/lib/postgresql/15/bin")
TODAY = date(2023, 6, 20)
BODY = "CJU.BTV"  # Cư Jút's standing board: its reporter writes, its leader reads
# the settings a hot standby must have at least as high as its primary's
STANDBY_MINIMUMS = (
    "max_connections",
    "max_worker_processes",
    "max_wal_senders",
    "max_prepared_transactions",
    "max_locks_per_transaction",
)

ROOT = Path(__file__).resolve().parents[2]
# the replica's tests: on PostgreSQL, committing for real
postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="read replicas are PostgreSQL's"
)
committing = pytest.mark.django_db(transaction=True, databases=[DEFAULT_DB_ALIAS, REPLICA])


def replica_required() -> bool:
    return bool(os.environ.get("CI")) or os.environ.get("DONDOC_BROWSER_TESTS") == "required"


def as_server_user() -> list[str]:
    # PostgreSQL's server refuses to run as root: as the postgres user then
    return ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []


def eventually(check: Callable[[], bool], *, what: str, within: float = 20) -> None:
    """Wait for `check` to hold; fail, saying what was awaited, if it does not in time."""
    deadline = time.monotonic() + within
    while not check():
        if time.monotonic() > deadline:
            pytest.fail(f"waited in vain for {what}")
        time.sleep(0.05)


@dataclass
class Replica:
    """The streaming replica: its data folder, port and socket folder, and its superuser for the tests' own
    commands (pausing replay), through the socket only the server's user (and root) may enter."""

    directory: Path
    port: int
    superuser: str

    @property
    def data(self) -> Path:
        return self.directory / "data"

    def pg_ctl(self, *arguments: str) -> None:
        subprocess.run(
            [*as_server_user(), str(POSTGRESQL_BIN / "pg_ctl"), "-D", str(self.data), *arguments],
            check=True,
            capture_output=True,
            timeout=60,
        )

    def start(self) -> None:
        self.pg_ctl("-l", str(self.directory / "server.log"), "-w", "-t", "60", "start")

    def run(self, query: str) -> Any:
        with psycopg.connect(
            host=str(self.directory), port=self.port, user=self.superuser, dbname="postgres", autocommit=True
        ) as database:
            row = database.execute(query).fetchone()
            return row[0] if row else None

    def pause_replay(self) -> None:
        self.run("SELECT pg_wal_replay_pause()")
        eventually(
            lambda: self.run("SELECT pg_get_wal_replay_pause_state()") == "paused", what="replay paused"
        )

    def resume_replay(self) -> None:
        self.run("SELECT pg_wal_replay_resume()")

    def catch_up(self) -> None:
        """Wait until the replica has replayed everything the primary has written so far."""
        with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
            cursor.execute("SELECT pg_current_wal_lsn()::text")
            (written,) = cursor.fetchone()
        eventually(
            lambda: bool(self.run(f"SELECT pg_last_wal_replay_lsn() >= '{written}'::pg_lsn")),
            what=f"the replica replaying up to {written}",
        )


def _primary_row(query: str) -> Any:
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute(query)
        return cursor.fetchone()[0]


@pytest.fixture(scope="module")
def replica(django_db_setup: None, django_db_blocker: Any) -> Iterator[Replica]:
    """A streaming replica of the local cluster, made once the test database exists (so that it holds it),
    with the `replica` alias pointing at it for this module's tests alone: the marked pages of the tests
    after them (a live server's browser tests among them) read the primary, as without a replica. Stopped and
    removed at the end."""
    if connection.vendor != "postgresql":
        pytest.skip("read replicas are PostgreSQL's")
    if not (POSTGRESQL_BIN / "pg_basebackup").exists():
        message = f"PostgreSQL 15's server programs are not installed ({POSTGRESQL_BIN})"
        if replica_required():
            pytest.fail(message)
        pytest.skip(message)
    primary = connections[DEFAULT_DB_ALIAS].settings_dict
    with django_db_blocker.unblock():
        superuser = _primary_row("SELECT rolname FROM pg_roles WHERE oid = 10")  # the bootstrap superuser
        minimums = {name: _primary_row(f"SHOW {name}") for name in STANDBY_MINIMUMS}
    # outside pytest's own temporary folder, which the postgres user may not enter
    directory = Path(tempfile.mkdtemp(prefix="dondoc-replica-"))
    server = Replica(directory, free_port(), superuser)
    try:
        if os.geteuid() == 0:
            shutil.chown(directory, "postgres")
        copied = subprocess.run(
            [
                *as_server_user(),
                str(POSTGRESQL_BIN / "pg_basebackup"),
                f"--dbname=host={primary['HOST']} port={primary['PORT']} user={primary['USER']}",
                f"--pgdata={server.data}",
                "--write-recovery-conf",
                "--wal-method=stream",
                "--checkpoint=fast",
                "--no-sync",
            ],
            env={**os.environ, "PGPASSWORD": primary["PASSWORD"]},
            capture_output=True,
            text=True,
            timeout=120,
        )
        if copied.returncode != 0:
            message = (
                f"pg_basebackup could not copy the cluster ({copied.stderr.strip()}): the role needs "
                "REPLICATION and pg_hba.conf must let it replicate from 127.0.0.1 "
                "(scripts/postgres.sh sees to both)"
            )
            if replica_required():
                pytest.fail(message)
            pytest.skip(message)
        # Debian keeps the primary's configuration outside its data folder: the replica gets its own
        settings = "\n".join(
            [
                f"port = {server.port}",
                "listen_addresses = '127.0.0.1'",
                f"unix_socket_directories = '{directory}'",
                "hot_standby = on",
                "fsync = off",
                *(f"{name} = {value}" for name, value in minimums.items()),
            ]
        )
        (server.data / "postgresql.conf").write_text(settings + "\n", encoding="utf-8")
        (server.data / "pg_hba.conf").write_text(
            "local all all trust\nhost all all 127.0.0.1/32 scram-sha-256\n", encoding="utf-8"
        )
        (server.data / "pg_ident.conf").write_text("", encoding="utf-8")
        if os.geteuid() == 0:
            for written in ("postgresql.conf", "pg_hba.conf", "pg_ident.conf"):
                shutil.chown(server.data / written, "postgres")
        server.start()
        eventually(lambda: server.run("SELECT pg_is_in_recovery()") is True, what="the replica in recovery")
        connections.settings[REPLICA] = {
            **primary,
            "HOST": "127.0.0.1",
            "PORT": str(server.port),
            "TEST": {**primary["TEST"], "MIRROR": DEFAULT_DB_ALIAS},  # never flushed: it follows the primary
        }
        yield server
    finally:
        if REPLICA in connections.settings:
            connections[REPLICA].close()
            del connections[REPLICA]
            del connections.settings[REPLICA]
        if (server.data / "postmaster.pid").exists():
            server.pg_ctl("-m", "immediate", "-w", "stop")
        shutil.rmtree(directory)


@pytest.fixture
def caught_up(
    replica: Replica, published: Directive, client_for: Callable[[str], Client], settings: Any
) -> None:
    """The seed letter published and the members signed in, all of it replayed on the replica."""
    settings.DONDOC_TODAY = TODAY
    replica.catch_up()


@pytest.fixture
def paused(replica: Replica, caught_up: None) -> Iterator[Replica]:
    replica.pause_replay()
    yield replica
    replica.resume_replay()


def body_dashboard(client: Client) -> str:
    body = Organization.objects.get(code=BODY)
    response = client.get(reverse("followup:body_dashboard", args=[body.pk]))
    assert response.status_code == 200
    return response.content.decode()


def heading(page: str) -> str:
    """The page's title, the body's name in it (the frame around names the user's body too, from the primary:
    the page guard reads the user and their role there)."""
    match = re.search(r"<h1>(.*?)</h1>", page, re.DOTALL)
    assert match, page
    return match.group(1)


@postgresql_only
@committing
def test_a_dashboard_is_read_from_the_replica(paused: Replica, client_for: Callable[[str], Client]):
    leader = client_for("leader")
    Organization.objects.filter(code=BODY).update(name="Ban Thường vụ Huyện ủy Cư Jút (đổi tên)")
    with CaptureQueriesContext(connections[REPLICA]) as on_replica:
        page = body_dashboard(leader)
    assert "đổi tên" not in heading(page)  # the rename waits in the paused replay
    assert any("registry_organization" in query["sql"] for query in on_replica)  # the page's own reads
    with connections[REPLICA].cursor() as cursor:
        cursor.execute("SELECT pg_is_in_recovery()")
        assert cursor.fetchone() == (True,)

    paused.resume_replay()
    paused.catch_up()
    assert "đổi tên" in heading(body_dashboard(leader))


@postgresql_only
@committing
def test_the_writer_reads_their_write_at_once_while_others_see_the_replica(
    paused: Replica, client_for: Callable[[str], Client]
):
    reporter, leader = client_for("reporter"), client_for("leader")
    assignment = Assignment.objects.get(task__label="1", organization__code=BODY)
    text = "Đã tổ chức quán triệt đến toàn thể cán bộ, đảng viên"
    response = reporter.post(
        reverse("directives:draft_report", args=[assignment.pk]), {"text": text, "percent": 60}
    )
    assert response.status_code == 302

    with CaptureQueriesContext(connections[REPLICA]) as on_replica:
        assert text in body_dashboard(reporter)  # the writer: from the primary, the replica being behind
    assert len(on_replica) == 1  # only asked how far it has replayed
    assert text not in body_dashboard(leader)  # another user: from the replica, the older data

    paused.resume_replay()
    paused.catch_up()
    assert text in body_dashboard(leader)
    with CaptureQueriesContext(connections[REPLICA]) as on_replica:
        assert text in body_dashboard(reporter)
    assert len(on_replica) > 1  # the replica has replayed the writer's write: the writer reads from it again


@postgresql_only
@committing
def test_a_stopped_replica_leaves_the_pages_to_the_primary(
    replica: Replica, caught_up: None, client_for: Callable[[str], Client]
):
    leader = client_for("leader")
    body_dashboard(leader)  # a connection to the replica, which then goes away under it
    replica.pg_ctl("-m", "immediate", "-w", "stop")
    try:
        Organization.objects.filter(code=BODY).update(name="Ban Thường vụ Huyện ủy Cư Jút (đổi tên)")
        assert "đổi tên" in heading(body_dashboard(leader))
        assert leader.get(reverse("followup:dashboard")).status_code == 200
    finally:
        replica.start()


# The settings, loaded in a process of their own with a clean environment (as in tests/test_settings.py)

SHOW_DATABASES = (
    "import json, django; from django.conf import settings; django.setup(); "
    "print(json.dumps({alias: [database[key] for key in ('HOST', 'PORT', 'NAME', 'USER', 'PASSWORD')] "
    "for alias, database in settings.DATABASES.items()}))"
)


def databases_with(**variables: str) -> subprocess.CompletedProcess[str]:
    kept = {
        key: value for key, value in os.environ.items() if not key.startswith(("DONDOC_", "DJANGO_", "PG"))
    }
    environment = kept | {"DJANGO_SETTINGS_MODULE": "dondoc.settings.base", "PGDATABASE": "dondoc_prod"}
    return subprocess.run(
        [sys.executable, "-c", SHOW_DATABASES],
        cwd=ROOT,
        env=environment | {"PYTHONPATH": str(ROOT / "src")} | variables,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_the_replica_is_a_second_alias_with_the_primarys_database_and_role_unless_told():
    single = databases_with(DONDOC_DATABASE="postgresql", PGPASSWORD="secret")
    assert json.loads(single.stdout) == {"default": ["127.0.0.1", "5432", "dondoc_prod", "dondoc", "secret"]}
    with_replica = databases_with(
        DONDOC_DATABASE="postgresql",
        PGPASSWORD="secret",
        DONDOC_REPLICA_HOST="10.0.0.2",
        DONDOC_REPLICA_PORT="5433",
        DONDOC_REPLICA_USER="dondoc_reader",
        DONDOC_REPLICA_PASSWORD="other",
    )
    assert json.loads(with_replica.stdout) == {
        "default": ["127.0.0.1", "5432", "dondoc_prod", "dondoc", "secret"],
        "replica": ["10.0.0.2", "5433", "dondoc_prod", "dondoc_reader", "other"],
    }


def test_a_replica_without_postgresql_is_refused():
    result = databases_with(DONDOC_REPLICA_HOST="10.0.0.2")
    assert result.returncode != 0
    assert "DONDOC_REPLICA_HOST" in result.stderr and "DONDOC_DATABASE=postgresql" in result.stderr
