"""What a monitor sees is the same whether the territory's bodies and the tasks they issued are named as lists
of ids (the usual case) or, past directives.access.LISTED_IDS, as subqueries; and a territory with nothing
in it sees nothing, without an error."""

import pytest

from dondoc.accounts.models import Role
from dondoc.accounts.scope import build_scope
from dondoc.accounts.services import create_member
from dondoc.directives import access
from dondoc.directives.access import assignments_for, directives_for
from dondoc.directives.selectors.find import search_organizations
from dondoc.registry.models import Jurisdiction


def seen(user) -> tuple[set[int], set[int]]:
    scope = build_scope(user=user)
    return (
        set(assignments_for(scope).values_list("id", flat=True)),
        set(directives_for(scope).values_list("id", flat=True)),
    )


@pytest.mark.parametrize("listed", [0, 1, 10_000])
def test_listed_or_as_subqueries_the_monitor_sees_the_same(published, users, monkeypatch, listed):
    expected = seen(users["monitor"])
    monkeypatch.setattr(access, "LISTED_IDS", listed)
    assert seen(users["monitor"]) == expected
    assert expected[0] and published.pk in expected[1]


def test_a_territory_with_no_body_sees_nothing(published, users):
    province = Jurisdiction.objects.get(code="DNO")
    empty = Jurisdiction.objects.create(code="LDO", name="Lâm Đồng", kind=province.kind, level=province.level)
    outsider = create_member(username="ngoai", password="x-y-z-1234", role=Role.MONITOR, jurisdiction=empty)
    assignments, directives = seen(outsider)
    assert assignments == set() and published.pk not in directives


def test_past_the_limit_the_bodies_not_seen_are_listed_instead(published, users, monkeypatch):
    """When a territory holds more bodies than LISTED_IDS and fewer are outside it, the condition names the
    bodies outside: the monitor sees the same."""
    from dondoc.directives.models import Assignment
    from dondoc.registry.models import Level, Organization, OrganizationKind

    province = Jurisdiction.objects.get(code="DNO")
    Organization.objects.bulk_create(
        Organization(
            name=f"Xã {n}",
            code=f"XA.{n}",
            kind=OrganizationKind.OTHER,
            level=Level.COMMUNE,
            jurisdiction=province,
        )
        for n in range(100)
    )
    expected = seen(users["monitor"])
    scope = build_scope(user=users["monitor"])
    territories = scope.territory_ids or ()
    inside = Organization.objects.filter(jurisdiction_id__in=territories).count()
    outside = Organization.objects.exclude(jurisdiction_id__in=territories).exclude(
        parent__jurisdiction_id__in=territories
    )
    assert 0 < outside.count() < inside
    monkeypatch.setattr(access, "LISTED_IDS", outside.count())
    condition = str(
        Assignment.objects.filter(
            access._territory_condition(build_scope(user=users["monitor"])).condition
        ).query
    )
    assert "NOT" in condition
    assert seen(users["monitor"]) == expected


@pytest.mark.parametrize("listed", [1, 10_000])
def test_a_monitor_of_the_whole_country_sees_every_assignment(published, users, monkeypatch, listed):
    """Listed (a few territories), or as every territory ("has one") past LISTED_IDS."""
    from dondoc.directives.models import Assignment, Directive, DirectiveState

    province = Jurisdiction.objects.get(code="DNO")
    country, _created = Jurisdiction.objects.get_or_create(
        code="VN", defaults={"name": "Việt Nam", "kind": province.kind, "level": province.level}
    )
    Jurisdiction.objects.filter(parent=None).exclude(pk=country.pk).update(parent=country)
    central = create_member(
        username="trunguong", password="x-y-z-1234", role=Role.MONITOR, jurisdiction=country
    )
    monkeypatch.setattr(access, "LISTED_IDS", listed)
    assignments, directives = seen(central)
    assert assignments == set(Assignment.objects.values_list("id", flat=True))
    assert directives >= set(
        Directive.objects.filter(state=DirectiveState.PUBLISHED).values_list("id", flat=True)
    )
    # the bodies search: every territory as "placed in one" finds what the list of them all finds
    scope = build_scope(user=central)
    assert access.sees_every_territory(scope) == (listed == 1)
    today = published.issued_on
    listed_bodies = set(search_organizations(query="", territories=scope.territory_ids, on=today))
    placed = search_organizations(
        query="",
        territories=scope.territory_ids,
        on=today,
        every_territory=access.sees_every_territory(scope),
    )
    assert set(placed) == listed_bodies and len(listed_bodies) > 100
    assert ('jurisdiction_id" IN' in str(placed.query)) == (listed != 1)


