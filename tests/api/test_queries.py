"""Every list answers in a fixed number of queries, however many rows there are (no N+1)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from tests.api.conftest import items

from dondoc.directives.models import (
    Assignment,
    AssignmentRole,
    Citation,
    Directive,
    DirectiveState,
    ProgressReport,
    ReportState,
    Task,
)
from dondoc.registry.models import Organization

ROWS = 240


@pytest.fixture
def many(published, users):
    """ROWS more directives, each with one task led by Cư Jút's and Đắk Song's standing boards, each
    assignment with a sent report (test data written in bulk: the services are tested elsewhere)."""
    bodies = list(Organization.objects.filter(code__in=["CJU.BTV", "DSO.BTV"]))
    directives = Directive.objects.bulk_create(
        [
            Directive(
                issuer_text="TỈNH ỦY ĐẮK NÔNG",
                issuer=published.issuer,
                number=f"{2000 + n}-CV/TU",
                issued_on=date(2023, 1, 1) + timedelta(days=n % 120),
                subject=f"Việc số {n}",
                source_text="…",
                duplicate_key=f"many-{n}",
                search_text=f"{2000 + n}-cv/tu viec so {n}",
                state=DirectiveState.PUBLISHED,
            )
            for n in range(ROWS)
        ]
    )
    tasks = Task.objects.bulk_create(
        [
            Task(
                directive=directive,
                position=1,
                label="1",
                text="Báo cáo",
                deadline_kind="by_date",
                due=date(2023, 5, 1) + timedelta(days=n % 30),
            )
            for n, directive in enumerate(directives)
        ]
    )
    Citation.objects.bulk_create(
        [
            Citation(citing=directive, number="1317-CV/TU", folded_number="1317-cv/tu", cited=published)
            for directive in directives
        ]
    )
    assignments = Assignment.objects.bulk_create(
        [
            Assignment(task=task, organization=body, role=AssignmentRole.LEAD, due=task.due)
            for task in tasks
            for body in bodies
        ]
    )
    ProgressReport.objects.bulk_create(
        [
            ProgressReport(
                assignment=assignment,
                text="Đã làm",
                percent=100,
                reports_done=True,
                state=ReportState.SENT,
                sent_on=date(2023, 5, 2),
                drafted_by=users["reporter"],
                approved_by=users["leader"],
            )
            for assignment in assignments
        ]
    )
    return assignments


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, response.content
    return len(captured)


LISTS = [
    "/api/documents/?page_size=200",
    "/api/documents/?page_size=200&q=viec",
    "/api/assignments/?page_size=200",
    "/api/assignments/?page_size=200&status=in_progress",
    "/api/bodies/?page_size=200",
]


@pytest.mark.parametrize("role", ["monitor", "reporter", "admin"])
@pytest.mark.parametrize("url", LISTS)
def test_a_list_of_many_rows_takes_no_more_queries_than_a_list_of_one(published, api_for, many, role, url):
    client = api_for(role)
    client.get("/api/bodies/")  # the token's first use writes last_used_at once
    small = count_queries(client, url.replace("page_size=200", "page_size=1"))
    large = count_queries(client, url)
    assert large == small


@pytest.mark.parametrize(
    ("url", "bound"),
    [
        ("/api/documents/?page_size=200", 9),
        ("/api/assignments/?page_size=200", 9),
        ("/api/assignments/?page_size=200&status=in_progress", 10),
        ("/api/bodies/?page_size=200", 6),
    ],
)
def test_list_queries_are_bounded(published, api_for, many, django_assert_max_num_queries, url, bound):
    client = api_for("monitor")
    client.get("/api/bodies/")
    with django_assert_max_num_queries(bound):
        rows = items(client.get(url))
    assert len(rows) == 200


def test_a_directives_tasks_reports_and_citing_documents_take_a_fixed_number_of_queries(
    published,
    api_for,
    many,
    django_assert_max_num_queries,
):
    client = api_for("monitor")
    client.get("/api/bodies/")
    assignment = many[0]
    # token, the caller's role (read by each scope it starts from), the territory tree, its bodies, the bodies
    # under those, the tasks issued there that reach outside them and the directives assigned to them
    # (directives.access), then the rows
    with django_assert_max_num_queries(11):
        detail = client.get(f"/api/documents/{published.pk}").json()
    assert len(detail["cited_by"]) == ROWS
    with django_assert_max_num_queries(10):
        assert len(items(client.get(f"/api/documents/{published.pk}/tasks"))) == 11
    for _ in range(30):
        ProgressReport.objects.create(
            assignment=assignment,
            text="Thêm",
            percent=50,
            state=ReportState.SENT,
            sent_on=date(2023, 5, 3),
            drafted_by=assignment.reports.first().drafted_by,
        )
    # the territory's bodies and the tasks they issued are read once, as lists of ids (directives.access)
    with django_assert_max_num_queries(9):
        assert len(items(client.get(f"/api/assignments/{assignment.pk}/reports"))) == 31
    task_id = published.tasks.get(position=9).pk
    with django_assert_max_num_queries(11):
        task = client.get(f"/api/tasks/{task_id}").json()
    assert len(task["assignments"]) > 2
