"""The one place the application reads "today"; services and selectors take it as an argument.

`settings.DONDOC_TODAY` (an ISO date, from the DONDOC_TODAY environment variable) fixes it for tests and
demonstrations; otherwise it is the date in the configured time zone (Asia/Ho_Chi_Minh)."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.utils import timezone


def today() -> date:
    fixed: str | date | None = getattr(settings, "DONDOC_TODAY", None)
    if isinstance(fixed, date):
        return fixed
    return date.fromisoformat(fixed) if fixed else timezone.localdate()
