"""The chain of implementation: its page (what a directive implements, up to the top, and what implements it,
with progress at each level), and the monitor's decisions on the links of a directive's tasks to the tasks
they carry out: confirm, reject, choose another, or ask for proposals again once the directive implemented
is in dondoc.

The page reads as directive_detail does (directives.access.directives_for); the decisions are those who
import and review directives' (views/imports.py's guard)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers

from dondoc import clock
from dondoc.accounts.access import role_required, scope
from dondoc.accounts.models import MANAGING_ROLES, READING_ROLES, User
from dondoc.core.htmx import HTMX_HEADER, wants_fragment
from dondoc.core.replica import reads_from_replica
from dondoc.directives import selectors
from dondoc.directives.access import (
    access_directive,
    access_review,
    assignments_for,
    can_import,
    directives_for,
)
from dondoc.directives.models import Directive, DirectiveState, LinkState, Task, TaskLink
from dondoc.directives.review import task_chain
from dondoc.directives.services import (
    DirectiveError,
    choose_parent_task,
    confirm_link,
    propose_task_links,
    reject_link,
)

HEAVY = ("source_text", "parsed", "search_text")


@role_required(*READING_ROLES)
@require_GET
@reads_from_replica
def chain(request: HttpRequest, pk: int) -> HttpResponse:
    """The chain through a directive as a tree: the documents it implements up to the top (those known only
    by citation as such), then the plans implementing it, level by level, each with its progress."""
    acting = scope(request)
    directive = access_directive(acting, pk, deferred=HEAVY)
    tree = selectors.chain_tree(
        directive=directive,
        directives=directives_for(acting),
        assignments=assignments_for(acting),
        today=clock.today(),
    )
    return render(
        request,
        "directives/chain.html",
        {"directive": directive, "tree": tree, "may_link": can_import(acting), "today": clock.today()},
    )


def _back(directive: Directive, anchor: str = "") -> str:
    page = "directives:review" if directive.state == DirectiveState.DRAFT else "directives:detail"
    return reverse(page, args=[directive.pk]) + (f"#{anchor}" if anchor else "")


@role_required(*MANAGING_ROLES)
@require_POST
def propose_links(request: HttpRequest, pk: int) -> HttpResponse:
    """Ask again which task of the directive it implements each task carries out (that directive was
    imported since the draft was made, or its tasks were corrected)."""
    directive = access_review(scope(request), pk)
    try:
        proposed = propose_task_links(directive=directive)
    except DirectiveError as error:
        messages.error(request, str(error))
    else:
        if proposed:
            messages.success(
                request,
                ngettext(
                    "%(count)d link proposed: confirm or reject it.",
                    "%(count)d links proposed: confirm or reject each.",
                    proposed,
                )
                % {"count": proposed},
            )
        else:
            messages.info(
                request,
                _(
                    "No new link to propose: each task is linked already, or none is close enough to a task "
                    "of the directive it implements (choose it yourself)."
                ),
            )
    return HttpResponseRedirect(_back(directive, "chain"))


def _decide(request: HttpRequest, task: Task, user: User) -> str:
    """The decision the link form sent, carried out; the message for the reviewer."""
    post = request.POST
    for action, service, done in (
        ("confirm", confirm_link, _("The link is confirmed.")),
        ("reject", reject_link, _("The link is rejected.")),
    ):
        if (value := post.get(action, "")).isdecimal():
            link = get_object_or_404(TaskLink, pk=int(value), child=task)
            service(link=link, by=user)
            return done
    if "choose" in post:
        value = post.get("parent", "")
        parent = (
            Task.objects.filter(pk=int(value), directive__in=directives_for(scope(request))).first()
            if value.isdecimal()
            else None
        )
        if parent is None:
            raise DirectiveError(_("Choose the task it implements from the list."))
        choose_parent_task(child=task, parent=parent, by=user)
        return _("The task is linked to task %(label)s of %(number)s.") % {
            "label": parent.label or parent.position,
            "number": parent.directive.number or "—",
        }
    raise DirectiveError(_("Confirm or reject the link, or choose the task it implements."))


@role_required(*MANAGING_ROLES)
@require_POST
@vary_on_headers(HTMX_HEADER)
def link_task(request: HttpRequest, pk: int, task_pk: int) -> HttpResponse:
    """Confirm or reject a task's link to the task it implements, or choose that task: the task's link
    fragment back for htmx (and, on a draft, the list of links left to decide), the page otherwise."""
    directive = access_review(scope(request), pk)
    task = get_object_or_404(Task, pk=task_pk, directive=directive)
    user = request.user
    if not isinstance(user, User):
        raise PermissionDenied
    error, done = "", ""
    try:
        done = _decide(request, task, user)
    except DirectiveError as refused:
        error = str(refused)
    if not wants_fragment(request):
        if error:
            messages.error(request, error)
        else:
            messages.success(request, done)
        return HttpResponseRedirect(_back(directive, f"task-{task.pk}"))
    links = selectors.links_of(directive=directive)
    tasks = list(directive.tasks.all())
    return render(
        request,
        "directives/_task_link_saved.html",
        {
            "directive": directive,
            "task": task,
            "links": links.get(task.pk, []),
            "chain": task_chain(directive=directive, links=links),
            "may_link": True,
            "error": error,
            "done": done,
            "draft": directive.state == DirectiveState.DRAFT,
            "undecided_links": [
                each
                for each in tasks
                if any(link.state == LinkState.PROPOSED for link in links.get(each.pk, []))
            ],
        },
    )
