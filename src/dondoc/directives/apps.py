from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectivesConfig(AppConfig):
    name = "dondoc.directives"
    verbose_name = _("Directives")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from dondoc.directives.receivers import open_assignments
        from dondoc.registry.reorganization import reorganization_planned

        reorganization_planned.connect(open_assignments, dispatch_uid="directives.open_assignments")
