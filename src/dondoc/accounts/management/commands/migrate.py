"""Django's `migrate`, which first adopts a database made before dondoc had its own user model.

Such a database holds Django's `auth_user` table, which the project's user model now owns, and has the
accounts migrations applied, but not `accounts.0000_user`, which every app's history depends on; Django would
refuse it as inconsistent. The table is the same, so that migration is recorded as applied, once, and
everything else migrates as usual."""

from __future__ import annotations

from typing import Any

from django.core.management.commands import migrate
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.recorder import MigrationRecorder

USER_MIGRATION = ("accounts", "0000_user")
MEMBERSHIP_MIGRATION = ("accounts", "0001_initial")


def adopt_user_table(alias: str = DEFAULT_DB_ALIAS) -> bool:
    """Record the user model's migration as applied on a database that already has its table; True if it
    did."""
    connection = connections[alias]
    recorder = MigrationRecorder(connection)
    if not recorder.has_table():
        return False
    applied = recorder.applied_migrations()
    if USER_MIGRATION in applied or MEMBERSHIP_MIGRATION not in applied:
        return False
    if "auth_user" not in connection.introspection.table_names():
        return False
    recorder.record_applied(*USER_MIGRATION)
    return True


class Command(migrate.Command):
    def handle(self, *args: Any, **options: Any) -> None:
        if adopt_user_table(options["database"]) and options["verbosity"] >= 1:
            self.stdout.write("The user table is now the project's user model (accounts.0000_user).")
        super().handle(*args, **options)
