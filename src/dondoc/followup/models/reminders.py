"""Reminders and escalation (đôn đốc): the rules an administrator sets, the reminders sent (so that none is
sent twice), each user's channels, and the follow-ups a monitor sends by hand."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Case, F, Q, Value, When
from django.utils.translation import gettext_lazy as _

# a reminder more than three months of working days away from its deadline is a mistake, not a rule
MAX_DAYS = 60


class ReminderTiming(models.TextChoices):
    BEFORE = "before", _("before the deadline")
    ON_THE_DAY = "on_the_day", _("on the day of the deadline")
    AFTER = "after", _("after the deadline")


class RecipientKind(models.TextChoices):
    """Whom a rule reminds, escalating: the body's reporters, then its leaders, then the monitors."""

    REPORTER = "reporter", _("the body's reporters")
    LEADER = "leader", _("the body's leaders")
    MONITOR = "monitor", _("the monitors of its territory")


class ReminderChannel(models.TextChoices):
    IN_APP = "in_app", _("in the application")
    EMAIL = "email", _("by e-mail")


class ReminderRule(models.Model):
    """When a reminder goes out and to whom: `days` working days before the deadline, on the day, or after it,
    working days as dondoc.calendar counts them (weekends, Tết, holidays)."""

    name = models.CharField(_("name"), max_length=200)
    timing = models.CharField(_("when"), max_length=20, choices=ReminderTiming.choices)
    days = models.SmallIntegerField(
        _("working days"),
        help_text=_("How many working days before or after the deadline; 0 on the day."),
        # a field validator, so that the form names the field and the constraint below is not checked twice
        validators=[
            MinValueValidator(
                0,
                message=_(
                    "The number of working days cannot be negative: choose “before the deadline” and enter 3 "
                    "for three working days before it."
                ),
            )
        ],
    )
    recipients = models.CharField(_("sent to"), max_length=20, choices=RecipientKind.choices)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("reminder rule")
        verbose_name_plural = _("reminder rules")
        # in the order they fall: before the deadline (the farthest first), on the day, after it
        ordering = (
            Case(
                When(timing=ReminderTiming.BEFORE, then=-F("days")),
                When(timing=ReminderTiming.AFTER, then=F("days")),
                default=Value(0),
                output_field=models.IntegerField(),
            ).asc(),
            "recipients",
        )
        constraints = (
            models.CheckConstraint(condition=Q(days__gte=0), name="reminder_rule_days_not_negative"),
        )

    def __str__(self) -> str:
        return self.name

    @property
    def offset(self) -> int:
        """Working days from the deadline: negative before it, 0 on the day, positive after it."""
        return -self.days if self.timing == ReminderTiming.BEFORE else self.days

    def clean(self) -> None:
        super().clean()
        if self.days is None or self.days < 0 or not self.timing:
            return  # the field's own error says what is wrong
        if self.days > MAX_DAYS:
            too_far = _("A reminder is at most %(max)d working days from the deadline.")
            raise ValidationError({"days": too_far % {"max": MAX_DAYS}})
        if self.timing == ReminderTiming.ON_THE_DAY and self.days != 0:
            raise ValidationError({"days": _("A reminder on the day of the deadline has 0 days.")})
        if self.timing != ReminderTiming.ON_THE_DAY and self.days == 0:
            raise ValidationError(
                {"days": _("A reminder before or after the deadline is at least 1 working day from it.")}
            )


class SentReminder(models.Model):
    """One reminder sent: to one user, through one channel, by one rule, about one deadline of an assignment.
    A new deadline (an approved extension) starts its reminders over."""

    assignment = models.ForeignKey(
        "directives.Assignment",
        verbose_name=_("assignment"),
        on_delete=models.CASCADE,
        related_name="sent_reminders",
    )
    rule = models.ForeignKey(
        ReminderRule, verbose_name=_("rule"), on_delete=models.PROTECT, related_name="sent_reminders"
    )
    deadline = models.DateField(_("deadline"))
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recipient"), on_delete=models.CASCADE, related_name="+"
    )
    channel = models.CharField(_("channel"), max_length=20, choices=ReminderChannel.choices)
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        verbose_name = _("reminder sent")
        verbose_name_plural = _("reminders sent")
        # tuples: the options are read-only (lists would be flagged as mutable class attributes)
        constraints = (
            models.UniqueConstraint(
                fields=["assignment", "rule", "deadline", "recipient", "channel"], name="unique_sent_reminder"
            ),
        )
        indexes = (models.Index(fields=["deadline"], name="sent_reminder_deadline"),)

    def __str__(self) -> str:
        return f"{self.rule} → {self.recipient} ({self.get_channel_display()})"


class ChannelChoice(models.Model):
    """A user's choice for one channel. Without one: in the application always, by e-mail when the user has
    an address (`channel_enabled`)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="reminder_channels",
    )
    channel = models.CharField(_("channel"), max_length=20, choices=ReminderChannel.choices)
    enabled = models.BooleanField(_("enabled"), default=True)

    class Meta:
        verbose_name = _("reminder channel")
        verbose_name_plural = _("reminder channels")
        constraints = (models.UniqueConstraint(fields=["user", "channel"], name="unique_channel_choice"),)

    def __str__(self) -> str:
        return f"{self.user}: {self.get_channel_display()}"


def channel_enabled(*, channel: str, email: str, choice: bool | None) -> bool:
    """Whether a user gets reminders through `channel`, from their choice (None: they made none). E-mail needs
    an address whatever they chose."""
    if channel == ReminderChannel.EMAIL and not email:
        return False
    return True if choice is None else choice


class ManualFollowUp(models.Model):
    """A follow-up a monitor sent by hand about one assignment (the same text to each body chosen)."""

    assignment = models.ForeignKey(
        "directives.Assignment",
        verbose_name=_("assignment"),
        on_delete=models.CASCADE,
        related_name="manual_follow_ups",
    )
    text = models.TextField(_("text"))
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sent by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        verbose_name = _("follow-up sent by hand")
        verbose_name_plural = _("follow-ups sent by hand")
        ordering = ("-sent_at",)

    def __str__(self) -> str:
        return f"{self.assignment} ({self.sent_at:%d/%m/%Y})"
