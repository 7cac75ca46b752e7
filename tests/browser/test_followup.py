"""The follow-up as its users meet it, in a real browser: a reminder arriving in the application and in the
outbox, escalating to the leader after Tết, and e-mail turned off on the channels page; an inspection planned,
its finding turned into a task that Cư Jút reports done and the monitor confirms; the dashboard filtered and
exported, the workbook checked against the page, and a body's dashboard reached from the ranking.

Each new page is photographed at 1366 px and 390 px (var/screenshots, followup-*.png) and must not scroll
sideways on the phone."""

from __future__ import annotations

import re
from collections import Counter
from datetime import date, datetime
from io import StringIO
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import Page
from tests.browser.conftest import LAPTOP, PHONE, log_in, screenshots

from dondoc.accounts.models import User
from dondoc.accounts.scope import build_scope
from dondoc.core.models import Notification
from dondoc.directives.access import assignments_for
from dondoc.directives.models import Assignment, Directive, ProgressReport, ReportState
from dondoc.directives.selectors import assignment_statuses
from dondoc.directives.services import approve_report, confirm_report, draft_report
from dondoc.followup.models.inspections import Inspection, InspectionState, Recommendation
from dondoc.followup.models.reminders import (
    ChannelChoice,
    RecipientKind,
    ReminderChannel,
    ReminderRule,
    ReminderTiming,
)
from dondoc.registry.models import Level, Organization

pytestmark = pytest.mark.browser

CU_JUT = "CJU.BTV"
DAK_SONG = "DSO.BTV"
DEADLINE = date(2025, 1, 24)  # the last working day before Tết 2025 (27-31/1 off)
AFTER_TET = date(2025, 2, 3)  # the first working day after it: one working day overdue
EXTENDED = date(2025, 2, 10)  # the deadline moved by an approved extension
# the default reminder rules (followup migration 0002), written again: the live server's tests run on a
# transactional database, and a test before this module's empties the rows the migrations wrote
DEFAULT_RULES = (
    ("Nhắc trước hạn 3 ngày làm việc", ReminderTiming.BEFORE, 3, RecipientKind.REPORTER),
    ("Nhắc đúng ngày đến hạn", ReminderTiming.ON_THE_DAY, 0, RecipientKind.REPORTER),
    ("Báo lãnh đạo đơn vị: quá hạn 1 ngày làm việc", ReminderTiming.AFTER, 1, RecipientKind.LEADER),
    ("Báo Ban Tổ chức theo dõi: quá hạn 3 ngày làm việc", ReminderTiming.AFTER, 3, RecipientKind.MONITOR),
)
PAGE_WIDTH = "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"


def run_reminders() -> str:
    """The daily command, for the server's today (settings.DONDOC_TODAY); what it says."""
    said = StringIO()
    with translation.override("en"):
        call_command("send_reminders", stdout=said)
    return said.getvalue().strip()


def photograph(page: Page, name: str) -> None:
    """Screenshots at both widths (followup-<name>-<width>.png); on the phone the page must not scroll
    sideways."""
    screenshots(page, f"followup-{name}")
    size = page.viewport_size
    page.set_viewport_size(PHONE)
    scroll_width, client_width = page.evaluate(PAGE_WIDTH)
    if size:
        page.set_viewport_size(size)
    assert scroll_width <= client_width, f"{name}: {scroll_width}px wide on a {client_width}px phone"


def badge(page: Page) -> str:
    """The count of unread notices beside "Thông báo" in the main menu ("" without one)."""
    found = page.get_by_role("navigation").locator("a[href='/directives/notifications/'] .badge")
    return found.inner_text().strip() if found.count() else ""


def unread_notices(page: Page) -> list[str]:
    page.goto("/directives/notifications/")
    return [text.strip() for text in page.locator("li.notification.unread p:first-child").all_inner_texts()]


def in_vietnamese(message: str, **values: object) -> str:
    """A text as the Vietnamese catalogue gives it: the reminders go out in the site's language."""
    with translation.override("vi"):
        return gettext(message) % values


def sent_to() -> list[list[str]]:
    return [message.to for message in mail.outbox]


