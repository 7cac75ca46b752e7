"""What the overlaps page reads: the pairs of function items found alike on a day, split into those no one has
decided on yet and those decided (with the decision), and the required functions nobody holds, all within
the territories a scope looks bodies up in. The search for pairs runs once; the decisions are one query."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date

from dondoc.registry.models import Function, OverlapDecision
from dondoc.registry.overlaps import FunctionGap, FunctionOverlap, find_function_gaps, find_function_overlaps


@dataclass(frozen=True, slots=True)
class OverlapRow:
    overlap: FunctionOverlap
    decision: OverlapDecision | None


@dataclass(frozen=True, slots=True)
class OverlapsPage:
    new: list[OverlapRow]
    decided: list[OverlapRow]
    gaps: list[FunctionGap]


def territory_of(function: Function) -> int | None:
    """The territory the item's body serves; a unit without one serves its parent's (as the search pairs)."""
    body = function.organization
    while body.jurisdiction_id is None and body.parent is not None:
        body = body.parent
    return body.jurisdiction_id


def pair_of(overlap: FunctionOverlap) -> tuple[int, int]:
    """The two items' ids, lower first, as a decision stores them."""
    low, high = sorted((overlap.first.pk, overlap.second.pk))
    return low, high


def within(function: Function, territory_ids: Collection[int] | None) -> bool:
    return territory_ids is None or territory_of(function) in territory_ids


def overlaps_page(*, on: date, territory_ids: Collection[int] | None) -> OverlapsPage:
    overlaps = [
        overlap
        for overlap in find_function_overlaps(on=on)
        if within(overlap.first, territory_ids) and within(overlap.second, territory_ids)
    ]
    items = {function.pk for overlap in overlaps for function in (overlap.first, overlap.second)}
    decisions = {
        (decision.first_id, decision.second_id): decision
        for decision in OverlapDecision.objects.filter(first_id__in=items, second_id__in=items)
    }
    rows = [OverlapRow(overlap=overlap, decision=decisions.get(pair_of(overlap))) for overlap in overlaps]
    gaps = [
        gap for gap in find_function_gaps(on=on) if gap.nearest is None or within(gap.nearest, territory_ids)
    ]
    return OverlapsPage(
        new=[row for row in rows if row.decision is None],
        decided=[row for row in rows if row.decision is not None],
        gaps=gaps,
    )
