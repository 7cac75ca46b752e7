"""The scope a request acts in: the signed-in user, the membership chosen for the session (a person may hold
several posts, so several memberships), its role, and the territories whose bodies it looks up.

It is built once per request, by the page guard (`accounts.access.role_required`) and by the API's
authentication, and every access rule takes it rather than a user: the membership is looked up once and the
territory tree read once, however many querysets the request starts from."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, TypeVar

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import QuerySet

from dondoc.accounts.models import (
    HISTORY_ROLES,
    JURISDICTION_ROLES,
    MANAGING_ROLES,
    UNIT_ROLES,
    Membership,
    Role,
)
from dondoc.registry.selectors import territory_and_below

T = TypeVar("T")

# the membership a user chose for this session (absent: their first one)
SESSION_KEY = "dondoc_membership"


@dataclass(frozen=True)
class Scope:
    user_id: int
    membership: Membership  # the chosen one, with its body and territory loaded: the page frame names them
    memberships: tuple[Membership, ...]  # every one the user holds, for the switcher
    _remembered: dict[str, Any] = field(default_factory=dict, init=False, compare=False, repr=False)

    def remember(self, key: str, compute: Callable[[], T]) -> T:
        """What an app computes from this scope once per request (the scope lives as long as the request),
        such as the ids of what a territory holds: `compute` the first time `key` is asked."""
        if key not in self._remembered:
            self._remembered[key] = compute()
        value: T = self._remembered[key]
        return value

    @cached_property
    def territory_ids(self) -> frozenset[int] | None:
        """Whose bodies this scope looks up (None: every territory), read from the territory tree the first
        time a page asks, once per request; a unit's pages mostly never do."""
        return _territories(self.membership)

    @property
    def region_id(self) -> int | None:
        """A monitor's or reader's territory when it is a region (a province of the country: the territory
        right under the root), which its bodies and their assignments carry as a key of their own."""
        territory = self.membership.jurisdiction
        if self.follows_jurisdiction and territory is not None and territory.region_id == territory.pk:
            return territory.pk
        return None

    @property
    def role(self) -> Role:
        return Role(self.membership.role)

    @property
    def organization_id(self) -> int | None:
        return self.membership.organization_id

    @property
    def jurisdiction_id(self) -> int | None:
        return self.membership.jurisdiction_id

    @property
    def is_unit(self) -> bool:
        """A body's reporter or leader: acts on that body's own assignments."""
        return self.role in UNIT_ROLES

    @property
    def follows_jurisdiction(self) -> bool:
        """A monitor or reader: sees what concerns the bodies of a territory and below."""
        return self.role in JURISDICTION_ROLES

    @property
    def manages(self) -> bool:
        """The Organization Commission's work (and the administrator's): import, review, publish, decide."""
        return self.role in MANAGING_ROLES

    @property
    def reads_history(self) -> bool:
        """The change log of everything, not only of what the scope sees."""
        return self.role in HISTORY_ROLES


def memberships_of(*, user_id: int) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(user_id=user_id)
        .select_related("organization", "jurisdiction")
        .order_by("id")
    )


def _territories(membership: Membership) -> frozenset[int] | None:
    """A monitor's or reader's jurisdiction and below; a unit's own territory and below (whose bodies it may
    look up, not whose assignments it sees); everywhere for an administrator or auditor."""
    if membership.role in JURISDICTION_ROLES:
        if membership.jurisdiction_id is None:
            return frozenset()
        return frozenset(territory_and_below(jurisdiction_id=membership.jurisdiction_id))
    if membership.role in UNIT_ROLES:
        organization = membership.organization
        if organization is None or organization.jurisdiction_id is None:
            return frozenset()
        return frozenset(territory_and_below(jurisdiction_id=organization.jurisdiction_id))
    return None


def scope_of_membership(membership: Membership) -> Scope:
    """The scope of one membership alone, for work done outside a request in its name (a report job, a kept
    dashboard's refresh)."""
    return Scope(user_id=membership.user_id, membership=membership, memberships=(membership,))


def build_scope(*, user: AbstractBaseUser | AnonymousUser, chosen: Any = None) -> Scope | None:
    """The scope of a user acting through the membership `chosen` (its id, from the session), or through their
    first one when that is absent or no longer theirs; None for an anonymous user or one without a role."""
    if not user.is_authenticated or user.pk is None:
        return None
    memberships = tuple(memberships_of(user_id=user.pk))
    if not memberships:
        return None
    membership = next((each for each in memberships if each.pk == chosen), memberships[0])
    return Scope(user_id=user.pk, membership=membership, memberships=memberships)
