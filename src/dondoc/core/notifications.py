"""Notices in the application, for every area that tells people something (a directive to carry out, a report
sent or returned; later reminders and escalations): sending them to bodies or users, marking them read, and
reading those a user sees.

Core knows neither the request's scope (accounts) nor the records the notices are about: callers pass the
user and the body they act for, and the record itself, linked generically (its page is its
`get_absolute_url()`)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.contrib.contenttypes.prefetch import GenericPrefetch
from django.db import transaction
from django.db.models import Model, Q, QuerySet
from django.utils import timezone

from dondoc.core.models import NOTICE_LENGTH, Notification

# rows per INSERT: well under SQLite's limit on variables per statement
_BATCH = 500


def notify(
    *,
    text: str,
    organizations: Iterable[int] = (),
    users: Iterable[int] = (),
    target: Model | None = None,
) -> list[Notification]:
    """One notice to each body (by id: every user acting for it sees it) and to each user (by id), about
    `target` if given, in one insert; a body or user named twice is told once."""
    about: dict[str, Any] = {}
    if target is not None:
        about = {"target_type": ContentType.objects.get_for_model(target), "target_id": target.pk}
    text = text[:NOTICE_LENGTH]
    return Notification.objects.bulk_create(
        [
            Notification(organization_id=organization_id, text=text, **about)
            for organization_id in dict.fromkeys(organizations)
        ]
        + [Notification(user_id=user_id, text=text, **about) for user_id in dict.fromkeys(users)]
    )


def notify_users(*, notices: Iterable[tuple[int, int, str]], target_model: type[Model]) -> int:
    """Many notices at once, each to one user about one record of `target_model`: (user id, record id,
    text), in batched inserts (a reminder run posts one per assignment and person); how many were posted."""
    target_type = ContentType.objects.get_for_model(target_model)
    created = Notification.objects.bulk_create(
        (
            Notification(
                user_id=user_id, text=text[:NOTICE_LENGTH], target_type=target_type, target_id=target_id
            )
            for user_id, target_id, text in notices
        ),
        batch_size=_BATCH,
    )
    return len(created)


@transaction.atomic
def mark_read(*, notifications: QuerySet[Notification]) -> int:
    """Mark notices read (the caller passes only those the user sees: notifications_for)."""
    return notifications.filter(read_at__isnull=True).update(read_at=timezone.now())


def notifications_for(
    *, user_id: int, organization_id: int | None, targets: Sequence[QuerySet[Any]] = ()
) -> QuerySet[Notification]:
    """A user's own notices and those of the body they act for, newest first, each with its record: one query
    for the notices and one per kind of record on the page, whatever their number. `targets` are querysets
    to read some kinds of record with (one per model, e.g. without their long texts)."""
    addressed = Q(user_id=user_id)
    if organization_id is not None:
        addressed |= Q(organization_id=organization_id)
    return (
        Notification.objects.filter(addressed)
        .select_related("target_type")
        .prefetch_related(GenericPrefetch("target", list(targets)) if targets else "target")
    )
