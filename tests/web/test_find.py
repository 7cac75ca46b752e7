"""The directive list, a directive's task × body page, search and the citation trail: what each role sees, the
counts, diacritics-blind search, and query counts that do not grow with the data."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from datetime import date
from typing import Any
from urllib.parse import quote

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from pytest_django import DjangoAssertNumQueries

from dondoc.accounts.models import User
from dondoc.directives.models import Assignment, AssignmentRole, Directive
from dondoc.directives.selectors import assignment_statuses
from dondoc.directives.services import create_draft, publish_directive
from dondoc.parsing import parse_text
from dondoc.registry.models import Organization
from dondoc.text import fold

pytestmark = pytest.mark.django_db
TODAY = date(2023, 7, 10)  # task 1 (due end of May 2023) is overdue, tasks without an end are not

# Kết luận 50-KL/TW, as far as the trail needs it: its number, date, issuer, and the resolution it cites
KL50 = """BAN CHẤP HÀNH TRUNG ƯƠNG
BỘ CHÍNH TRỊ
*
Số 50-KL/TW

ĐẢNG CỘNG SẢN VIỆT NAM

Hà Nội, ngày 28 tháng 02 năm 2023

KẾT LUẬN
CỦA BỘ CHÍNH TRỊ
về tiếp tục đổi mới, sắp xếp tổ chức bộ máy của hệ thống chính trị

Triển khai thực hiện Nghị quyết số 18-NQ/TW, ngày 25/10/2017 của Ban Chấp hành Trung ương Đảng khóa XII, \
Bộ Chính trị yêu cầu các cấp ủy thực hiện tốt một số nhiệm vụ sau đây:

1. Tiếp tục đổi mới, sắp xếp bộ máy của hệ thống chính trị tinh gọn (thực hiện thường xuyên).

