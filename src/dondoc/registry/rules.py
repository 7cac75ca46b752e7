"""Checking the registry against its rules: deputies, quotas, the reduction roadmap, vacancies,
concurrent posts.

The rules are data (DeputyLimitRule, StaffReductionTarget, ConcurrentPostModel), each with its
legal source; every violation names the body, the figure, the limit and that source.
"""

from __future__ import annotations

import enum
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_FLOOR, Decimal

from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _

from dondoc.calendar import add_months
from dondoc.registry.models import (
    Appointment,
    ConcurrentPostModel,
    DeputyLimitRule,
    DeputyLimitScope,
    JobPosition,
    Organization,
    Post,
    PostKind,
    StaffingQuota,
    StaffReductionTarget,
)
from dondoc.registry.selectors import deputy_counts, headcounts, merged_since
from dondoc.text import fold


class Check(enum.StrEnum):
    DEPUTIES_OVER_LIMIT = "deputies_over_limit"
    DEPUTIES_OVER_LIMIT_IN_TRANSITION = "deputies_over_limit_in_transition"
    STAFF_OVER_QUOTA = "staff_over_quota"
    REDUCTION_BEHIND_ROADMAP = "reduction_behind_roadmap"
    POST_VACANT = "post_vacant"
    CONCURRENT_POST_OUTSIDE_MODEL = "concurrent_post_outside_model"
    JOB_POSITION_OVER_PLAN = "job_position_over_plan"


@dataclass(frozen=True, slots=True)
class Violation:
    check: Check
    organization_id: int
    organization: str
    figure: Decimal | int
    limit: Decimal | int | None
    source: str
    message: str
    allowed_until: date | None = None  # for an excess a merger's transition period still allows


def check_rules(*, on: date, organization_ids: set[int] | None = None) -> list[Violation]:
    """Every violation on a date, optionally only for some bodies, ordered by body and check."""
    bodies = Organization.objects.as_of(on)
    if organization_ids is not None:
        bodies = bodies.filter(id__in=organization_ids)
    by_id = {body.id: body for body in bodies.select_related("parent")}
    staff = headcounts(organization_ids=by_id, on=on)
    violations = [
        *_deputies_over_limit(on, by_id, staff),
        *_staff_over_quota(on, by_id, staff),
        *_reduction_behind_roadmap(on, by_id),
        *_posts_vacant(on, by_id),
        *_concurrent_posts_outside_models(on, by_id),
        *_job_positions_over_plan(on, by_id),
    ]
    return sorted(violations, key=lambda v: (v.organization, v.check.value, v.message))


def _whole(value: Decimal | int) -> Decimal | int:
    return int(value) if Decimal(value) == int(value) else Decimal(value).quantize(Decimal("0.01"))


def deputy_rule_covers(rule: DeputyLimitRule, *, kind: str, level: str, parent_kind: str, staff: int) -> bool:
    """Does this limit apply to a body of this kind, level, parent's kind and headcount?"""
    if kind != rule.organization_kind or (rule.level and level != rule.level):
        return False
    if rule.parent_kind and parent_kind != rule.parent_kind:
        return False
    if rule.min_staff is not None and staff < rule.min_staff:
        return False
    return rule.max_staff is None or staff <= rule.max_staff


def _rule_covers(rule: DeputyLimitRule, body: Organization, staff: int) -> bool:
    parent_kind = body.parent.kind if body.parent is not None else ""
    return deputy_rule_covers(rule, kind=body.kind, level=body.level, parent_kind=parent_kind, staff=staff)


def _deputies_over_limit(
    on: date, bodies: dict[int, Organization], staff: dict[int, dict[str, int]]
) -> list[Violation]:
    rules = list(DeputyLimitRule.objects.as_of(on))
    if not rules:
        return []
    deputies = deputy_counts(organization_ids=bodies, on=on)
    merged = merged_since(organization_ids=bodies)
    found: list[Violation] = []
    for rule in rules:
        covered = [b for b in bodies.values() if _rule_covers(rule, b, sum(staff.get(b.id, {}).values()))]
        if rule.scope == DeputyLimitScope.AVERAGE:
            found.extend(_average_over_limit(rule, covered, deputies))
            continue
        for body in covered:
            count = deputies.get(body.id, 0)
            if count <= rule.max_deputies:
                continue
            allowed_until = None
            if rule.merger_grace_months and body.id in merged:
                end = add_months(merged[body.id], rule.merger_grace_months)
                allowed_until = end if on < end else None
            found.append(
                Violation(
                    Check.DEPUTIES_OVER_LIMIT_IN_TRANSITION if allowed_until else Check.DEPUTIES_OVER_LIMIT,
                    body.id,
                    body.name,
                    count,
                    _whole(rule.max_deputies),
                    rule.source,
                    _("%(body)s has %(count)s deputies; %(source)s allows at most %(limit)s.")
                    % {
                        "body": body.name,
                        "count": count,
                        "source": rule.source,
                        "limit": _whole(rule.max_deputies),
                    },
                    allowed_until,
                )
            )
    return found


