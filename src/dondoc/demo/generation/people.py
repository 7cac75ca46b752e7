"""The people of the generated data: a reporter and a leader for each body named, monitors for each
territory named, one shared password (or none usable), most with an e-mail address (one in twenty without,
one in twenty who turned e-mail reminders off). Written in batches, without change history."""

from __future__ import annotations

import random
from collections.abc import Sequence

from django.contrib.auth.hashers import make_password

from dondoc.accounts.models import Membership, Role, User
from dondoc.followup.models.reminders import ChannelChoice, ReminderChannel

BATCH_SIZE = 2_000
REPORTER_PREFIX = "baocao"
LEADER_PREFIX = "lanhdao"
MONITOR_PREFIX = "theodoi"
FAMILY_NAMES = ("Nguyễn Văn", "Trần Thị", "Lê Văn", "Phạm Thị", "Hoàng Văn", "Vũ Thị", "Đỗ Văn", "Y")
GIVEN_NAMES = ("An", "Bình", "Cường", "Dung", "Hà", "Hùng", "Lan", "Minh", "Nga", "Sơn", "Thảo", "Bhiết")


def create_users(
    *,
    rng: random.Random,
    bodies: Sequence[tuple[int, str]],
    territories: Sequence[tuple[int, str]],
    password: str | None,
    email_domain: str,
) -> int:
    """`baocao.<name>` and `lanhdao.<name>` for each (body id, name), `theodoi.<name>` for each (territory id,
    name); how many users were written. The password is hashed once for all of them."""
    hashed = make_password(password)
    planned: list[tuple[User, Membership]] = []

    def person(username: str, membership: Membership) -> None:
        email = "" if rng.random() < 0.05 else f"{username}@{email_domain}"
        user = User(
            username=username,
            password=hashed,
            email=email,
            first_name=rng.choice(FAMILY_NAMES),
            last_name=rng.choice(GIVEN_NAMES),
        )
        planned.append((user, membership))

    for body_id, name in bodies:
        person(f"{REPORTER_PREFIX}.{name}", Membership(role=Role.UNIT_REPORTER, organization_id=body_id))
        person(f"{LEADER_PREFIX}.{name}", Membership(role=Role.UNIT_LEADER, organization_id=body_id))
    for territory_id, name in territories:
        person(f"{MONITOR_PREFIX}.{name}", Membership(role=Role.MONITOR, jurisdiction_id=territory_id))
    users = User.objects.bulk_create([user for user, _membership in planned], batch_size=BATCH_SIZE)
    for user, membership in planned:
        membership.user = user
    Membership.objects.bulk_create([membership for _user, membership in planned], batch_size=BATCH_SIZE)
    ChannelChoice.objects.bulk_create(
        [
            ChannelChoice(user=user, channel=ReminderChannel.EMAIL, enabled=False)
            for user in users
            if user.email and rng.random() < 0.05
        ],
        batch_size=BATCH_SIZE,
    )
    return len(users)
