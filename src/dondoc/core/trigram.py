"""Trigram indexes (PostgreSQL's pg_trgm) for text that search matches anywhere (`LIKE '%…%'`), which no
b-tree serves, as one migration operation for any app. PostgreSQL only: on SQLite the operation does
nothing and those searches scan, as before. pg_trgm is a trusted extension (PostgreSQL 13 and later): the
database's owner may create it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor


def trigram_indexes(indexes: Mapping[str, tuple[str, str]]) -> migrations.RunPython:
    """A migration operation creating (and, reversed, dropping) a GIN trigram index per name → (table,
    column)."""

    def create(apps: Any, schema_editor: BaseDatabaseSchemaEditor) -> None:
        if schema_editor.connection.vendor != "postgresql":
            return
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        for name, (table, column) in indexes.items():
            schema_editor.execute(
                f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin ({column} gin_trgm_ops)"
            )

    def drop(apps: Any, schema_editor: BaseDatabaseSchemaEditor) -> None:
        if schema_editor.connection.vendor != "postgresql":
            return
        for name in indexes:
            schema_editor.execute(f"DROP INDEX IF EXISTS {name}")

    return migrations.RunPython(create, drop, elidable=False)
