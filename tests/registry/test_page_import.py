"""The import page on the Đắk Nông sample registry: each kind's template downloads with its headers; a file
with errors lists them (sheet, row, column, message) and writes nothing; a corrected file previews what it
would change, then saves all of it; a formula cell, a wrong header, an unknown sheet, a file that is not a
spreadsheet are refused with their reason; a .csv file; a preview is saved only by the session that made it;
administrators and monitors only."""

from __future__ import annotations

import os
import time
from io import BytesIO
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from dondoc.registry.import_uploads import IMPORTS_FOLDER
from dondoc.registry.models import Organization
from dondoc.registry.transfer import SHEETS, TransferKind

URL = reverse("registry:import")
EN = {"accept-language": "en"}
BODY_HEADER = ["Mã", "Tên", "Loại", "Cấp", "Mã cơ quan cấp trên", "Mã địa bàn"]


@pytest.fixture(autouse=True)
def uploads(settings: Any, tmp_path: Path) -> Path:
    settings.UPLOAD_DIR = tmp_path / "uploads"
    return Path(settings.UPLOAD_DIR)


def workbook(sheets: dict[str, list[list[Any]]]) -> bytes:
    book = openpyxl.Workbook()
    book.remove(book.active)  # type: ignore[arg-type]
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def bodies(*rows: list[Any]) -> bytes:
    return workbook({"Cơ quan": [BODY_HEADER, *rows]})


def send(client: Client, content: bytes, name: str = "co-quan.xlsx", kind: str = "") -> Any:
    upload = SimpleUploadedFile(name, content)
    return client.post(URL, {"file": upload, "kind": kind}, headers=EN)


def save(client: Client, response: Any) -> Any:
    token = response.context["save_form"].initial["token"]
    return client.post(URL, {"token": token, "save": ""}, headers=EN, follow=True)


def stored_files(uploads: Path) -> list[Path]:
    return [path for path in (uploads / IMPORTS_FOLDER).rglob("*") if path.is_file()]


def problems(response: Any) -> list[tuple[str, int | None, str]]:
    return [(problem.sheet, problem.row, problem.column) for problem in response.context["problems"]]


