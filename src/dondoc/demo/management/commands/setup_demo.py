"""`manage.py setup_demo`: what `make run` needs on top of the sample registry, idempotent: the seed letter
imported and published once, two districts' plans carrying it out after it (demo/chain.py), one demo user
per role with a fresh random password each run, printed. The unit leader also chairs the district's People's
Council, as a Party secretary does: a person with two roles, who chooses the one to act in."""

from __future__ import annotations

import hashlib
import secrets
from argparse import ArgumentParser
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _

import dondoc
from dondoc import clock
from dondoc.accounts.models import Membership, Role, User
from dondoc.accounts.services import add_membership, create_member
from dondoc.demo.activity import spread_reports
from dondoc.demo.chain import carry_out_seed_letter
from dondoc.demo.followup import follow_up_seed_letter
from dondoc.directives.models import Assignment, Directive, DirectiveState
from dondoc.directives.services import DirectiveError, DuplicateDirective, create_draft, publish_directive
from dondoc.parsing import parse_text
from dondoc.reading import ReadError, read_document
from dondoc.registry.history_2025 import (
    EFFECTIVE_ON,
    LOADED_MARKER,
    HistoryAlreadyLoaded,
    HistoryError,
    load_2025_reorganization,
)
from dondoc.registry.models import Jurisdiction, Organization

SEED = Path(dondoc.__file__).resolve().parent / "samples" / "1317-CV-TU.md"
# the seed letter's one phrase the registry cannot resolve; the demo decides it means no further body
VAGUE = "Các cơ quan, đơn vị liên quan"
URL = "http://127.0.0.1:8000"


@dataclass(frozen=True, slots=True)
class DemoUser:
    username: str
    role: Role
    body: str | None = None
    territory: str | None = None
    also: tuple[tuple[Role, str], ...] = ()  # further roles in other bodies: (role, body code)


# the district bodies are Cư Jút's standing board, which leads task 9 of the seed letter with its peers
DEMO_USERS = (
    DemoUser("admin", Role.ADMINISTRATOR),
    DemoUser("monitor", Role.MONITOR, "DNO.BTCTU", "DNO"),
    DemoUser("reporter", Role.UNIT_REPORTER, "CJU.BTV"),
    DemoUser("leader", Role.UNIT_LEADER, "CJU.BTV", also=((Role.UNIT_LEADER, "CJU.HDND"),)),
    DemoUser("reader", Role.READER, None, "DNO"),
    DemoUser("auditor", Role.AUDITOR),
)


# Since 1 July 2025 the demo's people work for the bodies that took over theirs (registry/history_2025.py):
# role, body and territory before → body and territory after. Their memberships move once the history is in.
MOVED_IN_2025: dict[tuple[Role, str | None, str | None], tuple[str | None, str | None]] = {
    (Role.MONITOR, "DNO.BTCTU", "DNO"): ("LDG.BTCTU", "LDG"),
    (Role.READER, None, "DNO"): (None, "LDG"),
    (Role.UNIT_REPORTER, "CJU.BTV", None): ("LDG-CU-JUT.DU", None),
    (Role.UNIT_LEADER, "CJU.BTV", None): ("LDG-CU-JUT.DU", None),
    (Role.UNIT_LEADER, "CJU.HDND", None): ("LDG-CU-JUT.UBND", None),
}


def move_to_2025_bodies(*, users: dict[str, User]) -> int:
    """The demo users' memberships in bodies and territories the 2025 reorganisation ended, moved to those
    that took over (the change history keeps the old ones); how many moved."""
    moved = 0
    memberships = Membership.objects.filter(user__in=users.values()).select_related(
        "organization", "jurisdiction"
    )
    for membership in memberships:
        before = (
            Role(membership.role),
            membership.organization.code if membership.organization else None,
            membership.jurisdiction.code if membership.jurisdiction else None,
        )
        after = MOVED_IN_2025.get(before)
        if after is None:
            continue
        body, territory = after
        membership.organization = Organization.objects.get(code=body) if body else None
        membership.jurisdiction = Jurisdiction.objects.get(code=territory) if territory else None
        membership.save(update_fields=["organization", "jurisdiction"])
        moved += 1
    return moved


def seed_directive(*, monitor: User) -> tuple[Directive, bool]:
    """The seed letter, imported and published by the demo monitor unless dondoc already holds it; True when
    published now."""
    try:
        document = read_document(SEED)
    except ReadError as error:
        raise CommandError(str(error)) from error
    sha256 = hashlib.sha256(SEED.read_bytes()).hexdigest()
    try:
        directive = create_draft(
            parsed=parse_text(document.text),
            source_text=document.text,
            file_sha256=sha256,
            imported_by=monitor,
        )
    except DuplicateDirective as duplicate:
        directive = duplicate.existing
    if directive.state == DirectiveState.PUBLISHED:
        return directive, False
    try:
        publish_directive(directive=directive, decisions={VAGUE: []}, reviewed_by=monitor)
    except DirectiveError as error:
        raise CommandError(str(error)) from error
    directive.refresh_from_db()
    return directive, True


