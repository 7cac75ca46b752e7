"""Reads for the apparatus page: the jurisdiction's bodies on a day as a tree, and what changed between two
days with the decision that did it.

The tree is built in Python from one query for the bodies of the day and one for the territories: each body
sits under its parent body when that parent is a body of the same territory that exists on the day, otherwise
directly under its territory; territories nest by their parent (province → districts → communes). Filters
keep the matching bodies and, so that the tree stays readable, the bodies and territories above them."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext

from dondoc.registry.models import Jurisdiction, Level, Organization, OrganizationKind, Reorganization
from dondoc.text import fold

# bodies in a territory show Party bodies first, then the State's, then the others, as the choices list them
_KIND_RANK = {kind: rank for rank, kind in enumerate(OrganizationKind.values)}
_LEVEL_RANK = {level: rank for rank, level in enumerate(Level.values)}


@dataclass(slots=True)
class BodyNode:
    id: int
    name: str
    kind: str
    level: str
    matches: bool = True  # False: shown only because a matching body sits below it
    children: list[BodyNode] = field(default_factory=list)


@dataclass(slots=True)
class TerritoryNode:
    id: int
    name: str
    level: str
    bodies: list[BodyNode] = field(default_factory=list)
    children: list[TerritoryNode] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Apparatus:
    roots: tuple[TerritoryNode, ...]
    counts: dict[str, int]  # matching bodies per level, in the order of Level
    total: int


def _in_scope(
    bodies: QuerySet[Organization], territory_ids: Collection[int] | None
) -> QuerySet[Organization]:
    """The jurisdiction's own bodies (not those known only to read directives) of the scope's territories."""
    bodies = bodies.filter(outside_jurisdiction=False)
    return bodies if territory_ids is None else bodies.filter(jurisdiction_id__in=territory_ids)


def apparatus(
    *,
    on: date,
    territory_ids: Collection[int] | None,
    level: str = "",
    kind: str = "",
    search: str = "",
) -> Apparatus:
    """The bodies existing on `on` within the territories (None: all), those matching the filters with the
    bodies and territories above them, each named as it was on the day; three queries whatever the size."""
    rows = list(
        _in_scope(Organization.objects.as_of(on), territory_ids).values_list(
            "id", "name", "kind", "level", "parent_id", "jurisdiction_id", "folded_name"
        )
    )
    named_then = _names_recorded_on(on=on, territory_ids=territory_ids)
    # the words as typed, in order: "huyen uy cu jut" is the district's Party committee, not its People's
    # Committee ("uy ban nhan dan huyen cu jut"), which holds the same words
    phrase = " ".join(fold(search).split())
    nodes: dict[int, BodyNode] = {}
    parent_of: dict[int, int | None] = {}
    territory_of: dict[int, int | None] = {}
    matching: list[int] = []
    for body_id, current_name, body_kind, body_level, parent_id, territory_id, current_folded in rows:
        name, folded = named_then.get(body_id, (current_name, current_folded))
        matches = (not level or body_level == level) and (not kind or body_kind == kind) and phrase in folded
        nodes[body_id] = BodyNode(body_id, name, body_kind, body_level, matches)
        parent_of[body_id] = parent_id
        territory_of[body_id] = territory_id
        if matches:
            matching.append(body_id)

    def placed_under(body_id: int) -> int | None:
        parent_id = parent_of[body_id]
        if parent_id in nodes and territory_of[parent_id] == territory_of[body_id]:
            return parent_id
        return None

    shown: set[int] = set()
    for body_id in matching:
        current: int | None = body_id
        while current is not None and current not in shown:
            shown.add(current)
            current = placed_under(current)

    territories: dict[int, TerritoryNode] = {}
    territory_parent: dict[int, int | None] = {}
    for territory_id, name, territory_level, parent_id in Jurisdiction.objects.values_list(
        "id", "name", "level", "parent_id"
    ):
        territories[territory_id] = TerritoryNode(territory_id, name, territory_level)
        territory_parent[territory_id] = parent_id
    loose = TerritoryNode(0, gettext("without a territory"), "")  # none in a well-kept registry
    for body_id in sorted(shown, key=lambda each: _body_order(nodes[each])):
        above = placed_under(body_id)
        if above is not None:
            nodes[above].children.append(nodes[body_id])
        else:
            territories.get(territory_of[body_id] or 0, loose).bodies.append(nodes[body_id])

    roots = _territory_roots(territories, territory_parent)
    if loose.bodies:
        roots.append(loose)
    counts = dict.fromkeys(Level.values, 0)
    for body_id in matching:
        counts[nodes[body_id].level] += 1
    return Apparatus(roots=tuple(roots), counts=counts, total=len(matching))


def _names_recorded_on(*, on: date, territory_ids: Collection[int] | None) -> dict[int, tuple[str, str]]:
    """(name, folded name) as the change log held them at the end of `on`, for the bodies whose row was edited
    since (a name corrected in place; a renaming by decision makes a new body instead). One query: the
    versions up to that day of the bodies edited after it, the last one of each kept."""
    history = Organization.history.model.objects
    after = _day_start(on + timedelta(days=1))
    edited = history.filter(history_date__gte=after, history_type="~", outside_jurisdiction=False)
    if territory_ids is not None:
        edited = edited.filter(jurisdiction_id__in=territory_ids)
    versions = (
        history.filter(id__in=edited.values("id"), history_date__lt=after)
        .order_by("id", "history_date", "history_id")
        .values_list("id", "name", "folded_name")
    )
    return {body_id: (name, folded) for body_id, name, folded in versions}


def _body_order(body: BodyNode) -> tuple[int, int, str]:
    return (_LEVEL_RANK.get(body.level, 0), _KIND_RANK.get(body.kind, len(_KIND_RANK)), body.name)


def _territory_roots(
    territories: dict[int, TerritoryNode], territory_parent: dict[int, int | None]
) -> list[TerritoryNode]:
    """Nest the territories holding shown bodies, with those above them, under their parents."""
    kept: set[int] = set()
    for territory in territories.values():
        current: int | None = territory.id if territory.bodies else None
        while current is not None and current not in kept:
            kept.add(current)
            current = territory_parent.get(current)
    roots: list[TerritoryNode] = []
    ordered = sorted(
        kept, key=lambda each: (_LEVEL_RANK.get(territories[each].level, 0), territories[each].name)
    )
    for territory_id in ordered:
        parent_id = territory_parent.get(territory_id)
        if parent_id in kept:
            territories[parent_id].children.append(territories[territory_id])
        else:
            roots.append(territories[territory_id])
    return roots


# --- what changed between two days ---


@dataclass(frozen=True, slots=True)
class Change:
    on: date
    what: str  # a ReorganizationKind value, or "created", "ended", "renamed" for a change outside a decision
    before: tuple[tuple[int, str], ...]  # (body id, name) before the change
    after: tuple[tuple[int, str], ...]  # after it
    decision: str


def changes_between(
    *,
    start: date,
    end: date,
    territory_ids: Collection[int] | None,
    level: str = "",
    kind: str = "",
    search: str = "",
) -> list[Change]:
    """What was created, ended, renamed or merged after `start` up to `end` (the bodies as they stood on
    `start`, against `end`), each with the decision that did it when one did; five queries. The tree's
    filters (level, kind, a diacritic-blind part of the name) choose the bodies whose changes are listed."""
    first, last = min(start, end), max(start, end)
    in_range = Q(valid_from__gt=first, valid_from__lte=last) | Q(valid_to__gt=first, valid_to__lte=last)
    chosen = _chosen(level=level, kind=kind, search=search)
    bodies = _in_scope(Organization.objects.filter(in_range).filter(chosen), territory_ids)
    reorganizations = (
        Reorganization.objects.filter(effective_on__gt=first, effective_on__lte=last)
        .filter(Q(originals__in=bodies) | Q(results__in=bodies))
        .distinct()
        .prefetch_related("originals", "results")
    )
    changes: list[Change] = []
    explained: set[tuple[str, int]] = set()
    for reorganization in reorganizations:
        originals = _named(reorganization.originals.all())
        results = _named(reorganization.results.all())
        explained.update(("ended", body_id) for body_id, _name in originals)
        explained.update(("created", body_id) for body_id, _name in results)
        changes.append(
            Change(
                reorganization.effective_on, reorganization.kind, originals, results, reorganization.decision
            )
        )
    for body_id, name, valid_from, valid_to in bodies.values_list("id", "name", "valid_from", "valid_to"):
        if first < valid_from <= last and ("created", body_id) not in explained:
            changes.append(Change(valid_from, "created", (), ((body_id, name),), ""))
        if first < valid_to <= last and ("ended", body_id) not in explained:
            changes.append(Change(valid_to, "ended", ((body_id, name),), (), ""))
    changes.extend(_renamed_in_place(first=first, last=last, territory_ids=territory_ids, chosen=chosen))
    return sorted(changes, key=lambda change: (change.on, change.what, change.before, change.after))


def _chosen(*, level: str, kind: str, search: str) -> Q:
    """The bodies the filters choose, as a condition that the bodies and their recorded versions share."""
    chosen = Q()
    if level:
        chosen &= Q(level=level)
    if kind:
        chosen &= Q(kind=kind)
    if phrase := " ".join(fold(search).split()):
        chosen &= Q(folded_name__contains=phrase)
    return chosen


def _named(bodies: Iterable[Organization]) -> tuple[tuple[int, str], ...]:
    return tuple(sorted(((body.id, body.name) for body in bodies), key=lambda pair: pair[1]))


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _renamed_in_place(
    *, first: date, last: date, territory_ids: Collection[int] | None, chosen: Q
) -> list[Change]:
    """Names corrected on the body's own row (the change log keeps each version): every version of the bodies
    whose name changed in the range, read in one query and compared with the version before it."""
    history = Organization.history.model.objects
    after_first, after_last = _day_start(first + timedelta(days=1)), _day_start(last + timedelta(days=1))
    window = Q(history_date__gte=after_first, history_date__lt=after_last)
    edited = history.filter(window, chosen, history_type="~", outside_jurisdiction=False)
    if territory_ids is not None:
        edited = edited.filter(jurisdiction_id__in=territory_ids)
    versions = (
        history.filter(id__in=edited.values("id"), history_date__lt=after_last)
        .order_by("id", "history_date", "history_id")
        .values_list("id", "name", "history_date", "history_change_reason")
    )
    changes: list[Change] = []
    previous: tuple[int, str] | None = None
    for body_id, name, changed_at, reason in versions:
        if previous is not None and previous[0] == body_id and previous[1] != name:
            changed_on = timezone.localdate(changed_at)
            if first < changed_on <= last:
                changes.append(Change(changed_on, "renamed", (previous,), ((body_id, name),), reason or ""))
        previous = (body_id, name)
    return changes
