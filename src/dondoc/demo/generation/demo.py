"""One generation run (`manage.py generate_demo`): the registry before 1 July 2025, the directives issued
before it, the 2025 mergers committed (the open work handed on), the directives issued since, then the people
who log in; deterministic for a seed and a today, all or nothing (one transaction).

One transaction holds the whole run, at every size: a failure leaves the database as it was. At the full
national size (10 million assignments) that transaction is large (on SQLite the write-ahead log grows to the
size of the data until the commit), which is the price of never leaving half a country behind.
"""

from __future__ import annotations

import enum
import math
import random
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction
from django.utils.translation import gettext as _

from dondoc.accounts.models import User
from dondoc.core.vendor_sql import analyze
from dondoc.demo.generation.people import LEADER_PREFIX, MONITOR_PREFIX, REPORTER_PREFIX, create_users
from dondoc.demo.generation.registry import (
    CENTRAL_BODIES,
    COMMUNE_BODIES,
    COMMUNE_OFFICES_2025,
    COUNTRY,
    COUNTRY_PLACE,
    DISTRICT_BODIES,
    PROVINCE_BODIES,
    PROVINCES_2025,
    BodyKind,
    Layout,
    Place,
    bodies_on,
    commit_2025_history,
    plan_layout,
    write_bodies_before,
    write_territories,
)
from dondoc.demo.generation.work import Issuer, Planned, Shape, Tally, WorkGenerator
from dondoc.directives.models import Directive
from dondoc.registry.history_2025 import EFFECTIVE_ON
from dondoc.registry.models import Jurisdiction, Organization, OrganizationKind

YEARS = 5
CENTRAL_SHARE = (
    0.03  # of the directives at national scale: the Politburo's, the Secretariat's, the Commission's
)
# how many bodies a directive addresses, with how often: most go to a few bodies, a few to a whole province
BREADTHS = {3: 20, 9: 25, 30: 25, 100: 15, 300: 10, 1000: 5}
CENTRAL_BREADTHS = {300: 50, 3000: 35, 30000: 15}
PARTY_KINDS = frozenset(
    {
        OrganizationKind.PARTY_COMMITTEE,
        OrganizationKind.STANDING_BOARD,
        OrganizationKind.PARTY_ADVISORY_BODY,
        OrganizationKind.PARTY_BLOC_COMMITTEE,
        OrganizationKind.INSPECTION_COMMISSION,
    }
)
STATE_KINDS = frozenset(
    {
        OrganizationKind.PEOPLES_COMMITTEE,
        OrganizationKind.DEPARTMENT,
        OrganizationKind.PUBLIC_SERVICE_UNIT,
        OrganizationKind.INTERNAL_UNIT,
    }
)
EMAIL_DOMAIN = "demo.dcs.vn"


class Scale(enum.StrEnum):
    PROVINCE = "province"
    NATIONAL = "national"


@dataclass(frozen=True, slots=True)
class ScaleShape:
    """The size of a scale: the provinces (since 2025), whether the Central issues, directives a year,
    assignments in all, and for which bodies users are made (one in `users_every` of the communes')."""

    provinces: tuple[str, ...]
    central: bool
    directives_per_year: int
    assignments: int
    users_every: int


SCALES = {
    Scale.PROVINCE: ScaleShape(("Lâm Đồng",), False, 150, 100_000, 1),
    Scale.NATIONAL: ScaleShape(tuple(name for name, _former in PROVINCES_2025), True, 5_000, 10_000_000, 20),
}


@dataclass(frozen=True, slots=True)
class IssuerRole:
    """A body of each province that issues directives: its suffix, how it numbers them, what it issues, to
    which of the province's bodies (all, the Party's, the State's) and how often, relatively."""

    suffix: str
    symbol: str
    party: bool
    types: tuple[str, ...]
    pool: str
    weight: float


_DEPARTMENTS = [
    kind for kind in PROVINCE_BODIES if kind.kind == OrganizationKind.DEPARTMENT and kind.parent == "UBND"
]
PROVINCE_ISSUERS = (
    IssuerRole("BTV", "TU", True, ("CV", "KH", "KL", "TB", "CT"), "all", 30),
    IssuerRole("TU", "TU", True, ("NQ", "CT", "KH"), "all", 10),
    IssuerRole("BTCTU", "BTCTU", True, ("CV", "HD", "KH"), "party", 10),
    IssuerRole("UBND", "UBND", False, ("CV", "KH", "QĐ"), "state", 30),
    *(
        IssuerRole(kind.suffix, kind.suffix, False, ("CV", "KH", "HD"), "state", 20 / len(_DEPARTMENTS))
        for kind in _DEPARTMENTS
    ),
)
CENTRAL_ISSUERS = (
    IssuerRole("BCT", "TW", True, ("KL", "CT", "NQ"), "all", 40),
    IssuerRole("BBT", "TW", True, ("KL", "CT", "TB"), "all", 40),
    IssuerRole("BTCTW", "BTCTW", True, ("HD", "CV"), "all", 20),
)


