"""What every app's REST endpoints share: page-number pagination with bounds, so that a page number no
database can take (beyond 64 bits) is refused as invalid input (422, like every other bad parameter)
instead of failing in the query.

No `from __future__ import annotations`: ninja and pydantic read the evaluated types."""

from typing import Any

from ninja import Field, Schema
from ninja.pagination import PageNumberPagination

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