def test_a_task_issued_in_the_territory_is_seen_where_it_reaches_a_body_outside(published, users):
    """The province's letter assigned, beyond the province, to a body of another: the province's monitor sees
    that assignment (its task was issued there), the other province's monitor sees it (its body is there) and
    nothing else of the letter, and a third province's monitor sees none of it. While no task reaches
    outside, the condition names no task at all (an OR with them kept PostgreSQL off the bodies' index)."""
    from dondoc.directives.models import Assignment, AssignmentRole
    from dondoc.registry.models import Level, Organization, OrganizationKind

    province = Jurisdiction.objects.get(code="DNO")
    query = Assignment.objects.filter(
        access._territory_condition(build_scope(user=users["monitor"])).condition
    ).query
    assert "task_id" not in str(query).split("WHERE", 1)[1]
    before, _directives = seen(users["monitor"])

    def another_province(code: str, name: str) -> Jurisdiction:
        return Jurisdiction.objects.create(code=code, name=name, kind=province.kind, level=province.level)

    neighbour, third = another_province("LDO", "Lâm Đồng"), another_province("GLA", "Gia Lai")
    body = Organization.objects.create(
        name="Ban Tổ chức Tỉnh ủy Lâm Đồng",
        code="LDO.BTC",
        kind=OrganizationKind.OTHER,
        level=Level.PROVINCE,
        jurisdiction=neighbour,
    )
    task = published.tasks.order_by("position").first()
    reaching = Assignment.objects.create(task=task, organization=body, role=AssignmentRole.COORDINATING)
    monitors = {
        place.code: create_member(
            username=f"gs-{place.code.lower()}", password="x-y-z-1234", role=Role.MONITOR, jurisdiction=place
        )
        for place in (neighbour, third)
    }
    after, directives = seen(users["monitor"])
    assert after == before | {reaching.pk} and published.pk in directives
    assert seen(monitors["LDO"])[0] == {reaching.pk}
    assert seen(monitors["GLA"])[0] == set()


def directives_of(assignments: set[int]) -> set[int]:
    """The published directives of these assignments and those that assign nothing, read from the tables."""
    from dondoc.directives.models import Assignment, Directive, DirectiveState

    published = Directive.objects.filter(state=DirectiveState.PUBLISHED)
    of_these = published.filter(tasks__assignments__in=assignments)
    assigning_nothing = published.exclude(id__in=Assignment.objects.values("task__directive_id"))
    return set(of_these.values_list("id", flat=True)) | set(assigning_nothing.values_list("id", flat=True))


