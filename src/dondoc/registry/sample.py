"""The sample registry of Đắk Nông province as of April 2023, loaded in one transaction.

Real bodies and territories; invented people, decisions and figures (marked is_sample); planted
defects (overlapping functions, a gap, deputies over the limit, a body over its quota, a
concurrent post no model allows, vacant posts) listed in sample_data/expected.json so the rule
checks can be tested against them. The data lives in sample_data/*.json, UTF-8 and NFC.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar

from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext
from simple_history.utils import bulk_create_with_history

from dondoc.core.vendor_sql import analyze
from dondoc.registry.models import (
    AliasKind,
    Appointment,
    ConcurrentPostModel,
    DeputyLimitRule,
    Function,
    JobPosition,
    Jurisdiction,
    Organization,
    OrganizationAlias,
    OrganizationGroup,
    OrganizationGroupAlias,
    Person,
    Post,
    Reorganization,
    RequiredFunction,
    StaffCategory,
    StaffingQuota,
    StaffRecord,
    StaffReductionTarget,
)
from dondoc.text import fold

SAMPLE_DATA = Path(__file__).resolve().parent / "sample_data"
# expected.json, beside them, lists the planted defects for tests and is not loaded
# central.json: the catalogue of central bodies (ministries, central Party boards …) with their 2025 mergers,
# known so that directives naming them are understood, outside the jurisdiction, never assigned by default
DATA_FILES = (
    "jurisdictions",
    "organizations",
    "central",
    "groups",
    "functions",
    "people",
    "staffing",
    "rules",
)
CHANGE_REASON = "load_sample_registry"
_BATCH = 500

# Every model the sample writes, children before parents: the order rows are deleted in on replace.
REGISTRY_MODELS: tuple[type[models.Model], ...] = (
    Appointment,
    Post,
    JobPosition,
    Person,
    StaffRecord,
    StaffingQuota,
    Function,
    RequiredFunction,
    OrganizationGroupAlias,
    OrganizationGroup,
    OrganizationAlias,
    Reorganization,
    DeputyLimitRule,
    StaffReductionTarget,
    ConcurrentPostModel,
    Organization,
    Jurisdiction,
)
_ALIAS_KINDS = {
    "aliases": AliasKind.ALTERNATIVE,
    "abbreviations": AliasKind.ABBREVIATION,
    "former_names": AliasKind.FORMER,
}

M = TypeVar("M", bound=models.Model)
Tree = TypeVar("Tree", Organization, Jurisdiction)
Row = dict[str, Any]


class SampleRegistryNotEmpty(Exception):
    """The registry already holds rows; the sample is loaded only into an empty one unless asked to
    replace."""

    def __init__(self, present: dict[str, int]) -> None:
        self.present = present
        rows = ", ".join(f"{count} {name}" for name, count in reversed(present.items()))
        super().__init__(
            gettext(
                "The registry is not empty (%(rows)s): load the sample into an empty registry, "
                "or replace what is there."
            )
            % {"rows": rows}
        )


@dataclass(frozen=True, slots=True)
class SampleSummary:
    """Rows written per model (by model name: "organization", "post" …) and rows deleted first on replace."""

    counts: dict[str, int]
    deleted: dict[str, int]


def load_sample_registry(*, replace: bool = False) -> SampleSummary:
    """Load the Đắk Nông sample into an empty registry, or replace everything in it when replace is set."""
    data = {
        name: json.loads((SAMPLE_DATA / f"{name}.json").read_text(encoding="utf-8")) for name in DATA_FILES
    }
    with transaction.atomic():
        present = registry_rows()
        if present and not replace:
            raise SampleRegistryNotEmpty(present)
        deleted = _clear() if present else {}
        counts = _SampleLoader(data).load()
        analyze(*REGISTRY_MODELS)
    return SampleSummary(counts=counts, deleted=deleted)


def registry_rows() -> dict[str, int]:
    """The registry's non-empty tables and their row counts, by verbose name."""
    counts = {
        str(model._meta.verbose_name_plural): model._default_manager.count() for model in REGISTRY_MODELS
    }
    return {name: count for name, count in counts.items() if count}


def _clear() -> dict[str, int]:
    """Delete every registry row (one history row each records the deletion), leaves of trees first."""
    deleted: dict[str, int] = {}
    for model in REGISTRY_MODELS:
        if model in (Organization, Jurisdiction):
            count = _delete_tree(model)
        else:
            count = model._default_manager.all().delete()[1].get(model._meta.label, 0)
        deleted[model._meta.model_name or ""] = count
    return {name: count for name, count in deleted.items() if count}


