"""The regions the database keeps on each territory, body and assignment (registry migration 0009, directives
0017), and the count of each directive's assignments in each region (directives 0019), against the tree and
the assignments read in Python, after each way the tree, a body or an assignment can be written: a
create, bulk_create, a queryset update, a full save of an instance read before the tree changed, a province
moved under another (the 2025 mergers) or out from under the country, a child written before its parent
within a transaction, an assignment or a task deleted or moved to another directive."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection, transaction
from django.db.models import Case, Value, When

from dondoc.directives.models import (
    Assignment,
    AssignmentRole,
    Directive,
    DirectiveRegion,
    DirectiveState,
    Task,
)
from dondoc.registry.models import Jurisdiction, JurisdictionKind, Level, Organization, OrganizationKind

pytestmark = pytest.mark.django_db(transaction=True)


def place(code: str, parent: Jurisdiction | None, level: str) -> Jurisdiction:
    return Jurisdiction.objects.create(
        code=code, name=code, kind=JurisdictionKind.COMMUNE, level=level, parent=parent
    )


def body(code: str, territory: Jurisdiction | None, parent: Organization | None = None) -> Organization:
    return Organization.objects.create(
        code=code,
        name=code,
        kind=OrganizationKind.OTHER,
        level=Level.PROVINCE,
        jurisdiction=territory,
        parent=parent,
    )


Keys = tuple[
    dict[int, int | None],
    dict[int, tuple[int | None, int | None]],
    dict[int, int | None],
    dict[tuple[int, int], int],
    dict[int, int | None],
]


def expected() -> Keys:
    """Each territory's region (the one right under the root above it), each body's and its parent's, each
    assignment's, how many assignments each directive has in each region, and each directive's issuer's
    region, worked out in Python from the tree, the assignments and the directives as they stand."""
    parent_of = dict(Jurisdiction.objects.values_list("id", "parent_id"))

    def region(territory: int) -> int | None:
        path = [territory]
        while parent_of[path[-1]] is not None:
            path.append(parent_of[path[-1]])
        return path[-2] if len(path) > 1 else None

    territories = {territory: region(territory) for territory in parent_of}
    rows = list(Organization.objects.values_list("id", "jurisdiction_id", "parent_id"))
    own = {pk: territories[territory] if territory else None for pk, territory, _parent in rows}
    bodies = {pk: (own[pk], own[parent] if parent else None) for pk, _territory, parent in rows}
    rows = Assignment.objects.values_list("id", "organization_id", "task__directive_id")
    assignments = {pk: own[organization] for pk, organization, _directive in rows}
    directive_regions: dict[tuple[int, int], int] = {}
    for pk, _organization, directive in rows:
        if (region := assignments[pk]) is not None:
            directive_regions[directive, region] = directive_regions.get((directive, region), 0) + 1
    issuers = {
        pk: own[issuer] if issuer else None for pk, issuer in Directive.objects.values_list("id", "issuer_id")
    }
    return territories, bodies, assignments, directive_regions, issuers


def kept() -> Keys:
    counted = DirectiveRegion.objects.values_list("directive_id", "region_id", "assignments")
    return (
        dict(Jurisdiction.objects.values_list("id", "region_id")),
        {
            pk: (region, parent)
            for pk, region, parent in Organization.objects.values_list("id", "region_id", "parent_region_id")
        },
        dict(Assignment.objects.values_list("id", "region_id")),
        {(directive, region): count for directive, region, count in counted},
        dict(Directive.objects.values_list("id", "issuer_region_id")),
    )


def region_of(assignment: Assignment) -> int | None:
    return Assignment.objects.values_list("region_id", flat=True).get(pk=assignment.pk)


@pytest.fixture
def tree() -> dict[str, object]:
    country = place("VN", None, Level.CENTRAL)
    province = place("A", country, Level.PROVINCE)
    district = place("A.1", province, Level.DISTRICT)
    commune = place("A.1.1", district, Level.COMMUNE)
    other = place("B", country, Level.PROVINCE)
    place("B.1", other, Level.COMMUNE)
    central = body("TW", country)
    committee = body("A.TU", province)
    department = body("A.TU.VP", None, committee)  # no territory of its own, under the province's committee
    commune_body = body("A.1.1.UB", commune)
    neighbour = body("B.TU", other)
    across = body("B.X", other, committee)  # in the other province, under this one's committee
    directive = Directive.objects.create(
        issuer_text="TỈNH ỦY A",
        issuer=committee,
        number="1-KH/TU",
        type_code="KH",
        issued_on=date(2025, 1, 2),
        source_text="…",
        duplicate_key="region-keys",
        state=DirectiveState.PUBLISHED,
    )
    task = Task.objects.create(directive=directive, position=0, text="Rà soát", deadline_kind="none")
    created = Assignment.objects.create(task=task, organization=commune_body, role=AssignmentRole.LEAD)
    bulk = Assignment.objects.bulk_create(
        Assignment(task=task, organization=each, role=AssignmentRole.COORDINATING)
        for each in (central, committee, department, neighbour, across)
    )
    return {
        "country": country,
        "province": province,
        "district": district,
        "other": other,
        "committee": committee,
        "department": department,
        "commune_body": commune_body,
        "across": across,
        "created": created,
        "bulk": bulk,
        "task": task,
    }


def task_of_another_directive(number: str) -> Task:
    """The one task of a directive of province B's committee, assigned to nobody yet."""
    directive = Directive.objects.create(
        issuer_text="TỈNH ỦY B",
        issuer=Organization.objects.get(code="B.TU"),
        number=number,
        issued_on=date(2025, 2, 3),
        source_text="…",
        duplicate_key=f"region-counts {number}",
        state=DirectiveState.PUBLISHED,
    )
    return Task.objects.create(directive=directive, position=0, text="Báo cáo", deadline_kind="none")


