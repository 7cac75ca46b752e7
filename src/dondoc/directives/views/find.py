"""Finding directives and following them: the list, a directive's task × body page, search over documents,
tasks and bodies, the citation trail, and the change log.

Every page starts from what the request's scope may see (directives.access): what it may not see is not found
(404); a role without these pages (the auditor's, except the change log) is forbidden (403)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from django.contrib.auth import get_user_model
from django.core.paginator import Page
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.formats import number_format
from django.views.decorators.http import require_GET

from dondoc import clock
from dondoc.accounts.access import role_required, scope
from dondoc.accounts.models import HISTORY_ROLES, READING_ROLES
from dondoc.accounts.scope import Scope
from dondoc.core.pagination import paginate, requested_page
from dondoc.core.replica import reads_from_replica
from dondoc.directives import selectors
from dondoc.directives.access import (
    access_directive,
    assignments_for,
    bodies_assigned_for,
    can_import,
    changes_for,
    directives_for,
    sees_every_territory,
)
from dondoc.directives.forms import (
    DirectiveFilterForm,
    GridFilterForm,
    HistoryFilterForm,
    SearchForm,
    directive_label,
    user_label,
)
from dondoc.directives.links import directive_links
from dondoc.directives.models import Citation, DirectiveState
from dondoc.directives.rendering import grid_body
from dondoc.directives.review import task_chain
from dondoc.directives.status import Status

LIST_PAGE = 25
SEARCH_LIMIT = 50
HISTORY_PAGE = 50
HEAVY = ("source_text", "parsed", "search_text")
PICKER_FIELDS = ("directive", "body", "user")


def _log_page(
    request: HttpRequest, read: Callable[[int], tuple[list[Any], int]]
) -> tuple[Page[int], list[Any]]:
    """A page of changes. The selector reads a page's rows (from an offset) and the count of all together, so
    the page asked for is read first, and the last page instead when that one is past the end."""
    wanted = requested_page(request)
    entries, total = read((wanted - 1) * HISTORY_PAGE)
    page = paginate(request, total, per_page=HISTORY_PAGE)
    if page.number != wanted:
        entries, _total = read((page.number - 1) * HISTORY_PAGE)
    return page, entries


# --- the list ---


@role_required(*READING_ROLES)
@reads_from_replica
def directive_list(request: HttpRequest) -> HttpResponse:
    acting = scope(request)
    visible = directives_for(acting)
    form = DirectiveFilterForm(request.GET or None, years=selectors.issue_years(visible))
    directives = visible.defer(*HEAVY)
    if form.is_valid():
        data = form.cleaned_data
        directives = selectors.filter_directives(
            directives=directives,
            query=data["q"],
            state=data["state"],
            year=data["year"],
            issuer=data["issuer"],
        )
    page = paginate(request, directives, per_page=LIST_PAGE)
    shown = list(page.object_list)
    counts = selectors.directive_counts(
        directive_ids=[d.pk for d in shown],
        assignments=assignments_for(acting),
        today=clock.today(),
    )
    return render(
        request,
        "directives/directive_list.html",
        {
            "form": form,
            "rows": [(d, counts[d.pk]) for d in shown],
            "total": page.paginator.count,
            "page": page,
            "may_import": can_import(acting),
        },
    )


# --- one directive: header, citations both ways, the task × body page ---


def _citation_links(citations: list[Citation], acting: Scope) -> list[tuple[Citation, str]]:
    """Each citation with where it leads: the cited directive when held and visible, else the page of its
    number."""
    held = [c.cited_id for c in citations if c.cited_id is not None]
    seen = set(directives_for(acting).filter(id__in=held).values_list("id", flat=True)) if held else set()
    links = []
    for citation in citations:
        if citation.cited_id in seen:
            links.append((citation, reverse("directives:detail", args=[citation.cited_id])))
        elif citation.number:
            links.append((citation, f"{reverse('directives:cited')}?number={_quote(citation.number)}"))
        else:
            links.append((citation, ""))
    return links


def _quote(number: str) -> str:
    return quote(number, safe="")


@role_required(*READING_ROLES)
@reads_from_replica
def directive_detail(request: HttpRequest, pk: int) -> HttpResponse:
    acting = scope(request)
    visible = directives_for(acting)
    directive = access_directive(acting, pk, deferred=("source_text", "search_text"))
    if directive.state == DirectiveState.DRAFT:  # only those who review drafts see them
        return redirect("directives:review", pk=directive.pk)
    form = GridFilterForm(request.GET or None)
    status, body, on = "", "", clock.today()
    if form.is_valid():
        status, body = form.cleaned_data["status"], form.cleaned_data["body"]
        on = form.cleaned_data["on"] or on
    tasks = list(directive.tasks.defer("search_text"))
    grid = selectors.task_body_grid(
        task_ids=[task.pk for task in tasks],
        assignments=assignments_for(acting),
        today=on,
        status=status,
        body=body,
    )
    rows = grid_body(grid)
    task_links = selectors.links_of(directive=directive)
    may_link = can_import(acting)
    citations = list(directive.citations.all())
    citing = list(selectors.cited_by(directive=directive).filter(id__in=visible.values("id")).defer(*HEAVY))
    parsed = directive.parsed if isinstance(directive.parsed, dict) else {}
    return render(
        request,
        "directives/directive_detail.html",
        {
            "directive": directive,
            "signer": parsed.get("signer") or {},
            "citations": _citation_links(citations, acting),
            "citing": citing,
            "tasks": tasks,
            "columns": [
                (task, summary, task_links.get(task.pk, []), grid.plans.get(task.pk, []))
                for task, summary in zip(tasks, grid.summaries, strict=True)
            ],
            "may_link": may_link,
            "chain": task_chain(directive=directive, links=task_links) if may_link else None,
            "grid": grid,
            "links": directive_links(acting, directive),
            "form": form,
            "filtered": bool(status or body.strip() or on != clock.today()),
            "on": on,
            "rows": rows,
            "status_labels": {s.value: str(s.label) for s in Status},
        },
    )


# --- search ---


@role_required(*READING_ROLES)
@reads_from_replica
def search(request: HttpRequest) -> HttpResponse:
    acting, today = scope(request), clock.today()
    directives = directives_for(acting)
    assignments = assignments_for(acting)
    form = SearchForm(request.GET or None, directives=directives, bodies=bodies_assigned_for(acting))
    context: dict[str, Any] = {"form": form, "searched": False}
    if form.is_valid():
        data = form.cleaned_data
        query = data["q"].strip()
        filters = selectors.TaskFilters(
            query=query,
            directive_id=data["directive"].pk if data["directive"] else None,
            organization_id=data["body"].pk if data["body"] else None,
            status=data["status"],
            due_from=data["due_from"],
            due_to=data["due_to"],
        )
        if filters.any:
            context["searched"] = True
            results = selectors.search_tasks(
                directives=directives,
                assignments=assignments,
                filters=filters,
                today=today,
                limit=SEARCH_LIMIT,
            )
            context["tasks"] = results
            context["task_rows"] = [(task, results.hits[task.pk].counts) for task in results.tasks]
        if query:
            found = selectors.search_directives(directives=directives, query=query).defer(*HEAVY)
            context["documents"], context["documents_total"] = list(found[:SEARCH_LIMIT]), found.count()
            bodies = selectors.search_organizations(
                query=query,
                territories=acting.territory_ids,
                on=today,
                region_id=acting.region_id,
                every_territory=sees_every_territory(acting),
            )
            context["bodies"], context["bodies_total"] = list(bodies[:SEARCH_LIMIT]), bodies.count()
            context["query"] = query
    context["limit"] = SEARCH_LIMIT
    return render(request, "directives/search.html", context)


# --- the filters' pickers (the inbox's and search's): matches as radio buttons of the field's name ---


def _picked(
    request: HttpRequest, picked: selectors.Picked, *, label: Callable[[Any], str], short: bool
) -> HttpResponse:
    name = request.GET.get("name", "")
    context = {
        "name": name if name in PICKER_FIELDS else PICKER_FIELDS[0],
        "choices": [(choice.pk, label(choice)) for choice in picked.found],
        "more": picked.more,
        "short": short,
        "query": _picker_query(request),
    }
    return render(request, "core/widgets/_search_picker_found.html", context)


def _picker_query(request: HttpRequest) -> str:
    return " ".join(request.GET.get("q", "").split())[:100]


@role_required()
@require_GET
def pick_directive(request: HttpRequest) -> HttpResponse:
    """Directives the user may read, newest first: those whose number or subject holds what was typed, or the
    latest when nothing was."""
    found = selectors.pick_directives(directives=directives_for(scope(request)), query=_picker_query(request))
    return _picked(request, found, label=directive_label, short=False)


@role_required()
@require_GET
def pick_body(request: HttpRequest) -> HttpResponse:
    """Bodies with an assignment the user sees, whose name or an alias holds what was typed (two letters or
    more)."""
    query = _picker_query(request)
    if len(query) < 2:
        return _picked(request, selectors.Picked([], False), label=str, short=True)
    found = selectors.pick_bodies(bodies=bodies_assigned_for(scope(request)), query=query)
    return _picked(request, found, label=lambda body: str(body.name), short=False)


@role_required(*HISTORY_ROLES)
@require_GET
def pick_user(request: HttpRequest) -> HttpResponse:
    """The change log's user picker: users whose log-in or full name holds what was typed (two letters or
    more)."""
    query = _picker_query(request)
    if len(query) < 2:
        return _picked(request, selectors.Picked([], False), label=str, short=True)
    found = selectors.pick_users(users=get_user_model().objects.all(), query=query)
    return _picked(request, found, label=user_label, short=False)


# --- the citation trail: a document known by its number ---


@role_required(*READING_ROLES)
@reads_from_replica
def cited(request: HttpRequest) -> HttpResponse:
    number = request.GET.get("number", "").strip()[:100]
    context: dict[str, Any] = {"number": number}
    if not number:
        return render(request, "directives/cited.html", context)  # the form alone, asking for a number
    acting = scope(request)
    visible = directives_for(acting)
    held = list(selectors.held_by_number(number=number).filter(id__in=visible.values("id")).defer(*HEAVY))
    citing = list(selectors.citing_number(number=number).filter(id__in=visible.values("id")).defer(*HEAVY))
    citations = list(Citation.objects.filter(citing__in=[d.pk for d in held]).order_by("citing_id", "id"))
    links = _citation_links(citations, acting)
    context.update(
        {
            "held": [(d, [(c, url) for c, url in links if c.citing_id == d.pk]) for d in held],
            "known": selectors.known_citation(number=number),
            "citing": citing,
        }
    )
    return render(request, "directives/cited.html", context)


# --- the change log ---


def _history_kinds() -> list[tuple[str, str]]:
    return [(kind, str(model._meta.verbose_name_plural)) for kind, model in selectors.history_kinds().items()]


def _readable(acting: Scope) -> Callable[[str, Any], Any]:
    """The changes of each kind the scope may read (directives.access.changes_for), as the change log asks."""
    return lambda kind, records: changes_for(acting, kind=kind, records=records)


@role_required(*HISTORY_ROLES)
def history(request: HttpRequest) -> HttpResponse:
    readable = _readable(scope(request))
    form = HistoryFilterForm(
        request.GET or None, kinds=_history_kinds(), users=get_user_model().objects.all()
    )
    kinds, user_id, since, until = list(selectors.history_kinds()), None, None, None
    if form.is_valid():
        data = form.cleaned_data
        kinds = [data["kind"]] if data["kind"] else kinds
        user_id = data["user"].pk if data["user"] is not None else None
        since, until = data["since"], data["until"]
    page, entries = _log_page(
        request,
        lambda offset: selectors.change_log(
            kinds=kinds,
            readable=readable,
            user_id=user_id,
            since=since,
            until=until,
            offset=offset,
            limit=HISTORY_PAGE,
        ),
    )
    return render(
        request,
        "directives/history.html",
        {
            "form": form,
            "entries": entries,
            "total": page.paginator.count,
            "more_than_counted": page.paginator.count > selectors.LOG_COUNTED,
            "counted": number_format(selectors.LOG_COUNTED, force_grouping=True),
            "page": page,
        },
    )


def _object_url(kind: str, object_id: int) -> str:
    """The page of the object itself, where there is one."""
    try:
        if kind == "directive":
            return reverse("directives:detail", args=[object_id])
        if kind == "assignment":
            return reverse("directives:assignment", args=[object_id])
    except NoReverseMatch:
        return ""
    return ""


@role_required()
def object_history(request: HttpRequest, model: str, pk: int) -> HttpResponse:
    if model not in selectors.history_kinds():
        raise Http404
    readable = _readable(scope(request))
    page, entries = _log_page(
        request,
        lambda offset: selectors.object_changes(
            kind=model, object_id=pk, readable=readable, offset=offset, limit=HISTORY_PAGE
        ),
    )
    if not entries:  # an object the scope does not see, or without a recorded change
        raise Http404
    kind_label = str(selectors.history_kinds()[model]._meta.verbose_name)
    return render(
        request,
        "directives/history_object.html",
        {
            "entries": entries,
            "total": page.paginator.count,
            "page": page,
            "kind_label": kind_label,
            "object_label": entries[0].object_label if entries else "",
            "object_url": _object_url(model, pk),
        },
    )
