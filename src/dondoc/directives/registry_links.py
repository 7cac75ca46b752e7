"""The directives' part of a body's page in the registry (registry/hooks.py): the body's assignments of
published directives issued by the date and not done on it, with their task, directive, due date and status,
read through the directives' selectors in one query. A task without an end (carried on regularly) is never
done, so it stays listed."""

from __future__ import annotations

from datetime import date

from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from dondoc.directives.models import Assignment, DirectiveState
from dondoc.directives.selectors import with_status
from dondoc.directives.status import Status
from dondoc.registry.hooks import OpenAssignment

_DONE = (Status.DONE_ON_TIME.value, Status.DONE_LATE.value)


def open_assignments_of(organization_id: int, on: date) -> list[OpenAssignment]:
    assignments = with_status(
        Assignment.objects.filter(
            organization_id=organization_id,
            task__directive__state=DirectiveState.PUBLISHED,
            task__directive__issued_on__lte=on,
        ),
        today=on,
    )
    # "status" is with_status's annotation, which the Django stubs cannot see
    rows = (
        assignments.exclude(Q(status__in=_DONE))
        .order_by(F("due").asc(nulls_last=True), "task__directive_id", "task__position")
        .values_list(  # type: ignore[misc]
            "id",
            "task__label",
            "task__position",
            "task__text",
            "task__directive__type_code",
            "task__directive__number",
            "due",
            "status",
        )
    )
    return [
        (
            _("Task %(label)s of %(type)s %(number)s: %(text)s")
            % {"label": label or position, "type": type_code, "number": number or "—", "text": _short(text)},
            reverse("directives:assignment", args=[assignment_id]),
            due,
            str(Status(status).label),
        )
        for assignment_id, label, position, text, type_code, number, due, status in rows
    ]


def _short(text: str, limit: int = 160) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