# --- reminders and escalation ---


@pytest.fixture
def due_before_tet(published: Directive, users: dict[str, User]) -> Assignment:
    """Cư Jút's assignment of task 9, due on DEADLINE; every other one without a deadline; the body's reporter
    and leader and the monitor with e-mail addresses; the default reminder rules."""
    ReminderRule.objects.all().delete()
    ReminderRule.objects.bulk_create(
        ReminderRule(name=name, timing=timing, days=days, recipients=recipients)
        for name, timing, days, recipients in DEFAULT_RULES
    )
    Assignment.objects.update(due=None)
    found = Assignment.objects.select_related("task").get(
        task__directive=published, task__label="9", organization__code=CU_JUT
    )
    found.task.deadline_kind = "by_date"
    found.task.save(update_fields=["deadline_kind"])
    Assignment.objects.filter(pk=found.pk).update(due=DEADLINE)
    for name in ("reporter", "leader", "monitor"):
        User.objects.filter(pk=users[name].pk).update(email=f"{name}@dondoc.test", first_name=name.title())
    return found


def test_a_reminder_reaches_the_reporter_escalates_to_the_leader_after_tet_and_follows_the_channels(
    new_page, due_before_tet, users, settings
):
    task = in_vietnamese(
        "task %(label)s of %(number)s", label="9", number=due_before_tet.task.directive.number
    )
    due_today = "Reminder: %(task)s is due today (%(due)s)."
    overdue = in_vietnamese(
        "Overdue: %(task)s was due on %(due)s; complete it and report on it.", task=task, due="24/01/2025"
    )
    assert "quá hạn" in overdue.lower()
    task_link = f"a[href='/directives/assignments/{due_before_tet.pk}/']"

    # the deadline: the reporter is reminded in the application and by e-mail
    reporter, leader = new_page(LAPTOP), new_page(LAPTOP)
    log_in(reporter, "reporter")
    log_in(leader, "leader")
    unread = {"reporter": int(badge(reporter) or 0), "leader": int(badge(leader) or 0)}  # the publication's
    settings.DONDOC_TODAY = DEADLINE
    assert run_reminders() == (
        "Reminders for 24/01/2025: 2 sent (1 in the application, 1 by e-mail in 1 messages)."
    )
    assert sent_to() == [["reporter@dondoc.test"]]
    reminder = in_vietnamese(due_today, task=task, due="24/01/2025")
    assert f"- {reminder}" in mail.outbox[0].body
    reporter.reload()
    assert badge(reporter) == str(unread["reporter"] + 1)
    assert unread_notices(reporter)[0].endswith(reminder)
    assert reporter.locator("li.notification").first.locator(task_link).count() == 1

    # Tết passes with nothing sent; the first working day after it the leader hears the task is overdue
    settings.DONDOC_TODAY = AFTER_TET
    assert run_reminders() == (
        "Reminders for 03/02/2025: 2 sent (1 in the application, 1 by e-mail in 1 messages)."
    )
    assert sent_to() == [["reporter@dondoc.test"], ["leader@dondoc.test"]]
    leader.reload()
    assert badge(leader) == str(unread["leader"] + 1)
    assert unread_notices(leader)[0].endswith(overdue)
    assert f"- {overdue}" in mail.outbox[1].body
    leader.locator("li.notification").first.locator(task_link).click()
    leader.wait_for_url(f"**/directives/assignments/{due_before_tet.pk}/")
    assert leader.locator("#status").get_attribute("data-status") == "overdue"

    # running again sends nothing twice
    notices = Notification.objects.count()
    assert run_reminders().startswith("Reminders for 03/02/2025: 0 sent")
    assert (len(mail.outbox), Notification.objects.count()) == (2, notices)

    # the reporter turns e-mail off; the next reminder (a new deadline) comes in the application only
    reporter.goto("/followup/channels/")
    assert reporter.locator("#id_in_app").is_checked() and reporter.locator("#id_email").is_checked()
    assert "reporter@dondoc.test" in reporter.locator("#email-address").inner_text()
    reporter.locator("#id_email").uncheck()
    with reporter.expect_navigation():
        reporter.locator("#channels-form button[type=submit]").click()
    assert reporter.locator("ul.messages .success").count() == 1
    assert not reporter.locator("#id_email").is_checked() and reporter.locator("#id_in_app").is_checked()
    assert ChannelChoice.objects.get(user=users["reporter"], channel=ReminderChannel.EMAIL).enabled is False
    photograph(reporter, "channels")

    Assignment.objects.filter(pk=due_before_tet.pk).update(due=EXTENDED)
    settings.DONDOC_TODAY = EXTENDED
    assert run_reminders() == (
        "Reminders for 10/02/2025: 1 sent (1 in the application, 0 by e-mail in 0 messages)."
    )
    assert len(mail.outbox) == 2
    reporter.reload()
    assert badge(reporter) == str(unread["reporter"] + 2)
    assert unread_notices(reporter)[0].endswith(in_vietnamese(due_today, task=task, due="10/02/2025"))