@pytest.mark.parametrize("sheet", SHEETS, ids=lambda sheet: sheet.kind.value)
def test_each_kinds_template_downloads_with_its_sheet_and_headers(client_for, sheet):
    response = client_for("monitor").get(reverse("registry:import_template", args=[sheet.kind.value]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="mau-nhap-')
    book = openpyxl.load_workbook(BytesIO(response.content))
    [only] = book.worksheets
    assert only.title == sheet.title
    assert [cell.value for cell in only[1]] == [column.header for column in sheet.columns]
    assert only.max_row == 1


def test_the_bodies_template_names_the_columns_people_fill_in(client_for):
    response = client_for("admin").get(reverse("registry:import_template", args=["bodies"]))
    headers = [cell.value for cell in openpyxl.load_workbook(BytesIO(response.content))["Cơ quan"][1]]
    assert headers[:3] == ["Mã", "Tên", "Tên viết tắt"] and "Mã cơ quan cấp trên" in headers


def test_an_unknown_kinds_template_is_not_found(client_for):
    assert client_for("admin").get(reverse("registry:import_template", args=["people"])).status_code == 404


def test_a_file_with_errors_lists_every_problem_and_writes_nothing(client_for, uploads):
    before = Organization.objects.count()
    response = send(
        client_for("monitor"),
        bodies(
            ["DNO.TEST1", "Sở Thử nghiệm", "Sở, ban, ngành", "cấp tỉnh", "DNO.UBND", "DNO"],
            ["DNO.TEST2", "Sở Thứ hai", "Sở, ban, ngành", "cấp vũ trụ", "DNO.UBND", "DNO"],
            ["DNO.TEST3", "", "Sở, ban, ngành", "cấp tỉnh", "DNO.KHONGCO", "DNO"],
        ),
    )
    assert response.status_code == 400
    assert ("Cơ quan", 3, "Cấp") in problems(response)
    assert ("Cơ quan", 4, "Tên") in problems(response)
    assert {row for _sheet, row, _column in problems(response)} == {3, 4}
    html = response.content.decode()
    assert "problems; nothing was written" in html and "cấp vũ trụ" in html
    assert "save-form" not in html
    assert Organization.objects.count() == before
    assert stored_files(uploads) == []


def test_a_corrected_file_previews_what_it_changes_then_saves_all_of_it(client_for, uploads):
    monitor = client_for("monitor")
    renamed = Organization.objects.get(code="DNO.STC")
    preview = send(
        monitor,
        bodies(
            ["DNO.TEST1", "Sở Thử nghiệm", "Sở, ban, ngành", "cấp tỉnh", "DNO.UBND", "DNO"],
            ["DNO.STC", "Sở Tài chính tỉnh Đắk Nông", "Sở, ban, ngành", "cấp tỉnh", "DNO.UBND", "DNO"],
        ),
        name="so-dang-ky-2024.xlsx",
    )
    assert preview.status_code == 200
    [change] = preview.context["changes"]
    assert (change["counts"].created, change["counts"].updated, change["counts"].unchanged) == (1, 1, 0)
    assert not Organization.objects.filter(code="DNO.TEST1").exists()
    assert Organization.objects.get(pk=renamed.pk).name == renamed.name

    saved = save(monitor, preview)

    assert saved.redirect_chain == [(URL, 302)]
    assert "Saved so-dang-ky-2024.xlsx. Bodies: 1 created, 1 changed, 0 unchanged." in saved.content.decode()
    new = Organization.objects.get(code="DNO.TEST1")
    assert new.parent == Organization.objects.get(code="DNO.UBND")
    assert Organization.objects.get(pk=renamed.pk).name == "Sở Tài chính tỉnh Đắk Nông"
    assert "so-dang-ky-2024.xlsx" in new.history.get().history_change_reason
    assert stored_files(uploads) == []


def test_a_row_that_no_longer_fits_when_saving_writes_nothing(client_for):
    text = (
        "Mã cơ quan;Năm;Đối tượng;Biên chế được giao\r\n"
        "DNO.SNV;2031;cán bộ, công chức;30\r\n"
        "DNO.STC;2031;cán bộ, công chức;40\r\n"
    )
    monitor = client_for("monitor")
    preview = send(monitor, text.encode(), name="bien-che.csv")
    Organization.objects.filter(code="DNO.STC").update(code="DNO.STC.CU")  # recoded between preview and save
    token = preview.context["save_form"].initial["token"]

    response = monitor.post(URL, {"token": token, "save": ""}, headers=EN)

    assert response.status_code == 400
    assert problems(response) == [("bien-che.csv", 3, "Mã cơ quan")]
    assert not Organization.objects.get(code="DNO.SNV").staffing_quotas.filter(year=2031).exists()


def test_a_formula_without_a_saved_value_is_refused(client_for):
    content = bodies(["DNO.TEST1", '=CONCAT("Sở ", "Thử")', "Sở, ban, ngành", "cấp tỉnh", "DNO.UBND", "DNO"])
    response = send(client_for("admin"), content)
    assert response.status_code == 400
    [problem] = response.context["general_problems"]
    assert "a formula has no saved value" in problem.message and "row 2" in problem.message
    assert not Organization.objects.filter(code="DNO.TEST1").exists()


def test_a_wrong_header_is_named(client_for):
    content = workbook(
        {"Cơ quan": [[*BODY_HEADER, "Ghi chú"], ["DNO.TEST1", "Sở", "sở", "tỉnh", "", "DNO", "x"]]}
    )
    response = send(client_for("admin"), content)
    [problem] = response.context["problems"]
    assert problem.sheet == "Cơ quan" and "unknown columns: 'Ghi chú'" in problem.message


def test_an_unknown_sheet_is_named(client_for):
    content = workbook({"Cơ quan": [BODY_HEADER], "Nhân sự": [["Họ tên"], ["Nguyễn Văn A"]]})
    response = send(client_for("admin"), content)
    [problem] = response.context["general_problems"]
    assert "unknown sheets: 'Nhân sự'" in problem.message
    assert "unknown sheets: &#x27;Nhân sự&#x27;" in response.content.decode()


def test_a_file_that_is_not_a_spreadsheet_is_refused_and_not_kept(client_for, uploads):
    response = send(client_for("admin"), b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", name="co-quan.xlsx")
    assert response.status_code == 400
    assert response.context["refusal"] == (
        "co-quan.xlsx is not a spreadsheet; send an Excel workbook (.xlsx) or a .csv file."
    )
    assert stored_files(uploads) == []


def test_a_csv_file_of_staffing_quotas_previews_and_saves(client_for):
    text = "Mã cơ quan;Năm;Đối tượng;Biên chế được giao\r\nDNO.STC;2031;cán bộ, công chức;40\r\n"
    admin = client_for("admin")
    preview = send(admin, ("\ufeff" + text).encode(), name="bien-che.csv")
    [change] = preview.context["changes"]
    assert change["title"] == "Biên chế" and change["counts"].created == 1
    save(admin, preview)
    body = Organization.objects.get(code="DNO.STC")
    assert body.staffing_quotas.get(year=2031).assigned == 40


def test_the_kind_chosen_reads_that_sheet_of_a_workbook_alone(client_for):
    content = workbook(
        {
            "Cơ quan": [BODY_HEADER, ["DNO.TEST1", "", "sở", "cấp vũ trụ", "", "DNO"]],
            "Biên chế": [
                ["Mã cơ quan", "Năm", "Đối tượng", "Biên chế được giao"],
                ["DNO.STC", 2031, "cán bộ, công chức", 40],
            ],
        }
    )
    preview = send(client_for("admin"), content, kind=TransferKind.STAFFING_QUOTAS.value)
    assert preview.status_code == 200
    assert [change["title"] for change in preview.context["changes"]] == ["Biên chế"]


def test_a_preview_is_saved_only_by_the_session_that_made_it(client_for):
    preview = send(client_for("monitor"), bodies(["DNO.TEST1", "Sở", "sở", "tỉnh", "DNO.UBND", "DNO"]))
    other = save(client_for("admin"), preview)
    assert "No file is waiting to be saved" in other.content.decode()
    assert not Organization.objects.filter(code="DNO.TEST1").exists()


def test_a_cancelled_preview_writes_nothing_and_leaves_no_file(client_for, uploads):
    monitor = client_for("monitor")
    preview = send(monitor, bodies(["DNO.TEST1", "Sở", "sở", "tỉnh", "DNO.UBND", "DNO"]))
    token = preview.context["save_form"].initial["token"]
    response = monitor.post(URL, {"token": token, "cancel": ""}, headers=EN, follow=True)
    assert "nothing was written" in response.content.decode()
    assert not Organization.objects.filter(code="DNO.TEST1").exists() and stored_files(uploads) == []


def test_a_preview_never_saved_is_removed_a_day_later(client_for, uploads):
    monitor = client_for("monitor")
    send(monitor, bodies(["DNO.TEST1", "Sở", "sở", "tỉnh", "DNO.UBND", "DNO"]))
    [left] = stored_files(uploads)
    two_days_ago = time.time() - 2 * 24 * 60 * 60
    os.utime(left.parent, (two_days_ago, two_days_ago))
    send(client_for("admin"), bodies(["DNO.TEST2", "Sở", "sở", "tỉnh", "DNO.UBND", "DNO"]))
    assert [path.name for path in stored_files(uploads)] == ["co-quan.xlsx"]
    assert not left.exists()


@pytest.mark.parametrize(
    ("role", "status"),
    [("admin", 200), ("monitor", 200), ("reader", 403), ("reporter", 403), ("leader", 403), ("auditor", 403)],
)
def test_only_administrators_and_monitors_import(client_for, role, status):
    client = client_for(role)
    assert client.get(URL).status_code == status
    assert client.get(reverse("registry:import_template", args=["posts"])).status_code == status
    assert send(client, bodies(["DNO.TEST1", "Sở", "sở", "tỉnh", "", "DNO"])).status_code == status
    assert not Organization.objects.filter(code="DNO.TEST1").exists()


def test_a_monitor_imports_only_the_bodies_of_their_jurisdiction(users, uploads):
    from dondoc.accounts.models import Role
    from dondoc.accounts.services import create_member
    from dondoc.registry.models import Jurisdiction

    district_monitor = create_member(
        username="cu_jut_monitor",
        password="mat-khau-thu-nghiem",
        role=Role.MONITOR,
        organization=Organization.objects.get(code="CJU.BTC"),
        jurisdiction=Jurisdiction.objects.get(code="CJU"),
    )
    client = Client()
    client.force_login(district_monitor)
    refused = send(
        client,
        bodies(
            ["CJU.TEST", "Phòng Thử nghiệm", "Sở, ban, ngành", "cấp huyện", "CJU.UBND", "CJU"],
            ["DNO.TEST2", "Sở Thử nghiệm", "Sở, ban, ngành", "cấp tỉnh", "DNO.UBND", "DNO"],
            ["DNO.STC", "Sở Tài chính mới", "Sở, ban, ngành", "cấp tỉnh", "DNO.UBND", "CJU"],
        ),
    )
    assert refused.status_code == 400
    assert problems(refused) == [("Cơ quan", 3, "Mã"), ("Cơ quan", 4, "Mã")]
    assert "DNO.TEST2 is outside your jurisdiction" in refused.content.decode()
    assert not Organization.objects.filter(code__in=["CJU.TEST", "DNO.TEST2"]).exists()
    accepted = send(
        client, bodies(["CJU.TEST", "Phòng Thử nghiệm", "Sở, ban, ngành", "cấp huyện", "CJU.UBND", "CJU"])
    )
    assert accepted.status_code == 200
    save(client, accepted)
    assert Organization.objects.get(code="CJU.TEST").jurisdiction.code == "CJU"
