"""Trigram indexes for search on PostgreSQL (issue 16): search matches folded text anywhere in it
(`search_text LIKE '%…%'`), which a b-tree cannot serve; pg_trgm's GIN indexes can. PostgreSQL only: SQLite
has no such index and scans, as before. pg_trgm is a trusted extension (PostgreSQL 13 and later): the
database's owner may create it."""

from typing import Any

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

INDEXES = {
    "directive_search_trgm": ("directives_directive", "search_text"),
    "task_search_trgm": ("directives_task", "search_text"),
}


def create(apps: Any, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, (table, column) in INDEXES.items():
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin ({column} gin_trgm_ops)")


def drop(apps: Any, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("directives", "0013_assignment_due_index")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
