from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FollowupConfig(AppConfig):
    """Following up on directives (đôn đốc, kiểm tra, giám sát): reporting periods, reminders and their
    escalation, inspections, dashboards. Built on the directives app, which stays about documents, tasks,
    assignments and reports, and never imports this one."""

    name = "dondoc.followup"
    verbose_name = _("Follow-up")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        _register_menu()


def _register_menu() -> None:
    """The follow-up's pages in the main menu (dondoc/core/navigation.py); each part adds its items here."""
    from dondoc.core.navigation import register_menu

    register_menu()
