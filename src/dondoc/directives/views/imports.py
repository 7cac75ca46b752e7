"""Import, review and publish: upload a directive, watch it being read, correct what the parser extracted,
decide what the registry could not, publish. The monitor's and the administrator's pages only."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from dondoc.accounts.access import role_required, scope
from dondoc.accounts.models import MANAGING_ROLES
from dondoc.core.htmx import HTMX_HEADER, render_partial, wants_fragment
from dondoc.core.jobs import fail_interrupted, worker_missing
from dondoc.directives.access import access_import_job, access_review, imports_for, imports_jurisdiction
from dondoc.directives.forms import HeaderForm, ImportForm, TaskForm, lines
from dondoc.directives.models import Directive, DirectiveState, ImportJob, ImportState, Task
from dondoc.directives.review import picker_organizations, recent_imports, review_of
from dondoc.directives.services import (
    RUNNING_IMPORTS,
    AlreadyImported,
    DirectiveError,
    DuplicateDirective,
    EditConflict,
    ReviewedVersions,
    publish_directive,
    start_import,
    update_draft,
    update_task,
)
from dondoc.directives.uploads import UploadError

# only those who import, review and publish (directives.access.can_import): the others get 403
importers = role_required(*MANAGING_ROLES)


def _detail_url(directive: Directive) -> str:
    try:
        return reverse("directives:detail", args=[directive.pk])
    except NoReverseMatch:  # the directive pages not installed yet: back to the imports
        return reverse("directives:import")


def _error_link(error: DirectiveError) -> str | None:
    if isinstance(error, AlreadyImported):
        if error.directive is not None:
            return reverse("directives:review", args=[error.directive.pk])
        if error.job is not None:
            return reverse("directives:import_job", args=[error.job.pk])
    if isinstance(error, DuplicateDirective):
        return reverse("directives:review", args=[error.existing.pk])
    return None


@importers
@require_http_methods(["GET", "POST"])
def import_directive(request: HttpRequest) -> HttpResponse:
    """Upload a directive; the list of recent imports with their state."""
    form = ImportForm()
    context: dict[str, Any] = {}
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                job = start_import(
                    upload=form.cleaned_data["file"],
                    user=request.user,  # type: ignore[arg-type]
                    jurisdiction=imports_jurisdiction(scope(request)),
                )
            except UploadError as error:
                context["error"] = str(error)
            except DirectiveError as error:
                context["error"], context["error_link"] = str(error), _error_link(error)
            else:
                return redirect("directives:import_job", pk=job.pk)
    context.update(form=form, jobs=recent_imports(jobs=imports_for(scope(request))))
    status = 400 if request.method == "POST" else 200
    return render(request, "directives/import.html", context, status=status)


@importers
@require_http_methods(["GET"])
def import_job(request: HttpRequest, pk: int) -> HttpResponse:
    """One import's progress; htmx polls the fragment every second until it is done or failed. An import
    whose worker died is failed here, even while no worker runs to notice it; a running one says when no
    worker runs."""
    job = access_import_job(scope(request), pk)
    if fail_interrupted(ImportJob.objects.filter(pk=job.pk)):
        job.refresh_from_db()
    running = job.state in RUNNING_IMPORTS
    context = {
        "job": job,
        "running": running,
        "no_worker": running and worker_missing(),
        "review_url": reverse("directives:review", args=[job.directive_id]) if job.directive_id else None,
    }
    response = render_partial(
        request, "directives/import_job.html", "directives/_import_job_progress.html", context
    )
    if wants_fragment(request) and job.state == ImportState.DONE and context["review_url"]:
        response["HX-Redirect"] = str(context["review_url"])
    return response


def _review_page(
    request: HttpRequest,
    directive: Directive,
    *,
    header: HeaderForm | None = None,
    task_forms: dict[int, TaskForm] | None = None,
    chosen: dict[str, list[str]] | None = None,
    confirmed: bool = False,
    status: int = 200,
) -> HttpResponse:
    review = review_of(directive=directive)
    forms_by_task = task_forms or {}
    for task_review in review.tasks:
        task_review.form = forms_by_task.get(task_review.task.pk) or TaskForm.of(task_review.task)
    for phrase in review.undecided:
        phrase.chosen = (
            frozenset(chosen[phrase.text]) if chosen and phrase.text in chosen else phrase.default_choice
        )
    return render(
        request,
        "directives/review.html",
        {
            "review": review,
            "directive": directive,
            "header": header or HeaderForm.of(directive),
            "confirmed": confirmed,
            "job": ImportJob.objects.filter(directive=directive).first(),
        },
        status=status,
    )


@importers
@require_http_methods(["GET", "POST"])
def review(request: HttpRequest, pk: int) -> HttpResponse:
    """The draft's source beside its fields; a POST saves the header."""
    directive = access_review(scope(request), pk)
    if directive.state != DirectiveState.DRAFT:
        return HttpResponseRedirect(_detail_url(directive))
    if request.method == "GET":
        return _review_page(request, directive)
    header = HeaderForm(request.POST)
    if header.is_valid():
        data = header.cleaned_data
        try:
            update_draft(
                directive=directive,
                expected_version=data["version"],
                issuer_text=data["issuer_text"],
                number=data["number"],
                type_code=data["type_code"],
                issued_on=data["issued_on"],
                subject=data["subject"],
                addressee_phrases=lines(data["addressee_phrases"]),
            )
        except EditConflict as conflict:
            messages.error(request, str(conflict))
            header = header.in_conflict_with(HeaderForm.values_of(conflict.current))
            return _review_page(request, conflict.current, header=header, status=409)
        except DirectiveError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("The header is saved."))
            return redirect("directives:review", pk=directive.pk)
    directive.refresh_from_db()
    return _review_page(request, directive, header=header, status=400)


