"""Progress reports through the API: the body's users draft, its leader approves, the monitor confirms or
returns; every other caller is refused (404 outside their scope, 403 for a wrong role); the services'
refusals are 400 with their message, or 409 when the report as it is does not allow the action."""

from __future__ import annotations

import pytest
from tests.api.conftest import ROLES, TODAY, assignment_of, items

from dondoc.directives.models import ProgressReport, ReportState
from dondoc.directives.services import approve_report, draft_report

DONE = {"text": "Đã đề xuất mô hình trưởng ban tuyên giáo", "percent": 100, "reports_done": True}


@pytest.fixture
def cu_jut(published):
    return assignment_of(published, "CJU.BTV")


@pytest.fixture
def drafted(cu_jut, users):
    return draft_report(
        assignment=cu_jut, text="Đã họp Ban Thường vụ", percent=30, reports_done=True, by=users["reporter"]
    )


@pytest.fixture
def sent(drafted, users):
    return approve_report(report=drafted, on=TODAY, by=users["leader"])


# creating: the body's reporter and leader; the other body's users do not see the assignment;
# other roles may not
CREATE = {
    "reporter": 201,
    "leader": 201,
    "other_reporter": 404,
    "other_leader": 404,
    "admin": 403,
    "monitor": 403,
    "reader": 403,
    "auditor": 403,
}
APPROVE = {
    "leader": 200,
    "other_leader": 404,
    "reporter": 403,
    "other_reporter": 403,
    "admin": 403,
    "monitor": 403,
    "reader": 403,
    "auditor": 403,
}
DECIDE = {
    "monitor": 200,
    "admin": 200,
    "reader": 403,
    "auditor": 403,
    "reporter": 403,
    "leader": 403,
    "other_reporter": 403,
    "other_leader": 403,
}


@pytest.mark.parametrize("role", ROLES)
def test_drafting_a_report(cu_jut, api_for, role):
    response = api_for(role).post(
        f"/api/assignments/{cu_jut.pk}/reports", DONE, content_type="application/json"
    )
    assert response.status_code == CREATE[role]
    if response.status_code == 201:
        report = response.json()
        assert report["state"] == "draft" and report["percent"] == 100 and report["drafted_by"] == role
    assert ProgressReport.objects.count() == (1 if CREATE[role] == 201 else 0)


@pytest.mark.parametrize("role", ROLES)
def test_approving_a_draft(drafted, api_for, role):
    response = api_for(role).post(f"/api/reports/{drafted.pk}/approve")
    assert response.status_code == APPROVE[role]
    drafted.refresh_from_db()
    assert drafted.state == (ReportState.SENT if APPROVE[role] == 200 else ReportState.DRAFT)


@pytest.mark.parametrize("role", ROLES)
def test_confirming_a_sent_report(sent, api_for, role):
    response = api_for(role).post(f"/api/reports/{sent.pk}/confirm")
    assert response.status_code == DECIDE[role]
    sent.refresh_from_db()
    assert sent.state == (ReportState.CONFIRMED if DECIDE[role] == 200 else ReportState.SENT)


@pytest.mark.parametrize("role", ROLES)
def test_returning_a_sent_report(sent, api_for, role):
    response = api_for(role).post(
        f"/api/reports/{sent.pk}/return", {"comment": "Bổ sung số liệu"}, content_type="application/json"
    )
    assert response.status_code == DECIDE[role]
    sent.refresh_from_db()
    assert sent.state == (ReportState.RETURNED if DECIDE[role] == 200 else ReportState.SENT)
    if DECIDE[role] == 200:
        assert response.json()["comment"] == "Bổ sung số liệu" and response.json()["decided_by"] == role


# reading: a draft stays inside the body (and the administrator's view);
# once sent, the monitor and reader see it
READ_DRAFT = {"reporter", "leader", "admin"}
READ_SENT = {"reporter", "leader", "admin", "monitor", "reader"}


@pytest.mark.parametrize("role", ROLES)
def test_reading_reports(drafted, api_for, role):
    client = api_for(role)
    listed = client.get(f"/api/assignments/{drafted.assignment_id}/reports")
    one = client.get(f"/api/reports/{drafted.pk}")
    if role in READ_DRAFT:
        assert [r["id"] for r in items(listed)] == [drafted.pk] and one.status_code == 200
    elif role in READ_SENT:
        assert items(listed) == [] and one.status_code == 404
    else:
        assert listed.status_code == 404 and one.status_code == 404
    approve_report(report=drafted, on=TODAY)
    expected = 200 if role in READ_SENT else 404
    assert client.get(f"/api/reports/{drafted.pk}").status_code == expected


