"""The directive's own trigger (migration 0018) computes the flag again on a write by a statement, and trusts
a write by the triggers on the assignments and tasks: they have just computed it, or, for inserted
assignments, know it. Checking again each directive a fan-out touched took some 300 ms a directive in the
10,000,000 generation, 48 of the 51 s of one batch of 20,000 assignments. SQLite keeps its own trigger
(migration 0018)."""

from django.db import migrations

from dondoc.core.vendor_sql import sql_by_vendor

_EXISTS = (
    "EXISTS (SELECT 1 FROM directives_task t JOIN directives_assignment a ON a.task_id = t.id "
    "WHERE t.directive_id = NEW.id)"
)
# depth 1: fired by a statement's write; deeper: by another trigger's
_CHECKED_ON_A_STATEMENTS_WRITE = f"IF pg_trigger_depth() = 1 THEN NEW.has_assignments := {_EXISTS}; END IF;"
_ALWAYS_CHECKED = f"NEW.has_assignments := {_EXISTS};"


def _function(body: str) -> str:
    return f"""CREATE OR REPLACE FUNCTION directive_has_assignments() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN {body} RETURN NEW; END $$"""


class Migration(migrations.Migration):
    dependencies = [
        ("directives", "0027_assignment_region_done"),
    ]

    operations = [
        sql_by_vendor(
            {"postgresql": [_function(_CHECKED_ON_A_STATEMENTS_WRITE)]},
            {"postgresql": [_function(_ALWAYS_CHECKED)]},
        ),
    ]
