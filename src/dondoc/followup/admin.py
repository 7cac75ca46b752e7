"""The administrator's screens of the follow-up: the reminder rules (what they send, to whom, when), and the
reminders and follow-ups sent, to read."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from dondoc.followup.models.inspections import Inspection
from dondoc.followup.models.reminders import ChannelChoice, ManualFollowUp, ReminderRule, SentReminder


@admin.register(ReminderRule)
class ReminderRuleAdmin(admin.ModelAdmin[ReminderRule]):
    list_display = ("name", "timing", "days", "recipients", "active")
    list_filter = ("active", "recipients", "timing")
    list_editable = ("active",)


@admin.register(SentReminder)
class SentReminderAdmin(admin.ModelAdmin[SentReminder]):
    list_display = ("assignment", "rule", "deadline", "recipient", "channel", "sent_at")
    list_filter = ("channel", "rule")
    list_select_related = ("assignment__task__directive", "assignment__organization", "rule", "recipient")
    raw_id_fields = ("assignment", "recipient")
    date_hierarchy = "sent_at"


@admin.register(ChannelChoice)
class ChannelChoiceAdmin(admin.ModelAdmin[ChannelChoice]):
    list_display = ("user", "channel", "enabled")
    list_filter = ("channel", "enabled")
    raw_id_fields = ("user",)


@admin.register(ManualFollowUp)
class ManualFollowUpAdmin(admin.ModelAdmin[ManualFollowUp]):
    list_display = ("assignment", "sent_by", "sent_at")
    list_select_related = ("assignment__task__directive", "assignment__organization", "sent_by")
    raw_id_fields = ("assignment", "sent_by")
    date_hierarchy = "sent_at"


@admin.register(Inspection)
class InspectionAdmin(admin.ModelAdmin[Inspection]):
    """Read only: an inspection changes through its pages, whose services keep its rules and conclusion."""

    list_display = ("title", "starts_on", "ends_on", "state", "jurisdiction", "conclusion")
    list_filter = ("state",)
    list_select_related = ("jurisdiction", "conclusion")
    search_fields = ("title",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Inspection | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Inspection | None = None) -> bool:
        return False
