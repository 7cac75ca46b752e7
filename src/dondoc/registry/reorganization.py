"""Planning a reorganisation before doing it, then doing it in one transaction with lineage kept.

`plan_reorganization` writes nothing: it lists what would happen (posts and appointments moving,
deputies over the limit afterwards and how long a merger's transition allows it, quotas combined,
functions and job positions carried over, open work and the body that will carry it).
`commit_reorganization` does exactly that plan, and refuses if the registry changed since it was
shown (its fingerprint differs): original bodies end the day before the effective date, resulting
bodies begin on it, and every moved row is a new row, so "as of" queries answer for any date.

A program of many reorganisations (two provinces merged body by body) is planned by
`plan_reorganizations` and committed by `commit_reorganizations` in one transaction, each in a fixed
number of queries whatever the number of bodies; the single-event functions are these with one event.
No body may take part in two events of one program, and a new body may sit under another new body of
the same program.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any, TypeVar, cast

from django.db import connection, models, transaction
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.utils import bulk_update_with_history

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
from dondoc.text import fold

# Other apps answer with what they hold for the original bodies (open assignments to re-route …), for a
# whole program at once: receivers of `planned` get `plans` and return one list of OpenWork per plan, in
# order; receivers of `committed` get `committed`, a tuple of CommittedReorganization, and act on them in
# the same transaction.
reorganization_planned = Signal()
reorganization_committed = Signal()


class ReorganizationError(Exception):
    """A plan that cannot be made or carried out; the message is for the user."""


@dataclass(frozen=True, slots=True)
class NewBody:
    """A body a merger, split or renaming creates; its parent may be another new body of the program."""

    code: str
    name: str
    kind: str
    level: str
    short_name: str = ""
    parent: Organization | NewBody | None = None
    jurisdiction: Jurisdiction | None = None


@dataclass(frozen=True, slots=True)
class ReorganizationRequest:
    """What a person asks of one reorganisation: the inputs of `plan_reorganization`."""

    kind: ReorganizationKind | str
    originals: Sequence[Organization]
    effective_on: date
    decision: str
    new_bodies: Sequence[NewBody] = ()
    absorber: Organization | None = None
    destinations: Mapping[int, int] | None = None
    successor: Organization | None = None
    work_to: int = 0


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

    @property
    def ending(self) -> tuple[Organization, ...]:
        """The original bodies that end (all but an absorbing body)."""
        return tuple(body for body in self.originals if body not in self.results)


@dataclass(frozen=True, slots=True)
class CommittedReorganization:
    """One reorganisation of a commit, as `reorganization_committed` tells it: the carrier is the body
    that takes the open work on (a new body now saved), or None."""

    reorganization: Reorganization
    plan: ReorganizationPlan
    carrier: Organization | None


def _identity(body: NewBody | Organization | None) -> object:
    if body is None:
        return None
    if isinstance(body, Organization):
        return ("body", body.id)
    jurisdiction = body.jurisdiction.id if body.jurisdiction is not None else None
    return (
        "new",
        body.code,
        body.name,
        body.short_name,
        body.kind,
        body.level,
        _identity(body.parent),
        jurisdiction,
    )


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
    request = ReorganizationRequest(
        kind=kind,
        originals=originals,
        effective_on=effective_on,
        decision=decision,
        new_bodies=new_bodies,
        absorber=absorber,
        destinations=destinations,
        successor=successor,
        work_to=work_to,
    )
    [plan] = plan_reorganizations([request])
    return plan


def plan_reorganizations(requests: Sequence[ReorganizationRequest]) -> list[ReorganizationPlan]:
    """The plans of a program of reorganisations, in the order asked, read in a fixed number of queries
    (the other apps answer `reorganization_planned` for all of them at once). Refused as a whole if one
    is wrong, if a body takes part in two of them, or if a new body is placed under a body the program
    ends."""
    plans, _holdings = _plan_program(requests)
    return plans


@dataclass(frozen=True, slots=True)
class _Event:
    """A request checked on its own, with its results and the body that will carry its open work."""

    request: ReorganizationRequest
    kind: ReorganizationKind
    results: tuple[NewBody | Organization, ...]
    carrier: NewBody | Organization | None


def _event(request: ReorganizationRequest) -> _Event:
    kind = ReorganizationKind(request.kind)
    absorber, successor = request.absorber, request.successor
    results: tuple[NewBody | Organization, ...] = (
        (absorber,) if absorber is not None else tuple(request.new_bodies)
    )
    _check(kind, request.originals, results, request.effective_on, request.decision, absorber, successor)
    for body in request.new_bodies:
        if not body.name.strip() or not body.code.strip():
            raise ReorganizationError(_("Every new body needs a name and a code."))
    carrier: NewBody | Organization | None
    if kind == ReorganizationKind.DISSOLVE:
        carrier = successor
    elif kind == ReorganizationKind.SPLIT:
        if not 0 <= request.work_to < len(results):
            raise ReorganizationError(_("Choose which new body carries the open work."))
        carrier = results[request.work_to]
    else:
        carrier = results[0]
    return _Event(request, kind, results, carrier)


@dataclass(frozen=True, slots=True)
class _Holdings:
    """What the original bodies (and absorbing bodies) hold around the program's days, read once: rows
    valid on any of its days, each event keeping those valid on its own."""

    posts: Mapping[int, list[Post]]  # by body
    appointments: Mapping[int, list[Appointment]]  # by post
    functions: Mapping[int, list[Function]]  # by body
    job_positions: Mapping[int, list[JobPosition]]  # by body
    quotas: Mapping[int, list[StaffingQuota]]  # by body, from the first day's year on
    groups: Mapping[int, list[OrganizationGroup]]  # by body
    deputy_rules: list[DeputyLimitRule]
    absorbers_deputies: Mapping[int, list[Appointment]]  # by absorbing body
    staff: Mapping[date, Mapping[int, Mapping[str, int]]]  # headcounts by day, body, category
    children: Mapping[int, list[Organization]]  # the bodies directly under each original, by parent

    def posts_on(self, bodies: Iterable[Organization], on: date) -> list[Post]:
        return [post for body in bodies for post in self.posts.get(body.id, ()) if post.is_valid_on(on)]

    def holders_on(self, post: Post, on: date) -> list[Appointment]:
        return [a for a in self.appointments.get(post.id, ()) if a.is_valid_on(on)]

    def functions_on(self, bodies: Iterable[Organization], on: date) -> list[Function]:
        return [row for body in bodies for row in self.functions.get(body.id, ()) if row.is_valid_on(on)]

    def job_positions_on(self, bodies: Iterable[Organization], on: date) -> list[JobPosition]:
        return [row for body in bodies for row in self.job_positions.get(body.id, ()) if row.is_valid_on(on)]


def _plan_program(requests: Sequence[ReorganizationRequest]) -> tuple[list[ReorganizationPlan], _Holdings]:
    events = [_event(request) for request in requests]
    _check_program(events)
    holdings = _read_holdings(events)
    plans = [_plan(event, holdings) for event in events]
    answers = [
        cast("Sequence[list[OpenWork]]", answer)
        for _receiver, answer in reorganization_planned.send(sender=ReorganizationPlan, plans=tuple(plans))
    ]
    return [
        _with_open_work(plan, [work for answer in answers for work in answer[index]])
        for index, plan in enumerate(plans)
    ], holdings


def _with_open_work(plan: ReorganizationPlan, open_work: list[OpenWork]) -> ReorganizationPlan:
    if plan.carrier is None and open_work:
        warning = _("No body is named to carry the open work: it stays with the bodies that end.")
        return replace(plan, open_work=tuple(open_work), warnings=(*plan.warnings, warning))
    return replace(plan, open_work=tuple(open_work))


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


def _check_program(events: Sequence[_Event]) -> None:
    """What the events of one program must agree on: a body changed by one event is left alone by the
    others, no body carries work while another event ends it, new bodies' codes are free and distinct,
    and a new body sits under a body that goes on or under a new body of the program (one query)."""
    changed: dict[int, Organization] = {}
    for event in events:
        absorber = [event.request.absorber] if event.request.absorber is not None else []
        for body in [*event.request.originals, *absorber]:
            if body.id in changed:
                raise ReorganizationError(
                    _(
                        "%(body)s takes part in two reorganisations of this program: make them one, or "
                        "commit them one after the other."
                    )
                    % {"body": body.name}
                )
            changed[body.id] = body
    ending = {body.id for event in events for body in event.request.originals}
    for event in events:
        successor = event.request.successor
        if successor is not None and successor.id in ending:
            raise ReorganizationError(
                _("%(body)s ends in another reorganisation of this program and cannot carry open work.")
                % {"body": successor.name}
            )
    new_bodies = {body.code: body for event in events for body in event.request.new_bodies}
    if len(new_bodies) != sum(len(event.request.new_bodies) for event in events):
        raise ReorganizationError(_("Two new bodies have the same code."))
    for new_body in new_bodies.values():
        _check_parent(new_body, new_bodies, ending)
    taken = set(Organization.objects.filter(code__in=list(new_bodies)).values_list("code", flat=True))
    if taken:
        raise ReorganizationError(
            _("The code %(codes)s is already used.") % {"codes": ", ".join(sorted(taken))}
        )


def _check_parent(body: NewBody, new_bodies: Mapping[str, NewBody], ending: set[int]) -> None:
    """A new body's parent goes on after the day, or is created by the program (and not, through its own
    parents, by the body itself)."""
    parent, seen = body.parent, {body.code}
    while isinstance(parent, NewBody):
        if new_bodies.get(parent.code) != parent:
            raise ReorganizationError(
                _("%(body)s is placed under %(parent)s, which no reorganisation of this program creates.")
                % {"body": body.name, "parent": parent.name}
            )
        if parent.code in seen:
            raise ReorganizationError(
                _("%(body)s is placed under itself through its new parents.") % {"body": body.name}
            )
        seen.add(parent.code)
        parent = parent.parent
    if isinstance(body.parent, Organization) and body.parent.id in ending:
        raise ReorganizationError(
            _("%(parent)s ends in this program: place %(body)s under the body that takes its place.")
            % {"parent": body.parent.name, "body": body.name}
        )


_Row = TypeVar("_Row", bound=models.Model)


def _by(rows: Iterable[_Row], key: str) -> dict[int, list[_Row]]:
    grouped: dict[int, list[_Row]] = defaultdict(list)
    for row in rows:
        grouped[getattr(row, key)].append(row)
    return grouped


def _read_holdings(events: Sequence[_Event]) -> _Holdings:
    """Everything the plans read, for all events at once: a fixed number of queries (two more per
    distinct day of the program, for the headcounts)."""
    ids = sorted({body.id for event in events for body in event.request.originals})
    absorber_ids = sorted({event.request.absorber.id for event in events if event.request.absorber})
    days = sorted({event.request.effective_on for event in events})
    window = {"valid_from__lte": days[-1], "valid_to__gt": days[0]}
    posts = (
        Post.objects.filter(organization_id__in=ids, **window)
        .select_related("organization")
        .order_by("organization__level", "organization__name", "organization_id", "kind", "title", "id")
    )
    appointments = (
        Appointment.objects.filter(post__organization_id__in=ids, **window)
        .select_related("person")
        .order_by("-valid_from", "id")
    )
    memberships = OrganizationGroup.members.through.objects.filter(organization_id__in=ids).select_related(
        "organizationgroup"
    )
    groups: dict[int, list[OrganizationGroup]] = defaultdict(list)
    for membership in memberships.order_by("organizationgroup__name", "organizationgroup_id"):
        groups[membership.organization_id].append(membership.organizationgroup)
    return _Holdings(
        posts=_by(posts, "organization_id"),
        appointments=_by(appointments, "post_id"),
        functions=_by(
            Function.objects.filter(organization_id__in=ids, **window).order_by(
                "organization_id", "position", "id"
            ),
            "organization_id",
        ),
        job_positions=_by(
            JobPosition.objects.filter(organization_id__in=ids, **window).order_by("organization_id", "id"),
            "organization_id",
        ),
        quotas=_by(
            StaffingQuota.objects.filter(
                organization_id__in=[*ids, *absorber_ids], year__gte=days[0].year
            ).order_by("year", "category", "id"),
            "organization_id",
        ),
        groups=groups,
        deputy_rules=list(
            DeputyLimitRule.objects.filter(scope=DeputyLimitScope.PER_BODY, **window).order_by("id")
        ),
        absorbers_deputies=_by(
            Appointment.objects.filter(
                post__organization_id__in=absorber_ids, post__kind=PostKind.DEPUTY, **window
            )
            .annotate(absorber_id=models.F("post__organization_id"))
            .select_related("person"),
            "absorber_id",
        ),
        staff={day: headcounts(organization_ids=ids, on=day) for day in days},
        children=_by(
            Organization.objects.filter(parent_id__in=ids, **window).only(
                "id", "name", "parent_id", "valid_from", "valid_to"
            ),
            "parent_id",
        ),
    )


def _plan(event: _Event, holdings: _Holdings) -> ReorganizationPlan:
    request, kind, results = event.request, event.kind, event.results
    on = request.effective_on
    destinations = dict(request.destinations or {})
    posts = holdings.posts_on(request.originals, on)
    holders = {post.id: [a.person.full_name for a in holdings.holders_on(post, on)] for post in posts}
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
    original_ids = {body.id for body in request.originals}
    left_under = [
        child.name
        for body in request.originals
        if body not in results
        for child in holdings.children.get(body.id, ())
        if child.is_valid_on(on) and child.id not in original_ids
    ]
    if left_under:
        # a body's parent is not kept over time: those below an ended body need a reorganisation of their own
        warnings.append(
            _("%(count)s bodies below those that end stay attached to them (%(first)s …): plan them too.")
            % {"count": len(left_under), "first": left_under[0]}
        )
    groups = {group.id: group for body in request.originals for group in holdings.groups.get(body.id, ())}
    return ReorganizationPlan(
        kind=kind,
        effective_on=on,
        decision=request.decision,
        originals=tuple(request.originals),
        results=results,
        destinations=destinations,
        post_moves=tuple(moves),
        people_leaving=tuple(leaving),
        deputies=_deputies_after(event, posts, destinations, holders, holdings),
        quotas=_quotas_combined(event, holdings),
        functions_carried=len(holdings.functions_on(request.originals, on)) if results else 0,
        job_positions_carried=len(holdings.job_positions_on(request.originals, on)) if results else 0,
        groups_updated=tuple(group.name for group in sorted(groups.values(), key=lambda g: (g.name, g.id))),
        warnings=tuple(warnings),
        carrier=event.carrier,
        work_to=request.work_to,
    )


def _deputy_rule(
    result: NewBody | Organization, staff: int, on: date, rules: Sequence[DeputyLimitRule]
) -> DeputyLimitRule | None:
    parent_kind = result.parent.kind if result.parent is not None else ""
    covering = (
        rule
        for rule in rules
        if rule.is_valid_on(on)
        and deputy_rule_covers(
            rule, kind=result.kind, level=result.level, parent_kind=parent_kind, staff=staff
        )
    )
    return next(covering, None)


def _deputies_after(
    event: _Event,
    posts: list[Post],
    destinations: Mapping[int, int],
    holders: Mapping[int, list[str]],
    holdings: _Holdings,
) -> tuple[DeputyOutcome, ...]:
    """Deputies each resulting body would have, against the limit for its kind and size."""
    kind, results, on = event.kind, event.results, event.request.effective_on
    if not results:
        return ()
    deputies: dict[int, set[str]] = defaultdict(set)
    for post in posts:
        if post.kind == PostKind.DEPUTY:
            deputies[destinations[post.id]].update(holders[post.id])
    staff = holdings.staff[on]
    outcomes = []
    for index, result in enumerate(results):
        if isinstance(result, Organization) and kind == ReorganizationKind.ABSORB:
            own = holdings.absorbers_deputies.get(result.id, ())
            deputies[index].update(a.person.full_name for a in own if a.is_valid_on(on))
        size = (
            sum(sum(staff.get(body.id, {}).values()) for body in event.request.originals)
            if len(results) == 1
            else 0
        )
        rule = _deputy_rule(result, size, on, holdings.deputy_rules)
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


def _quotas_combined(event: _Event, holdings: _Holdings) -> tuple[QuotaOutcome, ...]:
    """From the effective year on, one result's quota per year and category is the sum of the originals'."""
    results = event.results
    if len(results) != 1:
        return ()
    bodies = [body.id for body in event.request.originals]
    if event.kind == ReorganizationKind.ABSORB and isinstance(results[0], Organization):
        bodies.append(results[0].id)
    totals: dict[tuple[int, str], int] = defaultdict(int)
    for body in bodies:
        for quota in holdings.quotas.get(body, ()):
            if quota.year >= event.request.effective_on.year:
                totals[(quota.year, quota.category)] += quota.assigned
    return tuple(
        QuotaOutcome(results[0].name, year, category, assigned)
        for (year, category), assigned in sorted(totals.items())
    )


def commit_reorganization(*, plan: ReorganizationPlan, fingerprint: str, note: str = "") -> Reorganization:
    """Carry out the plan a person saw (its `fingerprint`): end the originals, begin the results, move
    posts, appointments, functions, job positions and quotas, update group memberships, keep the lineage,
    and let other apps move the open work to the carrier, all in one transaction. If the same inputs give
    another plan now, nothing is written."""
    [reorganization] = commit_reorganizations(plans=[plan], fingerprints=[fingerprint], note=note)
    return reorganization


@transaction.atomic
def commit_reorganizations(
    *, plans: Sequence[ReorganizationPlan], fingerprints: Sequence[str], note: str = ""
) -> list[Reorganization]:
    """Carry out a program of plans (each with the fingerprint of the plan a person saw) in one
    transaction, in a fixed number of queries: one more per generation of new bodies under new bodies and
    per group of bodies whose members change. Nothing is written if any plan is stale."""
    stale = ReorganizationError(_("The registry changed since the plan was made; plan again."))
    original_ids = [body.id for plan in plans for body in plan.originals]
    if len(Organization.objects.select_for_update().filter(id__in=original_ids).values_list("id")) != len(
        set(original_ids)
    ):
        raise stale
    try:
        plans, holdings = _plan_program(_requests_now(plans))
    except ReorganizationError as error:
        raise stale from error
    if [plan.fingerprint for plan in plans] != list(fingerprints):
        raise stale
    results = _begin(plans)
    _end_rows(Organization, [(body, plan) for plan in plans for body in plan.ending])
    _keep_former_names(plans, results)
    _move_posts(plans, results, holdings)
    _carry_functions_and_positions(plans, results, holdings)
    _combine_quotas(plans, results, holdings)
    _update_groups(plans, results, holdings)
    reorganizations = _record(plans, results, note)
    committed = []
    for plan, reorganization, resulting in zip(plans, reorganizations, results, strict=True):
        carrier = plan.carrier
        if carrier is not None and not isinstance(carrier, Organization):
            carrier = resulting[plan.results.index(carrier)]
        committed.append(CommittedReorganization(reorganization, plan, carrier))
    reorganization_committed.send(sender=Reorganization, committed=tuple(committed))
    return reorganizations


def _requests_now(plans: Sequence[ReorganizationPlan]) -> list[ReorganizationRequest]:
    """The plans' inputs, with the bodies as they are inside the commit's transaction."""
    existing = [
        body
        for plan in plans
        for body in (
            *plan.originals,
            *(r for r in plan.results if isinstance(r, Organization)),
            *([plan.carrier] if isinstance(plan.carrier, Organization) else []),
        )
    ]
    current = Organization.objects.in_bulk([body.id for body in existing])
    if len(current) != len({body.id for body in existing}):
        raise ReorganizationError(_("The registry changed since the plan was made; plan again."))
    requests = []
    for plan in plans:
        absorber = plan.results[0] if plan.kind == ReorganizationKind.ABSORB else None
        successor = plan.carrier if plan.kind == ReorganizationKind.DISSOLVE else None
        requests.append(
            ReorganizationRequest(
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
        )
    return requests


def _reason(plan: ReorganizationPlan) -> str:
    """The reason of the history records a plan writes (a field of 100 characters)."""
    return f"{plan.kind.label}: {plan.decision}"[:100]


def _begin(plans: Sequence[ReorganizationPlan]) -> list[list[Organization]]:
    """Each plan's resulting bodies, the new ones created (with their history): those under a new body
    once that body exists, so one insert per generation of the new tree."""
    made: dict[str, Organization] = {}
    pending = [(plan, body) for plan in plans for body in plan.results if isinstance(body, NewBody)]
    while pending:
        ready = [(p, b) for p, b in pending if not isinstance(b.parent, NewBody) or b.parent.code in made]
        rows: list[tuple[Organization, ReorganizationPlan]] = []
        for plan, body in ready:
            parent = made[body.parent.code] if isinstance(body.parent, NewBody) else body.parent
            row = Organization(
                code=body.code,
                name=body.name,
                folded_name=fold(body.name),
                short_name=body.short_name,
                kind=body.kind,
                level=body.level,
                parent=parent,
                jurisdiction=body.jurisdiction,
                valid_from=plan.effective_on,
            )
            # the codes were found free when planning, inside this transaction; parents exist
            row.full_clean(
                exclude=["parent", "jurisdiction"], validate_unique=False, validate_constraints=False
            )
            rows.append((row, plan))
        made |= {row.code: row for row in _create(Organization, rows)}
        pending = [(p, b) for p, b in pending if b.code not in made]
    return [
        [made[body.code] if isinstance(body, NewBody) else body for body in plan.results] for plan in plans
    ]


_Dated = TypeVar("_Dated", Organization, Post, Appointment, Function, JobPosition)


def _end_rows(model: type[_Dated], rows: Sequence[tuple[_Dated, ReorganizationPlan]]) -> None:
    """End the rows on their plan's day, each with its history record: one UPDATE per day of the program
    rather than bulk_update's CASE over every row."""
    by_day: dict[date, list[int]] = defaultdict(list)
    for row, plan in rows:
        row.valid_to = plan.effective_on
        by_day[plan.effective_on].append(row.pk)
    for day, ids in by_day.items():
        model.objects.filter(pk__in=ids).update(valid_to=day)
    _write_history(model, rows, "~")


