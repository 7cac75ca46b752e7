"""Directives in the admin: read-only, with their change history.

Directives, tasks, assignments, reports and the links of the chain change only through the pages and their
services (review, publish, report, approve, confirm, link), which keep the rules; the admin shows them to the
administrator and deletes nothing a report may cite."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Model
from django.http import HttpRequest

from dondoc.directives.models import (
    Assignment,
    AssignmentTransfer,
    Attachment,
    Citation,
    DeadlineExtension,
    Directive,
    DirectiveRegion,
    ImportJob,
    ProgressReport,
    Task,
    TaskLink,
)
from dondoc.registry.admin import HistoryAdmin


class ReadOnly:
    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


class ReadOnlyHistoryAdmin(ReadOnly, HistoryAdmin):
    pass


@admin.register(Directive)
class DirectiveAdmin(ReadOnlyHistoryAdmin):
    list_display = ("number", "issued_on", "issuer_text", "state", "published_at")
    list_filter = ("state", "type_code")
    search_fields = ("number",)
    folded_search_fields = ("search_text",)
    date_hierarchy = "issued_on"
    exclude = ("parsed", "source_text")


@admin.register(Task)
class TaskAdmin(ReadOnlyHistoryAdmin):
    list_display = ("__str__", "directive", "deadline_kind", "due")
    list_filter = ("deadline_kind",)
    list_select_related = ("directive",)
    folded_search_fields = ("search_text",)


@admin.register(Assignment)
class AssignmentAdmin(ReadOnlyHistoryAdmin):
    list_display = ("task", "organization", "role", "due")
    list_filter = ("role",)
    list_select_related = ("task", "organization")
    search_fields = ("task__directive__number",)
    folded_search_fields = ("organization__folded_name",)


@admin.register(ProgressReport)
class ProgressReportAdmin(ReadOnlyHistoryAdmin):
    list_display = ("assignment", "percent", "reports_done", "state", "sent_on", "confirmed_on")
    list_filter = ("state", "reports_done")
    list_select_related = ("assignment__task", "assignment__organization")


@admin.register(DeadlineExtension)
class DeadlineExtensionAdmin(ReadOnlyHistoryAdmin):
    list_display = ("assignment", "previous_due", "requested_due", "state", "decided_on")
    list_filter = ("state",)
    list_select_related = ("assignment__task", "assignment__organization")


@admin.register(Attachment)
class AttachmentAdmin(ReadOnlyHistoryAdmin):
    list_display = ("original_name", "report", "content_type", "size", "uploaded_at")
    list_select_related = ("report__assignment__task", "report__assignment__organization")
    exclude = ("stored_name",)


@admin.register(Citation)
class CitationAdmin(ReadOnlyHistoryAdmin):
    list_display = ("citing", "number", "issued_on", "type_text", "cited")
    list_select_related = ("citing", "cited")
    search_fields = ("number",)
    folded_search_fields = ("folded_number",)


@admin.register(TaskLink)
class TaskLinkAdmin(ReadOnlyHistoryAdmin):
    list_display = ("child", "parent", "state", "reason", "score", "decided_by", "decided_at")
    list_filter = ("state", "reason")
    list_select_related = ("child__directive", "parent__directive", "decided_by")
    search_fields = ("child__directive__number", "parent__directive__number")


@admin.register(AssignmentTransfer)
class AssignmentTransferAdmin(ReadOnly, admin.ModelAdmin[AssignmentTransfer]):
    list_display = ("assignment", "from_organization", "to_organization", "effective_on", "decision")
    list_select_related = ("assignment__task__directive", "from_organization", "to_organization")
    search_fields = ("decision", "from_organization__name", "to_organization__name")


@admin.register(DirectiveRegion)
class DirectiveRegionAdmin(ReadOnly, admin.ModelAdmin[DirectiveRegion]):
    """Kept by the database's triggers (migration 0019): shown, never written here."""

    list_display = ("directive", "region", "assignments")
    list_select_related = ("directive", "region")
    search_fields = ("directive__number", "region__name")


@admin.register(ImportJob)
class ImportJobAdmin(ReadOnly, admin.ModelAdmin[ImportJob]):
    list_display = ("original_name", "kind", "state", "progress", "uploaded_by", "created_at")
    list_filter = ("state", "kind")
    # in the order of the file's journey (core.jobs.Job's fields would come first)
    fields = (
        "original_name",
        "kind",
        "size",
        "sha256",
        "uploaded_by",
        "state",
        "progress",
        "message",
        "directive",
        "finished_at",
    )
