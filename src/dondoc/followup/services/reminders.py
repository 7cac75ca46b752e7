"""Sending reminders and follow-ups: the scheduled reminders the rules call for (`send_reminders`, run daily
by `manage.py send_reminders`) and the follow-up a monitor sends by hand (`send_followup`).

Which rule applies. For each kind of recipient (reporter, leader, monitor) an assignment gets the latest rule
whose moment (its deadline ± the rule's offset in working days) has come, once per deadline:

- a day the command did not run is caught up on the next run, for up to CATCH_UP_DAYS; a reminder older
  than that would only be noise, and the dashboards show what is long overdue;
- a rule overtaken by a later one of the same kind is not sent late: after a missed run, the reporter gets
  the "on the day" reminder, not the "three days before" one as well;
- a reminder before the deadline is not sent once the deadline has passed;
- the text says where the assignment stands today (due on …, overdue since …), not what the rule expected,
  so that a reminder caught up late still reads true.

A new deadline (an approved extension changes Assignment.due) starts the reminders over.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from dondoc import calendar
from dondoc.accounts.models import Membership, Role, User
from dondoc.core.notifications import notify, notify_users
from dondoc.directives.models import Assignment, Directive, DirectiveState
from dondoc.followup.models.reminders import (
    ChannelChoice,
    ManualFollowUp,
    RecipientKind,
    ReminderChannel,
    ReminderRule,
    SentReminder,
    channel_enabled,
)
from dondoc.registry.models import Jurisdiction

# how late a missed reminder is still sent (calendar days after its moment)
CATCH_UP_DAYS = 30
# calendar days that surely hold n working days, whatever the weekends and Tết in between
_SPAN_FACTOR, _SPAN_MARGIN = 3, 15
_BATCH = 1000
_UNIT_ROLES = {Role.UNIT_REPORTER: RecipientKind.REPORTER, Role.UNIT_LEADER: RecipientKind.LEADER}


@dataclass(frozen=True, slots=True)
class ReminderSummary:
    """How many reminders one run sent, per channel (one per assignment, recipient and channel), and how many
    e-mails carried them (one per recipient)."""

    in_app: int = 0
    email: int = 0
    emails: int = 0

    @property
    def total(self) -> int:
        return self.in_app + self.email


@dataclass(frozen=True, slots=True)
class _OpenAssignment:
    id: int
    due: date
    organization_id: int
    organization_name: str
    places: tuple[int | None, ...]  # the territories whose monitors follow it (directives.access's rule)
    task_name: str


@dataclass(frozen=True, slots=True)
class _Recipient:
    user_id: int
    email: str
    name: str


def send_reminders(*, today: date) -> ReminderSummary:
    """Send the reminders due on `today` that were not sent yet, in one transaction, in a number of queries
    that does not grow with the number of assignments; running it twice sends nothing twice."""
    rules = list(ReminderRule.objects.filter(active=True))
    if not rules:
        return ReminderSummary()
    earliest, latest = min(rule.offset for rule in rules), max(rule.offset for rule in rules)
    catch_up_from = today - timedelta(days=CATCH_UP_DAYS)
    # every deadline some rule could fall due for between catch_up_from and today (a superset: the rules are
    # applied exactly below)
    first_due = catch_up_from - timedelta(days=_SPAN_FACTOR * max(latest, 0) + _SPAN_MARGIN)
    last_due = calendar.add_working_days(today, max(-earliest, 0))
    chosen = _chosen_rules(_open_assignments(first_due, last_due), rules, today, catch_up_from)
    if not chosen:
        return ReminderSummary()
    recipients = _recipients_by_kind()
    choices = {
        (user_id, channel): enabled
        for user_id, channel, enabled in ChannelChoice.objects.values_list("user_id", "channel", "enabled")
    }
    already_sent = set(
        SentReminder.objects.filter(deadline__range=(first_due, last_due)).values_list(
            "assignment_id", "rule_id", "deadline", "recipient_id", "channel"
        )
    )
    sent: list[SentReminder] = []
    notices: dict[tuple[int, int], str] = {}  # (assignment, user) → text: one notice however many rules
    digests: dict[_Recipient, list[str]] = defaultdict(list)
    for assignment, rule in chosen:
        text = _reminder_text(assignment, rule.recipients, today)
        for recipient in _recipients_of(assignment, rule.recipients, recipients):
            for channel in ReminderChannel:
                key = (assignment.id, rule.pk, assignment.due, recipient.user_id, channel.value)
                enabled = channel_enabled(
                    channel=channel, email=recipient.email, choice=choices.get((recipient.user_id, channel))
                )
                if not enabled or key in already_sent:
                    continue
                already_sent.add(key)
                sent.append(
                    SentReminder(
                        assignment_id=assignment.id,
                        rule=rule,
                        deadline=assignment.due,
                        recipient_id=recipient.user_id,
                        channel=channel,
                    )
                )
                if channel == ReminderChannel.IN_APP:
                    notices[assignment.id, recipient.user_id] = text
                else:
                    digests[recipient].append(text)
    _record_and_send(sent, notices, digests)
    return ReminderSummary(
        in_app=sum(1 for row in sent if row.channel == ReminderChannel.IN_APP),
        email=sum(1 for row in sent if row.channel == ReminderChannel.EMAIL),
        emails=len(digests),
    )


def _open_assignments(first_due: date, last_due: date) -> list[_OpenAssignment]:
    """Assignments of published directives with a deadline in the range, not confirmed done, in one query."""
    rows = Assignment.objects.filter(
        due__range=(first_due, last_due),
        task__directive__state=DirectiveState.PUBLISHED,
        done_from=None,
        without_end=False,
    ).values_list(
        "id",
        "due",
        "organization_id",
        "organization__name",
        "organization__jurisdiction_id",
        "organization__parent__jurisdiction_id",
        "task__directive__issuer__jurisdiction_id",
        "task__label",
        "task__position",
        "task__directive__number",
    )
    return [
        _OpenAssignment(
            id=pk,
            due=due,
            organization_id=organization_id,
            organization_name=organization_name,
            places=(own, parents, issuers),
            task_name=_("task %(label)s of %(number)s") % {"label": label or position, "number": number},
        )
        for pk, due, organization_id, organization_name, own, parents, issuers, label, position, number in (
            rows
        )
        if due is not None  # the range excludes none; this tells the type checker so
    ]


def _chosen_rules(
    assignments: Iterable[_OpenAssignment], rules: Sequence[ReminderRule], today: date, catch_up_from: date
) -> list[tuple[_OpenAssignment, ReminderRule]]:
    """For each assignment and kind of recipient, the latest rule that has come, as the module says."""
    by_kind: dict[str, list[ReminderRule]] = defaultdict(list)
    for rule in sorted(rules, key=lambda rule: rule.offset, reverse=True):
        by_kind[rule.recipients].append(rule)
    moments: dict[tuple[date, int], date] = {}  # many assignments share a deadline
    chosen = []
    for assignment in assignments:
        for kind_rules in by_kind.values():
            for rule in kind_rules:
                key = (assignment.due, rule.offset)
                if key not in moments:
                    moments[key] = calendar.add_working_days(assignment.due, rule.offset)
                moment = moments[key]
                if moment > today:
                    continue
                if moment >= catch_up_from and (rule.offset >= 0 or today <= assignment.due):
                    chosen.append((assignment, rule))
                break  # an earlier rule of this kind is overtaken by this one
    return chosen


@dataclass(frozen=True, slots=True)
class _Recipients:
    units: dict[tuple[int, str], list[_Recipient]]  # (body, reporter or leader) → users
    monitors: dict[int, list[_Recipient]]  # territory → its monitors
    parents: dict[int, int | None]  # the territory tree


def _recipients_by_kind() -> _Recipients:
    """The active users of every reporter, leader and monitor membership, and the territory tree, in two
    queries."""
    units: dict[tuple[int, str], list[_Recipient]] = defaultdict(list)
    monitors: dict[int, list[_Recipient]] = defaultdict(list)
    memberships = Membership.objects.filter(
        role__in=[*_UNIT_ROLES, Role.MONITOR], user__is_active=True
    ).values_list(
        "role",
        "organization_id",
        "jurisdiction_id",
        "user_id",
        "user__email",
        "user__first_name",
        "user__last_name",
    )
    for role, organization_id, jurisdiction_id, user_id, email, first, last in memberships.order_by(
        "user_id"
    ):
        recipient = _Recipient(user_id, email, f"{first} {last}".strip())
        if role == Role.MONITOR and jurisdiction_id is not None:
            monitors[jurisdiction_id].append(recipient)
        elif role in _UNIT_ROLES and organization_id is not None:
            units[organization_id, _UNIT_ROLES[Role(role)]].append(recipient)
    return _Recipients(units, monitors, dict(Jurisdiction.objects.values_list("id", "parent_id")))


def _recipients_of(assignment: _OpenAssignment, kind: str, known: _Recipients) -> list[_Recipient]:
    """The users a rule of `kind` reminds about an assignment, each once. The monitors are those of the
    territories covering its body, the body above it or its directive's issuer, as
    directives.selectors.recipients.monitors_of reads them one assignment at a time."""
    if kind != RecipientKind.MONITOR:
        return known.units.get((assignment.organization_id, kind), [])
    covering: set[int] = set()
    for place in assignment.places:
        territory = place
        while territory is not None and territory not in covering:
            covering.add(territory)
            territory = known.parents.get(territory)
    found = {
        recipient.user_id: recipient
        for territory in covering
        for recipient in known.monitors.get(territory, [])
    }
    return list(found.values())


def _reminder_text(assignment: _OpenAssignment, kind: str, today: date) -> str:
    due = f"{assignment.due:%d/%m/%Y}"
    if today > assignment.due and kind == RecipientKind.MONITOR:
        return _("Overdue: %(body)s has not completed %(task)s, due on %(due)s.") % {
            "body": assignment.organization_name,
            "task": assignment.task_name,
            "due": due,
        }
    if today > assignment.due:
        return _("Overdue: %(task)s was due on %(due)s; complete it and report on it.") % {
            "task": assignment.task_name,
            "due": due,
        }
    if today == assignment.due:
        return _("Reminder: %(task)s is due today (%(due)s).") % {"task": assignment.task_name, "due": due}
    return _("Reminder: %(task)s is due on %(due)s.") % {"task": assignment.task_name, "due": due}


def _record_and_send(
    sent: list[SentReminder], notices: dict[tuple[int, int], str], digests: dict[_Recipient, list[str]]
) -> None:
    """Record the reminders, post the notices and send the e-mails together: the e-mails last, so that a mail
    server that fails undoes the run, which the next run repeats (nothing is lost; a message the server had
    taken before failing may come twice)."""
    with transaction.atomic():
        SentReminder.objects.bulk_create(sent, batch_size=_BATCH)
        notify_users(
            notices=((user_id, assignment_id, text) for (assignment_id, user_id), text in notices.items()),
            target_model=Assignment,
        )
        _send_emails(
            [
                _email(
                    recipient.email,
                    ngettext(
                        "[dondoc] Reminder: %(count)d task to follow up",
                        "[dondoc] Reminder: %(count)d tasks to follow up",
                        len(texts),
                    )
                    % {"count": len(texts)},
                    recipient.name,
                    texts,
                )
                for recipient, texts in digests.items()
            ]
        )


def _email(address: str, subject: str, name: str, lines: Sequence[str]) -> EmailMessage:
    greeting = _("Dear %(name)s,") % {"name": name} if name else _("Hello,")
    body = "\n".join(
        [
            greeting,
            "",
            *(f"- {line}" for line in lines),
            "",
            _("Sign in to dondoc to see the tasks and report on them."),
        ]
    )
    return EmailMessage(subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=[address])


def _send_emails(messages: list[EmailMessage]) -> None:
    if messages:
        get_connection(fail_silently=False).send_messages(messages)


# --- a follow-up by hand ---


def open_assignments_of(*, assignments: QuerySet[Assignment]) -> QuerySet[Assignment]:
    """Those of `assignments` with a deadline and not confirmed done: those a follow-up may urge."""
    return assignments.filter(due__isnull=False, done_from=None, without_end=False)


def send_followup(
    *, directive: Directive, assignments: QuerySet[Assignment], text: str, by: User | None
) -> list[ManualFollowUp]:
    """Send a monitor's text to the bodies of `assignments` (already within the monitor's scope): a notice
    every user of each body sees, an e-mail to its reporters and leaders who take e-mail, and a record on
    each assignment."""
    text = text.strip()
    chosen = list(assignments.select_related("organization"))
    organization_ids = {assignment.organization_id for assignment in chosen}
    users = (
        User.objects.filter(
            is_active=True,
            memberships__organization_id__in=organization_ids,
            memberships__role__in=list(_UNIT_ROLES),
        )
        .exclude(email="")
        .distinct()
    )
    refused = set(
        ChannelChoice.objects.filter(
            user__in=users, channel=ReminderChannel.EMAIL, enabled=False
        ).values_list("user_id", flat=True)
    )
    subject = _("[dondoc] Follow-up on %(directive)s") % {"directive": directive.number or directive}
    with transaction.atomic():
        records = ManualFollowUp.objects.bulk_create(
            [ManualFollowUp(assignment=assignment, text=text, sent_by=by) for assignment in chosen]
        )
        for assignment in chosen:
            notify(text=text, organizations=[assignment.organization_id], target=assignment)
        _send_emails(
            [
                EmailMessage(
                    subject=subject, body=text, from_email=settings.DEFAULT_FROM_EMAIL, to=[user.email]
                )
                for user in users
                if user.pk not in refused
            ]
        )
    return records
