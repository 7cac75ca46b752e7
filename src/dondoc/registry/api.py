"""REST endpoints for the registry's bodies, as of a date, within the territories the caller looks bodies up
in (as the search page does): a monitor's or reader's jurisdiction and below, a unit's own territory and
below, everywhere for an administrator or auditor. A body outside them is 404. Each operation declares the
status codes it may answer (core.api); the body's id is validated by ninja, so a malformed one is a JSON 422.

No `from __future__ import annotations`: ninja builds its query models from the signatures' evaluated types.
"""

from datetime import date

from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, P, QueryEx, Router, Schema
from ninja.pagination import paginate

from dondoc.accounts.access import scope
from dondoc.clock import today
from dondoc.core.api import EVERY_OPERATION, ONE_OBJECT, IsoDate, PageNumbers
from dondoc.registry.models import AliasKind, Jurisdiction, Level, Organization, OrganizationKind
from dondoc.registry.selectors import territory_and_below
from dondoc.text import fold


class JurisdictionRef(Schema):
    id: int
    code: str
    name: str


class BodyRef(Schema):
    id: int
    code: str
    name: str


class AliasOut(Schema):
    text: str
    kind: AliasKind


class BodyOut(Schema):
    id: int
    code: str
    name: str
    short_name: str
    kind: OrganizationKind
    level: Level
    parent_id: int | None
    jurisdiction_id: int | None
    valid_from: date
    valid_to: date = Field(
        description="exclusive: the first day the body no longer exists (9999-12-31: open)"
    )


class BodyDetail(BodyOut):
    parent: BodyRef | None
    jurisdiction: JurisdictionRef | None
    aliases: list[AliasOut]


bodies = Router()


def _scope(request: HttpRequest) -> QuerySet[Organization]:
    """Every body (at any date) of the territories the caller looks bodies up in."""
    bodies: QuerySet[Organization] = Organization.objects.all()
    territories = scope(request).territory_ids
    if territories is None:
        return bodies
    return bodies.filter(Q(jurisdiction_id__in=territories) | Q(parent__jurisdiction_id__in=territories))


@bodies.get(
    "/", response={200: list[BodyOut], **EVERY_OPERATION}, summary="List the bodies of the registry on a date"
)
@paginate(PageNumbers)
def list_bodies(
    request: HttpRequest,
    q: QueryEx[str | None, P(description="words of the name; case and diacritics ignored")] = None,
    kind: OrganizationKind | None = None,
    jurisdiction: QueryEx[
        str | None, P(description="a territory's code (e.g. DNO): bodies there and below")
    ] = None,
    on: QueryEx[IsoDate | None, P(description="the day the registry is read as of (default: today)")] = None,
) -> QuerySet[Organization]:
    day = on or today()
    found = _scope(request).filter(valid_from__lte=day, valid_to__gt=day)
    for word in fold(q or "").split():
        found = found.filter(folded_name__contains=word)
    if kind is not None:
        found = found.filter(kind=kind)
    if jurisdiction:
        territory = (
            Jurisdiction.objects.filter(code=jurisdiction.strip()).values_list("id", flat=True).first()
        )
        territories = territory_and_below(jurisdiction_id=territory) if territory is not None else set()
        found = found.filter(jurisdiction_id__in=territories)
    return found.order_by("level", "name", "id")


@bodies.get(
    "/{body_id}",
    response={200: BodyDetail, **ONE_OBJECT},
    summary="A body with its parent, territory and aliases",
)
def get_body(request: HttpRequest, body_id: int) -> Organization:
    body: Organization = get_object_or_404(
        _scope(request).select_related("parent", "jurisdiction").prefetch_related("aliases"), pk=body_id
    )
    return body