# --- an inspection, from its plan to a confirmed task ---

INSPECTION = "Kiểm tra việc thực hiện Công văn 1317-CV/TU tại Huyện ủy Cư Jút"
FINDING = "Chưa ban hành kế hoạch thực hiện Kết luận số 50-KL/TW."
RECOMMENDATION = "Ban hành kế hoạch thực hiện Kết luận số 50-KL/TW, gửi Ban Tổ chức Tỉnh ủy."
DONE = "Đã ban hành Kế hoạch số 45-KH/HU ngày 15/5/2023 và gửi Ban Tổ chức Tỉnh ủy."


def body_label(code: str) -> str:
    """A body as the inspection forms name it: its name and its territory's."""
    body = Organization.objects.select_related("jurisdiction").get(code=code)
    return f"{body.name} · {body.jurisdiction.name}" if body.jurisdiction else body.name


def test_an_inspection_planned_its_finding_a_task_reported_and_confirmed(new_page, published, users):
    # the monitor plans the inspection from the list (today is 10/05/2023)
    monitor = new_page(LAPTOP)
    log_in(monitor, "monitor")
    monitor.get_by_role("navigation").locator("a[href='/followup/inspections/']").click()
    monitor.wait_for_url("**/followup/inspections/")
    monitor.locator("#plan-link").click()
    monitor.wait_for_url("**/followup/inspections/plan/")
    photograph(monitor, "inspection-plan")
    monitor.locator("#id_title").fill(INSPECTION)
    monitor.locator("#id_legal_basis").fill(
        "Quyết định số 12-QĐ/BTCTU ngày 20/4/2023 của Ban Tổ chức Tỉnh ủy"
    )
    monitor.locator("#id_team").fill(
        "Đồng chí Nguyễn Văn A, Phó Trưởng ban, trưởng đoàn\nĐồng chí Trần Thị B"
    )
    assert monitor.locator("#id_leader").input_value() == str(users["monitor"].pk)
    monitor.locator("#id_starts_on").fill("02/05/2023")
    monitor.locator("#id_ends_on").fill("09/05/2023")
    monitor.locator("#id_scope_text").fill("Việc quán triệt, triển khai Công văn 1317-CV/TU")
    monitor.locator("#id_organizations").select_option(label=[body_label(CU_JUT), body_label(DAK_SONG)])
    monitor.locator("#id_directives").select_option(label=[str(published)])
    with monitor.expect_navigation():
        monitor.locator("#plan-form button[type=submit]").click()
    inspection = Inspection.objects.get()
    monitor.wait_for_url(f"**/followup/inspections/{inspection.pk}/")
    assert (inspection.title, inspection.state, inspection.leader) == (
        INSPECTION,
        InspectionState.PLANNED,
        users["monitor"],
    )
    assert (inspection.starts_on, inspection.ends_on) == (date(2023, 5, 2), date(2023, 5, 9))
    assert set(inspection.organizations.values_list("code", flat=True)) == {CU_JUT, DAK_SONG}
    assert list(inspection.directives.all()) == [published]
    assert monitor.locator("#inspection").get_attribute("data-state") == "planned"
    assert monitor.locator("#bodies li").count() == 2

    # a finding, then a recommendation on it: Cư Jút leads, Đắk Song helps, by 30/06/2023
    monitor.locator("#finding-form textarea").fill(FINDING)
    with monitor.expect_navigation():
        monitor.locator("#finding-form button[type=submit]").click()
    finding = inspection.findings.get()
    assert finding.text == FINDING
    assert monitor.locator("#inspection").get_attribute("data-state") == "in_progress"
    recommendation_form = monitor.locator(f"#finding-{finding.pk} .add-recommendation")
    recommendation_form.locator("summary").click()
    prefix = f"#id_finding-{finding.pk}"
    monitor.locator(f"{prefix}-text").fill(RECOMMENDATION)
    monitor.locator(f"{prefix}-lead").select_option(label=body_label(CU_JUT))
    monitor.locator(f"{prefix}-coordinating").select_option(label=[body_label(DAK_SONG)])
    monitor.locator(f"{prefix}-due").fill("30/06/2023")
    photograph(monitor, "inspection-recommendation")
    with monitor.expect_navigation():
        recommendation_form.locator("button[type=submit]").click()
    recommendation = Recommendation.objects.get()
    assert (recommendation.lead.code, recommendation.due) == (CU_JUT, date(2023, 6, 30))
    assert monitor.locator(f"#recommendation-{recommendation.pk}").inner_text().startswith(RECOMMENDATION)

    # the conclusion: numbered, dated today, the recommendation chosen → a published notice with its task
    conclusion_form = monitor.locator("#conclusion-form")
    conclusion_form.locator("#id_number").fill("25-TB/BTCTU")
    assert conclusion_form.locator("#id_concluded_on").input_value() == "10/05/2023"
    assert conclusion_form.locator(f"input[value='{recommendation.pk}']").is_checked()
    photograph(monitor, "inspection")
    with monitor.expect_navigation():
        conclusion_form.locator("button[type=submit]").click()
    inspection.refresh_from_db()
    recommendation.refresh_from_db()
    conclusion = inspection.conclusion
    assert inspection.state == InspectionState.CONCLUDED and conclusion is not None
    assert (conclusion.number, conclusion.type_code, conclusion.state) == ("25-TB/BTCTU", "TB", "published")
    assert recommendation.task is not None and recommendation.task.directive == conclusion
    lead = Assignment.objects.get(task=recommendation.task, organization__code=CU_JUT)
    assert lead.due == date(2023, 6, 30)
    task_link = monitor.locator(f"#recommendation-{recommendation.pk} a.task-link")
    assert task_link.get_attribute("href") == f"/directives/{conclusion.pk}/#task-{recommendation.task_id}"
    assert monitor.locator("#conclusion-link").inner_text().startswith("TB 25-TB/BTCTU")
    assert monitor.locator("#finding-form, #conclusion-form").count() == 0  # concluded: no more changes

    # Cư Jút's reporter finds the task in the body's inbox and reports it done; the leader sends it
    reporter = new_page(LAPTOP)
    log_in(reporter, "reporter")
    assert reporter.url.endswith("/directives/assignments/")
    reporter.locator(f"#assignment-{lead.pk} a").first.click()
    reporter.wait_for_url(f"**/directives/assignments/{lead.pk}/")
    assert RECOMMENDATION in reporter.locator("main").inner_text()
    reporter.locator("#id_text").fill(DONE)
    reporter.locator("#id_reports_done").check()
    with reporter.expect_navigation():
        reporter.locator("#report-form button[type=submit]").click()
    report = ProgressReport.objects.get(assignment=lead)
    leader = new_page(LAPTOP)
    log_in(leader, "leader")
    leader.goto(f"/directives/assignments/{lead.pk}/")
    with leader.expect_navigation():
        leader.locator(f"#approve-{report.pk}").click()
    assert leader.locator(f"#report-{report.pk}").get_attribute("data-state") == "sent"

    # the monitor confirms it; from the inspection's page, the task's status is done
    monitor.goto(f"/directives/assignments/{lead.pk}/")
    with monitor.expect_navigation():
        monitor.locator(f"#confirm-{report.pk}").click()
    report.refresh_from_db()
    assert report.state == ReportState.CONFIRMED and report.decided_by == users["monitor"]
    monitor.goto(f"/followup/inspections/{inspection.pk}/")
    photograph(monitor, "inspection-concluded")
    monitor.locator(f"#recommendation-{recommendation.pk} a.task-link").click()
    monitor.wait_for_url(re.compile(rf"/directives/{conclusion.pk}/#task-{recommendation.task_id}$"))
    lead_status = monitor.locator(
        f"#task-{recommendation.task_id} .summary .status[data-status=done_on_time]"
    )
    assert lead_status.get_attribute("data-count") == "1"
    monitor.goto("/followup/inspections/")
    row = monitor.locator(f"#inspections tr[data-inspection='{inspection.pk}']")
    assert row.get_attribute("data-state") == "concluded"
    assert "25-TB/BTCTU" in row.inner_text()
    photograph(monitor, "inspections")


