"""A user's reminder channels as the channels page shows them: the choice they made for each channel, or what
they get without one (models.reminders.channel_enabled); and whether any of their roles is reminded at all."""

from __future__ import annotations

from collections.abc import Iterable

from dondoc.accounts.models import Membership, Role, User
from dondoc.followup.models.reminders import ChannelChoice, ReminderChannel, channel_enabled

# the roles services/reminders.py sends to: a body's reporters and leaders, and the monitors of its territory
REMINDED_ROLES = frozenset({Role.UNIT_REPORTER, Role.UNIT_LEADER, Role.MONITOR})


def channels_of(*, user: User) -> dict[str, bool]:
    """Each channel → whether the user wants reminders through it: their choice, else the default."""
    chosen = dict(ChannelChoice.objects.filter(user=user).values_list("channel", "enabled"))
    return {
        channel.value: chosen[channel.value]
        if channel.value in chosen
        else channel_enabled(channel=channel, email=user.email, choice=None)
        for channel in ReminderChannel
    }


def is_reminded(memberships: Iterable[Membership]) -> bool:
    """Whether any of these roles gets reminders (an auditor or a reader gets none, whatever they choose)."""
    return any(membership.role in REMINDED_ROLES for membership in memberships)
