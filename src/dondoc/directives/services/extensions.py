"""Deadline extensions: a body asks for a new deadline, with its reason; the monitor approves it (the
assignment's deadline moves) or refuses it, saying why."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from dondoc.accounts.models import User
from dondoc.directives.models import Assignment, DeadlineExtension, ExtensionState
from dondoc.directives.services.errors import DirectiveError
from dondoc.directives.services.progress import _notify_body, _notify_monitors, _task_name


@transaction.atomic
def request_extension(
    *, assignment: Assignment, requested_due: date, reason: str, on: date, by: User | None = None
) -> DeadlineExtension:
    """A body asks for a new deadline, with its reason; one request at a time waits for the monitor."""
    assignment = (
        Assignment.objects.select_for_update()
        .select_related("task__directive", "organization")
        .get(pk=assignment.pk)
    )
    if not reason.strip():
        raise DirectiveError(_("Give the reason for a new deadline."))
    if assignment.due is None:
        raise DirectiveError(_("This task has no deadline to move."))
    if requested_due <= assignment.due:
        raise DirectiveError(
            _("The new deadline must come after the current one (%(due)s).")
            % {"due": f"{assignment.due:%d/%m/%Y}"}
        )
    if requested_due < on:
        raise DirectiveError(_("The new deadline has already passed."))
    if assignment.extensions.filter(state=ExtensionState.PENDING).exists():
        raise DirectiveError(_("A request for a new deadline already awaits the monitor's decision."))
    extension = DeadlineExtension.objects.create(
        assignment=assignment,
        previous_due=assignment.due,
        requested_due=requested_due,
        reason=reason.strip(),
        requested_by=by,
        requested_on=on,
    )
    _notify_monitors(
        assignment,
        _("%(body)s asks to move the deadline of %(task)s to %(due)s.")
        % {
            "body": assignment.organization.name,
            "task": _task_name(assignment),
            "due": f"{requested_due:%d/%m/%Y}",
        },
    )
    return extension


@transaction.atomic
def decide_extension(
    *, extension: DeadlineExtension, approve: bool, on: date, comment: str = "", by: User | None = None
) -> DeadlineExtension:
    """The monitor approves (the assignment's deadline moves; the one it replaces stays on the request) or
    refuses, saying why."""
    extension = DeadlineExtension.objects.select_for_update().get(pk=extension.pk)
    if extension.state != ExtensionState.PENDING:
        raise DirectiveError(_("This request has already been decided."))
    if not approve and not comment.strip():
        raise DirectiveError(_("Say why the new deadline is refused."))
    assignment = (
        Assignment.objects.select_for_update()
        .select_related("task__directive")
        .get(pk=extension.assignment_id)
    )
    if approve:
        extension.previous_due = assignment.due
        assignment.due = extension.requested_due
        assignment.save(update_fields=["due"])
    extension.state = ExtensionState.APPROVED if approve else ExtensionState.REFUSED
    extension.decided_by, extension.decided_on, extension.comment = by, on, comment.strip()
    extension.save(update_fields=["state", "decided_by", "decided_on", "comment", "previous_due"])
    task = _task_name(assignment)
    if approve:
        text = _("The new deadline of %(task)s, %(due)s, was approved.") % {
            "task": task,
            "due": f"{extension.requested_due:%d/%m/%Y}",
        }
    else:
        text = _("The new deadline of %(task)s was refused: %(comment)s") % {
            "task": task,
            "comment": extension.comment,
        }
    _notify_body(assignment, text)
    return extension
