"""The project's user model sits on the table of Django's user it replaced, and a database made before it is
adopted by `migrate` with nothing lost."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder

from dondoc.accounts.management.commands.migrate import USER_MIGRATION, adopt_user_table
from dondoc.accounts.models import User


def test_the_user_model_is_the_projects_on_djangos_table():
    assert get_user_model() is User
    assert User._meta.db_table == "auth_user"
    assert User._meta.pk is not None and User._meta.pk.get_internal_type() == "AutoField"


@pytest.mark.django_db(transaction=True)
def test_a_database_made_before_the_user_model_is_adopted_and_keeps_its_users():
    User.objects.create_user("before", password="mat-khau-cu-1")
    recorder = MigrationRecorder(connection)
    recorder.record_unapplied(*USER_MIGRATION)  # as a database migrated before accounts.0000_user was
    assert USER_MIGRATION not in recorder.applied_migrations()

    call_command("migrate", verbosity=0)

    assert USER_MIGRATION in recorder.applied_migrations()
    assert User.objects.get(username="before").check_password("mat-khau-cu-1")
    assert adopt_user_table() is False  # once only
