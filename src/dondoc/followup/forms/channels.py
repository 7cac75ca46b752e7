"""The channels page's form: one check box per reminder channel, named by the channel."""

from __future__ import annotations

from typing import Any

from django import forms

from dondoc.followup.models.reminders import ReminderChannel


class ChannelsForm(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for channel in ReminderChannel:
            # not required: an unticked box is the choice "no reminders this way"
            self.fields[channel.value] = forms.BooleanField(label=channel.label, required=False)
