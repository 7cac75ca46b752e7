"""The regions a directive has assignments in, with how many, kept by the database itself.

Triggers count on every insert and delete of an assignment, every change of an assignment's region (its body
moved, or the body's province merged into another) or task, and every move of a task to another directive; a
row whose count falls to nothing is deleted. Assignments without a region (bodies at the root, seen only by a
monitor of the whole country) are not counted. On PostgreSQL the inserts and deletes are counted per
statement (one upsert for a fan-out's assignments); SQLite counts row by row."""

import django.db.models.deletion
from django.db import migrations, models

from dondoc.core.vendor_sql import sql_by_vendor

REGIONS = "directives_directiveregion"
TASK = "directives_task"
ASSIGNMENT = "directives_assignment"


def _directive_of(task_id: str) -> str:
    return f"(SELECT t.directive_id FROM {TASK} t WHERE t.id = {task_id})"


def _add(counted: str) -> str:
    """Add the (directive_id, region_id, assignments) rows of the query `counted` to the counts."""
    return (
        f"INSERT INTO {REGIONS} (directive_id, region_id, assignments) {counted} "
        f"ON CONFLICT (region_id, directive_id) DO UPDATE SET assignments = {REGIONS}.assignments + "
        "excluded.assignments"
    )


def _fill() -> str:
    return _add(
        f"SELECT t.directive_id, a.region_id, COUNT(*) FROM {ASSIGNMENT} a JOIN {TASK} t ON t.id = a.task_id "
        "WHERE a.region_id IS NOT NULL GROUP BY t.directive_id, a.region_id"
    )


def _remove_one(directive_id: str, region_id: str) -> list[str]:
    where = f"directive_id = {directive_id} AND region_id = {region_id}"
    return [
        f"UPDATE {REGIONS} SET assignments = assignments - 1 WHERE {where}",
        f"DELETE FROM {REGIONS} WHERE {where} AND assignments <= 0",
    ]


def _add_one(directive_id: str, region_id: str) -> str:
    # the WHERE lets SQLite read ON CONFLICT as the upsert's, not as part of the SELECT's join
    return _add(f"SELECT {directive_id}, {region_id}, 1 WHERE {region_id} IS NOT NULL")


def _task_moved() -> list[str]:
    """A task moved to another directive takes the counts of its assignments with it."""
    by_region = (
        f"SELECT a.region_id, COUNT(*) AS n FROM {ASSIGNMENT} a WHERE a.task_id = NEW.id "
        "AND a.region_id IS NOT NULL GROUP BY a.region_id"
    )
    return [
        f"""UPDATE {REGIONS} SET assignments = assignments - (
                SELECT COUNT(*) FROM {ASSIGNMENT} a WHERE a.task_id = NEW.id AND a.region_id = {REGIONS}.region_id)
            WHERE directive_id = OLD.directive_id""",
        f"DELETE FROM {REGIONS} WHERE directive_id = OLD.directive_id AND assignments <= 0",
        _add(f"SELECT NEW.directive_id, moved.region_id, moved.n FROM ({by_region}) moved WHERE TRUE"),
    ]


def _sqlite() -> list[str]:
    def body(statements: list[str]) -> str:
        return "BEGIN " + " ".join(f"{statement};" for statement in statements) + " END"

    old = _directive_of("OLD.task_id")
    new = _directive_of("NEW.task_id")
    return [
        _fill(),
        # an assignment is inserted without its region, which the region's own trigger then writes: counted
        # by the update below; one inserted with it is counted here
        f"""CREATE TRIGGER directive_region_inserted AFTER INSERT ON {ASSIGNMENT}
            WHEN NEW.region_id IS NOT NULL {body([_add_one(new, "NEW.region_id")])}""",
        f"""CREATE TRIGGER directive_region_deleted AFTER DELETE ON {ASSIGNMENT}
            WHEN OLD.region_id IS NOT NULL {body(_remove_one(old, "OLD.region_id"))}""",
        f"""CREATE TRIGGER directive_region_moved AFTER UPDATE OF task_id, region_id ON {ASSIGNMENT}
            WHEN OLD.task_id IS NOT NEW.task_id OR OLD.region_id IS NOT NEW.region_id
            {body([*_remove_one(old, "OLD.region_id"), _add_one(new, "NEW.region_id")])}""",
        f"""CREATE TRIGGER directive_region_task_moved AFTER UPDATE OF directive_id ON {TASK}
            WHEN OLD.directive_id IS NOT NEW.directive_id {body(_task_moved())}""",
    ]


