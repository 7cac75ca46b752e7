"""The whole report flow through the API, as three programs would run it: Cư Jút's reporter drafts "done" on
task 9, its leader approves and sends it, the monitor confirms; the computed status follows each step."""

from __future__ import annotations

from datetime import date

from tests.api.conftest import assignment_of


def test_reporter_drafts_leader_approves_monitor_confirms_and_the_status_changes(
    published, api_for, settings
):
    assignment = assignment_of(published, "CJU.BTV")
    reporter, leader, monitor = api_for("reporter"), api_for("leader"), api_for("monitor")
    url = f"/api/assignments/{assignment.pk}"

    def status() -> str:
        return monitor.get(url).json()["status"]

    assert status() == "not_yet_due"
    drafted = reporter.post(
        f"{url}/reports",
        {"text": "Đã đề xuất mô hình trưởng ban tuyên giáo cấp ủy", "percent": 100, "reports_done": True},
        content_type="application/json",
    )
    assert drafted.status_code == 201
    report = drafted.json()["id"]
    assert status() == "not_yet_due"  # a draft has not left the body

    sent = leader.post(f"/api/reports/{report}/approve")
    assert (
        sent.status_code == 200 and sent.json()["state"] == "sent" and sent.json()["sent_on"] == "2023-05-10"
    )
    assert sent.json()["approved_by"] == "leader"
    assert status() == "in_progress"

    confirmed = monitor.post(f"/api/reports/{report}/confirm")
    assert confirmed.status_code == 200 and confirmed.json()["state"] == "confirmed"
    assert confirmed.json()["decided_by"] == "monitor"
    assert status() == "done_on_time"
    assert reporter.get(url).json()["status"] == "done_on_time"  # the body sees it too
    listed = monitor.get(f"/api/assignments/?status=done_on_time&organization={assignment.organization_id}")
    assert [row["id"] for row in listed.json()["items"]] == [assignment.pk]

    settings.DONDOC_TODAY = date(2023, 6, 1)  # past the deadline, it stays done on time
    assert status() == "done_on_time"


def test_a_returned_report_leaves_the_task_open_and_a_new_one_can_be_sent(published, api_for, settings):
    assignment = assignment_of(published, "CJU.BTV")
    reporter, leader, monitor = api_for("reporter"), api_for("leader"), api_for("monitor")
    url = f"/api/assignments/{assignment.pk}"
    first = reporter.post(
        f"{url}/reports", {"text": "Xong", "reports_done": True}, content_type="application/json"
    ).json()["id"]
    leader.post(f"/api/reports/{first}/approve")
    returned = monitor.post(
        f"/api/reports/{first}/return", {"comment": "Thiếu đánh giá hạn chế"}, content_type="application/json"
    )
    assert returned.status_code == 200 and returned.json()["state"] == "returned"
    assert monitor.get(url).json()["status"] == "not_yet_due"  # a returned report does not count as sent
    settings.DONDOC_TODAY = date(2023, 5, 20)
    assert monitor.get(url).json()["status"] == "overdue"
    second = reporter.post(
        f"{url}/reports", {"text": "Đã bổ sung", "reports_done": True}, content_type="application/json"
    ).json()["id"]
    leader.post(f"/api/reports/{second}/approve")
    monitor.post(f"/api/reports/{second}/confirm")
    assert monitor.get(url).json()["status"] == "done_late"
    states = [r["state"] for r in reporter.get(f"{url}/reports").json()["items"]]
    assert states == ["confirmed", "returned"]