# --- the dashboards ---

ON_DASHBOARD_DAY = date(2023, 6, 20)  # task 1 (by the end of May) has fallen due, task 9 (14/5) too
FIGURES = ("done_on_time", "done_late", "overdue", "in_progress", "not_yet_due")


def send_report(assignment: Assignment, users: dict[str, User], *, sent: date, confirmed: date) -> None:
    report = draft_report(
        assignment=assignment, text=DONE, percent=100, reports_done=True, by=users["reporter"]
    )
    approve_report(report=report, on=sent, by=users["leader"])
    confirm_report(report=report, on=confirmed, by=users["monitor"])


@pytest.fixture
def reported(published: Directive, users: dict[str, User], settings: Any) -> Directive:
    """On 20/6/2023, task 1 (due 31/5) confirmed done on time by Cư Jút and late by Đắk Song; every other
    assignment with a deadline overdue."""
    settings.DONDOC_TODAY = ON_DASHBOARD_DAY
    task_1 = Assignment.objects.filter(task__directive=published, task__label="1")
    send_report(
        task_1.get(organization__code=CU_JUT), users, sent=date(2023, 5, 20), confirmed=date(2023, 5, 25)
    )
    send_report(
        task_1.get(organization__code=DAK_SONG), users, sent=date(2023, 6, 5), confirmed=date(2023, 6, 6)
    )
    return published


