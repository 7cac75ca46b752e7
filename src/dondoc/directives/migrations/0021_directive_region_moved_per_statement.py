"""On PostgreSQL, the counts of a directive's assignments per region (0019) follow a move of assignments once
per statement, from its transition tables, rather than row by row.

Row by row, every moved assignment updated the same few count rows again, and within one transaction each
update leaves a row version the next one must walk past: moving 10,000 assignments of one directive to
another province took 1.7 s, 20,000 took 5.5 s and 40,000 took 18.9 s (quadratic). The 2025 mergers move the
open work of whole provinces in one commit. A trigger with transition tables cannot name columns, so this one
runs after every update of the assignments and counts only the rows whose task or region changed. SQLite
updates a row in place and keeps its row trigger."""

from django.db import migrations

from dondoc.core.vendor_sql import sql_by_vendor

REGIONS = "directives_directiveregion"
TASK = "directives_task"
ASSIGNMENT = "directives_assignment"
MOVED = (
    "FROM old_assignments o JOIN new_assignments n ON n.id = o.id "
    "WHERE o.task_id IS DISTINCT FROM n.task_id OR o.region_id IS DISTINCT FROM n.region_id"
)


def _counted(side: str) -> str:
    """(directive, region, how many) of the moved rows as they were (`o`) or are (`n`)."""
    return (
        f"SELECT t.directive_id, moved.region_id, COUNT(*) FROM (SELECT {side}.task_id, {side}.region_id "
        f"{MOVED}) moved JOIN {TASK} t ON t.id = moved.task_id WHERE moved.region_id IS NOT NULL "
        "GROUP BY t.directive_id, moved.region_id"
    )


PER_STATEMENT = [
    "DROP TRIGGER directive_region_moved ON directives_assignment",
    "DROP FUNCTION directive_region_moved()",
    f"""CREATE FUNCTION directive_region_moved() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
        UPDATE {REGIONS} SET assignments = {REGIONS}.assignments - gone.n
            FROM ({_counted("o")}) AS gone (directive_id, region_id, n)
            WHERE {REGIONS}.directive_id = gone.directive_id AND {REGIONS}.region_id = gone.region_id;
        DELETE FROM {REGIONS} WHERE assignments <= 0 AND (directive_id, region_id) IN (
            SELECT t.directive_id, moved.region_id FROM (SELECT o.task_id, o.region_id {MOVED}) moved
            JOIN {TASK} t ON t.id = moved.task_id);
        INSERT INTO {REGIONS} (directive_id, region_id, assignments) {_counted("n")}
            ON CONFLICT (region_id, directive_id) DO UPDATE
            SET assignments = {REGIONS}.assignments + excluded.assignments;
        RETURN NULL; END $$""",
    f"""CREATE TRIGGER directive_region_moved AFTER UPDATE ON {ASSIGNMENT}
        REFERENCING OLD TABLE AS old_assignments NEW TABLE AS new_assignments
        FOR EACH STATEMENT EXECUTE FUNCTION directive_region_moved()""",
]

# as 0019 made it
_OLD_DIRECTIVE = f"(SELECT t.directive_id FROM {TASK} t WHERE t.id = OLD.task_id)"
_NEW_DIRECTIVE = f"(SELECT t.directive_id FROM {TASK} t WHERE t.id = NEW.task_id)"
PER_ROW = [
    "DROP TRIGGER directive_region_moved ON directives_assignment",
    "DROP FUNCTION directive_region_moved()",
    f"""CREATE FUNCTION directive_region_moved() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
        UPDATE {REGIONS} SET assignments = assignments - 1
            WHERE directive_id = {_OLD_DIRECTIVE} AND region_id = OLD.region_id;
        DELETE FROM {REGIONS}
            WHERE directive_id = {_OLD_DIRECTIVE} AND region_id = OLD.region_id AND assignments <= 0;
        INSERT INTO {REGIONS} (directive_id, region_id, assignments)
            SELECT {_NEW_DIRECTIVE}, NEW.region_id, 1 WHERE NEW.region_id IS NOT NULL
            ON CONFLICT (region_id, directive_id) DO UPDATE
            SET assignments = {REGIONS}.assignments + excluded.assignments;
        RETURN NULL; END $$""",
    f"""CREATE TRIGGER directive_region_moved AFTER UPDATE OF task_id, region_id, organization_id ON {ASSIGNMENT}
        FOR EACH ROW WHEN (OLD.task_id IS DISTINCT FROM NEW.task_id OR OLD.region_id IS DISTINCT FROM
        NEW.region_id) EXECUTE FUNCTION directive_region_moved()""",
]


class Migration(migrations.Migration):
    dependencies = [
        ("directives", "0020_assignment_region_task"),
    ]

    operations = [
        sql_by_vendor({"postgresql": PER_STATEMENT}, {"postgresql": PER_ROW}),
    ]
