"""Each assignment's region: its body's (registry 0009), kept by the database itself.

Triggers set it on every insert and every write to its body or to it (a stale value written back by a full
save is computed again), and carry a body's new region to its assignments, so that a province's monitor
reads the province's assignments under one key, by deadline, from one index."""

import django.db.models.deletion
from django.db import migrations, models

from dondoc.core.vendor_sql import sql_by_vendor

ASSIGNMENT = "directives_assignment"
ORGANIZATION = "registry_organization"


def _region_of(row: str) -> str:
    return f"(SELECT o.region_id FROM {ORGANIZATION} o WHERE o.id = {row}.organization_id)"


def _fill() -> str:
    return f"UPDATE {ASSIGNMENT} SET region_id = {_region_of(ASSIGNMENT)}"


def _sqlite() -> list[str]:
    fresh = _region_of("NEW")
    own = f"(SELECT o.region_id FROM {ORGANIZATION} o WHERE o.id = NEW.id)"
    set_fresh = f"UPDATE {ASSIGNMENT} SET region_id = {fresh} WHERE id = NEW.id AND region_id IS NOT {fresh};"
    return [
        _fill(),
        f"CREATE TRIGGER assignment_region_inserted AFTER INSERT ON {ASSIGNMENT} BEGIN {set_fresh} END",
        f"""CREATE TRIGGER assignment_region_updated AFTER UPDATE OF organization_id, region_id ON {ASSIGNMENT}
            WHEN NEW.region_id IS NOT {fresh} BEGIN {set_fresh} END""",
        # the body's key as it now stands in the table, whatever order its own triggers ran in
        f"""CREATE TRIGGER assignment_region_of_body AFTER UPDATE OF region_id ON {ORGANIZATION}
            BEGIN UPDATE {ASSIGNMENT} SET region_id = {own}
                WHERE organization_id = NEW.id AND region_id IS NOT {own}; END""",
    ]


def _postgresql() -> list[str]:
    return [
        _fill(),
        f"""CREATE FUNCTION assignment_region() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN NEW.region_id := {_region_of("NEW")}; RETURN NEW; END $$""",
        f"""CREATE TRIGGER assignment_region BEFORE INSERT OR UPDATE OF organization_id, region_id
            ON {ASSIGNMENT} FOR EACH ROW EXECUTE FUNCTION assignment_region()""",
        f"""CREATE FUNCTION assignment_region_of_body() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                UPDATE {ASSIGNMENT} SET region_id = NEW.region_id
                    WHERE organization_id = NEW.id AND region_id IS DISTINCT FROM NEW.region_id;
                RETURN NULL;
            END $$""",
        f"""CREATE TRIGGER assignment_region_of_body AFTER UPDATE ON {ORGANIZATION} FOR EACH ROW
            WHEN (OLD.region_id IS DISTINCT FROM NEW.region_id)
            EXECUTE FUNCTION assignment_region_of_body()""",
    ]


def _drop_sqlite() -> list[str]:
    return [
        f"DROP TRIGGER IF EXISTS {name}"
        for name in ("assignment_region_inserted", "assignment_region_updated", "assignment_region_of_body")
    ]


def _drop_postgresql() -> list[str]:
    return [
        f"DROP TRIGGER IF EXISTS assignment_region ON {ASSIGNMENT}",
        f"DROP TRIGGER IF EXISTS assignment_region_of_body ON {ORGANIZATION}",
        "DROP FUNCTION IF EXISTS assignment_region()",
        "DROP FUNCTION IF EXISTS assignment_region_of_body()",
    ]


class Migration(migrations.Migration):
    dependencies = [
        ("directives", "0016_assignment_body_status_index"),
        ("registry", "0009_region_keys"),
    ]

    operations = [
        migrations.AddField(
            model_name="assignment",
            name="region",
            field=models.ForeignKey(
                db_constraint=False,
                db_index=False,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="registry.jurisdiction",
            ),
        ),
        sql_by_vendor(
            {"sqlite": _sqlite(), "postgresql": _postgresql()},
            {"sqlite": _drop_sqlite(), "postgresql": _drop_postgresql()},
        ),
        migrations.AddIndex(
            model_name="assignment",
            index=models.Index(
                fields=["region", "due", "id", "done_from", "task"], name="assignment_region_due"
            ),
        ),
    ]
