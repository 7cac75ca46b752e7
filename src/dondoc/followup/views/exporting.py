"""What the follow-up's pages share to export their tables: `?format=xlsx` asks for the workbook, with the
page's own filters kept in the export link."""

from __future__ import annotations

from collections.abc import Sequence

from django.http import HttpRequest, HttpResponse, QueryDict

from dondoc.followup.exports import XLSX, Table, workbook


def query_string(request: HttpRequest, *, keep: Sequence[str] | None = None, **extra: str) -> str:
    """The request's filters as a query string (only those of `keep`, when given), with `extra` set."""
    params = QueryDict(mutable=True)
    for name in request.GET:
        if name != "format" and (keep is None or name in keep) and (value := request.GET.get(name, "")):
            params[name] = value
    for name, value in extra.items():
        params[name] = value
    return params.urlencode()


def wants_xlsx(request: HttpRequest) -> bool:
    return request.GET.get("format") == "xlsx"


def xlsx_response(tables: Sequence[Table], name: str) -> HttpResponse:
    response = HttpResponse(workbook(tables), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