def _delete_tree(model: type[Organization | Jurisdiction]) -> int:
    # parent is PROTECT: children must go before their parents, so delete by depth, deepest first
    parents = dict(model._default_manager.values_list("id", "parent_id"))
    depth: dict[int, int] = {}

    def depth_of(node: int) -> int:
        if node not in depth:
            parent = parents[node]
            depth[node] = 0 if parent is None else depth_of(parent) + 1
        return depth[node]

    for node in parents:
        depth_of(node)
    count = 0
    for level in sorted(set(depth.values()), reverse=True):
        ids = [node for node, d in depth.items() if d == level]
        count += model._default_manager.filter(id__in=ids).delete()[1].get(model._meta.label, 0)
    return count


def _validity(row: Row) -> dict[str, date]:
    """valid_from / valid_to when the row gives them; the model's open defaults otherwise."""
    return {key: date.fromisoformat(row[key]) for key in ("valid_from", "valid_to") if row.get(key)}


def _fields(row: Row, decimals: Sequence[str] = ()) -> dict[str, Any]:
    """A rule row as model fields: comments ("_comment") dropped, dates and decimals parsed."""
    fields = {key: value for key, value in row.items() if not key.startswith("_")}
    fields.update(_validity(row))
    for key in decimals:
        fields[key] = Decimal(fields[key])
    return fields


def _by_depth(rows: list[Row]) -> list[list[Row]]:
    """Rows of a tree (by code and parent code) in generations, so every parent is written before its
    children."""
    parent_of = {row["code"]: row.get("parent") for row in rows}
    depth: dict[str, int] = {}
    for code in parent_of:
        chain = [code]
        while (parent := parent_of[chain[-1]]) is not None and parent not in depth:
            chain.append(parent)
        base = depth[parent] + 1 if parent is not None else 0
        for offset, node in enumerate(reversed(chain)):
            depth[node] = base + offset
    generations: list[list[Row]] = [[] for _ in range(max(depth.values(), default=-1) + 1)]
    for row in rows:
        generations[depth[row["code"]]].append(row)
    return generations