def _average_over_limit(
    rule: DeputyLimitRule, covered: list[Organization], deputies: dict[int, int]
) -> list[Violation]:
    """An average limit holds for the bodies of a kind under one parent (the departments of one province)."""
    by_parent: dict[Organization | None, list[Organization]] = defaultdict(list)
    for body in covered:
        by_parent[body.parent].append(body)
    found = []
    for parent, members in by_parent.items():
        average = (Decimal(sum(deputies.get(b.id, 0) for b in members)) / len(members)).quantize(
            Decimal("0.01")
        )
        if average <= rule.max_deputies or parent is None:
            continue
        found.append(
            Violation(
                Check.DEPUTIES_OVER_LIMIT,
                parent.id,
                parent.name,
                average,
                _whole(rule.max_deputies),
                rule.source,
                _(
                    "The %(count)s bodies of kind %(kind)s under %(parent)s have %(average)s deputies "
                    "on average; %(source)s allows %(limit)s on average."
                )
                % {
                    "count": len(members),
                    "kind": members[0].get_kind_display(),
                    "parent": parent.name,
                    "average": average,
                    "source": rule.source,
                    "limit": _whole(rule.max_deputies),
                },
            )
        )
    return found


def _staff_over_quota(
    on: date, bodies: dict[int, Organization], staff: dict[int, dict[str, int]]
) -> list[Violation]:
    found = []
    for quota in StaffingQuota.objects.filter(year=on.year, organization_id__in=bodies):
        actual = staff.get(quota.organization_id, {}).get(quota.category, 0)
        if actual <= quota.assigned:
            continue
        body = bodies[quota.organization_id]
        found.append(
            Violation(
                Check.STAFF_OVER_QUOTA,
                body.id,
                body.name,
                actual,
                quota.assigned,
                quota.decision,
                _("%(body)s has %(actual)s %(category)s against a quota of %(quota)s for %(year)s.")
                % {
                    "body": body.name,
                    "actual": actual,
                    "category": quota.get_category_display(),
                    "quota": quota.assigned,
                    "year": quota.year,
                },
            )
        )
    return found


def roadmap_limit(*, base: int, target: StaffReductionTarget, year: int) -> int:
    """The most a quota may be in a year on a linear path from the base year to the target's last year."""
    span = target.end_year - target.start_year + 1
    done = min(max(year - target.start_year + 1, 0), span)
    share = Decimal(target.percent) / 100 * done / span
    return int((base * (1 - share)).to_integral_value(rounding=ROUND_FLOOR))


@dataclass(frozen=True, slots=True)
class RoadmapYear:
    year: int
    limit: int  # the most the quota may be that year
    assigned: int | None  # the quota assigned, if one was
    actual: int | None  # headcount on 31 December (or on `on` for the current year)

    @property
    def behind(self) -> bool:
        return self.assigned is not None and self.assigned > self.limit


def reduction_roadmap(
    *, organization: Organization, target: StaffReductionTarget, on: date
) -> list[RoadmapYear]:
    """A body's path to a reduction target, year by year: the limit, the quota and the headcount."""
    quotas = dict(
        StaffingQuota.objects.filter(organization=organization, category=target.category).values_list(
            "year", "assigned"
        )
    )
    if target.base_year not in quotas:
        return []
    years = []
    for year in range(target.start_year, min(target.end_year, on.year) + 1):
        counted_on = min(date(year, 12, 31), on)
        actual = headcounts(organization_ids=[organization.id], on=counted_on).get(organization.id, {})
        years.append(
            RoadmapYear(
                year,
                roadmap_limit(base=quotas[target.base_year], target=target, year=year),
                quotas.get(year),
                actual.get(target.category),
            )
        )
    return years


