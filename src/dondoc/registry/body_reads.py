"""What a body's page shows (registry/views/bodies.py), read as of a date in a bounded number of queries
whatever the body: its names over time, functions and their earlier versions, posts and holders, deputies
against the limit that applies, staffing against the quota and the reduction roadmap, job positions, lineage.
The number of queries never grows with what the body holds (its posts, people, assignments): it depends on the
date (the roadmap reads a headcount per year up to it) and on which sections have rows at all (holders are
read only when there are posts, the roadmap only for a body with a base-year quota)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.db.models import Prefetch

from dondoc.registry.models import (
    Appointment,
    DeputyLimitRule,
    Function,
    JobPosition,
    Organization,
    OrganizationAlias,
    Post,
    StaffCategory,
    StaffingQuota,
    StaffReductionTarget,
)
from dondoc.registry.rules import RoadmapYear, Violation, check_rules, deputy_rule_covers, reduction_roadmap
from dondoc.registry.selectors import Lineage, deputy_counts, headcounts, lineage


@dataclass(frozen=True, slots=True)
class NameVersion:
    """A name the body bore, from the day the registry recorded it."""

    recorded_on: date
    name: str
    short_name: str


@dataclass(frozen=True, slots=True)
class FunctionItem:
    current: Function
    earlier: tuple[Function, ...]  # the versions of the same position that ended before the date


@dataclass(frozen=True, slots=True)
class Deputies:
    count: int
    rules: tuple[DeputyLimitRule, ...]  # the limits that apply to the body on the date
    violations: tuple[Violation, ...]  # every rule the body breaks on the date, not only the deputies'


@dataclass(frozen=True, slots=True)
class Roadmap:
    target: StaffReductionTarget
    years: tuple[RoadmapYear, ...]


@dataclass(frozen=True, slots=True)
class Staffing:
    quotas: tuple[StaffingQuota, ...]
    headcount: dict[str, int]  # staff category → people on the date
    roadmaps: tuple[Roadmap, ...]


@dataclass(frozen=True, slots=True)
class BodyPage:
    body: Organization
    on: date
    exists: bool  # the body is in existence on the date
    names: tuple[NameVersion, ...]
    aliases: tuple[OrganizationAlias, ...]
    functions: tuple[FunctionItem, ...]
    posts: tuple[Post, ...]  # each with `holders`: the appointments on the date, their people loaded
    deputies: Deputies
    staffing: Staffing
    job_positions: tuple[JobPosition, ...]
    lineage: Lineage


def body_page(*, body: Organization, on: date) -> BodyPage:
    """Everything the page shows of `body` (its parent and jurisdiction loaded) as of `on`."""
    staff = headcounts(organization_ids=[body.id], on=on).get(body.id, {})
    return BodyPage(
        body=body,
        on=on,
        exists=body.is_valid_on(on),
        names=_names(body),
        aliases=tuple(OrganizationAlias.objects.filter(organization=body).order_by("kind", "text")),
        functions=_functions(body, on),
        posts=_posts(body, on),
        deputies=_deputies(body, on, sum(staff.values())),
        staffing=_staffing(body, on, staff),
        job_positions=tuple(
            JobPosition.objects.as_of(on).filter(organization=body).order_by("group", "name")
        ),
        lineage=lineage(organization=body),
    )


def _names(body: Organization) -> tuple[NameVersion, ...]:
    """The body's names as its history recorded them, oldest first, a version only when the name changed."""
    names: list[NameVersion] = []
    for recorded_at, name, short_name in body.history.order_by("history_date", "history_id").values_list(
        "history_date", "name", "short_name"
    ):
        if names and (names[-1].name, names[-1].short_name) == (name, short_name):
            continue
        names.append(NameVersion(recorded_at.date(), name, short_name))
    return tuple(names)


def _functions(body: Organization, on: date) -> tuple[FunctionItem, ...]:
    """The functions in force on the date, by position, each with the versions it replaced."""
    current: list[Function] = []
    earlier: dict[int, list[Function]] = defaultdict(list)
    for function in Function.objects.filter(organization=body, valid_from__lte=on).order_by(
        "position", "-valid_from"
    ):
        if function.is_valid_on(on):
            current.append(function)
        else:
            earlier[function.position].append(function)
    return tuple(FunctionItem(function, tuple(earlier[function.position])) for function in current)


def _posts(body: Organization, on: date) -> tuple[Post, ...]:
    holders = Prefetch(
        "appointments",
        queryset=Appointment.objects.as_of(on).select_related("person").order_by("person__full_name"),
        to_attr="holders",
    )
    return tuple(
        Post.objects.as_of(on)
        .filter(organization=body)
        .prefetch_related(holders)
        .order_by("kind", "title", "id")
    )


def _deputies(body: Organization, on: date, staff: int) -> Deputies:
    parent_kind = body.parent.kind if body.parent is not None else ""
    rules = tuple(
        rule
        for rule in DeputyLimitRule.objects.as_of(on).order_by("scope", "name")
        if deputy_rule_covers(rule, kind=body.kind, level=body.level, parent_kind=parent_kind, staff=staff)
    )
    return Deputies(
        count=deputy_counts(organization_ids=[body.id], on=on).get(body.id, 0),
        rules=rules,
        violations=tuple(check_rules(on=on, organization_ids={body.id})),
    )


def _staffing(body: Organization, on: date, headcount: dict[str, int]) -> Staffing:
    targets = [
        target
        for target in StaffReductionTarget.objects.as_of(on).order_by("category")
        if target.start_year <= on.year
    ]
    roadmaps = []
    for target in targets:
        years = reduction_roadmap(organization=body, target=target, on=on)
        if years:
            roadmaps.append(Roadmap(target, tuple(years)))
    categories = {category.value: category.label for category in StaffCategory}
    return Staffing(
        quotas=tuple(StaffingQuota.objects.filter(organization=body).order_by("-year", "category")),
        headcount={str(categories[key]): count for key, count in headcount.items()},
        roadmaps=tuple(roadmaps),
    )
