"""The rule checks page on the Đắk Nông sample registry: the violations grouped by rule with the body, the
figure, the limit and the legal source; a deputy appointed above the limit shows from the day of the
appointment; filters by rule, level and the body's name; the .xlsx export of the same list; who may read."""

from __future__ import annotations

from datetime import date
from io import BytesIO

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dondoc.registry.models import Organization, Person, Post, PostKind
from dondoc.registry.rules import Check
from dondoc.registry.services import appoint

ON = date(2023, 4, 17)
URL = reverse("registry:rule_checks")
EN = {"accept-language": "en"}
AGRICULTURE = "Sở Nông nghiệp và Phát triển nông thôn"
FINANCE = "DNO.STC"  # three deputies in the sample: at the limit, not over it


def page(client, **query):
    return client.get(URL, {"on": f"{ON:%d/%m/%Y}", **query}, headers=EN)


def rows(response, check: Check) -> dict[str, str]:
    """The body → the row's text, in the group of one rule."""
    found = {}
    for group in response.context["groups"]:
        if group.check == check:
            for finding in group.findings:
                found[finding.violation.organization] = finding
    return found


def add_deputy(code: str, *, on: date) -> None:
    body = Organization.objects.get(code=code)
    post = Post.objects.create(organization=body, title="Phó Giám đốc", kind=PostKind.DEPUTY)
    person = Person.objects.create(full_name="Nguyễn Văn Thêm", is_sample=True)
    appoint(person=person, post=post, on=on, decision="Quyết định mẫu số 1/QĐ-UBND")


def test_the_sample_registrys_violations_show_grouped_by_rule_with_figure_limit_and_source(client_for):
    response = page(client_for("monitor"))
    assert response.status_code == 200
    deputies = rows(response, Check.DEPUTIES_OVER_LIMIT)[AGRICULTURE].violation
    assert (deputies.figure, deputies.limit) == (4, 3)
    assert "107/2020/NĐ-CP" in deputies.source
    html = response.content.decode()
    assert "Deputies over the limit (2)" in html
    assert "Staff reduction behind the roadmap (1)" in html
    assert "Kết luận số 40-KL/TW ngày 18/7/2022 của Bộ Chính trị" in html
    body = Organization.objects.get(name=AGRICULTURE)
    assert f'href="{reverse("registry:body", args=[body.pk])}"' in html
    counts = {row["check"]: row["count"] for row in response.context["counts"]}
    assert counts[Check.POST_VACANT] == 2 and counts[Check.DEPUTIES_OVER_LIMIT_IN_TRANSITION] == 0


def test_a_deputy_appointed_above_the_limit_shows_from_the_day_of_the_appointment(client_for):
    add_deputy(FINANCE, on=date(2024, 3, 1))
    monitor = client_for("monitor")
    before = monitor.get(URL, {"on": "29/02/2024"}, headers=EN)
    after = monitor.get(URL, {"on": "01/03/2024"}, headers=EN)
    assert "Sở Tài chính" not in rows(before, Check.DEPUTIES_OVER_LIMIT)
    finance = rows(after, Check.DEPUTIES_OVER_LIMIT)["Sở Tài chính"].violation
    assert (finance.figure, finance.limit) == (4, 3)


def test_the_date_defaults_to_today(client_for, settings):
    settings.DONDOC_TODAY = date(2024, 3, 1)
    add_deputy(FINANCE, on=date(2024, 3, 1))
    response = client_for("monitor").get(URL, headers=EN)
    assert "Rule checks on 01/03/2024" in response.content.decode()
    assert "Sở Tài chính" in rows(response, Check.DEPUTIES_OVER_LIMIT)


def test_a_date_typed_wrong_is_reported_and_today_shown(client_for, settings):
    settings.DONDOC_TODAY = ON
    response = client_for("monitor").get(URL, {"on": "31/02/2023"}, headers=EN)
    assert response.status_code == 200
    assert "Enter a date as dd/mm/yyyy" in response.content.decode()
    assert response.context["on"] == ON


