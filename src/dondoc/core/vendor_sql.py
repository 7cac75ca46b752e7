"""SQL a migration runs written for each database (the triggers that keep columns computed from other rows),
as one migration operation for any app: the statements of the connection's vendor run in order, forwards or
reversed; a vendor with none given runs nothing."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor


def sql_by_vendor(
    forwards: Mapping[str, Sequence[str]], backwards: Mapping[str, Sequence[str]]
) -> migrations.RunPython:
    def runner(statements: Mapping[str, Sequence[str]]) -> Any:
        def run(apps: Any, schema_editor: BaseDatabaseSchemaEditor) -> None:
            for statement in statements.get(schema_editor.connection.vendor, ()):
                schema_editor.execute(statement, params=None)

        return run

    return migrations.RunPython(runner(forwards), runner(backwards), elidable=False)
