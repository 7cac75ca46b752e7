"""The layout of the files: the kinds of row, the Vietnamese spellings of enumerations, each sheet's
columns (headers, parsers, empty values) and the order sheets are written in; shared by import and export."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from typing import Any

from django.db import models
from django.utils import translation
from django.utils.translation import gettext as _

from dondoc.registry.models import (
    OPEN_END,
    OPEN_START,
    FunctionKind,
    JobPositionGroup,
    Level,
    OrganizationKind,
    PostKind,
    StaffCategory,
)
from dondoc.registry.transfer.cells import CellError, _date, _integer, _key, _names, _text, _yes_no

# ---------------------------------------------------------------- enumerations


class TransferKind(StrEnum):
    BODIES = "bodies"
    JOB_POSITIONS = "job_positions"
    FUNCTIONS = "functions"
    POSTS = "posts"
    STAFFING_QUOTAS = "staffing_quotas"


@dataclass(frozen=True, slots=True)
class Choices:
    """The Vietnamese spellings accepted for an enumeration; the first one of each value is exported."""

    enum: type[models.TextChoices]
    spellings: tuple[tuple[str, tuple[str, ...]], ...]

    def label(self, value: str) -> str:
        return dict(self.spellings)[value][0]

    def parse(self, value: str) -> str:
        found = _choice_lookup(self).get(_key(value))
        if found is None:
            raise CellError(
                _("value '%(value)s' is not valid; choose one of: %(choices)s")
                % {"value": value, "choices": "; ".join(spellings[0] for _value, spellings in self.spellings)}
            )
        return found


@cache
def _choice_lookup(choices: Choices) -> dict[str, str]:
    lookup: dict[str, str] = {}
    with translation.override("vi"):
        for value, label in choices.enum.choices:
            # the catalogue's Vietnamese label and the code value are accepted as well as ours
            for spelling in (*dict(choices.spellings)[value], str(value), str(label)):
                lookup.setdefault(_key(spelling), str(value))
    return lookup


LEVELS = Choices(
    Level,
    (
        (Level.CENTRAL, ("trung ương", "cấp trung ương")),
        (Level.PROVINCE, ("cấp tỉnh", "tỉnh")),
        (Level.DISTRICT, ("cấp huyện", "huyện")),
        (Level.COMMUNE, ("cấp xã", "xã")),
    ),
)
ORGANIZATION_KINDS = Choices(
    OrganizationKind,
    (
        (OrganizationKind.PARTY_COMMITTEE, ("cấp ủy", "cấp ủy đảng", "đảng ủy")),
        (OrganizationKind.STANDING_BOARD, ("Ban Thường vụ",)),
        (OrganizationKind.STANDING_OFFICE, ("Thường trực",)),
        (OrganizationKind.PARTY_ADVISORY_BODY, ("cơ quan tham mưu, giúp việc cấp ủy", "ban đảng")),
        (OrganizationKind.PARTY_DELEGATION, ("Đảng đoàn",)),
        (OrganizationKind.PARTY_AFFAIRS_COMMITTEE, ("Ban cán sự đảng",)),
        (OrganizationKind.PARTY_BLOC_COMMITTEE, ("Đảng ủy khối",)),
        (OrganizationKind.INSPECTION_COMMISSION, ("Ủy ban Kiểm tra",)),
        (OrganizationKind.PEOPLES_COUNCIL, ("Hội đồng nhân dân", "HĐND")),
        (OrganizationKind.PEOPLES_COMMITTEE, ("Ủy ban nhân dân", "UBND")),
        (OrganizationKind.DEPARTMENT, ("Sở, ban, ngành", "sở", "cơ quan chuyên môn")),
        (OrganizationKind.PUBLIC_SERVICE_UNIT, ("đơn vị sự nghiệp công lập", "đơn vị sự nghiệp")),
        (OrganizationKind.FATHERLAND_FRONT, ("Mặt trận Tổ quốc", "Ủy ban MTTQ", "MTTQ")),
        (OrganizationKind.SOCIO_POLITICAL_ORGANIZATION, ("tổ chức chính trị - xã hội",)),
        (OrganizationKind.MASS_ASSOCIATION, ("hội quần chúng",)),
        (OrganizationKind.JUDICIAL_BODY, ("Tòa án, Viện kiểm sát", "tòa án", "viện kiểm sát")),
        (OrganizationKind.INTERNAL_UNIT, ("đơn vị trực thuộc", "phòng, ban trực thuộc")),
        (OrganizationKind.OTHER, ("khác", "cơ quan khác")),
    ),
)
STAFF_CATEGORIES = Choices(
    StaffCategory,
    (
        (StaffCategory.CADRE_CIVIL_SERVANT, ("cán bộ, công chức",)),
        (StaffCategory.PUBLIC_EMPLOYEE, ("viên chức",)),
        (StaffCategory.CONTRACT, ("hợp đồng lao động", "lao động hợp đồng")),
        (StaffCategory.PART_TIME, ("người hoạt động không chuyên trách", "không chuyên trách")),
    ),
)
FUNCTION_KINDS = Choices(
    FunctionKind,
    (
        (FunctionKind.FUNCTION, ("chức năng",)),
        (FunctionKind.DUTY, ("nhiệm vụ",)),
        (FunctionKind.POWER, ("quyền hạn",)),
    ),
)
JOB_POSITION_GROUPS = Choices(
    JobPositionGroup,
    (
        (JobPositionGroup.LEADERSHIP, ("lãnh đạo, quản lý",)),
        (JobPositionGroup.PROFESSIONAL, ("chuyên môn, nghiệp vụ",)),
        (JobPositionGroup.SUPPORT, ("hỗ trợ, phục vụ",)),
    ),
)
POST_KINDS = Choices(
    PostKind,
    (
        (PostKind.HEAD, ("cấp trưởng",)),
        (PostKind.DEPUTY, ("cấp phó",)),
        (PostKind.MEMBER, ("ủy viên", "thành viên")),
        (PostKind.STAFF, ("công chức, nhân viên", "nhân viên")),
    ),
)


# ---------------------------------------------------------------- sheets and columns


def _choice(choices: Choices) -> Callable[[object], str]:
    return lambda value: choices.parse(_text(value))


@dataclass(frozen=True, slots=True)
class Column:
    key: str  # the model field it fills, or a reference resolved by code (parent, organization …)
    header: str
    parse: Callable[[object], Any]
    required: bool = False
    other_headers: tuple[str, ...] = ()
    empty: Any = ""  # the value of an empty cell


@dataclass(frozen=True, slots=True)
class Sheet:
    kind: TransferKind
    title: str
    columns: tuple[Column, ...]

    def column(self, key: str) -> Column:
        return next(column for column in self.columns if column.key == key)


_VALID_FROM = Column("valid_from", "Hiệu lực từ", _date, empty=OPEN_START)
_VALID_TO = Column("valid_to", "Hiệu lực đến", _date, empty=OPEN_END)
_BODY_CODE = Column("organization", "Mã cơ quan", _text, required=True, other_headers=("Mã",))

BODIES = Sheet(
    TransferKind.BODIES,
    "Cơ quan",
    (
        Column("code", "Mã", _text, required=True, other_headers=("Mã cơ quan",)),
        Column("name", "Tên", _text, required=True, other_headers=("Tên cơ quan",)),
        Column("short_name", "Tên viết tắt", _text),
        Column("alternative", "Tên gọi khác", _names, empty=[]),
        Column("abbreviation", "Tên viết tắt khác", _names, empty=[]),
        Column("former", "Tên cũ", _names, empty=[]),
        Column("kind", "Loại", _choice(ORGANIZATION_KINDS), required=True, other_headers=("Loại cơ quan",)),
        Column("level", "Cấp", _choice(LEVELS), required=True),
        Column("parent", "Mã cơ quan cấp trên", _text, empty=None),
        Column("jurisdiction", "Mã địa bàn", _text, empty=None),
        Column("outside_jurisdiction", "Ngoài địa bàn", _yes_no, empty=False),
        _VALID_FROM,
        _VALID_TO,
    ),
)
JOB_POSITIONS = Sheet(
    TransferKind.JOB_POSITIONS,
    "Vị trí việc làm",
    (
        _BODY_CODE,
        Column("name", "Tên", _text, required=True, other_headers=("Tên vị trí việc làm", "Vị trí việc làm")),
        Column("group", "Nhóm", _choice(JOB_POSITION_GROUPS), required=True, other_headers=("Nhóm vị trí",)),
        Column("competencies", "Khung năng lực", _names, empty=[]),
        Column("description", "Bản mô tả", _text, other_headers=("Mô tả",)),
        Column("planned_count", "Số lượng dự kiến", _integer, empty=1),
        Column("filled_count", "Số lượng hiện có", _integer, empty=0),
        _VALID_FROM,
        _VALID_TO,
    ),
)
FUNCTIONS = Sheet(
    TransferKind.FUNCTIONS,
    "Chức năng",
    (
        _BODY_CODE,
        Column("position", "Thứ tự", _integer, required=True, other_headers=("STT", "Số thứ tự")),
        Column("kind", "Loại", _choice(FUNCTION_KINDS), empty=FunctionKind.DUTY),
        Column("text", "Nội dung", _text, required=True),
        Column("source", "Căn cứ", _text, other_headers=("Căn cứ pháp lý",)),
        _VALID_FROM,
        _VALID_TO,
    ),
)
POSTS = Sheet(
    TransferKind.POSTS,
    "Chức vụ",
    (
        _BODY_CODE,
        Column("title", "Chức danh", _text, required=True, other_headers=("Chức vụ",)),
        Column("kind", "Loại", _choice(POST_KINDS), required=True),
        Column("category", "Đối tượng", _choice(STAFF_CATEGORIES), empty=StaffCategory.CADRE_CIVIL_SERVANT),
        Column("job_position", "Vị trí việc làm", _text, empty=None),
        _VALID_FROM,
        _VALID_TO,
    ),
)
STAFFING_QUOTAS = Sheet(
    TransferKind.STAFFING_QUOTAS,
    "Biên chế",
    (
        _BODY_CODE,
        Column("year", "Năm", _integer, required=True),
        Column("category", "Đối tượng", _choice(STAFF_CATEGORIES), required=True),
        Column("assigned", "Biên chế được giao", _integer, required=True, other_headers=("Số được giao",)),
        Column("decision", "Quyết định giao", _text, other_headers=("Quyết định",)),
    ),
)
# in the order they are written: a sheet refers only to sheets before it
SHEETS: tuple[Sheet, ...] = (BODIES, JOB_POSITIONS, FUNCTIONS, POSTS, STAFFING_QUOTAS)
_SHEET_OF = {sheet.kind: sheet for sheet in SHEETS}


def parse_kind(text: str) -> TransferKind:
    """A kind named by its code value ('bodies') or its sheet title ('Cơ quan', 'co quan')."""
    for sheet in SHEETS:
        if _key(text) in (_key(sheet.kind.value), _key(sheet.title)):
            return sheet.kind
    raise ValueError(
        _("unknown kind '%(kind)s'; choose one of: %(kinds)s")
        % {"kind": text, "kinds": ", ".join(f"{sheet.kind.value} ({sheet.title})" for sheet in SHEETS)}
    )
