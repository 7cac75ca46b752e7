"""What a monitor sees is the same whether the territory's bodies and the tasks they issued are named as lists
of ids (the usual case) or, past directives.access.LISTED_IDS, as subqueries; and a territory with nothing
in it sees nothing, without an error."""

import pytest

from dondoc.accounts.models import Role
from dondoc.accounts.scope import build_scope
from dondoc.accounts.services import create_member
from dondoc.directives import access
from dondoc.directives.access import assignments_for, directives_for
from dondoc.registry.models import Jurisdiction


def seen(user) -> tuple[set[int], set[int]]:
    scope = build_scope(user=user)
    return (
        set(assignments_for(scope).values_list("id", flat=True)),
        set(directives_for(scope).values_list("id", flat=True)),
    )


@pytest.mark.parametrize("listed", [0, 1, 10_000])
def test_listed_or_as_subqueries_the_monitor_sees_the_same(published, users, monkeypatch, listed):
    expected = seen(users["monitor"])
    monkeypatch.setattr(access, "LISTED_IDS", listed)
    assert seen(users["monitor"]) == expected
    assert expected[0] and published.pk in expected[1]


def test_a_territory_with_no_body_sees_nothing(published, users):
    province = Jurisdiction.objects.get(code="DNO")
    empty = Jurisdiction.objects.create(code="LDO", name="Lâm Đồng", kind=province.kind, level=province.level)
    outsider = create_member(username="ngoai", password="x-y-z-1234", role=Role.MONITOR, jurisdiction=empty)
    assignments, directives = seen(outsider)
    assert assignments == set() and published.pk not in directives
