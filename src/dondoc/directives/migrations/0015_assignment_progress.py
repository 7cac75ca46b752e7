"""Where an assignment's reports have brought it, kept on the assignment by the database itself.

Three dates per assignment, each the first day from which the status holds: started (a report sent),
done (a report confirmed), done in time (a report sent by the deadline, confirmed). Triggers on the reports
(every insert, update and delete, however made: a service, bulk_create, a queryset update) and on the
assignment's deadline keep them, so a status is a comparison of the assignment's own columns. On
PostgreSQL, the reports' triggers are per statement (one update of the assignments a bulk insert touched)
and the assignment's own trigger computes the three before each update of its deadline or of them (a full
save of an instance read before a report was confirmed cannot write its stale dates back)."""

from django.db import migrations, models

ASSIGNMENT = "directives_assignment"
REPORT = "directives_progressreport"
COLUMNS = ("started_from", "done_from", "done_in_time_from")


def _computed(assignment_id: str, due: str) -> dict[str, str]:
    """Each column's value for the assignment whose id and deadline are the SQL expressions given: a
    report counts from the later of the day it was sent and the day it was confirmed."""
    confirmed = (
        f"SELECT MIN(CASE WHEN r.confirmed_on > r.sent_on THEN r.confirmed_on ELSE r.sent_on END) "
        f"FROM {REPORT} r WHERE r.assignment_id = {assignment_id} AND r.state = 'confirmed' "
        f"AND r.confirmed_on IS NOT NULL"
    )
    return {
        "started_from": (
            f"(SELECT MIN(r.sent_on) FROM {REPORT} r "
            f"WHERE r.assignment_id = {assignment_id} AND r.state IN ('sent', 'confirmed'))"
        ),
        "done_from": f"({confirmed})",
        "done_in_time_from": f"({confirmed} AND r.sent_on <= {due})",
    }


def _set_computed() -> str:
    values = _computed(f"{ASSIGNMENT}.id", f"{ASSIGNMENT}.due")
    return ", ".join(f"{column} = {values[column]}" for column in COLUMNS)


def _sqlite() -> list[str]:
    recompute = f"UPDATE {ASSIGNMENT} SET {_set_computed()}"
    fresh = _computed("NEW.id", "NEW.due")
    stale = " OR ".join(f"NEW.{column} IS NOT {fresh[column]}" for column in COLUMNS)
    return [
        f"""CREATE TRIGGER assignment_progress_report_inserted AFTER INSERT ON {REPORT}
            BEGIN {recompute} WHERE id = NEW.assignment_id; END""",
        f"""CREATE TRIGGER assignment_progress_report_updated
            AFTER UPDATE OF assignment_id, state, sent_on, confirmed_on ON {REPORT}
            BEGIN {recompute} WHERE id IN (OLD.assignment_id, NEW.assignment_id); END""",
        f"""CREATE TRIGGER assignment_progress_report_deleted AFTER DELETE ON {REPORT}
            BEGIN {recompute} WHERE id = OLD.assignment_id; END""",
        # the WHEN ends the recursion should recursive_triggers ever be on
        f"""CREATE TRIGGER assignment_progress_assignment_updated
            AFTER UPDATE OF due, {", ".join(COLUMNS)} ON {ASSIGNMENT} WHEN {stale}
            BEGIN {recompute} WHERE id = NEW.id; END""",
        recompute,
    ]


def _postgresql() -> list[str]:
    fresh = _computed("NEW.id", "NEW.due")
    assigned = "; ".join(f"NEW.{column} := {fresh[column]}" for column in COLUMNS)
    # setting started_from to anything runs the assignment's own trigger, which computes all three
    touch = f"UPDATE {ASSIGNMENT} SET started_from = NULL WHERE id IN"
    return [
        f"""CREATE FUNCTION assignment_progress() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN {assigned}; RETURN NEW; END $$""",
        f"""CREATE TRIGGER assignment_progress BEFORE UPDATE OF due, {", ".join(COLUMNS)} ON {ASSIGNMENT}
            FOR EACH ROW EXECUTE FUNCTION assignment_progress()""",
        f"""CREATE FUNCTION assignment_progress_of_reports() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF TG_OP = 'INSERT' THEN
                    {touch} (SELECT assignment_id FROM new_reports);
                ELSIF TG_OP = 'DELETE' THEN
                    {touch} (SELECT assignment_id FROM old_reports);
                ELSE
                    {touch} (SELECT assignment_id FROM old_reports
                             UNION SELECT assignment_id FROM new_reports);
                END IF;
                RETURN NULL;
            END $$""",
        f"""CREATE TRIGGER assignment_progress_report_inserted AFTER INSERT ON {REPORT}
            REFERENCING NEW TABLE AS new_reports
            FOR EACH STATEMENT EXECUTE FUNCTION assignment_progress_of_reports()""",
        f"""CREATE TRIGGER assignment_progress_report_updated AFTER UPDATE ON {REPORT}
            REFERENCING OLD TABLE AS old_reports NEW TABLE AS new_reports
            FOR EACH STATEMENT EXECUTE FUNCTION assignment_progress_of_reports()""",
        f"""CREATE TRIGGER assignment_progress_report_deleted AFTER DELETE ON {REPORT}
            REFERENCING OLD TABLE AS old_reports
            FOR EACH STATEMENT EXECUTE FUNCTION assignment_progress_of_reports()""",
        f"UPDATE {ASSIGNMENT} SET started_from = NULL WHERE id IN (SELECT assignment_id FROM {REPORT})",
    ]


def _drop_sqlite() -> list[str]:
    return [
        f"DROP TRIGGER IF EXISTS assignment_progress_{name}"
        for name in ("report_inserted", "report_updated", "report_deleted", "assignment_updated")
    ]


def _drop_postgresql() -> list[str]:
    return [
        *(
            f"DROP TRIGGER IF EXISTS assignment_progress_{name} ON {REPORT}"
            for name in ("report_inserted", "report_updated", "report_deleted")
        ),
        f"DROP TRIGGER IF EXISTS assignment_progress ON {ASSIGNMENT}",
        "DROP FUNCTION IF EXISTS assignment_progress_of_reports()",
        "DROP FUNCTION IF EXISTS assignment_progress()",
    ]


def _run(statements: dict[str, list[str]]):  # type: ignore[no-untyped-def]
    def run(apps, schema_editor):  # type: ignore[no-untyped-def]
        for statement in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("directives", "0014_search_trigram_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="assignment",
            name="done_from",
            field=models.DateField(editable=False, null=True, verbose_name="done from"),
        ),
        migrations.AddField(
            model_name="assignment",
            name="done_in_time_from",
            field=models.DateField(editable=False, null=True, verbose_name="done in time from"),
        ),
        migrations.AddField(
            model_name="assignment",
            name="started_from",
            field=models.DateField(editable=False, null=True, verbose_name="started from"),
        ),
        migrations.RunPython(
            _run({"sqlite": _sqlite(), "postgresql": _postgresql()}),
            _run({"sqlite": _drop_sqlite(), "postgresql": _drop_postgresql()}),
        ),
    ]
