"""What the benchmarks that start dondoc's own server share: a free port, `manage.py` in a child process,
a process's children and resident memory read from /proc, and a PostgreSQL database of their own. (Its name
starts with `_`: not a benchmark module.)"""

from __future__ import annotations

import socket
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def manage(env: dict[str, str], *arguments: str) -> str:
    """`manage.py` with `arguments` in `env`: its standard output, or an error with the end of both."""
    done = subprocess.run(
        [sys.executable, "manage.py", *arguments],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    if done.returncode:
        raise RuntimeError(f"manage.py {arguments[0]} failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    return done.stdout


def children(pid: int) -> list[int]:
    """The processes whose parent is `pid`."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


def resident_mb(pid: int) -> float:
    """The process's resident memory in MB (0 when it has gone)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0.0
    for line in status.splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


# the local PostgreSQL server of scripts/postgres.sh, as the role the tests use
PG = {"host": "127.0.0.1", "port": "5432", "user": "dondoc", "password": "dondoc"}


def postgresql_available() -> bool:
    try:
        import psycopg

        psycopg.connect(dbname="postgres", connect_timeout=3, **PG).close()
    except Exception:
        return False
    return True


@contextmanager
def postgresql_database(name: str) -> Iterator[dict[str, str]]:
    """A database of the benchmark's own on the local server, created empty, dropped afterwards: the
    environment that points dondoc at it."""
    import psycopg

    admin = psycopg.connect(dbname="postgres", autocommit=True, connect_timeout=3, **PG)
    admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield {
            "DONDOC_DATABASE": "postgresql",
            "PGHOST": PG["host"],
            "PGPORT": PG["port"],
            "PGUSER": PG["user"],
            "PGPASSWORD": PG["password"],
            "PGDATABASE": name,
        }
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()
