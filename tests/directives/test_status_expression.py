"""The status as a database expression (selectors.with_status), and over the columns of rows already read
(status_of_read), against the rule in Python (status.assignment_status), on real rows, for every combination
of the rule's inputs: each kind of deadline, no due date or one before, on or after today, moved or not by an
extension, and the reports that make an assignment started or done."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import product

import pytest
from django.db.models import Count, QuerySet

from dondoc.directives.models import (
    Assignment,
    AssignmentRole,
    DeadlineExtension,
    Directive,
    DirectiveState,
    ExtensionState,
    ProgressReport,
    ReportState,
    Task,
    TaskDeadlineKind,
)
from dondoc.directives.selectors import assignment_statuses, with_status
from dondoc.directives.selectors.status_expression import (
    status_condition,
    status_condition_parts,
    status_counts,
    status_of_read,
)
from dondoc.directives.services import decide_extension, request_extension
from dondoc.directives.status import Status, assignment_status
from dondoc.registry.models import Level, Organization, OrganizationKind

TODAY = date(2024, 6, 15)
# the task's due date, as published
DUE_DATES: dict[str, date | None] = {
    "no due date": None,
    "due before today": TODAY - timedelta(days=10),
    "due today": TODAY,
    "due after today": TODAY + timedelta(days=10),
}
# what became of a request for a new deadline; only an approved one moves the assignment's due date
EXTENSIONS = ["no extension", "extension pending", "extension refused", "extension approved"]
EXTENDED_BY = timedelta(days=20)


@dataclass(frozen=True, slots=True)
class Report:
    """A report's state, the day it was sent and the day its completion was confirmed, each counted in days
    from the assignment's due date in force (from today when it has none); None: not sent or not confirmed."""

    state: ReportState
    sent: int | None = None
    confirmed: int | None = None


# before, on and after the due date; with the due dates above, each falls before, on or after today as well
SENT_DAYS = {"before due": -3, "on due": 0, "after due": 3}
REPORTS: dict[str, tuple[Report, ...]] = {
    "no report": (),
    "a draft only": (Report(ReportState.DRAFT),),
    **{f"sent {when}": (Report(ReportState.SENT, day),) for when, day in SENT_DAYS.items()},
    **{f"returned {when}": (Report(ReportState.RETURNED, day),) for when, day in SENT_DAYS.items()},
    **{
        f"done, sent {when}, confirmed that day": (Report(ReportState.CONFIRMED, day, day),)
        for when, day in SENT_DAYS.items()
    },
    "done, sent before due, confirmed after today": (Report(ReportState.CONFIRMED, -3, 100),),
    "returned before due, sent again after": (Report(ReportState.RETURNED, -3), Report(ReportState.SENT, 3)),
    # the first one sent counts, not the latest
    "done twice, the later sent first": (
        Report(ReportState.CONFIRMED, 3, 3),
        Report(ReportState.CONFIRMED, -3, -3),
    ),
    "done, then a new draft": (Report(ReportState.CONFIRMED, 0, 0), Report(ReportState.DRAFT)),
}


@dataclass(frozen=True, slots=True)
class Combination:
    kind: str
    due: str
    extension: str
    reports: str

    @property
    def due_in_force(self) -> date | None:
        published = DUE_DATES[self.due]
        if published is not None and self.extension == "extension approved":
            return published + EXTENDED_BY
        return published

    def day(self, offset: int | None) -> date | None:
        return None if offset is None else (self.due_in_force or TODAY) + timedelta(days=offset)

    def expected(self) -> Status:
        """The rule's inputs as statuses.assignment_statuses reads them: started once a report was sent by
        today; done on the day the first report confirmed by today was sent."""
        sent = [
            (report, sent_on)
            for report in REPORTS[self.reports]
            if report.state in (ReportState.SENT, ReportState.CONFIRMED)
            and (sent_on := self.day(report.sent)) is not None
            and sent_on <= TODAY
        ]
        done = [
            sent_on
            for report, sent_on in sent
            if report.state == ReportState.CONFIRMED
            and (confirmed_on := self.day(report.confirmed)) is not None
            and confirmed_on <= TODAY
        ]
        return assignment_status(
            deadline_kind=self.kind,
            due=self.due_in_force,
            today=TODAY,
            started=bool(sent),
            done_on=min(done, default=None),
        )


COMBINATIONS = [
    Combination(kind, due, extension, reports)
    for kind, due, extension, reports in product(TaskDeadlineKind.values, DUE_DATES, EXTENSIONS, REPORTS)
    # no extension can be asked for a task without a due date
    if DUE_DATES[due] is not None or extension == "no extension"
]


