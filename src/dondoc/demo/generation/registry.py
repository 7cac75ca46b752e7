"""The registry of the generated data: the provinces as they were until 30 June 2025 (63 provinces, districts,
communes and their bodies) and as they are since 1 July 2025 (34 provinces, no district level, about a third
as many communes), joined by the 2025 mergers as real history.

The mergers go through the registry's own services (`plan_reorganizations`, then `commit_reorganizations`
with the plans' fingerprints), two programs per new province: first the provincial bodies of merged provinces
and each new commune's bodies (a merger of the old communes' bodies of the same kind, a renaming where a
commune stands alone), then the districts' bodies, dissolved with their open work handed to the bodies that
took it on (the Party, State and Front bodies to those of the commune holding the former district seat, the
district offices to the province's department). So the directives app moves the open assignments as it does
for a user's plan. The commune offices created in 2025 (no predecessor) are written directly.

Simplifications, stated: the provincial apparatus is the one of spring 2025 before and after (the March 2025
mergers of departments and Party boards are not replayed); the territories' validity is written when they are
created (the old provinces of a merger placed under the new one, as registry/history_2025.py does); the bodies
and territories written directly carry no change history (the services write theirs).
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date

from dondoc.registry.history_2025 import EFFECTIVE_ON
from dondoc.registry.models import (
    OPEN_END,
    OPEN_START,
    Jurisdiction,
    JurisdictionKind,
    Level,
    Organization,
    OrganizationKind,
    ReorganizationKind,
)
from dondoc.registry.reorganization import (
    NewBody,
    ReorganizationRequest,
    commit_reorganizations,
    plan_reorganizations,
)
from dondoc.text import fold

BATCH_SIZE = 2_000

# Nghị quyết 202/2025/QH15: the 34 provinces from 1 July 2025, each with the provinces it was formed from
PROVINCES_2025: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Hà Nội", ("Hà Nội",)),
    ("Huế", ("Huế",)),
    ("Lai Châu", ("Lai Châu",)),
    ("Điện Biên", ("Điện Biên",)),
    ("Sơn La", ("Sơn La",)),
    ("Lạng Sơn", ("Lạng Sơn",)),
    ("Quảng Ninh", ("Quảng Ninh",)),
    ("Thanh Hóa", ("Thanh Hóa",)),
    ("Nghệ An", ("Nghệ An",)),
    ("Hà Tĩnh", ("Hà Tĩnh",)),
    ("Cao Bằng", ("Cao Bằng",)),
    ("Tuyên Quang", ("Tuyên Quang", "Hà Giang")),
    ("Lào Cai", ("Lào Cai", "Yên Bái")),
    ("Thái Nguyên", ("Thái Nguyên", "Bắc Kạn")),
    ("Phú Thọ", ("Phú Thọ", "Vĩnh Phúc", "Hòa Bình")),
    ("Bắc Ninh", ("Bắc Ninh", "Bắc Giang")),
    ("Hưng Yên", ("Hưng Yên", "Thái Bình")),
    ("Hải Phòng", ("Hải Phòng", "Hải Dương")),
    ("Ninh Bình", ("Ninh Bình", "Hà Nam", "Nam Định")),
    ("Quảng Trị", ("Quảng Trị", "Quảng Bình")),
    ("Đà Nẵng", ("Đà Nẵng", "Quảng Nam")),
    ("Quảng Ngãi", ("Quảng Ngãi", "Kon Tum")),
    ("Gia Lai", ("Gia Lai", "Bình Định")),
    ("Khánh Hòa", ("Khánh Hòa", "Ninh Thuận")),
    ("Lâm Đồng", ("Lâm Đồng", "Đắk Nông", "Bình Thuận")),
    ("Đắk Lắk", ("Đắk Lắk", "Phú Yên")),
    ("Hồ Chí Minh", ("Hồ Chí Minh", "Bình Dương", "Bà Rịa - Vũng Tàu")),
    ("Đồng Nai", ("Đồng Nai", "Bình Phước")),
    ("Tây Ninh", ("Tây Ninh", "Long An")),
    ("Cần Thơ", ("Cần Thơ", "Sóc Trăng", "Hậu Giang")),
    ("Vĩnh Long", ("Vĩnh Long", "Bến Tre", "Trà Vinh")),
    ("Đồng Tháp", ("Đồng Tháp", "Tiền Giang")),
    ("Cà Mau", ("Cà Mau", "Bạc Liêu")),
    ("An Giang", ("An Giang", "Kiên Giang")),
)
CITIES = frozenset({"Hà Nội", "Huế", "Hải Phòng", "Đà Nẵng", "Hồ Chí Minh", "Cần Thơ"})
COMMUNES_PER_PROVINCE = (70, 125)  # 3,321 communes in 34 provinces since 1 July 2025: about 98 each
COMMUNES_PER_DISTRICT = (4, 6)  # new communes per former district: about 700 districts before
OLD_PER_NEW_COMMUNE = {1: 10, 2: 25, 3: 35, 4: 20, 5: 10}  # ~10,000 communes became ~3,300: about 3 to 1
PROVINCE_DECISION = (
    "Nghị quyết số 202/2025/QH15 ngày 12/6/2025 của Quốc hội về việc sắp xếp đơn vị hành chính cấp tỉnh"
)
DISTRICT_DECISION = (
    "Nghị quyết số 203/2025/QH15 ngày 16/6/2025 của Quốc hội sửa đổi, bổ sung một số điều của Hiến pháp: "
    "kết thúc hoạt động của đơn vị hành chính cấp huyện"
)

_FIRST_SYLLABLES = (
    "Tân", "Phú", "An", "Hòa", "Bình", "Long", "Phước", "Thạnh", "Đông", "Tây", "Quảng", "Đức", "Hưng",
    "Vĩnh", "Xuân", "Thanh", "Minh", "Ea", "Đắk", "Krông", "Hồng", "Yên", "Kim", "Mỹ", "Thuận", "Gia",
    "Lộc", "Cát", "Nghĩa", "Trường",
)  # fmt: skip
_SECOND_SYLLABLES = (
    "Phú", "An", "Hòa", "Bình", "Lợi", "Thành", "Lộc", "Sơn", "Hải", "Tiến", "Thịnh", "Phát", "Trung",
    "Hưng", "Thuận", "Khánh", "Lâm", "Hà", "Nghĩa", "Tân", "Mới", "Điền", "Lập", "Long", "Xuyên", "Đông",
    "Tây", "Nam", "Bắc", "Quang",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class BodyKind:
    """One body every territory of a level has: its code suffix, its name (a pattern over the territory's
    names), its kind, the suffix of its parent in the same territory, and for a district's body where its
    open work goes when the district level ends ("commune:DU": the seat commune's Party committee)."""

    suffix: str
    name: str
    kind: OrganizationKind
    parent: str = ""
    successor: str = ""


K = OrganizationKind
PROVINCE_BODIES = (
    BodyKind("TU", "{committee}", K.PARTY_COMMITTEE),
    BodyKind("BTV", "Ban Thường vụ {committee}", K.STANDING_BOARD, "TU"),
    BodyKind("VPTU", "Văn phòng {committee}", K.PARTY_ADVISORY_BODY, "TU"),
    BodyKind("BTCTU", "Ban Tổ chức {committee}", K.PARTY_ADVISORY_BODY, "TU"),
    BodyKind("BTGDV", "Ban Tuyên giáo và Dân vận {committee}", K.PARTY_ADVISORY_BODY, "TU"),
    BodyKind("UBKT", "Ủy ban Kiểm tra {committee}", K.INSPECTION_COMMISSION, "TU"),
    BodyKind("BNC", "Ban Nội chính {committee}", K.PARTY_ADVISORY_BODY, "TU"),
    BodyKind("DUCQD", "Đảng ủy các cơ quan Đảng {place}", K.PARTY_BLOC_COMMITTEE, "TU"),
    BodyKind("DUUB", "Đảng ủy Ủy ban nhân dân {place}", K.PARTY_BLOC_COMMITTEE, "TU"),
    BodyKind("TCT", "Trường Chính trị {place}", K.PUBLIC_SERVICE_UNIT, "TU"),
    BodyKind("HDND", "Hội đồng nhân dân {place}", K.PEOPLES_COUNCIL),
    BodyKind("VPDBQH", "Văn phòng Đoàn đại biểu Quốc hội và Hội đồng nhân dân {place}", K.DEPARTMENT, "HDND"),
    BodyKind("UBND", "Ủy ban nhân dân {place}", K.PEOPLES_COMMITTEE),
    BodyKind("VPUB", "Văn phòng Ủy ban nhân dân {place}", K.DEPARTMENT, "UBND"),
    BodyKind("SNV", "Sở Nội vụ {place}", K.DEPARTMENT, "UBND"),
    BodyKind("STC", "Sở Tài chính {place}", K.DEPARTMENT, "UBND"),
    BodyKind("STP", "Sở Tư pháp {place}", K.DEPARTMENT, "UBND"),
    BodyKind("SCT", "Sở Công Thương {place}", K.DEPARTMENT, "UBND"),
    BodyKind("SXD", "Sở Xây dựng {place}", K.DEPARTMENT, "UBND"),
    BodyKind("SNNMT", "Sở Nông nghiệp và Môi trường {place}", K.DEPARTMENT, "UBND"),
    BodyKind("SKHCN", "Sở Khoa học và Công nghệ {place}", K.DEPARTMENT, "UBND"),
    BodyKind("SGDDT", "Sở Giáo dục và Đào tạo {place}", K.DEPARTMENT, "UBND"),
    BodyKind("SYT", "Sở Y tế {place}", K.DEPARTMENT, "UBND"),
    BodyKind("SVHTTDL", "Sở Văn hóa, Thể thao và Du lịch {place}", K.DEPARTMENT, "UBND"),
    BodyKind("SDTTG", "Sở Dân tộc và Tôn giáo {place}", K.DEPARTMENT, "UBND"),
    BodyKind("TTR", "Thanh tra {place}", K.DEPARTMENT, "UBND"),
    BodyKind("TTHCC", "Trung tâm Phục vụ hành chính công {place}", K.PUBLIC_SERVICE_UNIT, "UBND"),
    BodyKind("BPTTH", "Báo và Phát thanh, Truyền hình {name}", K.PUBLIC_SERVICE_UNIT, "UBND"),
    BodyKind("BVDK", "Bệnh viện Đa khoa {place}", K.PUBLIC_SERVICE_UNIT, "SYT"),
    BodyKind("TAND", "Tòa án nhân dân {place}", K.JUDICIAL_BODY),
    BodyKind("VKSND", "Viện kiểm sát nhân dân {place}", K.JUDICIAL_BODY),
    BodyKind("MTTQ", "Ủy ban Mặt trận Tổ quốc Việt Nam {place}", K.FATHERLAND_FRONT),
    BodyKind("HLHPN", "Hội Liên hiệp Phụ nữ {place}", K.SOCIO_POLITICAL_ORGANIZATION, "MTTQ"),
    BodyKind("DTN", "{youth}", K.SOCIO_POLITICAL_ORGANIZATION, "MTTQ"),
    BodyKind("HND", "Hội Nông dân {place}", K.SOCIO_POLITICAL_ORGANIZATION, "MTTQ"),
    BodyKind("HCCB", "Hội Cựu chiến binh {place}", K.SOCIO_POLITICAL_ORGANIZATION, "MTTQ"),
    BodyKind("LDLD", "Liên đoàn Lao động {place}", K.SOCIO_POLITICAL_ORGANIZATION, "MTTQ"),
    BodyKind("HCTD", "Hội Chữ thập đỏ {place}", K.MASS_ASSOCIATION, "MTTQ"),
    BodyKind("LHHKHKT", "Liên hiệp các Hội Khoa học và Kỹ thuật {place}", K.MASS_ASSOCIATION, "MTTQ"),
)
DISTRICT_BODIES = (
    BodyKind("HU", "Huyện ủy {name}", K.PARTY_COMMITTEE, successor="commune:DU"),
    BodyKind("BTV", "Ban Thường vụ Huyện ủy {name}", K.STANDING_BOARD, "HU", "commune:DU"),
    BodyKind("HDND", "Hội đồng nhân dân {place}", K.PEOPLES_COUNCIL, successor="commune:HDND"),
    BodyKind("UBND", "Ủy ban nhân dân {place}", K.PEOPLES_COMMITTEE, successor="commune:UBND"),
    BodyKind(
        "MTTQ", "Ủy ban Mặt trận Tổ quốc Việt Nam {place}", K.FATHERLAND_FRONT, successor="commune:MTTQ"
    ),
    BodyKind("PNV", "Phòng Nội vụ {place}", K.DEPARTMENT, "UBND", "province:SNV"),
    BodyKind("PTCKH", "Phòng Tài chính - Kế hoạch {place}", K.DEPARTMENT, "UBND", "province:STC"),
    BodyKind("PTP", "Phòng Tư pháp {place}", K.DEPARTMENT, "UBND", "province:STP"),
    BodyKind("PGDDT", "Phòng Giáo dục và Đào tạo {place}", K.DEPARTMENT, "UBND", "province:SGDDT"),
    BodyKind("PTNMT", "Phòng Tài nguyên và Môi trường {place}", K.DEPARTMENT, "UBND", "province:SNNMT"),
    BodyKind("PYT", "Phòng Y tế {place}", K.DEPARTMENT, "UBND", "province:SYT"),
)
COMMUNE_BODIES = (
    BodyKind("DU", "Đảng ủy {place}", K.PARTY_COMMITTEE),
    BodyKind("HDND", "Hội đồng nhân dân {place}", K.PEOPLES_COUNCIL),
    BodyKind("UBND", "Ủy ban nhân dân {place}", K.PEOPLES_COMMITTEE),
    BodyKind("MTTQ", "Ủy ban Mặt trận Tổ quốc Việt Nam {place}", K.FATHERLAND_FRONT),
    BodyKind("HLHPN", "Hội Liên hiệp Phụ nữ {place}", K.SOCIO_POLITICAL_ORGANIZATION, "MTTQ"),
    BodyKind("DTN", "Đoàn Thanh niên Cộng sản Hồ Chí Minh {place}", K.SOCIO_POLITICAL_ORGANIZATION, "MTTQ"),
    BodyKind("HND", "Hội Nông dân {place}", K.SOCIO_POLITICAL_ORGANIZATION, "MTTQ"),
    BodyKind("HCCB", "Hội Cựu chiến binh {place}", K.SOCIO_POLITICAL_ORGANIZATION, "MTTQ"),
)
# the offices every commune has had since the district level ended; no body before them did their work
COMMUNE_OFFICES_2025 = (
    BodyKind("VP", "Văn phòng Hội đồng nhân dân và Ủy ban nhân dân {place}", K.INTERNAL_UNIT, "UBND"),
    BodyKind("PKT", "Phòng Kinh tế {place}", K.INTERNAL_UNIT, "UBND"),
    BodyKind("PVHXH", "Phòng Văn hóa - Xã hội {place}", K.INTERNAL_UNIT, "UBND"),
    BodyKind("TTHCC", "Trung tâm Phục vụ hành chính công {place}", K.PUBLIC_SERVICE_UNIT, "UBND"),
)
CENTRAL_BODIES = (
    BodyKind("BCHTW", "Ban Chấp hành Trung ương Đảng Cộng sản Việt Nam", K.PARTY_COMMITTEE),
    BodyKind("BCT", "Bộ Chính trị", K.STANDING_BOARD, "BCHTW"),
    BodyKind("BBT", "Ban Bí thư", K.STANDING_BOARD, "BCHTW"),
    BodyKind("BTCTW", "Ban Tổ chức Trung ương", K.PARTY_ADVISORY_BODY, "BCHTW"),
    BodyKind("VPTW", "Văn phòng Trung ương Đảng", K.PARTY_ADVISORY_BODY, "BCHTW"),
)
COUNTRY = "VN"


@dataclass(frozen=True, slots=True)
class Place:
    """A territory of the layout: its code, the names its bodies' names are made of, its kind and level."""

    code: str
    name: str  # "Lâm Đồng"
    place: str  # "tỉnh Lâm Đồng", "xã Tân Phú"
    kind: JurisdictionKind
    level: Level
    committee: str = ""  # "Tỉnh ủy Lâm Đồng", "Thành ủy Huế"
    youth: str = ""  # "Tỉnh đoàn Lâm Đồng"

    def body_code(self, suffix: str) -> str:
        return f"{self.code}.{suffix}"

    def body_name(self, kind: BodyKind) -> str:
        return kind.name.format(name=self.name, place=self.place, committee=self.committee, youth=self.youth)


@dataclass(slots=True)
class District:
    place: Place
    old_communes: list[Place] = field(default_factory=list)
    new_communes: list[Place] = field(default_factory=list)  # the first holds the former district seat


@dataclass(slots=True)
class Province:
    """A province since 1 July 2025, with the provinces it was formed from (itself when it stands alone),
    their districts and old communes, and which old communes each new commune was formed from."""

    place: Place
    former: list[Place]
    districts: dict[str, list[District]] = field(default_factory=dict)  # former province code → districts
    new_communes: list[Place] = field(default_factory=list)
    formed_from: dict[str, list[Place]] = field(default_factory=dict)  # new commune code → old communes

    @property
    def merged(self) -> bool:
        return len(self.former) > 1


@dataclass(frozen=True, slots=True)
class Layout:
    provinces: tuple[Province, ...]
    central: bool


COUNTRY_PLACE = Place(COUNTRY, "Việt Nam", "Việt Nam", JurisdictionKind.COUNTRY, Level.CENTRAL)


def slug(name: str) -> str:
    return re.sub(r"[^A-Z0-9]+", "-", fold(name).upper()).strip("-")


def _province_place(name: str, code: str) -> Place:
    city = name in CITIES
    return Place(
        code=code,
        name=name,
        place=f"{'thành phố' if city else 'tỉnh'} {name}",
        kind=JurisdictionKind.CENTRAL_CITY if city else JurisdictionKind.PROVINCE,
        level=Level.PROVINCE,
        committee=f"{'Thành ủy' if city else 'Tỉnh ủy'} {name}",
        youth=f"{'Thành đoàn' if city else 'Tỉnh đoàn'} {name}",
    )


def _commune_place(code: str, name: str, kind: JurisdictionKind) -> Place:
    word = {JurisdictionKind.WARD: "phường", JurisdictionKind.TOWNSHIP: "thị trấn"}.get(kind, "xã")
    return Place(code=code, name=name, place=f"{word} {name}", kind=kind, level=Level.COMMUNE)


def plan_layout(*, rng: random.Random, provinces: Sequence[str], central: bool) -> Layout:
    """The territories of the named provinces (since 2025) before and after, drawn from `rng`."""
    wanted = [(name, former) for name, former in PROVINCES_2025 if name in provinces]
    names = [f"{first} {second}" for first in _FIRST_SYLLABLES for second in _SECOND_SYLLABLES]
    sizes, weights = zip(*OLD_PER_NEW_COMMUNE.items(), strict=True)
    laid_out = []
    for name, former_names in wanted:
        code = slug(name) if len(former_names) == 1 else f"{slug(name)}-2025"
        province = Province(
            place=_province_place(name, code),
            former=[_province_place(former, slug(former)) for former in former_names],
        )
        communes = rng.randint(*COMMUNES_PER_PROVINCE)
        new_names = iter(rng.sample(names, communes))
        shares = _split(rng, communes, len(province.former))
        for former, share in zip(province.former, shares, strict=True):
            old_names = iter(rng.sample(names, len(names)))
            districts = province.districts[former.code] = []
            while share > 0:
                in_district = min(share, rng.randint(*COMMUNES_PER_DISTRICT))
                share -= in_district
                district_name = next(old_names)
                district = District(
                    Place(
                        code=f"{former.code}.H{len(districts) + 1:02d}",
                        name=district_name,
                        place=f"huyện {district_name}",
                        kind=JurisdictionKind.DISTRICT,
                        level=Level.DISTRICT,
                    )
                )
                districts.append(district)
                for _ in range(in_district):
                    kind = JurisdictionKind.WARD if rng.random() < 0.2 else JurisdictionKind.COMMUNE
                    new = _commune_place(
                        f"{code}.X{len(province.new_communes) + 1:03d}", next(new_names), kind
                    )
                    province.new_communes.append(new)
                    district.new_communes.append(new)
                    olds: list[Place] = []
                    for _ in range(rng.choices(sizes, weights)[0]):
                        draw = rng.random()
                        old_kind = (
                            JurisdictionKind.WARD
                            if draw < 0.12
                            else JurisdictionKind.TOWNSHIP
                            if draw < 0.17
                            else JurisdictionKind.COMMUNE
                        )
                        old_code = f"{district.place.code}.X{len(district.old_communes) + len(olds) + 1:02d}"
                        olds.append(_commune_place(old_code, next(old_names), old_kind))
                    district.old_communes += olds
                    province.formed_from[new.code] = olds
        laid_out.append(province)
    return Layout(tuple(laid_out), central)


def _split(rng: random.Random, total: int, parts: int) -> list[int]:
    """`total` in `parts` random shares of at least one each."""
    cuts = sorted(rng.sample(range(1, total), parts - 1))
    return [b - a for a, b in zip([0, *cuts], [*cuts, total], strict=True)]


# --- writing ------------------------------------------------------------------------------------------------


def write_territories(layout: Layout) -> None:
    """Every territory, before and after, with its validity: the country, the provinces (a merger's former
    provinces end on 1 July 2025 under the new one), the districts and old communes ending that day, the new
    communes beginning it."""
    country = Jurisdiction.objects.create(
        code=COUNTRY, name=COUNTRY_PLACE.place, kind=COUNTRY_PLACE.kind, level=COUNTRY_PLACE.level
    )

    def row(place: Place, parent: Jurisdiction, valid_from: date, valid_to: date) -> Jurisdiction:
        return Jurisdiction(
            code=place.code,
            name=place.place,
            kind=place.kind,
            level=place.level,
            parent=parent,
            valid_from=valid_from,
            valid_to=valid_to,
        )

    provinces = Jurisdiction.objects.bulk_create(
        [row(p.place, country, EFFECTIVE_ON if p.merged else OPEN_START, OPEN_END) for p in layout.provinces]
    )
    by_code = {territory.code: territory for territory in provinces}
    former = Jurisdiction.objects.bulk_create(
        [
            row(old, by_code[p.place.code], OPEN_START, EFFECTIVE_ON)
            for p in layout.provinces
            if p.merged
            for old in p.former
        ]
    )
    by_code |= {territory.code: territory for territory in former}
    districts = Jurisdiction.objects.bulk_create(
        [
            row(district.place, by_code[old], OPEN_START, EFFECTIVE_ON)
            for p in layout.provinces
            for old, in_province in p.districts.items()
            for district in in_province
        ],
        batch_size=BATCH_SIZE,
    )
    by_code |= {territory.code: territory for territory in districts}
    Jurisdiction.objects.bulk_create(
        [
            *(
                row(commune, by_code[district.place.code], OPEN_START, EFFECTIVE_ON)
                for p in layout.provinces
                for in_province in p.districts.values()
                for district in in_province
                for commune in district.old_communes
            ),
            *(
                row(commune, by_code[p.place.code], EFFECTIVE_ON, OPEN_END)
                for p in layout.provinces
                for commune in p.new_communes
            ),
        ],
        batch_size=BATCH_SIZE,
    )


def _bodies_of(
    place: Place, kinds: Sequence[BodyKind], valid_from: date = OPEN_START
) -> Iterator[Organization]:
    for kind in kinds:
        name = place.body_name(kind)
        yield Organization(
            code=place.body_code(kind.suffix),
            name=name,
            folded_name=fold(name),
            kind=kind.kind,
            level=place.level,
            valid_from=valid_from,
        )


def _write_bodies(rows: Sequence[tuple[Organization, str, str]]) -> None:
    """Bodies with (territory code, parent code), written generation by generation so that each parent,
    among them or already in the registry, exists before its children."""
    territories = dict(Jurisdiction.objects.values_list("code", "id"))
    written = {body.code for body, _place, _parent in rows}
    outside = {parent for _body, _place, parent in rows if parent and parent not in written}
    ids: dict[str, int] = dict(Organization.objects.filter(code__in=outside).values_list("code", "id"))
    pending = list(rows)
    while pending:
        ready = [(body, place, parent) for body, place, parent in pending if not parent or parent in ids]
        if not ready:
            raise ValueError(f"no parent for {pending[0][0].code}")
        for body, place, parent in ready:
            body.jurisdiction_id = territories[place]
            body.parent_id = ids[parent] if parent else None
        created = Organization.objects.bulk_create(
            [body for body, _place, _parent in ready], batch_size=BATCH_SIZE
        )
        ids |= {body.code: body.pk for body in created}
        pending = [(body, place, parent) for body, place, parent in pending if body.code not in ids]


def _rows(
    place: Place, kinds: Sequence[BodyKind], valid_from: date = OPEN_START
) -> list[tuple[Organization, str, str]]:
    return [
        (body, place.code, place.body_code(kind.parent) if kind.parent else "")
        for body, kind in zip(_bodies_of(place, kinds, valid_from), kinds, strict=True)
    ]


def write_bodies_before(layout: Layout) -> None:
    """The bodies as they were until 30 June 2025 (and the central bodies, which go on)."""
    rows = []
    if layout.central:
        rows += _rows(COUNTRY_PLACE, CENTRAL_BODIES)
    for province in layout.provinces:
        for former in province.former:
            rows += _rows(former, PROVINCE_BODIES)
            for district in province.districts[former.code]:
                rows += _rows(district.place, DISTRICT_BODIES)
                for commune in district.old_communes:
                    rows += _rows(commune, COMMUNE_BODIES)
    _write_bodies(rows)


def commit_2025_history(layout: Layout) -> int:
    """The 2025 mergers, province by province through the reorganisation services; then the communes' new
    offices. Returns the number of reorganisations committed."""
    committed = 0
    for province in layout.provinces:
        committed += _commit(_merger_requests(province), note=PROVINCE_DECISION)
        committed += _commit(_district_requests(province), note=DISTRICT_DECISION)
    rows = [
        row
        for province in layout.provinces
        for commune in province.new_communes
        for row in _rows(commune, COMMUNE_OFFICES_2025, EFFECTIVE_ON)
    ]
    _write_bodies(rows)
    return committed


def _commit(requests: Sequence[ReorganizationRequest], note: str) -> int:
    if not requests:
        return 0
    plans = plan_reorganizations(requests)
    commit_reorganizations(plans=plans, fingerprints=[plan.fingerprint for plan in plans], note=note)
    return len(plans)


def _commune_decision(province: Province) -> str:
    return (
        "Nghị quyết của Ủy ban Thường vụ Quốc hội về việc sắp xếp các đơn vị hành chính cấp xã của "
        f"{province.place.place} năm 2025"
    )


def _merger_requests(province: Province) -> list[ReorganizationRequest]:
    """A merged province's bodies, kind by kind, and every new commune's bodies from its old communes'."""
    wanted = [province.place, *province.new_communes]
    territories = Jurisdiction.objects.in_bulk([place.code for place in wanted], field_name="code")
    codes = [
        old.body_code(kind.suffix)
        for olds in province.formed_from.values()
        for old in olds
        for kind in COMMUNE_BODIES
    ]
    if province.merged:
        codes += [former.body_code(kind.suffix) for former in province.former for kind in PROVINCE_BODIES]
    bodies = Organization.objects.in_bulk(codes, field_name="code")
    requests = []
    if province.merged:
        requests += _merge(
            province.place, province.former, PROVINCE_BODIES, bodies, territories, PROVINCE_DECISION
        )
    decision = _commune_decision(province)
    for commune in province.new_communes:
        requests += _merge(
            commune, province.formed_from[commune.code], COMMUNE_BODIES, bodies, territories, decision
        )
    return requests


def _merge(
    place: Place,
    former: Sequence[Place],
    kinds: Sequence[BodyKind],
    bodies: dict[str, Organization],
    territories: dict[str, Jurisdiction],
    decision: str,
) -> list[ReorganizationRequest]:
    """One request per kind of body: the former places' bodies of that kind into the new place's."""
    made: dict[str, NewBody] = {}
    requests = []
    for kind in kinds:
        name = place.body_name(kind)
        made[kind.suffix] = NewBody(
            code=place.body_code(kind.suffix),
            name=name,
            kind=kind.kind,
            level=place.level,
            parent=made[kind.parent] if kind.parent else None,
            jurisdiction=territories[place.code],
        )
        requests.append(
            ReorganizationRequest(
                kind=ReorganizationKind.MERGE if len(former) > 1 else ReorganizationKind.RENAME,
                originals=[bodies[old.body_code(kind.suffix)] for old in former],
                effective_on=EFFECTIVE_ON,
                decision=decision,
                new_bodies=[made[kind.suffix]],
            )
        )
    return requests


def _district_requests(province: Province) -> list[ReorganizationRequest]:
    """Every district body dissolved, its open work to the seat commune's body or the province's
    department of the same field."""
    successors: dict[str, str] = {}
    originals: list[str] = []
    for districts in province.districts.values():
        for district in districts:
            seat = district.new_communes[0]
            for kind in DISTRICT_BODIES:
                level, suffix = kind.successor.split(":")
                heir = seat if level == "commune" else province.place
                originals.append(district.place.body_code(kind.suffix))
                successors[originals[-1]] = heir.body_code(suffix)
    bodies = Organization.objects.in_bulk([*originals, *set(successors.values())], field_name="code")
    return [
        ReorganizationRequest(
            kind=ReorganizationKind.DISSOLVE,
            originals=[bodies[code]],
            effective_on=EFFECTIVE_ON,
            decision=DISTRICT_DECISION,
            successor=bodies[successors[code]],
        )
        for code in originals
    ]


def bodies_on(day: date) -> dict[str, int]:
    """Code → id of every body valid on the day."""
    return dict(Organization.objects.as_of(day).values_list("code", "id"))