def test_filters_by_rule_level_and_a_name_typed_without_diacritics(client_for):
    monitor = client_for("monitor")
    vacant = page(monitor, check=Check.POST_VACANT.value)
    assert [group.check for group in vacant.context["groups"]] == [Check.POST_VACANT]
    commune = page(monitor, level="commune")
    assert {f.violation.organization for g in commune.context["groups"] for f in g.findings} == {
        "Ủy ban nhân dân xã Đắk Som"
    }
    found = page(monitor, q="so nong nghiep")
    assert [f.violation.organization for g in found.context["groups"] for f in g.findings] == [AGRICULTURE]
    # the counts per rule follow the level and the name, not the rule chosen
    counts = {
        row["check"]: row["count"]
        for row in page(monitor, check=Check.POST_VACANT.value, level="commune").context["counts"]
    }
    assert counts[Check.POST_VACANT] == 1 and sum(counts.values()) == 1


def test_nothing_matching_says_so(client_for):
    response = page(client_for("monitor"), q="khong co co quan nao")
    assert "No violation matches on this day." in response.content.decode()


def test_the_xlsx_export_has_the_filtered_rows_under_vietnamese_headers(client_for):
    monitor = client_for("monitor")
    shown = page(monitor, level="province")
    exported = page(monitor, level="province", format="xlsx")
    assert exported["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = openpyxl.load_workbook(BytesIO(exported.content)).worksheets[0]
    values = list(sheet.iter_rows(values_only=True))
    assert values[1][:7] == ("STT", "Quy định", "Cơ quan, đơn vị", "Cấp", "Số liệu", "Mức tối đa", "Căn cứ")
    data = values[2:]
    assert [row[2] for row in data] == [
        f.violation.organization for g in shown.context["groups"] for f in g.findings
    ]
    agriculture = next(row for row in data if row[2] == AGRICULTURE)
    assert agriculture[1] == "Số lượng cấp phó vượt quy định"
    assert agriculture[3:6] == ("Tỉnh", 4, 3)
    assert "có 4 cấp phó" in agriculture[7]  # the message in Vietnamese, whatever the reader's language
    assert page(monitor, level="province", format="xlsx").content == exported.content


def test_the_page_reads_the_same_number_of_queries_however_many_violations(client_for):
    monitor = client_for("monitor")
    page(monitor)  # the session and the scope, as every later request finds them
    with CaptureQueriesContext(connection) as few:
        page(monitor)
    for code in (FINANCE, "DNO.SCT", "DNO.SGTVT", "DNO.SKHDT"):
        add_deputy(code, on=date(2023, 1, 1))
    with CaptureQueriesContext(connection) as many:
        response = page(monitor)
    assert len(rows(response, Check.DEPUTIES_OVER_LIMIT)) == 6
    assert len(many.captured_queries) == len(few.captured_queries)


@pytest.mark.parametrize("role", ["admin", "monitor", "reader"])
def test_the_jurisdictions_readers_see_every_violation_of_their_territory(client_for, role):
    response = page(client_for(role))
    assert response.status_code == 200
    assert response.context["total"] == 8


def test_a_unit_sees_only_its_own_bodys_violations(client_for):
    response = page(client_for("other_leader"))
    assert response.status_code == 200
    assert response.context["total"] == 0
    assert sum(row["count"] for row in response.context["counts"]) == 0


def test_a_unit_sees_a_violation_of_its_own_body(client_for):
    body = Organization.objects.get(code="DSO.BTV")
    post = Post.objects.create(organization=body, title="Phó Bí thư Huyện ủy", kind=PostKind.DEPUTY)
    response = page(client_for("other_reporter"))
    found = [f.violation for g in response.context["groups"] for f in g.findings]
    assert [(v.check, v.organization_id) for v in found] == [(Check.POST_VACANT, body.pk)]
    assert post.title in found[0].message
    assert page(client_for("reporter")).context["total"] == 0


def test_the_auditor_is_refused(client_for):
    assert page(client_for("auditor")).status_code == 403