def reference_counts(user: User, **narrowed: object) -> Counter[str]:
    """The statuses of what `user` sees (narrowed by `narrowed`), by the reference rule in Python."""
    seen = assignments_for(build_scope(user=user)).filter(**narrowed)
    return Counter(
        str(status) for status in assignment_statuses(assignments=seen, today=ON_DASHBOARD_DAY).values()
    )


def figures(page: Page) -> dict[str, int]:
    """The headline's counts by status, numbers read as the Vietnamese page writes them (1.234)."""
    return {
        key: int(page.locator(f"#figures li[data-figure={key}] .figure-value").inner_text().replace(".", ""))
        for key in FIGURES
    }


def on_time_rate(counts: Counter[str]) -> str:
    fallen_due = counts["done_on_time"] + counts["done_late"] + counts["overdue"]
    return f"{round(100 * counts['done_on_time'] / fallen_due, 1):.1f}".replace(".", ",") + " %"


def page_table(page: Page, table_id: str) -> list[list[str]]:
    """A table of the page, its header row first, each cell's text."""
    table = page.locator(f"#{table_id}")
    header = [text.strip() for text in table.locator("thead th").all_text_contents()]
    rows = [
        [text.strip() for text in row.locator("td").all_text_contents()]
        for row in table.locator("tbody tr").all()
    ]
    return [header, *rows]


def as_shown(cell: openpyxl.cell.Cell) -> str:
    """A workbook cell as the Vietnamese page writes its value."""
    value = cell.value
    if value is None:
        return "—"
    if isinstance(value, datetime | date):
        return f"{value:%m/%Y}" if cell.number_format == "MM/YYYY" else f"{value:%d/%m/%Y}"
    if cell.number_format == "0.0%":
        return f"{round(value * 100, 1):.1f}".replace(".", ",") + " %"
    if isinstance(value, int):
        return f"{value:,}".replace(",", ".")
    return str(value)