def test_the_triggers_are_in_the_database():
    """A migration that rebuilds one of these tables on SQLite drops its triggers: it must make them again."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE '%region%'")
        else:
            cursor.execute(
                "SELECT DISTINCT tgname FROM pg_trigger WHERE NOT tgisinternal AND tgname LIKE '%region%'"
            )
        names = {row[0] for row in cursor.fetchall()}
    common = {"jurisdiction_region_inserted", "jurisdiction_region_updated", "organization_region_inserted"}
    common |= {"organization_region_updated", "assignment_region_of_body"}
    common |= {f"directive_region_{name}" for name in ("inserted", "deleted", "moved", "task_moved")}
    common |= {"directive_issuer_region_of_body"}
    if connection.vendor == "sqlite":
        assert names == common | {
            "assignment_region_inserted",
            "assignment_region_updated",
            "directive_issuer_region_inserted",
            "directive_issuer_region_updated",
        }
    else:
        assert names == common | {
            "jurisdiction_region",
            "organization_region",
            "assignment_region",
            "directive_issuer_region",
        }


def test_created_and_bulk_created_rows_carry_their_region(tree):
    province, other = tree["province"], tree["other"]
    assert kept() == expected()
    assert Jurisdiction.objects.get(pk=tree["country"].pk).region_id is None
    assert {region_of(tree["created"]), region_of(tree["bulk"][1])} == {province.pk}
    # a body without a territory of its own is under no region; a province's monitor sees it by its parent's
    assert region_of(tree["bulk"][2]) is None
    department = Organization.objects.get(pk=tree["department"].pk)
    assert (department.region_id, department.parent_region_id) == (None, province.pk)
    assert region_of(tree["bulk"][0]) is None  # the country's own body: under no province
    across = Organization.objects.get(pk=tree["across"].pk)
    assert (across.region_id, across.parent_region_id) == (other.pk, province.pk)


def test_a_province_moved_under_another_takes_its_region_down_the_tree(tree):
    """The 2025 merger: province A lies under B; its district, commune, bodies and their assignments are B's.
    Then A out from under the country: a root of its own, whose district becomes a region."""
    province, other, district = tree["province"], tree["other"], tree["district"]
    province.parent = other
    province.save()
    assert kept() == expected()
    assert region_of(tree["created"]) == other.pk
    assert Organization.objects.get(pk=tree["across"].pk).parent_region_id == other.pk

    Jurisdiction.objects.filter(pk=province.pk).update(parent=None)
    assert kept() == expected()
    assert region_of(tree["created"]) == district.pk
    assert Jurisdiction.objects.get(pk=province.pk).region_id is None


def test_a_stale_instance_saved_whole_does_not_write_its_old_region_back(tree):
    committee = Organization.objects.get(pk=tree["committee"].pk)
    assignment = Assignment.objects.get(pk=tree["bulk"][1].pk)
    territory = Jurisdiction.objects.get(pk=tree["district"].pk)
    directive = Directive.objects.get(pk=tree["task"].directive_id)
    tree["province"].parent = tree["other"]
    tree["province"].save()
    committee.name = "Tỉnh ủy A (đổi tên)"
    committee.save()
    assignment.role = AssignmentRole.LEAD
    assignment.save()
    territory.name = "Huyện A.1"
    territory.save()
    directive.subject = "Kế hoạch (sửa)"
    directive.save()
    assert kept() == expected()
    assert region_of(assignment) == tree["other"].pk
    assert Directive.objects.get(pk=directive.pk).issuer_region_id == tree["other"].pk


def test_a_directive_carries_its_issuers_region_as_the_issuer_or_its_territory_changes(tree):
    """A province's monitor finds the directives its bodies issued under the province's key (migration
    0025): set from the issuer when written, moved with the issuer's body and with the issuer."""
    province, other = tree["province"], tree["other"]
    directive = tree["task"].directive
    assert kept() == expected()
    assert Directive.objects.get(pk=directive.pk).issuer_region_id == province.pk
    Organization.objects.filter(pk=tree["committee"].pk).update(jurisdiction=other)
    assert kept() == expected()
    assert Directive.objects.get(pk=directive.pk).issuer_region_id == other.pk
    Directive.objects.filter(pk=directive.pk).update(issuer=tree["commune_body"])
    assert kept() == expected()
    assert Directive.objects.get(pk=directive.pk).issuer_region_id == province.pk
    Directive.objects.filter(pk=directive.pk).update(issuer=None)
    assert kept() == expected()
    assert Directive.objects.get(pk=directive.pk).issuer_region_id is None