class GenerationError(Exception):
    """The data cannot be generated; the message is for the user and nothing was written."""


@dataclass(frozen=True, slots=True)
class GenerationSummary:
    territories: int
    bodies: int
    reorganizations: int
    tally: Tally
    users: int
    examples: tuple[str, ...]  # a reporter, a leader and a monitor to log in as


def generate_demo(
    *,
    scale: Scale,
    seed: int,
    today: date,
    assignments: int | None = None,
    password: str | None = None,
    progress: Callable[[str], None] | None = None,
) -> GenerationSummary:
    """Generate the scale's data into an empty database, in one transaction; `assignments` caps the total
    (the same shape, fewer directives): exactly that many are written."""
    shape = SCALES[scale]
    total = shape.assignments if assignments is None else assignments
    if total < 1:
        raise GenerationError(_("Ask for at least one assignment."))
    if today <= EFFECTIVE_ON:
        raise GenerationError(
            _("The generated history includes the 2025 mergers of %(date)s: choose a later today.")
            % {"date": f"{EFFECTIVE_ON:%d/%m/%Y}"}
        )
    say = progress or (lambda _message: None)
    rng = random.Random(seed)
    with transaction.atomic():
        _refuse_non_empty()
        layout = plan_layout(rng=rng, provinces=shape.provinces, central=shape.central)
        write_territories(layout)
        write_bodies_before(layout)
        say(_("Registry before 1 July 2025 written."))
        schedule = _schedule(rng, shape=shape, total=total, today=today)
        work = WorkGenerator(today=today, rng=rng, shape=Shape())
        before = [entry for entry in schedule if entry[0] < EFFECTIVE_ON]
        work.write(_plans(rng, layout, before, before_2025=True))
        analyze()
        say(_("%(count)d assignments before 1 July 2025 written.") % {"count": work.tally.assignments})
        reorganizations = commit_2025_history(layout)
        say(_("%(count)d reorganisations of 2025 committed.") % {"count": reorganizations})
        work.write(_plans(rng, layout, schedule[len(before) :], before_2025=False))
        say(_("%(count)d assignments in all written.") % {"count": work.tally.assignments})
        users, examples = _people(rng, layout, shape, password)
    return GenerationSummary(
        territories=Jurisdiction.objects.count(),
        bodies=Organization.objects.count(),
        reorganizations=reorganizations,
        tally=work.tally,
        users=users,
        examples=examples,
    )


def _refuse_non_empty() -> None:
    if Organization.objects.exists() or Jurisdiction.objects.exists() or Directive.objects.exists():
        raise GenerationError(
            _(
                "The database already holds a registry or directives: generate_demo writes only into an "
                "empty database (just migrated). Nothing was written."
            )
        )
    if User.objects.exists():
        raise GenerationError(
            _("The database already holds users: generate_demo writes only into an empty database.")
        )


def _breadth(rng: random.Random, breadths: dict[int, int]) -> int:
    return rng.choices(list(breadths), list(breadths.values()))[0]


def _schedule(
    rng: random.Random, *, shape: ScaleShape, total: int, today: date
) -> list[tuple[date, int, bool]]:
    """(issued on, assignments, from the Central) of every directive, in order of issue: as many directives
    as the scale's years hold, fewer in proportion when fewer assignments are asked, their assignments
    drawn by breadth and scaled to add up to `total` exactly."""
    count = min(total, max(1, round(shape.directives_per_year * YEARS * total / shape.assignments)))
    first = today - timedelta(days=round(365.25 * YEARS))
    span = (today - first).days
    days = sorted(first + timedelta(days=rng.randint(0, span)) for _ in range(count))
    central = [shape.central and rng.random() < CENTRAL_SHARE for _ in range(count)]
    breadths = [_breadth(rng, CENTRAL_BREADTHS if top else BREADTHS) for top in central]
    # one each, the rest shared by breadth, the remainder to the largest fractions
    spare, weight = total - count, sum(breadths)
    exact = [spare * breadth / weight for breadth in breadths]
    quotas = [1 + math.floor(share) for share in exact]
    by_fraction = sorted(range(count), key=lambda index: (math.floor(exact[index]) - exact[index], index))
    for index in by_fraction[: total - sum(quotas)]:
        quotas[index] += 1
    return list(zip(days, quotas, central, strict=True))


