"""The assignment page: the reporter reports on task 9, the leader approves, the monitor confirms or returns;
new deadlines; attached files; notices; and nobody outside the body sees or does anything."""

from datetime import date
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import NoReverseMatch, reverse

from dondoc.core.models import Notification
from dondoc.directives.models import (
    Assignment,
    Attachment,
    DeadlineExtension,
    ExtensionState,
    ProgressReport,
    ReportState,
)
from dondoc.directives.services import approve_report, draft_report

PNG = b"\x89PNG\r\n\x1a\n" + bytes(64)


@pytest.fixture(autouse=True)
def upload_dir(settings, tmp_path):
    settings.UPLOAD_DIR = tmp_path / "uploads"
    settings.DONDOC_TODAY = date(2023, 5, 10)
    return Path(settings.UPLOAD_DIR)


@pytest.fixture
def task_9(published) -> Assignment:
    return Assignment.objects.get(task__directive=published, task__label="9", organization__code="CJU.BTV")


def page_url(assignment: Assignment) -> str:
    return reverse("directives:assignment", args=[assignment.pk])


def status_of(client, assignment: Assignment) -> str:
    page = client.get(page_url(assignment))
    assert page.status_code == 200
    return page.context["situation"].status.value


def report_on(client, assignment: Assignment, **fields) -> object:
    data = {"text": "Đã rà soát, đề xuất mô hình", "percent": "40", **fields}
    return client.post(reverse("directives:draft_report", args=[assignment.pk]), data)


def stored_files(upload_dir: Path) -> list[Path]:
    return [path for path in upload_dir.rglob("*") if path.is_file()] if upload_dir.exists() else []


def sent_report(task_9: Assignment, users, *, done: bool = False) -> ProgressReport:
    report = draft_report(
        assignment=task_9,
        text="Hoàn thành đề xuất",
        percent=100 if done else 50,
        reports_done=done,
        by=users["reporter"],
    )
    return approve_report(report=report, on=date(2023, 5, 10), by=users["leader"])


def test_reporter_drafts_leader_approves_monitor_confirms_and_the_status_moves(task_9, users, client_for):
    reporter, leader, monitor = client_for("reporter"), client_for("leader"), client_for("monitor")
    assert status_of(reporter, task_9) == "not_yet_due"

    response = report_on(reporter, task_9, percent="100", reports_done="on")
    assert response.status_code == 302 and response["Location"] == page_url(task_9)
    report = ProgressReport.objects.get(assignment=task_9)
    assert report.state == ReportState.DRAFT and report.drafted_by == users["reporter"]
    assert status_of(reporter, task_9) == "not_yet_due"  # a draft has not left the body

    assert leader.post(reverse("directives:approve_report", args=[report.pk])).status_code == 302
    report.refresh_from_db()
    assert report.state == ReportState.SENT and report.approved_by == users["leader"]
    assert report.sent_on == date(2023, 5, 10)
    assert status_of(leader, task_9) == "in_progress"
    assert Notification.objects.filter(user=users["monitor"], assignment=task_9).exists()

    assert monitor.post(reverse("directives:confirm_report", args=[report.pk])).status_code == 302
    report.refresh_from_db()
    assert report.state == ReportState.CONFIRMED and report.decided_by == users["monitor"]
    assert status_of(reporter, task_9) == "done_on_time"
    assert Notification.objects.filter(organization=task_9.organization, assignment=task_9).exists()
    assert report.history.count() == 3  # drafted, sent, confirmed: each step recorded


def test_the_reporter_cannot_approve_nor_confirm(task_9, users, client_for):
    reporter = client_for("reporter")
    report_on(reporter, task_9)
    report = ProgressReport.objects.get(assignment=task_9)
    assert reporter.post(reverse("directives:approve_report", args=[report.pk])).status_code == 403
    report = sent_report(task_9, users, done=True)
    assert reporter.post(reverse("directives:confirm_report", args=[report.pk])).status_code == 403
    report.refresh_from_db()
    assert report.state == ReportState.SENT


