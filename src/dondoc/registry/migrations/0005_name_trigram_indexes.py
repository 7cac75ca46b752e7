"""Trigram indexes for finding bodies by part of their name on PostgreSQL (issue 16): search and the pickers
match the folded name or alias anywhere (`LIKE '%…%'`), which a b-tree cannot serve; pg_trgm's GIN indexes
can. PostgreSQL only: SQLite scans, as before."""

from typing import Any

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

INDEXES = {
    "organization_name_trgm": ("registry_organization", "folded_name"),
    "organization_alias_trgm": ("registry_organizationalias", "folded"),
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
    dependencies = [("registry", "0004_overlap_decisions")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
