"""core.expressions.IdsIn: the same rows as `__in` with the same list, negated, combined with other conditions
and inside a subquery, on either database; refused empty."""

from __future__ import annotations

import pytest
from django.db.models import Exists, OuterRef, Q

from dondoc.core.expressions import IdsIn
from dondoc.registry.models import Jurisdiction, Organization


@pytest.fixture
def bodies(registry: None) -> list[int]:
    return sorted(Organization.objects.values_list("id", flat=True))


def test_the_same_rows_as_in_plain_negated_and_combined(bodies):
    chosen = bodies[::3]
    assert set(Organization.objects.filter(IdsIn("id", chosen)).values_list("id", flat=True)) == set(chosen)
    assert set(Organization.objects.filter(~Q(IdsIn("id", chosen))).values_list("id", flat=True)) == (
        set(bodies) - set(chosen)
    )
    either = Organization.objects.filter(Q(IdsIn("id", chosen[:2])) | Q(IdsIn("id", chosen[-1:])))
    assert set(either.values_list("id", flat=True)) == {*chosen[:2], chosen[-1]}
    assert list(Organization.objects.filter(IdsIn("id", chosen), id__in=chosen[:1])) == list(
        Organization.objects.filter(id=chosen[0])
    )


def test_inside_a_subquery_on_a_related_column(bodies):
    placed = list(
        Organization.objects.exclude(jurisdiction=None).values_list("jurisdiction_id", flat=True)[:3]
    )
    holding = Jurisdiction.objects.filter(
        Exists(Organization.objects.filter(IdsIn("jurisdiction_id", placed), jurisdiction_id=OuterRef("pk")))
    )
    assert set(holding.values_list("id", flat=True)) == set(placed)


def test_an_empty_list_is_refused():
    with pytest.raises(ValueError, match="at least one id"):
        IdsIn("id", [])


def test_on_postgresql_the_list_is_one_parameter(bodies):
    """psycopg writes each parameter into the statement in Python: thousands of ids as one array, not
    thousands of placeholders."""
    from django.db import connection

    sql, parameters = Organization.objects.filter(IdsIn("id", bodies)).query.sql_with_params()
    if connection.vendor == "postgresql":
        assert parameters == ("{" + ",".join(map(str, bodies)) + "}",) and "= ANY(%s::bigint[])" in sql
    else:
        assert parameters == tuple(bodies)