def actions(
    task_9: Assignment, report: ProgressReport, extension: DeadlineExtension, attachment: Attachment
) -> list[tuple[str, str, dict]]:
    return [
        ("get", page_url(task_9), {}),
        ("get", reverse("directives:attachment", args=[attachment.pk]), {}),
        ("post", reverse("directives:draft_report", args=[task_9.pk]), {"text": "x", "percent": "1"}),
        ("post", reverse("directives:approve_report", args=[report.pk]), {}),
        ("post", reverse("directives:confirm_report", args=[report.pk]), {}),
        ("post", reverse("directives:return_report", args=[report.pk]), {f"return-{report.pk}-comment": "x"}),
        (
            "post",
            reverse("directives:request_extension", args=[task_9.pk]),
            {"requested_due": "2023-06-30", "reason": "x"},
        ),
        (
            "post",
            reverse("directives:decide_extension", args=[extension.pk]),
            {f"decide-{extension.pk}-decision": "approve"},
        ),
    ]


@pytest.fixture
def everything(task_9, users, client_for):
    """A sent report with a file, and a pending request for a new deadline, on CJU.BTV's task 9."""
    reporter = client_for("reporter")
    report_on(reporter, task_9, reports_done="on", attachments=[SimpleUploadedFile("anh.png", PNG)])
    report = ProgressReport.objects.get(assignment=task_9)
    approve_report(report=report, on=date(2023, 5, 10), by=users["leader"])
    reporter.post(
        reverse("directives:request_extension", args=[task_9.pk]),
        {"requested_due": "2023-06-30", "reason": "Chờ hướng dẫn của Trung ương"},
    )
    return actions(task_9, report, DeadlineExtension.objects.get(assignment=task_9), report.attachments.get())


@pytest.mark.parametrize("name", ["other_reporter", "other_leader"])
def test_another_body_finds_nothing_of_this_one(everything, client_for, name):
    client = client_for(name)
    for method, url, data in everything:
        response = getattr(client, method)(url, data)
        assert response.status_code == 404, (method, url)
    assert (
        ProgressReport.objects.count() == 1
        and DeadlineExtension.objects.get().state == ExtensionState.PENDING
    )


def test_a_reader_reads_everything_but_may_do_nothing(everything, client_for):
    reader = client_for("reader")
    for method, url, data in everything:
        response = getattr(reader, method)(url, data)
        assert response.status_code == (200 if method == "get" else 403), (method, url)
    assert ProgressReport.objects.get().state == ReportState.SENT
    assert DeadlineExtension.objects.get().state == ExtensionState.PENDING


def test_a_draft_is_not_shown_outside_its_body(task_9, client_for):
    report_on(client_for("reporter"), task_9, text="Bản nháp nội bộ")
    assert "Bản nháp nội bộ" in client_for("leader").get(page_url(task_9)).content.decode()
    assert "Bản nháp nội bộ" not in client_for("monitor").get(page_url(task_9)).content.decode()