def test_a_body_or_an_assignment_moved_elsewhere_takes_the_region_there(tree):
    other = tree["other"]
    Organization.objects.filter(pk=tree["department"].pk).update(jurisdiction=other, parent=None)
    assert kept() == expected()
    assert region_of(tree["bulk"][2]) == other.pk
    committee = tree["committee"]
    committee.jurisdiction = tree["country"]
    committee.save()
    assert kept() == expected()
    assert Organization.objects.get(pk=tree["across"].pk).parent_region_id is None
    elsewhere = body("B.1.UB", Jurisdiction.objects.get(code="B.1"))
    Assignment.objects.filter(pk=tree["created"].pk).update(organization=elsewhere)
    assert kept() == expected()
    assert region_of(tree["created"]) == other.pk


def test_children_written_before_their_parent_in_one_transaction(tree):
    """The foreign keys are checked when the transaction ends: a territory and a body may come before the
    parent they name."""
    other = tree["other"]
    with transaction.atomic():
        place("C.1", None, Level.COMMUNE)  # a stray root for the ids below to follow
        child = Jurisdiction(code="C.1.1", name="C.1.1", kind=JurisdictionKind.COMMUNE, level=Level.COMMUNE)
        parent = Jurisdiction(code="C", name="C", kind=JurisdictionKind.PROVINCE, level=Level.PROVINCE)
        parent.pk = Jurisdiction.objects.order_by("-pk").values_list("pk", flat=True)[0] + 100
        child.parent_id = parent.pk
        child.save()
        parent.parent = tree["country"]
        parent.save(force_insert=True)
        unit = Organization(code="C.UB", name="C.UB", kind=OrganizationKind.OTHER, level=Level.COMMUNE)
        chief = Organization(code="C.TU", name="C.TU", kind=OrganizationKind.OTHER, level=Level.PROVINCE)
        chief.pk = Organization.objects.order_by("-pk").values_list("pk", flat=True)[0] + 100
        unit.parent_id, unit.jurisdiction = chief.pk, other
        unit.save()
        chief.jurisdiction = parent
        chief.save(force_insert=True)
    assert kept() == expected()
    assert Jurisdiction.objects.get(pk=child.pk).region_id == parent.pk
    assert Organization.objects.get(pk=unit.pk).parent_region_id == parent.pk