@transaction.atomic
def demo_user(spec: DemoUser, password: str) -> User:
    """The user with its roles, created when missing; its password replaced by `password` either way."""
    organization = Organization.objects.get(code=spec.body) if spec.body else None
    jurisdiction = Jurisdiction.objects.get(code=spec.territory) if spec.territory else None
    user = User.objects.filter(username=spec.username).first()
    if user is None:
        user = create_member(
            username=spec.username,
            password=password,
            role=spec.role,
            organization=organization,
            jurisdiction=jurisdiction,
        )
    else:
        user.set_password(password)
        user.is_active = True
        user.save(update_fields=["password", "is_active"])
        if not Membership.objects.filter(user=user).exists():
            add_membership(user=user, role=spec.role, organization=organization, jurisdiction=jurisdiction)
    for role, code in spec.also:
        body = Organization.objects.get(code=code)
        moved = (role, code, None) in MOVED_IN_2025 and Organization.objects.filter(
            code=LOADED_MARKER
        ).exists()
        if not moved and not Membership.objects.filter(user=user, role=role, organization=body).exists():
            add_membership(user=user, role=role, organization=body)
    if spec.role == Role.ADMINISTRATOR and not (user.is_staff and user.is_superuser):
        # the administrator keeps users, the registry and the rules in Django's admin
        user.is_staff = user.is_superuser = True
        user.save(update_fields=["is_staff", "is_superuser"])
    return user


class Command(BaseCommand):
    help = (
        "Import and publish the seed letter and two districts' plans carrying it out unless they are there, "
        "and give each demo user (one per role) a new random password, printed with the address to open."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--url", default=URL, help="the address printed for the demo users")

    def handle(self, *args: Any, **options: Any) -> None:
        if not Organization.objects.exists():
            raise CommandError(_("The registry is empty: run `manage.py load_sample_registry` first."))
        rows: list[tuple[str, str, str, str]] = []
        users: dict[str, User] = {}
        passwords: dict[str, str] = {}
        for spec in DEMO_USERS:
            passwords[spec.username] = password = secrets.token_urlsafe(9)
            users[spec.username] = demo_user(spec, password)
        directive, published_now = seed_directive(monitor=users["monitor"])
        if published_now:
            spread_reports(
                directive=directive,
                monitor=users["monitor"],
                published_on=directive.issued_on,
                today=clock.today(),
            )
            follow_up_seed_letter(directive=directive, users=users, today=clock.today())
            message = _("Published %(number)s (%(tasks)d tasks, %(assignments)d assignments).")
        else:
            message = _("%(number)s is already published (%(tasks)d tasks, %(assignments)d assignments).")
        assignments = Assignment.objects.filter(task__directive=directive).count()
        self.stdout.write(
            message
            % {
                "number": directive.number,
                "tasks": directive.tasks.count(),
                "assignments": assignments,
            }
        )
        try:
            plans = carry_out_seed_letter(monitor=users["monitor"], today=clock.today())
        except DirectiveError as error:
            raise CommandError(str(error)) from error
        if plans:
            self.stdout.write(
                _("Published the districts' plans carrying it out: %(numbers)s.")
                % {"numbers": ", ".join(plan.number for plan in plans)}
            )
        self.commit_2025_history(users)
        for spec in DEMO_USERS:
            memberships = Membership.objects.select_related("organization", "jurisdiction").filter(
                user=users[spec.username]
            )
            for number, membership in enumerate(memberships.order_by("id")):
                place = membership.organization or membership.jurisdiction
                place_name = str(place.name) if place else ""
                shown = (spec.username, passwords[spec.username]) if number == 0 else ("", "")
                rows.append((*shown, membership.get_role_display(), place_name))
        headers = (_("user name"), _("password"), _("role"), _("body or territory"))
        widths = [max(len(row[column]) for row in (headers, *rows)) for column in range(len(headers))]
        self.stdout.write("")
        self.stdout.write(_("Open %(url)s and log in as one of these demo users:") % {"url": options["url"]})
        for row in (headers, *rows):
            cells = (cell.ljust(width) for cell, width in zip(row, widths, strict=True))
            self.stdout.write(("  " + "  ".join(cells)).rstrip())

    def commit_2025_history(self, users: dict[str, User]) -> None:
        """The 2025 reorganisation on top of the 2023 letter and its reports, so the demo shows the history
        and the seed letter's open assignments carried by the bodies that took them over; the demo users
        then work for the bodies that took over theirs."""
        today = clock.today()
        if today < EFFECTIVE_ON:  # a demonstration fixed on an earlier day shows the registry of that day
            return
        try:
            history = load_2025_reorganization(today=today)
        except HistoryAlreadyLoaded as loaded:
            self.stdout.write(str(loaded))
            move_to_2025_bodies(users=users)  # users created again since
            return
        except HistoryError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            _(
                "Committed the 2025 reorganisation: %(events)d events, %(carried)d open assignments "
                "handed on to the bodies that carry them."
            )
            % {"events": sum(history.events.values()), "carried": history.open_work_carried}
        )
        move_to_2025_bodies(users=users)
