"""The import page: an administrator or a monitor sends an .xlsx workbook or a .csv file of bodies, job
positions, functions, posts or staffing quotas. Every problem is listed (sheet, row, column, message) before
anything is written; a file without problems shows what saving would change (created, changed, unchanged per
kind) and a Save button. Saving re-reads the same stored file (registry/import_uploads.py; its token is in the
session) and writes all of it or nothing, as `import_registry_file` does for the command. An empty template
of each kind, to fill in, downloads from the page.

A monitor imports only the bodies of their jurisdiction (a row about any other body is a problem of that
row); the administrator imports any. Everyone else is refused."""

from __future__ import annotations

from pathlib import Path
from tempfile import TemporaryDirectory
from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from dondoc.accounts.access import role_required, scope
from dondoc.accounts.models import MANAGING_ROLES
from dondoc.registry.import_uploads import UploadRefused, discard, pending_file, store_spreadsheet
from dondoc.registry.transfer import (
    SHEETS,
    ImportProblem,
    ImportResult,
    TransferKind,
    export_template,
    import_registry_file,
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SESSION_KEY = "registry_import"  # {"token": …, "kind": …} of the file waiting to be saved
SHOWN_PROBLEMS = 1000  # a file wrong throughout: the first thousand say enough, and the page stays light
KIND_LABELS = {
    TransferKind.BODIES: gettext_lazy("Bodies"),
    TransferKind.JOB_POSITIONS: gettext_lazy("Job positions"),
    TransferKind.FUNCTIONS: gettext_lazy("Functions, duties and powers"),
    TransferKind.POSTS: gettext_lazy("Posts"),
    TransferKind.STAFFING_QUOTAS: gettext_lazy("Staffing quotas"),
}


class ImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Spreadsheet"),
        help_text=gettext_lazy(
            "An Excel workbook (.xlsx) with one sheet per kind of row, or a .csv file of one kind (UTF-8)."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )
    kind = forms.ChoiceField(
        label=gettext_lazy("Kind of rows"),
        required=False,
        choices=[
            ("", gettext_lazy("As the file says")),
            *((sheet.kind.value, KIND_LABELS[sheet.kind]) for sheet in SHEETS),
        ],
    )


class SaveForm(forms.Form):
    token = forms.CharField(max_length=32, widget=forms.HiddenInput)


def _kinds() -> list[dict[str, Any]]:
    return [
        {
            "kind": sheet.kind,
            "label": KIND_LABELS[sheet.kind],
            "title": sheet.title,
            "columns": sheet.columns,
        }
        for sheet in SHEETS
    ]


def _page(request: HttpRequest, form: ImportForm, *, status: int = 200, **context: Any) -> HttpResponse:
    return render(
        request, "registry/import.html", {"form": form, "kinds": _kinds(), **context}, status=status
    )


def _problems(result: ImportResult, file_name: str) -> dict[str, Any]:
    general: list[ImportProblem] = [problem for problem in result.errors if not problem.sheet]
    located = [problem for problem in result.errors if problem.sheet]
    return {
        "file_name": file_name,
        "problem_count": len(result.errors),
        "general_problems": general,
        "problems": located[:SHOWN_PROBLEMS],
        "problems_left_out": max(len(located) - SHOWN_PROBLEMS, 0),
    }


def _changes(result: ImportResult) -> list[dict[str, Any]]:
    return [
        {"label": KIND_LABELS[sheet.kind], "title": sheet.title, "counts": result.counts[sheet.kind]}
        for sheet in SHEETS
        if sheet.kind in result.counts
    ]


def _forget_waiting(request: HttpRequest) -> None:
    waiting = request.session.pop(SESSION_KEY, None)
    if waiting:
        discard(waiting["token"])


@role_required(*MANAGING_ROLES)
@require_http_methods(["GET", "POST"])
def import_registry(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        return _save(request) if "token" in request.POST else _preview(request)
    return _page(request, ImportForm())


def _preview(request: HttpRequest) -> HttpResponse:
    """Check the file sent: its problems, or what saving it would change (a dry run, rolled back)."""
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, form, status=400)
    _forget_waiting(request)  # a new file replaces the one waiting to be saved
    upload = form.cleaned_data["file"]
    try:
        pending = store_spreadsheet(upload)
    except UploadRefused as refusal:
        return _page(request, form, status=400, refusal=str(refusal))
    kind = TransferKind(form.cleaned_data["kind"]) if form.cleaned_data["kind"] else None
    territories = scope(request).territory_ids
    result = import_registry_file(path=pending.path, kind=kind, dry_run=True, territory_ids=territories)
    if not result.ok:
        discard(pending.token)
        return _page(request, form, status=400, **_problems(result, Path(upload.name or "").name))
    request.session[SESSION_KEY] = {"token": pending.token, "kind": kind.value if kind else ""}
    return _page(
        request,
        ImportForm(),
        file_name=Path(upload.name or "").name,
        changes=_changes(result),
        save_form=SaveForm(initial={"token": pending.token}),
    )


def _save(request: HttpRequest) -> HttpResponse:
    """Save (or cancel) the file the preview checked: all of it, or nothing if a row fails now."""
    form = SaveForm(request.POST)
    waiting = request.session.get(SESSION_KEY) or {}
    # the token posted must be the session's: a page left open on an older preview saves nothing
    token = form.cleaned_data["token"] if form.is_valid() else ""
    path = pending_file(token) if token and token == waiting.get("token") else None
    if path is None:
        messages.error(request, _("No file is waiting to be saved: send it again."))
        return redirect("registry:import")
    if "cancel" in request.POST:
        _forget_waiting(request)
        messages.info(request, _("The file was not saved; nothing was written."))
        return redirect("registry:import")
    kind = TransferKind(waiting["kind"]) if waiting["kind"] else None
    result = import_registry_file(path=path, kind=kind, territory_ids=scope(request).territory_ids)
    _forget_waiting(request)
    if not result.ok:  # the registry changed since the preview
        return _page(request, ImportForm(), status=400, **_problems(result, path.name))
    summary = "; ".join(
        _("%(kind)s: %(created)s created, %(updated)s changed, %(unchanged)s unchanged")
        % {
            "kind": change["label"],
            "created": change["counts"].created,
            "updated": change["counts"].updated,
            "unchanged": change["counts"].unchanged,
        }
        for change in _changes(result)
    )
    messages.success(request, _("Saved %(name)s. %(summary)s.") % {"name": path.name, "summary": summary})
    return redirect("registry:import")


@role_required(*MANAGING_ROLES)
@require_GET
def import_template(request: HttpRequest, kind: str) -> HttpResponse:
    """One kind's sheet with its headers and no rows, as an .xlsx workbook to fill in."""
    try:
        chosen = TransferKind(kind)
    except ValueError:
        raise Http404 from None
    title = next(sheet.title for sheet in SHEETS if sheet.kind is chosen)
    file_name = f"mau-nhap-{slugify(title)}.xlsx"
    with TemporaryDirectory() as folder:
        path = Path(folder) / file_name
        export_template(path=path, kind=chosen)
        content = path.read_bytes()
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{file_name}"'
    return response
