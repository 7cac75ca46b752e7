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
        from dondoc.directives.signals import directive_published
        from dondoc.followup.receivers import schedule_as_the_directive_says

        directive_published.connect(schedule_as_the_directive_says, dispatch_uid="followup.schedules")
        _register_menu()
        _register_period_source()
        _register_directive_links()


def _register_period_source() -> None:
    """Tasks are reported on by their reporting schedules (followup/models/periods.py): the directives app,
    which may not import this one, asks for their periods through directives/periods.py."""
    from dondoc.directives.periods import register_period_source
    from dondoc.followup.selectors.periods import periods_of_tasks

    register_period_source(periods_of_tasks)


def _register_directive_links() -> None:
    """The directive page links to the follow-up's pages about a directive (directives/links.py), which it may
    not name: its periods for whoever reads it, the follow-up by hand for those who manage, once published."""
    from dondoc.accounts.models import MANAGING_ROLES, READING_ROLES
    from dondoc.directives.links import register_directive_link
    from dondoc.directives.models import DirectiveState
    from dondoc.followup.models.inspections import Inspection

    register_directive_link(
        _("Follow-up by period"),
        "followup:directive_followup",
        lambda scope, directive: scope.role in READING_ROLES and directive.state == DirectiveState.PUBLISHED,
    )
    register_directive_link(
        _("The inspection it concludes"),
        "followup:concluded_inspection",
        lambda scope, directive: Inspection.objects.filter(conclusion=directive).exists(),
    )
    register_directive_link(
        _("Send a follow-up"),
        "followup:send_followup",
        lambda scope, directive: scope.role in MANAGING_ROLES and directive.state == DirectiveState.PUBLISHED,
    )


def _register_menu() -> None:
    """The follow-up's pages in the main menu (dondoc/core/navigation.py); each part adds its items here."""
    from dondoc.accounts.models import READING_ROLES
    from dondoc.core.navigation import MenuItem, register_menu

    register_menu(
        # monitors and readers see their territory's inspections, a unit those that covered its body; the
        # auditor, whose menu is the change log, may still open them
        MenuItem(_("Inspections"), "followup:inspections", lambda scope: scope.role in READING_ROLES, 45),
        # where everything the user sees stands: monitors and readers their territory, a unit its own body
        MenuItem(
            _("Follow-up dashboard"), "followup:dashboard", lambda scope: scope.role in READING_ROLES, 40
        ),
        # the periodic report drafted from the dashboard's figures: the monitors' and administrators' work
        MenuItem(_("Periodic reports"), "followup:reports", lambda scope: scope.manages, 42),
    )
