"""Bodies through the API, as of a date, within the territories the caller looks bodies up in."""

from __future__ import annotations

from datetime import date

import pytest
from tests.api.conftest import ROLES, items

from dondoc.registry.models import Organization, OrganizationKind

# the provincial Organization Commission (territory DNO)
# and Cư Jút's standing board (territory CJU, under DNO)
SEES_PROVINCE = {"admin", "monitor", "reader", "auditor"}


@pytest.mark.parametrize("role", ROLES)
def test_each_role_reads_the_bodies_of_its_territories(users, api_for, role):
    client = api_for(role)
    province, cu_jut = Organization.objects.get(code="DNO.BTCTU"), Organization.objects.get(code="CJU.BTV")
    dak_song = Organization.objects.get(code="DSO.BTV")
    assert client.get(f"/api/bodies/{province.pk}").status_code == (200 if role in SEES_PROVINCE else 404)
    own = {"reporter": cu_jut, "leader": cu_jut, "other_reporter": dak_song, "other_leader": dak_song}
    if role in own:
        other = dak_song if own[role] == cu_jut else cu_jut
        assert client.get(f"/api/bodies/{own[role].pk}").status_code == 200
        assert client.get(f"/api/bodies/{other.pk}").status_code == 404
        codes = {row["code"] for row in items(client.get("/api/bodies/?page_size=200"))}
        assert own[role].code in codes and other.code not in codes and province.code not in codes
    else:
        assert client.get(f"/api/bodies/{cu_jut.pk}").status_code == 200


def test_a_body_carries_its_parent_territory_and_aliases(users, api_for):
    commission = Organization.objects.get(code="DNO.BTCTU")
    detail = api_for("monitor").get(f"/api/bodies/{commission.pk}").json()
    assert detail["code"] == "DNO.BTCTU" and detail["name"] == commission.name
    assert detail["jurisdiction"]["code"] == "DNO" and detail["parent"]["id"] == commission.parent_id
    assert {alias["text"] for alias in detail["aliases"]} == set(
        commission.aliases.values_list("text", flat=True)
    )
    assert detail["aliases"], "the sample names the commission BTCTU"


def test_bodies_are_found_without_diacritics_by_kind_and_by_territory(users, api_for):
    client = api_for("admin")
    found = items(client.get("/api/bodies/?q=ban to chuc tinh uy"))
    assert "DNO.BTCTU" in {row["code"] for row in found}
    boards = items(client.get("/api/bodies/?kind=standing_board&jurisdiction=CJU&page_size=200"))
    assert {row["code"] for row in boards} == {"CJU.BTV"}
    assert all(row["kind"] == OrganizationKind.STANDING_BOARD for row in boards)
    assert items(client.get("/api/bodies/?jurisdiction=NOWHERE")) == []
    assert client.get("/api/bodies/?kind=club").status_code == 422


def test_bodies_are_read_as_of_a_date(users, api_for):
    Organization.objects.create(
        name="Ban Tổ chức lâm thời",
        code="DNO.OLD",
        kind=OrganizationKind.OTHER,
        level="province",
        valid_from=date(2020, 1, 1),
        valid_to=date(2022, 1, 1),
    )
    client = api_for("admin")
    assert [row["code"] for row in items(client.get("/api/bodies/?q=lam thoi"))] == []
    assert [row["code"] for row in items(client.get("/api/bodies/?q=lam thoi&on=2021-06-01"))] == ["DNO.OLD"]
    assert client.get("/api/bodies/?on=1/6/2021").status_code == 422
