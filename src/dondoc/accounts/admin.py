"""Users with their role, and API tokens, for the administrator. Roles are recorded in the change history;
a token's key is never shown again after creation (only its prefix), and tokens are revoked, not deleted."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import User
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from dondoc.accounts.models import ApiToken, Membership
from dondoc.accounts.services import revoke_token

if TYPE_CHECKING:
    StackedInline = admin.StackedInline[Any, Any]
    BaseUserAdmin = UserAdmin[User]
else:
    StackedInline = admin.StackedInline
    BaseUserAdmin = UserAdmin


class MembershipInline(StackedInline):
    model = Membership
    can_delete = False
    autocomplete_fields = ("organization", "jurisdiction")
    verbose_name_plural = _("role in dondoc")


class MemberAdmin(BaseUserAdmin):
    inlines = (MembershipInline,)
    list_display = ("username", "first_name", "last_name", "role", "is_active")
    list_select_related = ("membership",)
    list_filter = ("membership__role", "is_active")

    @admin.display(description=_("role"), ordering="membership__role")
    def role(self, user: User) -> str:
        membership = getattr(user, "membership", None)
        return membership.get_role_display() if membership else "—"


admin.site.unregister(User)
admin.site.register(User, MemberAdmin)


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
