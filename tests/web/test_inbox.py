"""A body's inbox: its own assignments only, problems first, filtered, paged, in a bounded number of
queries."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from simple_history.utils import bulk_create_with_history

from dondoc.directives.models import (
    Assignment,
    AssignmentRole,
    Directive,
    DirectiveState,
    ProgressReport,
    ReportState,
    Task,
)
from dondoc.directives.selectors import (
    InboxFilters,
    assignment_situations,
    assignment_statuses,
    inbox,
    inbox_list,
)
from dondoc.directives.services import approve_report, confirm_report, draft_report
from dondoc.directives.views import reports
from dondoc.registry.models import Organization

INBOX = "/directives/assignments/"


@pytest.fixture(autouse=True)
def today(settings):
    settings.DONDOC_TODAY = date(2023, 5, 20)


def shown(response) -> list[int]:
    return [assignment.pk for assignment, _situation in response.context["rows"]]


def test_the_inbox_url_is_the_agreed_one(db):
    assert reverse("directives:inbox") == INBOX


def test_a_unit_sees_its_own_body_s_assignments_only(published, client_for):
    response = client_for("reporter").get(INBOX)
    assert response.status_code == 200
    mine = set(Assignment.objects.filter(organization__code="CJU.BTV").values_list("pk", flat=True))
    assert set(shown(response)) == mine and len(mine) == 10
    task_9 = Assignment.objects.get(organization__code="CJU.BTV", task__label="9")
    assert reverse("directives:assignment", args=[task_9.pk]) in response.content.decode()
    other = Assignment.objects.get(organization__code="DSO.BTV", task__label="9")
    assert reverse("directives:assignment", args=[other.pk]) not in response.content.decode()


def test_overdue_assignments_come_first_then_open_then_without_deadline(published, client_for):
    rows = client_for("reporter").get(INBOX).context["rows"]
    statuses = [situation.status.value for _assignment, situation in rows]
    assert statuses[:2] == ["overdue", "not_yet_due"]  # task 9 (due 14/5), then task 1 (due 31/5)
    assert statuses[2:] == ["no_deadline"] * 8


def test_the_statuses_shown_follow_the_reports(published, users, client_for):
    task_9 = Assignment.objects.get(organization__code="CJU.BTV", task__label="9")
    report = draft_report(
        assignment=task_9, text="Xong", percent=100, reports_done=True, by=users["reporter"]
    )
    approve_report(report=report, on=date(2023, 5, 12), by=users["leader"])
    confirm_report(report=report, on=date(2023, 5, 15), by=users["monitor"])
    response = client_for("reporter").get(INBOX)
    row = next(situation for assignment, situation in response.context["rows"] if assignment.pk == task_9.pk)
    assert row.status.value == "done_on_time" and row.last_report == ReportState.CONFIRMED
    assert f'id="assignment-{task_9.pk}"' in response.content.decode()
    page = client_for("reporter").get(INBOX, headers={"accept-language": "en"}).content.decode()
    assert "no report yet for Q2/2023" in page and "status-done_on_time" in page


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("status=overdue", {"9"}),
        ("status=not_yet_due", {"1"}),
        ("due_from=2023-05-20&due_to=2023-06-30", {"1"}),
        ("due_to=2023-05-14", {"9"}),
        ("role=coordinating", set()),
    ],
)
def test_filters(published, client_for, query, expected):
    response = client_for("reporter").get(f"{INBOX}?{query}")
    assert response.status_code == 200
    assert {a.task.label for a, _situation in response.context["rows"]} == expected


def test_filter_by_directive_and_by_body_for_a_monitor(published, client_for):
    monitor = client_for("monitor")
    body = Organization.objects.get(code="DSO.BTV")
    response = monitor.get(f"{INBOX}?directive={published.pk}&body={body.pk}")
    assert response.status_code == 200 and response.context["total"] == 10
    assert {a.organization_id for a, _situation in response.context["rows"]} == {body.pk}
    assert "body" not in client_for("reporter").get(INBOX).context["form"].fields  # a unit has one body


def test_the_directives_a_monitor_may_pick_are_read_only_when_one_is_picked(published, client_for):
    monitor = client_for("monitor")
    monitor.get(INBOX)

    def reads_directives(url: str) -> bool:
        with CaptureQueriesContext(connection) as queries:
            assert monitor.get(url).status_code == 200
        return any('FROM "directives_directive"' in query["sql"] for query in queries.captured_queries)

    assert not reads_directives(INBOX) and not reads_directives(f"{INBOX}?status=overdue")
    assert reads_directives(f"{INBOX}?directive={published.pk}")
    # one that may not be read is refused as before: a draft, for a body's reporter
    draft = Directive.objects.create(
        number="9-CV/XX", issued_on=date(2023, 1, 1), subject="Khác", state=DirectiveState.DRAFT
    )
    response = client_for("reporter").get(f"{INBOX}?directive={draft.pk}")
    assert response.status_code == 200 and response.context["form"].errors.get("directive")


def test_bad_filters_give_a_message_not_an_error(published, client_for):
    client = client_for("reporter")
    for query in (
        "due_from=hôm-qua",
        "status=xyz",
        "directive=abc",
        "directive=999999",
        "due_from=2023-06-01&due_to=2023-05-01",
        "page=abc",
        "page=999",
    ):
        response = client.get(f"{INBOX}?{query}")
        assert response.status_code == 200, query
    assert 'role="alert"' in client.get(f"{INBOX}?due_from=hôm-qua").content.decode()


def test_the_htmx_request_gets_the_results_only(published, client_for):
    response = client_for("reporter").get(f"{INBOX}?status=overdue", headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "<html" not in response.content.decode() and 'id="inbox-count"' in response.content.decode()


def many_assignments(body_code: str, count: int, *, reports: bool = True) -> None:
    """A directive of `count` tasks all assigned to one body, half of them with a sent report."""
    directive = Directive.objects.create(
        issuer_text="TỈNH ỦY ĐẮK NÔNG",
        number="999-KH/TU",
        type_code="KH",
        issued_on=date(2023, 3, 1),
        source_text="…",
        duplicate_key="x",
        state=DirectiveState.PUBLISHED,
    )
    tasks = bulk_create_with_history(
        [
            Task(
                directive=directive,
                position=i,
                label=str(i),
                text=f"Nhiệm vụ thứ {i}",
                deadline_kind="by_date",
                due=date(2023, 1, 1 + i % 28).replace(month=1 + i % 12),
            )
            for i in range(1, count + 1)
        ],
        Task,
    )
    body = Organization.objects.get(code=body_code)
    assignments = bulk_create_with_history(
        [Assignment(task=task, organization=body, role=AssignmentRole.LEAD, due=task.due) for task in tasks],
        Assignment,
    )
    if reports:
        ProgressReport.objects.bulk_create(
            [
                ProgressReport(
                    assignment=assignment,
                    text="Đang thực hiện",
                    percent=50,
                    state=ReportState.SENT,
                    sent_on=date(2023, 3, 1),
                )
                for assignment in assignments[::2]
            ]
        )


@pytest.mark.parametrize("name", ["reporter", "monitor", "reader"])
def test_the_number_of_queries_does_not_grow_with_the_assignments(
    published, client_for, django_assert_max_num_queries, name
):
    client = client_for(name)
    client.get(INBOX)  # sessions, content types and such warm up once
    # a count and a read for each segment of the order (overdue, open, without a deadline, done), the periods
    # of those without a deadline, the rows' situations
    with django_assert_max_num_queries(22) as few:
        client.get(INBOX)
    many_assignments("CJU.BTV", 400)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(INBOX)
    assert response.context["total"] >= 400 and len(response.context["rows"]) == 50
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(f"{INBOX}?page=3&status=overdue")


def test_the_inbox_counts_statuses_as_the_shared_rule_does(published, users, client_for):
    many_assignments("CJU.BTV", 60)
    confirmed = Assignment.objects.get(
        organization__code="CJU.BTV", task__label="9", task__directive=published
    )
    report = draft_report(assignment=confirmed, text="Xong", percent=100, reports_done=True)
    approve_report(report=report, on=date(2023, 5, 16))
    confirm_report(report=report, on=date(2023, 5, 18))
    mine = Assignment.objects.filter(organization__code="CJU.BTV")
    rule = assignment_statuses(assignments=mine, today=date(2023, 5, 20))
    shown_statuses = {
        a.pk: s.status for a, s in client_for("reporter").get(f"{INBOX}?page=1").context["rows"]
    }
    situations = assignment_situations(assignments=mine, today=date(2023, 5, 20))
    assert {pk: situation.status for pk, situation in situations.items()} == rule
    assert (
        all(rule[pk] == status for pk, status in shown_statuses.items()) and rule[confirmed.pk] == "done_late"
    )


def test_those_outside_the_body_do_not_see_its_drafts_in_the_inbox(published, users, client_for):
    task_9 = Assignment.objects.get(organization__code="CJU.BTV", task__label="9")
    draft_report(assignment=task_9, text="Nháp", percent=10, by=users["reporter"])

    def last_report(name: str) -> str | None:
        rows = client_for(name).get(f"{INBOX}?status=overdue").context["rows"]
        return next(situation.last_report for assignment, situation in rows if assignment.pk == task_9.pk)

    assert last_report("reporter") == ReportState.DRAFT and last_report("monitor") is None


def reference_order(assignments, *, today: date, drafts: bool) -> list[int]:
    """The inbox's order as the rule states it, computed in Python over every assignment: overdue (newest
    deadline first), open (nearest first), without a deadline (no report for the period first), done (newest
    deadline first), the newest assignment first among equals."""
    situations = assignment_situations(assignments=assignments, today=today, drafts=drafts)
    due = dict(assignments.values_list("id", "due"))
    segment = {"overdue": 0, "in_progress": 1, "not_yet_due": 1, "no_deadline": 2}

    def key(pk: int) -> tuple[int, int, int]:
        situation = situations[pk]
        rank = segment.get(situation.status.value, 3)
        if rank == 2:
            return rank, 0 if situation.period_report is None else 1, -pk
        day = due[pk].toordinal()
        return rank, day if rank == 1 else -day, -pk

    return sorted(situations, key=key)


@pytest.mark.parametrize("drafts", [True, False], ids=["inside the body", "outside it"])
def test_the_database_orders_every_page_as_the_rule_does(published, users, drafts):
    many_assignments("CJU.BTV", 60)
    mine = Assignment.objects.filter(organization__code="CJU.BTV")
    done_on_time, done_late = mine.filter(task__directive__number="999-KH/TU").order_by("id")[:2]
    for assignment, sent_on in ((done_on_time, date(2023, 1, 1)), (done_late, date(2023, 5, 1))):
        report = draft_report(assignment=assignment, text="Xong", percent=100, reports_done=True)
        approve_report(report=report, on=sent_on)
        confirm_report(report=report, on=date(2023, 5, 2))
    # without a deadline: one reported in the quarter, one only drafted in it, one reported for the last one
    ongoing = list(mine.filter(task__deadline_kind__in=["ongoing", "on_demand", "per_roadmap", "none"]))
    assert len(ongoing) >= 3
    quarter = {"period_start": date(2023, 4, 1), "period_end": date(2023, 6, 30)}
    for assignment, state, sent_on, period in (
        (ongoing[1], ReportState.SENT, date(2023, 4, 10), {}),
        (ongoing[3], ReportState.DRAFT, None, quarter),
        (ongoing[5], ReportState.SENT, date(2023, 3, 10), {}),
    ):
        ProgressReport.objects.create(
            assignment=assignment, text="Báo cáo quý", percent=10, state=state, sent_on=sent_on, **period
        )
    today = date(2023, 5, 20)
    found = inbox(assignments=mine, today=today, filters=InboxFilters(), drafts=drafts)
    pages = [found.page(offset=offset, limit=7) for offset in range(0, found.total, 7)]
    assert found.total == mine.count() == 70
    assert [row.pk for page in pages for row, _s in page] == reference_order(mine, today=today, drafts=drafts)
    # each page's situations, read from its rows (and the periods its order read), are those read afresh
    shown = {row.pk: situation for page in pages for row, situation in page}
    assert shown == assignment_situations(assignments=mine, today=today, drafts=drafts)
    statuses = {situation.status.value for _row, situation in found.page(offset=0, limit=70)}
    assert statuses >= {"overdue", "in_progress", "not_yet_due", "no_deadline", "done_on_time", "done_late"}


def test_a_list_longer_than_is_counted_says_more_than_and_still_pages(published, client_for, monkeypatch):
    monkeypatch.setattr(inbox_list, "COUNTED", 30)
    monkeypatch.setattr(reports, "PAGE_SIZE", 20)
    many_assignments("CJU.BTV", 60)
    client = client_for("reporter")
    response = client.get(INBOX, headers={"accept-language": "en"})
    assert response.context["total"] == 31 and response.context["more_than_counted"]
    assert "more than 30 assignments: narrow them with the filters" in response.content.decode()
    first = shown(response)
    second = shown(client.get(f"{INBOX}?page=2"))
    assert len(first) == 20 and len(second) == 11 and not set(first) & set(second)
    overdue = client.get(f"{INBOX}?status=overdue", headers={"accept-language": "en"})
    assert not overdue.context["more_than_counted"]  # a filter brings it under the count
    assert f"{overdue.context['total']} assignments" in overdue.content.decode()


@pytest.mark.parametrize("counted", [1_000, 30], ids=["under the count: at once", "over it: in turn"])
def test_the_segments_counted_at_once_or_in_turn_are_those_of_the_rule(published, monkeypatch, counted):
    monkeypatch.setattr(inbox_list, "COUNTED", counted)
    many_assignments("CJU.BTV", 60)
    mine = Assignment.objects.filter(organization__code="CJU.BTV")
    today = date(2023, 5, 20)
    found = inbox(assignments=mine, today=today, filters=InboxFilters())
    statuses = assignment_statuses(assignments=mine, today=today)
    left, expected = counted + 1, []
    for segment in (
        ("overdue",),
        ("in_progress", "not_yet_due"),
        ("no_deadline",),
        ("done_late", "done_on_time"),
    ):
        if left:  # past the count, the segments after are not counted
            size = min(sum(1 for status in statuses.values() if status.value in segment), left)
            expected.append((segment, size))
            left -= size
    assert [([status.value for status in kept], size) for kept, size in found.segments] == [
        (list(segment), size) for segment, size in expected
    ]
    assert found.more_than_counted == (mine.count() > counted)
