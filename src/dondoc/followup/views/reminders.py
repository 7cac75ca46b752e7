"""The follow-up a monitor sends by hand to a directive's bodies: the late ones chosen, a text naming what is
late, and the follow-up letter (công văn đôn đốc) to them as .docx, with the new deadline it gives. guard →
access → form → service → message → redirect, as in directives/views.

The choices are assignments (a body late on two tasks is chosen twice, and the follow-up is recorded on
each), but the page and its message count bodies: that is whom the monitor urges. The dashboard links here
with the filters that narrowed its late bodies (`?period=…&level=…&body=…`): the directive's late assignments
under them are those chosen."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.contrib import messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods

from dondoc import clock
from dondoc.accounts.access import role_required, scope
from dondoc.accounts.models import MANAGING_ROLES, User
from dondoc.accounts.scope import Scope
from dondoc.core.forms import DayField
from dondoc.directives.access import access_directive, assignments_for, bodies_assigned_for
from dondoc.directives.models import Assignment, Directive
from dondoc.followup.drafting import compose_letter, document_signer, letter_filename
from dondoc.followup.forms.dashboard import NARROWING_FILTERS, DashboardForm
from dondoc.followup.forms.reports import HEAD_TITLES
from dondoc.followup.models.reminders import ManualFollowUp
from dondoc.followup.selectors.dashboard import narrowed
from dondoc.followup.selectors.reports import issuing_body, letter_data
from dondoc.followup.services.reminders import open_assignments_of
from dondoc.followup.services.reminders import send_followup as send
from dondoc.followup.views.exporting import query_string
from dondoc.followup.views.reports import DOCX
from dondoc.registry.models import Organization, OrganizationKind
from dondoc.writing import write_document


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
    """The follow-up to send (the text required), or the letter to write (`letter`: the new deadline
    required, the text not used)."""

    assignments = _AssignmentChoices(
        label=gettext_lazy("Bodies"),
        queryset=Assignment.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": gettext_lazy("Choose at least one body.")},
    )
    text = forms.CharField(
        label=gettext_lazy("Text"), widget=forms.Textarea(attrs={"rows": 8}), max_length=4000
    )
    new_deadline = DayField(
        label=gettext_lazy("New deadline"),
        required=False,
        help_text=gettext_lazy("The date the follow-up letter asks the bodies to finish and report by."),
        error_messages={"required": gettext_lazy("Enter the new deadline the letter gives.")},
    )

    def __init__(
        self,
        *args: Any,
        open_assignments: QuerySet[Assignment],
        today: date,
        letter: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["assignments"]
        assert isinstance(field, _AssignmentChoices)
        field.queryset, field.today = open_assignments, today
        self.today = today
        self.fields["text"].required = not letter
        self.fields["new_deadline"].required = letter

    def clean_new_deadline(self) -> date | None:
        new_deadline: date | None = self.cleaned_data.get("new_deadline")
        if new_deadline is not None and new_deadline <= self.today:
            raise forms.ValidationError(_("The new deadline must come after today."))
        return new_deadline


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


def _open_assignments(acting: Scope, directive: Directive) -> QuerySet[Assignment]:
    return (
        open_assignments_of(assignments=assignments_for(acting).filter(task__directive=directive))
        .select_related("organization", "task")
        .order_by("due", "task__position", "organization__name")
    )


def _chosen(
    request: HttpRequest,
    acting: Scope,
    open_assignments: QuerySet[Assignment],
    late: list[Assignment],
    *,
    today: date,
) -> tuple[list[Assignment], list[tuple[str, str]]]:
    """Those of the `late` assignments under the dashboard's filters in the address (a period, a body, a
    level: those that narrow a directive's bodies), all of them without any; and those filters, as the page
    names them. Filters the dashboard could not have written are said so and leave all of them chosen."""
    given = {name: request.GET[name] for name in NARROWING_FILTERS if request.GET.get(name)}
    if not given:
        return late, []
    bodies = bodies_assigned_for(acting) if "body" in given else Organization.objects.none()
    form = DashboardForm(given, today=today, directives=Directive.objects.none(), bodies=bodies)
    if not form.is_valid():
        messages.warning(
            request,
            _("The dashboard's filters in the address were not understood: every late body is chosen."),
        )
        return late, []
    kept = set(narrowed(open_assignments, form.filters()).values_list("pk", flat=True))
    return [assignment for assignment in late if assignment.pk in kept], form.chosen()


def _send_page(
    request: HttpRequest,
    directive: Directive,
    form: FollowUpForm,
    late: list[Assignment],
    open_count: int,
    *,
    narrowed_by: list[tuple[str, str]] | None = None,
    status: int = 200,
) -> HttpResponse:
    """The follow-up page, its summary counting the `late` assignments chosen for the monitor (under the
    dashboard's filters `narrowed_by`, named). The form is sent with those filters in its address, so that a
    page sent back with an error counts and names the same choice."""
    context = {
        "directive": directive,
        "form": form,
        "narrowed_by": narrowed_by or [],
        "narrowing_query": query_string(request, keep=NARROWING_FILTERS) if narrowed_by else "",
        "late_bodies": len({assignment.organization_id for assignment in late}),
        "late_tasks": len(late),
        "open_count": open_count,
    }
    return render(request, "followup/followup_send.html", context, status=status)


def _letter_link(directive: Directive, assignments: list[Assignment], new_deadline: date) -> str:
    query = QueryDict(mutable=True)
    query.setlist("assignments", [str(assignment.pk) for assignment in assignments])
    query["new_deadline"] = f"{new_deadline:%d/%m/%Y}"
    return f"{reverse('followup:followup_letter', args=[directive.pk])}?{query.urlencode()}"


@role_required(*MANAGING_ROLES)
@require_http_methods(["GET", "POST"])
def send_followup(request: HttpRequest, pk: int) -> HttpResponse:
    acting = scope(request)
    directive = access_directive(acting, pk, deferred=("source_text", "parsed", "search_text"))
    today = clock.today()
    open_assignments = _open_assignments(acting, directive)
    late = [
        assignment for assignment in open_assignments if assignment.due is not None and assignment.due < today
    ]
    chosen, narrowed_by = _chosen(request, acting, open_assignments, late, today=today)
    form = FollowUpForm(
        request.POST or None,
        open_assignments=open_assignments,
        today=today,
        initial={"assignments": [a.pk for a in chosen], "text": _prefilled_text(directive, chosen)},
    )
    if request.method == "POST" and form.is_valid():
        user = request.user if isinstance(request.user, User) else None
        recipients = list(form.cleaned_data["assignments"])
        sent = send(
            directive=directive,
            assignments=open_assignments.filter(pk__in=[a.pk for a in recipients]),
            text=form.cleaned_data["text"],
            by=user,
        )
        new_deadline = form.cleaned_data["new_deadline"]
        if new_deadline is None:
            messages.success(request, _sent_message(sent))
        else:
            messages.success(
                request,
                format_html(
                    '{} <a href="{}" id="letter-after-sending">{}</a>',
                    _sent_message(sent),
                    _letter_link(directive, recipients, new_deadline),
                    _("Download the follow-up letter (.docx)"),
                ),
            )
        return redirect(directive)
    return _send_page(request, directive, form, chosen, len(open_assignments), narrowed_by=narrowed_by)


@role_required(*MANAGING_ROLES)
@require_http_methods(["GET", "POST"])
def followup_letter(request: HttpRequest, pk: int) -> HttpResponse:
    """The follow-up letter to the chosen assignments' bodies, as .docx: from the send page's second button
    (POST), or from the link offered once the follow-up is sent (GET). It records nothing: sending does."""
    acting = scope(request)
    directive = access_directive(acting, pk, deferred=("source_text", "parsed", "search_text"))
    if request.method == "GET" and not request.GET:  # opened without a choice: choose on the send page
        return redirect("followup:send_followup", pk=directive.pk)
    today = clock.today()
    open_assignments = _open_assignments(acting, directive)
    form = FollowUpForm(
        request.POST if request.method == "POST" else request.GET,
        open_assignments=open_assignments,
        today=today,
        letter=True,
    )
    own = acting.membership.organization
    if not form.is_valid() or own is None:
        if own is None:
            form.add_error(
                None, _("The letter is issued by your own body: act as a member of one to write it.")
            )
        late = [a for a in open_assignments if a.due is not None and a.due < today]
        chosen, narrowed_by = _chosen(request, acting, open_assignments, late, today=today)
        return _send_page(
            request, directive, form, chosen, len(open_assignments), narrowed_by=narrowed_by, status=400
        )
    data = letter_data(
        directive=directive,
        assignments=open_assignments.filter(pk__in=[a.pk for a in form.cleaned_data["assignments"]]),
        today=today,
    )
    issuer = issuing_body(own)
    document = compose_letter(
        data=data,
        issuer=issuer,
        signer=document_signer(title=HEAD_TITLES.get(OrganizationKind(own.kind), "")),
        new_deadline=form.cleaned_data["new_deadline"],
    )
    response = HttpResponse(write_document(document), content_type=DOCX)
    response["Content-Disposition"] = f'attachment; filename="{letter_filename(data)}"'
    return response
