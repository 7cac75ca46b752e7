"""The 2025 reorganisation of the former Đắk Nông area, committed on top of the April 2023 sample as history.

From 1 July 2025 Đắk Nông, Lâm Đồng and Bình Thuận form the new Lâm Đồng province, the district level ends and
Đắk Nông's 71 communes become 28. sample_data/reorganization_2025.json holds the new territories, the few
counterpart bodies of old Lâm Đồng and Bình Thuận the mergers need, and the events with their decisions and
sources; each event goes through the service a user's plan goes through (plan, then commit with the plan's
fingerprint), so posts, functions, quotas and open assignments move exactly as from the planner page.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar

from django.db import transaction
from django.utils.translation import gettext
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from dondoc.registry.models import Jurisdiction, Organization, ReorganizationKind
from dondoc.registry.reorganization import (
    NewBody,
    ReorganizationError,
    commit_reorganization,
    plan_reorganization,
)
from dondoc.registry.sample import SAMPLE_DATA
from dondoc.registry.selectors import territory_and_below
from dondoc.text import fold

HISTORY_FILE = SAMPLE_DATA / "reorganization_2025.json"
EFFECTIVE_ON = date(2025, 7, 1)
CHANGE_REASON = "load_2025_reorganization"
# a body of the 2023 sample every event depends on, and the first body the events create
SAMPLE_MARKER = "DNO.TU"
LOADED_MARKER = "LDG.TU"

Tree = TypeVar("Tree", Organization, Jurisdiction)
Row = dict[str, Any]


class HistoryError(Exception):
    """The 2025 history cannot be loaded; the message is for the user."""


class HistoryAlreadyLoaded(HistoryError):
    """The registry already holds the 2025 history: loading it again is refused, nothing is written."""


@dataclass(frozen=True, slots=True)
class HistorySummary:
    """What the load wrote: territories added and ended, counterpart bodies added, events committed by kind,
    bodies begun and ended by them, and the open assignments they handed on."""

    territories_added: int
    territories_ended: int
    counterparts_added: int
    events: dict[str, int]
    bodies_begun: int
    bodies_ended: int
    open_work_carried: int


def load_2025_reorganization(*, today: date) -> HistorySummary:
    """Commit the 2025 reorganisation onto the sample registry, all or nothing; refused when already there."""
    if today < EFFECTIVE_ON:
        raise HistoryError(
            gettext("The 2025 reorganisation takes effect on %(date)s: it is not history yet.")
            % {"date": f"{EFFECTIVE_ON:%d/%m/%Y}"}
        )
    data: dict[str, Any] = json.loads(HISTORY_FILE.read_text(encoding="utf-8"))
    with transaction.atomic():
        if Organization.objects.filter(code=LOADED_MARKER).exists():
            raise HistoryAlreadyLoaded(
                gettext("The 2025 reorganisation is already in the registry; nothing was changed.")
            )
        if not Organization.objects.filter(code=SAMPLE_MARKER).exists():
            raise HistoryError(
                gettext("The sample registry is not loaded: run `manage.py load_sample_registry` first.")
            )
        territories = _create_tree(Jurisdiction, data["jurisdictions"], _territory)
        ended = _end_territories(data["ended_jurisdictions"])
        places = Jurisdiction.objects.in_bulk(
            {row["jurisdiction"] for row in data["organizations"]}, field_name="code"
        )
        counterparts = _create_tree(
            Organization, data["organizations"], lambda row, parent: _counterpart(row, parent, places)
        )
        events: Counter[str] = Counter()
        begun = ending = carried = 0
        for row in data["reorganizations"]:
            try:
                carried += _commit(row)
            except ReorganizationError as error:
                raise HistoryError(
                    gettext("The event %(decision)s could not be committed: %(error)s")
                    % {"decision": row["decision"], "error": error}
                ) from error
            events[row["kind"]] += 1
            begun += len(row["results"])
            ending += len(row["originals"])
    return HistorySummary(
        territories_added=len(territories),
        territories_ended=ended,
        counterparts_added=len(counterparts),
        events=dict(events),
        bodies_begun=begun,
        bodies_ended=ending,
        open_work_carried=carried,
    )


def _commit(row: Row) -> int:
    """Plan one event and commit that plan; the number of open assignments it hands on."""
    results: list[Row] = row["results"]
    bodies = _bodies(
        [
            *row["originals"],
            *(result["parent"] for result in results),
            row.get("successor"),
            row.get("absorber"),
        ]
    )
    territories = Jurisdiction.objects.in_bulk(
        [result["jurisdiction"] for result in results], field_name="code"
    )
    plan = plan_reorganization(
        kind=ReorganizationKind(row["kind"]),
        originals=[bodies[code] for code in row["originals"]],
        effective_on=date.fromisoformat(row["effective_on"]),
        decision=row["decision"],
        new_bodies=[
            NewBody(
                code=result["code"],
                name=result["name"],
                kind=result["kind"],
                level=result["level"],
                short_name=result["short_name"],
                parent=bodies[result["parent"]] if result["parent"] else None,
                jurisdiction=territories[result["jurisdiction"]],
            )
            for result in results
        ],
        absorber=bodies[row["absorber"]] if row.get("absorber") else None,
        successor=bodies[row["successor"]] if row.get("successor") else None,
    )
    commit_reorganization(
        plan=plan, fingerprint=plan.fingerprint, note=f"{row['note']} Nguồn: {row['source']}"
    )
    return sum(work.count for work in plan.open_work)


def _bodies(codes: Iterable[str | None]) -> dict[str, Organization]:
    wanted = {code for code in codes if code}
    found: dict[str, Organization] = Organization.objects.in_bulk(wanted, field_name="code")
    if missing := wanted - set(found):
        raise HistoryError(
            gettext("The registry holds no body with the code %(codes)s.")
            % {"codes": ", ".join(sorted(missing))}
        )
    return found


def _territory(row: Row, parent: Jurisdiction | None) -> Jurisdiction:
    return Jurisdiction(
        code=row["code"],
        name=row["name"],
        kind=row["kind"],
        level=row["level"],
        parent=parent,
        **_validity(row),
    )


def _counterpart(row: Row, parent: Organization | None, places: dict[str, Jurisdiction]) -> Organization:
    return Organization(
        code=row["code"],
        name=row["name"],
        short_name=row["short_name"],
        kind=row["kind"],
        level=row["level"],
        parent=parent,
        jurisdiction=places[row["jurisdiction"]],
        folded_name=fold(row["name"]),
        outside_jurisdiction=row["outside_jurisdiction"],
        **_validity(row),
    )


def _validity(row: Row) -> dict[str, date]:
    return {key: date.fromisoformat(row[key]) for key in ("valid_from", "valid_to") if row.get(key)}


def _create_tree(
    model: type[Tree], rows: Sequence[Row], build: Callable[[Row, Tree | None], Tree]
) -> list[Tree]:
    """Rows of a tree written generation by generation, so that every parent exists before its children."""
    created: dict[str, Tree] = {}
    waiting = list(rows)
    while waiting:
        ready = [row for row in waiting if not row["parent"] or row["parent"] in created]
        if not ready:
            raise HistoryError(
                gettext("The parent %(code)s is missing from the 2025 data.") % {"code": waiting[0]["parent"]}
            )
        objects: list[Tree] = bulk_create_with_history(
            [build(row, created.get(row["parent"] or "")) for row in ready],
            model,
            default_change_reason=CHANGE_REASON,
        )
        created.update((obj.code, obj) for obj in objects)
        waiting = [row for row in waiting if row["code"] not in created]
    return list(created.values())


def _end_territories(rule: Row) -> int:
    """End each named territory and every territory below it on the given day, and place each named one
    within the territory that now covers it (`within`), so that whoever looks after the new province looks
    after what the former one held."""
    valid_to = date.fromisoformat(rule["valid_to"])
    ids: set[int] = set()
    within = Jurisdiction.objects.get(code=rule["within"])
    for territory in Jurisdiction.objects.filter(code__in=rule["codes"]):
        ids |= territory_and_below(jurisdiction_id=territory.id)
        territory.parent = within
        territory._change_reason = CHANGE_REASON
        territory.save(update_fields=["parent"])
    ending = list(Jurisdiction.objects.filter(id__in=ids, valid_to__gt=valid_to))
    for territory in ending:
        territory.valid_to = valid_to
    bulk_update_with_history(ending, Jurisdiction, ["valid_to"], default_change_reason=CHANGE_REASON)
    return len(ending)
