"""Writes to the registry that keep its history: new versions end old rows instead of overwriting them.

Reorganisations live in reorganization.py, imports in transfer.py, the sample in sample.py.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from dondoc.registry.models import Appointment, Function, Organization, Person, Post, PostKind
from dondoc.text import collapse_spaces, nfc


class RegistryError(Exception):
    """A write the registry refuses; the message is for the user."""


@dataclass(frozen=True, slots=True)
class FunctionRevision:
    kept: int
    ended: int
    added: int


@transaction.atomic
def revise_functions(
    *, organization: Organization, items: Sequence[tuple[str, str]], on: date, source: str
) -> FunctionRevision:
    """Make (kind, text) items the body's functions from `on`: unchanged items stay as they are, items
    no longer listed end the day before, new ones begin on it; the order of `items` sets the positions."""
    if not organization.is_valid_on(on):
        raise RegistryError(
            _("%(body)s is not in existence on %(date)s.")
            % {"body": organization.name, "date": f"{on:%d/%m/%Y}"}
        )
    wanted = [(kind, collapse_spaces(nfc(text)).strip()) for kind, text in items]
    current = {(f.kind, f.text): f for f in Function.objects.as_of(on).filter(organization=organization)}
    kept = ended = added = 0
    for position, key in enumerate(wanted, start=1):
        function = current.pop(key, None)
        if function is None:
            Function.objects.create(
                organization=organization,
                kind=key[0],
                text=key[1],
                position=position,
                source=source,
                valid_from=on,
            )
            added += 1
            continue
        kept += 1
        if function.position != position:
            function.position = position
            function.save(update_fields=["position"])
    for function in current.values():
        function.valid_to = on
        function.save(update_fields=["valid_to"])
        ended += 1
    return FunctionRevision(kept=kept, ended=ended, added=added)


@transaction.atomic
def appoint(
    *, person: Person, post: Post, on: date, decision: str, is_concurrent: bool = False
) -> Appointment:
    """Appoint a person to a post from `on`. A head post has one holder at a time."""
    post = Post.objects.select_for_update().get(pk=post.pk)
    if not post.is_valid_on(on):
        raise RegistryError(
            _("The post %(post)s does not exist on %(date)s.")
            % {"post": post.title, "date": f"{on:%d/%m/%Y}"}
        )
    holders = Appointment.objects.as_of(on).filter(post=post)
    if holders.filter(person=person).exists():
        raise RegistryError(
            _("%(person)s already holds %(post)s.") % {"person": person.full_name, "post": post.title}
        )
    holder = holders.select_related("person").first() if post.kind == PostKind.HEAD else None
    if holder is not None:
        raise RegistryError(
            _("%(post)s of %(body)s is held by %(holder)s; end that appointment first.")
            % {"post": post.title, "body": post.organization.name, "holder": holder.person.full_name}
        )
    return Appointment.objects.create(
        person=person, post=post, valid_from=on, decision=decision, is_concurrent=is_concurrent
    )


def end_appointment(*, appointment: Appointment, on: date) -> Appointment:
    """The person no longer holds the post from `on` (the row stays: reports may cite it)."""
    if not appointment.valid_from < on <= appointment.valid_to:
        raise RegistryError(
            _("An appointment that began on %(start)s cannot end on %(date)s.")
            % {"start": f"{appointment.valid_from:%d/%m/%Y}", "date": f"{on:%d/%m/%Y}"}
        )
    appointment.valid_to = on
    appointment.save(update_fields=["valid_to"])
    return appointment
