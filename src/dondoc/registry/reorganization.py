"""Planning a reorganisation before doing it, then doing it in one transaction with lineage kept.

`plan_reorganization` writes nothing: it lists what would happen (posts and appointments moving,
deputies over the limit afterwards and how long a merger's transition allows it, quotas combined,
functions and job positions carried over, open work and the body that will carry it).
`commit_reorganization` does exactly that plan, and refuses if the registry changed since it was
shown (its fingerprint differs): original bodies end the day before the effective date, resulting
bodies begin on it, and every moved row is a new row, so "as of" queries answer for any date.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any, cast

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
# receivers of `planned` return a list of OpenWork; receivers of `committed` act on it in the same
# transaction, given the reorganisation, the plan and the carrier (the body that takes the work on).
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
class OpenWork:
    """Work another app holds for a body the reorganisation ends, and who will carry it ("" nobody)."""

    body: str
    count: int
    successor: str


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
    open_work: tuple[OpenWork, ...] = ()
    warnings: tuple[str, ...] = ()
    # the body that carries the open work of the bodies that end: the result of a merger, absorption or
    # renaming, the chosen new body of a split, the chosen existing body of a dissolution (or none)
    carrier: NewBody | Organization | None = None
    work_to: int = 0

    @property
    def fingerprint(self) -> str:
        """A hash of everything the plan shows: the same inputs give another fingerprint once the registry
        has changed underneath, which is how a commit knows the plan it was shown is stale."""
        parts = [
            self.kind,
            self.effective_on.isoformat(),
            self.decision,
            [(body.id, body.valid_from.isoformat(), body.valid_to.isoformat()) for body in self.originals],
            [_identity(result) for result in self.results],
            sorted(self.destinations.items()),
            [(move.post.id, move.to, move.holders) for move in self.post_moves],
            self.people_leaving,
            [
                (o.body, o.deputies, o.limit, o.source, o.allowed_until and o.allowed_until.isoformat())
                for o in self.deputies
            ],
            [(q.body, q.year, q.category, q.assigned) for q in self.quotas],
            self.functions_carried,
            self.job_positions_carried,
            self.groups_updated,
            [(w.body, w.count, w.successor) for w in self.open_work],
            _identity(self.carrier),
        ]
        return hashlib.sha256(repr(parts).encode()).hexdigest()


def _identity(body: NewBody | Organization | None) -> object:
    if body is None:
        return None
    if isinstance(body, Organization):
        return ("body", body.id)
    parent = body.parent.id if body.parent is not None else None
    jurisdiction = body.jurisdiction.id if body.jurisdiction is not None else None
    return ("new", body.code, body.name, body.short_name, body.kind, body.level, parent, jurisdiction)


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
    successor: Organization | None = None,
    work_to: int = 0,
) -> ReorganizationPlan:
    """What a reorganisation would do, without doing it. For a split, `destinations` sends each post
    (by id) to a new body (by index); posts not named go to the first, and `work_to` names the new body
    that carries the open work. A dissolution's open work goes to `successor`, if one is named."""
    kind = ReorganizationKind(kind)
    results: tuple[NewBody | Organization, ...] = (absorber,) if absorber is not None else tuple(new_bodies)
    _check(kind, originals, results, effective_on, decision, absorber, successor)
    _check_new_bodies(new_bodies)
    carrier: NewBody | Organization | None
    if kind == ReorganizationKind.DISSOLVE:
        carrier = successor
    elif kind == ReorganizationKind.SPLIT:
        if not 0 <= work_to < len(results):
            raise ReorganizationError(_("Choose which new body carries the open work."))
        carrier = results[work_to]
    else:
        carrier = results[0]
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
        carrier=carrier,
        work_to=work_to,
    )
    open_work: tuple[OpenWork, ...] = tuple(
        work
        for _receiver, answer in reorganization_planned.send(sender=ReorganizationPlan, plan=plan)
        for work in cast("list[OpenWork]", answer or [])
    )
    if carrier is None and open_work:
        warnings.append(_("No body is named to carry the open work: it stays with the bodies that end."))
    return replace(plan, open_work=open_work, warnings=tuple(warnings))


