"""Writing a checked plan in bulk, with change history: bodies parent-first, then their aliases, then
the rows that hang off bodies."""

from __future__ import annotations

from collections import defaultdict

from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from dondoc.registry.models import JobPosition, Organization, OrganizationAlias
from dondoc.registry.transfer.cells import _key
from dondoc.registry.transfer.planning import (
    _ALIAS_COLUMNS,
    _BATCH,
    _BODY_FIELDS,
    _DEPENDENTS,
    _bodies_by_code,
    _Change,
    _chunks,
    _Plan,
)
from dondoc.registry.transfer.schema import TransferKind
from dondoc.text import fold


def _write_bodies(plan: _Plan, reason: str) -> dict[str, int]:
    """Bodies parent-first, a generation at a time, so each parent has its id before its children."""
    ids = {
        code: body.pk
        for code, body in _bodies_by_code(
            {change.references["parent"] for change in plan.bodies} - {None}
        ).items()
    }
    depth: dict[str, int] = {}

    def depth_of(code: str) -> int:
        if code not in depth:
            parent = plan.body_parents.get(code)
            depth[code] = depth_of(parent) + 1 if parent in plan.body_parents and parent is not None else 0
        return depth[code]

    generations: dict[int, list[_Change]] = defaultdict(list)
    for change in plan.bodies:
        generations[depth_of(change.instance.code)].append(change)
    for generation in sorted(generations):
        created, updated = [], []
        for change in generations[generation]:
            body = change.instance
            parent = change.references["parent"]
            body.parent_id = ids[parent] if parent is not None else None
            body.jurisdiction_id = change.references["jurisdiction"]
            body.folded_name = fold(body.name)  # bulk writes skip Organization.save()
            if change.is_new:
                created.append(body)
            elif change.is_changed:
                updated.append(body)
        for body in bulk_create_with_history(
            created, Organization, batch_size=_BATCH, default_change_reason=reason
        ):
            ids[body.code] = body.pk
        if updated:
            bulk_update_with_history(
                updated,
                Organization,
                [*_BODY_FIELDS, "parent", "jurisdiction", "folded_name"],
                batch_size=_BATCH,
                default_change_reason=reason,
            )
        ids.update((change.instance.code, change.instance.pk) for change in generations[generation])
    _write_aliases(plan, ids, reason)
    return ids


def _write_aliases(plan: _Plan, ids: dict[str, int], reason: str) -> None:
    changes = [change for change in plan.bodies if change.is_changed and change.aliases]
    body_ids = [ids[change.instance.code] for change in changes]
    existing: dict[int, list[OrganizationAlias]] = defaultdict(list)
    for chunk in _chunks(body_ids):
        for alias in OrganizationAlias.objects.filter(organization_id__in=chunk):
            existing[alias.organization_id].append(alias)
    stale, kept, new = [], [], []
    for change, body_id in zip(changes, body_ids, strict=True):
        wanted = {
            fold(text): (text, _ALIAS_COLUMNS[column])
            for column, texts in change.aliases.items()
            for text in texts
        }
        managed = {_ALIAS_COLUMNS[column] for column in change.aliases}
        for alias in existing[body_id]:
            if fold(alias.text) in wanted:
                text, kind = wanted.pop(fold(alias.text))
                if (alias.text, alias.kind) != (text, kind):
                    alias.text, alias.kind = text, kind
                    kept.append(alias)
            elif alias.kind in managed:
                stale.append(alias.pk)
        new += [
            OrganizationAlias(organization_id=body_id, text=text, kind=kind, folded=folded)
            for folded, (text, kind) in wanted.items()
        ]
    for chunk in _chunks(stale):
        for alias in OrganizationAlias.objects.filter(pk__in=chunk):
            alias._change_reason = reason  # type: ignore[attr-defined]  # simple_history reads it
            alias.delete()  # one by one, so the change history records each removal
    if kept:
        bulk_update_with_history(
            kept, OrganizationAlias, ["text", "kind"], batch_size=_BATCH, default_change_reason=reason
        )
    bulk_create_with_history(new, OrganizationAlias, batch_size=_BATCH, default_change_reason=reason)


def _write_dependents(
    kind: TransferKind, changes: list[_Change], body_ids: dict[str, int], reason: str
) -> None:
    spec = _DEPENDENTS[kind]
    missing = {change.references["organization"] for change in changes} - set(body_ids)
    body_ids.update((code, body.pk) for code, body in _bodies_by_code(missing).items())
    job_positions: dict[tuple[int, str], list[JobPosition]] = defaultdict(list)
    if kind is TransferKind.POSTS:
        for chunk in _chunks(sorted({body_ids[change.references["organization"]] for change in changes})):
            for job_position in JobPosition.objects.filter(organization_id__in=chunk).order_by("valid_from"):
                job_positions[(job_position.organization_id, _key(job_position.name))].append(job_position)
    created, updated = [], []
    for change in changes:
        instance = change.instance
        instance.organization_id = body_ids[change.references["organization"]]
        if "job_position" in change.references:
            name = change.references["job_position"]
            versions = job_positions[(instance.organization_id, _key(name))] if name is not None else []
            # the version in force when the post begins, else the latest one
            instance.job_position = next(
                (v for v in versions if v.is_valid_on(instance.valid_from)), None
            ) or (versions[-1] if versions else None)
        if change.is_new:
            created.append(instance)
        elif change.is_changed:
            updated.append(instance)
    bulk_create_with_history(created, spec.model, batch_size=_BATCH, default_change_reason=reason)
    if updated:
        fields = [*spec.fields, "organization"] + (["job_position"] if kind is TransferKind.POSTS else [])
        bulk_update_with_history(updated, spec.model, fields, batch_size=_BATCH, default_change_reason=reason)
