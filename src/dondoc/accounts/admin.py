"""Users with their roles, and API tokens, for the administrator. Roles are recorded in the change history;
a token's key is never shown again after creation (only its prefix), and tokens are revoked, not deleted."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from dondoc.accounts.models import ApiToken, Membership, User
from dondoc.accounts.services import revoke_token

if TYPE_CHECKING:
    TabularInline = admin.TabularInline[Any, Any]
    BaseUserAdmin = UserAdmin[User]
else:
    TabularInline = admin.TabularInline
    BaseUserAdmin = UserAdmin


class MembershipInline(TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ("organization", "jurisdiction")
    verbose_name_plural = _("roles in dondoc")


@admin.register(User)
class MemberAdmin(BaseUserAdmin):
    inlines = (MembershipInline,)
    list_display = ("username", "first_name", "last_name", "roles", "is_active")
    list_filter = ("memberships__role", "is_active")

    def get_queryset(self, request: HttpRequest) -> QuerySet[User]:
        return super().get_queryset(request).prefetch_related("memberships")

    @admin.display(description=_("roles"))
    def roles(self, user: User) -> str:
        return ", ".join(each.get_role_display() for each in user.memberships.all()) or "—"


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin[ApiToken]):
    list_display = ("name", "user", "prefix", "created_at", "last_used_at", "revoked_at")
    list_select_related = ("user",)
    list_filter = ("revoked_at",)
    readonly_fields = ("user", "name", "prefix", "created_at", "last_used_at", "revoked_at")
    exclude = ("digest",)
    actions = ("revoke",)

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False  # a key is issued on the user's token page, where it is shown once

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    @admin.action(description=_("Revoke the selected tokens"))
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiToken]) -> None:
        for token in queryset:
            revoke_token(token=token)
