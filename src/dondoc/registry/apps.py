from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "dondoc.registry"
    verbose_name = _("Registry of bodies")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        _register_history()
        _register_menu()


def _register_history() -> None:
    """The registry's changes in the change log, each record named as it was then: the bodies, the
    reorganisations that end and begin them, and what a reorganisation or an import moves (posts, who holds
    them, functions, job positions, quotas), and the decisions on overlaps."""
    from dondoc.core.history import register_history_source
    from dondoc.registry import models

    register_history_source(
        kind="organization", model=models.Organization, describe=lambda body: str(body.name)
    )
    register_history_source(kind="reorganization", model=models.Reorganization, describe=str)
    register_history_source(
        kind="post",
        model=models.Post,
        describe=lambda post: f"{post.title}, {post.organization.name}",
        related=("organization",),
    )
    register_history_source(
        kind="appointment",
        model=models.Appointment,
        describe=lambda held: f"{held.person.full_name}: {held.post.title}, {held.post.organization.name}",
        related=("person", "post__organization"),
    )
    register_history_source(
        kind="function",
        model=models.Function,
        describe=lambda item: f"{item.organization.name}: {item.text[:80]}",
        related=("organization",),
        elided=("text",),
    )
    register_history_source(
        kind="jobposition",
        model=models.JobPosition,
        describe=lambda position: f"{position.name}, {position.organization.name}",
        related=("organization",),
        elided=("competencies", "description"),
    )
    register_history_source(
        kind="staffingquota",
        model=models.StaffingQuota,
        describe=lambda quota: f"{quota.organization.name} {quota.year}",
        related=("organization",),
    )
    register_history_source(
        kind="overlapdecision",
        model=models.OverlapDecision,
        describe=lambda decided: f"{decided.first.organization.name} – {decided.second.organization.name}",
        related=("first__organization", "second__organization"),
    )


def _register_menu() -> None:
    """The registry's pages in the main menu, for every role that reads; who reads is the pages' own rule
    (registry.views), the one place the registry may ask accounts."""
    from dondoc.core.navigation import MenuItem, register_menu
    from dondoc.registry.views.apparatus import reads_registry

    register_menu(MenuItem(_("Registry"), "registry:apparatus", reads_registry, 47))
