"""Whether a directive has any assignment, kept on the directive by the database itself.

Triggers keep it on every insert and delete of an assignment, every move of an assignment to another task
or of a task to another directive, and every write of the flag itself (a full save of a directive read
before its assignments were made would write False back; it is computed again). On PostgreSQL the
assignments' and the tasks' triggers are per statement (one update of the directives a fan-out touched),
and each changes a directive only when its flag is wrong."""

from django.db import migrations, models

from dondoc.core.vendor_sql import sql_by_vendor

DIRECTIVE = "directives_directive"
TASK = "directives_task"
ASSIGNMENT = "directives_assignment"


def _has(directive_id: str) -> str:
    return (
        f"EXISTS (SELECT 1 FROM {TASK} t JOIN {ASSIGNMENT} a ON a.task_id = t.id "
        f"WHERE t.directive_id = {directive_id})"
    )


def _directive_of(task_id: str) -> str:
    return f"(SELECT t.directive_id FROM {TASK} t WHERE t.id = {task_id})"


def _set_where(condition: str) -> str:
    """Recompute the flag of the directives matching `condition` whose flag is wrong."""
    fresh = _has(f"{DIRECTIVE}.id")
    return (
        f"UPDATE {DIRECTIVE} SET has_assignments = {fresh} WHERE ({condition}) AND has_assignments <> {fresh}"
    )


def _sqlite() -> list[str]:
    fresh = _has("NEW.id")
    return [
        _set_where("1 = 1"),
        f"""CREATE TRIGGER directive_assigned_inserted AFTER INSERT ON {ASSIGNMENT}
            BEGIN UPDATE {DIRECTIVE} SET has_assignments = 1
                WHERE id = {_directive_of("NEW.task_id")} AND NOT has_assignments; END""",
        f"""CREATE TRIGGER directive_assigned_deleted AFTER DELETE ON {ASSIGNMENT}
            BEGIN {_set_where(f"id = {_directive_of('OLD.task_id')}")}; END""",
        f"""CREATE TRIGGER directive_assigned_moved AFTER UPDATE OF task_id ON {ASSIGNMENT}
            WHEN OLD.task_id IS NOT NEW.task_id
            BEGIN {_set_where(f"id IN ({_directive_of('OLD.task_id')}, {_directive_of('NEW.task_id')})")};
            END""",
        f"""CREATE TRIGGER directive_assigned_task_moved AFTER UPDATE OF directive_id ON {TASK}
            WHEN OLD.directive_id IS NOT NEW.directive_id
            BEGIN {_set_where("id IN (OLD.directive_id, NEW.directive_id)")}; END""",
        f"""CREATE TRIGGER directive_assigned_written AFTER UPDATE OF has_assignments ON {DIRECTIVE}
            WHEN NEW.has_assignments IS NOT {fresh}
            BEGIN UPDATE {DIRECTIVE} SET has_assignments = {fresh} WHERE id = NEW.id; END""",
    ]


def _postgresql() -> list[str]:
    def of_assignments(rows: str) -> str:
        return f"id IN (SELECT t.directive_id FROM {rows} r JOIN {TASK} t ON t.id = r.task_id)"

    moved = _set_where(f"id IN ({_directive_of('OLD.task_id')}, {_directive_of('NEW.task_id')})")
    return [
        _set_where("TRUE"),
        f"""CREATE FUNCTION directive_has_assignments() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN NEW.has_assignments := {_has("NEW.id")}; RETURN NEW; END $$""",
        f"""CREATE TRIGGER directive_has_assignments BEFORE INSERT OR UPDATE OF has_assignments
            ON {DIRECTIVE} FOR EACH ROW EXECUTE FUNCTION directive_has_assignments()""",
        # a fan-out's assignments, inserted or deleted together: one update of their directives
        f"""CREATE FUNCTION directive_assigned_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                UPDATE {DIRECTIVE} SET has_assignments = TRUE
                    WHERE {of_assignments("new_assignments")} AND NOT has_assignments;
                RETURN NULL;
            END $$""",
        f"""CREATE TRIGGER directive_assigned_inserted AFTER INSERT ON {ASSIGNMENT}
            REFERENCING NEW TABLE AS new_assignments
            FOR EACH STATEMENT EXECUTE FUNCTION directive_assigned_inserted()""",
        f"""CREATE FUNCTION directive_assigned_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN {_set_where(of_assignments("old_assignments"))}; RETURN NULL; END $$""",
        f"""CREATE TRIGGER directive_assigned_deleted AFTER DELETE ON {ASSIGNMENT}
            REFERENCING OLD TABLE AS old_assignments
            FOR EACH STATEMENT EXECUTE FUNCTION directive_assigned_deleted()""",
        # a move, row by row: PostgreSQL keeps no transition table for a trigger on some columns, and one on
        # every update of the assignments would copy each status update's rows for nothing
        f"""CREATE FUNCTION directive_assigned_moved() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN {moved}; RETURN NULL; END $$""",
        f"""CREATE TRIGGER directive_assigned_moved AFTER UPDATE OF task_id ON {ASSIGNMENT} FOR EACH ROW
            WHEN (OLD.task_id IS DISTINCT FROM NEW.task_id) EXECUTE FUNCTION directive_assigned_moved()""",
        f"""CREATE FUNCTION directive_assigned_task_moved() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN {_set_where("id IN (OLD.directive_id, NEW.directive_id)")}; RETURN NULL; END $$""",
        f"""CREATE TRIGGER directive_assigned_task_moved AFTER UPDATE OF directive_id ON {TASK} FOR EACH ROW
            WHEN (OLD.directive_id IS DISTINCT FROM NEW.directive_id)
            EXECUTE FUNCTION directive_assigned_task_moved()""",
    ]


def _drop_sqlite() -> list[str]:
    return [
        f"DROP TRIGGER IF EXISTS directive_assigned_{name}"
        for name in ("inserted", "deleted", "moved", "task_moved", "written")
    ]


def _drop_postgresql() -> list[str]:
    return [
        f"DROP TRIGGER IF EXISTS directive_has_assignments ON {DIRECTIVE}",
        *(
            f"DROP TRIGGER IF EXISTS directive_assigned_{name} ON {ASSIGNMENT}"
            for name in ("inserted", "deleted", "moved")
        ),
        f"DROP TRIGGER IF EXISTS directive_assigned_task_moved ON {TASK}",
        *(
            f"DROP FUNCTION IF EXISTS {name}()"
            for name in (
                "directive_has_assignments",
                "directive_assigned_inserted",
                "directive_assigned_deleted",
                "directive_assigned_moved",
                "directive_assigned_task_moved",
            )
        ),
    ]


class Migration(migrations.Migration):
    dependencies = [
        ("directives", "0017_region_keys"),
    ]

    operations = [
        migrations.AddField(
            model_name="directive",
            name="has_assignments",
            field=models.BooleanField(default=False, editable=False),
        ),
        sql_by_vendor(
            {"sqlite": _sqlite(), "postgresql": _postgresql()},
            {"sqlite": _drop_sqlite(), "postgresql": _drop_postgresql()},
        ),
    ]
