"""Reads of the registry "as of" a date; each returns plain values or querysets, in a bounded number of
queries."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from django.db import connections, router
from django.db.models import Count, QuerySet

from dondoc.registry.models import (
    Appointment,
    Jurisdiction,
    Organization,
    PostKind,
    Reorganization,
    StaffRecord,
)


def organizations_as_of(
    *, on: date, kind: str | None = None, level: str | None = None, parent: Organization | None = None
) -> QuerySet[Organization]:
    bodies = Organization.objects.as_of(on)
    if kind:
        bodies = bodies.filter(kind=kind)
    if level:
        bodies = bodies.filter(level=level)
    if parent is not None:
        bodies = bodies.filter(parent=parent)
    return bodies


def subtree(children: Mapping[int, Iterable[int]], root: int) -> set[int]:
    """A territory and every territory below it, given each territory's children."""
    found, stack = set(), [root]
    while stack:
        territory_id = stack.pop()
        found.add(territory_id)
        stack.extend(children.get(territory_id, ()))
    return found


def territory_and_below(*, jurisdiction_id: int) -> set[int]:
    """A territory and every territory below it, whatever their validity (history keeps its shape): one
    recursive query down the parent index, which reads a province's hundred territories rather than the
    country's fourteen thousand (each monitor's page asks it once). The only territory without a parent
    (the country) has every territory below it: read whole, not level by level (13,793: 3 ms, not 14)."""
    database = connections[router.db_for_read(Jurisdiction)]
    table = database.ops.quote_name(Jurisdiction._meta.db_table)
    # in one statement, as each page asks it: `whole` when the territory is the only one without a parent;
    # UNION, not UNION ALL, so that a cycle in the data ends instead of running on
    sql = f"""WITH RECURSIVE roots(id) AS (SELECT id FROM {table} WHERE parent_id IS NULL LIMIT 2),
        whole(yes) AS (SELECT COUNT(*) = 1 AND MIN(id) = %s FROM roots),
        below(id) AS (
            SELECT id FROM {table} WHERE id = %s AND NOT (SELECT yes FROM whole)
            UNION SELECT {table}.id FROM {table} JOIN below ON {table}.parent_id = below.id)
        SELECT id FROM below UNION ALL SELECT id FROM {table} WHERE (SELECT yes FROM whole)"""
    with database.cursor() as cursor:
        cursor.execute(sql, [jurisdiction_id, jurisdiction_id])
        return {row[0] for row in cursor.fetchall()}


def headcounts(*, organization_ids: Iterable[int], on: date) -> dict[int, dict[str, int]]:
    """Actual staff per body and category on a date: people in a primary post, plus the latest staff
    record."""
    ids = list(organization_ids)
    counts: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    in_posts = (
        Appointment.objects.as_of(on)
        .filter(
            is_concurrent=False,
            post__organization_id__in=ids,
            post__valid_from__lte=on,
            post__valid_to__gt=on,
        )
        .values("post__organization_id", "post__category")
        .annotate(people=Count("person_id", distinct=True))
    )
    for row in in_posts:
        counts[row["post__organization_id"]][row["post__category"]] += row["people"]
    latest: dict[tuple[int, str], tuple[date, int]] = {}
    for body_id, category, counted_on, headcount in StaffRecord.objects.filter(
        organization_id__in=ids, counted_on__lte=on
    ).values_list("organization_id", "category", "counted_on", "headcount"):
        key = (body_id, category)
        if key not in latest or latest[key][0] < counted_on:
            latest[key] = (counted_on, headcount)
    for (body_id, category), (_, headcount) in latest.items():
        counts[body_id][category] += headcount
    return {body_id: dict(by_category) for body_id, by_category in counts.items()}


def deputy_counts(*, organization_ids: Iterable[int], on: date) -> dict[int, int]:
    """People holding a deputy post of each body on a date (a concurrent deputy counts where the post is)."""
    rows = (
        Appointment.objects.as_of(on)
        .filter(post__kind=PostKind.DEPUTY, post__organization_id__in=list(organization_ids))
        .filter(post__valid_from__lte=on, post__valid_to__gt=on)
        .values("post__organization_id")
        .annotate(people=Count("person_id", distinct=True))
    )
    return {row["post__organization_id"]: row["people"] for row in rows}


@dataclass(frozen=True, slots=True)
class Lineage:
    """Where a body came from and what it became, through reorganisations."""

    predecessors: tuple[Reorganization, ...]
    successors: tuple[Reorganization, ...]


def lineage(*, organization: Organization) -> Lineage:
    return Lineage(
        predecessors=tuple(organization.resulted_from.prefetch_related("originals").order_by("effective_on")),
        successors=tuple(organization.ended_by.prefetch_related("results").order_by("effective_on")),
    )


def merged_since(*, organization_ids: Iterable[int]) -> dict[int, date]:
    """The date each body was formed by a merger or grew by absorbing another, if it was."""
    found: dict[int, date] = {}
    reorganizations = Reorganization.objects.filter(
        kind__in=("merge", "absorb"), results__id__in=list(organization_ids)
    ).values_list("results__id", "effective_on")
    for body_id, effective_on in reorganizations:
        found[body_id] = max(found.get(body_id, effective_on), effective_on)
    return found
