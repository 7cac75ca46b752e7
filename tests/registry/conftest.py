"""A small registry of real Đắk Nông bodies, built through the ORM, for tests of registry services."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import pytest

from dondoc.registry.models import (
    Jurisdiction,
    JurisdictionKind,
    Level,
    Organization,
    OrganizationAlias,
    OrganizationGroup,
    OrganizationGroupAlias,
    OrganizationKind,
)


@dataclass
class SmallRegistry:
    territories: dict[str, Jurisdiction] = field(default_factory=dict)
    bodies: dict[str, Organization] = field(default_factory=dict)

    def territory(
        self, code: str, name: str, kind: str, level: str, parent: str | None = None
    ) -> Jurisdiction:
        self.territories[code] = Jurisdiction.objects.create(
            code=code, name=name, kind=kind, level=level, parent=self.territories.get(parent or "")
        )
        return self.territories[code]

    def body(
        self,
        code: str,
        name: str,
        kind: str,
        level: str,
        *,
        parent: str | None = None,
        territory: str | None = None,
        aliases: tuple[str, ...] = (),
        valid_from: date | None = None,
        valid_to: date | None = None,
    ) -> Organization:
        extra = {"valid_from": valid_from} if valid_from else {}
        if valid_to:
            extra["valid_to"] = valid_to
        body = Organization.objects.create(
            code=code,
            name=name,
            kind=kind,
            level=level,
            parent=self.bodies.get(parent or ""),
            jurisdiction=self.territories.get(territory or ""),
            **extra,
        )
        for alias in aliases:
            OrganizationAlias.objects.create(organization=body, text=alias)
        self.bodies[code] = body
        return body


def build_small_registry() -> SmallRegistry:
    r = SmallRegistry()
    K, L, J = OrganizationKind, Level, JurisdictionKind
    r.territory("DNO", "tỉnh Đắk Nông", J.PROVINCE, L.PROVINCE)
    r.territory("CJU", "huyện Cư Jút", J.DISTRICT, L.DISTRICT, "DNO")
    r.territory("GNG", "thành phố Gia Nghĩa", J.CITY, L.DISTRICT, "DNO")
    r.territory("TTH", "xã Tâm Thắng", J.COMMUNE, L.COMMUNE, "CJU")
    r.territory("NDU", "phường Nghĩa Đức", J.WARD, L.COMMUNE, "GNG")
    r.body("TU", "Tỉnh ủy Đắk Nông", K.PARTY_COMMITTEE, L.PROVINCE, territory="DNO", aliases=("TU",))
    r.body("BTVTU", "Ban Thường vụ Tỉnh ủy", K.STANDING_BOARD, L.PROVINCE, parent="TU", territory="DNO")
    r.body("TTTU", "Thường trực Tỉnh ủy", K.STANDING_OFFICE, L.PROVINCE, parent="TU", territory="DNO")
    r.body(
        "BTCTU",
        "Ban Tổ chức Tỉnh ủy",
        K.PARTY_ADVISORY_BODY,
        L.PROVINCE,
        parent="TU",
        territory="DNO",
        aliases=("BTCTU", "Ban Tổ chức TU"),
    )
    r.body(
        "DDHDND",
        "Đảng đoàn Hội đồng nhân dân tỉnh",
        K.PARTY_DELEGATION,
        L.PROVINCE,
        parent="TU",
        territory="DNO",
    )
    r.body(
        "BCSUBND",
        "Ban cán sự đảng Ủy ban nhân dân tỉnh",
        K.PARTY_AFFAIRS_COMMITTEE,
        L.PROVINCE,
        parent="TU",
        territory="DNO",
    )
    r.body("HDND", "Hội đồng nhân dân tỉnh Đắk Nông", K.PEOPLES_COUNCIL, L.PROVINCE, territory="DNO")
    r.body("UBND", "Ủy ban nhân dân tỉnh Đắk Nông", K.PEOPLES_COMMITTEE, L.PROVINCE, territory="DNO")
    r.body("SNV", "Sở Nội vụ", K.DEPARTMENT, L.PROVINCE, parent="UBND", territory="DNO")
    r.body(
        "SKHDT",
        "Sở Kế hoạch và Đầu tư",
        K.DEPARTMENT,
        L.PROVINCE,
        parent="UBND",
        territory="DNO",
        aliases=("Sở KH&ĐT", "Sở KHĐT"),
    )
    r.body(
        "SNGV",
        "Sở Ngoại vụ",
        K.DEPARTMENT,
        L.PROVINCE,
        parent="UBND",
        territory="DNO",
        valid_to=date(2023, 1, 1),
    )
    r.body(
        "MTTQ",
        "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh Đắk Nông",
        K.FATHERLAND_FRONT,
        L.PROVINCE,
        territory="DNO",
        aliases=("Ủy ban MTTQ tỉnh",),
    )
    r.body("HND", "Hội Nông dân tỉnh", K.SOCIO_POLITICAL_ORGANIZATION, L.PROVINCE, territory="DNO")
    r.body("HUCJ", "Huyện ủy Cư Jút", K.PARTY_COMMITTEE, L.DISTRICT, parent="TU", territory="CJU")
    r.body(
        "BTVCJ", "Ban Thường vụ Huyện ủy Cư Jút", K.STANDING_BOARD, L.DISTRICT, parent="HUCJ", territory="CJU"
    )
    r.body("UBCJ", "Ủy ban nhân dân huyện Cư Jút", K.PEOPLES_COMMITTEE, L.DISTRICT, territory="CJU")
    r.body(
        "MTCJ",
        "Ủy ban Mặt trận Tổ quốc Việt Nam huyện Cư Jút",
        K.FATHERLAND_FRONT,
        L.DISTRICT,
        territory="CJU",
    )
    r.body("TUGN", "Thành ủy Gia Nghĩa", K.PARTY_COMMITTEE, L.DISTRICT, parent="TU", territory="GNG")
    r.body(
        "BTVGN",
        "Ban Thường vụ Thành ủy Gia Nghĩa",
        K.STANDING_BOARD,
        L.DISTRICT,
        parent="TUGN",
        territory="GNG",
    )
    r.body("UBGN", "Ủy ban nhân dân thành phố Gia Nghĩa", K.PEOPLES_COMMITTEE, L.DISTRICT, territory="GNG")
    r.body("UBTT", "Ủy ban nhân dân xã Tâm Thắng", K.PEOPLES_COMMITTEE, L.COMMUNE, territory="TTH")
    r.body("UBND_NDU", "Ủy ban nhân dân phường Nghĩa Đức", K.PEOPLES_COMMITTEE, L.COMMUNE, territory="NDU")
    departments = OrganizationGroup.objects.create(
        code="SBN",
        name="Các sở, ban, ngành tỉnh",
        kinds=[K.DEPARTMENT],
        level=L.PROVINCE,
        jurisdiction=r.territories["DNO"],
    )
    for alias in ("các sở, ban, ngành", "sở, ban, ngành tỉnh"):
        OrganizationGroupAlias.objects.create(group=departments, text=alias)
    fronts = OrganizationGroup.objects.create(
        code="CTXH",
        name="Các tổ chức chính trị - xã hội tỉnh và tương đương",
    )
    fronts.members.set([r.bodies["HND"], r.bodies["MTTQ"]])
    return r


@pytest.fixture
def small_registry(db: None) -> SmallRegistry:
    return build_small_registry()
