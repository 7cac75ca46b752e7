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
        _register_period_source()


def _register_period_source() -> None:
    """Tasks are reported on by their reporting schedules (followup/models/periods.py): the directives app,
    which may not import this one, asks for their periods through directives/periods.py."""
    from dondoc.directives.periods import register_period_source
    from dondoc.followup.selectors.periods import periods_on

    register_period_source(periods_on)


def _register_menu() -> None:
    """The follow-up's pages in the main menu (dondoc/core/navigation.py); each part adds its items here."""
    from dondoc.accounts.models import READING_ROLES
    from dondoc.core.navigation import MenuItem, register_menu

    register_menu(
        # monitors and readers see their territory's inspections, a unit those that covered its body; the
        # auditor, whose menu is the change log, may still open them
        MenuItem(_("Inspections"), "followup:inspections", lambda scope: scope.role in READING_ROLES, 45),
    )
