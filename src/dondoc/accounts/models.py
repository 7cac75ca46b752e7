"""The people who use dondoc, and their memberships: each a role, scoped to a body or a territory. A person
may hold several (a district Party secretary who also chairs its People's Council) and acts through one at a
time, chosen for the session."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from dondoc.registry.models import Jurisdiction, Organization


class Role(models.TextChoices):
    ADMINISTRATOR = "administrator", _("administrator")
    MONITOR = "monitor", _("monitor (Organization Commission)")
    UNIT_REPORTER = "unit_reporter", _("unit reporter")
    UNIT_LEADER = "unit_leader", _("unit leader")
    READER = "reader", _("reader (Standing Board)")
    AUDITOR = "auditor", _("auditor")


# The role sets every access rule is written with (one place for them)
UNIT_ROLES = frozenset({Role.UNIT_REPORTER, Role.UNIT_LEADER})
JURISDICTION_ROLES = frozenset({Role.MONITOR, Role.READER})
MANAGING_ROLES = frozenset({Role.ADMINISTRATOR, Role.MONITOR})
HISTORY_ROLES = frozenset({Role.ADMINISTRATOR, Role.MONITOR, Role.AUDITOR})
# everyone but the auditor, whose work is the change log
READING_ROLES = frozenset({Role.ADMINISTRATOR, Role.MONITOR, Role.READER, *UNIT_ROLES})


class User(AbstractUser):
    """A person who signs in. The project's own model (Django's advice), so that what dondoc needs of a person
    can be added by a migration; it keeps the table and integer keys of Django's user it replaced."""

    id = models.AutoField(primary_key=True)

    class Meta(AbstractUser.Meta):
        db_table = "auth_user"


class Membership(models.Model):
    """One role of one user: unit roles name their body, monitors and readers their jurisdiction."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("body"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
    )
    jurisdiction = models.ForeignKey(
        Jurisdiction,
        verbose_name=_("jurisdiction"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self) -> str:
        return f"{self.user} – {self.label}"

    @property
    def label(self) -> str:
        """The role and where it applies, as the page frame and the role switcher name it."""
        place = self.organization or self.jurisdiction
        return f"{self.get_role_display()} – {place.name}" if place is not None else self.get_role_display()

    def clean(self) -> None:
        super().clean()
        if self.role in UNIT_ROLES and self.organization_id is None:
            raise ValidationError({"organization": _("A unit's reporter or leader belongs to a body.")})
        if self.role in JURISDICTION_ROLES and self.jurisdiction_id is None:
            raise ValidationError({"jurisdiction": _("A monitor or reader follows a jurisdiction.")})


class ApiToken(models.Model):
    """A bearer token for the REST API: only its SHA-256 is stored; the key is shown once, at creation."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("starts with"), max_length=12)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
