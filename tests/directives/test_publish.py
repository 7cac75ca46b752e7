from datetime import date

import pytest

from dondoc.directives.models import Assignment, AssignmentRole, Directive, DirectiveState
from dondoc.directives.services import DirectiveError, DuplicateDirective, create_draft, publish_directive
from dondoc.directives.status import Status, assignment_status
from dondoc.parsing import parse_text
from dondoc.reading import read_document
from dondoc.registry.models import Organization
from dondoc.registry.sample import load_sample_registry

SEED = "src/dondoc/samples/1317-CV-TU.md"
VAGUE = "Các cơ quan, đơn vị liên quan"


@pytest.fixture
def draft(db):
    load_sample_registry()
    text = read_document(SEED).text
    return create_draft(parsed=parse_text(text), source_text=text, file_sha256="a" * 64)


def test_a_draft_keeps_the_header_and_every_task(draft):
    assert (draft.number, draft.issued_on, draft.state) == (
        "1317-CV/TU",
        date(2023, 4, 17),
        DirectiveState.DRAFT,
    )
    assert draft.tasks.count() == 11
    assert draft.tasks.get(label="9").lead_phrases == ["Ban thường vụ huyện ủy, thành ủy"]


def test_the_same_directive_twice_is_caught_by_file_or_by_issuer_and_number(draft):
    text = read_document(SEED).text
    with pytest.raises(DuplicateDirective):
        create_draft(parsed=parse_text(text), source_text=text, file_sha256="a" * 64)
    with pytest.raises(DuplicateDirective):
        create_draft(parsed=parse_text(text), source_text=text, file_sha256="b" * 64)
    assert Directive.objects.count() == 1


def test_publishing_waits_for_a_decision_on_unresolved_phrases(draft):
    with pytest.raises(DirectiveError, match=VAGUE):
        publish_directive(directive=draft)
    assert Assignment.objects.count() == 0
    assert Directive.objects.get(pk=draft.pk).state == DirectiveState.DRAFT


def test_publishing_fans_tasks_out_to_bodies_with_roles_and_deadlines(draft):
    publication = publish_directive(directive=draft, decisions={VAGUE: []})
    addressees = 1 + 1 + 19 + 1 + 9 + 8 + 1  # as the registry resolves the letter's Kính gửi
    task_1 = Assignment.objects.filter(task__directive=draft, task__label="1")
    assert task_1.count() == addressees
    assert set(task_1.values_list("role", flat=True)) == {AssignmentRole.LEAD}
    task_9 = Assignment.objects.filter(task__label="9")
    assert set(task_9.values_list("organization__code", flat=True)) == {
        f"{d}.BTV" for d in ("CJU", "DGL", "DMI", "DRL", "DSO", "GNG", "KNO", "TDU")
    }
    task_11 = {a.organization.code: a.role for a in Assignment.objects.filter(task__label="11")}
    assert task_11 == {"DNO.BTCTU": AssignmentRole.LEAD, "DNO.BCSUBND": AssignmentRole.COORDINATING}
    due = Assignment.objects.filter(task__label="5").values_list("due", flat=True).distinct()
    assert list(due) == [draft.tasks.get(label="5").due]
    assert publication.assignments == Assignment.objects.count() == Assignment.history.count()
    assert Directive.objects.get(pk=draft.pk).issuer == Organization.objects.get(code="DNO.TU")


def test_a_directive_is_published_once(draft):
    publish_directive(directive=draft, decisions={VAGUE: []})
    count = Assignment.objects.count()
    with pytest.raises(DirectiveError):
        publish_directive(directive=draft, decisions={VAGUE: []})
    assert Assignment.objects.count() == count


DUE = date(2023, 5, 31)


@pytest.mark.parametrize(
    ("today", "started", "done_on", "status"),
    [
        (date(2023, 5, 1), False, None, Status.NOT_YET_DUE),
        (date(2023, 5, 1), True, None, Status.IN_PROGRESS),
        (date(2023, 5, 31), True, None, Status.IN_PROGRESS),  # the due day itself is still within
        (date(2023, 6, 1), True, None, Status.OVERDUE),
        (date(2023, 6, 9), True, date(2023, 5, 31), Status.DONE_ON_TIME),
        (date(2023, 6, 9), True, date(2023, 6, 2), Status.DONE_LATE),
    ],
)
def test_status_of_a_task_due_at_the_end_of_may(today, started, done_on, status):
    assert (
        assignment_status(deadline_kind="by_date", due=DUE, today=today, started=started, done_on=done_on)
        == status
    )


@pytest.mark.parametrize("kind", ["ongoing", "on_demand", "per_roadmap"])
def test_tasks_without_an_end_count_as_no_deadline(kind):
    assert (
        assignment_status(deadline_kind=kind, due=None, today=DUE, started=True, done_on=None)
        == Status.NO_DEADLINE
    )
