from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "dondoc.accounts"
    verbose_name = _("Users and roles")
    default_auto_field = "django.db.models.BigAutoField"
