"""What differs by database: migration operations with SQL written for each (the triggers that keep columns
computed from other rows), an index that PostgreSQL builds without blocking writes, and statistics for
PostgreSQL's planner after a bulk write."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.db import connection, migrations, models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import ProjectState


def sql_by_vendor(
    forwards: Mapping[str, Sequence[str]], backwards: Mapping[str, Sequence[str]]
) -> migrations.RunPython:
    """The statements of the connection's vendor, in order, forwards or reversed; a vendor with none given
    runs nothing."""

    def runner(statements: Mapping[str, Sequence[str]]) -> Any:
        def run(apps: Any, schema_editor: BaseDatabaseSchemaEditor) -> None:
            for statement in statements.get(schema_editor.connection.vendor, ()):
                schema_editor.execute(statement, params=None)

        return run

    return migrations.RunPython(runner(forwards), runner(backwards), elidable=False)


class AddIndexWithoutBlocking(migrations.AddIndex):
    """An index built `CONCURRENTLY` on PostgreSQL, so that a large table (a million assignments: some
    seconds) takes writes while it is built, and as usual elsewhere. Its migration sets `atomic = False`, as
    PostgreSQL builds such an index outside a transaction."""

    def database_forwards(
        self,
        app_label: str,
        schema_editor: BaseDatabaseSchemaEditor,
        from_state: ProjectState,
        to_state: ProjectState,
    ) -> None:
        model = to_state.apps.get_model(app_label, self.model_name)
        if self.allow_migrate_model(schema_editor.connection.alias, model):
            schema_editor.add_index(model, self.index, **_without_blocking(schema_editor))

    def database_backwards(
        self,
        app_label: str,
        schema_editor: BaseDatabaseSchemaEditor,
        from_state: ProjectState,
        to_state: ProjectState,
    ) -> None:
        model = from_state.apps.get_model(app_label, self.model_name)
        if self.allow_migrate_model(schema_editor.connection.alias, model):
            schema_editor.remove_index(model, self.index, **_without_blocking(schema_editor))


def _without_blocking(schema_editor: BaseDatabaseSchemaEditor) -> dict[str, Any]:
    """PostgreSQL's schema editor builds and drops an index CONCURRENTLY when asked; the others cannot."""
    return {"concurrently": True} if schema_editor.connection.vendor == "postgresql" else {}


def analyze(*written: type[models.Model]) -> None:
    """Statistics for PostgreSQL's planner on the tables of `written` (every table when none), to call at the
    end of a bulk write inside its transaction: autovacuum cannot see the rows of a transaction still open,
    and a plan chosen as if the tables were empty reads a whole table for each row of another (the sample
    registry's appointments looked up by person: 5 s a query). ANALYZE counts its own transaction's rows."""
    if connection.vendor != "postgresql":
        return
    tables = ", ".join(connection.ops.quote_name(model._meta.db_table) for model in written)
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {tables}")
