"""The chain of implementation, written: each task of an implementing document (a district's plan) linked to
the task it carries out in the directive above it (the province's letter). Links are proposed when the
document is imported (directives.linking finds them, by mention or similar wording) or again on request, and
the reviewer confirms, rejects or chooses another parent task. A link to a task of the same directive, and
one closing a loop in the chain, are refused."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from dondoc.accounts.models import User
from dondoc.directives import linking
from dondoc.directives.models import Directive, LinkReason, LinkState, Task, TaskLink
from dondoc.directives.selectors.chain import ancestors_of, parents_to_propose
from dondoc.directives.services.errors import DirectiveError


@dataclass(frozen=True, slots=True)
class Proposals:
    """What a proposal stored: how many links, and why none could be proposed (`note`), if so."""

    proposed: int
    note: str = ""


def _task_text(task: Task) -> linking.TaskText:
    return linking.TaskText(key=task.pk, label=task.label or str(task.position), text=task.text)


def store_proposals(directive: Directive) -> Proposals:
    """A proposed link for each task of `directive` without a proposed or confirmed one, to the parent task
    the matching finds best in the directive it implements (never one the reviewer rejected). Runs in the
    caller's transaction: create_draft's, or propose_task_links'."""
    search = parents_to_propose(directive=directive)
    if not search.parents:
        return Proposals(0, search.note)
    existing = set(TaskLink.objects.filter(child__directive=directive).values_list("child_id", "parent_id"))
    live = {
        child_id
        for child_id, state in TaskLink.objects.filter(child__directive=directive).values_list(
            "child_id", "state"
        )
        if state != LinkState.REJECTED
    }
    children = [_task_text(task) for task in directive.tasks.order_by("position") if task.pk not in live]
    best: dict[int, linking.Candidate] = {}
    for parent in search.parents:
        proposals = linking.propose_links(
            children=children,
            parents=[_task_text(task) for task in parent.tasks.order_by("position")],
            parent_numbers=[parent.number] if parent.number else [],
        )
        for proposal in proposals:
            candidate = proposal.best
            if candidate is None or (proposal.child, candidate.parent) in existing:
                continue
            if proposal.child not in best or candidate.score > best[proposal.child].score:
                best[proposal.child] = candidate
    links = [
        TaskLink(
            child_id=child_id,
            parent_id=candidate.parent,
            state=LinkState.PROPOSED,
            reason=LinkReason(candidate.reason.value),
            score=candidate.score,
            evidence=candidate.evidence,
        )
        for child_id, candidate in best.items()
    ]
    bulk_create_with_history(links, TaskLink)
    return Proposals(len(links))


@transaction.atomic
def propose_task_links(*, directive: Directive) -> int:
    """Ask again for the parent task of each task not yet linked (the directive it implements was imported
    since); how many links were proposed. Refused, with the reason, when no such directive is found."""
    directive = Directive.objects.select_for_update().get(pk=directive.pk)
    proposals = store_proposals(directive)
    if proposals.note:
        raise DirectiveError(proposals.note)
    return proposals.proposed


def _refuse_loop(child: Task, parent: Task) -> None:
    if child.directive_id == parent.directive_id:
        raise DirectiveError(_("A task cannot implement a task of its own directive."))
    if child.directive_id in ancestors_of(parent.directive_id):
        raise DirectiveError(
            _(
                "%(parent)s already implements %(child)s, directly or through other documents: this link "
                "would close a loop in the chain."
            )
            % {
                "parent": parent.directive.number or _("the parent task's directive"),
                "child": child.directive.number or _("this directive"),
            }
        )


def _locked(link: TaskLink) -> TaskLink:
    return (
        TaskLink.objects.select_for_update()
        .select_related("child__directive", "parent__directive")
        .get(pk=link.pk)
    )


@transaction.atomic
def confirm_link(*, link: TaskLink, by: User | None = None) -> TaskLink:
    """The reviewer agrees that the task implements the proposed parent task."""
    link = _locked(link)
    if link.state != LinkState.PROPOSED:
        raise DirectiveError(
            _("This link is no longer a proposal: it was %(state)s in the meantime.")
            % {"state": link.get_state_display()}
        )
    _refuse_loop(link.child, link.parent)
    link.state, link.decided_by, link.decided_at = LinkState.CONFIRMED, by, timezone.now()
    link.save(update_fields=["state", "decided_by", "decided_at"])
    return link


@transaction.atomic
def reject_link(*, link: TaskLink, by: User | None = None) -> TaskLink:
    """The reviewer says the task does not implement that parent task (a proposal, or a link confirmed by
    mistake); it is not proposed again."""
    link = _locked(link)
    if link.state == LinkState.REJECTED:
        raise DirectiveError(_("This link is already rejected."))
    link.state, link.decided_by, link.decided_at = LinkState.REJECTED, by, timezone.now()
    link.save(update_fields=["state", "decided_by", "decided_at"])
    return link


@transaction.atomic
def choose_parent_task(*, child: Task, parent: Task, by: User | None = None) -> TaskLink:
    """The reviewer's own choice of the task `child` implements: confirmed at once, and the task's other
    proposed or confirmed links rejected."""
    child = Task.objects.select_related("directive").get(pk=child.pk)
    parent = Task.objects.select_related("directive").get(pk=parent.pk)
    _refuse_loop(child, parent)
    now = timezone.now()
    links = {link.parent_id: link for link in TaskLink.objects.select_for_update().filter(child=child)}
    for other in links.values():
        if other.parent_id != parent.pk and other.state != LinkState.REJECTED:
            other.state, other.decided_by, other.decided_at = LinkState.REJECTED, by, now
            other.save(update_fields=["state", "decided_by", "decided_at"])
    chosen = links.get(parent.pk)
    if chosen is None:
        chosen = TaskLink(child=child, parent=parent, reason=LinkReason.CHOSEN, score=0.0)
    elif chosen.state == LinkState.REJECTED:
        chosen.reason = LinkReason.CHOSEN  # a proposal or a confirmed link keeps why it was found
    chosen.state, chosen.decided_by, chosen.decided_at = LinkState.CONFIRMED, by, now
    chosen.save()
    return chosen
