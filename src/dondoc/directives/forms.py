"""The directive pages' forms, by area: import and review, inbox and reports, search and trace."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any, Self

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.db.models import QuerySet
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dondoc.core.forms import DayField, SearchPickerField
from dondoc.directives import selectors
from dondoc.directives.models import (
    AssignmentRole,
    Directive,
    DirectiveState,
    Task,
    TaskDeadlineKind,
)
from dondoc.directives.status import Status
from dondoc.registry.models import Organization

# --- import and review ---


class ImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Directive file"),
        help_text=gettext_lazy("Word (.docx), PDF, a scan (.png, .jpg, .tiff) or text (.txt, .md)."),
        widget=forms.ClearableFileInput(attrs={"accept": ".docx,.pdf,.png,.jpg,.jpeg,.tif,.tiff,.txt,.md"}),
    )


def lines(value: str) -> list[str]:
    """A text box of phrases, one per line (addressees, leads, coordinating bodies)."""
    return value.splitlines()


def _comparable(value: object) -> object:
    """A value as near as needed to what the services store to tell a real difference: text without its
    spacing, line ends and blank lines."""
    if isinstance(value, str):
        return tuple(" ".join(line.split()) for line in value.splitlines() if line.strip())
    return value


class VersionedForm(forms.Form):
    """A form for one part of a draft that carries the version it was read at, which the service compares
    with the version saved. After a conflict, `theirs` holds the saved value of each field where the user's
    differs, as the page shows it beside the user's."""

    version = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.theirs: dict[str, str] = {}

    def clean_version(self) -> int:
        # anything but the number the page put there (a page opened before drafts had versions sends none)
        # counts as stale: its user sees what is saved now before overwriting it
        value: str = self.cleaned_data["version"]
        return int(value) if value.isdecimal() else 0

    def in_conflict_with(self, saved: Mapping[str, Any]) -> Self:
        """This valid form again with the user's values and the saved version (so that saving again is a
        deliberate overwrite), each field the user's value differs in showing the saved value."""
        # by key: a QueryDict unpacked with ** would give each value's list
        data = {key: self.data.get(key) for key in self.data}
        data[self.add_prefix("version")] = str(saved["version"])
        form = type(self)(data, prefix=self.prefix, initial=saved)
        form.theirs = {
            name: self._shown(name, value)
            for name, value in saved.items()
            if name != "version" and _comparable(self.cleaned_data.get(name)) != _comparable(value)
        }
        for name in form.theirs:  # a screen reader reads the saved value with the field (_review_field.html)
            form.fields[name].widget.attrs["aria-describedby"] = f"{form[name].id_for_label}-theirs"
        return form

    def _shown(self, name: str, value: object) -> str:
        field = self.fields[name]
        if value is None or value == "":
            return _("(empty)")
        if isinstance(value, date):
            return f"{value:%d/%m/%Y}"
        if isinstance(field, forms.ChoiceField):
            labels = {option.data["value"]: option.choice_label for option in self[name].subwidgets}
            return str(labels.get(value, value))
        return str(value)


