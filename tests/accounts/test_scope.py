import pytest
from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import ValidationError

from dondoc.accounts.models import Membership, Role
from dondoc.accounts.selectors import visible_assignments
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