class _SampleLoader:
    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data
        self.counts: dict[str, int] = {}
        self.territories: dict[str, Jurisdiction] = {}
        self.bodies: dict[str, Organization] = {}

    def load(self) -> dict[str, int]:
        self._territories()
        self._bodies()
        self._reorganizations()
        self._groups()
        self._functions()
        self._people()
        self._staffing()
        self._rules()
        return self.counts

    def _create(self, model: type[M], objects: Iterable[M]) -> list[M]:
        created: list[M] = bulk_create_with_history(
            list(objects), model, batch_size=_BATCH, default_change_reason=CHANGE_REASON
        )
        name = model._meta.model_name or ""
        self.counts[name] = self.counts.get(name, 0) + len(created)
        return created

    def _tree(
        self, model: type[Tree], rows: list[Row], build: Callable[[Row], Tree], into: dict[str, Tree]
    ) -> None:
        for generation in _by_depth(rows):
            for obj in self._create(model, (build(row) for row in generation)):
                into[obj.code] = obj

    def _territories(self) -> None:
        def build(row: Row) -> Jurisdiction:
            return Jurisdiction(
                code=row["code"],
                name=row["name"],
                kind=row["kind"],
                level=row["level"],
                parent=self.territories.get(row["parent"] or ""),
                **_validity(row),
            )

        rows = [*self.data["jurisdictions"]["jurisdictions"], *self.data["central"]["jurisdictions"]]
        self._tree(Jurisdiction, rows, build, self.territories)

    def _bodies(self) -> None:
        rows: list[Row] = [
            *self.data["organizations"]["organizations"],
            *self.data["central"]["organizations"],
        ]

        def build(row: Row) -> Organization:
            return Organization(
                code=row["code"],
                name=row["name"],
                short_name=row["short_name"],
                kind=row["kind"],
                level=row["level"],
                parent=self.bodies.get(row["parent"] or ""),
                jurisdiction=self.territories.get(row["jurisdiction"] or ""),
                folded_name=fold(row["name"]),
                outside_jurisdiction=row.get("outside_jurisdiction", False),
                **_validity(row),
            )

        self._tree(Organization, rows, build, self.bodies)
        self._create(
            OrganizationAlias,
            (
                OrganizationAlias(
                    organization=self.bodies[row["code"]], text=text, kind=kind, folded=fold(text)
                )
                for row in rows
                for key, kind in _ALIAS_KINDS.items()
                for text in row.get(key, ())
            ),
        )

    def _reorganizations(self) -> None:
        rows: list[Row] = self.data["central"]["reorganizations"]
        committed_at = timezone.now()
        events = self._create(
            Reorganization,
            (
                Reorganization(
                    kind=row["kind"],
                    effective_on=date.fromisoformat(row["effective_on"]),
                    decision=row["decision"],
                    note=row.get("note", ""),
                    committed_at=committed_at,
                )
                for row in rows
            ),
        )
        for event, row in zip(events, rows, strict=True):
            # through the related managers, so the event's m2m history records both sides
            event.originals.set([self.bodies[code] for code in row["originals"]])
            event.results.set([self.bodies[code] for code in row["results"]])

    def _groups(self) -> None:
        rows: list[Row] = self.data["groups"]["groups"]
        groups = self._create(
            OrganizationGroup,
            (
                OrganizationGroup(
                    code=row["code"],
                    name=row["name"],
                    kinds=row.get("kinds", []),
                    level=row.get("level", ""),
                    parent=self.bodies.get(row.get("parent") or ""),
                    jurisdiction=self.territories.get(row.get("jurisdiction") or ""),
                )
                for row in rows
            ),
        )
        self._create(
            OrganizationGroupAlias,
            (
                OrganizationGroupAlias(group=group, text=text, folded=fold(text))
                for group, row in zip(groups, rows, strict=True)
                for text in row["aliases"]
            ),
        )
        for group, row in zip(groups, rows, strict=True):
            if row.get("members"):
                # through the related manager, so the m2m history of the group records its members
                group.members.set([self.bodies[code] for code in row["members"]])

    def _functions(self) -> None:
        data = self.data["functions"]
        self._create(
            Function,
            (
                Function(
                    organization=self.bodies[row["organization"]],
                    kind=item["kind"],
                    position=position,
                    text=item["text"],
                    source=row["source"],
                )
                for row in data["functions"]
                for position, item in enumerate(row["items"], start=1)
            ),
        )
        self._create(
            RequiredFunction,
            (
                RequiredFunction(
                    text=row["text"],
                    organization_kinds=row["organization_kinds"],
                    level=row["level"],
                    source=row["source"],
                )
                for row in data["required_functions"]
            ),
        )

    def _people(self) -> None:
        staffing = self.data["staffing"]
        positions = {
            (position.organization.code, position.name): position
            for position in self._create(
                JobPosition,
                (
                    JobPosition(
                        organization=self.bodies[row["organization"]],
                        name=row["name"],
                        group=row["group"],
                        competencies=row["competencies"],
                        description=row["description"],
                        planned_count=row["planned_count"],
                        filled_count=row["filled_count"],
                        is_sample=True,
                    )
                    for row in staffing["job_positions"]
                ),
            )
        }
        data = self.data["people"]
        people = {
            row["key"]: person
            for row, person in zip(
                data["people"],
                self._create(
                    Person,
                    (
                        Person(
                            full_name=row["full_name"],
                            birth_year=row["birth_year"],
                            gender=row["gender"],
                            is_sample=True,
                        )
                        for row in data["people"]
                    ),
                ),
                strict=True,
            )
        }
        rows: list[Row] = data["posts"]
        posts = self._create(
            Post,
            (
                Post(
                    organization=self.bodies[row["organization"]],
                    title=row["title"],
                    kind=row["kind"],
                    category=row.get("category", StaffCategory.CADRE_CIVIL_SERVANT),
                    job_position=positions.get((row["organization"], row.get("job_position", ""))),
                    **_validity(row),
                )
                for row in rows
            ),
        )
        self._create(
            Appointment,
            (
                Appointment(
                    person=people[holder["person"]],
                    post=post,
                    is_concurrent=holder.get("concurrent", False),
                    decision=holder["decision"],
                    **_validity(holder),
                )
                for post, row in zip(posts, rows, strict=True)
                for holder in row["holders"]
            ),
        )

    def _staffing(self) -> None:
        data = self.data["staffing"]
        self._create(
            StaffingQuota,
            (
                StaffingQuota(
                    organization=self.bodies[row["organization"]],
                    year=row["year"],
                    category=row["category"],
                    assigned=row["assigned"],
                    decision=row["decision"],
                    is_sample=True,
                )
                for row in data["staffing_quotas"]
            ),
        )
        self._create(
            StaffRecord,
            (
                StaffRecord(
                    organization=self.bodies[row["organization"]],
                    category=row["category"],
                    counted_on=date.fromisoformat(row["counted_on"]),
                    headcount=row["headcount"],
                    is_sample=True,
                )
                for row in data["staff_records"]
            ),
        )

    def _rules(self) -> None:
        data = self.data["rules"]
        self._create(
            DeputyLimitRule,
            (DeputyLimitRule(**_fields(row, decimals=("max_deputies",))) for row in data["deputy_limits"]),
        )
        self._create(
            StaffReductionTarget,
            (
                StaffReductionTarget(**_fields(row, decimals=("percent",)))
                for row in data["staff_reduction_targets"]
            ),
        )
        self._create(
            ConcurrentPostModel,
            (ConcurrentPostModel(**_fields(row)) for row in data["concurrent_post_models"]),
        )