def _reduction_behind_roadmap(on: date, bodies: dict[int, Organization]) -> list[Violation]:
    targets = [t for t in StaffReductionTarget.objects.as_of(on) if t.start_year <= on.year <= t.end_year]
    if not targets:
        return []
    quotas: dict[tuple[int, str], dict[int, int]] = defaultdict(dict)
    years = {on.year} | {t.base_year for t in targets}
    for body_id, category, year, assigned in StaffingQuota.objects.filter(
        organization_id__in=bodies, year__in=years
    ).values_list("organization_id", "category", "year", "assigned"):
        quotas[(body_id, category)][year] = assigned
    found = []
    for target in targets:
        for (body_id, category), by_year in quotas.items():
            if category != target.category or target.base_year not in by_year or on.year not in by_year:
                continue
            limit = roadmap_limit(base=by_year[target.base_year], target=target, year=on.year)
            if by_year[on.year] <= limit:
                continue
            body = bodies[body_id]
            found.append(
                Violation(
                    Check.REDUCTION_BEHIND_ROADMAP,
                    body.id,
                    body.name,
                    by_year[on.year],
                    limit,
                    target.source,
                    _(
                        "%(body)s: the %(year)s quota of %(category)s is %(quota)s; the roadmap of "
                        "%(source)s (%(percent)s%% from %(base_year)s's %(base)s by %(end_year)s) "
                        "expects at most %(limit)s."
                    )
                    % {
                        "body": body.name,
                        "year": on.year,
                        "category": target.get_category_display(),
                        "quota": by_year[on.year],
                        "source": target.source,
                        "percent": _whole(target.percent),
                        "base_year": target.base_year,
                        "base": by_year[target.base_year],
                        "end_year": target.end_year,
                        "limit": limit,
                    },
                )
            )
    return found


def _posts_vacant(on: date, bodies: dict[int, Organization]) -> list[Violation]:
    held = Appointment.objects.as_of(on).filter(post=OuterRef("pk"))
    vacant = (
        Post.objects.as_of(on)
        .filter(organization_id__in=bodies, kind__in=(PostKind.HEAD, PostKind.DEPUTY))
        .filter(~Exists(held))
    )
    found = []
    for post in vacant:
        body = bodies[post.organization_id]
        found.append(
            Violation(
                Check.POST_VACANT,
                body.id,
                body.name,
                0,
                1,
                "",
                _("%(post)s of %(body)s is vacant.") % {"post": post.title, "body": body.name},
            )
        )
    return found


def _side_matches(kind: str, post_kind: str, contains: str, level: str, post: Post) -> bool:
    body = post.organization
    return (
        body.kind == kind
        and post.kind == post_kind
        and (not contains or fold(contains) in body.folded_name)
        and (not level or body.level == level)
    )


def _allowed(model: ConcurrentPostModel, primary: Post, concurrent: Post) -> bool:
    return (
        _side_matches(
            model.primary_organization_kind,
            model.primary_post_kind,
            model.primary_name_contains,
            model.level,
            primary,
        )
        and _side_matches(
            model.concurrent_organization_kind,
            model.concurrent_post_kind,
            model.concurrent_name_contains,
            model.level,
            concurrent,
        )
        and (
            not model.same_jurisdiction
            or primary.organization.jurisdiction_id == concurrent.organization.jurisdiction_id
        )
    )


def _concurrent_posts_outside_models(on: date, bodies: dict[int, Organization]) -> list[Violation]:
    models = list(ConcurrentPostModel.objects.as_of(on))
    concurrent = list(
        Appointment.objects.as_of(on)
        .filter(is_concurrent=True, post__organization_id__in=bodies)
        .select_related("person", "post__organization")
    )
    primaries: dict[int, list[Post]] = defaultdict(list)
    for appointment in (
        Appointment.objects.as_of(on)
        .filter(is_concurrent=False, person_id__in={a.person_id for a in concurrent})
        .select_related("post__organization")
    ):
        primaries[appointment.person_id].append(appointment.post)
    found = []
    for appointment in concurrent:
        post = appointment.post
        if any(
            _allowed(model, primary, post) for primary in primaries[appointment.person_id] for model in models
        ):
            continue
        body = post.organization
        held = (
            ", ".join(f"{p.title} – {p.organization.name}" for p in primaries[appointment.person_id]) or "—"
        )
        found.append(
            Violation(
                Check.CONCURRENT_POST_OUTSIDE_MODEL,
                body.id,
                body.name,
                2,
                1,
                "",
                _(
                    "%(person)s holds %(post)s of %(body)s concurrently with %(held)s, "
                    "which no concurrent-post model allows."
                )
                % {
                    "person": appointment.person.full_name,
                    "post": post.title,
                    "body": body.name,
                    "held": held,
                },
            )
        )
    return found


def _job_positions_over_plan(on: date, bodies: dict[int, Organization]) -> list[Violation]:
    found = []
    for position in JobPosition.objects.as_of(on).filter(organization_id__in=bodies):
        if position.filled_count <= position.planned_count:
            continue
        body = bodies[position.organization_id]
        found.append(
            Violation(
                Check.JOB_POSITION_OVER_PLAN,
                body.id,
                body.name,
                position.filled_count,
                position.planned_count,
                "",
                _("%(body)s: job position %(position)s has %(filled)s people against %(planned)s planned.")
                % {
                    "body": body.name,
                    "position": position.name,
                    "filled": position.filled_count,
                    "planned": position.planned_count,
                },
            )
        )
    return found