def _create(model: type[_Row], rows: Sequence[tuple[_Row, ReorganizationPlan]]) -> list[_Row]:
    """Insert the rows, each with its history record giving its plan's decision as the reason."""
    created = model._default_manager.bulk_create([row for row, _plan in rows], batch_size=500)
    _write_history(model, rows, "+")
    return created


def _write_history(
    model: type[models.Model], rows: Sequence[tuple[models.Model, ReorganizationPlan]], kind: str
) -> None:
    """The history records simple_history would write for the rows (`kind` "+" created, "~" changed),
    copied by the database from the rows as they now are: one INSERT … SELECT per table and decision,
    where a record built in Python per row took most of a large program's commit."""
    if not rows:
        return
    history = model.history.model  # type: ignore[attr-defined]
    user = history.get_default_history_user(rows[0][0])
    reasons: dict[str, list[int]] = defaultdict(list)
    for row, plan in rows:
        reasons[_reason(plan)].append(row.pk)
    quote = connection.ops.quote_name
    tracked = ", ".join(quote(field.column) for field in history.tracked_fields)
    insert = (
        f"INSERT INTO {quote(history._meta.db_table)} ({tracked}, history_date, history_change_reason, "
        f"history_type, history_user_id) SELECT {tracked}, %s, %s, %s, %s "
        f"FROM {quote(model._meta.db_table)} WHERE {quote(model._meta.pk.attname)} IN "
    )
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    with connection.cursor() as cursor:
        for reason, ids in reasons.items():
            for start in range(0, len(ids), _CHUNK):
                chunk = ids[start : start + _CHUNK]
                cursor.execute(
                    insert + f"({', '.join(['%s'] * len(chunk))})",
                    [now, reason, kind, user.pk if user is not None else None, *chunk],
                )


