"""The demo's first start shows the follow-up at work on the seed letter: one inspection of three districts
with its findings, a recommendation followed up as a task of the published conclusion, and the reminders the
rules sent around the letter's deadlines, in the application and (a few) by e-mail; a second run adds
nothing."""

from __future__ import annotations

from datetime import date

import pytest
from django.core import mail
from tests.demo.test_setup_demo import run_setup_demo

from dondoc.core.models import Notification
from dondoc.directives.models import Assignment, Directive, DirectiveState
from dondoc.followup.models import Finding, Inspection, InspectionState, Recommendation, SentReminder
from dondoc.followup.models.reminders import ReminderChannel
from dondoc.followup.selectors.dashboard import DashboardFilters, overview
from dondoc.registry.sample import load_sample_registry

# the demo as `make run` builds it on SQLite; the services it calls are tested on PostgreSQL too
pytestmark = pytest.mark.database_neutral


def _counts() -> tuple[int, ...]:
    return (
        Inspection.objects.count(),
        Finding.objects.count(),
        Recommendation.objects.count(),
        Directive.objects.count(),
        Assignment.objects.count(),
        SentReminder.objects.count(),
        Notification.objects.count(),
        len(mail.outbox),
    )


def test_the_organization_commission_inspected_three_districts_and_followed_a_recommendation_up(db):
    load_sample_registry()
    run_setup_demo()

    inspection = Inspection.objects.get()
    seed = Directive.objects.get(number="1317-CV/TU")
    assert (inspection.leader.username, inspection.created_by.username) == ("monitor", "monitor")
    assert inspection.jurisdiction.code == "DNO" and inspection.starts_on < inspection.ends_on
    assert set(inspection.organizations.values_list("code", flat=True)) == {"CJU.BTV", "DSO.BTV", "KNO.BTV"}
    assert list(inspection.directives.all()) == [seed]
    assert "22-QĐ/TW" in inspection.legal_basis and "1317-CV/TU" in inspection.legal_basis
    assert inspection.team.count("\n") == 2 and inspection.scope_text
    assert inspection.findings.count() == 2
    assert Recommendation.objects.filter(finding__inspection=inspection).count() == 2

    assert inspection.state == InspectionState.CONCLUDED
    conclusion = inspection.conclusion
    assert conclusion.state == DirectiveState.PUBLISHED and conclusion.issuer.code == "DNO.BTCTU"
    followed = Recommendation.objects.get(task__isnull=False)
    assert followed.task.directive == conclusion
    assignment = Assignment.objects.get(task=followed.task)
    transfer = assignment.transfers.get()
    assert (transfer.from_organization.code, assignment.due) == ("CJU.BTV", followed.due)
    # the demo commits the 2025 reorganisation: Cư Jút's commune Party committee carries the open task since
    assert assignment.organization.code == transfer.to_organization.code == "LDG-CU-JUT.DU"


def test_reminders_were_sent_in_the_application_and_a_few_by_e_mail(db):
    load_sample_registry()
    run_setup_demo()

    assert SentReminder.objects.filter(channel=ReminderChannel.IN_APP).exists()
    monitor_notices = Notification.objects.filter(user__username="monitor", text__startswith="Overdue:")
    assert monitor_notices.exists()
    reporter_notices = Notification.objects.filter(user__username="reporter", text__startswith="Reminder:")
    assert reporter_notices.exists()
    # the conclusion's task, left without a report, was reminded of too
    assert SentReminder.objects.filter(assignment__task__recommendation__isnull=False).exists()

    # each dated on the day its run would have sent it, not the day the demo was set up
    for reminder in SentReminder.objects.select_related("assignment")[:50]:
        assert (
            reminder.sent_at.date() < date.today()
            and abs((reminder.sent_at.date() - reminder.deadline).days) <= 14
        )
    dated = reporter_notices.first()
    assert dated.created_at.date() < date.today()

    addresses = {address for message in mail.outbox for address in message.to}
    assert addresses == {"vanphong.huyenuy@cujut.dondoc.local", "thuongtruc.huyenuy@cujut.dondoc.local"}
    assert 0 < len(mail.outbox) <= 10  # printed on the console under `make run`: a few, not a flood


def test_a_second_run_adds_nothing(db):
    load_sample_registry()
    run_setup_demo()
    before = _counts()
    run_setup_demo()
    assert _counts() == before


def test_the_dashboard_has_bodies_that_reported_for_the_current_period_and_some_that_did_not(db, settings):
    settings.DONDOC_TODAY = date(2024, 11, 20)
    load_sample_registry()
    run_setup_demo()
    counts = overview(
        assignments=Assignment.objects.all(), today=date(2024, 11, 20), filters=DashboardFilters()
    ).counts
    assert counts.reported > 0 and counts.not_reported > counts.reported
    assert counts.done_on_time and counts.done_late and counts.overdue
