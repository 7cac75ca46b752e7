"""Rows written straight to a model's table, for the generator's millions of rows: by COPY on PostgreSQL, by
one executemany INSERT on SQLite, the columns the caller does not give taking the model's defaults.

bulk_create builds each row's SQL through the model's fields and makes a model instance per row: at
1,000,000 assignments that was most of the generator's time, bound by Python, not by the database. Here a row
is a tuple of plain values. The database's triggers still run on every row (regions, progress, counts per
directive); model signals and change history do not, as with bulk_create. The caller numbers the rows
(`next_ids`, then `follow_sequences` once written), so that rows can name each other before any is written.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from functools import partial
from typing import Any, cast

from django.core.management.color import no_style
from django.db import connection, models
from django.db.models import Max


class RowWriter:
    """Writes tuples of the fields `given` (attribute names, the primary key's included) into `model`'s
    table; every other concrete field takes its default, computed once per writer."""

    def __init__(self, model: type[models.Model], given: Sequence[str]) -> None:
        meta = model._meta
        fields = [cast("models.Field[Any, Any]", meta.get_field(name)) for name in given]
        named = {field.attname for field in fields}
        template = model()
        rest = [field for field in meta.concrete_fields if field.attname not in named]
        quote = connection.ops.quote_name
        columns = [quote(cast(str, field.column)) for field in [*fields, *rest]]  # concrete: never None
        into = f"{quote(meta.db_table)} ({', '.join(columns)})"
        self.copy_sql = f"COPY {into} FROM STDIN"
        self.insert_sql = f"INSERT INTO {into} VALUES ({', '.join(['%s'] * len(columns))})"
        self.defaults = tuple(
            field.get_db_prep_save(field.pre_save(template, add=True), connection) for field in rest
        )
        # dates and times as the backend stores them (SQLite: text); plain values pass as they are
        self.converters: list[tuple[int, Callable[[Any], Any]]] = [
            (index, partial(field.get_db_prep_save, connection=connection))
            for index, field in enumerate(fields)
            if connection.vendor != "postgresql" and isinstance(field, models.DateField)
        ]

    def write(self, rows: Iterable[tuple[Any, ...]]) -> None:
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(self.copy_sql) as copy:
                    for row in rows:
                        copy.write_row((*row, *self.defaults))
            else:
                cursor.executemany(self.insert_sql, [(*self._converted(row), *self.defaults) for row in rows])

    def _converted(self, row: tuple[Any, ...]) -> tuple[Any, ...]:
        if not self.converters:
            return row
        values = list(row)
        for index, convert in self.converters:
            values[index] = convert(values[index])
        return tuple(values)


def next_ids(*tables: type[models.Model]) -> list[int]:
    """The first free primary key of each model's table."""
    return [(table._default_manager.aggregate(highest=Max("pk"))["highest"] or 0) + 1 for table in tables]


def follow_sequences(*tables: type[models.Model]) -> None:
    """Set the tables' key sequences past the rows written with their own keys (PostgreSQL; SQLite follows
    by itself), so that the next row saved through the models gets a free key."""
    statements = connection.ops.sequence_reset_sql(no_style(), list(tables))
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