def statuses_from_reports(assignments: QuerySet[Assignment], today: date) -> dict[int, Status]:
    """Each assignment's status on `today` by the rule, from its reports read in Python: started once a
    report was sent by today; done on the day the first report confirmed by today was sent."""
    started: set[int] = set()
    done_on: dict[int, date] = {}
    for assignment_id, state, sent_on, confirmed_on in ProgressReport.objects.filter(
        assignment__in=assignments
    ).values_list("assignment_id", "state", "sent_on", "confirmed_on"):
        if state in (ReportState.SENT, ReportState.CONFIRMED) and sent_on is not None and sent_on <= today:
            started.add(assignment_id)
            if state == ReportState.CONFIRMED and confirmed_on is not None and confirmed_on <= today:
                done_on[assignment_id] = min(done_on.get(assignment_id, sent_on), sent_on)
    return {
        pk: assignment_status(
            deadline_kind=kind, due=due, today=today, started=pk in started, done_on=done_on.get(pk)
        )
        for pk, due, kind in assignments.values_list("id", "due", "task__deadline_kind")
    }


def a_directive() -> Directive:
    return Directive.objects.create(
        issuer_text="TỈNH ỦY ĐẮK NÔNG",
        number="1-KH/TU",
        type_code="KH",
        issued_on=TODAY - timedelta(days=100),
        source_text="…",
        duplicate_key="status-expression",
        state=DirectiveState.PUBLISHED,
    )


def a_body(code: str) -> Organization:
    return Organization.objects.create(
        name=f"Cơ quan {code}", code=code, kind=OrganizationKind.OTHER, level=Level.PROVINCE
    )


def create_rows(combinations: list[Combination]) -> dict[int, Combination]:
    """One task per kind, due date and extension, one body per set of reports: each combination is one
    assignment. Returns them by assignment id."""
    directive = a_directive()
    bodies = {name: a_body(f"BODY.{index}") for index, name in enumerate(REPORTS)}
    tasks: dict[tuple[str, str, str], Task] = {}
    for combination in combinations:
        key = (combination.kind, combination.due, combination.extension)
        if key not in tasks:
            tasks[key] = Task(
                directive=directive,
                position=len(tasks),
                text=" / ".join(key),
                deadline_kind=combination.kind,
                due=DUE_DATES[combination.due],
            )
    Task.objects.bulk_create(tasks.values())
    assignments = Assignment.objects.bulk_create(
        Assignment(
            task=tasks[(combination.kind, combination.due, combination.extension)],
            organization=bodies[combination.reports],
            role=AssignmentRole.LEAD,
            due=combination.due_in_force,
        )
        for combination in combinations
    )
    by_assignment = {
        assignment.pk: combination for assignment, combination in zip(assignments, combinations, strict=True)
    }
    extension_state = {
        "extension pending": ExtensionState.PENDING,
        "extension refused": ExtensionState.REFUSED,
        "extension approved": ExtensionState.APPROVED,
    }
    DeadlineExtension.objects.bulk_create(
        DeadlineExtension(
            assignment_id=pk,
            previous_due=DUE_DATES[combination.due],
            requested_due=DUE_DATES[combination.due] + EXTENDED_BY,
            reason="Cần thêm thời gian",
            requested_on=TODAY - timedelta(days=30),
            state=extension_state[combination.extension],
        )
        for pk, combination in by_assignment.items()
        if combination.extension in extension_state
    )
    ProgressReport.objects.bulk_create(
        ProgressReport(
            assignment_id=pk,
            text="Tiến độ",
            state=report.state,
            reports_done=report.state == ReportState.CONFIRMED,
            sent_on=combination.day(report.sent),
            confirmed_on=combination.day(report.confirmed),
        )
        for pk, combination in by_assignment.items()
        for report in REPORTS[combination.reports]
    )
    return by_assignment


def test_every_combination_is_enumerated():
    kinds, dues, extended, reports = (
        len(TaskDeadlineKind.values),
        len(DUE_DATES),
        len(EXTENSIONS),
        len(REPORTS),
    )
    assert (kinds, dues, extended, reports) == (8, 4, 4, 15)
    # without a due date, only "no extension"
    assert len(COMBINATIONS) == kinds * reports * (1 + (dues - 1) * extended) == 1560
    assert {combination.expected() for combination in COMBINATIONS} == set(Status)


