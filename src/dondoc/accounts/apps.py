from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class AccountsConfig(AppConfig):
    name = "dondoc.accounts"
    verbose_name = _("Users and roles")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # the account's pages in the main menu (dondoc/core/navigation.py), after the directives' pages
        from dondoc.accounts.models import Role
        from dondoc.core.navigation import MenuItem, register_menu

        register_menu(
            MenuItem(_("API tokens"), "accounts:tokens", weight=70),
            MenuItem(
                # its own context: Django admin's catalogue, read before this one, says "Quản trị website"
                pgettext_lazy("main menu", "Administration"),
                "admin:index",
                lambda scope: scope.role == Role.ADMINISTRATOR,
                80,
            ),
        )
