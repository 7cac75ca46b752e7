"""registry.selectors.territory_and_below: a territory and every territory below it, level by level; the only
territory without a parent (the country) has them all, read whole."""

import pytest

from dondoc.registry.models import Jurisdiction, JurisdictionKind, Level
from dondoc.registry.selectors import territory_and_below

pytestmark = pytest.mark.django_db


def place(code: str, parent: Jurisdiction | None, level: str = Level.COMMUNE) -> Jurisdiction:
    kind = {
        Level.CENTRAL: JurisdictionKind.COUNTRY,
        Level.PROVINCE: JurisdictionKind.PROVINCE,
        Level.DISTRICT: JurisdictionKind.DISTRICT,
    }.get(level, JurisdictionKind.COMMUNE)
    return Jurisdiction.objects.create(code=code, name=code, kind=kind, level=level, parent=parent)


def test_a_territory_and_everything_below_it():
    country = place("VN", None, Level.CENTRAL)
    province = place("A", country, Level.PROVINCE)
    district = place("A.1", province, Level.DISTRICT)
    commune = place("A.1.1", district)
    merged = place("OLD", province, Level.PROVINCE)  # a province merged in 2025, under the one it joined
    old_commune = place("OLD.1", merged)
    other = place("B", country, Level.PROVINCE)
    place("B.1", other)
    below_province = {province.pk, district.pk, commune.pk, merged.pk, old_commune.pk}
    assert territory_and_below(jurisdiction_id=province.pk) == below_province
    assert territory_and_below(jurisdiction_id=merged.pk) == {merged.pk, old_commune.pk}
    assert territory_and_below(jurisdiction_id=commune.pk) == {commune.pk}

    assert list(Jurisdiction.objects.filter(parent=None)) == [country]
    everything = set(Jurisdiction.objects.values_list("id", flat=True))
    assert territory_and_below(jurisdiction_id=country.pk) == everything
    # with a second territory without a parent, the country no longer holds every territory
    stray = place("XX", None, Level.PROVINCE)
    assert territory_and_below(jurisdiction_id=country.pk) == everything
    assert territory_and_below(jurisdiction_id=stray.pk) == {stray.pk}