def test_the_dashboard_filtered_exported_and_a_body_reached_from_the_ranking(
    new_page, reported, users, tmp_path: Path
):
    monitor = new_page(LAPTOP)
    log_in(monitor, "monitor")
    monitor.get_by_role("navigation").locator("a[href='/followup/dashboard/']").click()
    monitor.wait_for_url("**/followup/dashboard/")
    everything = reference_counts(users["monitor"])
    assert figures(monitor) == {key: everything[key] for key in FIGURES}
    assert monitor.locator("#on-time-rate").inner_text() == on_time_rate(everything)
    photograph(monitor, "dashboard")

    # filtered to the district bodies: the figures change to theirs
    monitor.locator("#id_level").select_option(Level.DISTRICT.value)
    with monitor.expect_navigation():
        monitor.locator("#dashboard-filters button[type=submit]").click()
    assert "level=district" in monitor.url
    districts = reference_counts(users["monitor"], organization__level=Level.DISTRICT)
    assert figures(monitor) == {key: districts[key] for key in FIGURES}
    assert figures(monitor)["overdue"] < everything["overdue"]
    assert monitor.locator("#on-time-rate").inner_text() == on_time_rate(districts)
    assert districts["done_on_time"] == 1 and districts["done_late"] == 1

    # exported with the same filters: the workbook holds the page's tables
    with monitor.expect_download() as started:
        monitor.locator("#export-link").click()
    download = started.value
    assert download.suggested_filename == "theo-doi-thuc-hien-2023-06-20.xlsx"
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    book = openpyxl.load_workbook(path)
    *tables, filters = book.worksheets
    for sheet, table_id in zip(tables, ("counts-table", "trend-table", "ranking-table"), strict=True):
        rows = [[as_shown(cell) for cell in row] for row in sheet.iter_rows()]
        assert rows == page_table(monitor, table_id), sheet.title
    chosen = dict(filters.iter_rows(min_row=2, values_only=True))
    level_label = monitor.locator("#id_level option:checked").inner_text()
    assert level_label in chosen.values()
    assert f"<strong>{level_label}</strong>" in monitor.locator("#figures-as-of").inner_html()

    # the body most often late, from the ranking, on its own page
    first = monitor.locator("#ranking-table tbody tr").first
    body = Organization.objects.get(pk=first.get_attribute("data-row"))
    overdue = first.locator("td").nth(2).inner_text()
    first.locator("a").click()
    monitor.wait_for_url(f"**/followup/bodies/{body.pk}/**")
    assert body.name in monitor.locator("h1").inner_text()
    own = reference_counts(users["monitor"], organization=body)
    assert figures(monitor) == {key: own[key] for key in FIGURES}
    assert str(own["overdue"]) == overdue
    assert monitor.locator("#overdue-table tbody tr").count() == own["overdue"]
    photograph(monitor, "body-dashboard")

    # the directive's follow-up by period, and the follow-up by hand with its late bodies chosen
    monitor.goto(f"/directives/{reported.pk}/")
    monitor.locator(f"a[href='/followup/directives/{reported.pk}/']").click()
    monitor.wait_for_url(f"**/followup/directives/{reported.pk}/")
    for code, status in ((CU_JUT, "done_on_time"), (DAK_SONG, "done_late")):
        body_id = Organization.objects.get(code=code).pk
        task_1 = monitor.locator(f"#followup-task-body tr[data-body='{body_id}'] td").first
        assert f"s-{status}" in (task_1.get_attribute("class") or ""), code
    photograph(monitor, "directive-followup")
    monitor.goto(f"/directives/{reported.pk}/")
    monitor.locator(f"a[href='/followup/directives/{reported.pk}/followup/']").click()
    monitor.wait_for_url(f"**/followup/directives/{reported.pk}/followup/")
    chosen_bodies = monitor.locator("#followup-form input[name=assignments]:checked").count()
    assert chosen_bodies == reference_counts(users["monitor"], task__directive=reported)["overdue"]
    photograph(monitor, "followup-send")
