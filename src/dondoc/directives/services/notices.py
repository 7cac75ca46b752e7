"""Notices in the application: marking them read."""

from __future__ import annotations

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from dondoc.directives.models import Notification


@transaction.atomic
def mark_read(*, notifications: QuerySet[Notification]) -> int:
    """Mark notices read (the caller passes only the user's own and their body's)."""
    return notifications.filter(read_at__isnull=True).update(read_at=timezone.now())
