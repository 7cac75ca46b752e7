"""A program of reorganisations (two districts merged body by body) planned and committed at once: the same
plans as one by one, a fixed number of queries, one transaction, and the events kept from touching the same
body."""

from datetime import date

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from dondoc.registry.models import (
    Appointment,
    Level,
    Organization,
    OrganizationKind,
    Person,
    Post,
    PostKind,
    Reorganization,
    ReorganizationKind,
)
from dondoc.registry.reorganization import (
    NewBody,
    ReorganizationError,
    ReorganizationRequest,
    commit_reorganizations,
    plan_reorganization,
    plan_reorganizations,
)

EFFECTIVE = date(2025, 7, 1)
DECISION = "Nghị quyết số 1670/NQ-UBTVQH15"


def staff(body: Organization) -> None:
    for title, kind in (("Bí thư", PostKind.HEAD), ("Phó Bí thư", PostKind.DEPUTY)):
        post = Post.objects.create(organization=body, title=title, kind=kind)
        Appointment.objects.create(person=Person.objects.create(full_name=f"{title} {body.code}"), post=post)


@pytest.fixture
def districts(small_registry):
    for code in ("HUCJ", "TUGN", "BTVCJ", "BTVGN", "UBCJ", "UBGN"):
        staff(small_registry.bodies[code])
    return small_registry


def merger(r, first: str, second: str, new: NewBody) -> ReorganizationRequest:
    return ReorganizationRequest(
        kind=ReorganizationKind.MERGE,
        originals=(r.bodies[first], r.bodies[second]),
        effective_on=EFFECTIVE,
        decision=DECISION,
        new_bodies=(new,),
    )


def committee(r) -> NewBody:
    return NewBody(
        code="HUCJGN",
        name="Đảng ủy Cư Jút – Gia Nghĩa",
        kind=OrganizationKind.PARTY_COMMITTEE,
        level=Level.DISTRICT,
        parent=r.bodies["TU"],
    )


def program(r) -> list[ReorganizationRequest]:
    """The two districts' Party committees, standing boards (under the new committee) and People's
    Committees merged."""
    new_committee = committee(r)
    board = NewBody(
        code="BTVCJGN",
        name="Ban Thường vụ Đảng ủy Cư Jút – Gia Nghĩa",
        kind=OrganizationKind.STANDING_BOARD,
        level=Level.DISTRICT,
        parent=new_committee,
    )
    people = NewBody(
        code="UBCJGN",
        name="Ủy ban nhân dân Cư Jút – Gia Nghĩa",
        kind=OrganizationKind.PEOPLES_COMMITTEE,
        level=Level.DISTRICT,
    )
    return [
        merger(r, "HUCJ", "TUGN", new_committee),
        merger(r, "BTVCJ", "BTVGN", board),
        merger(r, "UBCJ", "UBGN", people),
    ]


def test_a_program_plans_each_event_as_it_would_be_planned_alone(districts):
    requests = program(districts)
    committees, _board, people = plan_reorganizations(requests)
    alone = [
        plan_reorganization(
            kind=request.kind,
            originals=request.originals,
            effective_on=request.effective_on,
            decision=request.decision,
            new_bodies=request.new_bodies,
        )
        for request in (requests[0], requests[2])
    ]
    assert [committees.fingerprint, people.fingerprint] == [plan.fingerprint for plan in alone]


def test_planning_and_committing_a_program_take_as_many_queries_for_more_events(districts):
    requests = program(districts)
    counts = []
    for chosen in ([requests[2]], [requests[0], requests[2]]):
        with transaction.atomic():
            with CaptureQueriesContext(connection) as planning:
                plans = plan_reorganizations(chosen)
            with CaptureQueriesContext(connection) as committing:
                commit_reorganizations(plans=plans, fingerprints=[plan.fingerprint for plan in plans])
            counts.append((len(planning), len(committing)))
            transaction.set_rollback(True)
    assert counts[0] == counts[1]


def test_a_new_body_sits_under_a_new_body_of_the_same_program(districts):
    plans = plan_reorganizations(program(districts))
    commit_reorganizations(plans=plans, fingerprints=[plan.fingerprint for plan in plans])
    board = Organization.objects.get(code="BTVCJGN")
    assert board.parent == Organization.objects.get(code="HUCJGN")
    [created] = board.history.all()
    assert created.parent_id == board.parent_id
    assert DECISION in created.history_change_reason
    assert Post.objects.as_of(EFFECTIVE).filter(organization=board).count() == 4


def test_a_committed_program_keeps_each_lineage_for_the_auditors(districts):
    plans = plan_reorganizations(program(districts))
    reorganizations = commit_reorganizations(plans=plans, fingerprints=[plan.fingerprint for plan in plans])
    assert len(reorganizations) == 3
    for reorganization in reorganizations:
        [record] = reorganization.history.all()
        assert record.originals.count() == 2
        assert record.results.count() == 1
    ended = Post.objects.filter(organization=districts.bodies["HUCJ"], valid_to=EFFECTIVE)
    assert ended.count() == 2
    assert all(DECISION in post.history.first().history_change_reason for post in ended)


def test_a_body_in_two_events_of_a_program_is_refused(districts):
    r = districts
    dissolution = ReorganizationRequest(
        kind=ReorganizationKind.DISSOLVE, originals=(r.bodies["UBCJ"],), effective_on=EFFECTIVE, decision="x"
    )
    with pytest.raises(ReorganizationError, match="Ủy ban nhân dân huyện Cư Jút"):
        plan_reorganizations([*program(r), dissolution])


def test_a_body_carrying_the_work_of_a_dissolution_cannot_end_in_the_same_program(districts):
    r = districts
    dissolution = ReorganizationRequest(
        kind=ReorganizationKind.DISSOLVE,
        originals=(r.bodies["MTCJ"],),
        successor=r.bodies["UBCJ"],
        effective_on=EFFECTIVE,
        decision="x",
    )
    with pytest.raises(ReorganizationError, match="Ủy ban nhân dân huyện Cư Jút"):
        plan_reorganizations([*program(r), dissolution])


def test_a_new_body_under_a_body_the_program_ends_is_refused(districts):
    r = districts
    requests = program(r)
    orphan = NewBody(
        code="BTVX",
        name="Ban Thường vụ X",
        kind=OrganizationKind.STANDING_BOARD,
        level=Level.DISTRICT,
        parent=r.bodies["HUCJ"],
    )
    with pytest.raises(ReorganizationError, match="Huyện ủy Cư Jút"):
        plan_reorganizations([requests[0], merger(r, "BTVCJ", "BTVGN", orphan)])
    with pytest.raises(ReorganizationError, match="Đảng ủy Cư Jút – Gia Nghĩa"):
        plan_reorganizations(requests[1:])  # the new committee its board sits under is not in the program


def test_a_program_with_one_stale_plan_writes_nothing(districts):
    plans = plan_reorganizations(program(districts))
    staff(districts.bodies["UBGN"])
    before = (Organization.objects.count(), Post.objects.count(), Reorganization.objects.count())
    with pytest.raises(ReorganizationError):
        commit_reorganizations(plans=plans, fingerprints=[plan.fingerprint for plan in plans])
    assert (Organization.objects.count(), Post.objects.count(), Reorganization.objects.count()) == before