def test_assignments_and_tasks_deleted_or_moved_take_their_counts(tree):
    """Counted per directive and region as assignments go (one by one, by a queryset) and move (to another
    directive's task, with their task to another directive); a directive left with none in a region has no
    row there."""
    province, other = tree["province"], tree["other"]
    directive = tree["task"].directive
    assert kept()[3] == {(directive.pk, province.pk): 2, (directive.pk, other.pk): 2}
    elsewhere = task_of_another_directive("2-KH/TU")
    second = elsewhere.directive
    Assignment.objects.filter(pk=tree["created"].pk).update(task=elsewhere)
    assert kept() == expected()
    assert kept()[3][second.pk, province.pk] == 1

    Task.objects.filter(pk=tree["task"].pk).update(directive=second, position=1)
    assert kept() == expected()
    assert {key[0] for key in kept()[3]} == {second.pk}

    Assignment.objects.get(pk=tree["bulk"][3].pk).delete()  # the other province's body
    assert kept() == expected()
    Assignment.objects.filter(organization__jurisdiction=other).delete()
    assert kept() == expected()
    assert kept()[3] == {(second.pk, province.pk): 2}
    Assignment.objects.all().delete()
    assert kept()[3] == {} == expected()[3]


def test_assignments_moved_both_ways_in_one_statement_keep_their_counts(tree):
    """One queryset update moving an assignment of one directive from province A to B and one of another
    directive from B to A, and one of them out of every region: PostgreSQL counts an update's moves once for
    the statement (migration 0021), so the rows leaving and entering each count are all taken."""
    province, other = tree["province"], tree["other"]
    first = tree["task"].directive
    task = task_of_another_directive("3-KH/TU")
    second = task.directive
    in_b = body("B.1.UB", Jurisdiction.objects.get(code="B.1"))
    from_b, staying = Assignment.objects.bulk_create(
        Assignment(task=task, organization=each, role=AssignmentRole.LEAD) for each in (in_b, tree["across"])
    )
    assert kept()[3] == {(first.pk, province.pk): 2, (first.pk, other.pk): 2, (second.pk, other.pk): 2}

    to_b, to_root = tree["created"], tree["bulk"][1]  # the commune's body and the province's committee
    Assignment.objects.filter(pk__in=[to_b.pk, from_b.pk, to_root.pk]).update(
        organization=Case(
            When(pk=to_b.pk, then=Value(in_b.pk)),
            When(pk=from_b.pk, then=Value(tree["commune_body"].pk)),
            default=Value(body("TW.2", tree["country"]).pk),  # a body of the country: under no region
        )
    )
    assert kept() == expected()
    assert kept()[3] == {(first.pk, other.pk): 3, (second.pk, province.pk): 1, (second.pk, other.pk): 1}
    assert staying.pk in kept()[2]