def _check(
    kind: ReorganizationKind,
    originals: Sequence[Organization],
    results: Sequence[NewBody | Organization],
    on: date,
    decision: str,
    absorber: Organization | None,
    successor: Organization | None,
) -> None:
    """The mistakes a person makes choosing bodies, each refused with what to change."""
    if not decision.strip():
        raise ReorganizationError(_("Give the number and date of the decision that does it."))
    if len({body.id for body in originals}) != len(originals):
        raise ReorganizationError(_("A body is chosen twice among those reorganised."))
    original_ids = {body.id for body in originals}
    if absorber is not None and absorber.id in original_ids:
        raise ReorganizationError(
            _("%(body)s cannot absorb itself: choose another body to absorb it.") % {"body": absorber.name}
        )
    if successor is not None and successor.id in original_ids:
        raise ReorganizationError(
            _("%(body)s ends in this dissolution and cannot carry its open work.") % {"body": successor.name}
        )
    _shape(kind, originals, results)
    if kind == ReorganizationKind.ABSORB and absorber is None:
        raise ReorganizationError(_("Name the body that absorbs the others."))
    for body in [*originals, *(other for other in (absorber, successor) if other is not None)]:
        if on < body.valid_from:
            raise ReorganizationError(
                _("%(body)s begins on %(start)s: it cannot be reorganised on %(date)s, before it existed.")
                % {"body": body.name, "start": f"{body.valid_from:%d/%m/%Y}", "date": f"{on:%d/%m/%Y}"}
            )
        if not body.is_valid_on(on):
            raise ReorganizationError(
                _("%(body)s has already ended on %(date)s.") % {"body": body.name, "date": f"{on:%d/%m/%Y}"}
            )


def _check_new_bodies(new_bodies: Sequence[NewBody]) -> None:
    for body in new_bodies:
        if not body.name.strip() or not body.code.strip():
            raise ReorganizationError(_("Every new body needs a name and a code."))
    codes = [body.code for body in new_bodies]
    if len(set(codes)) != len(codes):
        raise ReorganizationError(_("Two new bodies have the same code."))
    taken = set(Organization.objects.filter(code__in=codes).values_list("code", flat=True))
    if taken:
        raise ReorganizationError(
            _("The code %(codes)s is already used.") % {"codes": ", ".join(sorted(taken))}
        )


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
def commit_reorganization(*, plan: ReorganizationPlan, fingerprint: str, note: str = "") -> Reorganization:
    """Carry out the plan a person saw (its `fingerprint`): end the originals, begin the results, move
    posts, appointments, functions, job positions and quotas, update group memberships, keep the lineage,
    and let other apps move the open work to the carrier, all in one transaction. If the same inputs give
    another plan now, nothing is written."""
    on = plan.effective_on
    originals = list(Organization.objects.select_for_update().filter(id__in=[b.id for b in plan.originals]))
    stale = ReorganizationError(_("The registry changed since the plan was made; plan again."))
    if len(originals) != len(plan.originals):
        raise stale
    try:
        plan = _plan_again(plan)
    except ReorganizationError as error:
        raise stale from error
    if plan.fingerprint != fingerprint:
        raise stale
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
    carrier = plan.carrier
    if carrier is not None and not isinstance(carrier, Organization):
        carrier = results[plan.results.index(carrier)]
    reorganization_committed.send(
        sender=Reorganization, reorganization=reorganization, plan=plan, carrier=carrier
    )
    return reorganization


def _plan_again(plan: ReorganizationPlan) -> ReorganizationPlan:
    """The plan the same inputs give now, against the registry as it is inside the commit's transaction."""
    existing = [*plan.originals, *(r for r in plan.results if isinstance(r, Organization))]
    if isinstance(plan.carrier, Organization):
        existing.append(plan.carrier)
    current = Organization.objects.in_bulk([body.id for body in existing])
    if len(current) != len({body.id for body in existing}):
        raise ReorganizationError(_("A body of the plan no longer exists."))
    absorber = plan.results[0] if plan.kind == ReorganizationKind.ABSORB else None
    successor = plan.carrier if plan.kind == ReorganizationKind.DISSOLVE else None
    return plan_reorganization(
        kind=plan.kind,
        originals=[current[body.id] for body in plan.originals],
        effective_on=plan.effective_on,
        decision=plan.decision,
        new_bodies=[result for result in plan.results if isinstance(result, NewBody)],
        absorber=current[absorber.id] if isinstance(absorber, Organization) else None,
        destinations=plan.destinations,
        successor=current[successor.id] if isinstance(successor, Organization) else None,
        work_to=plan.work_to,
    )


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