_CHUNK = 5000  # ids per statement, well under SQLite's limit of bound parameters


def _keep_former_names(plans: Sequence[ReorganizationPlan], results: Sequence[list[Organization]]) -> None:
    """A merged, absorbing or renamed body answers to the names of the bodies it replaces."""
    wanted: dict[tuple[int, str], tuple[OrganizationAlias, ReorganizationPlan]] = {}
    for plan, resulting in zip(plans, results, strict=True):
        if plan.kind in (ReorganizationKind.RENAME, ReorganizationKind.ABSORB, ReorganizationKind.MERGE):
            for body in plan.originals:
                alias = OrganizationAlias(
                    organization=resulting[0], text=body.name, folded=fold(body.name), kind=AliasKind.FORMER
                )
                wanted.setdefault((resulting[0].id, alias.folded), (alias, plan))
    known = set(
        OrganizationAlias.objects.filter(organization_id__in={key[0] for key in wanted}).values_list(
            "organization_id", "folded"
        )
    )
    _create(OrganizationAlias, [row for key, row in wanted.items() if key not in known])


def _move_posts(
    plans: Sequence[ReorganizationPlan], results: Sequence[list[Organization]], holdings: _Holdings
) -> None:
    """Every post of an original body ends and begins again under its resulting body with its holders
    (a dissolution's posts and appointments just end)."""
    moving: list[tuple[Post, ReorganizationPlan, list[Appointment], Post | None]] = []
    for plan, resulting in zip(plans, results, strict=True):
        on = plan.effective_on
        for post in holdings.posts_on(plan.originals, on):
            new_post = None
            if resulting:
                new_post = Post(
                    organization=resulting[plan.destinations[post.id]],
                    title=post.title,
                    kind=post.kind,
                    category=post.category,
                    valid_from=on,
                )
            moving.append((post, plan, holdings.holders_on(post, on), new_post))
    _create(Post, [(new_post, plan) for _post, plan, _holders, new_post in moving if new_post is not None])
    _create(
        Appointment,
        [
            (
                Appointment(
                    person_id=appointment.person_id,
                    post=new_post,
                    is_concurrent=appointment.is_concurrent,
                    decision=plan.decision,
                    valid_from=plan.effective_on,
                    valid_to=appointment.valid_to,
                ),
                plan,
            )
            for _post, plan, holders, new_post in moving
            if new_post is not None
            for appointment in holders
        ],
    )
    _end_rows(
        Appointment, [(appointment, plan) for _post, plan, holders, _new in moving for appointment in holders]
    )
    _end_rows(Post, [(post, plan) for post, plan, _holders, _new in moving])