T/M BỘ CHÍNH TRỊ
Võ Văn Thưởng
"""


def import_kl50(*, publish: bool) -> Directive:
    directive = create_draft(parsed=parse_text(KL50), source_text=KL50, file_sha256="a" * 64)
    if publish:  # it names no body: published, it assigns nothing and stays a document held for reference
        publish_directive(directive=directive, decisions={})
        directive.refresh_from_db()
    return directive


@pytest.fixture(autouse=True)
def fixed_today(settings: Any) -> None:
    settings.DONDOC_TODAY = TODAY


def page(client: Client, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    return response.content.decode()


def data(html: str, name: str) -> list[str]:
    return re.findall(rf'data-{name}="([^"]*)"', html)


# --- the list ---


def test_monitor_lists_drafts_and_published_with_their_counts(
    client_for: Callable[[str], Client], published: Directive
) -> None:
    kl50 = import_kl50(publish=False)
    html = page(client_for("monitor"), "/directives/")
    assert set(data(html, "directive")) == {str(published.pk), str(kl50.pk)}
    row = html.split(f'data-directive="{published.pk}"')[1].split("</tr>")[0]
    assignments = Assignment.objects.filter(task__directive=published)
    statuses = assignment_statuses(assignments=assignments, today=TODAY)
    assert re.search(r'data-count="tasks">11<', row)
    assert re.search(rf'data-count="assignments">{assignments.count()}<', row)
    overdue = sum(1 for status in statuses.values() if status == "overdue")
    assert overdue > 0
    assert f">{overdue}</span>" in row


def test_reader_lists_published_only(client_for: Callable[[str], Client], published: Directive) -> None:
    kl50 = import_kl50(publish=False)
    html = page(client_for("reader"), "/directives/")
    assert data(html, "directive") == [str(published.pk)]
    page(client_for("reader"), f"/directives/{kl50.pk}/", 404)


def test_a_unit_lists_the_directives_with_its_assignments(
    client_for: Callable[[str], Client], published: Directive, users: dict[str, User]
) -> None:
    assert data(page(client_for("reporter"), "/directives/"), "directive") == [str(published.pk)]
    from dondoc.accounts.models import Role
    from dondoc.accounts.services import create_member

    unassigned = (
        Organization.objects.exclude(assignments__isnull=False).filter(jurisdiction__isnull=False).first()
    )
    assert unassigned is not None
    create_member(username="idle", password="x" * 12, role=Role.UNIT_REPORTER, organization=unassigned)
    client = Client()
    client.force_login(User.objects.get(username="idle"))
    assert data(page(client, "/directives/"), "directive") == []
    page(client, f"/directives/{published.pk}/", 404)


def test_the_auditor_reads_the_change_log_not_the_directives(
    client_for: Callable[[str], Client], published: Directive
) -> None:
    auditor = client_for("auditor")
    for url in (
        "/directives/",
        f"/directives/{published.pk}/",
        "/directives/search/?q=to+chuc",
        "/directives/cited/?number=18-NQ/TW",
    ):
        page(auditor, url, 403)
    assert Client().get("/directives/").status_code == 302  # anonymous: to the log-in page


def test_list_filters(client_for: Callable[[str], Client], published: Directive) -> None:
    kl50 = import_kl50(publish=False)
    monitor = client_for("monitor")
    assert data(page(monitor, "/directives/?q=1317"), "directive") == [str(published.pk)]
    assert data(page(monitor, "/directives/?q=TO+CHUC+BO+MAY"), "directive") == [str(kl50.pk)]
    assert data(page(monitor, "/directives/?state=draft"), "directive") == [str(kl50.pk)]
    not_offered = page(monitor, "/directives/?year=2017")  # not a year offered: said, and the filter ignored
    assert 'role="alert"' in not_offered and len(data(not_offered, "directive")) == 2
    assert set(data(page(monitor, "/directives/?year=2023"), "directive")) == {
        str(published.pk),
        str(kl50.pk),
    }
    by_issuer = page(monitor, "/directives/?issuer=" + quote(published.issuer_text))
    assert data(by_issuer, "directive") == [str(published.pk)]
    # typed as anyone types it: part of it, lower case, without diacritics
    assert published.issuer_text == "TỈNH ỦY ĐẮK NÔNG"
    assert data(page(monitor, "/directives/?issuer=tinh+uy+dak"), "directive") == [str(published.pk)]
    assert data(page(monitor, "/directives/?issuer=tỉnh+ủy"), "directive") == [str(published.pk)]
    other = fold(kl50.issuer_text)
    assert other and "tinh uy" not in other
    assert data(page(monitor, "/directives/?issuer=" + quote(other.upper())), "directive") == [str(kl50.pk)]
    assert data(page(monitor, "/directives/?issuer=uy+ban+nhan+dan"), "directive") == []
    page(monitor, "/directives/?page=abc")  # bad input: the first page, no error


def test_the_year_filter_offers_the_years_from_the_latest_to_the_earliest(
    client_for: Callable[[str], Client], published: Directive
) -> None:
    monitor = client_for("monitor")

    def offered() -> list[str]:
        select = page(monitor, "/directives/").split('name="year"')[1].split("</select>")[0]
        return re.findall(r'<option value="(\d+)"', select)

    assert offered() == [str(published.issued_on.year)] == ["2023"]
    kl50 = import_kl50(publish=False)
    Directive.objects.filter(pk=kl50.pk).update(issued_on=date(2020, 3, 1))
    assert offered() == ["2023", "2022", "2021", "2020"]  # a year between with none issued lists nothing
    assert data(page(monitor, "/directives/?year=2021"), "directive") == []
    assert data(page(monitor, "/directives/?year=2020"), "directive") == [str(kl50.pk)]
    Directive.objects.filter(pk=kl50.pk).update(issued_on=date(2024, 1, 5))  # the years follow the newest too
    assert offered() == ["2024", "2023"]


def test_list_queries_do_not_grow_with_directives(
    client_for: Callable[[str], Client],
    published: Directive,
    django_assert_max_num_queries: DjangoAssertNumQueries,
) -> None:
    monitor = client_for("monitor")
    with CaptureQueriesContext(connection) as one:
        page(monitor, "/directives/")
    import_kl50(publish=True)
    with CaptureQueriesContext(connection) as two:
        page(monitor, "/directives/")
    assert len(one) == len(two)
    with django_assert_max_num_queries(20):
        page(monitor, "/directives/")


# --- one directive ---


def test_a_draft_goes_to_its_review(client_for: Callable[[str], Client], draft: Directive) -> None:
    response = client_for("monitor").get(f"/directives/{draft.pk}/")
    assert response.status_code == 302 and response["Location"] == f"/directives/{draft.pk}/review/"
    page(client_for("reader"), f"/directives/{draft.pk}/", 404)
    page(client_for("reporter"), f"/directives/{draft.pk}/", 404)
    page(client_for("monitor"), "/directives/999999/", 404)


def test_header_and_signer(client_for: Callable[[str], Client], published: Directive) -> None:
    html = page(client_for("reader"), f"/directives/{published.pk}/")
    assert "1317-CV/TU" in html and "17/04/2023" in html and "TỈNH ỦY ĐẮK NÔNG" in html
    assert "Ngô Thanh Danh" in html.split('id="signer"')[1].split("</dd>")[0]
    assert f'href="/directives/history/directive/{published.pk}/"' in html


def test_task_by_body_page_counts(client_for: Callable[[str], Client], published: Directive) -> None:
    html = page(client_for("monitor"), f"/directives/{published.pk}/")
    assignments = Assignment.objects.filter(task__directive=published)
    bodies = set(assignments.values_list("organization_id", flat=True))
    assert sorted(map(int, data(html, "body"))) == sorted(bodies)  # one row per body
    statuses = assignment_statuses(assignments=assignments, today=TODAY)
    per_task = Counter(assignments.values_list("task_id", flat=True))
    tasks = list(published.tasks.order_by("position"))
    totals = [int(n) for n in data(html, "total")]
    assert totals == [per_task[task.pk] for task in tasks]
    # each task's summary: counts by status that add up to its assignments
    expected = Counter((task_id, statuses[i]) for i, task_id in assignments.values_list("id", "task_id"))
    for task in tasks:
        summary = html.split(f'id="task-{task.pk}"')[1].split("</li>")[0]
        shown = dict(re.findall(r'data-status="(\w+)" data-count="(\d+)"', summary))
        assert shown == {str(status): str(n) for (t, status), n in expected.items() if t == task.pk}
    # each cell: the role's letter and the status's class
    grid = html.split('id="task-body"')[1]
    lead = assignments.filter(role=AssignmentRole.LEAD).first()
    assert lead is not None
    assert f'<td class="s-{statuses[lead.pk]}"><a href="/directives/assignments/{lead.pk}/"' in grid
    assert grid.count("<td class=") == assignments.count()


def test_task_by_body_filters(client_for: Callable[[str], Client], published: Directive) -> None:
    monitor = client_for("monitor")
    cu_jut = Organization.objects.get(code="CJU.BTV")
    by_name = page(monitor, f"/directives/{published.pk}/?body=CU+JUT")
    assert str(cu_jut.pk) in data(by_name, "body")
    for body_id in data(by_name, "body"):
        assert "cu jut" in Organization.objects.get(pk=body_id).folded_name
    overdue = page(monitor, f"/directives/{published.pk}/?status=overdue")
    grid = overdue.split('id="task-body"')[1]
    rows = grid.split("<tr data-body=")[1:]
    assert rows and all('class="s-overdue"' in row for row in rows)
    page(monitor, f"/directives/{published.pk}/?status=nonsense")  # ignored, with the field's message


def test_a_unit_sees_its_own_row_only(client_for: Callable[[str], Client], published: Directive) -> None:
    html = page(client_for("reporter"), f"/directives/{published.pk}/")
    assert data(html, "body") == [str(Organization.objects.get(code="CJU.BTV").pk)]
    other = Organization.objects.get(code="DSO.BTV")
    assert f'data-body="{other.pk}"' not in html
    assert (
        sum(int(n) for n in data(html, "total"))
        == Assignment.objects.filter(task__directive=published, organization__code="CJU.BTV").count()
    )


def test_task_by_body_page_queries_do_not_grow_with_bodies(
    client_for: Callable[[str], Client], published: Directive
) -> None:
    monitor = client_for("monitor")
    url = f"/directives/{published.pk}/"
    with CaptureQueriesContext(connection) as few:
        page(monitor, url)
    assigned = set(
        Assignment.objects.filter(task__directive=published).values_list("organization_id", flat=True)
    )
    more = Organization.objects.exclude(pk__in=assigned).order_by("pk")[: 300 - len(assigned)]
    Assignment.objects.bulk_create(
        [
            Assignment(task=task, organization=body, role=AssignmentRole.COORDINATING, due=task.due)
            for task in published.tasks.all()
            for body in more
        ]
    )
    with CaptureQueriesContext(connection) as many:
        html = page(monitor, url)
    assert len(set(data(html, "body"))) >= 250
    assert len(few) == len(many), [q["sql"][:120] for q in many.captured_queries]
    assert len(many) <= 20


# --- search ---


@pytest.mark.parametrize("query", ["to chuc", "TO CHUC", "Tổ chức", "tổ CHỨC"])
def test_search_ignores_case_and_diacritics(
    client_for: Callable[[str], Client], published: Directive, query: str
) -> None:
    kl50 = import_kl50(publish=True)
    html = page(client_for("monitor"), "/directives/search/?q=" + quote(query))
    documents = html.split('id="documents"')[1].split("</ul>")[0]
    assert f'href="/directives/{kl50.pk}/"' in documents  # "tổ chức bộ máy" in its subject
    task_ids = {int(t) for t in data(html.split('id="task-results"')[1], "task")}
    expected = {task.pk for task in published.tasks.all() if "tổ chức" in task.text.lower()}
    assert expected and expected <= task_ids
    bodies = html.split('id="bodies"')[1].split("</ul>")[0]
    assert "Ban Tổ chức Tỉnh ủy" in bodies


def test_search_finds_a_body_by_its_name_or_an_alias_and_names_the_alias(
    client_for: Callable[[str], Client], published: Directive
) -> None:
    from dondoc.registry.models import OrganizationAlias

    snv = Organization.objects.get(code="DNO.SNV")
    OrganizationAlias.objects.create(organization=snv, text="Sở Tổ chức chính quyền")
    monitor = client_for("monitor")
    bodies = page(monitor, "/directives/search/?q=to+chuc+chinh+quyen").split('id="bodies"')[1]
    assert snv.name in bodies.split("</ul>")[0] and "Sở Tổ chức chính quyền" in bodies
    by_name = page(monitor, "/directives/search/?q=" + quote(snv.name)).split('id="bodies"')[1]
    assert snv.name in by_name.split("</ul>")[0]


def test_search_is_scoped_to_what_the_user_sees(
    client_for: Callable[[str], Client], published: Directive
) -> None:
    draft = import_kl50(publish=False)
    reader = page(client_for("reader"), "/directives/search/?q=to+chuc")
    assert f'href="/directives/{draft.pk}/"' not in reader  # a draft: not for readers
    assert f'href="/directives/{draft.pk}/"' in page(client_for("monitor"), "/directives/search/?q=to+chuc")
    # a unit counts only its own assignments, and cannot filter by another body
    reporter = client_for("reporter")
    mine = page(reporter, "/directives/search/?q=to+chuc")
    counts = [int(n) for n in data(mine.split('id="task-results"')[1], "count")]
    assert counts and all(n == 1 for n in counts)
    other = Organization.objects.get(code="DSO.BTV")
    filtered = page(reporter, f"/directives/search/?body={other.pk}")
    assert 'id="task-results"' not in filtered and 'role="alert"' in filtered
    # bodies: within the unit's own territory (Cư Jút district)
    bodies = page(reporter, "/directives/search/?q=ban+thuong+vu")
    assert "Đắk Song" not in bodies.split('id="bodies"')[1].split("</ul>")[0]


def test_search_filters_on_tasks(client_for: Callable[[str], Client], published: Directive) -> None:
    monitor = client_for("monitor")
    overdue = page(monitor, "/directives/search/?status=overdue")
    tasks = data(overdue.split('id="task-results"')[1], "task")
    assignments = Assignment.objects.filter(task__directive=published)
    statuses = assignment_statuses(assignments=assignments, today=TODAY)
    late = {task_id for i, task_id in assignments.values_list("id", "task_id") if statuses[i] == "overdue"}
    assert late and sorted(map(int, tasks)) == sorted(late)
    first = published.tasks.get(position=1)
    assert first.due is not None and first.pk in late
    # task 9 is due on 14/05/2023, task 1 at the end of May
    in_may = page(monitor, "/directives/search/?due_from=2023-05-15&due_to=2023-05-31")
    assert data(in_may.split('id="task-results"')[1], "task") == [str(first.pk)]
    backwards = page(monitor, "/directives/search/?due_from=2023-06-01&due_to=2023-05-01")
    assert 'role="alert"' in backwards and 'id="task-results"' not in backwards
    cu_jut = Organization.objects.get(code="CJU.BTV")
    body = page(monitor, f"/directives/search/?body={cu_jut.pk}&directive={published.pk}")
    expected = Assignment.objects.filter(organization=cu_jut, task__directive=published).values_list(
        "task_id", flat=True
    )
    assert sorted(map(int, data(body.split('id="task-results"')[1], "task"))) == sorted(expected)
    page(monitor, "/directives/search/?due_from=not-a-date")  # a message, not an error


def test_search_queries_bounded(
    client_for: Callable[[str], Client],
    published: Directive,
    django_assert_max_num_queries: DjangoAssertNumQueries,
) -> None:
    monitor = client_for("monitor")
    with django_assert_max_num_queries(25):
        page(monitor, "/directives/search/?q=to+chuc&status=no_deadline")
    with CaptureQueriesContext(connection) as before:
        page(monitor, "/directives/search/?q=to+chuc")
    import_kl50(publish=True)
    with CaptureQueriesContext(connection) as after:
        page(monitor, "/directives/search/?q=to+chuc")
    assert len(before) == len(after)


# --- the citation trail ---


def cited(client: Client, number: str) -> str:
    return page(client, "/directives/cited/?number=" + quote(number, safe=""))


def test_trail_through_documents_known_only_by_number(
    client_for: Callable[[str], Client], published: Directive
) -> None:
    monitor = client_for("monitor")
    detail = page(monitor, f"/directives/{published.pk}/")
    cites = detail.split('id="cites"')[1].split("</ul>")[0]
    assert 'href="/directives/cited/?number=50-KL%2FTW"' in cites
    assert 'href="/directives/cited/?number=18-NQ%2FTW"' in cites
    for number in ("50-KL/TW", "18-NQ/TW"):
        html = cited(monitor, number)
        assert 'id="not-held"' in html
        assert f'href="/directives/{published.pk}/"' in html.split('id="citing"')[1]
    assert "Bộ Chính trị" in cited(
        monitor, "50-kl/tw"
    )  # as cited: its issuer; the number's case does not matter


def test_trail_seed_to_50_kl_to_18_nq_both_ways(
    client_for: Callable[[str], Client], published: Directive
) -> None:
    kl50 = import_kl50(publish=True)
    for name in ("monitor", "reader", "admin"):
        client = client_for(name)
        # forward: the letter → Kết luận 50-KL/TW (held) → Nghị quyết 18-NQ/TW (known by its number)
        letter = page(client, f"/directives/{published.pk}/")
        assert f'href="/directives/{kl50.pk}/"' in letter.split('id="cites"')[1].split("</ul>")[0]
        conclusion = page(client, f"/directives/{kl50.pk}/")
        assert (
            'href="/directives/cited/?number=18-NQ%2FTW"'
            in conclusion.split('id="cites"')[1].split("</ul>")[0]
        )
        # backward: 18-NQ/TW ← 50-KL/TW and the letter; 50-KL/TW ← the letter
        resolution = cited(client, "18-NQ/TW")
        citing = resolution.split('id="citing"')[1]
        assert f'href="/directives/{kl50.pk}/"' in citing and f'href="/directives/{published.pk}/"' in citing
        assert f'href="/directives/{published.pk}/"' in conclusion.split('id="citing"')[1].split("</ul>")[0]
        held = cited(client, "50-KL/TW")
        assert f'data-directive="{kl50.pk}"' in held  # held: what it cites is shown too
        assert 'href="/directives/cited/?number=18-NQ%2FTW"' in held.split('id="citing"')[0]


def test_trail_without_a_number_asks_for_one(
    client_for: Callable[[str], Client], published: Directive
) -> None:
    asked = page(client_for("monitor"), "/directives/cited/", 200)
    assert 'name="number"' in asked and 'id="citing"' not in asked
    assert 'id="not-held"' in cited(client_for("monitor"), "99-XX/YY")
