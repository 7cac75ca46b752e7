from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "dondoc.registry"
    verbose_name = _("Registry of bodies")
    default_auto_field = "django.db.models.BigAutoField"
