"""The change log and each object's history: who changed what and when, before → after; who may read which."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from typing import Any

import pytest
from django.db import connection
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from pytest_django import DjangoAssertNumQueries
from simple_history.models import HistoricalRecords

from dondoc.accounts.models import User
from dondoc.directives.models import Assignment, Directive, ProgressReport
from dondoc.directives.services import approve_report, draft_report, update_draft

pytestmark = pytest.mark.django_db
TODAY = date(2023, 5, 10)


@pytest.fixture(autouse=True)
def fixed_today(settings: Any) -> None:
    settings.DONDOC_TODAY = TODAY


@contextmanager
def acting_as(user: User) -> Iterator[None]:
    """What simple_history's HistoryRequestMiddleware does for a page: the request's user signs the
    changes."""
    request = RequestFactory().get("/")
    request.user = user
    HistoricalRecords.context.request = request  # type: ignore[attr-defined]
    try:
        yield
    finally:
        del HistoricalRecords.context.request  # type: ignore[attr-defined]


def page(client: Client, url: str, status: int = 200, language: str = "vi") -> str:
    response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == status, (url, response.status_code)
    return response.content.decode()


def rows(html: str) -> list[str]:
    return html.split('id="history"')[1].split("<tr data-kind=")[1:] if 'id="history"' in html else []


def cju_assignment(published: Directive) -> Assignment:
    return Assignment.objects.get(task__directive=published, task__position=9, organization__code="CJU.BTV")


def sent_report(published: Directive, users: dict[str, User]) -> ProgressReport:
    assignment = cju_assignment(published)
    with acting_as(users["reporter"]):
        report = draft_report(assignment=assignment, text="Đã rà soát xong", percent=40, by=users["reporter"])
    with acting_as(users["leader"]):
        return approve_report(report=report, on=TODAY, by=users["leader"])


def test_a_report_history_shows_who_changed_what_before_and_after(
    client_for: Callable[[str], Client], published: Directive, users: dict[str, User]
) -> None:
    report = sent_report(published, users)
    # the body's leader: its draft is its own (others' history starts when it is sent: test_history_scope)
    html = page(client_for("leader"), f"/directives/history/progressreport/{report.pk}/", language="en")
    changed, created = rows(html)  # newest first
    assert 'data-action="~"' in changed and ">leader<" in changed
    state = changed.split('data-field="state"')[1].split("</li>")[0]
    assert "<del>drafted by the reporter</del> → <ins>approved by the leader and sent</ins>" in state
    assert "<ins>leader</ins>" in changed.split('data-field="approved_by"')[1]
    assert "<ins>10/05/2023</ins>" in changed.split('data-field="sent_on"')[1]
    assert 'data-action="+"' in created and ">reporter<" in created and "Đã rà soát xong" in created


def test_a_draft_edit_shows_the_subject_before_and_after(
    client_for: Callable[[str], Client], draft: Directive, users: dict[str, User]
) -> None:
    with acting_as(users["monitor"]):
        update_draft(
            directive=draft,
            expected_version=draft.version,
            issuer_text=draft.issuer_text,
            number=draft.number,
            type_code=draft.type_code,
            issued_on=draft.issued_on,
            subject="về tổ chức bộ máy",
            addressee_phrases=draft.addressee_phrases,
        )
    html = page(client_for("monitor"), f"/directives/history/directive/{draft.pk}/")
    edit = rows(html)[0]
    assert ">monitor<" in edit
    assert f"<del>{draft.subject}</del> → <ins>về tổ chức bộ máy</ins>" in edit


def test_who_reads_an_object_history(
    client_for: Callable[[str], Client], published: Directive, users: dict[str, User]
) -> None:
    report = sent_report(published, users)
    assignment = report.assignment
    urls = {
        "report": f"/directives/history/progressreport/{report.pk}/",
        "assignment": f"/directives/history/assignment/{assignment.pk}/",
        "directive": f"/directives/history/directive/{published.pk}/",
        "task": f"/directives/history/task/{assignment.task_id}/",
    }
    for name in ("reporter", "leader", "auditor", "monitor", "admin", "reader"):
        for url in urls.values():
            page(client_for(name), url)
    for name in ("other_reporter", "other_leader"):  # another body: its directive yes, our assignment no
        page(client_for(name), urls["directive"])
        page(client_for(name), urls["report"], 404)
        page(client_for(name), urls["assignment"], 404)
    page(client_for("auditor"), "/directives/history/user/1/", 404)  # not a kind of object with a history
    page(client_for("auditor"), "/directives/history/directive/999999/", 404)


def test_a_draft_report_history_stays_in_its_body(
    client_for: Callable[[str], Client], published: Directive, users: dict[str, User]
) -> None:
    with acting_as(users["reporter"]):
        report = draft_report(assignment=cju_assignment(published), text="Bản nháp", percent=10)
    page(client_for("leader"), f"/directives/history/progressreport/{report.pk}/")
    for name in ("reader", "monitor", "auditor"):
        page(client_for(name), f"/directives/history/progressreport/{report.pk}/", 404)


def test_the_change_log_is_for_auditors_monitors_and_administrators(
    client_for: Callable[[str], Client], published: Directive
) -> None:
    for name in ("auditor", "monitor", "admin"):
        page(client_for(name), "/directives/history/")
    for name in ("reader", "reporter", "leader"):
        page(client_for(name), "/directives/history/", 403)


def test_the_change_log_newest_first_with_filters(
    client_for: Callable[[str], Client], published: Directive, users: dict[str, User]
) -> None:
    report = sent_report(published, users)
    auditor = client_for("auditor")
    html = page(auditor, "/directives/history/")
    first = rows(html)[0]
    assert first.startswith('"progressreport"') and f'data-object="{report.pk}"' in first
    assert 'data-action="~"' in first and 'data-field="state"' in first
    assert f'href="/directives/history/progressreport/{report.pk}/"' in first
    by_leader = rows(page(auditor, f"/directives/history/?user={users['leader'].pk}"))
    assert len(by_leader) == 1 and ">leader<" in by_leader[0]
    reports = rows(page(auditor, "/directives/history/?kind=progressreport"))
    # the report sent: its draft, before, is its body's alone
    assert len(reports) == 1 and all(r.startswith('"progressreport"') for r in reports)
    bodies = rows(page(auditor, "/directives/history/?kind=organization"))
    assert bodies and all(r.startswith('"organization"') for r in bodies)
    today = timezone.localdate()
    assert rows(page(auditor, f"/directives/history/?since={today + timedelta(days=1):%Y-%m-%d}")) == []
    assert (
        len(
            rows(
                page(
                    auditor,
                    f"/directives/history/?kind=directive&since={today:%Y-%m-%d}&until={today:%Y-%m-%d}",
                )
            )
        )
        == 2
    )
    page(auditor, "/directives/history/?since=yesterday&kind=nonsense")  # messages, not an error


def test_the_change_log_pages_in_a_fixed_number_of_queries(
    client_for: Callable[[str], Client],
    published: Directive,
    users: dict[str, User],
    django_assert_max_num_queries: DjangoAssertNumQueries,
) -> None:
    auditor = client_for("auditor")
    html = page(auditor, "/directives/history/")
    total = int(re.findall(r'data-total="(\d+)"', html)[0])
    assert len(rows(html)) == 50 and total > 500  # registry bodies, the letter, its tasks and assignments
    last = -(-total // 50)
    with CaptureQueriesContext(connection) as first_page:
        page(auditor, "/directives/history/")
    sent_report(published, users)
    with CaptureQueriesContext(connection) as later:
        page(auditor, "/directives/history/?page=2")
    assert len(later) <= len(first_page) + 2  # a page may hold one more kind of object
    with django_assert_max_num_queries(40):
        page(auditor, f"/directives/history/?page={last}")
    with django_assert_max_num_queries(20):
        page(auditor, f"/directives/history/assignment/{cju_assignment(published).pk}/")


def test_a_reorganisation_and_what_it_moves_are_in_the_change_log_of_those_who_look_after_the_bodies(
    users: dict[str, User], client_for: Callable[[str], Client]
) -> None:
    from dondoc.accounts.models import Role
    from dondoc.accounts.services import create_member
    from dondoc.registry.models import (
        Appointment,
        Jurisdiction,
        Organization,
        Person,
        Post,
        ReorganizationKind,
    )
    from dondoc.registry.reorganization import commit_reorganization, plan_reorganization

    board = Organization.objects.get(code="CJU.BTV")
    head = Post.objects.create(organization=board, title="Bí thư", kind="head", valid_from=date(2020, 1, 1))
    Appointment.objects.create(person=Person.objects.create(full_name="Người Thử"), post=head)
    plan = plan_reorganization(
        kind=ReorganizationKind.ABSORB,
        originals=[board],
        absorber=Organization.objects.get(code="CJU.HU"),
        effective_on=date(2025, 7, 1),
        decision="Quyết định số 99-QĐ/TU",
    )
    with acting_as(users["monitor"]):
        commit_reorganization(plan=plan, fingerprint=plan.fingerprint)
    auditor, monitor = client_for("auditor"), client_for("monitor")
    for kind, expected in (
        ("reorganization", "99-QĐ/TU"),
        ("post", "Bí thư, Huyện ủy Cư Jút"),
        ("appointment", "Người Thử: Bí thư"),
    ):
        assert expected in " ".join(rows(page(auditor, f"/directives/history/?kind={kind}"))), kind
        assert expected in " ".join(rows(page(monitor, f"/directives/history/?kind={kind}"))), kind
    elsewhere = create_member(
        username="dak_song_monitor",
        password="mat-khau-thu-nghiem",
        role=Role.MONITOR,
        organization=Organization.objects.get(code="DSO.BTV"),
        jurisdiction=Jurisdiction.objects.get(code="DSO"),
    )
    other = Client()
    other.force_login(elsewhere)
    assert "99-QĐ/TU" not in " ".join(rows(page(other, "/directives/history/?kind=reorganization")))
    assert "Người Thử" not in " ".join(rows(page(other, "/directives/history/?kind=appointment")))


def test_the_change_log_merges_its_kinds_newest_first_and_counts_up_to_a_bound(
    published: Directive, users: dict[str, User], monkeypatch: pytest.MonkeyPatch, client_for
) -> None:
    """Each kind's newest records, merged, are the page a sort of every record would give, at any offset;
    past history.COUNTED the log says "more than" rather than count everything."""
    from dondoc.core import history

    sent_report(published, users)
    kinds = list(history.history_kinds())
    every = sorted(
        (
            (when, history_id, kind)
            for kind, model in history.history_kinds().items()
            for when, history_id in model.history.values_list("history_date", "history_id")
        ),
        reverse=True,
    )
    assert len({kind for _when, _id, kind in every[:200]}) > 1
    for offset in (0, 37, 150):
        entries, total = history.change_log(kinds=kinds, offset=offset, limit=25)
        assert [(entry.kind, entry.history_id) for entry in entries] == [
            (kind, history_id) for _when, history_id, kind in every[offset : offset + 25]
        ]
        assert total == len(every)
    monkeypatch.setattr(history, "COUNTED", 100)
    monkeypatch.setattr("dondoc.directives.selectors.LOG_COUNTED", 100)
    assert history.change_log(kinds=kinds, limit=25)[1] == 101
    html = page(client_for("auditor"), "/directives/history/?page=3", language="en")
    assert "more than 100 changes: narrow them with the filters" in html and len(rows(html)) == 50


def test_the_change_logs_user_is_picked_by_searching_not_listed(
    client_for: Callable[[str], Client], published: Directive, users: dict[str, User]
) -> None:
    sent_report(published, users)
    auditor = client_for("auditor")
    html = page(auditor, "/directives/history/")
    assert '<select name="user"' not in html and f'value="{users["leader"].pk}"' not in html
    found = page(auditor, "/directives/pick/user/?q=LEAD&name=user")
    assert f'name="user" value="{users["leader"].pk}"' in found and ">leader" in found
    assert "reporter" not in found
    assert page(auditor, "/directives/pick/user/?q=l&name=user").count('type="radio"') == 0  # two letters
    picked = page(auditor, f"/directives/history/?user={users['leader'].pk}")
    assert len(rows(picked)) == 1 and 'id="id_user-chosen"' in picked and ">leader" in picked
