"""Each user's choice of reminder channels, saved from the channels page.

A choice is recorded only where the user departs from what they get without one, or where they had already
made one: a user who never turned e-mail off gets it as soon as their account has an address, as
models.reminders.ChannelChoice promises; one who turned it off keeps it off."""

from __future__ import annotations

from collections.abc import Mapping

from django.db import transaction

from dondoc.accounts.models import User
from dondoc.followup.models.reminders import ChannelChoice, ReminderChannel, channel_enabled


@transaction.atomic
def choose_channels(*, user: User, wanted: Mapping[str, bool]) -> None:
    """Record whether `user` wants reminders through each channel (`wanted` names every channel)."""
    chosen = {
        choice.channel: choice for choice in ChannelChoice.objects.select_for_update().filter(user=user)
    }
    for channel in ReminderChannel:
        enabled = wanted[channel.value]
        choice = chosen.get(channel.value)
        if choice is not None:
            if choice.enabled != enabled:
                choice.enabled = enabled
                choice.save(update_fields=["enabled"])
        elif enabled != channel_enabled(channel=channel, email=user.email, choice=None):
            ChannelChoice.objects.update_or_create(
                user=user, channel=channel.value, defaults={"enabled": enabled}
            )