def _carry_functions_and_positions(
    plans: Sequence[ReorganizationPlan], results: Sequence[list[Organization]], holdings: _Holdings
) -> None:
    """Functions and job positions go to the result (to every result of a split, for review); an
    absorbing body keeps its own rows and gains those of the bodies it absorbs."""
    functions: list[tuple[Function, ReorganizationPlan]] = []
    positions: list[tuple[JobPosition, ReorganizationPlan]] = []
    new_functions: list[tuple[Function, ReorganizationPlan]] = []
    new_positions: list[tuple[JobPosition, ReorganizationPlan]] = []
    for plan, resulting in zip(plans, results, strict=True):
        if not resulting:
            continue
        on = plan.effective_on
        for function in holdings.functions_on(plan.originals, on):
            functions.append((function, plan))
            new_functions += [
                (
                    Function(
                        organization=target,
                        kind=function.kind,
                        position=function.position,
                        text=function.text,
                        source=function.source,
                        valid_from=on,
                    ),
                    plan,
                )
                for target in resulting
            ]
        for position in holdings.job_positions_on(plan.originals, on):
            positions.append((position, plan))
            new_positions += [
                (
                    JobPosition(
                        organization=target,
                        name=position.name,
                        group=position.group,
                        competencies=position.competencies,
                        description=position.description,
                        planned_count=position.planned_count,
                        filled_count=position.filled_count,
                        is_sample=position.is_sample,
                        valid_from=on,
                    ),
                    plan,
                )
                for target in resulting
            ]
    _create(Function, new_functions)
    _create(JobPosition, new_positions)
    _end_rows(Function, functions)
    _end_rows(JobPosition, positions)


