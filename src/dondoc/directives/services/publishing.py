"""Publishing a reviewed draft: its tasks become assignments to the bodies the registry resolves (or the
reviewer decides), in one transaction, and each body is notified; refused if the draft was saved since the
reviewer's page showed it, or while a link of a task to the task it implements is still a proposal."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from dondoc.accounts.models import User
from dondoc.core.notifications import notify
from dondoc.directives.models import (
    Assignment,
    AssignmentRole,
    Directive,
    DirectiveState,
    LinkState,
    Task,
    TaskLink,
)
from dondoc.directives.services.errors import DirectiveError, EditConflict
from dondoc.directives.signals import directive_published
from dondoc.registry.models import Organization
from dondoc.registry.resolution import AddresseeResolver


@dataclass(frozen=True, slots=True)
class Publication:
    directive: Directive
    assignments: int
    bodies: int


@dataclass(frozen=True, slots=True)
class ReviewedVersions:
    """The versions of the draft's header and of each of its tasks (task id → version) as the reviewer's page
    showed them when they confirmed having checked every field."""

    header: int
    tasks: Mapping[int, int]


def _changed_since(directive: Directive, tasks: Sequence[Task], reviewed: ReviewedVersions) -> list[str]:
    """The parts of the draft saved since the reviewer's page showed them, named for the reviewer."""
    changed = [_("the header")] if directive.version != reviewed.header else []
    changed += [
        _("task %(label)s") % {"label": task.label or task.position}
        for task in tasks
        if reviewed.tasks.get(task.pk) != task.version
    ]
    return changed


def _undecided_links(directive: Directive) -> list[str]:
    """The tasks whose proposed link to a parent task is not decided yet, named for the reviewer."""
    proposed = TaskLink.objects.filter(child__directive=directive, state=LinkState.PROPOSED)
    tasks = dict.fromkeys(proposed.order_by("child__position").values_list("child__label", "child__position"))
    return [_("task %(label)s") % {"label": label or position} for label, position in tasks]


def issuer_context(*, directive: Directive, resolver: AddresseeResolver) -> int | None:
    """The registry body that issued the draft: recorded, or found from the issuer as printed (placed by the
    line above it in the header, "UBND TỈNH ĐẮK NÔNG" over "SỞ NỘI VỤ")."""
    if directive.issuer_id is not None:
        return directive.issuer_id
    if not directive.issuer_text:
        return None
    parent = (directive.parsed or {}).get("parent_issuer")
    return resolver.issuer_context(
        directive.issuer_text, parent=parent if isinstance(parent, str) and parent else None
    )


@transaction.atomic
def publish_directive(
    *,
    directive: Directive,
    decisions: Mapping[str, Sequence[int]] | None = None,
    resolver: AddresseeResolver | None = None,
    reviewed_by: User | None = None,
    reviewed: ReviewedVersions | None = None,
) -> Publication:
    """Every task becomes one assignment per body: its lead bodies (the addressees when it names none) and its
    coordinating bodies, with the task's deadline. Phrases the registry cannot resolve must have a reviewer's
    decision in `decisions` (phrase → body ids, possibly none); otherwise nothing is published. A body outside
    the jurisdiction (a ministry named as lead) is assigned only when a decision names it. Each body assigned
    a task is notified in the application; `reviewed_by` is recorded as the reviewer. With `reviewed` (what
    the reviewer's page showed), a draft whose header or a task was saved since is refused (EditConflict): the
    reviewer confirmed values that are no longer those published. The task edits lock the draft's row too, so
    the versions cannot change while this runs. A link proposed between a task and the parent task it
    implements (directives.services.chain) must be confirmed or rejected first."""
    directive = Directive.objects.select_for_update().get(pk=directive.pk)
    if directive.state != DirectiveState.DRAFT:
        raise DirectiveError(_("This directive is already published."))
    tasks = list(directive.tasks.all())
    if reviewed is not None and (changed := _changed_since(directive, tasks, reviewed)):
        raise EditConflict(
            directive,
            _(
                "Someone else saved changes to this draft after you opened it (%(changes)s): check them, "
                "then confirm and publish again."
            )
            % {"changes": ", ".join(changed)},
        )
    if undecided := _undecided_links(directive):
        raise DirectiveError(
            _("Confirm or reject the proposed link of these tasks to the tasks they implement: %(tasks)s.")
            % {"tasks": ", ".join(undecided)}
        )
    decisions = decisions or {}
    decided = {body_id for body_ids in decisions.values() for body_id in body_ids}
    if decided and Organization.objects.filter(pk__in=decided).count() != len(decided):
        raise DirectiveError(_("A body chosen for a phrase is not in the registry."))
    resolver = resolver or AddresseeResolver(on=directive.issued_on)
    context = issuer_context(directive=directive, resolver=resolver)
    resolved: dict[str, tuple[int, ...]] = {}
    unresolved: list[str] = []

    def bodies(phrases: Sequence[str]) -> list[int]:
        found: list[int] = []
        for phrase in phrases:
            if phrase not in resolved:
                if phrase in decisions:
                    resolved[phrase] = tuple(decisions[phrase])
                else:
                    resolution = resolver.resolve(phrase, context=context)
                    if not resolution.resolved:
                        unresolved.append(phrase)
                    resolved[phrase] = resolution.assignable_ids
            found.extend(resolved[phrase])
        return found

    addressees = bodies(directive.addressee_phrases)
    assignments: list[Assignment] = []
    for task in tasks:
        leads = bodies(task.lead_phrases) if task.lead_phrases else addressees
        roles = dict.fromkeys(bodies(task.coordinating_phrases), AssignmentRole.COORDINATING)
        roles.update(dict.fromkeys(leads, AssignmentRole.LEAD))  # a body both leading and helping leads
        assignments += [
            Assignment(task=task, organization_id=body_id, role=role, due=task.due)
            for body_id, role in roles.items()
        ]
    if unresolved:
        raise DirectiveError(
            _("Decide which bodies these phrases mean before publishing: %(phrases)s.")
            % {"phrases": "; ".join(dict.fromkeys(unresolved))}
        )
    bulk_create_with_history(assignments, Assignment)
    directive.state = DirectiveState.PUBLISHED
    directive.published_at = timezone.now()
    if reviewed_by is not None:
        directive.reviewed_by, directive.reviewed_at = reviewed_by, directive.published_at
    if context is not None and directive.issuer_id is None:
        directive.issuer_id = context
    directive.save(update_fields=["state", "published_at", "issuer", "reviewed_by", "reviewed_at"])
    notice = _("New directive to carry out: %(number)s, %(subject)s") % {
        "number": directive.number or f"{directive.issued_on:%d/%m/%Y}",
        "subject": directive.subject,
    }
    notify(
        organizations=[assignment.organization_id for assignment in assignments],
        text=notice,
        target=directive,
    )
    directive_published.send(sender=Directive, directive=directive)
    return Publication(directive, len(assignments), len({a.organization_id for a in assignments}))
