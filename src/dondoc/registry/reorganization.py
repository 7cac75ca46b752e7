"""Planning a reorganisation before doing it, then doing it in one transaction with lineage kept.

`plan_reorganization` writes nothing: it lists what would happen (posts and appointments moving,
deputies over the limit afterwards and how long a merger's transition allows it, quotas combined,
functions and job positions carried over, open work to re-route). `commit_reorganization` does
exactly that plan: original bodies end the day before the effective date, resulting bodies begin
on it, and every moved row is a new row, so "as of" queries answer for any date.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dondoc.calendar import add_months
from dondoc.registry.models import (
    AliasKind,
    Appointment,
    DeputyLimitRule,
    DeputyLimitScope,
    Function,
    JobPosition,
    Jurisdiction,
    Organization,
    OrganizationAlias,
    OrganizationGroup,
    Post,
    PostKind,
    Reorganization,
    ReorganizationKind,
    StaffingQuota,
)
from dondoc.registry.rules import deputy_rule_covers
from dondoc.registry.selectors import headcounts

# Other apps answer with what they hold for the original bodies (open assignments to re-route …):
# receivers of `planned` return a list of strings describing it; receivers of `committed` act on it.
reorganization_planned = Signal()
reorganization_committed = Signal()


class ReorganizationError(Exception):
    """A plan that cannot be made or carried out; the message is for the user."""


@dataclass(frozen=True, slots=True)
class NewBody:
    """A body a merger, split or renaming creates."""

    code: str
    name: str
    kind: str
    level: str
    short_name: str = ""
    parent: Organization | None = None
    jurisdiction: Jurisdiction | None = None


@dataclass(frozen=True, slots=True)
class PostMove:
    post: Post
    to: str  # the resulting body's name
    holders: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class DeputyOutcome:
    body: str
    deputies: int
    limit: int | None
    source: str
    allowed_until: date | None

    @property
    def over_limit(self) -> bool:
        return self.limit is not None and self.deputies > self.limit


@dataclass(frozen=True, slots=True)
class QuotaOutcome:
    body: str
    year: int
    category: str
    assigned: int


@dataclass(frozen=True, slots=True)
class ReorganizationPlan:
    kind: ReorganizationKind
    effective_on: date
    decision: str
    originals: tuple[Organization, ...]
    results: tuple[NewBody | Organization, ...]
    destinations: Mapping[int, int]  # post id → index into results
    post_moves: tuple[PostMove, ...] = ()
    people_leaving: tuple[str, ...] = ()  # appointments ended with nowhere to go (dissolution)
    deputies: tuple[DeputyOutcome, ...] = ()
    quotas: tuple[QuotaOutcome, ...] = ()
    functions_carried: int = 0
    job_positions_carried: int = 0
    groups_updated: tuple[str, ...] = ()
    open_work: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()


def _shape(kind: ReorganizationKind, originals: Sequence[Organization], results: Sequence[Any]) -> None:
    counts = {
        ReorganizationKind.MERGE: (len(originals) >= 2, len(results) == 1),
        ReorganizationKind.ABSORB: (len(originals) >= 1, len(results) == 1),
        ReorganizationKind.SPLIT: (len(originals) == 1, len(results) >= 2),
        ReorganizationKind.DISSOLVE: (len(originals) >= 1, not results),
        ReorganizationKind.RENAME: (len(originals) == 1, len(results) == 1),
    }[kind]
    if not all(counts):
        raise ReorganizationError(
            _("A %(kind)s needs %(shape)s.") % {"kind": kind.label, "shape": _SHAPES[kind]}
        )


_SHAPES = {
    ReorganizationKind.MERGE: gettext_lazy("two or more original bodies and one new body"),
    ReorganizationKind.ABSORB: gettext_lazy("one or more bodies absorbed into one existing body"),
    ReorganizationKind.SPLIT: gettext_lazy("one original body and two or more new bodies"),
    ReorganizationKind.DISSOLVE: gettext_lazy("one or more bodies and no resulting body"),
    ReorganizationKind.RENAME: gettext_lazy("one original body and one new name"),
}


def plan_reorganization(
    *,
    kind: ReorganizationKind,
    originals: Sequence[Organization],
    effective_on: date,
    decision: str,
    new_bodies: Sequence[NewBody] = (),
    absorber: Organization | None = None,
    destinations: Mapping[int, int] | None = None,
) -> ReorganizationPlan:
    """What a reorganisation would do, without doing it. For a split, `destinations` sends each post
    (by id) to a new body (by index); posts not named go to the first."""
    kind = ReorganizationKind(kind)
    results: tuple[NewBody | Organization, ...] = (absorber,) if absorber is not None else tuple(new_bodies)
    _shape(kind, originals, results)
    if kind == ReorganizationKind.ABSORB and absorber is None:
        raise ReorganizationError(_("Name the body that absorbs the others."))
    for body in [*originals, *([absorber] if absorber else [])]:
        if not body.is_valid_on(effective_on):
            raise ReorganizationError(
                _("%(body)s is not in existence on %(date)s.")
                % {"body": body.name, "date": f"{effective_on:%d/%m/%Y}"}
            )
    taken = set(
        Organization.objects.filter(code__in=[b.code for b in new_bodies]).values_list("code", flat=True)
    )
    if taken:
        raise ReorganizationError(
            _("The code %(codes)s is already used.") % {"codes": ", ".join(sorted(taken))}
        )
    destinations = dict(destinations or {})
    original_ids = [body.id for body in originals]
    posts = list(
        Post.objects.as_of(effective_on)
        .filter(organization_id__in=original_ids)
        .select_related("organization")
    )
    holders: dict[int, list[str]] = defaultdict(list)
    for appointment in (
        Appointment.objects.as_of(effective_on).filter(post__in=posts).select_related("person")
    ):
        holders[appointment.post_id].append(appointment.person.full_name)
    moves: list[PostMove] = []
    leaving: list[str] = []
    for post in posts:
        if not results:
            leaving += [f"{name} ({post.title}, {post.organization.name})" for name in holders[post.id]]
            continue
        target = destinations.get(post.id, 0)
        if not 0 <= target < len(results):
            raise ReorganizationError(_("Post %(post)s is sent to no resulting body.") % {"post": post.title})
        destinations[post.id] = target
        moves.append(PostMove(post, results[target].name, tuple(holders[post.id])))
    warnings: list[str] = []
    if kind == ReorganizationKind.SPLIT:
        warnings.append(_("Functions are copied to every new body and quotas are not divided: review both."))
    plan = ReorganizationPlan(
        kind=kind,
        effective_on=effective_on,
        decision=decision,
        originals=tuple(originals),
        results=results,
        destinations=destinations,
        post_moves=tuple(moves),
        people_leaving=tuple(leaving),
        deputies=_deputies_after(kind, originals, results, posts, destinations, holders, effective_on),
        quotas=_quotas_combined(kind, originals, results, effective_on),
        functions_carried=Function.objects.as_of(effective_on)
        .filter(organization_id__in=original_ids)
        .count()
        if results
        else 0,
        job_positions_carried=JobPosition.objects.as_of(effective_on)
        .filter(organization_id__in=original_ids)
        .count()
        if results
        else 0,
        groups_updated=tuple(
            OrganizationGroup.objects.filter(members__in=original_ids)
            .distinct()
            .values_list("name", flat=True)
        ),
        warnings=tuple(warnings),
    )
    open_work = [
        line
        for _, answer in reorganization_planned.send(sender=ReorganizationPlan, plan=plan)
        for line in answer or ()
    ]
    return replace(plan, open_work=tuple(open_work))


def _deputy_rule(result: NewBody | Organization, staff: int, on: date) -> DeputyLimitRule | None:
    parent_kind = result.parent.kind if result.parent is not None else ""
    rules: list[DeputyLimitRule] = list(
        DeputyLimitRule.objects.as_of(on).filter(scope=DeputyLimitScope.PER_BODY)
    )
    covering = (
        rule
        for rule in rules
        if deputy_rule_covers(
            rule, kind=result.kind, level=result.level, parent_kind=parent_kind, staff=staff
        )
    )
    return next(covering, None)


def _deputies_after(
    kind: ReorganizationKind,
    originals: Sequence[Organization],
    results: Sequence[NewBody | Organization],
    posts: list[Post],
    destinations: Mapping[int, int],
    holders: Mapping[int, list[str]],
    on: date,
) -> tuple[DeputyOutcome, ...]:
    """Deputies each resulting body would have, against the limit for its kind and size."""
    if not results:
        return ()
    deputies: dict[int, set[str]] = defaultdict(set)
    for post in posts:
        if post.kind == PostKind.DEPUTY:
            deputies[destinations[post.id]].update(holders[post.id])
    staff = headcounts(organization_ids=[body.id for body in originals], on=on)
    outcomes = []
    for index, result in enumerate(results):
        if isinstance(result, Organization) and kind == ReorganizationKind.ABSORB:
            own = Appointment.objects.as_of(on).filter(post__organization=result, post__kind=PostKind.DEPUTY)
            deputies[index].update(own.values_list("person__full_name", flat=True))
        size = sum(sum(staff.get(body.id, {}).values()) for body in originals) if len(results) == 1 else 0
        rule = _deputy_rule(result, size, on)
        limit = int(rule.max_deputies) if rule else None
        count = len(deputies[index])
        allowed_until = None
        if (
            rule
            and count > rule.max_deputies
            and rule.merger_grace_months
            and kind in (ReorganizationKind.MERGE, ReorganizationKind.ABSORB)
        ):
            allowed_until = add_months(on, rule.merger_grace_months)
        outcomes.append(DeputyOutcome(result.name, count, limit, rule.source if rule else "", allowed_until))
    return tuple(outcomes)


def _quotas_combined(
    kind: ReorganizationKind,
    originals: Sequence[Organization],
    results: Sequence[NewBody | Organization],
    on: date,
) -> tuple[QuotaOutcome, ...]:
    """From the effective year on, one result's quota per year and category is the sum of the originals'."""
    if len(results) != 1:
        return ()
    bodies = [body.id for body in originals]
    if kind == ReorganizationKind.ABSORB and isinstance(results[0], Organization):
        bodies.append(results[0].id)
    totals: dict[tuple[int, str], int] = defaultdict(int)
    for quota in StaffingQuota.objects.filter(organization_id__in=bodies, year__gte=on.year):
        totals[(quota.year, quota.category)] += quota.assigned
    return tuple(
        QuotaOutcome(results[0].name, year, category, assigned)
        for (year, category), assigned in sorted(totals.items())
    )


@transaction.atomic
def commit_reorganization(*, plan: ReorganizationPlan, note: str = "") -> Reorganization:
    """Carry out a plan: end the originals, begin the results, move posts, appointments, functions,
    job positions and quotas, update group memberships and keep the lineage."""
    on = plan.effective_on
    originals = list(Organization.objects.select_for_update().filter(id__in=[b.id for b in plan.originals]))
    if len(originals) != len(plan.originals) or any(not body.is_valid_on(on) for body in originals):
        raise ReorganizationError(_("The registry changed since the plan was made; plan again."))
    results = [_begin(result, on) for result in plan.results]
    for body in originals:
        if body not in results:
            body.valid_to = on
            body.save(update_fields=["valid_to"])
    if plan.kind in (ReorganizationKind.RENAME, ReorganizationKind.ABSORB, ReorganizationKind.MERGE):
        for body in originals:
            OrganizationAlias.objects.get_or_create(
                organization=results[0], text=body.name, defaults={"kind": AliasKind.FORMER}
            )
    _move_posts(plan, results, on)
    if results:
        _carry_functions_and_positions(originals, results, on)
    for outcome in plan.quotas:
        StaffingQuota.objects.update_or_create(
            organization=results[0],
            year=outcome.year,
            category=outcome.category,
            defaults={"assigned": outcome.assigned, "decision": plan.decision},
        )
    for group in OrganizationGroup.objects.filter(members__in=originals).distinct():
        group.members.remove(*originals)
        group.members.add(*results)
    reorganization = Reorganization.objects.create(
        kind=plan.kind, effective_on=on, decision=plan.decision, note=note, committed_at=timezone.now()
    )
    reorganization.originals.set(originals)
    reorganization.results.set(results)
    reorganization_committed.send(sender=Reorganization, reorganization=reorganization, plan=plan)
    return reorganization


def _begin(result: NewBody | Organization, on: date) -> Organization:
    if isinstance(result, Organization):
        return result
    body = Organization(
        code=result.code,
        name=result.name,
        short_name=result.short_name,
        kind=result.kind,
        level=result.level,
        parent=result.parent,
        jurisdiction=result.jurisdiction,
        valid_from=on,
    )
    body.full_clean()
    body.save()
    return body


def _move_posts(plan: ReorganizationPlan, results: list[Organization], on: date) -> None:
    posts = Post.objects.as_of(on).filter(organization__in=plan.originals)
    appointments: dict[int, list[Appointment]] = defaultdict(list)
    for appointment in Appointment.objects.as_of(on).filter(post__in=posts):
        appointments[appointment.post_id].append(appointment)
    for post in posts:
        new_post = None
        if results:
            target = results[plan.destinations[post.id]]
            new_post = Post.objects.create(
                organization=target, title=post.title, kind=post.kind, category=post.category, valid_from=on
            )
        for appointment in appointments[post.id]:
            if new_post is not None:
                Appointment.objects.create(
                    person_id=appointment.person_id,
                    post=new_post,
                    is_concurrent=appointment.is_concurrent,
                    decision=plan.decision,
                    valid_from=on,
                    valid_to=appointment.valid_to,
                )
            _end(appointment, on)
        _end(post, on)


def _carry_functions_and_positions(
    originals: list[Organization], results: list[Organization], on: date
) -> None:
    """Functions and job positions go to the result (to every result of a split, for review); an
    absorbing body keeps its own rows and gains those of the bodies it absorbs."""
    for function in Function.objects.as_of(on).filter(organization__in=originals):
        for target in results:
            Function.objects.create(
                organization=target,
                kind=function.kind,
                position=function.position,
                text=function.text,
                source=function.source,
                valid_from=on,
            )
        _end(function, on)
    for position in JobPosition.objects.as_of(on).filter(organization__in=originals):
        for target in results:
            JobPosition.objects.create(
                organization=target,
                name=position.name,
                group=position.group,
                competencies=position.competencies,
                description=position.description,
                planned_count=position.planned_count,
                filled_count=position.filled_count,
                is_sample=position.is_sample,
                valid_from=on,
            )
        _end(position, on)


def _end(row: Post | Appointment | Function | JobPosition, on: date) -> None:
    row.valid_to = on
    row.save(update_fields=["valid_to"])
