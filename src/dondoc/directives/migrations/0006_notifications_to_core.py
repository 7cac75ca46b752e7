"""The notices move to core (core.Notification, table core_notification): every row of directives_notification
is copied with its id, its addressee, text and times, and what it is about becomes a generic target: its
assignment if it had one, else its directive. The next migration drops the old table (apart, so that each
runs in a transaction of its own).

Backwards, every notice goes back (one about an assignment names that assignment's directive too, as the
services wrote it; one about something else loses its target) and core_notification is emptied.

Plain SQL, one INSERT … SELECT each way: the ORM would stamp created_at anew (auto_now_add)."""

from __future__ import annotations

from typing import Any

from django.core.management.color import no_style
from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps


def _content_type(apps: StateApps, alias: str, model: str) -> int:
    content_types: Any = apps.get_model("contenttypes", "ContentType")
    found, _created = content_types.objects.using(alias).get_or_create(app_label="directives", model=model)
    return int(found.pk)


def _reset_sequence(schema_editor: BaseDatabaseSchemaEditor, model: Any) -> None:
    """The ids were copied: the next one the database gives must come after them (PostgreSQL)."""
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), [model]):
            cursor.execute(sql)


def to_core(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    old: Any = apps.get_model("directives", "Notification")
    new: Any = apps.get_model("core", "Notification")
    alias = schema_editor.connection.alias
    if not old.objects.using(alias).exists():
        return
    quote = schema_editor.quote_name
    assignment, directive = _content_type(apps, alias, "assignment"), _content_type(apps, alias, "directive")
    columns = ", ".join(
        quote(column)
        for column in (
            "id",
            "organization_id",
            "user_id",
            "text",
            "target_type_id",
            "target_id",
            "created_at",
            "read_at",
        )
    )
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {quote(new._meta.db_table)} ({columns}) "
            "SELECT id, organization_id, user_id, text, "
            "CASE WHEN assignment_id IS NOT NULL THEN %s WHEN directive_id IS NOT NULL THEN %s END, "
            "COALESCE(assignment_id, directive_id), created_at, read_at "
            f"FROM {quote(old._meta.db_table)}",
            [assignment, directive],
        )
    _reset_sequence(schema_editor, new)


def to_directives(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    old: Any = apps.get_model("directives", "Notification")
    new: Any = apps.get_model("core", "Notification")
    alias = schema_editor.connection.alias
    if not new.objects.using(alias).exists():
        return
    quote = schema_editor.quote_name
    assignment, directive = _content_type(apps, alias, "assignment"), _content_type(apps, alias, "directive")
    assignments = quote(apps.get_model("directives", "Assignment")._meta.db_table)
    tasks = quote(apps.get_model("directives", "Task")._meta.db_table)
    columns = ", ".join(
        quote(column)
        for column in (
            "id",
            "organization_id",
            "user_id",
            "text",
            "directive_id",
            "assignment_id",
            "created_at",
            "read_at",
        )
    )
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {quote(old._meta.db_table)} ({columns}) "
            "SELECT n.id, n.organization_id, n.user_id, n.text, "
            "CASE WHEN n.target_type_id = %s THEN n.target_id "
            f"WHEN n.target_type_id = %s THEN (SELECT t.directive_id FROM {assignments} a "
            f"JOIN {tasks} t ON t.id = a.task_id WHERE a.id = n.target_id) END, "
            "CASE WHEN n.target_type_id = %s THEN n.target_id END, "
            "n.created_at, n.read_at "
            f"FROM {quote(new._meta.db_table)} n",
            [directive, assignment, assignment],
        )
        cursor.execute(f"DELETE FROM {quote(new._meta.db_table)}")
    _reset_sequence(schema_editor, old)


class Migration(migrations.Migration):
    dependencies = [
        ("directives", "0005_deadline_kind_labels"),
        ("core", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(to_core, to_directives)]
