"""Import and export of the registry: real .xlsx and .csv files written into tmp_path, then read back."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from datetime import date, datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from dondoc.registry.models import (
    OPEN_END,
    OPEN_START,
    AliasKind,
    Appointment,
    Function,
    FunctionKind,
    JobPosition,
    JobPositionGroup,
    Jurisdiction,
    JurisdictionKind,
    Level,
    Organization,
    OrganizationAlias,
    OrganizationGroup,
    OrganizationKind,
    Post,
    PostKind,
    Reorganization,
    StaffCategory,
    StaffingQuota,
    StaffRecord,
)
from dondoc.registry.sample import load_sample_registry
from dondoc.registry.transfer import (
    MAX_FILE_BYTES,
    MAX_ROWS,
    ImportResult,
    TransferKind,
    export_registry,
    import_registry_file,
)

ROOT = Path(__file__).resolve().parents[2]
BODY_HEADER = [
    "Mã",
    "Tên",
    "Tên viết tắt",
    "Tên gọi khác",
    "Loại",
    "Cấp",
    "Mã cơ quan cấp trên",
    "Mã địa bàn",
    "Hiệu lực từ",
    "Hiệu lực đến",
]


def write_xlsx(path: Path, sheets: dict[str, list[list[Any]]]) -> Path:
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)  # type: ignore[arg-type]
    for title, rows in sheets.items():
        worksheet = workbook.create_sheet(title)
        for row in rows:
            worksheet.append(row)
    workbook.save(path)
    return path


def write_csv(path: Path, rows: list[list[str]], *, delimiter: str = ",", bom: bool = True) -> Path:
    text = "\r\n".join(delimiter.join(cells) for cells in rows) + "\r\n"
    path.write_bytes(("\ufeff" if bom else "").encode() + text.encode("utf-8"))
    return path


def where(result: ImportResult) -> list[tuple[str, int | None, str]]:
    return [(problem.sheet, problem.row, problem.column) for problem in result.errors]


@pytest.fixture
def province(db: None) -> Jurisdiction:
    return Jurisdiction.objects.create(
        code="DNO", name="tỉnh Đắk Nông", kind=JurisdictionKind.PROVINCE, level=Level.PROVINCE
    )


def body_row(
    code: str,
    name: str,
    kind: str = "Sở, ban, ngành",
    level: str = "cấp tỉnh",
    parent: str = "",
    valid_from: Any = None,
    valid_to: Any = None,
    aliases: str = "",
    short: str = "",
) -> list[Any]:
    return [code, name, short, aliases, kind, level, parent, "DNO", valid_from, valid_to]


# ---------------------------------------------------------------- happy paths, one per kind


def test_a_workbook_of_every_kind_creates_its_rows(tmp_path: Path, province: Jurisdiction) -> None:
    path = write_xlsx(
        tmp_path / "so-dang-ky.xlsx",
        {
            "Cơ quan": [
                BODY_HEADER,
                body_row(
                    "UBND",
                    "Ủy ban nhân dân tỉnh Đắk Nông",
                    "Ủy ban nhân dân",
                    aliases="UBND tỉnh; UBND tỉnh Đắk Nông",
                ),
                body_row("SNV", "Sở Nội vụ", parent="UBND", short="SNV", valid_from="01/01/2008"),
            ],
            "Vị trí việc làm": [
                ["Mã cơ quan", "Tên", "Nhóm", "Khung năng lực", "Số lượng dự kiến"],
                ["SNV", "Giám đốc Sở", "lãnh đạo, quản lý", "Quản lý nhà nước; Lãnh đạo", 1],
                ["SNV", "Chuyên viên tổ chức bộ máy", "chuyên môn, nghiệp vụ", "", 4],
            ],
            "Chức năng": [
                ["Mã cơ quan", "Thứ tự", "Loại", "Nội dung", "Căn cứ"],
                [
                    "SNV",
                    1,
                    "chức năng",
                    "Tham mưu UBND tỉnh quản lý nhà nước về nội vụ",
                    "Thông tư 04/2022/TT-BNV",
                ],
                ["SNV", 2, "nhiệm vụ", "Trình UBND tỉnh dự thảo quyết định về tổ chức bộ máy", ""],
            ],
            "Chức vụ": [
                ["Mã cơ quan", "Chức danh", "Loại", "Đối tượng", "Vị trí việc làm"],
                ["SNV", "Giám đốc", "cấp trưởng", "cán bộ, công chức", "Giám đốc Sở"],
                ["SNV", "Phó Giám đốc", "cấp phó", "", ""],
            ],
            "Biên chế": [
                ["Mã cơ quan", "Năm", "Đối tượng", "Biên chế được giao", "Quyết định giao"],
                ["SNV", 2023, "cán bộ, công chức", 52, "Quyết định số 123/QĐ-UBND"],
                ["SNV", 2023, "viên chức", 18, ""],
            ],
        },
    )

    result = import_registry_file(path=path)

    assert result.ok, [str(problem) for problem in result.errors]
    assert {kind: counts.created for kind, counts in result.counts.items()} == {
        TransferKind.BODIES: 2,
        TransferKind.JOB_POSITIONS: 2,
        TransferKind.FUNCTIONS: 2,
        TransferKind.POSTS: 2,
        TransferKind.STAFFING_QUOTAS: 2,
    }
    department = Organization.objects.get(code="SNV")
    assert (department.parent.code if department.parent else None, department.kind, department.level) == (
        "UBND",
        OrganizationKind.DEPARTMENT,
        Level.PROVINCE,
    )
    assert department.jurisdiction == province
    assert department.valid_from == date(2008, 1, 1) and department.valid_to == OPEN_END
    assert department.folded_name == "so noi vu"
    assert sorted(
        OrganizationAlias.objects.filter(organization__code="UBND").values_list("text", flat=True)
    ) == ["UBND tỉnh", "UBND tỉnh Đắk Nông"]
    director = JobPosition.objects.get(name="Giám đốc Sở")
    assert (director.group, director.competencies) == (
        JobPositionGroup.LEADERSHIP,
        ["Quản lý nhà nước", "Lãnh đạo"],
    )
    assert list(Function.objects.filter(organization=department).values_list("position", "kind")) == [
        (1, FunctionKind.FUNCTION),
        (2, FunctionKind.DUTY),
    ]
    head = Post.objects.get(title="Giám đốc")
    assert (head.kind, head.job_position) == (PostKind.HEAD, director)
    assert Post.objects.get(title="Phó Giám đốc").category == StaffCategory.CADRE_CIVIL_SERVANT
    assert dict(StaffingQuota.objects.values_list("category", "assigned")) == {
        StaffCategory.CADRE_CIVIL_SERVANT: 52,
        StaffCategory.PUBLIC_EMPLOYEE: 18,
    }
    [record] = department.history.all()  # the change history records bulk writes too, and their source
    assert "so-dang-ky.xlsx" in record.history_change_reason


def test_a_sheet_of_bodies_alone_is_a_whole_import(tmp_path: Path, province: Jurisdiction) -> None:
    path = write_xlsx(tmp_path / "co-quan.xlsx", {"Cơ quan": [BODY_HEADER, body_row("STP", "Sở Tư pháp")]})
    result = import_registry_file(path=path)
    assert result.ok and result.counts[TransferKind.BODIES].created == 1


# ---------------------------------------------------------------- all or nothing


def test_three_bad_rows_among_fifty_write_nothing_and_are_all_reported(
    tmp_path: Path, province: Jurisdiction
) -> None:
    rows = [BODY_HEADER] + [body_row(f"S{n:02}", f"Sở số {n}") for n in range(50)]
    rows[7][5] = "cấp vũ trụ"  # Excel row 8: an unknown level
    rows[20][8] = "31/02/2023"  # Excel row 21: no such day
    rows[33][6] = "KHONG-CO"  # Excel row 34: a parent that exists nowhere
    path = write_xlsx(tmp_path / "50.xlsx", {"Cơ quan": rows})

    result = import_registry_file(path=path)

    assert where(result) == [
        ("Cơ quan", 8, "Cấp"),
        ("Cơ quan", 21, "Hiệu lực từ"),
        ("Cơ quan", 34, "Mã cơ quan cấp trên"),
    ]
    assert "cấp vũ trụ" in str(result.errors[0]) and "KHONG-CO" in str(result.errors[2])
    assert Organization.objects.count() == 0


def test_a_failed_update_changes_nothing(tmp_path: Path, province: Jurisdiction) -> None:
    Organization.objects.create(
        code="SNV", name="Sở Nội vụ", kind=OrganizationKind.DEPARTMENT, level=Level.PROVINCE
    )
    path = write_xlsx(
        tmp_path / "sua.xlsx",
        {
            "Cơ quan": [
                BODY_HEADER,
                body_row("SNV", "Sở Nội vụ tỉnh Đắk Nông"),
                body_row("STC", "Sở Tài chính", level="liên hành tinh"),
            ]
        },
    )

    result = import_registry_file(path=path)

    assert where(result) == [("Cơ quan", 3, "Cấp")]
    assert Organization.objects.get(code="SNV").name == "Sở Nội vụ"
    assert not Organization.objects.filter(code="STC").exists()


def test_every_error_of_a_row_is_reported(tmp_path: Path, province: Jurisdiction) -> None:
    path = write_xlsx(
        tmp_path / "nhieu-loi.xlsx",
        {"Cơ quan": [BODY_HEADER, ["X1", "", "", "", "không rõ", "tinh tế", "", "DNO", "hôm qua", None]]},
    )
    result = import_registry_file(path=path)
    assert where(result) == [
        ("Cơ quan", 2, "Tên"),
        ("Cơ quan", 2, "Loại"),
        ("Cơ quan", 2, "Cấp"),
        ("Cơ quan", 2, "Hiệu lực từ"),
    ]


def test_a_validity_that_ends_before_it_begins_is_a_row_error(tmp_path: Path, province: Jurisdiction) -> None:
    path = write_xlsx(
        tmp_path / "hieu-luc.xlsx",
        {
            "Cơ quan": [
                BODY_HEADER,
                body_row("SNV", "Sở Nội vụ", valid_from="01/07/2025", valid_to="01/01/2025"),
            ]
        },
    )
    result = import_registry_file(path=path)
    assert where(result) == [("Cơ quan", 2, "Hiệu lực đến")]


def test_a_code_given_twice_is_a_row_error(tmp_path: Path, province: Jurisdiction) -> None:
    path = write_xlsx(
        tmp_path / "trung.xlsx",
        {"Cơ quan": [BODY_HEADER, body_row("SNV", "Sở Nội vụ"), body_row("snv", "Sở Nội vụ (bản sao)")]},
    )
    result = import_registry_file(path=path)
    assert where(result) == [("Cơ quan", 3, "")]
    assert "2" in result.errors[0].message


def test_parents_that_loop_are_refused(tmp_path: Path, province: Jurisdiction) -> None:
    path = write_xlsx(
        tmp_path / "vong.xlsx",
        {
            "Cơ quan": [
                BODY_HEADER,
                body_row("A", "Cơ quan A", parent="B"),
                body_row("B", "Cơ quan B", parent="A"),
            ]
        },
    )
    result = import_registry_file(path=path)
    assert where(result) == [("Cơ quan", 2, "Mã cơ quan cấp trên"), ("Cơ quan", 3, "Mã cơ quan cấp trên")]
    assert "A → B → A" in result.errors[0].message


def test_a_reference_to_an_unknown_body_in_another_sheet_is_reported(
    tmp_path: Path, province: Jurisdiction
) -> None:
    path = write_xlsx(
        tmp_path / "bien-che.xlsx",
        {
            "Biên chế": [
                ["Mã cơ quan", "Năm", "Đối tượng", "Biên chế được giao"],
                ["SO-MA", 2024, "viên chức", 3],
            ]
        },
    )
    result = import_registry_file(path=path)
    assert where(result) == [("Biên chế", 2, "Mã cơ quan")]
    assert StaffingQuota.objects.count() == 0


def test_a_dry_run_writes_nothing(tmp_path: Path, province: Jurisdiction) -> None:
    path = write_xlsx(tmp_path / "thu.xlsx", {"Cơ quan": [BODY_HEADER, body_row("SNV", "Sở Nội vụ")]})
    result = import_registry_file(path=path, dry_run=True)
    assert result.ok and result.counts[TransferKind.BODIES].created == 1
    assert Organization.objects.count() == 0


# ---------------------------------------------------------------- what the file may look like


def test_a_parent_may_come_after_its_child(tmp_path: Path, province: Jurisdiction) -> None:
    path = write_xlsx(
        tmp_path / "nguoc.xlsx",
        {
            "Cơ quan": [
                BODY_HEADER,
                body_row("PTCCB", "Phòng Tổ chức cán bộ", "đơn vị trực thuộc", parent="SNV"),
                body_row("SNV", "Sở Nội vụ", parent="UBND"),
                body_row("UBND", "Ủy ban nhân dân tỉnh", "UBND"),
            ]
        },
    )
    result = import_registry_file(path=path)
    assert result.ok, [str(problem) for problem in result.errors]
    unit = Organization.objects.select_related("parent__parent").get(code="PTCCB")
    assert unit.parent is not None and unit.parent.parent is not None
    assert (unit.parent.code, unit.parent.parent.code) == ("SNV", "UBND")


def test_headers_match_without_case_or_diacritics_in_any_order(
    tmp_path: Path, province: Jurisdiction
) -> None:
    path = write_xlsx(
        tmp_path / "tieu-de.xlsx",
        {
            "co quan": [
                ["CẤP", "Ma co quan", "TÊN", "loai", "hieu luc tu", "Ma co quan cap tren"],
                ["tỉnh", "UBND", "Ủy ban nhân dân tỉnh", "Ủy ban nhân dân", "", ""],
                ["tỉnh", "SNV", "Sở Nội vụ", "sở", "2008-01-01", "UBND"],
            ]
        },
    )
    result = import_registry_file(path=path)
    assert result.ok, [str(problem) for problem in result.errors]
    assert Organization.objects.get(code="SNV").valid_from == date(2008, 1, 1)


def test_an_unknown_column_is_named(tmp_path: Path, province: Jurisdiction) -> None:
    path = write_xlsx(
        tmp_path / "cot-la.xlsx",
        {"Cơ quan": [[*BODY_HEADER, "Ghi chú"], [*body_row("SNV", "Sở Nội vụ"), "xem lại"]]},
    )
    result = import_registry_file(path=path)
    assert len(result.errors) == 1 and "'Ghi chú'" in result.errors[0].message
    assert Organization.objects.count() == 0


def test_values_under_no_header_are_refused(tmp_path: Path, province: Jurisdiction) -> None:
    path = write_xlsx(
        tmp_path / "khong-tieu-de.xlsx",
        {"Cơ quan": [BODY_HEADER, [*body_row("SNV", "Sở Nội vụ"), None, "ghi chú lạc"]]},
    )
    [problem] = import_registry_file(path=path).errors
    assert problem.message.endswith("L")  # the column as Excel letters it


def test_a_missing_required_column_is_named(tmp_path: Path, province: Jurisdiction) -> None:
    path = write_xlsx(
        tmp_path / "thieu-cot.xlsx", {"Cơ quan": [["Mã", "Tên", "Loại"], ["SNV", "Sở Nội vụ", "sở"]]}
    )
    result = import_registry_file(path=path)
    assert len(result.errors) == 1 and "'Cấp'" in result.errors[0].message


@pytest.mark.parametrize(
    ("kind", "level", "expected"),
    [
        ("Sở, ban, ngành", "cấp tỉnh", (OrganizationKind.DEPARTMENT, Level.PROVINCE)),
        ("SỞ BAN NGÀNH", "tỉnh", (OrganizationKind.DEPARTMENT, Level.PROVINCE)),
        ("department", "province", (OrganizationKind.DEPARTMENT, Level.PROVINCE)),
        (
            "tổ chức chính trị-xã hội",
            "Cấp huyện",
            (OrganizationKind.SOCIO_POLITICAL_ORGANIZATION, Level.DISTRICT),
        ),
        ("Ban Thường vụ", "cap xa", (OrganizationKind.STANDING_BOARD, Level.COMMUNE)),
        ("đơn vị sự nghiệp công lập", "trung ương", (OrganizationKind.PUBLIC_SERVICE_UNIT, Level.CENTRAL)),
    ],
)
def test_enumerations_accept_vietnamese_labels_and_codes(
    tmp_path: Path, province: Jurisdiction, kind: str, level: str, expected: tuple[str, str]
) -> None:
    path = write_xlsx(
        tmp_path / "nhan.xlsx", {"Cơ quan": [BODY_HEADER, body_row("X", "Cơ quan X", kind, level)]}
    )
    result = import_registry_file(path=path)
    assert result.ok, [str(problem) for problem in result.errors]
    body = Organization.objects.get(code="X")
    assert (body.kind, body.level) == expected


def test_an_unknown_label_lists_the_accepted_ones(tmp_path: Path, province: Jurisdiction) -> None:
    path = write_xlsx(
        tmp_path / "sai.xlsx", {"Cơ quan": [BODY_HEADER, body_row("X", "Cơ quan X", level="tinhh")]}
    )
    [problem] = import_registry_file(path=path).errors
    assert (problem.row, problem.column) == (2, "Cấp")
    assert "tinhh" in problem.message and "cấp tỉnh" in problem.message and "cấp xã" in problem.message


def test_dates_from_excel_cells_and_from_text(tmp_path: Path, province: Jurisdiction) -> None:
    path = write_xlsx(
        tmp_path / "ngay.xlsx",
        {
            "Cơ quan": [
                BODY_HEADER,
                body_row("A", "Cơ quan A", valid_from=datetime(2023, 4, 17), valid_to=date(2025, 7, 1)),
                body_row("B", "Cơ quan B", valid_from="17/04/2023", valid_to="1/7/2025"),
                body_row("C", "Cơ quan C", valid_from="2023-04-17", valid_to="01.07.2025"),
            ]
        },
    )
    result = import_registry_file(path=path)
    assert result.ok, [str(problem) for problem in result.errors]
    assert set(Organization.objects.values_list("valid_from", "valid_to")) == {
        (date(2023, 4, 17), date(2025, 7, 1))
    }


def test_csv_with_a_bom_and_commas(tmp_path: Path, province: Jurisdiction) -> None:
    path = write_csv(
        tmp_path / "co-quan.csv",
        [
            ["Mã", "Tên", "Loại", "Cấp", "Tên gọi khác"],
            ["SKHDT", "Sở Kế hoạch và Đầu tư", '"Sở, ban, ngành"', "cấp tỉnh", "Sở KH&ĐT; Sở KHĐT"],
        ],
    )
    result = import_registry_file(path=path)
    assert result.ok, [str(problem) for problem in result.errors]
    body = Organization.objects.get(code="SKHDT")
    assert body.kind == OrganizationKind.DEPARTMENT
    assert sorted(body.aliases.values_list("text", flat=True)) == ["Sở KH&ĐT", "Sở KHĐT"]


def test_csv_with_semicolons_as_excel_writes_in_vietnamese(tmp_path: Path, province: Jurisdiction) -> None:
    Organization.objects.create(
        code="SNV", name="Sở Nội vụ", kind=OrganizationKind.DEPARTMENT, level=Level.PROVINCE
    )
    path = write_csv(
        tmp_path / "bien-che.csv",
        [
            ["Mã cơ quan", "Năm", "Đối tượng", "Biên chế được giao"],
            ["SNV", "2024", '"cán bộ, công chức"', "50"],
        ],
        delimiter=";",
        bom=False,
    )
    result = import_registry_file(path=path)
    assert result.ok, [str(problem) for problem in result.errors]
    assert StaffingQuota.objects.get().assigned == 50


def test_a_csv_whose_header_fits_no_kind_asks_for_one(tmp_path: Path, db: None) -> None:
    path = write_csv(tmp_path / "la.csv", [["Họ và tên", "Năm sinh"], ["Nguyễn Văn A", "1970"]])
    [problem] = import_registry_file(path=path).errors
    assert "bodies" in problem.message


# ---------------------------------------------------------------- upsert


def test_a_second_import_updates_by_key_and_leaves_the_rest(tmp_path: Path, province: Jurisdiction) -> None:
    first = write_xlsx(
        tmp_path / "1.xlsx",
        {
            "Cơ quan": [BODY_HEADER, body_row("SNV", "Sở Nội vụ"), body_row("STP", "Sở Tư pháp")],
            "Biên chế": [
                ["Mã cơ quan", "Năm", "Đối tượng", "Biên chế được giao"],
                ["SNV", 2024, "viên chức", 10],
            ],
        },
    )
    assert import_registry_file(path=first).ok
    second = write_xlsx(
        tmp_path / "2.xlsx",
        {
            "Cơ quan": [
                BODY_HEADER,
                body_row("SNV", "Sở Nội vụ", valid_to="01/03/2025"),
                body_row("STP", "Sở Tư pháp"),
            ],
            "Biên chế": [
                ["Mã cơ quan", "Năm", "Đối tượng", "Biên chế được giao"],
                ["SNV", 2024, "viên chức", 8],
            ],
        },
    )

    result = import_registry_file(path=second)

    assert result.counts[TransferKind.BODIES] == type(result.counts[TransferKind.BODIES])(0, 1, 1)
    assert result.counts[TransferKind.STAFFING_QUOTAS].updated == 1
    assert Organization.objects.get(code="SNV").valid_to == date(2025, 3, 1)
    assert StaffingQuota.objects.get().assigned == 8
    assert Organization.objects.get(code="STP").history.count() == 1  # unchanged rows are not rewritten


def test_a_listed_alias_column_is_the_whole_list(tmp_path: Path, province: Jurisdiction) -> None:
    body = Organization.objects.create(
        code="SKHDT", name="Sở Kế hoạch và Đầu tư", kind=OrganizationKind.DEPARTMENT, level=Level.PROVINCE
    )
    OrganizationAlias.objects.create(organization=body, text="Sở KHĐT", kind=AliasKind.ALTERNATIVE)
    OrganizationAlias.objects.create(organization=body, text="SKH", kind=AliasKind.ALTERNATIVE)
    OrganizationAlias.objects.create(organization=body, text="Sở Kế hoạch", kind=AliasKind.FORMER)
    path = write_xlsx(
        tmp_path / "ten-khac.xlsx",
        {
            "Cơ quan": [
                ["Mã", "Tên", "Loại", "Cấp", "Tên gọi khác"],
                ["SKHDT", "Sở Kế hoạch và Đầu tư", "sở", "tỉnh", "Sở KHĐT; Sở KH&ĐT"],
            ]
        },
    )
    assert import_registry_file(path=path).ok
    assert sorted(body.aliases.values_list("text", "kind")) == [
        ("Sở KH&ĐT", AliasKind.ALTERNATIVE),
        ("Sở KHĐT", AliasKind.ALTERNATIVE),
        ("Sở Kế hoạch", AliasKind.FORMER),
    ]


def test_a_new_version_of_a_function_is_a_row_of_its_own(tmp_path: Path, province: Jurisdiction) -> None:
    body = Organization.objects.create(
        code="SNV", name="Sở Nội vụ", kind=OrganizationKind.DEPARTMENT, level=Level.PROVINCE
    )
    Function.objects.create(organization=body, position=1, text="Tham mưu về tổ chức bộ máy")
    path = write_xlsx(
        tmp_path / "phien-ban.xlsx",
        {
            "Chức năng": [
                ["Mã cơ quan", "Thứ tự", "Nội dung", "Hiệu lực từ", "Hiệu lực đến"],
                ["SNV", 1, "Tham mưu về tổ chức bộ máy", None, "01/03/2025"],
                ["SNV", 1, "Tham mưu về tổ chức bộ máy và biên chế", "01/03/2025", None],
            ]
        },
    )
    result = import_registry_file(path=path)
    assert result.ok, [str(problem) for problem in result.errors]
    assert result.counts[TransferKind.FUNCTIONS] == type(result.counts[TransferKind.FUNCTIONS])(1, 1, 0)
    assert list(Function.objects.order_by("valid_from").values_list("valid_from", "valid_to")) == [
        (OPEN_START, date(2025, 3, 1)),
        (date(2025, 3, 1), OPEN_END),
    ]


def test_a_bad_key_cell_is_one_error_not_a_duplicate_too(tmp_path: Path, province: Jurisdiction) -> None:
    Organization.objects.create(
        code="SNV", name="Sở Nội vụ", kind=OrganizationKind.DEPARTMENT, level=Level.PROVINCE
    )
    path = write_xlsx(
        tmp_path / "thu-tu.xlsx",
        {
            "Chức năng": [
                ["Mã cơ quan", "Thứ tự", "Nội dung"],
                ["SNV", "một", "Tham mưu"],
                ["SNV", "hai", "Thẩm định"],
            ]
        },
    )
    assert where(import_registry_file(path=path)) == [("Chức năng", 2, "Thứ tự"), ("Chức năng", 3, "Thứ tự")]


def test_posts_of_one_title_are_matched_in_order(tmp_path: Path, province: Jurisdiction) -> None:
    body = Organization.objects.create(
        code="SNV", name="Sở Nội vụ", kind=OrganizationKind.DEPARTMENT, level=Level.PROVINCE
    )
    first = Post.objects.create(organization=body, title="Phó Giám đốc", kind=PostKind.DEPUTY)
    path = write_xlsx(
        tmp_path / "pho.xlsx",
        {
            "Chức vụ": [
                ["Mã cơ quan", "Chức danh", "Loại", "Hiệu lực đến"],
                ["SNV", "Phó Giám đốc", "cấp phó", "01/01/2026"],
                ["SNV", "Phó Giám đốc", "cấp phó", None],
            ]
        },
    )
    result = import_registry_file(path=path)
    assert result.ok and result.counts[TransferKind.POSTS] == type(result.counts[TransferKind.POSTS])(1, 1, 0)
    first.refresh_from_db()
    assert first.valid_to == date(2026, 1, 1)
    assert Post.objects.exclude(pk=first.pk).get().valid_to == OPEN_END


def test_a_post_names_a_job_position_that_exists(tmp_path: Path, province: Jurisdiction) -> None:
    Organization.objects.create(
        code="SNV", name="Sở Nội vụ", kind=OrganizationKind.DEPARTMENT, level=Level.PROVINCE
    )
    path = write_xlsx(
        tmp_path / "chuc-vu.xlsx",
        {
            "Chức vụ": [
                ["Mã cơ quan", "Chức danh", "Loại", "Vị trí việc làm"],
                ["SNV", "Giám đốc", "cấp trưởng", "Giám đốc Sở"],
            ]
        },
    )
    assert where(import_registry_file(path=path)) == [("Chức vụ", 2, "Vị trí việc làm")]
    assert Post.objects.count() == 0


# ---------------------------------------------------------------- refusals of the whole file


def test_a_file_that_is_not_xlsx_or_csv_is_refused(tmp_path: Path, db: None) -> None:
    path = tmp_path / "so-dang-ky.docx"
    path.write_bytes(b"PK\x03\x04")
    [problem] = import_registry_file(path=path).errors
    assert "so-dang-ky.docx" in problem.message


def test_a_folder_is_refused(tmp_path: Path, db: None) -> None:
    (tmp_path / "thu-muc.xlsx").mkdir()
    assert len(import_registry_file(path=tmp_path / "thu-muc.xlsx").errors) == 1


def test_a_damaged_workbook_is_refused(tmp_path: Path, db: None) -> None:
    path = write_xlsx(tmp_path / "hong.xlsx", {"Cơ quan": [BODY_HEADER]})
    path.write_bytes(path.read_bytes()[:400])
    [problem] = import_registry_file(path=path).errors
    assert problem.row is None and problem.sheet == ""


def test_a_workbook_with_a_damaged_sheet_is_refused(tmp_path: Path, db: None) -> None:
    good = write_xlsx(tmp_path / "tot.xlsx", {"Cơ quan": [BODY_HEADER, body_row("A", "Cơ quan A")]})
    path = tmp_path / "hong-trang.xlsx"
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(path, "w") as damaged:
        for item in source.infolist():
            data = source.read(item.filename)
            damaged.writestr(
                item, data[: len(data) // 2] if item.filename.startswith("xl/worksheets/") else data
            )
    [problem] = import_registry_file(path=path).errors
    assert problem.row is None and problem.sheet == ""


def test_a_password_protected_workbook_is_refused(tmp_path: Path, db: None) -> None:
    path = tmp_path / "mat-khau.xlsx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))
    [problem] = import_registry_file(path=path).errors
    assert ".xlsx" in problem.message


def test_an_empty_sheet_is_refused(tmp_path: Path, db: None) -> None:
    path = write_xlsx(tmp_path / "trong.xlsx", {"Cơ quan": []})
    [problem] = import_registry_file(path=path).errors
    assert "Cơ quan" in problem.message


def test_a_sheet_with_only_its_header_is_refused(tmp_path: Path, db: None) -> None:
    path = write_xlsx(tmp_path / "tieu-de.xlsx", {"Cơ quan": [BODY_HEADER]})
    assert len(import_registry_file(path=path).errors) == 1


def test_a_missing_sheet_is_named(tmp_path: Path, db: None) -> None:
    path = write_xlsx(tmp_path / "thieu.xlsx", {"Cơ quan": [BODY_HEADER, body_row("A", "A")]})
    [problem] = import_registry_file(path=path, kind=TransferKind.STAFFING_QUOTAS).errors
    assert "'Biên chế'" in problem.message


def test_an_unknown_sheet_is_named(tmp_path: Path, db: None) -> None:
    path = write_xlsx(
        tmp_path / "la.xlsx", {"Cơ quan": [BODY_HEADER, body_row("A", "A")], "Nhân sự": [["x"]]}
    )
    [problem] = import_registry_file(path=path).errors
    assert "'Nhân sự'" in problem.message


def test_a_formula_without_a_saved_value_is_refused(tmp_path: Path, province: Jurisdiction) -> None:
    path = write_xlsx(
        tmp_path / "cong-thuc.xlsx",
        {
            "Cơ quan": [
                BODY_HEADER,
                body_row("A", "Cơ quan A"),
                ['=CONCAT("B", "")', *body_row("B", "Cơ quan B")[1:]],
            ]
        },
    )
    [problem] = import_registry_file(path=path).errors
    assert "Cơ quan" in problem.message and "3" in problem.message
    assert Organization.objects.count() == 0


def test_a_sheet_over_the_row_limit_is_refused(tmp_path: Path, db: None) -> None:
    path = tmp_path / "lon.csv"
    path.write_text("Mã,Tên,Loại,Cấp\n" + "A,Cơ quan A,sở,tỉnh\n" * (MAX_ROWS + 1), encoding="utf-8")
    [problem] = import_registry_file(path=path).errors
    assert f"{MAX_ROWS}" in problem.message


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(tmp_path: Path, db: None) -> None:
    path = tmp_path / "lon.xlsx"
    path.write_bytes(bytes(MAX_FILE_BYTES + 1))
    [problem] = import_registry_file(path=path).errors
    assert f"{MAX_FILE_BYTES // 2**20}" in problem.message


def test_a_csv_that_is_not_utf8_is_refused(tmp_path: Path, db: None) -> None:
    path = tmp_path / "latin1.csv"
    path.write_bytes("Mã,Tên,Loại,Cấp\nA,Bàn,sở,tỉnh\n".encode("latin-1", errors="replace"))
    [problem] = import_registry_file(path=path).errors
    assert "UTF-8" in problem.message


# ---------------------------------------------------------------- export, and back again


def registry_rows() -> dict[str, list[tuple[Any, ...]]]:
    return {
        "bodies": sorted(
            Organization.objects.values_list(
                "code",
                "name",
                "short_name",
                "kind",
                "level",
                "parent__code",
                "jurisdiction__code",
                "valid_from",
                "valid_to",
            )
        ),
        "aliases": sorted(OrganizationAlias.objects.values_list("organization__code", "text", "kind")),
        "functions": sorted(
            Function.objects.values_list(
                "organization__code", "position", "kind", "text", "source", "valid_from", "valid_to"
            )
        ),
        "job_positions": sorted(
            JobPosition.objects.values_list(
                "organization__code",
                "name",
                "group",
                "description",
                "planned_count",
                "filled_count",
                "valid_from",
            )
        ),
        "competencies": sorted((j.name, tuple(j.competencies)) for j in JobPosition.objects.all()),
        "posts": sorted(
            Post.objects.values_list(
                "organization__code",
                "title",
                "kind",
                "category",
                "job_position__name",
                "valid_from",
                "valid_to",
            )
        ),
        "quotas": sorted(
            StaffingQuota.objects.values_list(
                "organization__code", "year", "category", "assigned", "decision"
            )
        ),
    }


def add_staffing(bodies: dict[str, Organization]) -> None:
    department = bodies["SNV"]
    Function.objects.create(
        organization=department,
        position=1,
        kind=FunctionKind.FUNCTION,
        text="Tham mưu về tổ chức bộ máy",
        source="Thông tư 04/2022/TT-BNV",
        valid_to=date(2025, 3, 1),
    )
    Function.objects.create(
        organization=department,
        position=1,
        kind=FunctionKind.FUNCTION,
        text="Tham mưu về tổ chức bộ máy và biên chế",
        valid_from=date(2025, 3, 1),
    )
    Function.objects.create(organization=department, position=2, text="Thẩm định đề án vị trí việc làm")
    director = JobPosition.objects.create(
        organization=department,
        name="Giám đốc Sở",
        group=JobPositionGroup.LEADERSHIP,
        competencies=["Lãnh đạo", "Quản lý"],
    )
    JobPosition.objects.create(
        organization=department,
        name="Chuyên viên",
        group=JobPositionGroup.PROFESSIONAL,
        planned_count=6,
        filled_count=5,
        description="Theo dõi biên chế",
    )
    Post.objects.create(organization=department, title="Giám đốc", kind=PostKind.HEAD, job_position=director)
    for category in (
        StaffCategory.CADRE_CIVIL_SERVANT,
        StaffCategory.PUBLIC_EMPLOYEE,
        StaffCategory.CONTRACT,
    ):
        # three deputies: three posts of one title, told apart by their order
        Post.objects.create(
            organization=department,
            title="Phó Giám đốc",
            kind=PostKind.DEPUTY,
            category=category,
            valid_from=date(2020, 1, 1),
        )
    StaffingQuota.objects.create(
        organization=department,
        year=2023,
        category=StaffCategory.CADRE_CIVIL_SERVANT,
        assigned=52,
        decision="Quyết định số 123/QĐ-UBND",
    )
    StaffingQuota.objects.create(
        organization=bodies["TU"], year=2024, category=StaffCategory.PUBLIC_EMPLOYEE, assigned=7
    )


def empty_registry() -> None:
    StaffingQuota.objects.all().delete()
    Post.objects.all().delete()
    Function.objects.all().delete()
    JobPosition.objects.all().delete()
    OrganizationAlias.objects.all().delete()
    Organization.objects.update(parent=None)
    Organization.objects.all().delete()


def test_export_then_import_into_an_empty_registry_gives_the_same_rows(
    tmp_path: Path, small_registry: Any
) -> None:
    OrganizationAlias.objects.create(
        organization=small_registry.bodies["BTCTU"], text="Ban TC", kind=AliasKind.FORMER
    )
    add_staffing(small_registry.bodies)
    before = registry_rows()
    path = tmp_path / "so-dang-ky.xlsx"

    summary = export_registry(path=path)
    empty_registry()
    result = import_registry_file(path=path)

    assert result.ok, [str(problem) for problem in result.errors]
    assert (
        summary.counts[TransferKind.BODIES]
        == len(before["bodies"])
        == result.counts[TransferKind.BODIES].created
    )
    assert registry_rows() == before


def test_the_sample_registry_round_trips(tmp_path: Path, db: None) -> None:
    load_sample_registry()
    before = registry_rows()
    path = tmp_path / "dak-nong.xlsx"
    export_registry(path=path)
    again = import_registry_file(path=path)
    assert again.ok, [str(problem) for problem in again.errors[:5]]
    assert all(counts.created == counts.updated == 0 for counts in again.counts.values())
    for model in (Appointment, StaffRecord, OrganizationGroup, Reorganization):
        model.objects.all().delete()
    empty_registry()

    result = import_registry_file(path=path)

    assert result.ok, [str(problem) for problem in result.errors[:5]]
    assert registry_rows() == before


def test_a_csv_export_round_trips_one_kind(tmp_path: Path, small_registry: Any) -> None:
    before = registry_rows()["bodies"]
    path = tmp_path / "co-quan.csv"
    export_registry(path=path, kinds=[TransferKind.BODIES])
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    empty_registry()
    result = import_registry_file(path=path)
    assert result.ok, [str(problem) for problem in result.errors]
    assert registry_rows()["bodies"] == before


def test_a_csv_export_with_semicolons_round_trips(tmp_path: Path, small_registry: Any) -> None:
    add_staffing(small_registry.bodies)
    before = registry_rows()["quotas"]
    path = tmp_path / "bien-che.csv"
    call_command("export_registry", str(path), "--kind", "Biên chế", "--delimiter", ";")
    assert path.read_text(encoding="utf-8-sig").splitlines()[0].startswith("Mã cơ quan;Năm;")
    StaffingQuota.objects.all().delete()
    result = import_registry_file(path=path)
    assert result.ok, [str(problem) for problem in result.errors]
    assert registry_rows()["quotas"] == before


def test_reimporting_an_export_changes_nothing(tmp_path: Path, small_registry: Any) -> None:
    add_staffing(small_registry.bodies)
    path = tmp_path / "so-dang-ky.xlsx"
    export_registry(path=path)
    result = import_registry_file(path=path)
    assert result.ok
    assert all(counts.created == counts.updated == 0 for counts in result.counts.values())


def test_an_export_as_of_a_date_holds_the_rows_valid_then(tmp_path: Path, small_registry: Any) -> None:
    path = tmp_path / "2024.xlsx"
    export_registry(path=path, kinds=[TransferKind.BODIES], as_of=date(2024, 1, 1))
    codes = [row[0] for row in openpyxl.load_workbook(path)["Cơ quan"].iter_rows(min_row=2, values_only=True)]
    assert "SNV" in codes and "SNGV" not in codes  # Sở Ngoại vụ ended on 1/1/2023


def test_the_exported_workbook_is_laid_out_for_people(tmp_path: Path, small_registry: Any) -> None:
    path = tmp_path / "so-dang-ky.xlsx"
    export_registry(path=path, kinds=[TransferKind.BODIES])
    worksheet = openpyxl.load_workbook(path)["Cơ quan"]
    assert worksheet.freeze_panes == "A2"
    assert worksheet["A1"].value == "Mã" and worksheet["A1"].font.bold
    assert (worksheet.column_dimensions["B"].width or 0) > (worksheet.column_dimensions["A"].width or 0)
    ended = next(row for row in worksheet.iter_rows(min_row=2) if row[0].value == "SNGV")
    assert ended[12].value == datetime(2023, 1, 1) and ended[12].number_format == "DD/MM/YYYY"
    assert ended[11].value is None  # an open start is an empty cell, not 01/01/1900


def test_open_ends_stay_open_after_a_round_trip(tmp_path: Path, small_registry: Any) -> None:
    path = tmp_path / "mo.xlsx"
    export_registry(path=path, kinds=[TransferKind.BODIES])
    empty_registry()
    assert import_registry_file(path=path).ok
    assert Organization.objects.get(code="TU").valid_from == OPEN_START


# ---------------------------------------------------------------- the commands


def test_the_import_command_prints_a_summary(
    tmp_path: Path, province: Jurisdiction, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_xlsx(tmp_path / "co-quan.xlsx", {"Cơ quan": [BODY_HEADER, body_row("SNV", "Sở Nội vụ")]})
    call_command("import_registry", str(path))
    assert "Cơ quan" in capsys.readouterr().out
    assert Organization.objects.filter(code="SNV").exists()


def test_the_import_command_dry_run_reports_and_writes_nothing(
    tmp_path: Path, province: Jurisdiction, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_xlsx(tmp_path / "co-quan.xlsx", {"Cơ quan": [BODY_HEADER, body_row("SNV", "Sở Nội vụ")]})
    call_command("import_registry", str(path), "--dry-run")
    assert (
        len(capsys.readouterr().out.splitlines()) == 2
    )  # the counts of the sheet, then that it was a dry run
    assert Organization.objects.count() == 0


def test_the_import_command_exits_1_with_one_line_per_error(
    tmp_path: Path, province: Jurisdiction, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_xlsx(
        tmp_path / "loi.xlsx",
        {"Cơ quan": [BODY_HEADER, body_row("A", "A", level="?"), body_row("B", "B", kind="?")]},
    )
    with pytest.raises(CommandError) as raised:
        call_command("import_registry", str(path))
    assert raised.value.returncode == 1
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 2 and "Cấp" in lines[0] and "Loại" in lines[1]


def test_the_import_command_refuses_a_damaged_file_without_a_traceback(tmp_path: Path) -> None:
    path = tmp_path / "hong.xlsx"
    path.write_bytes(b"khong phai zip")
    env = {**os.environ, "DONDOC_SQLITE": str(tmp_path / "khong-dung.sqlite3")}
    done = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "import_registry", str(path)],
        check=False,
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=120,
    )
    assert done.returncode == 1
    assert "Traceback" not in done.stderr and done.stdout == ""
    assert len(done.stderr.strip().splitlines()) == 2  # the refusal, then the count of errors


def test_the_export_command_writes_the_kinds_asked(tmp_path: Path, small_registry: Any) -> None:
    path = tmp_path / "bc.xlsx"
    call_command(
        "export_registry",
        str(path),
        "--kind",
        "Cơ quan",
        "--kind",
        "staffing_quotas",
        "--as-of",
        "2024-01-01",
    )
    assert openpyxl.load_workbook(path).sheetnames == ["Cơ quan", "Biên chế"]


def test_the_export_command_refuses_several_kinds_in_one_csv(tmp_path: Path, db: None) -> None:
    with pytest.raises(CommandError):
        call_command("export_registry", str(tmp_path / "x.csv"))
