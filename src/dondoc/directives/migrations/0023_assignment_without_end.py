"""Whether each assignment's task has no end date (status.WITHOUT_END), kept by the database itself.

Triggers set it on every insert and every write to its task or to it (a stale value written back by a full
save is computed again), and carry a task's new kind of deadline to its assignments, so that an assignment's
status is a comparison of its own columns: a province's overdue list counted its 10,929 overdue assignments
at 10,000,000 by reading each one's task (40 ms of a 92 ms page). The kinds are WITHOUT_END's when written;
tests/directives/test_without_end.py holds the two equal."""

from django.db import migrations, models

from dondoc.core.vendor_sql import sql_by_vendor

ASSIGNMENT = "directives_assignment"
TASK = "directives_task"
# status.WITHOUT_END as it stands in this migration: a change to it needs a migration of its own
KINDS = "('ongoing', 'on_demand', 'per_roadmap', 'recurring', 'none', 'from_date')"


def _of_task(task_id: str) -> str:
    return f"(SELECT t.deadline_kind IN {KINDS} FROM {TASK} t WHERE t.id = {task_id})"


def _fill() -> str:
    return (
        f"UPDATE {ASSIGNMENT} SET without_end = TRUE WHERE task_id IN "
        f"(SELECT t.id FROM {TASK} t WHERE t.deadline_kind IN {KINDS})"
    )


def _sqlite() -> list[str]:
    fresh = _of_task("NEW.task_id")
    set_fresh = f"UPDATE {ASSIGNMENT} SET without_end = {fresh} WHERE id = NEW.id AND without_end IS NOT {fresh};"
    of_kind = f"(NEW.deadline_kind IN {KINDS})"
    return [
        _fill(),
        f"CREATE TRIGGER assignment_without_end_inserted AFTER INSERT ON {ASSIGNMENT} BEGIN {set_fresh} END",
        f"""CREATE TRIGGER assignment_without_end_updated AFTER UPDATE OF task_id, without_end ON {ASSIGNMENT}
            WHEN NEW.without_end IS NOT {fresh} BEGIN {set_fresh} END""",
        f"""CREATE TRIGGER assignment_without_end_of_task AFTER UPDATE OF deadline_kind ON {TASK}
            BEGIN UPDATE {ASSIGNMENT} SET without_end = {of_kind}
                WHERE task_id = NEW.id AND without_end IS NOT {of_kind}; END""",
    ]


def _postgresql() -> list[str]:
    return [
        _fill(),
        f"""CREATE FUNCTION assignment_without_end() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN NEW.without_end := {_of_task("NEW.task_id")}; RETURN NEW; END $$""",
        f"""CREATE TRIGGER assignment_without_end BEFORE INSERT OR UPDATE OF task_id, without_end
            ON {ASSIGNMENT} FOR EACH ROW EXECUTE FUNCTION assignment_without_end()""",
        f"""CREATE FUNCTION assignment_without_end_of_task() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                UPDATE {ASSIGNMENT} SET without_end = (NEW.deadline_kind IN {KINDS})
                    WHERE task_id = NEW.id AND without_end IS DISTINCT FROM (NEW.deadline_kind IN {KINDS});
                RETURN NULL;
            END $$""",
        f"""CREATE TRIGGER assignment_without_end_of_task AFTER UPDATE ON {TASK} FOR EACH ROW
            WHEN (OLD.deadline_kind IS DISTINCT FROM NEW.deadline_kind)
            EXECUTE FUNCTION assignment_without_end_of_task()""",
    ]


def _drop_sqlite() -> list[str]:
    return [
        f"DROP TRIGGER IF EXISTS {name}"
        for name in (
            "assignment_without_end_inserted",
            "assignment_without_end_updated",
            "assignment_without_end_of_task",
        )
    ]


def _drop_postgresql() -> list[str]:
    return [
        f"DROP TRIGGER IF EXISTS assignment_without_end ON {ASSIGNMENT}",
        f"DROP TRIGGER IF EXISTS assignment_without_end_of_task ON {TASK}",
        "DROP FUNCTION IF EXISTS assignment_without_end()",
        "DROP FUNCTION IF EXISTS assignment_without_end_of_task()",
    ]


class Migration(migrations.Migration):
    dependencies = [
        ("directives", "0022_assignment_transfer_newest"),
    ]

    operations = [
        # added by hand: Django's AddField of a column that is not null rebuilds the table on SQLite, which
        # drops the triggers 0015, 0017 and 0019 made on it
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.RunSQL(
                    f"ALTER TABLE {ASSIGNMENT} ADD COLUMN without_end boolean NOT NULL DEFAULT FALSE",
                    f"ALTER TABLE {ASSIGNMENT} DROP COLUMN without_end",
                )
            ],
            state_operations=[
                migrations.AddField(
                    model_name="assignment",
                    name="without_end",
                    field=models.BooleanField(default=False, editable=False, verbose_name="without an end"),
                )
            ],
        ),
        sql_by_vendor(
            {"sqlite": _sqlite(), "postgresql": _postgresql()},
            {"sqlite": _drop_sqlite(), "postgresql": _drop_postgresql()},
        ),
    ]