def _combine_quotas(
    plans: Sequence[ReorganizationPlan], results: Sequence[list[Organization]], holdings: _Holdings
) -> None:
    """The result's quota of each year and category becomes the combined one: an absorbing body's own
    row is updated, the others are created."""
    existing = {
        (quota.organization_id, quota.year, quota.category): quota
        for quotas in holdings.quotas.values()
        for quota in quotas
    }
    updated: list[StaffingQuota] = []
    created: list[tuple[StaffingQuota, ReorganizationPlan]] = []
    for plan, resulting in zip(plans, results, strict=True):
        for outcome in plan.quotas:
            quota = existing.get((resulting[0].id, outcome.year, outcome.category))
            if quota is None:
                quota = StaffingQuota(organization=resulting[0], year=outcome.year, category=outcome.category)
                created.append((quota, plan))
            else:
                quota._change_reason = _reason(plan)  # type: ignore[attr-defined]
                updated.append(quota)
            quota.assigned, quota.decision = outcome.assigned, plan.decision
    _create(StaffingQuota, created)
    if updated:
        bulk_update_with_history(updated, StaffingQuota, ["assigned", "decision"], batch_size=500)


def _update_groups(
    plans: Sequence[ReorganizationPlan], results: Sequence[list[Organization]], holdings: _Holdings
) -> None:
    """A group that held an original body holds its results instead (each group's change in its history,
    so a few queries per group whose members change)."""
    leaving: dict[int, set[Organization]] = defaultdict(set)
    joining: dict[int, set[Organization]] = defaultdict(set)
    groups: dict[int, OrganizationGroup] = {}
    for plan, resulting in zip(plans, results, strict=True):
        for body in plan.originals:
            for group in holdings.groups.get(body.id, ()):
                groups[group.id] = group
                leaving[group.id].update(plan.originals)
                joining[group.id].update(resulting)
    for group_id, group in groups.items():
        group.members.remove(*leaving[group_id])
        group.members.add(*joining[group_id])


