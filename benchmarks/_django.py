"""Django for benchmarks: set up once per process, and give each benchmark an empty database of its own."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dondoc.settings.dev")
    os.environ.setdefault("DONDOC_DATA_DIR", tempfile.mkdtemp(prefix="dondoc-bench-"))
    import django

    django.setup()


@contextmanager
def empty_sqlite_database() -> Iterator[Path]:
    """A migrated SQLite database in a temporary file, used as the default connection for the block."""
    setup()
    from django.core.management import call_command
    from django.db import connections

    with tempfile.TemporaryDirectory(prefix="dondoc-bench-") as folder:
        path = Path(folder) / "bench.sqlite3"
        connection = connections["default"]
        connection.close()
        previous = dict(connection.settings_dict)
        connection.settings_dict.update(ENGINE="django.db.backends.sqlite3", NAME=str(path))
        try:
            call_command("migrate", verbosity=0)
            yield path
        finally:
            connection.close()
            connection.settings_dict.clear()
            connection.settings_dict.update(previous)
