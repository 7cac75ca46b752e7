"""The periodic report's form: the period (a quarter, half-year or year, in the cut-offs of Nghị định
09/2019/NĐ-CP, as the dashboard's filter offers them), the directives covered, the issuing body and the
signer's authority and title (the name is left for the clerk)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy

from dondoc.directives.models import Directive
from dondoc.followup.forms.dashboard import period_choices, period_from_code
from dondoc.followup.forms.inspections import BodyChoice
from dondoc.periods import ReportingPeriod
from dondoc.registry.models import Organization, OrganizationKind

# the signing authorities offered (the field takes any other): the Party's (Hướng dẫn 36-HD/VPTW) and the
# State's (Nghị định 30/2020/NĐ-CP) ways of signing for a collective, for the head, by order
AUTHORITIES = (
    "T/M BAN THƯỜNG VỤ",
    "T/M BAN CHẤP HÀNH",
    "K/T TRƯỞNG BAN",
    "KT. TRƯỞNG BAN",
    "T/L BAN THƯỜNG VỤ",
    "TM. ỦY BAN NHÂN DÂN",
    "KT. CHỦ TỊCH",
    "KT. GIÁM ĐỐC",
    "TL. GIÁM ĐỐC",
)
# the head's title a body's documents are usually signed with, proposed for the issuing body
HEAD_TITLES = {
    OrganizationKind.PARTY_COMMITTEE: "BÍ THƯ",
    OrganizationKind.STANDING_BOARD: "BÍ THƯ",
    OrganizationKind.STANDING_OFFICE: "BÍ THƯ",
    OrganizationKind.PARTY_ADVISORY_BODY: "TRƯỞNG BAN",
    OrganizationKind.INSPECTION_COMMISSION: "CHỦ NHIỆM",
    OrganizationKind.PARTY_DELEGATION: "BÍ THƯ",
    OrganizationKind.PARTY_AFFAIRS_COMMITTEE: "BÍ THƯ",
    OrganizationKind.PARTY_BLOC_COMMITTEE: "BÍ THƯ",
    OrganizationKind.PEOPLES_COMMITTEE: "CHỦ TỊCH",
    OrganizationKind.PEOPLES_COUNCIL: "CHỦ TỊCH",
    OrganizationKind.DEPARTMENT: "GIÁM ĐỐC",
}
SUBJECT_SHOWN = 90  # characters of a directive's subject in the choice


class _DirectiveChoices(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    """Each directive by its number, date and the start of its subject."""

    def label_from_instance(self, obj: Any) -> str:
        subject = obj.subject if len(obj.subject) <= SUBJECT_SHOWN else f"{obj.subject[:SUBJECT_SHOWN]}…"
        return f"{obj.number or '—'} ({obj.issued_on:%d/%m/%Y}): {subject}"


class ReportForm(forms.Form):
    period = forms.ChoiceField(
        label=gettext_lazy("Reporting period"),
        error_messages={
            "required": gettext_lazy("Choose a reporting period."),
            "invalid_choice": gettext_lazy("Choose a reporting period from the list."),
        },
    )
    directives = _DirectiveChoices(
        label=gettext_lazy("Directives the report covers"),
        queryset=Directive.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": gettext_lazy("Choose at least one directive."),
            "invalid_choice": gettext_lazy("Choose directives from the list."),
        },
    )
    issuer = BodyChoice(
        label=gettext_lazy("Issuing body"),
        queryset=Organization.objects.none(),
        error_messages={
            "required": gettext_lazy("Choose the body that issues the report."),
            "invalid_choice": gettext_lazy("Choose a body from the list."),
        },
    )
    signer_authority = forms.CharField(
        label=gettext_lazy("Signing authority"),
        required=False,
        max_length=100,
        help_text=gettext_lazy("Above the title, when signing for a collective or for the head: T/M, K/T …"),
        widget=forms.TextInput(attrs={"list": "signer-authorities", "autocomplete": "off"}),
    )
    signer_title = forms.CharField(
        label=gettext_lazy("Signer's title"),
        max_length=100,
        help_text=gettext_lazy("The name is left blank for the clerk to fill in when it is signed."),
        error_messages={"required": gettext_lazy("Enter the signer's title.")},
    )

    def __init__(
        self,
        *args: Any,
        today: date,
        directives: QuerySet[Directive],
        bodies: QuerySet[Organization],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["period"].choices = period_choices(today, months=False)
        fields["directives"].queryset = directives
        fields["issuer"].queryset = bodies

    def clean_period(self) -> ReportingPeriod:
        code: str = self.cleaned_data["period"]
        return period_from_code(code)
