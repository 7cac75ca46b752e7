"""The registry in Django's admin, in Vietnamese.

Every object shows its change history (who, when, before → after). Search ignores case and
diacritics ("to chuc" finds "Ban Tổ chức"). Bodies, posts, appointments and whatever else a report
may cite are never deleted here: a row ends when its validity ends.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import admin
from django.db.models import Model, Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from dondoc.registry.models import (
    OPEN_END,
    OPEN_START,
    Appointment,
    ConcurrentPostModel,
    DeputyLimitRule,
    Function,
    JobPosition,
    Jurisdiction,
    Organization,
    OrganizationAlias,
    OrganizationGroup,
    OrganizationGroupAlias,
    OrganizationKind,
    OverlapDecision,
    Person,
    Post,
    Reorganization,
    RequiredFunction,
    StaffingQuota,
    StaffRecord,
    StaffReductionTarget,
    Validity,
)
from dondoc.text import fold

if TYPE_CHECKING:
    TabularInline = admin.TabularInline[Any, Any]
    ModelForm = forms.ModelForm[Any]
else:
    TabularInline = admin.TabularInline
    ModelForm = forms.ModelForm

admin.site.site_header = _("dondoc – registry of bodies administration")
admin.site.site_title = _("dondoc administration")
admin.site.index_title = _("Administration home")


class ValidityFilter(admin.SimpleListFilter):
    """In force today, ended, or not yet begun; the admin is the one place that asks the clock for today."""

    title = _("validity")
    parameter_name = "validity"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [("current", _("in force today")), ("ended", _("ended")), ("future", _("not yet in force"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        today = timezone.localdate()
        if self.value() == "current":
            return queryset.filter(valid_from__lte=today, valid_to__gt=today)
        if self.value() == "ended":
            return queryset.filter(valid_to__lte=today)
        if self.value() == "future":
            return queryset.filter(valid_from__gt=today)
        return queryset


class HistoryAdmin(SimpleHistoryAdmin):  # type: ignore[misc]  # simple_history ships no type hints
    """Change history on every object; search also through folded (diacritic-free) text.

    `search_fields` get the term as typed; `folded_search_fields` (columns holding fold(text))
    get each folded word; `folded_in_python` names columns without a folded copy, folded here,
    for tables small enough to read whole (territories, groups, people).
    """

    folded_search_fields: tuple[str, ...] = ()
    folded_in_python: tuple[str, ...] = ()

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[Any], search_term: str
    ) -> tuple[QuerySet[Any], bool]:
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        words = fold(search_term).split()
        if not words or not (self.folded_search_fields or self.folded_in_python):
            return results, may_have_duplicates
        folded_rows = (
            [
                (pk, " ".join(fold(value or "") for value in values))
                for pk, *values in queryset.values_list("pk", *self.folded_in_python)
            ]
            if self.folded_in_python
            else []
        )
        every_word = Q()
        for word in words:
            any_field = Q()
            for field in self.folded_search_fields:
                any_field |= Q(**{f"{field}__contains": word})
            if folded_rows:
                any_field |= Q(pk__in=[pk for pk, text in folded_rows if word in text])
            every_word &= any_field
        return results | queryset.filter(every_word), True


class KeptForReportsAdmin(HistoryAdmin):
    """No hard delete: reports may cite the row."""

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


class ValidityColumns:
    """Open ends show as empty rather than as 1900 or 9999."""

    @admin.display(description=_("valid from"), ordering="valid_from")
    def starts(self, obj: Validity) -> date | None:
        return None if obj.valid_from == OPEN_START else obj.valid_from

    @admin.display(description=_("valid to"), ordering="valid_to")
    def ends(self, obj: Validity) -> date | None:
        return None if obj.valid_to == OPEN_END else obj.valid_to


class ValidityAdmin(ValidityColumns, KeptForReportsAdmin):
    """Rows with a validity interval end by it."""

    @admin.display(description=_("in force today"), boolean=True)
    def in_force(self, obj: Validity) -> bool:
        return obj.is_valid_on(timezone.localdate())


class ReadOnlyInline(ValidityColumns, TabularInline):
    """A summary of related rows, each linking to its own page, where it is changed."""

    readonly_fields = ("starts", "ends")
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


class KindsForm(ModelForm):
    """Kinds of body as checkboxes instead of raw JSON."""

    KINDS_FIELD = "kinds"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields[self.KINDS_FIELD] = forms.MultipleChoiceField(
            label=self.fields[self.KINDS_FIELD].label,
            choices=OrganizationKind.choices,
            required=False,
            widget=forms.CheckboxSelectMultiple,
        )


class RequiredFunctionForm(KindsForm):
    KINDS_FIELD = "organization_kinds"


@admin.register(Jurisdiction)
class JurisdictionAdmin(ValidityAdmin):
    list_display = ("name", "kind", "level", "parent", "code", "starts", "ends", "in_force")
    list_filter = (ValidityFilter, "kind", "level")
    list_select_related = ("parent",)
    search_fields = ("code",)
    folded_in_python = ("name",)
    autocomplete_fields = ("parent",)


class OrganizationAliasInline(TabularInline):
    model = OrganizationAlias
    fields = ("text", "kind")
    extra = 1


class FunctionInline(ReadOnlyInline):
    model = Function
    fields = ("kind", "position", "text", "source", "starts", "ends")
    verbose_name_plural = _("functions, duties and powers in force or planned")

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return super().get_queryset(request).filter(valid_to__gt=timezone.localdate())


class PostInline(ReadOnlyInline):
    model = Post
    fields = ("title", "kind", "category", "starts", "ends")
    verbose_name_plural = _("posts in force or planned")

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return super().get_queryset(request).filter(valid_to__gt=timezone.localdate())


@admin.register(Organization)
class OrganizationAdmin(ValidityAdmin):
    list_display = ("name", "short_name", "code", "kind", "level", "parent", "starts", "ends", "in_force")
    list_filter = (ValidityFilter, "kind", "level")
    list_select_related = ("parent",)
    search_fields = ("code",)
    folded_search_fields = ("folded_name", "aliases__folded")
    autocomplete_fields = ("parent", "jurisdiction")
    fields = (
        "name",
        "short_name",
        "code",
        "kind",
        "level",
        "parent",
        "jurisdiction",
        "valid_from",
        "valid_to",
    )
    inlines = (OrganizationAliasInline, PostInline, FunctionInline)


@admin.register(OrganizationAlias)
class OrganizationAliasAdmin(HistoryAdmin):
    list_display = ("text", "kind", "organization")
    list_filter = ("kind",)
    list_select_related = ("organization",)
    search_fields = ("organization__code",)
    folded_search_fields = ("folded", "organization__folded_name")
    autocomplete_fields = ("organization",)


class OrganizationGroupAliasInline(TabularInline):
    model = OrganizationGroupAlias
    fields = ("text",)
    extra = 1


@admin.register(OrganizationGroup)
class OrganizationGroupAdmin(HistoryAdmin):
    form = KindsForm
    list_display = ("name", "code", "level", "parent", "jurisdiction")
    list_filter = ("level",)
    list_select_related = ("parent", "jurisdiction")
    search_fields = ("code",)
    folded_search_fields = ("aliases__folded",)
    folded_in_python = ("name",)
    autocomplete_fields = ("parent", "jurisdiction", "members")
    inlines = (OrganizationGroupAliasInline,)


@admin.register(OrganizationGroupAlias)
class OrganizationGroupAliasAdmin(HistoryAdmin):
    list_display = ("text", "group")
    list_select_related = ("group",)
    search_fields = ("group__code",)
    folded_search_fields = ("folded",)
    autocomplete_fields = ("group",)


@admin.register(Function)
class FunctionAdmin(ValidityAdmin):
    list_display = ("__str__", "kind", "organization", "position", "starts", "ends", "in_force")
    list_filter = (ValidityFilter, "kind", "organization__level")
    list_select_related = ("organization",)
    search_fields = ("text", "source")
    folded_search_fields = ("organization__folded_name",)
    autocomplete_fields = ("organization",)


@admin.register(RequiredFunction)
class RequiredFunctionAdmin(HistoryAdmin):
    form = RequiredFunctionForm
    list_display = ("__str__", "level", "source")
    list_filter = ("level",)
    search_fields = ("text", "source")


@admin.register(JobPosition)
class JobPositionAdmin(ValidityAdmin):
    list_display = (
        "name",
        "organization",
        "group",
        "planned_count",
        "filled_count",
        "starts",
        "ends",
        "in_force",
    )
    list_filter = (ValidityFilter, "group", "is_sample")
    list_select_related = ("organization",)
    search_fields = ("name",)
    folded_search_fields = ("organization__folded_name",)
    autocomplete_fields = ("organization",)


class AppointmentsOfPostInline(TabularInline):
    model = Appointment
    fields = ("person", "is_concurrent", "decision", "valid_from", "valid_to")
    autocomplete_fields = ("person",)
    extra = 0
    can_delete = False


@admin.register(Post)
class PostAdmin(ValidityAdmin):
    list_display = ("title", "organization", "kind", "category", "starts", "ends", "in_force")
    list_filter = (ValidityFilter, "kind", "category", "organization__level")
    list_select_related = ("organization",)
    search_fields = ("title",)
    folded_search_fields = ("organization__folded_name",)
    autocomplete_fields = ("organization", "job_position")
    inlines = (AppointmentsOfPostInline,)


class AppointmentsOfPersonInline(ReadOnlyInline):
    model = Appointment
    fields = ("post", "is_concurrent", "decision", "starts", "ends")


@admin.register(Person)
class PersonAdmin(HistoryAdmin):
    list_display = ("full_name", "birth_year", "gender", "is_sample")
    list_filter = ("gender", "is_sample")
    search_fields = ("full_name",)
    folded_in_python = ("full_name",)
    inlines = (AppointmentsOfPersonInline,)


@admin.register(Appointment)
class AppointmentAdmin(ValidityAdmin):
    list_display = ("person", "post", "is_concurrent", "decision", "starts", "ends", "in_force")
    list_filter = (ValidityFilter, "is_concurrent", "post__kind", "post__organization__level")
    list_select_related = ("person", "post__organization")
    search_fields = ("person__full_name", "post__title", "decision")
    folded_search_fields = ("post__organization__folded_name",)
    autocomplete_fields = ("person", "post")
    date_hierarchy = "valid_from"


@admin.register(StaffRecord)
class StaffRecordAdmin(HistoryAdmin):
    list_display = ("organization", "category", "counted_on", "headcount", "is_sample")
    list_filter = ("category", "is_sample")
    list_select_related = ("organization",)
    search_fields = ("organization__code",)
    folded_search_fields = ("organization__folded_name",)
    autocomplete_fields = ("organization",)
    date_hierarchy = "counted_on"


@admin.register(StaffingQuota)
class StaffingQuotaAdmin(KeptForReportsAdmin):
    list_display = ("organization", "year", "category", "assigned", "decision", "is_sample")
    list_filter = ("year", "category", "is_sample")
    list_select_related = ("organization",)
    search_fields = ("organization__code", "decision")
    folded_search_fields = ("organization__folded_name",)
    autocomplete_fields = ("organization",)


@admin.register(DeputyLimitRule)
class DeputyLimitRuleAdmin(ValidityAdmin):
    list_display = ("name", "organization_kind", "level", "scope", "max_deputies", "source", "in_force")
    list_filter = (ValidityFilter, "organization_kind", "level", "scope")
    search_fields = ("name", "source")


@admin.register(StaffReductionTarget)
class StaffReductionTargetAdmin(ValidityAdmin):
    list_display = (
        "name",
        "category",
        "base_year",
        "start_year",
        "end_year",
        "percent",
        "source",
        "in_force",
    )
    list_filter = (ValidityFilter, "category")
    search_fields = ("name", "source")


@admin.register(ConcurrentPostModel)
class ConcurrentPostModelAdmin(ValidityAdmin):
    list_display = (
        "name",
        "primary_organization_kind",
        "primary_post_kind",
        "concurrent_organization_kind",
        "concurrent_post_kind",
        "level",
        "is_pilot",
        "in_force",
    )
    list_filter = (ValidityFilter, "is_pilot", "level")
    search_fields = ("name", "source")


@admin.register(Reorganization)
class ReorganizationAdmin(KeptForReportsAdmin):
    """Read only: a reorganisation is committed by the service that ends and begins the bodies it names."""

    list_display = ("effective_on", "kind", "decision", "committed_at")
    list_filter = ("kind",)
    search_fields = ("decision", "note")
    folded_search_fields = ("originals__folded_name", "results__folded_name")
    date_hierarchy = "effective_on"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


@admin.register(OverlapDecision)
class OverlapDecisionAdmin(HistoryAdmin):
    """Read only: decisions on overlaps are recorded on the overlaps page, by the service that checks them."""

    list_display = ("__str__", "outcome", "decision_number", "decision_date", "recorded_on")
    list_filter = ("outcome",)
    search_fields = ("decision_number", "comment")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False
