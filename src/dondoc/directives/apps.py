from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectivesConfig(AppConfig):
    name = "dondoc.directives"
    verbose_name = _("Directives")
    default_auto_field = "django.db.models.BigAutoField"