@importers
@require_POST
@vary_on_headers(HTMX_HEADER)
def review_task(request: HttpRequest, pk: int, task_pk: int) -> HttpResponse:
    """Save one task of a draft: the task's fragment back for htmx, the review page otherwise."""
    directive = access_review(scope(request), pk)
    task = get_object_or_404(Task, pk=task_pk, directive=directive)
    if directive.state != DirectiveState.DRAFT:
        return HttpResponseRedirect(_detail_url(directive))
    form = TaskForm.of(task, request.POST)
    error: str | None = None
    conflicted = False
    if form.is_valid():
        data = form.cleaned_data
        try:
            task = update_task(
                task=task,
                expected_version=data["version"],
                label=data["label"],
                text=data["text"],
                lead_phrases=lines(data["lead_phrases"]),
                coordinating_phrases=lines(data["coordinating_phrases"]),
                deadline_kind=data["deadline_kind"],
                due=data["due"],
                start=data["start"],
                deadline_text=data["deadline_text"],
            )
        except EditConflict as conflict:
            error, conflicted = str(conflict), True
            form = form.in_conflict_with(TaskForm.values_of(conflict.current))
        except DirectiveError as refused:
            error = str(refused)
    else:
        error = _("Correct the fields marked below.")
    saved = error is None
    if wants_fragment(request):
        review = review_of(directive=directive)
        task_review = next(item for item in review.tasks if item.task.pk == task.pk)
        task_review.form = TaskForm.of(task_review.task) if saved else form
        for phrase in review.undecided:
            phrase.chosen = phrase.default_choice
        return render(
            request,
            "directives/_review_task_saved.html",
            {
                "review": review,
                "item": task_review,
                "directive": directive,
                "saved": saved,
                "error": error,
            },
            status=409 if conflicted else 200,  # htmx swaps a 409 in because review.html tells it to
        )
    if saved:
        messages.success(request, _("Task %(label)s is saved.") % {"label": task.label or task.position})
        return HttpResponseRedirect(reverse("directives:review", args=[directive.pk]) + f"#task-{task.pk}")
    messages.error(request, error or "")
    return _review_page(request, directive, task_forms={task.pk: form}, status=409 if conflicted else 400)


