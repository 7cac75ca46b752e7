"""Reminders and escalation: the rules' validation, which reminder goes out on which working day (across a
weekend and Tết), once only, caught up after a missed day, through the channels each user chose; e-mail in
Django's outbox and, once, through a real SMTP server on loopback."""

from __future__ import annotations

import socket
from datetime import date

import pytest
from aiosmtpd.controller import Controller
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.utils import translation

from dondoc.accounts.models import User
from dondoc.core.models import Notification
from dondoc.directives.models import Assignment, Directive, ProgressReport, ReportState
from dondoc.directives.status import WITHOUT_END
from dondoc.followup.models.reminders import (
    ChannelChoice,
    RecipientKind,
    ReminderChannel,
    ReminderRule,
    ReminderTiming,
    SentReminder,
)
from dondoc.followup.services.reminders import send_reminders

# the last working day before Tết 2025 (27–31/1 off, between two weekends)
DEADLINE = date(2025, 1, 24)
THREE_BEFORE = date(2025, 1, 21)
ONE_AFTER = date(2025, 2, 3)  # the first working day after Tết
THREE_AFTER = date(2025, 2, 5)


@pytest.fixture
def assignment(published: Directive, users: dict[str, User]) -> Assignment:
    """Cư Jút's assignment of task 9, due on DEADLINE; every other one without a deadline."""
    Assignment.objects.update(due=None)
    found = Assignment.objects.select_related("task").get(
        task__directive=published, task__label="9", organization__code="CJU.BTV"
    )
    found.task.deadline_kind = "by_date"
    found.task.save(update_fields=["deadline_kind"])
    found.due = DEADLINE
    found.save(update_fields=["due"])
    for name in ("reporter", "leader", "monitor"):
        User.objects.filter(pk=users[name].pk).update(email=f"{name}@dondoc.test", first_name=name.title())
    return found


def _sent(users: dict[str, User]) -> set[tuple[str, str]]:
    names = {user.pk: name for name, user in users.items()}
    return {
        (names[recipient], rule)
        for recipient, rule in SentReminder.objects.values_list("recipient", "rule__name")
    }


def _recipients(channel: str) -> set[str]:
    return set(
        SentReminder.objects.filter(channel=channel).values_list("recipient__username", flat=True).distinct()
    )


# --- the rules ---

NEGATIVE = (
    "The number of working days cannot be negative: choose “before the deadline” and enter 3 for three "
    "working days before it."
)
AT_LEAST_ONE = "A reminder before or after the deadline is at least 1 working day from it."


@pytest.mark.parametrize(
    ("timing", "days", "message"),
    [
        (
            ReminderTiming.BEFORE,
            -3,
            NEGATIVE,
        ),
        (
            ReminderTiming.AFTER,
            -1,
            NEGATIVE,
        ),
        (ReminderTiming.BEFORE, 0, AT_LEAST_ONE),
        (ReminderTiming.AFTER, 0, AT_LEAST_ONE),
        (ReminderTiming.ON_THE_DAY, 1, "A reminder on the day of the deadline has 0 days."),
        (ReminderTiming.AFTER, 61, "A reminder is at most 60 working days from the deadline."),
        (ReminderTiming.BEFORE, 90, "A reminder is at most 60 working days from the deadline."),
    ],
)
def test_a_rule_that_makes_no_sense_is_refused_with_a_clear_message(db, timing, days, message):
    rule = ReminderRule(name="x", timing=timing, days=days, recipients=RecipientKind.REPORTER)
    with translation.override("en"):
        with pytest.raises(ValidationError) as refused:
            rule.full_clean()
        assert refused.value.message_dict == {"days": [message]}  # lazy messages: read in English


def test_the_database_refuses_a_negative_number_of_days_however_it_is_written(db):
    with pytest.raises(IntegrityError), transaction.atomic():
        ReminderRule.objects.create(name="x", timing=ReminderTiming.BEFORE, days=-3, recipients="reporter")
    assert not ReminderRule.objects.filter(name="x").exists()