def _plans(
    rng: random.Random, layout: Layout, schedule: Sequence[tuple[date, int, bool]], *, before_2025: bool
) -> Iterator[Planned]:
    """The scheduled directives with their issuers: a province's body (the province drawn by its size) or
    the Central, among the bodies of the day's registry."""
    day = EFFECTIVE_ON - timedelta(days=1) if before_2025 else EFFECTIVE_ON
    ids = bodies_on(day)
    provincial: list[Issuer] = []
    weights: list[float] = []
    everyone: list[int] = []
    for place, kinds in _territories_of_era(layout, before_2025):
        bodies = [(ids[place_of.body_code(kind.suffix)], kind) for place_of, kind in kinds]
        everyone += [body_id for body_id, _kind in bodies]
        pools = {
            "all": [body_id for body_id, _kind in bodies],
            "party": [body_id for body_id, kind in bodies if kind.kind in PARTY_KINDS],
            "state": [body_id for body_id, kind in bodies if kind.kind in STATE_KINDS],
        }
        for role in PROVINCE_ISSUERS:
            provincial.append(_issuer(role, place, ids, pools[role.pool]))
            weights.append(role.weight * len(bodies))
    central = (
        [_issuer(role, COUNTRY_PLACE, ids, everyone) for role in CENTRAL_ISSUERS] if layout.central else []
    )
    central_weights = [role.weight for role in CENTRAL_ISSUERS]
    for issued_on, count, from_central in schedule:
        if from_central:
            issuer = rng.choices(central, central_weights)[0]
        else:
            issuer = rng.choices(provincial, weights)[0]
        yield Planned(issuer=issuer, issued_on=issued_on, assignments=count)


def _issuer(role: IssuerRole, place: Place, ids: dict[str, int], pool: list[int]) -> Issuer:
    kinds = {kind.suffix: kind for kind in (*PROVINCE_BODIES, *CENTRAL_BODIES)}
    return Issuer(
        organization_id=ids[place.body_code(role.suffix)],
        text=place.body_name(kinds[role.suffix]).upper(),
        symbol=role.symbol,
        party=role.party,
        types=role.types,
        pool=pool,
    )


def _territories_of_era(
    layout: Layout, before_2025: bool
) -> Iterator[tuple[Place, list[tuple[Place, BodyKind]]]]:
    """Each province of the era with every body in it, as (place of the body, kind of body)."""
    for province in layout.provinces:
        if before_2025:
            for former in province.former:
                bodies = [(former, kind) for kind in PROVINCE_BODIES]
                for district in province.districts[former.code]:
                    bodies += [(district.place, kind) for kind in DISTRICT_BODIES]
                    bodies += [
                        (commune, kind) for commune in district.old_communes for kind in COMMUNE_BODIES
                    ]
                yield former, bodies
        else:
            bodies = [(province.place, kind) for kind in PROVINCE_BODIES]
            bodies += [
                (commune, kind)
                for commune in province.new_communes
                for kind in (*COMMUNE_BODIES, *COMMUNE_OFFICES_2025)
            ]
            yield province.place, bodies


def _people(
    rng: random.Random, layout: Layout, shape: ScaleShape, password: str | None
) -> tuple[int, tuple[str, ...]]:
    """A reporter and a leader for every provincial body and for one commune in `users_every` (every one at
    province scale), two monitors per province and, with the Central, two for the country."""
    ids = bodies_on(EFFECTIVE_ON)
    territories = dict(Jurisdiction.objects.values_list("code", "id"))
    bodies: list[tuple[int, str]] = []
    monitors: list[tuple[int, str]] = []
    for province in layout.provinces:
        places = [province.place, *province.new_communes[:: shape.users_every]]
        for place in places:
            kinds = PROVINCE_BODIES if place is province.place else (*COMMUNE_BODIES, *COMMUNE_OFFICES_2025)
            bodies += [
                (ids[place.body_code(kind.suffix)], place.body_code(kind.suffix).lower()) for kind in kinds
            ]
        monitors += [(territories[province.place.code], f"{province.place.code.lower()}.{n}") for n in (1, 2)]
    if layout.central:
        monitors += [(territories[COUNTRY], f"{COUNTRY.lower()}.{n}") for n in (1, 2)]
    users = create_users(
        rng=rng, bodies=bodies, territories=monitors, password=password, email_domain=EMAIL_DOMAIN
    )
    examples = (
        f"{REPORTER_PREFIX}.{bodies[-1][1]}",
        f"{LEADER_PREFIX}.{bodies[-1][1]}",
        f"{MONITOR_PREFIX}.{monitors[0][1]}",
    )
    return users, examples
