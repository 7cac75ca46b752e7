"""Each territory's region, and each body's (its territory's) and its parent's, kept by the database itself.

A territory's region is the territory right under the root that holds it (a province, under the country; a
province merged in 2025 lies under the one it joined, so its region is that one). A province's monitor sees
the bodies whose region is the province and those whose parent's is: with both kept on the body, and on each
assignment (directives 0017), the monitor's lists read one index under one key instead of a list of a few
thousand bodies.

Triggers keep them on every insert and every write to a parent or a territory, however made (a service, the
admin, an import's bulk_create, a queryset update), and carry a change down the tree: a territory moved
under another re-keys the territories below it and their bodies. A write of a stale key (a full save of an
instance read before the tree changed) is computed again. On SQLite the cascade down the tree needs
recursive triggers, which the settings switch on for every connection (PRAGMA recursive_triggers)."""

import django.db.models.deletion
from django.db import migrations, models

from dondoc.core.vendor_sql import sql_by_vendor

JURISDICTION = "registry_jurisdiction"
ORGANIZATION = "registry_organization"


def _region_of_territory(row: str) -> str:
    """The region of the territory `row` (NEW, or the table's row being updated) from its parent's."""
    return (
        f"(SELECT CASE WHEN p.parent_id IS NULL THEN {row}.id ELSE p.region_id END "
        f"FROM {JURISDICTION} p WHERE p.id = {row}.parent_id)"
    )


def _region_of_body(row: str) -> str:
    return f"(SELECT j.region_id FROM {JURISDICTION} j WHERE j.id = {row}.jurisdiction_id)"


def _region_of_parent(row: str) -> str:
    return f"(SELECT p.region_id FROM {ORGANIZATION} p WHERE p.id = {row}.parent_id)"


def _fill() -> list[str]:
    """The keys of what the registry holds now, level by level from the root (the triggers come after)."""
    territories = f"""
        WITH RECURSIVE below(id, region_id) AS (
            SELECT j.id, j.id FROM {JURISDICTION} j JOIN {JURISDICTION} up ON up.id = j.parent_id
            WHERE up.parent_id IS NULL
            UNION ALL
            SELECT j.id, below.region_id FROM {JURISDICTION} j JOIN below ON j.parent_id = below.id
        )"""
    return [
        f"""{territories} UPDATE {JURISDICTION}
            SET region_id = (SELECT below.region_id FROM below WHERE below.id = {JURISDICTION}.id)""",
        f"UPDATE {ORGANIZATION} SET region_id = {_region_of_body(ORGANIZATION)}",
        f"UPDATE {ORGANIZATION} SET parent_region_id = {_region_of_parent(ORGANIZATION)}",
    ]


def _sqlite_territory_body() -> str:
    """Its own key, then its children's and its bodies', read from the table as it now stands."""
    fresh = _region_of_territory("NEW")
    child = _region_of_territory(JURISDICTION)
    own = f"(SELECT j.region_id FROM {JURISDICTION} j WHERE j.id = NEW.id)"
    return f"""
        UPDATE {JURISDICTION} SET region_id = {fresh} WHERE id = NEW.id AND region_id IS NOT {fresh};
        UPDATE {JURISDICTION} SET region_id = {child} WHERE parent_id = NEW.id AND region_id IS NOT {child};
        UPDATE {ORGANIZATION} SET region_id = {own} WHERE jurisdiction_id = NEW.id AND region_id IS NOT {own};"""


def _sqlite_body_body() -> str:
    region, parent = _region_of_body("NEW"), _region_of_parent("NEW")
    own = f"(SELECT o.region_id FROM {ORGANIZATION} o WHERE o.id = NEW.id)"
    return f"""
        UPDATE {ORGANIZATION} SET region_id = {region}, parent_region_id = {parent}
            WHERE id = NEW.id AND (region_id IS NOT {region} OR parent_region_id IS NOT {parent});
        UPDATE {ORGANIZATION} SET parent_region_id = {own}
            WHERE parent_id = NEW.id AND parent_region_id IS NOT {own};"""


def _sqlite() -> list[str]:
    territory_stale = (
        f"NEW.region_id IS NOT {_region_of_territory('NEW')} OR OLD.region_id IS NOT NEW.region_id "
        f"OR (OLD.parent_id IS NULL) IS NOT (NEW.parent_id IS NULL)"
    )
    body_stale = (
        f"NEW.region_id IS NOT {_region_of_body('NEW')} OR NEW.parent_region_id IS NOT "
        f"{_region_of_parent('NEW')} OR OLD.region_id IS NOT NEW.region_id"
    )
    return [
        *_fill(),
        f"""CREATE TRIGGER jurisdiction_region_inserted AFTER INSERT ON {JURISDICTION}
            BEGIN {_sqlite_territory_body()} END""",
        f"""CREATE TRIGGER jurisdiction_region_updated AFTER UPDATE OF parent_id, region_id ON {JURISDICTION}
            WHEN {territory_stale} BEGIN {_sqlite_territory_body()} END""",
        f"""CREATE TRIGGER organization_region_inserted AFTER INSERT ON {ORGANIZATION}
            BEGIN {_sqlite_body_body()} END""",
        f"""CREATE TRIGGER organization_region_updated
            AFTER UPDATE OF jurisdiction_id, parent_id, region_id, parent_region_id ON {ORGANIZATION}
            WHEN {body_stale} BEGIN {_sqlite_body_body()} END""",
    ]


