"""The periodic report through its pages: a monitor asks for the quarter's report on the seed letter, the
background job drafts it (inline under the test settings; queued then run by hand where the queue is the
database's), its page follows it and offers the two files; the same request gives the same bytes; a job that
cannot be drafted or whose worker died says why; only the monitors of its territory (and above) and the
administrators see it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from tests.followup.periodic_quarter import TODAY, Quarter, follow_the_quarter, send

from dondoc.accounts.models import Membership, Role
from dondoc.accounts.services import create_member
from dondoc.core.jobs import JOB_LOST_AFTER
from dondoc.directives.models import Assignment, Directive
from dondoc.followup.jobs import INTERRUPTED, generate_report
from dondoc.followup.models.reports import ReportJob, ReportJobState
from dondoc.registry.models import Jurisdiction, Organization

EN = {"accept-language": "en"}
DATABASE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
ASKED = {"period": "quarter-2023-2", "signer_authority": "K/T Trưởng ban", "signer_title": "Phó Trưởng ban"}


def ask(client, directive: Directive, **changed):
    issuer = Organization.objects.get(code="DNO.BTCTU")
    return client.post(
        reverse("followup:reports"),
        {**ASKED, "directives": [directive.pk], "issuer": issuer.pk, **changed},
        headers=EN,
    )


@pytest.fixture
def quarter(published: Directive, users, settings) -> Quarter:
    settings.DONDOC_TODAY = TODAY
    return follow_the_quarter(published, users["monitor"])


@pytest.fixture
def asked(quarter: Quarter, client_for, django_capture_on_commit_callbacks) -> ReportJob:
    with django_capture_on_commit_callbacks(execute=True):
        response = ask(client_for("monitor"), quarter.directive)
    job = ReportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "followup:report_job", args=[job.pk]
    )
    return job


def test_the_page_proposes_this_quarter_the_monitors_body_and_its_heads_title(quarter, client_for):
    response = client_for("monitor").get(reverse("followup:reports"), headers=EN)
    assert response.status_code == 200
    form = response.context["form"]
    assert form["period"].initial == "quarter-2023-2"
    assert form["issuer"].initial == Organization.objects.get(code="DNO.BTCTU").pk
    assert form["signer_title"].initial == "TRƯỞNG BAN"
    assert list(form.fields["directives"].queryset) == [quarter.directive]
    page = response.content.decode()
    assert 'list="signer-authorities"' in page and '<option value="T/M BAN THƯỜNG VỤ">' in page


def test_the_report_asked_for_is_drafted_and_recorded_as_asked(asked, quarter, users):
    asked.refresh_from_db()
    assert (asked.state, asked.progress, asked.message) == (ReportJobState.DONE, 100, "")
    assert asked.report and asked.annex and asked.finished_at is not None
    assert (asked.period, asked.as_of, asked.signer_authority, asked.signer_title) == (
        "quarter-2023-2",
        TODAY,
        "K/T Trưởng ban",
        "Phó Trưởng ban",
    )
    assert list(asked.directives.all()) == [quarter.directive]
    assert (asked.requested_by, asked.jurisdiction.code) == (users["monitor"], "DNO")


def test_the_done_reports_page_offers_its_two_files_and_polls_no_more(asked, client_for):
    page = (
        client_for("monitor")
        .get(reverse("followup:report_job", args=[asked.pk]), headers=EN)
        .content.decode()
    )
    assert "hx-get" not in page
    assert reverse("followup:download_report", args=[asked.pk, "report"]) in page
    assert reverse("followup:download_report", args=[asked.pk, "annex"]) in page
    assert "Download the report (.docx)" in page and "Download the statistics annex (.xlsx)" in page


def test_the_files_are_named_after_the_quarter(asked, client_for):
    client = client_for("monitor")
    report = client.get(reverse("followup:download_report", args=[asked.pk, "report"]))
    annex = client.get(reverse("followup:download_report", args=[asked.pk, "annex"]))
    assert report["Content-Disposition"] == 'attachment; filename="bao-cao-quy-2-2023.docx"'
    assert report["Content-Type"] == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    assert annex["Content-Disposition"] == 'attachment; filename="phu-luc-quy-2-2023.xlsx"'
    assert bytes(report.content) == bytes(ReportJob.objects.get().report)
    assert client.get(reverse("followup:download_report", args=[asked.pk, "other"])).status_code == 404


def test_the_same_request_gives_the_same_bytes(
    asked, quarter, client_for, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        ask(client_for("monitor"), quarter.directive)
    first, second = ReportJob.objects.order_by("id")
    assert bytes(first.report) == bytes(second.report) and bytes(first.annex) == bytes(second.annex)


def test_a_queued_report_is_followed_until_a_worker_drafts_it(
    quarter, client_for, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = DATABASE
    with django_capture_on_commit_callbacks(execute=True):
        ask(client_for("monitor"), quarter.directive)
    job = ReportJob.objects.get()
    url = reverse("followup:report_job", args=[job.pk])
    client = client_for("monitor")
    page = client.get(url, headers=EN).content.decode()
    assert (job.state, job.progress) == (ReportJobState.QUEUED, 0)
    assert f'hx-get="{url}"' in page and "No task worker is running" in page
    fragment = client.get(url, headers={**EN, "HX-Request": "true"}).content.decode()
    assert fragment.startswith('<section id="report-progress"')
    assert generate_report.call(job.pk) == "done"
    assert generate_report.call(job.pk) == "skipped"
    job.refresh_from_db()
    assert (job.state, job.progress) == (ReportJobState.DONE, 100)


def test_a_report_whose_worker_died_says_so_on_its_page(
    quarter, client_for, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = DATABASE
    with django_capture_on_commit_callbacks(execute=True):
        ask(client_for("monitor"), quarter.directive)
    silent = timezone.now() - JOB_LOST_AFTER - timedelta(seconds=1)
    ReportJob.objects.update(state=ReportJobState.WRITING, progress=40, heartbeat_at=silent)
    job = ReportJob.objects.get()
    response = client_for("monitor").get(reverse("followup:report_job", args=[job.pk]), headers=EN)
    job.refresh_from_db()
    with translation.override("en"):
        assert job.state == ReportJobState.FAILED and job.message == str(INTERRUPTED)
    assert "The task worker stopped while writing this report" in response.content.decode()


def test_a_report_asked_in_a_role_no_longer_held_fails_with_a_message(
    quarter, client_for, settings, users, django_capture_on_commit_callbacks
):
    settings.TASKS = DATABASE
    with django_capture_on_commit_callbacks(execute=True):
        ask(client_for("monitor"), quarter.directive)
    job = ReportJob.objects.get()
    ReportJob.objects.update(membership=None)
    assert generate_report.call(job.pk) == "failed"
    job.refresh_from_db()
    assert job.state == ReportJobState.FAILED and job.report is None
    with translation.override(settings.LANGUAGE_CODE):
        assert job.message == gettext(
            "The role this report was asked in is no longer held; ask for it again."
        )
    page = (
        client_for("monitor").get(reverse("followup:report_job", args=[job.pk]), headers=EN).content.decode()
    )
    assert 'id="report-failure"' in page
    assert (
        client_for("monitor").get(reverse("followup:download_report", args=[job.pk, "report"])).status_code
        == 404
    )


def test_a_report_without_a_directive_is_refused_on_the_page(quarter, client_for):
    response = ask(client_for("monitor"), quarter.directive, directives=[])
    assert response.status_code == 400 and not ReportJob.objects.exists()
    assert "Choose at least one directive." in response.content.decode()


def test_a_directive_the_monitor_does_not_follow_is_not_offered(quarter, client_for):
    response = ask(client_for("monitor"), quarter.directive, directives=[quarter.directive.pk + 1000])
    assert response.status_code == 400
    assert "Choose directives from the list." in response.content.decode()


def test_the_list_shows_the_reports_asked_for_with_their_state(asked, client_for):
    page = client_for("monitor").get(reverse("followup:reports"), headers=EN).content.decode()
    assert f'id="report-{asked.pk}" data-state="done"' in page and "Q2/2023" in page
    assert reverse("followup:download_report", args=[asked.pk, "report"]) in page


@pytest.fixture
def district_monitor(users):
    return create_member(
        username="district_monitor",
        password="x",
        role=Role.MONITOR,
        organization=Organization.objects.get(code="CJU.BTC"),
        jurisdiction=Jurisdiction.objects.get(code="CJU"),
    )


def test_a_monitor_of_another_territory_does_not_find_the_report(asked, district_monitor, client):
    client.force_login(district_monitor)
    for url in (
        reverse("followup:report_job", args=[asked.pk]),
        reverse("followup:download_report", args=[asked.pk, "report"]),
    ):
        assert client.get(url).status_code == 404
    assert f'id="report-{asked.pk}"' not in client.get(reverse("followup:reports")).content.decode()


def test_the_province_follows_a_districts_report_and_the_administrator_every_one(
    quarter, district_monitor, client, client_for, django_capture_on_commit_callbacks
):
    client.force_login(district_monitor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("followup:reports"),
            {
                **ASKED,
                "directives": [quarter.directive.pk],
                "issuer": Organization.objects.get(code="CJU.BTC").pk,
            },
        )
    job = ReportJob.objects.get()
    assert response.status_code == 302 and job.jurisdiction.code == "CJU"
    for name in ("monitor", "admin"):
        assert client_for(name).get(reverse("followup:report_job", args=[job.pk])).status_code == 200


@pytest.mark.parametrize("name", ["reader", "reporter", "leader", "auditor"])
def test_only_monitors_and_administrators_ask_for_reports(asked, client_for, name):
    assert client_for(name).get(reverse("followup:reports")).status_code == 403
    assert client_for(name).get(reverse("followup:report_job", args=[asked.pk])).status_code == 403


def test_the_report_holds_what_the_asking_role_sees(
    quarter, client_for, users, django_capture_on_commit_callbacks
):
    """A monitor of two territories asks as the district's: the report is drafted in that role."""
    Membership.objects.create(
        user=users["monitor"], role=Role.MONITOR, jurisdiction=Jurisdiction.objects.get(code="CJU")
    )
    district = Membership.objects.get(user=users["monitor"], jurisdiction__code="CJU")
    client = client_for("monitor")
    session = client.session
    session["dondoc_membership"] = district.pk
    session.save()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("followup:reports"),
            {
                **ASKED,
                "directives": [quarter.directive.pk],
                "issuer": Organization.objects.get(code="CJU.BTC").pk,
            },
        )
    job = ReportJob.objects.get()
    assert job.membership == district and job.jurisdiction.code == "CJU"
    assert job.state == ReportJobState.DONE, job.message


def test_a_report_says_what_stood_on_the_day_asked_whatever_came_after(
    asked, quarter, client_for, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = DATABASE
    with django_capture_on_commit_callbacks(execute=True):
        ask(client_for("monitor"), quarter.directive)
    # Tuy Đức reports on task 1 after the day the report was asked on
    late_news = Assignment.objects.get(
        task__directive=quarter.directive, task__label="1", organization__code="TDU.BTV"
    )
    send(late_news, "Đang thực hiện; còn khó khăn về kinh phí.", on=TODAY + timedelta(days=5))
    later = ReportJob.objects.latest("id")
    assert generate_report.call(later.pk) == "done"
    later.refresh_from_db()
    assert later.as_of == TODAY and bytes(later.report) == bytes(ReportJob.objects.get(pk=asked.pk).report)
