"""Writes: users with their roles, the role a user acts in, API tokens."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

from django.contrib.sessions.backends.base import SessionBase
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from dondoc.accounts.models import ApiToken, Membership, Role, User
from dondoc.accounts.scope import SESSION_KEY
from dondoc.registry.models import Jurisdiction, Organization


@transaction.atomic
def create_member(
    *,
    username: str,
    password: str,
    role: Role,
    full_name: str = "",
    organization: Organization | None = None,
    jurisdiction: Jurisdiction | None = None,
) -> User:
    """A user with their first role, validated (a unit role needs its body, a monitor or reader a
    jurisdiction); add_membership gives them more."""
    first, _, last = full_name.rpartition(" ")
    administrator = role == Role.ADMINISTRATOR  # users, registry and rules are kept in the admin site
    user = User.objects.create_user(
        username,
        password=password,
        first_name=first,
        last_name=last,
        is_staff=administrator,
        is_superuser=administrator,
    )
    add_membership(user=user, role=role, organization=organization, jurisdiction=jurisdiction)
    return user


def add_membership(
    *,
    user: User,
    role: Role,
    organization: Organization | None = None,
    jurisdiction: Jurisdiction | None = None,
) -> Membership:
    """One more role for a person who holds several posts, validated like the first."""
    membership = Membership(user=user, role=role, organization=organization, jurisdiction=jurisdiction)
    membership.full_clean()
    membership.save()
    return membership


def choose_membership(*, session: SessionBase, user: User, membership_id: int) -> Membership:
    """The role the user acts in for the rest of the session; one that is not theirs is refused."""
    membership = Membership.objects.filter(pk=membership_id, user=user).first()
    if membership is None:
        raise PermissionDenied
    session[SESSION_KEY] = membership.pk
    return membership


def token_digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class IssuedToken:
    token: ApiToken
    key: str  # shown to the user once; only its digest is kept


def issue_token(*, user: User, name: str) -> IssuedToken:
    key = "dd_" + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, name=name.strip() or "API", prefix=key[:8], digest=token_digest(key)
    )
    return IssuedToken(token, key)


def revoke_token(*, token: ApiToken) -> None:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
