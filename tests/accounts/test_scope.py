"""The scope a request acts in: what each role sees, and a person with several memberships acting through the
one chosen for the session."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet

from dondoc.accounts.models import Membership, Role, User
from dondoc.accounts.scope import SESSION_KEY, build_scope
from dondoc.accounts.services import add_membership, choose_membership
from dondoc.directives.access import assignments_for
from dondoc.directives.models import Assignment
from dondoc.directives.services import create_draft, publish_directive
from dondoc.parsing import parse_text
from dondoc.reading import read_document
from dondoc.registry.models import Jurisdiction, Organization
from dondoc.registry.sample import load_sample_registry

SEED = "src/dondoc/samples/1317-CV-TU.md"


@pytest.fixture
def published(db):
    load_sample_registry()
    text = read_document(SEED).text
    directive = create_draft(parsed=parse_text(text), source_text=text)
    publish_directive(directive=directive, decisions={"Các cơ quan, đơn vị liên quan": []})


def member(name: str, role: Role, *, body: str | None = None, territory: str | None = None) -> User:
    user = User.objects.create_user(name, password="x")
    membership = Membership(
        user=user,
        role=role,
        organization=Organization.objects.get(code=body) if body else None,
        jurisdiction=Jurisdiction.objects.get(code=territory) if territory else None,
    )
    membership.full_clean()
    membership.save()
    return user


def visible_assignments(*, user: User | AnonymousUser) -> QuerySet[Assignment]:
    """What the user sees through their first membership (nothing without one)."""
    scope = build_scope(user=user)
    return Assignment.objects.none() if scope is None else assignments_for(scope)


def test_a_district_reporter_sees_only_its_own_bodys_assignments(published):
    reporter = member("cujut", Role.UNIT_REPORTER, body="CJU.BTV")
    seen = visible_assignments(user=reporter)
    assert seen.count() == Assignment.objects.filter(organization__code="CJU.BTV").count() > 0
    assert not seen.filter(organization__code="DSO.BTV").exists()


def test_a_monitor_of_the_province_sees_every_assignment_there(published):
    monitor = member("btctu", Role.MONITOR, territory="DNO")
    assert visible_assignments(user=monitor).count() == Assignment.objects.count()


def test_a_reader_of_one_district_sees_that_districts_bodies_only(published):
    reader = member("cj-reader", Role.READER, territory="CJU")
    codes = set(visible_assignments(user=reader).values_list("organization__code", flat=True))
    assert codes and all(code.startswith("CJU.") for code in codes)


@pytest.mark.parametrize("role", [Role.AUDITOR])
def test_roles_without_assignments_and_anonymous_users_see_none(published, role):
    assert visible_assignments(user=member("someone", role)).count() == 0
    assert visible_assignments(user=AnonymousUser()).count() == 0


def test_a_unit_role_needs_its_body_and_a_monitor_its_jurisdiction(db):
    user = User.objects.create_user("x", password="x")
    with pytest.raises(ValidationError):
        Membership(user=user, role=Role.UNIT_LEADER).full_clean()
    with pytest.raises(ValidationError):
        Membership(user=user, role=Role.MONITOR).full_clean()


def test_a_person_with_two_posts_acts_through_the_one_chosen_for_the_session(published, client):
    secretary = member("secretary", Role.UNIT_LEADER, body="CJU.BTV")
    council = add_membership(
        user=secretary, role=Role.UNIT_LEADER, organization=Organization.objects.get(code="CJU.HDND")
    )
    first = build_scope(user=secretary)
    assert first is not None and first.membership.organization.code == "CJU.BTV"
    assert [each.organization.code for each in first.memberships] == ["CJU.BTV", "CJU.HDND"]
    chosen = build_scope(user=secretary, chosen=council.pk)
    assert chosen is not None and chosen.organization_id == council.organization_id
    assert set(assignments_for(chosen).values_list("organization__code", flat=True)) <= {"CJU.HDND"}


def test_a_membership_that_is_not_ones_own_cannot_be_chosen(published):
    reporter = member("cujut", Role.UNIT_REPORTER, body="CJU.BTV")
    other = member("daksong", Role.UNIT_REPORTER, body="DSO.BTV")
    session: dict[str, int] = {}
    with pytest.raises(PermissionDenied):
        choose_membership(session=session, user=reporter, membership_id=other.memberships.get().pk)
    assert SESSION_KEY not in session
    # a stale choice (someone else's membership id) falls back to the user's own first one
    scope = build_scope(user=reporter, chosen=other.memberships.get().pk)
    assert scope is not None and scope.organization_id == reporter.memberships.get().organization_id