@pytest.mark.django_db
def test_the_expression_gives_the_status_of_the_rule_on_every_combination():
    by_assignment = create_rows(COMBINATIONS)
    assignments = Assignment.objects.filter(pk__in=list(by_assignment))
    computed = dict(with_status(assignments, today=TODAY).values_list("id", "status"))
    read_in_python = statuses_from_reports(assignments, TODAY)
    listed = assignment_statuses(assignments=assignments, today=TODAY)
    of_read = {assignment.pk: status_of_read(assignment, today=TODAY) for assignment in assignments}
    wrong = [
        (combination, computed[pk], combination.expected())
        for pk, combination in by_assignment.items()
        if computed[pk] != combination.expected()
    ]
    assert wrong == []
    # the rows say what the combinations mean: the rule over the reports read in Python agrees
    assert read_in_python == {pk: combination.expected() for pk, combination in by_assignment.items()}
    assert listed == read_in_python
    # and so does the same rule over the rows already read, which a list's page uses
    assert of_read == read_in_python


@pytest.mark.django_db
def test_a_directive_s_statuses_are_counted_in_one_query(django_assert_num_queries):
    by_assignment = create_rows(COMBINATIONS)
    directive_id = Assignment.objects.values_list("task__directive_id", flat=True).first()
    with django_assert_num_queries(1):
        counts = dict(
            with_status(Assignment.objects.filter(task__directive_id=directive_id), today=TODAY)
            .values("status")
            .annotate(n=Count("id"))
            .values_list("status", "n")
        )
    assert counts == Counter(combination.expected().value for combination in by_assignment.values())


@pytest.mark.django_db
def test_an_approved_extension_moves_the_deadline_the_expression_reads():
    combination = Combination(TaskDeadlineKind.BY_DATE, "due before today", "no extension", "sent before due")
    (pk,) = create_rows([combination])
    assignment = Assignment.objects.get(pk=pk)

    def status() -> str:
        return with_status(Assignment.objects.filter(pk=pk), today=TODAY).get().status

    assert status() == Status.OVERDUE
    extension = request_extension(
        assignment=assignment, requested_due=TODAY + EXTENDED_BY, reason="Cần thêm thời gian", on=TODAY
    )
    assert status() == Status.OVERDUE  # still the published deadline while the monitor decides
    decide_extension(extension=extension, approve=True, on=TODAY)
    assert status() == Status.IN_PROGRESS


@pytest.mark.django_db
def test_the_counts_read_through_the_reports_joined_agree_on_every_combination():
    by_assignment = create_rows(COMBINATIONS)
    assignments = Assignment.objects.filter(pk__in=list(by_assignment))
    expected = Counter(
        (assignment.organization_id, combination.expected().value)
        for assignment, combination in (
            (Assignment.objects.get(pk=pk), combination) for pk, combination in by_assignment.items()
        )
    )
    rows = status_counts(assignments, today=TODAY, by=["organization_id"])
    assert {(body, status): count for body, status, count in rows} == expected
    overdue = status_counts(assignments, today=TODAY, status=Status.OVERDUE)
    assert overdue == [
        (Status.OVERDUE.value, sum(n for (_b, s), n in expected.items() if s == Status.OVERDUE))
    ]


@pytest.mark.django_db
def test_the_conditions_an_index_can_serve_keep_the_statuses_of_the_rule():
    by_assignment = create_rows(COMBINATIONS)
    assignments = Assignment.objects.filter(pk__in=list(by_assignment))
    for status in Status:
        kept = set(assignments.filter(status_condition([status], today=TODAY)).values_list("id", flat=True))
        assert kept == {
            pk for pk, combination in by_assignment.items() if combination.expected() == status
        }, status
    both = [Status.DONE_LATE, Status.OVERDUE]
    kept = set(assignments.filter(status_condition(both, today=TODAY)).values_list("id", flat=True))
    assert kept == {pk for pk, combination in by_assignment.items() if combination.expected() in both}


@pytest.mark.django_db
def test_the_parts_an_index_range_serves_each_exclude_one_another_and_keep_the_statuses_of_the_rule():
    by_assignment = create_rows(COMBINATIONS)
    assignments = Assignment.objects.filter(pk__in=list(by_assignment))
    for statuses in [*([status] for status in Status), [Status.IN_PROGRESS, Status.NOT_YET_DUE]]:
        parts = [
            set(assignments.filter(part).values_list("id", flat=True))
            for part in status_condition_parts(statuses, today=TODAY)
        ]
        assert sum(len(part) for part in parts) == len(set().union(*parts)), statuses
        assert set().union(*parts) == {
            pk for pk, combination in by_assignment.items() if combination.expected() in statuses
        }, statuses
        if statuses == [Status.OVERDUE]:
            # overdue on the day asked about, done after it
            assert len(parts) == 2 and parts[1], parts
