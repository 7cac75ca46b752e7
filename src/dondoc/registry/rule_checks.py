"""The rule checks as a page reads them: every violation `rules.check_rules` finds on a day among the bodies a
reader looks after, with the body's level for the filters, grouped by rule, and the same list as a workbook.

Which bodies are given by the caller (the page's scope): a territory and below, one body, or everything; one
query reads them beyond what `check_rules` does, however many violations there are."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Q
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy

from dondoc.registry.models import Level, Organization
from dondoc.registry.rules import Check, Violation, check_rules
from dondoc.text import fold
from dondoc.writing import Sheet, Workbook

# each rule's name and what it checks, in the order the page lists them
RULES: dict[Check, tuple[Promise, Promise]] = {
    Check.DEPUTIES_OVER_LIMIT: (
        gettext_lazy("Deputies over the limit"),
        gettext_lazy("A body has more deputies than the decree or regulation on its kind allows."),
    ),
    Check.DEPUTIES_OVER_LIMIT_IN_TRANSITION: (
        gettext_lazy("Deputies over the limit, within a merger's transition period"),
        gettext_lazy(
            "A merged body has more deputies than allowed, which the transition period still permits."
        ),
    ),
    Check.STAFF_OVER_QUOTA: (
        gettext_lazy("Staff over the quota"),
        gettext_lazy(
            "A body employs more people of a category than the staffing quota assigned for the year."
        ),
    ),
    Check.REDUCTION_BEHIND_ROADMAP: (
        gettext_lazy("Staff reduction behind the roadmap"),
        gettext_lazy("A body's quota for the year is above the path to its staff reduction target."),
    ),
    Check.POST_VACANT: (
        gettext_lazy("Vacant leading posts"),
        gettext_lazy("A head's or deputy's post that nobody holds on the day."),
    ),
    Check.CONCURRENT_POST_OUTSIDE_MODEL: (
        gettext_lazy("Concurrent posts outside the models"),
        gettext_lazy("Someone holds a post concurrently in a way no concurrent-post model allows."),
    ),
    Check.JOB_POSITION_OVER_PLAN: (
        gettext_lazy("Job positions over the plan"),
        gettext_lazy("More people fill a job position than the job position plan provides."),
    ),
}

# the workbook is a document: its words are Vietnamese whatever the reader's language
WORKBOOK_RULES: dict[Check, str] = {
    Check.DEPUTIES_OVER_LIMIT: "Số lượng cấp phó vượt quy định",
    Check.DEPUTIES_OVER_LIMIT_IN_TRANSITION: (
        "Số lượng cấp phó vượt quy định (trong thời gian chuyển tiếp sau hợp nhất)"
    ),
    Check.STAFF_OVER_QUOTA: "Số người làm việc vượt biên chế được giao",
    Check.REDUCTION_BEHIND_ROADMAP: "Tinh giản biên chế chậm so với lộ trình",
    Check.POST_VACANT: "Chức danh lãnh đạo còn khuyết",
    Check.CONCURRENT_POST_OUTSIDE_MODEL: "Kiêm nhiệm ngoài mô hình cho phép",
    Check.JOB_POSITION_OVER_PLAN: "Vị trí việc làm vượt số lượng được phê duyệt",
}
WORKBOOK_LEVELS: dict[str, str] = {
    Level.CENTRAL: "Trung ương",
    Level.PROVINCE: "Tỉnh",
    Level.DISTRICT: "Huyện",
    Level.COMMUNE: "Xã",
}
WORKBOOK_HEADERS = (
    "STT",
    "Quy định",
    "Cơ quan, đơn vị",
    "Cấp",
    "Số liệu",
    "Mức tối đa",
    "Căn cứ",
    "Nội dung",
    "Được phép đến",
)


@dataclass(frozen=True, slots=True)
class Finding:
    """A violation with what the page filters it by: its body's level and folded name."""

    violation: Violation
    level: str
    folded_name: str

    @property
    def level_label(self) -> str:
        return str(Level(self.level).label)


@dataclass(frozen=True, slots=True)
class RuleGroup:
    check: Check
    label: Promise
    explanation: Promise
    findings: tuple[Finding, ...]


def findings_on(
    *, on: date, territory_ids: Collection[int] | None = None, organization_id: int | None = None
) -> list[Finding]:
    """The violations on a day of one body (`organization_id`), or of the bodies of some territories and
    below (as registry/api.py scopes them), or of every body when neither is given."""
    bodies = Organization.objects.as_of(on)
    restricted = organization_id is not None or territory_ids is not None
    if organization_id is not None:
        bodies = bodies.filter(pk=organization_id)
    elif territory_ids is not None:
        bodies = bodies.filter(
            Q(jurisdiction_id__in=territory_ids) | Q(parent__jurisdiction_id__in=territory_ids)
        )
    described = {
        pk: (level, folded) for pk, level, folded in bodies.values_list("id", "level", "folded_name")
    }
    violations = check_rules(on=on, organization_ids=set(described) if restricted else None)
    # an average over a parent's bodies names the parent, which may lie outside the bodies looked after
    return [
        Finding(violation, *described[violation.organization_id])
        for violation in violations
        if violation.organization_id in described
    ]


def filter_findings(
    findings: list[Finding], *, check: Check | None = None, level: str = "", words: str = ""
) -> list[Finding]:
    """The findings of one rule, one level and whose body's name holds every word (diacritics ignored)."""
    folded_words = fold(words).split()
    return [
        finding
        for finding in findings
        if (check is None or finding.violation.check == check)
        and (not level or finding.level == level)
        and all(word in finding.folded_name for word in folded_words)
    ]


def counts_by_rule(findings: list[Finding]) -> dict[Check, int]:
    """How many findings each rule has, every rule listed (zero included), in the page's order."""
    counts = dict.fromkeys(RULES, 0)
    for finding in findings:
        counts[finding.violation.check] += 1
    return counts


def group_by_rule(findings: list[Finding]) -> list[RuleGroup]:
    """The rules that have findings, in the page's order, each with its findings in the order found."""
    groups = []
    for check, (label, explanation) in RULES.items():
        found = tuple(finding for finding in findings if finding.violation.check == check)
        if found:
            groups.append(RuleGroup(check, label, explanation, found))
    return groups


def _number(value: Decimal | int | None) -> int | float | None:
    if value is None or isinstance(value, int):
        return value
    return int(value) if value == value.to_integral_value() else float(value)


def findings_workbook(findings: list[Finding], *, on: date, created: date) -> Workbook:
    """The findings as a workbook of one sheet, by rule in the page's order; the messages are in the
    language `check_rules` ran in (the caller runs it in Vietnamese for the document)."""
    ordered = [finding for group in group_by_rule(findings) for finding in group.findings]
    rows = tuple(
        (
            number,
            WORKBOOK_RULES[finding.violation.check],
            finding.violation.organization,
            WORKBOOK_LEVELS.get(finding.level, finding.level),
            _number(finding.violation.figure),
            _number(finding.violation.limit),
            finding.violation.source or None,
            finding.violation.message,
            finding.violation.allowed_until,
        )
        for number, finding in enumerate(ordered, start=1)
    )
    title = f"Kết quả kiểm tra theo quy định ngày {on:%d/%m/%Y}"
    return Workbook(
        sheets=(Sheet(name="Vi phạm", title=title, headers=WORKBOOK_HEADERS, rows=rows),),
        created=created,
        title=title,
    )