def test_sensible_rules_pass_and_the_defaults_come_in_the_order_they_fall(db):
    sensible = ((ReminderTiming.AFTER, 60), (ReminderTiming.BEFORE, 5), (ReminderTiming.ON_THE_DAY, 0))
    for timing, days in sensible:
        ReminderRule(name="x", timing=timing, days=days, recipients=RecipientKind.MONITOR).full_clean()
    rules = ReminderRule.objects.all()
    assert [(rule.timing, rule.days, rule.offset, rule.recipients) for rule in rules] == [
        ("before", 3, -3, "reporter"),
        ("on_the_day", 0, 0, "reporter"),
        ("after", 1, 1, "leader"),
        ("after", 3, 3, "monitor"),
    ]


# --- which reminder on which day ---


def test_reminders_follow_working_days_across_a_weekend_and_tet(assignment, users):
    assert send_reminders(today=date(2025, 1, 20)).total == 0  # four working days before
    send_reminders(today=THREE_BEFORE)
    assert _sent(users) == {("reporter", "Nhắc trước hạn 3 ngày làm việc")}
    send_reminders(today=DEADLINE)
    assert ("reporter", "Nhắc đúng ngày đến hạn") in _sent(users)
    # Tết: 27/1 to 31/1 are not working days, so the leader hears nothing until 3/2
    for day in (date(2025, 1, 27), date(2025, 1, 31), date(2025, 2, 1)):
        assert send_reminders(today=day).total == 0, day
    send_reminders(today=ONE_AFTER)
    assert ("leader", "Báo lãnh đạo đơn vị: quá hạn 1 ngày làm việc") in _sent(users)
    assert "monitor" not in {name for name, _rule in _sent(users)}
    assert send_reminders(today=date(2025, 2, 4)).total == 0
    send_reminders(today=THREE_AFTER)
    assert ("monitor", "Báo Ban Tổ chức theo dõi: quá hạn 3 ngày làm việc") in _sent(users)
    assert _recipients(ReminderChannel.IN_APP) == {"reporter", "leader", "monitor"}


def test_escalation_reaches_the_leader_then_the_monitor_in_the_application(assignment, users):
    with translation.override("en"):
        send_reminders(today=ONE_AFTER)
        leader_notice = Notification.objects.get(user=users["leader"])
        assert not Notification.objects.filter(user=users["monitor"]).exists()
        send_reminders(today=THREE_AFTER)
        monitor_notice = Notification.objects.get(user=users["monitor"])
    assert (
        leader_notice.text.startswith("Overdue: task 9 of ") and "was due on 24/01/2025" in leader_notice.text
    )
    assert monitor_notice.text.startswith("Overdue: ") and "has not completed task 9" in monitor_notice.text
    assert monitor_notice.target == assignment


def test_running_twice_sends_nothing_twice(assignment, users):
    first = send_reminders(today=DEADLINE)
    assert first.total > 0
    outbox, notices = len(mail.outbox), Notification.objects.count()
    assert send_reminders(today=DEADLINE).total == 0
    assert (len(mail.outbox), Notification.objects.count()) == (outbox, notices)


def test_a_missed_day_is_caught_up_with_the_latest_rule_only(assignment, users):
    # nothing ran from 21/1 to 4/2: on 5/2 each recipient gets the latest rule that has come, once
    send_reminders(today=THREE_AFTER)
    assert _sent(users) == {
        ("reporter", "Nhắc đúng ngày đến hạn"),
        ("leader", "Báo lãnh đạo đơn vị: quá hạn 1 ngày làm việc"),
        ("monitor", "Báo Ban Tổ chức theo dõi: quá hạn 3 ngày làm việc"),
    }


def test_a_reminder_before_the_deadline_is_not_sent_once_it_has_passed(assignment, users):
    ReminderRule.objects.exclude(timing=ReminderTiming.BEFORE, days=3).delete()
    assert send_reminders(today=ONE_AFTER).total == 0


