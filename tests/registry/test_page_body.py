"""A body's page (registry:body): what the registry knows of one body as of a date, for whom, in a fixed
number of queries."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from dondoc.directives.models import Directive
from dondoc.registry.models import (
    Appointment,
    Function,
    Level,
    Organization,
    OrganizationKind,
    Person,
    Post,
    PostKind,
    ReorganizationKind,
)
from dondoc.registry.reorganization import NewBody, commit_reorganization, plan_reorganization
from dondoc.registry.services import appoint, revise_functions

pytestmark = pytest.mark.django_db

APRIL_2023 = "17/04/2023"
EN = {"accept-language": "en"}


def page_of(client: Client, code: str, on: str = APRIL_2023) -> str:
    body = Organization.objects.get(code=code)
    response = client.get(reverse("registry:body", args=[body.pk]), {"on": on}, headers=EN)
    assert response.status_code == 200
    return response.content.decode()


def section(html: str, name: str) -> str:
    """The markup of the page from the element `name` to the end of its section, so that a test looks where
    the page shows it."""
    start = html.index(f'id="{name}"')
    return html[start : html.index("</section>", start)]


def test_the_page_names_the_body_its_parent_kind_and_territory(client_for):
    html = section(page_of(client_for("monitor"), "DNO.SNNPTNT"), "identity")
    assert "Sở Nông nghiệp và Phát triển nông thôn" in html
    assert "Ủy ban nhân dân tỉnh Đắk Nông" in html
    assert "department" in html and "province" in html
    assert "Đắk Nông" in html


def test_a_rename_shows_among_the_names_over_time(client_for):
    body = Organization.objects.get(code="DNO.SNNPTNT")
    body.name = "Sở Nông nghiệp và Môi trường"
    body.save()
    html = section(page_of(client_for("monitor"), "DNO.SNNPTNT"), "names")
    assert "Sở Nông nghiệp và Phát triển nông thôn" in html
    assert "Sở Nông nghiệp và Môi trường" in html


def test_functions_show_the_current_version_and_the_earlier_one_with_its_source(client_for):
    body = Organization.objects.get(code="DNO.SNV")
    [first, *_] = Function.objects.as_of(date(2023, 4, 17)).filter(organization=body).order_by("position")
    kept = [(f.kind, f.text) for f in Function.objects.as_of(date(2023, 4, 17)).filter(organization=body)]
    kept[0] = (first.kind, "Tham mưu về tổ chức bộ máy, biên chế và vị trí việc làm (sửa đổi)")
    revise_functions(organization=body, items=kept, on=date(2024, 1, 1), source="Quyết định số 9/QĐ-UBND")
    client = client_for("monitor")
    before = section(page_of(client, "DNO.SNV", "31/12/2023"), "functions")
    after = section(page_of(client, "DNO.SNV", "01/01/2024"), "functions")
    assert first.text in before and "(sửa đổi)" not in before
    assert "(sửa đổi)" in after and "Quyết định số 9/QĐ-UBND" in after
    assert "1 earlier version" in after and first.text in after


def test_posts_show_their_holders_marked_sample_and_concurrent(client_for):
    html = section(page_of(client_for("monitor"), "DNO.SNNPTNT"), "posts")
    holder = (
        Appointment.objects.as_of(date(2023, 4, 17))
        .filter(post__organization__code="DNO.SNNPTNT", post__kind=PostKind.HEAD)
        .select_related("person")
        .get()
    )
    assert holder.person.full_name in html
    assert "sample person" in html
    concurrent = Appointment.objects.filter(is_concurrent=True).select_related("post__organization").first()
    assert concurrent is not None
    elsewhere = section(page_of(client_for("admin"), concurrent.post.organization.code), "posts")
    assert "concurrent" in elsewhere


def test_an_appointment_shows_from_its_first_day(client_for):
    body = Organization.objects.get(code="DNO.SNNPTNT")
    post = Post.objects.create(organization=body, title="Chánh Văn phòng Sở", kind=PostKind.MEMBER)
    person = Person.objects.create(full_name="Nguyễn Văn Thử", is_sample=True)
    appoint(person=person, post=post, on=date(2024, 6, 1), decision="Quyết định số 1/QĐ-SNN")
    client = client_for("monitor")
    assert "Nguyễn Văn Thử" not in section(page_of(client, "DNO.SNNPTNT", "31/05/2024"), "posts")
    assert "Nguyễn Văn Thử" in section(page_of(client, "DNO.SNNPTNT", "01/06/2024"), "posts")


def test_deputies_over_the_limit_name_the_rule_and_its_source(client_for):
    html = section(page_of(client_for("monitor"), "DNO.SNNPTNT"), "deputies")
    assert "4 deputies on this date." in html
    assert "Phó Giám đốc sở: tối đa 3 người ở mỗi sở" in html
    assert "Nghị định số 24/2014/NĐ-CP" in html
    assert 'data-check="deputies_over_limit"' in html


def test_a_body_within_its_limits_breaks_no_rule(client_for):
    html = section(page_of(client_for("monitor"), "DNO.STP"), "deputies")
    assert 'id="no-violations"' in html


def test_staffing_shows_the_quotas_and_the_reduction_roadmap_of_conclusion_40(client_for):
    html = section(page_of(client_for("monitor"), "DNO.SGTVT"), "staffing")
    assert 'id="quotas"' in html and "2021" in html and "2023" in html
    assert "Kết luận số 40-KL/TW" in html
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="roadmap-0"' in html
    assert "behind the roadmap" in html


def test_the_roadmap_runs_only_up_to_the_date(client_for):
    client = client_for("monitor")
    in_2022 = section(page_of(client, "DNO.SGTVT", "31/12/2022"), "staffing")
    assert '<td data-label="Year">2022</td>' in in_2022
    assert '<td data-label="Year">2023</td>' not in in_2022.split("roadmap-table")[1]


def test_job_positions_show_planned_and_filled(client_for):
    html = section(page_of(client_for("monitor"), "DNO.SNV"), "job-positions")
    assert "Chuyên viên về tổ chức bộ máy và biên chế" in html
    assert "Phó Giám đốc Sở" in html


def test_lineage_after_a_merger_links_the_originals_and_the_result(client_for):
    snv, skhdt = Organization.objects.get(code="DNO.SNV"), Organization.objects.get(code="DNO.SKHDT")
    plan = plan_reorganization(
        kind=ReorganizationKind.MERGE,
        originals=[snv, skhdt],
        effective_on=date(2025, 3, 1),
        decision="Nghị quyết số 01/NQ-HĐND",
        new_bodies=[
            NewBody(
                code="DNO.SNVKH",
                name="Sở Nội vụ và Kế hoạch",
                kind=OrganizationKind.DEPARTMENT,
                level=Level.PROVINCE,
                parent=snv.parent,
                jurisdiction=snv.jurisdiction,
            )
        ],
    )
    commit_reorganization(plan=plan, fingerprint=plan.fingerprint)
    client = client_for("monitor")
    merged = section(page_of(client, "DNO.SNVKH", "01/03/2025"), "lineage")
    assert "Sở Nội vụ" in merged and "Sở Kế hoạch và Đầu tư" in merged
    assert "Nghị quyết số 01/NQ-HĐND" in merged
    assert reverse("registry:body", args=[snv.pk]) in merged
    original = section(page_of(client, "DNO.SNV", "01/03/2025"), "lineage")
    assert "Sở Nội vụ và Kế hoạch" in original
    assert "not in existence" in page_of(client, "DNO.SNV", "01/03/2025")


def test_open_assignments_of_the_seed_letter_show_on_the_body_page(client_for, published: Directive):
    html = section(page_of(client_for("leader"), "CJU.BTV", "20/04/2023"), "open-assignments")
    assert "1317-CV/TU" in html
    assert (
        reverse(
            "directives:assignment",
            args=[published.tasks.get(position=1).assignments.get(organization__code="CJU.BTV").pk],
        )
        in html
    )
    assert "31/05/2023" in html


def test_assignments_of_a_letter_not_yet_issued_do_not_show(client_for, published: Directive):
    html = section(page_of(client_for("leader"), "CJU.BTV", "16/04/2023"), "open-assignments")
    assert "1317-CV/TU" not in html


@pytest.mark.parametrize("role", ["admin", "monitor", "reader"])
def test_the_jurisdiction_roles_read_a_body_of_their_territory(client_for, role):
    page_of(client_for(role), "DNO.SNNPTNT")


def test_a_unit_reads_its_own_body_and_no_other(client_for):
    client = client_for("reporter")
    page_of(client, "CJU.BTV")
    other = Organization.objects.get(code="DSO.BTV")
    assert client.get(reverse("registry:body", args=[other.pk])).status_code == 404


def test_a_reader_gets_404_for_a_body_outside_the_territory(client_for):
    outside = Organization.objects.filter(level=Level.CENTRAL).first()
    assert outside is not None
    assert client_for("reader").get(reverse("registry:body", args=[outside.pk])).status_code == 404
    assert client_for("admin").get(reverse("registry:body", args=[outside.pk])).status_code == 200


def test_the_auditor_is_refused(client_for):
    body = Organization.objects.get(code="DNO.SNNPTNT")
    assert client_for("auditor").get(reverse("registry:body", args=[body.pk])).status_code == 403


def test_a_date_not_understood_is_said_and_today_shown(client_for):
    body = Organization.objects.get(code="DNO.SNNPTNT")
    response = client_for("monitor").get(
        reverse("registry:body", args=[body.pk]), {"on": "2023/31/12"}, headers=EN
    )
    assert response.status_code == 200
    assert "Enter a date as dd/mm/yyyy" in response.content.decode()


def test_the_page_reads_any_body_in_the_same_few_queries_and_quickly(
    client_for: Callable[[str], Client], published: Directive, django_assert_max_num_queries
):
    client = client_for("monitor")
    page_of(client, "DNO.SNV")  # the session and the caches, once
    with django_assert_max_num_queries(60) as busy:
        page_of(client, "DNO.SNNPTNT")
    with django_assert_max_num_queries(len(busy.captured_queries)):
        page_of(client, "DNO.SGTVT")
    with django_assert_max_num_queries(len(busy.captured_queries)):
        page_of(client, "CJU.BTV")
    started = time.perf_counter()
    page_of(client, "DNO.SNNPTNT")
    assert time.perf_counter() - started < 1.0
