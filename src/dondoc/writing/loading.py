"""An OfficialDocument read from its JSON form, the input of `dondoc write`: the model's fields by name, dates
as ISO strings ("2026-03-31"), enums by value ("party", "BC"; a kind also by name, "report", "letter"), the
body as a list of blocks ({"kind": "paragraph", "text": …, "lead": …}) and tables ({"headers": […], "rows":
[[…], …]}). `year` may be left out: it is then the year of `issued_on`, or of `created`.

A file that does not describe a document raises DocumentDataError, whose message names the field at fault."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Any, TypeVar

from dondoc.writing.model import (
    Block,
    BlockKind,
    DocumentKind,
    Issuer,
    OfficialDocument,
    Signer,
    System,
    Table,
)

_Choice = TypeVar("_Choice", bound=StrEnum)


class DocumentDataError(ValueError):
    """The JSON does not describe an official document; the message says which field and why."""


def document_from_json(data: dict[str, Any]) -> OfficialDocument:
    document = _mapping(data, "văn bản")
    issuer = _mapping(document.get("issuer"), "issuer")
    signer = _mapping(document.get("signer"), "signer")
    created = _date(document, "created")
    if created is None:
        raise DocumentDataError("thiếu trường “created”")
    issued_on = _date(document, "issued_on")
    year = document.get("year", (issued_on or created).year)
    if not isinstance(year, int) or isinstance(year, bool):
        raise DocumentDataError("“year” phải là một số năm (2026)")
    body = document.get("body", [])
    if not isinstance(body, list):
        raise DocumentDataError("“body” phải là một danh sách")
    return OfficialDocument(
        issuer=Issuer(
            system=_choice(System, issuer.get("system"), "issuer.system"),
            name=_text(issuer, "name", "issuer"),
            symbol=_text(issuer, "symbol", "issuer"),
            place=_text(issuer, "place", "issuer"),
            parent=_text(issuer, "parent", "issuer", required=False),
        ),
        kind=_kind(document.get("kind")),
        subject=_text(document, "subject"),
        year=year,
        body=tuple(_part(part, f"body[{index}]") for index, part in enumerate(body)),
        signer=Signer(
            title=_text(signer, "title", "signer"),
            authority=_text(signer, "authority", "signer", required=False),
            name=_text(signer, "name", "signer", required=False),
        ),
        created=created,
        addressees=_texts(document.get("addressees", []), "addressees"),
        distribution=_texts(document.get("distribution", []), "distribution"),
        number=_text(document, "number", required=False),
        issued_on=issued_on,
    )


def _part(value: object, where: str) -> Block | Table:
    part = _mapping(value, where)
    if "headers" in part:
        headers = _texts(part["headers"], f"{where}.headers")
        rows = part.get("rows", [])
        if not isinstance(rows, list):
            raise DocumentDataError(f"“{where}.rows” phải là một danh sách các hàng")
        table_rows = tuple(_cells(row, f"{where}.rows[{number}]") for number, row in enumerate(rows))
        for number, row in enumerate(table_rows):
            if len(row) != len(headers):
                raise DocumentDataError(
                    f"“{where}.rows[{number}]” có {len(row)} ô, tiêu đề có {len(headers)} cột"
                )
        return Table(headers=headers, rows=table_rows)
    return Block(
        kind=_choice(BlockKind, part.get("kind"), f"{where}.kind"),
        text=_text(part, "text", where),
        lead=_text(part, "lead", where, required=False),
    )


def _mapping(value: object, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise DocumentDataError(f"“{where}” phải là một đối tượng JSON ({{…}})")
    return value


def _text(data: dict[str, Any], key: str, where: str = "", *, required: bool = True) -> str:
    name = f"{where}.{key}" if where else key
    if key not in data:
        if required:
            raise DocumentDataError(f"thiếu trường “{name}”")
        return ""
    value = data[key]
    if not isinstance(value, str):
        raise DocumentDataError(f"“{name}” phải là một chuỗi")
    return value


def _texts(value: object, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise DocumentDataError(f"“{where}” phải là một danh sách chuỗi")
    return tuple(value)


def _cells(value: object, where: str) -> tuple[str, ...]:
    """A table row: texts, or numbers written as they are."""
    if not isinstance(value, list):
        raise DocumentDataError(f"“{where}” phải là một danh sách ô")
    cells = []
    for item in value:
        if isinstance(item, bool) or not isinstance(item, str | int | float):
            raise DocumentDataError(f"“{where}” chỉ gồm chuỗi hoặc số")
        cells.append(str(item))
    return tuple(cells)


def _date(data: dict[str, Any], key: str) -> date | None:
    value = data.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise DocumentDataError(f"“{key}” phải là một ngày dạng YYYY-MM-DD")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise DocumentDataError(f"“{key}” phải là một ngày dạng YYYY-MM-DD, không phải “{value}”") from None


def _choice(kind: type[_Choice], value: object, where: str) -> _Choice:
    for member in kind:
        if value == member.value:
            return member
    allowed = ", ".join(member.value for member in kind)
    raise DocumentDataError(f"“{where}” phải là một trong: {allowed}")


def _kind(value: object) -> DocumentKind:
    """By its abbreviation ("BC", "CV") or by name ("report", "letter")."""
    for kind in DocumentKind:
        if value in (kind.value, kind.name.lower()):
            return kind
    raise DocumentDataError("“kind” phải là một trong: BC (report), CV (letter)")