def test_a_province_of_the_country_is_seen_by_its_key_as_by_its_bodies(published, users):
    """Đắk Nông under the country: its monitor's condition is its region's key (no list of its bodies), and
    sees what the list of its bodies and those under them gives, the bodies under one of them that lie in
    another province and the tasks it issued to bodies outside (of another province, of the Central)
    included; the other province's monitor sees only what reaches its own."""
    from dondoc.directives.models import Assignment, AssignmentRole, Directive, DirectiveState, Task
    from dondoc.registry.models import Level, Organization, OrganizationKind

    province = Jurisdiction.objects.get(code="DNO")
    country, _created = Jurisdiction.objects.get_or_create(
        code="VN", defaults={"name": "Việt Nam", "kind": province.kind, "level": Level.CENTRAL}
    )
    Jurisdiction.objects.filter(parent=None).exclude(pk=country.pk).update(parent=country)
    neighbour = Jurisdiction.objects.create(
        code="LDO", name="Lâm Đồng", kind=province.kind, level=province.level, parent=country
    )

    def organization(code: str, territory: Jurisdiction, parent: Organization | None = None) -> Organization:
        return Organization.objects.create(
            name=code,
            code=code,
            kind=OrganizationKind.OTHER,
            level=Level.PROVINCE,
            jurisdiction=territory,
            parent=parent,
        )

    across = organization("LDO.X", neighbour, Organization.objects.get(code="DNO.BTCTU"))
    reached = organization("LDO.BTC", neighbour)
    # a central directive, issued by no body of either province, reaching the body under Đắk Nông's one
    central = Directive.objects.create(
        issuer_text="BAN CHẤP HÀNH TRUNG ƯƠNG",
        number="50-KL/TW",
        type_code="KL",
        issued_on=published.issued_on,
        source_text="…",
        duplicate_key="seen-by-key",
        state=DirectiveState.PUBLISHED,
    )
    task = Task.objects.create(directive=central, position=0, text="Sắp xếp", deadline_kind="none")
    by_parent = Assignment.objects.create(task=task, organization=across, role=AssignmentRole.LEAD)
    issued = Assignment.objects.create(
        task=published.tasks.order_by("position").first(),
        organization=reached,
        role=AssignmentRole.COORDINATING,
    )

    def letter_of_the_committee(number: str, assigned: Organization) -> Assignment:
        """A letter of Đắk Nông's committee with one task, assigned to `assigned` alone."""
        letter = Directive.objects.create(
            issuer=Organization.objects.get(code="DNO.BTCTU"),
            issuer_text="TỈNH ỦY ĐẮK NÔNG",
            number=number,
            issued_on=published.issued_on,
            source_text="…",
            duplicate_key=number,
            state=DirectiveState.PUBLISHED,
        )
        task = Task.objects.create(directive=letter, position=0, text="Phối hợp", deadline_kind="none")
        return Assignment.objects.create(task=task, organization=assigned, role=AssignmentRole.LEAD)

    # a letter assigning only a body of the other province, and one only a body of the Central (no province)
    only_outside = letter_of_the_committee("2-CV/TU", reached)
    only_central = letter_of_the_committee("3-CV/TU", organization("TW.BTC", country))
    sent_out, to_centre = only_outside.task.directive, only_central.task.directive
    assert only_central.region_id is None

    scope = build_scope(user=users["monitor"])
    condition = str(Assignment.objects.filter(access._seen(scope).condition).query).split("WHERE", 1)[1]
    assert "region_id" in condition and "jurisdiction" not in condition
    by_key = seen(users["monitor"])
    by_bodies = set(
        Assignment.objects.filter(access._territory_condition(scope).condition).values_list("id", flat=True)
    )
    assert by_key[0] == by_bodies
    assert {by_parent.pk, issued.pk, only_outside.pk, only_central.pk} <= by_key[0]
    assert {published.pk, central.pk, sent_out.pk, to_centre.pk} <= by_key[1]
    # its directives, by the counts kept per region: those of the assignments it sees, and those held for
    # reference
    assert by_key[1] == directives_of(by_key[0])
    other = create_member(username="gs-ldo", password="x-y-z-1234", role=Role.MONITOR, jurisdiction=neighbour)
    assert seen(other)[0] == {by_parent.pk, issued.pk, only_outside.pk}
    assert seen(other)[1] == directives_of(seen(other)[0]) and central.pk in seen(other)[1]

    # the drafts it reviews: those of its territories (by the key), not the other province's
    district = Jurisdiction.objects.filter(parent=province).first()
    drafts = {
        place.code: Directive.objects.create(
            issuer_text="…",
            number=f"1-KH/{place.code}",
            issued_on=published.issued_on,
            source_text="…",
            duplicate_key=f"draft-{place.code}",
            jurisdiction=place,
        )
        for place in (district, neighbour)
    }
    assert drafts[district.code].pk in seen(users["monitor"])[1]
    assert drafts[neighbour.code].pk not in seen(users["monitor"])[1]
    assert drafts[neighbour.code].pk in seen(other)[1]

    # the bodies search finds by the key the bodies the territories' list finds
    today = published.issued_on
    listed = search_organizations(query="", territories=scope.territory_ids, on=today)
    keyed = search_organizations(
        query="", territories=scope.territory_ids, on=today, region_id=scope.region_id
    )
    assert scope.region_id == province.pk
    assert across in set(keyed) and reached not in set(keyed)
    assert set(keyed) == set(listed) and len(set(keyed)) > 100