def test_a_task_confirmed_done_or_given_a_new_deadline_is_not_reminded_of_the_old_one(assignment, users):
    send_reminders(today=DEADLINE)
    Assignment.objects.filter(pk=assignment.pk).update(due=date(2025, 3, 31))  # an approved extension
    assert send_reminders(today=ONE_AFTER).total == 0
    ProgressReport.objects.create(
        assignment=assignment,
        text="Xong",
        reports_done=True,
        state=ReportState.CONFIRMED,
        sent_on=DEADLINE,
        confirmed_on=DEADLINE,
    )
    assert send_reminders(today=date(2025, 3, 31)).total == 0


def test_each_user_gets_the_channels_they_chose(assignment, users):
    ChannelChoice.objects.create(user=users["reporter"], channel=ReminderChannel.EMAIL, enabled=False)
    ChannelChoice.objects.create(user=users["monitor"], channel=ReminderChannel.IN_APP, enabled=False)
    User.objects.filter(pk=users["leader"].pk).update(email="")  # no address: in the application only
    summary = send_reminders(today=THREE_AFTER)
    assert _recipients(ReminderChannel.IN_APP) == {"reporter", "leader"}
    assert _recipients(ReminderChannel.EMAIL) == {"monitor"}
    assert (summary.in_app, summary.email, summary.emails) == (2, 1, 1)
    assert [message.to for message in mail.outbox] == [["monitor@dondoc.test"]]


def test_the_email_has_a_subject_and_body_in_the_language_of_the_run(assignment, users, settings):
    with translation.override("en"):
        send_reminders(today=DEADLINE)
    (message,) = mail.outbox
    assert message.to == ["reporter@dondoc.test"]
    assert message.from_email == settings.DEFAULT_FROM_EMAIL
    assert message.subject == "[dondoc] Reminder: 1 task to follow up"
    assert message.body.startswith("Dear Reporter,\n\n- Reminder: task 9 of ")
    assert "is due today (24/01/2025)." in message.body
    with translation.override("vi"):  # the site's language: the e-mail is rendered in it
        send_reminders(today=ONE_AFTER)
    assert mail.outbox[-1].to == ["leader@dondoc.test"]


def test_the_number_of_queries_does_not_grow_with_the_assignments(
    assignment, users, django_assert_max_num_queries
):
    Assignment.objects.filter(task__directive=assignment.task.directive).exclude(
        task__deadline_kind__in=list(WITHOUT_END)
    ).update(due=DEADLINE)
    assert Assignment.objects.filter(due=DEADLINE).count() > 20
    with django_assert_max_num_queries(12):
        summary = send_reminders(today=THREE_AFTER)
    assert summary.in_app > 3


def test_the_command_sends_through_the_task_framework_and_says_how_many(assignment, users, capsys):
    call_command("send_reminders", "--today", THREE_AFTER.isoformat())
    out = capsys.readouterr().out
    assert "Nhắc hạn ngày 05/02/2025: đã gửi 6 (3 trong ứng dụng, 3 qua thư điện tử trong 3 thư)." in out
    call_command("send_reminders", "--today", THREE_AFTER.isoformat())
    assert "Nhắc hạn ngày 05/02/2025: đã gửi 0 " in capsys.readouterr().out


class _Collector:
    def __init__(self) -> None:
        self.messages: list[tuple[str, list[str], bytes]] = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((envelope.mail_from, envelope.rcpt_tos, envelope.content))
        return "250 OK"


def test_a_reminder_reaches_a_real_smtp_server(assignment, users, settings):
    collector = _Collector()
    with socket.socket() as probe:  # a free port (the controller checks its own server by connecting to it)
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(collector, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
        settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
        settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
        with translation.override("en"):
            send_reminders(today=DEADLINE)
    finally:
        controller.stop()
    ((sender, recipients, content),) = collector.messages
    assert recipients == ["reporter@dondoc.test"]
    assert "dondoc" in sender
    assert b"Subject: [dondoc] Reminder: 1 task to follow up" in content