def _postgresql() -> list[str]:
    child = f"CASE WHEN NEW.parent_id IS NULL THEN {JURISDICTION}.id ELSE NEW.region_id END"
    return [
        *_fill(),
        # each row's keys computed before it is written, whatever the statement wrote into them
        f"""CREATE FUNCTION jurisdiction_region() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN NEW.region_id := {_region_of_territory("NEW")}; RETURN NEW; END $$""",
        f"""CREATE TRIGGER jurisdiction_region BEFORE INSERT OR UPDATE OF parent_id, region_id
            ON {JURISDICTION} FOR EACH ROW EXECUTE FUNCTION jurisdiction_region()""",
        f"""CREATE FUNCTION organization_region() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                NEW.region_id := {_region_of_body("NEW")};
                NEW.parent_region_id := {_region_of_parent("NEW")};
                RETURN NEW;
            END $$""",
        f"""CREATE TRIGGER organization_region
            BEFORE INSERT OR UPDATE OF jurisdiction_id, parent_id, region_id, parent_region_id
            ON {ORGANIZATION} FOR EACH ROW EXECUTE FUNCTION organization_region()""",
        # then carried to what hangs below it: children inserted before their parent within a transaction
        # (the foreign keys are checked at its end) included
        f"""CREATE FUNCTION jurisdiction_region_below() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                UPDATE {JURISDICTION} SET region_id = {child}
                    WHERE parent_id = NEW.id AND region_id IS DISTINCT FROM {child};
                UPDATE {ORGANIZATION} SET region_id = NEW.region_id
                    WHERE jurisdiction_id = NEW.id AND region_id IS DISTINCT FROM NEW.region_id;
                RETURN NULL;
            END $$""",
        f"""CREATE TRIGGER jurisdiction_region_inserted AFTER INSERT ON {JURISDICTION}
            FOR EACH ROW EXECUTE FUNCTION jurisdiction_region_below()""",
        f"""CREATE TRIGGER jurisdiction_region_updated AFTER UPDATE ON {JURISDICTION} FOR EACH ROW
            WHEN (OLD.region_id IS DISTINCT FROM NEW.region_id
                  OR (OLD.parent_id IS NULL) <> (NEW.parent_id IS NULL))
            EXECUTE FUNCTION jurisdiction_region_below()""",
        f"""CREATE FUNCTION organization_region_below() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                UPDATE {ORGANIZATION} SET parent_region_id = NEW.region_id
                    WHERE parent_id = NEW.id AND parent_region_id IS DISTINCT FROM NEW.region_id;
                RETURN NULL;
            END $$""",
        f"""CREATE TRIGGER organization_region_inserted AFTER INSERT ON {ORGANIZATION}
            FOR EACH ROW EXECUTE FUNCTION organization_region_below()""",
        f"""CREATE TRIGGER organization_region_updated AFTER UPDATE ON {ORGANIZATION} FOR EACH ROW
            WHEN (OLD.region_id IS DISTINCT FROM NEW.region_id)
            EXECUTE FUNCTION organization_region_below()""",
    ]


def _drop_sqlite() -> list[str]:
    return [
        f"DROP TRIGGER IF EXISTS {table}_region_{event}"
        for table in ("jurisdiction", "organization")
        for event in ("inserted", "updated")
    ]


def _drop_postgresql() -> list[str]:
    return [
        *(
            f"DROP TRIGGER IF EXISTS {name} ON registry_{table}"
            for table in ("jurisdiction", "organization")
            for name in (f"{table}_region", f"{table}_region_inserted", f"{table}_region_updated")
        ),
        *(
            f"DROP FUNCTION IF EXISTS {name}()"
            for name in (
                "jurisdiction_region",
                "jurisdiction_region_below",
                "organization_region",
                "organization_region_below",
            )
        ),
    ]


def _region() -> models.ForeignKey:  # type: ignore[type-arg]
    return models.ForeignKey(
        db_constraint=False,
        db_index=False,
        editable=False,
        null=True,
        on_delete=django.db.models.deletion.DO_NOTHING,
        related_name="+",
        to="registry.jurisdiction",
    )


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0008_jurisdiction_parent_index"),
    ]

    operations = [
        migrations.AddField(model_name="jurisdiction", name="region", field=_region()),
        migrations.AddField(model_name="organization", name="parent_region", field=_region()),
        migrations.AddField(model_name="organization", name="region", field=_region()),
        sql_by_vendor(
            {"sqlite": _sqlite(), "postgresql": _postgresql()},
            {"sqlite": _drop_sqlite(), "postgresql": _drop_postgresql()},
        ),
        migrations.AddIndex(
            model_name="organization",
            index=models.Index(fields=["region", "id"], name="org_region"),
        ),
        migrations.AddIndex(
            model_name="organization",
            index=models.Index(fields=["parent_region", "region", "id"], name="org_parent_region"),
        ),
    ]
