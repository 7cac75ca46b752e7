"""Each directive's issuer's region (registry Organization.region), kept by the database itself.

Triggers set it on every insert and every write to its issuer or to it (a stale value written back by a full
save is computed again), and carry a body's new region to the directives it issued, so that "the directives
a province's bodies issued" is read from an index under the province's key: a province's monitor asked it
on every page by walking every directive's issuer (10,000,000 assignments: 25,000 directives, some 20 ms)."""

import django.db.models.deletion
from django.db import migrations, models

from dondoc.core.vendor_sql import sql_by_vendor

DIRECTIVE = "directives_directive"
ORGANIZATION = "registry_organization"


def _region_of(row: str) -> str:
    return f"(SELECT o.region_id FROM {ORGANIZATION} o WHERE o.id = {row}.issuer_id)"


def _fill() -> str:
    return f"UPDATE {DIRECTIVE} SET issuer_region_id = {_region_of(DIRECTIVE)} WHERE issuer_id IS NOT NULL"


def _sqlite() -> list[str]:
    fresh = _region_of("NEW")
    own = f"(SELECT o.region_id FROM {ORGANIZATION} o WHERE o.id = NEW.id)"
    set_fresh = (
        f"UPDATE {DIRECTIVE} SET issuer_region_id = {fresh} WHERE id = NEW.id AND issuer_region_id IS NOT {fresh};"
    )
    return [
        _fill(),
        f"CREATE TRIGGER directive_issuer_region_inserted AFTER INSERT ON {DIRECTIVE} BEGIN {set_fresh} END",
        f"""CREATE TRIGGER directive_issuer_region_updated AFTER UPDATE OF issuer_id, issuer_region_id
            ON {DIRECTIVE} WHEN NEW.issuer_region_id IS NOT {fresh} BEGIN {set_fresh} END""",
        # the body's key as it now stands in the table, whatever order its own triggers ran in
        f"""CREATE TRIGGER directive_issuer_region_of_body AFTER UPDATE OF region_id ON {ORGANIZATION}
            BEGIN UPDATE {DIRECTIVE} SET issuer_region_id = {own}
                WHERE issuer_id = NEW.id AND issuer_region_id IS NOT {own}; END""",
    ]


def _postgresql() -> list[str]:
    return [
        _fill(),
        f"""CREATE FUNCTION directive_issuer_region() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN NEW.issuer_region_id := {_region_of("NEW")}; RETURN NEW; END $$""",
        f"""CREATE TRIGGER directive_issuer_region BEFORE INSERT OR UPDATE OF issuer_id, issuer_region_id
            ON {DIRECTIVE} FOR EACH ROW EXECUTE FUNCTION directive_issuer_region()""",
        f"""CREATE FUNCTION directive_issuer_region_of_body() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                UPDATE {DIRECTIVE} SET issuer_region_id = NEW.region_id
                    WHERE issuer_id = NEW.id AND issuer_region_id IS DISTINCT FROM NEW.region_id;
                RETURN NULL;
            END $$""",
        f"""CREATE TRIGGER directive_issuer_region_of_body AFTER UPDATE ON {ORGANIZATION} FOR EACH ROW
            WHEN (OLD.region_id IS DISTINCT FROM NEW.region_id)
            EXECUTE FUNCTION directive_issuer_region_of_body()""",
    ]


def _drop_sqlite() -> list[str]:
    return [
        f"DROP TRIGGER IF EXISTS {name}"
        for name in (
            "directive_issuer_region_inserted",
            "directive_issuer_region_updated",
            "directive_issuer_region_of_body",
        )
    ]


def _drop_postgresql() -> list[str]:
    return [
        f"DROP TRIGGER IF EXISTS directive_issuer_region ON {DIRECTIVE}",
        f"DROP TRIGGER IF EXISTS directive_issuer_region_of_body ON {ORGANIZATION}",
        "DROP FUNCTION IF EXISTS directive_issuer_region()",
        "DROP FUNCTION IF EXISTS directive_issuer_region_of_body()",
    ]


class Migration(migrations.Migration):
    dependencies = [
        ("directives", "0024_assignment_progress_indexes"),
        ("registry", "0009_region_keys"),
    ]

    operations = [
        migrations.AddField(
            model_name="directive",
            name="issuer_region",
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
            model_name="directive",
            index=models.Index(fields=["issuer_region", "has_assignments", "id"], name="directive_issuer_region"),
        ),
    ]
