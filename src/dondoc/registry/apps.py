from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "dondoc.registry"
    verbose_name = _("Registry of bodies")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from dondoc.core.history import register_history_source
        from dondoc.registry.models import Organization

        # the bodies' changes in the change log, each named as it was then
        register_history_source(kind="organization", model=Organization, describe=lambda body: str(body.name))
        _register_menu()


def _register_menu() -> None:
    """The registry's pages in the main menu, for every role that reads; who reads is the pages' own rule
    (registry.views), the one place the registry may ask accounts."""
    from dondoc.core.navigation import MenuItem, register_menu
    from dondoc.registry.views.apparatus import reads_registry

    register_menu(MenuItem(_("Registry"), "registry:apparatus", reads_registry, 47))
