"""What every app's REST endpoints share: page-number pagination with bounds, so that a page number no
database can take (beyond 64 bits) is refused as invalid input (422, like every other bad parameter)
instead of failing in the query; and the shapes of the error answers with the status codes every operation
declares in the OpenAPI schema, so that a client (and schemathesis) can rely on them.

No `from __future__ import annotations`: ninja and pydantic read the evaluated types."""

import re
from datetime import date
from typing import Annotated, Any

from ninja import Field, Schema
from ninja.pagination import PageNumberPagination
from pydantic import BeforeValidator
from pydantic_core import PydanticCustomError

PAGE_SIZE = 50
MAX_PAGE_SIZE = 200
# far beyond any list here (a million pages of 200 rows), far below what a database offset can hold
MAX_PAGE = 1_000_000


class PageNumbers(PageNumberPagination):
    """ninja's page-number pagination, with the page number bounded and the page size at most
    `max_page_size`."""

    class Input(Schema):
        page: int = Field(1, ge=1, le=MAX_PAGE)
        page_size: int | None = Field(None, ge=1)  # a larger size is cut to the maximum, as before

    def __init__(
        self, *, page_size: int = PAGE_SIZE, max_page_size: int = MAX_PAGE_SIZE, **kwargs: Any
    ) -> None:
        super().__init__(page_size=page_size, max_page_size=max_page_size, **kwargs)


ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _written_as_iso_date(value: object) -> object:
    """pydantic, left lax, reads `0` or `"0"` as a Unix timestamp (1970-01-01) and `2023-05-10T00:00` as a
    day; the schema promises a date written YYYY-MM-DD (format `date`), and only that is accepted."""
    if isinstance(value, date) or (isinstance(value, str) and ISO_DATE.fullmatch(value)):
        return value
    raise PydanticCustomError("date_format", "Input should be a date written YYYY-MM-DD")


# a date parameter or field of a request
IsoDate = Annotated[date, BeforeValidator(_written_as_iso_date)]


class Error(Schema):
    """A refusal or a failure, said in one sentence in the caller's language."""

    detail: str


class InvalidValue(Schema):
    """One value ninja refused (pydantic's description of it; other keys, such as `ctx`, may follow)."""

    type: str
    loc: list[str | int] = Field(description="where the value was: query, path or body, then its name")
    msg: str


class Invalid(Schema):
    """The request's parameters or body do not match the schema (ninja's validation answer)."""

    detail: list[InvalidValue]


# Every operation may answer these: no token or an unknown one (401), an account whose role may not (403,
# also a session's failed CSRF check), a parameter or path id that does not validate (422), a failure (500)
EVERY_OPERATION: dict[int, Any] = {401: Error, 403: Error, 422: Invalid, 500: Error}
# an operation on one object: it does not exist, or the caller may not see it
ONE_OBJECT: dict[int, Any] = {**EVERY_OPERATION, 404: Error}