class HeaderForm(VersionedForm):
    issuer_text = forms.CharField(label=gettext_lazy("Issuer"), max_length=300)
    number = forms.CharField(label=gettext_lazy("Number"), max_length=100, required=False)
    type_code = forms.CharField(label=gettext_lazy("Type"), max_length=20, required=False)
    issued_on = DayField(label=gettext_lazy("Issued on"))
    subject = forms.CharField(
        label=gettext_lazy("Subject"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    addressee_phrases = forms.CharField(
        label=gettext_lazy("Addressees"),
        help_text=gettext_lazy("One per line, as printed."),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
    )

    @staticmethod
    def values_of(directive: Directive) -> dict[str, Any]:
        return {
            "version": directive.version,
            "issuer_text": directive.issuer_text,
            "number": directive.number,
            "type_code": directive.type_code,
            "issued_on": directive.issued_on,
            "subject": directive.subject,
            "addressee_phrases": "\n".join(directive.addressee_phrases),
        }

    @classmethod
    def of(cls, directive: Directive) -> HeaderForm:
        return cls(initial=cls.values_of(directive))


class TaskForm(VersionedForm):
    label = forms.CharField(label=gettext_lazy("Label"), max_length=20, required=False)
    text = forms.CharField(label=gettext_lazy("Task"), widget=forms.Textarea(attrs={"rows": 4}))
    lead_phrases = forms.CharField(
        label=gettext_lazy("Lead"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("One per line; none means the addressees lead."),
    )
    coordinating_phrases = forms.CharField(
        label=gettext_lazy("Coordinating"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("One per line."),
    )
    deadline_kind = forms.ChoiceField(
        label=gettext_lazy("Kind of deadline"), choices=TaskDeadlineKind.choices
    )
    due = DayField(label=gettext_lazy("Due"), required=False)
    start = DayField(label=gettext_lazy("From"), required=False)
    deadline_text = forms.CharField(label=gettext_lazy("Deadline as printed"), max_length=300, required=False)

    @staticmethod
    def values_of(task: Task) -> dict[str, Any]:
        return {
            "version": task.version,
            "label": task.label,
            "text": task.text,
            "lead_phrases": "\n".join(task.lead_phrases),
            "coordinating_phrases": "\n".join(task.coordinating_phrases),
            "deadline_kind": task.deadline_kind,
            "due": task.due,
            "start": task.start,
            "deadline_text": task.deadline_text,
        }

    @classmethod
    def of(cls, task: Task, data: Any = None) -> TaskForm:
        return cls(data, prefix=f"task-{task.pk}", initial=cls.values_of(task))


# --- inbox ---


def directive_label(directive: Directive) -> str:
    """How a directive is named in the filters' pickers: its number and day, then the start of its subject."""
    subject = " ".join(directive.subject.split())
    short = subject if len(subject) <= 70 else subject[:69].rstrip() + "…"
    name = f"{directive.number or '—'} ({directive.issued_on:%d/%m/%Y})"
    return f"{name}: {short}" if short else name


class DirectivePickerField(SearchPickerField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(
            search_url=reverse_lazy("directives:pick_directive"),
            placeholder=gettext_lazy("number or words of the subject"),
            **{"label": gettext_lazy("Directive"), "required": False, **kwargs},
        )

    def label_from_instance(self, obj: Any) -> str:
        return directive_label(obj)


class BodyPickerField(SearchPickerField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(
            search_url=reverse_lazy("directives:pick_body"),
            placeholder=gettext_lazy("e.g. noi vu, Cu Jut"),
            **{"label": gettext_lazy("Body"), "required": False, **kwargs},
        )

    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


class InboxFilterForm(forms.Form):
    """The inbox's filters. The directive and the body are picked by searching (a monitor may follow tens of
    thousands of each); what may be picked is `directives` and `bodies`, asked only for the row chosen."""

    directive = DirectivePickerField()
    status = forms.ChoiceField(
        choices=[("", gettext_lazy("all")), *Status.choices], required=False, label=gettext_lazy("Status")
    )
    due_from = DayField(required=False, label=gettext_lazy("Due from"))
    due_to = DayField(required=False, label=gettext_lazy("Due until"))
    role = forms.ChoiceField(
        choices=[("", gettext_lazy("all")), *AssignmentRole.choices],
        required=False,
        label=gettext_lazy("Role"),
    )
    body = BodyPickerField()

    def __init__(
        self,
        *args: Any,
        directives: QuerySet[Directive],
        bodies: QuerySet[Organization] | None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["directive"].queryset = directives  # type: ignore[attr-defined]
        if bodies is not None:
            self.fields["body"].queryset = bodies  # type: ignore[attr-defined]
        else:
            del self.fields["body"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("due_from"), cleaned.get("due_to")
        if start and end and end < start:
            raise forms.ValidationError(_("The end of the deadline range comes before its start."))
        return cleaned

    def filters(self) -> selectors.InboxFilters:
        data = self.cleaned_data
        directive, body = data.get("directive"), data.get("body")
        return selectors.InboxFilters(
            directive_id=directive.pk if directive else None,
            status=data.get("status") or None,
            due_from=data.get("due_from"),
            due_to=data.get("due_to"),
            role=data.get("role") or None,
            organization_id=body.pk if body else None,
        )


# --- the assignment page and its actions ---


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile[bytes]]:
        files = data if isinstance(data, list | tuple) else [data] if data else []
        return [super(MultipleFileField, self).clean(file, initial) for file in files]


class ReportForm(forms.Form):
    text = forms.CharField(label=gettext_lazy("What was done"), widget=forms.Textarea(attrs={"rows": 4}))
    percent = forms.IntegerField(label=gettext_lazy("Percent done"), min_value=0, max_value=100, initial=0)
    reports_done = forms.BooleanField(label=gettext_lazy("The task is done"), required=False)
    period_start = DayField(label=gettext_lazy("Period from"), required=False)
    period_end = DayField(label=gettext_lazy("Period to"), required=False)
    attachments = MultipleFileField(label=gettext_lazy("Attached files"), required=False)

    def __init__(self, *args: Any, by_period: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not by_period:
            del self.fields["period_start"], self.fields["period_end"]


class ReturnForm(forms.Form):
    comment = forms.CharField(
        label=gettext_lazy("Why the report is returned"), widget=forms.Textarea(attrs={"rows": 2})
    )


class ExtensionForm(forms.Form):
    requested_due = DayField(label=gettext_lazy("New deadline"))
    reason = forms.CharField(label=gettext_lazy("Reason"), widget=forms.Textarea(attrs={"rows": 3}))


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("approve", gettext_lazy("approve")), ("refuse", gettext_lazy("refuse"))],
        label=gettext_lazy("Decision"),
    )
    comment = forms.CharField(
        label=gettext_lazy("Comment (needed to refuse)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


# --- the directive list and a directive's task × body page ---


class DirectiveFilterForm(forms.Form):
    q = forms.CharField(required=False, max_length=200, label=gettext_lazy("Number or subject contains"))
    state = forms.ChoiceField(
        required=False,
        label=gettext_lazy("State"),
        choices=[("", gettext_lazy("all")), *DirectiveState.choices],
    )
    year = forms.TypedChoiceField(required=False, coerce=int, empty_value=None, label=gettext_lazy("Year"))
    # typed, not picked from a list: the whole country's directives have thousands of issuers, whose options
    # were most of the list's time (1,000,000 assignments: 582 of them, 21 of its 52 ms)
    issuer = forms.CharField(required=False, max_length=200, label=gettext_lazy("Issuer contains"))

    def __init__(self, *args: Any, years: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        all_ = ("", _("all"))
        self.fields["year"].choices = [all_, *((str(year), str(year)) for year in years)]  # type: ignore[attr-defined]


class GridFilterForm(forms.Form):
    status = forms.ChoiceField(
        required=False, label=gettext_lazy("Status"), choices=[("", gettext_lazy("all")), *Status.choices]
    )
    body = forms.CharField(required=False, max_length=200, label=gettext_lazy("Body name contains"))
    on = DayField(
        required=False,
        label=gettext_lazy("As of"),
        help_text=gettext_lazy("the bodies that held each task on that day, and the statuses then"),
    )


# --- search ---


class SearchForm(forms.Form):
    q = forms.CharField(required=False, max_length=200, label=gettext_lazy("Search"))
    directive = DirectivePickerField()
    body = BodyPickerField()
    status = forms.ChoiceField(
        required=False, label=gettext_lazy("Status"), choices=[("", gettext_lazy("all")), *Status.choices]
    )
    due_from = DayField(required=False, label=gettext_lazy("Due from"))
    due_to = DayField(required=False, label=gettext_lazy("Due until"))

    def __init__(
        self, *args: Any, directives: QuerySet[Directive], bodies: QuerySet[Organization], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["directive"].queryset = directives  # type: ignore[attr-defined]
        self.fields["body"].queryset = bodies  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("due_from") and data.get("due_to") and data["due_to"] < data["due_from"]:
            raise forms.ValidationError(_("The deadline range ends before it starts."))
        return data


# --- the change log ---


class UserPickerField(SearchPickerField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(
            search_url=reverse_lazy("directives:pick_user"),
            placeholder=gettext_lazy("log-in name or full name"),
            **{"label": gettext_lazy("User"), "required": False, **kwargs},
        )

    def label_from_instance(self, obj: Any) -> str:
        return user_label(obj)


def user_label(user: Any) -> str:
    full = user.get_full_name()
    return f"{user.username} ({full})" if full else str(user.username)


class HistoryFilterForm(forms.Form):
    """The change log's filters. The user is picked by searching: a country has thousands, which listed as
    options made the page 458 kB and took 0.8 s to draw."""

    kind = forms.ChoiceField(required=False, label=gettext_lazy("Kind"))
    user = UserPickerField()
    since = DayField(required=False, label=gettext_lazy("From"))
    until = DayField(required=False, label=gettext_lazy("Until"))

    def __init__(self, *args: Any, kinds: list[tuple[str, str]], users: QuerySet[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("all")), *kinds]  # type: ignore[attr-defined]
        self.fields["user"].queryset = users  # type: ignore[attr-defined]