def _decisions(request: HttpRequest) -> tuple[dict[str, list[int]], dict[str, list[str]], list[str]]:
    """The reviewer's choice for each phrase left to decide: the bodies ticked, or no body of the
    jurisdiction, or one outside it (both assign nothing); a phrase with nothing ticked is undecided."""
    decisions: dict[str, list[int]] = {}
    chosen: dict[str, list[str]] = {}
    undecided: list[str] = []
    for index, phrase in enumerate(request.POST.getlist("phrase")):
        values = request.POST.getlist(f"decision-{index}")
        chosen[phrase] = values
        if not values:
            undecided.append(phrase)
            continue
        decisions[phrase] = [int(value) for value in values if value.isdigit()]
    return decisions, chosen, undecided


def _reviewed_versions(request: HttpRequest) -> ReviewedVersions:
    """The versions of the header and of each task that the page showed the reviewer: the publish form's
    `version`, and one `task_version` ("task id:version") per task; a value missing or garbled counts as
    stale."""
    header = request.POST.get("version", "")
    tasks: dict[int, int] = {}
    for value in request.POST.getlist("task_version"):
        task_id, _colon, version = value.partition(":")
        if task_id.isdecimal() and version.isdecimal():
            tasks[int(task_id)] = int(version)
    return ReviewedVersions(header=int(header) if header.isdecimal() else 0, tasks=tasks)


@importers
@require_http_methods(["GET"])
def review_bodies(request: HttpRequest, pk: int) -> HttpResponse:
    """The phrase picker's search: bodies of the registry on the draft's date whose name or alias holds the
    words typed (case and diacritics ignored), grouped by level, those outside the jurisdiction last."""
    directive = access_review(scope(request), pk)
    query = " ".join(request.GET.get("q", "").split())[:100]
    index = request.GET.get("index", "")
    # index: which phrase's decision the results are ticked for (the first, if the request does not say)
    context: dict[str, Any] = {
        "index": int(index) if index.isdigit() else 0,
        "query": query,
        "short": len(query) < 2,
    }
    if not context["short"]:
        found = picker_organizations(query=query, on=directive.issued_on)
        context.update(groups=found.groups, more=found.more)
    return render(request, "directives/_review_picker_results.html", context)


@importers
@require_POST
def publish(request: HttpRequest, pk: int) -> HttpResponse:
    """Publish a reviewed draft: the reviewer confirms the fields and decides every unresolved phrase; if the
    draft was saved since the page showed it, the page comes back with the changes instead."""
    directive = access_review(scope(request), pk)
    if directive.state != DirectiveState.DRAFT:
        messages.info(request, _("This directive is already published."))
        return HttpResponseRedirect(_detail_url(directive))
    decisions, chosen, undecided = _decisions(request)
    confirmed = request.POST.get("confirm") == "yes"
    refusals: list[str] = []
    if not confirmed:
        refusals.append(_("Tick the box confirming you have checked every field against the source."))
    if undecided:
        refusals.append(
            _("Decide which bodies these phrases mean (tick “none” if no body): %(phrases)s.")
            % {"phrases": "; ".join(undecided)}
        )
    if not refusals:
        try:
            publication = publish_directive(
                directive=directive,
                decisions=decisions,
                reviewed_by=request.user,  # type: ignore[arg-type]
                reviewed=_reviewed_versions(request),
            )
        except EditConflict as conflict:
            messages.error(request, str(conflict))
            # the box unticked: the reviewer confirms again, having seen the changes
            return _review_page(request, conflict.current, chosen=chosen, status=409)
        except DirectiveError as error:
            refusals.append(str(error))
        else:
            messages.success(
                request,
                _("Published: %(assignments)d assignments to %(bodies)d bodies, each body notified.")
                % {"assignments": publication.assignments, "bodies": publication.bodies},
            )
            return HttpResponseRedirect(_detail_url(publication.directive))
    for refusal in refusals:
        messages.error(request, refusal)
    return _review_page(request, directive, chosen=chosen, confirmed=confirmed, status=400)
