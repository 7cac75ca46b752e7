from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectivesConfig(AppConfig):
    name = "dondoc.directives"
    verbose_name = _("Directives")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from dondoc.directives.receivers import move_open_assignments, open_assignments
        from dondoc.directives.registry_links import open_assignments_of
        from dondoc.directives.selectors.history import register_history_sources
        from dondoc.registry.hooks import register_open_assignments
        from dondoc.registry.reorganization import reorganization_committed, reorganization_planned

        reorganization_planned.connect(open_assignments, dispatch_uid="directives.open_assignments")
        reorganization_committed.connect(
            move_open_assignments, dispatch_uid="directives.move_open_assignments"
        )
        register_history_sources()
        register_open_assignments(open_assignments_of)
        _register_menu()


def _register_menu() -> None:
    """The directive pages in the main menu (dondoc/core/navigation.py), as each role has always seen them:
    the auditor, whose work is the change log, sees none but the change log and the notices."""
    from dondoc.accounts.models import READING_ROLES
    from dondoc.core.navigation import MenuItem, register_menu
    from dondoc.directives.access import can_import

    def reads(scope: Any) -> bool:
        return scope.role in READING_ROLES

    register_menu(
        MenuItem(_("Directives"), "directives:list", lambda scope: reads(scope) and not scope.is_unit, 10),
        MenuItem(
            lambda scope: _("Our tasks") if scope.is_unit else _("Assignments"), "directives:inbox", reads, 20
        ),
        MenuItem(_("Import"), "directives:import", can_import, 30),
        MenuItem(_("Search"), "directives:search", reads, 40),
        MenuItem(_("Change log"), "directives:history", lambda scope: scope.reads_history, 50),
        MenuItem(_("Notifications"), "directives:notifications", weight=60, badge="unread_notifications"),
    )