def test_a_returned_report_shows_the_monitors_comment(task_9, users, client_for):
    report = sent_report(task_9, users)
    monitor = client_for("monitor")
    refused = monitor.post(
        reverse("directives:return_report", args=[report.pk]), {f"return-{report.pk}-comment": " "}
    )
    assert refused.status_code == 400
    response = monitor.post(
        reverse("directives:return_report", args=[report.pk]),
        {f"return-{report.pk}-comment": "Bổ sung số liệu biên chế năm 2022"},
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.state == ReportState.RETURNED and report.decided_by == users["monitor"]
    page = client_for("reporter").get(page_url(task_9)).content.decode()
    assert "Bổ sung số liệu biên chế năm 2022" in page and f'id="report-{report.pk}"' in page
    assert Notification.objects.filter(organization=task_9.organization, text__contains="biên chế").exists()


def test_confirming_a_report_that_does_not_say_done_is_refused_plainly(task_9, users, client_for):
    report = sent_report(task_9, users, done=False)
    monitor = client_for("monitor")
    response = monitor.post(reverse("directives:confirm_report", args=[report.pk]), follow=True)
    assert response.status_code == 200 and [m.level_tag for m in response.context["messages"]] == ["error"]
    report.refresh_from_db()
    assert report.state == ReportState.SENT


def test_an_approved_new_deadline_moves_the_deadline_and_the_status(task_9, users, client_for, settings):
    settings.DONDOC_TODAY = date(2023, 5, 20)
    reporter, monitor = client_for("reporter"), client_for("monitor")
    assert status_of(reporter, task_9) == "overdue"
    response = reporter.post(
        reverse("directives:request_extension", args=[task_9.pk]),
        {"requested_due": "2023-06-30", "reason": "Chờ hướng dẫn của Trung ương"},
    )
    assert response.status_code == 302
    extension = DeadlineExtension.objects.get(assignment=task_9)
    assert (
        extension.state == ExtensionState.PENDING
        and Notification.objects.filter(user=users["monitor"]).exists()
    )

    assert (
        monitor.post(
            reverse("directives:decide_extension", args=[extension.pk]),
            {f"decide-{extension.pk}-decision": "approve"},
        ).status_code
        == 302
    )
    task_9.refresh_from_db()
    extension.refresh_from_db()
    assert task_9.due == date(2023, 6, 30) and extension.previous_due == date(2023, 5, 14)
    assert extension.state == ExtensionState.APPROVED and extension.decided_by == users["monitor"]
    assert status_of(reporter, task_9) == "not_yet_due"
    page = reporter.get(page_url(task_9)).content.decode()
    assert 'datetime="2023-06-30"' in page and "14/05/2023" in page  # the new deadline, the old one kept
    assert task_9.history.count() == 2


def test_a_refused_new_deadline_needs_a_comment_and_keeps_the_deadline(task_9, client_for):
    client_for("reporter").post(
        reverse("directives:request_extension", args=[task_9.pk]),
        {"requested_due": "2023-06-30", "reason": "Chờ hướng dẫn"},
    )
    extension = DeadlineExtension.objects.get()
    monitor, url = client_for("monitor"), reverse("directives:decide_extension", args=[extension.pk])
    assert monitor.post(url, {f"decide-{extension.pk}-decision": "refuse"}).status_code == 400
    assert (
        monitor.post(
            url,
            {
                f"decide-{extension.pk}-decision": "refuse",
                f"decide-{extension.pk}-comment": "Thời hạn do Ban Thường vụ ấn định",
            },
        ).status_code
        == 302
    )
    extension.refresh_from_db()
    task_9.refresh_from_db()
    assert extension.state == ExtensionState.REFUSED and task_9.due == date(2023, 5, 14)
    assert (
        "Thời hạn do Ban Thường vụ ấn định" in client_for("reporter").get(page_url(task_9)).content.decode()
    )


def test_a_new_deadline_before_the_current_one_is_refused_with_a_message(task_9, client_for):
    response = client_for("reporter").post(
        reverse("directives:request_extension", args=[task_9.pk]),
        {"requested_due": "2023-05-01", "reason": "Sớm hơn"},
    )
    assert response.status_code == 400 and 'role="alert"' in response.content.decode()
    assert not DeadlineExtension.objects.exists()


def test_several_files_at_once_served_only_to_those_who_see_the_report(task_9, users, client_for, upload_dir):
    reporter = client_for("reporter")
    response = report_on(
        reporter,
        task_9,
        attachments=[
            SimpleUploadedFile("bao-cao.txt", "Báo cáo kết quả".encode()),
            SimpleUploadedFile("anh.png", PNG),
        ],
    )
    assert response.status_code == 302
    report = ProgressReport.objects.get()
    files = {attachment.original_name: attachment for attachment in report.attachments.all()}
    assert set(files) == {"bao-cao.txt", "anh.png"} and files["anh.png"].uploaded_by == users["reporter"]
    download = reverse("directives:attachment", args=[files["bao-cao.txt"].pk])
    served = reporter.get(download)
    assert served.status_code == 200 and b"".join(served.streaming_content) == "Báo cáo kết quả".encode()
    assert "attachment" in served["Content-Disposition"]
    assert client_for("other_reporter").get(download).status_code == 404
    assert client_for("monitor").get(download).status_code == 404  # still a draft, inside the body
    approve_report(report=report, on=date(2023, 5, 10))
    assert client_for("monitor").get(download).status_code == 200


def test_a_file_refused_by_its_content_refuses_the_whole_report(task_9, client_for, upload_dir):
    response = report_on(
        client_for("reporter"),
        task_9,
        attachments=[
            SimpleUploadedFile("bao-cao.txt", "Báo cáo".encode()),
            SimpleUploadedFile(
                "bao-cao.pdf", b"MZ\x90\x00\x03\x00\x00\x00" + bytes(200)
            ),  # a program named .pdf
        ],
    )
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode() and "bao-cao.pdf" in response.content.decode()
    assert not ProgressReport.objects.exists() and stored_files(upload_dir) == []


def test_a_report_the_service_refuses_leaves_no_file_behind(published, client_for, upload_dir):
    ongoing = Assignment.objects.get(task__directive=published, task__label="2", organization__code="CJU.BTV")
    response = report_on(
        client_for("reporter"),
        ongoing,
        period_start="2023-06-30",
        period_end="2023-04-01",
        attachments=[SimpleUploadedFile("bao-cao.txt", "Báo cáo".encode())],
    )
    assert response.status_code == 400 and not ProgressReport.objects.exists()
    assert stored_files(upload_dir) == []


def test_an_ongoing_task_is_reported_on_for_the_current_quarter(published, client_for):
    ongoing = Assignment.objects.get(task__directive=published, task__label="2", organization__code="CJU.BTV")
    reporter = client_for("reporter")
    page = reporter.get(page_url(ongoing), headers={"accept-language": "en"})
    assert page.context["situation"].status.value == "no_deadline"
    assert page.context["situation"].period_note == "no report yet for Q2/2023"
    # the quarter of Nghị định 09/2019/NĐ-CP: from the 15th of the quarter before's last month to the 14th
    assert page.context["report_form"].initial["period_start"] == date(2023, 3, 15)
    report_on(reporter, ongoing)  # no period given: the current quarter
    report = ProgressReport.objects.get()
    assert (report.period_start, report.period_end) == (date(2023, 3, 15), date(2023, 6, 14))
    approve_report(report=report, on=date(2023, 5, 10))
    page = reporter.get(page_url(ongoing), headers={"accept-language": "en"})
    assert page.context["situation"].period_note == "Q2/2023: sent"


def test_bad_input_gives_messages_not_errors(task_9, client_for):
    reporter = client_for("reporter")
    for data in (
        {"text": "", "percent": "10"},
        {"text": "x", "percent": "150"},
        {"text": "x", "percent": "abc"},
    ):
        response = reporter.post(reverse("directives:draft_report", args=[task_9.pk]), data)
        assert response.status_code == 400 and 'role="alert"' in response.content.decode()
    assert not ProgressReport.objects.exists()
    assert reporter.get(reverse("directives:draft_report", args=[task_9.pk])).status_code == 405
    assert reporter.get(reverse("directives:assignment", args=[999999])).status_code == 404


def test_notices_reach_the_monitor_and_the_body_and_are_marked_read(task_9, users, client_for):
    report = sent_report(task_9, users, done=True)
    monitor = client_for("monitor")
    page = monitor.get(reverse("directives:notifications"))
    notice = Notification.objects.get(user=users["monitor"])
    assert page.status_code == 200 and f'id="notification-{notice.pk}"' in page.content.decode()
    unread = page.context["unread_notifications"]()  # publishing may have told the monitor's own body too
    assert (
        f'id="notification-{notice.pk}"'
        not in client_for("other_reporter").get(reverse("directives:notifications")).content.decode()
    )
    monitor.post(reverse("directives:notifications_read"), {"notification": str(notice.pk)})
    notice.refresh_from_db()
    assert notice.read_at is not None
    assert monitor.get(reverse("directives:notifications")).context["unread_notifications"]() == unread - 1
    monitor.post(reverse("directives:confirm_report", args=[report.pk]))
    reporter = client_for("reporter")
    assert reporter.get(reverse("directives:notifications")).context["unread_notifications"]() >= 1
    reporter.post(reverse("directives:notifications_read"))
    assert reporter.get(reverse("directives:notifications")).context["unread_notifications"]() == 0


def test_the_page_links_the_directive_and_the_change_log(task_9, client_for):
    page = client_for("monitor").get(page_url(task_9)).content.decode()
    assert task_9.task.directive.number in page and task_9.task.text[:40] in page
    try:
        history = reverse("directives:object_history", args=["assignment", task_9.pk])
    except NoReverseMatch:  # the change-log pages belong to another part, possibly not there yet
        pytest.skip("directives:object_history not routed yet")
    assert history in page
    assert (
        history not in client_for("leader").get(page_url(task_9)).content.decode()
    )  # units do not read the log