def test_a_request_the_services_refuse_is_400_with_their_message_in_the_callers_language(
    cu_jut, sent, api_for
):
    english = {"HTTP_ACCEPT_LANGUAGE": "en"}
    blank = api_for("reporter").post(
        f"/api/assignments/{cu_jut.pk}/reports", {"text": "   "}, content_type="application/json", **english
    )
    assert blank.status_code == 400 and blank.json() == {"detail": "Say what was done."}
    no_reason = api_for("monitor").post(
        f"/api/reports/{sent.pk}/return", {"comment": "  "}, content_type="application/json", **english
    )
    assert no_reason.status_code == 400 and no_reason.json() == {"detail": "Say why the report is returned."}


def test_a_report_that_does_not_allow_the_action_is_a_409_conflict_with_the_services_message(
    cu_jut, sent, api_for
):
    english = {"HTTP_ACCEPT_LANGUAGE": "en"}
    again = api_for("leader").post(f"/api/reports/{sent.pk}/approve", **english)
    assert again.status_code == 409 and again.json() == {"detail": "Only a draft can be approved and sent."}
    unfinished = draft_report(assignment=cu_jut, text="Mới triển khai", percent=10)
    approve_report(report=unfinished, on=TODAY)
    refused = api_for("monitor").post(f"/api/reports/{unfinished.pk}/confirm", **english)
    assert refused.status_code == 409
    assert refused.json() == {"detail": "This report does not say the task is done."}
    monitor = api_for("monitor")
    assert monitor.post(f"/api/reports/{sent.pk}/confirm").status_code == 200
    # the monitor who comes second finds the report decided
    for action, payload in (("confirm", None), ("return", {"comment": "Bổ sung"})):
        late = monitor.post(
            f"/api/reports/{sent.pk}/{action}", payload, content_type="application/json", **english
        )
        assert late.status_code == 409 and late.json()["detail"].startswith("Only a sent report can be")
    sent.refresh_from_db()
    assert sent.state == ReportState.CONFIRMED


@pytest.mark.parametrize(
    "payload",
    [
        {"percent": 50},
        {"text": "x", "percent": 101},
        {"text": "x", "percent": -1},
        {"text": "x", "period_start": "15/5/2023"},
        # pydantic alone would read these as 1970-01-01 and 2023-05-10
        {"text": "x", "period_start": 0},
        {"text": "x", "period_end": "2023-05-10T00:00:00"},
    ],
)
def test_a_malformed_report_is_422_and_writes_nothing(cu_jut, api_for, payload):
    response = api_for("reporter").post(
        f"/api/assignments/{cu_jut.pk}/reports", payload, content_type="application/json"
    )
    assert response.status_code == 422 and ProgressReport.objects.count() == 0


def test_returning_needs_a_comment(sent, api_for):
    assert (
        api_for("monitor")
        .post(f"/api/reports/{sent.pk}/return", {}, content_type="application/json")
        .status_code
        == 422
    )
    assert (
        api_for("monitor")
        .post(f"/api/reports/{sent.pk}/return", {"comment": "  "}, content_type="application/json")
        .status_code
        == 400
    )


def test_a_report_on_a_task_without_an_end_covers_exactly_one_of_its_periods(published, api_for):
    """Task 2 of the seed letter is ongoing: it is reported quarter by quarter (Nghị định 09/2019: 15/3 to
    14/6 covers 10/5/2023), as on the assignment's page."""
    ongoing = assignment_of(published, "CJU.BTV", position=2)
    url = f"/api/assignments/{ongoing.pk}/reports"
    reporter = api_for("reporter")
    calendar_quarter = {"text": "x", "period_start": "2023-04-01", "period_end": "2023-06-30"}
    english = {"content_type": "application/json", "headers": {"accept-language": "en"}}
    refused = reporter.post(url, calendar_quarter, **english)
    assert refused.status_code == 400
    assert refused.json()["detail"].startswith("A report covers exactly one reporting period")
    half = reporter.post(url, {"text": "x", "period_start": "2023-03-15"}, **english)
    assert half.status_code == 400 and "or neither" in half.json()["detail"]
    assert ProgressReport.objects.count() == 0
    current = reporter.post(url, {"text": "Đã triển khai"}, content_type="application/json")
    assert current.status_code == 201
    assert (current.json()["period_start"], current.json()["period_end"]) == ("2023-03-15", "2023-06-14")
