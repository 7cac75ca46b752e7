"""The follow-up a monitor sends by hand to a directive's bodies: the late ones chosen, a text naming what is
late. guard → access → form → service → message → redirect, as in directives/views.

The choices are assignments (a body late on two tasks is chosen twice, and the follow-up is recorded on
each), but the page and its message count bodies: that is whom the monitor urges."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.contrib import messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from dondoc import clock
from dondoc.accounts.access import role_required, scope
from dondoc.accounts.models import MANAGING_ROLES, User
from dondoc.directives.access import access_directive, assignments_for
from dondoc.directives.models import Assignment, Directive
from dondoc.followup.models.reminders import ManualFollowUp
from dondoc.followup.services.reminders import open_assignments_of
from dondoc.followup.services.reminders import send_followup as send


class _AssignmentChoices(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    """Each assignment by its body, task and deadline, as it stands on `today`."""

    today: date

    def label_from_instance(self, obj: Any) -> str:
        values = {
            "body": obj.organization.name,
            "task": obj.task.label or obj.task.position,
            "due": f"{obj.due:%d/%m/%Y}",
        }
        if obj.due is not None and obj.due < self.today:
            return _("%(body)s: task %(task)s, overdue since %(due)s") % values
        return _("%(body)s: task %(task)s, due on %(due)s") % values


class FollowUpForm(forms.Form):
    assignments = _AssignmentChoices(
        label=gettext_lazy("Bodies"),
        queryset=Assignment.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": gettext_lazy("Choose at least one body.")},
    )
    text = forms.CharField(
        label=gettext_lazy("Text"), widget=forms.Textarea(attrs={"rows": 8}), max_length=4000
    )

    def __init__(
        self, *args: Any, open_assignments: QuerySet[Assignment], today: date, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["assignments"]
        assert isinstance(field, _AssignmentChoices)
        field.queryset, field.today = open_assignments, today


def _prefilled_text(directive: Directive, late: list[Assignment]) -> str:
    """What is late, task by task (label and deadline), for the monitor to edit."""
    tasks = dict.fromkeys(
        _("- task %(task)s, due on %(due)s")
        % {"task": a.task.label or a.task.position, "due": f"{a.due:%d/%m/%Y}"}
        for a in late
    )
    return "\n".join(
        [
            _("The following tasks of %(directive)s are overdue:")
            % {"directive": directive.number or directive},
            *tasks,
            _("Please complete them and report on their progress in dondoc."),
        ]
    )


def _sent_message(sent: list[ManualFollowUp]) -> str:
    """How many bodies were urged, and on how many tasks when some body was urged on more than one."""
    bodies = len({record.assignment.organization_id for record in sent})
    if len(sent) == bodies:
        message = ngettext("Follow-up sent to %(count)d body.", "Follow-up sent to %(count)d bodies.", bodies)
        return message % {"count": bodies}
    return ngettext(
        "Follow-up sent to %(count)d body about %(tasks)d tasks.",
        "Follow-up sent to %(count)d bodies about %(tasks)d tasks.",
        bodies,
    ) % {"count": bodies, "tasks": len(sent)}


@role_required(*MANAGING_ROLES)
def send_followup(request: HttpRequest, pk: int) -> HttpResponse:
    acting = scope(request)
    directive = access_directive(acting, pk, deferred=("source_text", "parsed", "search_text"))
    today = clock.today()
    open_assignments = (
        open_assignments_of(assignments=assignments_for(acting).filter(task__directive=directive))
        .select_related("organization", "task")
        .order_by("due", "task__position", "organization__name")
    )
    late = [
        assignment for assignment in open_assignments if assignment.due is not None and assignment.due < today
    ]
    form = FollowUpForm(
        request.POST or None,
        open_assignments=open_assignments,
        today=today,
        initial={"assignments": [a.pk for a in late], "text": _prefilled_text(directive, late)},
    )
    if request.method == "POST" and form.is_valid():
        user = request.user if isinstance(request.user, User) else None
        sent = send(
            directive=directive,
            assignments=open_assignments.filter(pk__in=[a.pk for a in form.cleaned_data["assignments"]]),
            text=form.cleaned_data["text"],
            by=user,
        )
        messages.success(request, _sent_message(sent))
        return redirect(directive)
    context = {
        "directive": directive,
        "form": form,
        "late_bodies": len({assignment.organization_id for assignment in late}),
        "late_tasks": len(late),
        "open_count": len(open_assignments),
    }
    return render(request, "followup/followup_send.html", context)