def _postgresql() -> list[str]:
    def function(name: str, statements: list[str]) -> str:
        run = " ".join(f"{statement};" for statement in statements)
        return f"""CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN {run} RETURN NULL; END $$"""

    def counted(rows: str) -> str:
        return (
            f"SELECT t.directive_id, r.region_id, COUNT(*) FROM {rows} r JOIN {TASK} t ON t.id = r.task_id "
            "WHERE r.region_id IS NOT NULL GROUP BY t.directive_id, r.region_id"
        )

    gone = f"""UPDATE {REGIONS} SET assignments = {REGIONS}.assignments - gone.n
        FROM ({counted("old_assignments")}) AS gone (directive_id, region_id, n)
        WHERE {REGIONS}.directive_id = gone.directive_id AND {REGIONS}.region_id = gone.region_id"""
    emptied = f"""DELETE FROM {REGIONS} WHERE assignments <= 0 AND (directive_id, region_id) IN (
        SELECT t.directive_id, r.region_id FROM old_assignments r JOIN {TASK} t ON t.id = r.task_id)"""
    old = _directive_of("OLD.task_id")
    new = _directive_of("NEW.task_id")
    return [
        _fill(),
        function("directive_region_inserted", [_add(counted("new_assignments"))]),
        f"""CREATE TRIGGER directive_region_inserted AFTER INSERT ON {ASSIGNMENT}
            REFERENCING NEW TABLE AS new_assignments
            FOR EACH STATEMENT EXECUTE FUNCTION directive_region_inserted()""",
        function("directive_region_deleted", [gone, emptied]),
        f"""CREATE TRIGGER directive_region_deleted AFTER DELETE ON {ASSIGNMENT}
            REFERENCING OLD TABLE AS old_assignments
            FOR EACH STATEMENT EXECUTE FUNCTION directive_region_deleted()""",
        # a move, row by row: PostgreSQL keeps no transition table for a trigger on some columns (as in 0018);
        # the body is among them, as a column trigger does not fire for a column a BEFORE trigger changed (the
        # region, by 0017, when the body changes)
        function("directive_region_moved", [*_remove_one(old, "OLD.region_id"), _add_one(new, "NEW.region_id")]),
        f"""CREATE TRIGGER directive_region_moved AFTER UPDATE OF task_id, region_id, organization_id ON {ASSIGNMENT}
            FOR EACH ROW WHEN (OLD.task_id IS DISTINCT FROM NEW.task_id OR OLD.region_id IS DISTINCT FROM
            NEW.region_id) EXECUTE FUNCTION directive_region_moved()""",
        function("directive_region_task_moved", _task_moved()),
        f"""CREATE TRIGGER directive_region_task_moved AFTER UPDATE OF directive_id ON {TASK} FOR EACH ROW
            WHEN (OLD.directive_id IS DISTINCT FROM NEW.directive_id)
            EXECUTE FUNCTION directive_region_task_moved()""",
    ]


NAMES = ("inserted", "deleted", "moved", "task_moved")


def _drop_sqlite() -> list[str]:
    return [f"DROP TRIGGER IF EXISTS directive_region_{name}" for name in NAMES]


def _drop_postgresql() -> list[str]:
    return [
        *(
            f"DROP TRIGGER IF EXISTS directive_region_{name} ON {TASK if name == 'task_moved' else ASSIGNMENT}"
            for name in NAMES
        ),
        *(f"DROP FUNCTION IF EXISTS directive_region_{name}()" for name in NAMES),
    ]


class Migration(migrations.Migration):
    dependencies = [
        ("directives", "0018_directive_has_assignments"),
        ("registry", "0009_region_keys"),
    ]

    operations = [
        migrations.CreateModel(
            name="DirectiveRegion",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("assignments", models.PositiveIntegerField(verbose_name="assignments")),
                (
                    "directive",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="directives.directive",
                        verbose_name="directive",
                    ),
                ),
                (
                    "region",
                    models.ForeignKey(
                        db_constraint=False,
                        db_index=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="registry.jurisdiction",
                        verbose_name="province",
                    ),
                ),
            ],
            options={
                "verbose_name": "directive in a province",
                "verbose_name_plural": "directives in the provinces",
                "constraints": [
                    models.UniqueConstraint(fields=("region", "directive"), name="unique_directive_region")
                ],
            },
        ),
        sql_by_vendor(
            {"sqlite": _sqlite(), "postgresql": _postgresql()},
            {"sqlite": _drop_sqlite(), "postgresql": _drop_postgresql()},
        ),
    ]