def _record(
    plans: Sequence[ReorganizationPlan], results: Sequence[list[Organization]], note: str
) -> list[Reorganization]:
    """The reorganisations with their originals and results (the lineage), each with one history row
    that holds both lists."""
    now = timezone.now()
    rows = Reorganization.objects.bulk_create(
        [
            Reorganization(
                kind=plan.kind,
                effective_on=plan.effective_on,
                decision=plan.decision,
                note=note,
                committed_at=now,
            )
            for plan in plans
        ]
    )
    links = {
        "originals": [(row, body) for row, plan in zip(rows, plans, strict=True) for body in plan.originals],
        "results": [(row, body) for row, resulting in zip(rows, results, strict=True) for body in resulting],
    }
    through = {
        name: getattr(Reorganization, name).through.objects.bulk_create(
            [
                getattr(Reorganization, name).through(reorganization=row, organization=body)
                for row, body in pairs
            ]
        )
        for name, pairs in links.items()
    }
    for row, plan in zip(rows, plans, strict=True):
        row._change_reason = _reason(plan)  # type: ignore[attr-defined]
    history = Reorganization.history.bulk_history_create(rows)
    history_of = {entry.id: entry for entry in history}
    for name, links_made in through.items():
        model = getattr(type(history[0]), name).model
        model.objects.bulk_create(
            [
                model(
                    history=history_of[link.reorganization_id],
                    id=link.id,
                    reorganization=link.reorganization,
                    organization=link.organization,
                )
                for link in links_made
            ]
        )
    return rows
