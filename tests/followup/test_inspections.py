"""Inspections: planned, their findings and recommendations recorded, concluded as a published notice whose
tasks the inspected bodies report on like any directive's; and who sees them."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from tests.fixtures.members import PASSWORD

from dondoc import clock
from dondoc.accounts.models import Role, User
from dondoc.accounts.scope import build_scope
from dondoc.accounts.services import create_member
from dondoc.directives.models import Assignment, AssignmentRole, Directive, DirectiveState
from dondoc.directives.selectors import assignment_statuses
from dondoc.directives.services import approve_report, confirm_report, draft_report
from dondoc.directives.status import Status
from dondoc.followup.models.inspections import Inspection, InspectionState, Recommendation
from dondoc.followup.selectors.inspections import bodies_to_inspect, inspections_of
from dondoc.followup.services.inspections import (
    InspectionError,
    InspectionPlan,
    conclude_inspection,
    plan_inspection,
    record_finding,
    record_recommendation,
)
from dondoc.registry.models import Jurisdiction, Organization

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def body(code: str) -> Organization:
    return Organization.objects.get(code=code)


def a_plan(**changes: object) -> InspectionPlan:
    values: dict[str, object] = {
        "title": "Kiểm tra việc thực hiện Công văn 1317",
        "legal_basis": "Quyết định số 12-QĐ/TU",
        "team": "Đồng chí A, Trưởng ban\nĐồng chí B, chuyên viên",
        "leader": None,
        "starts_on": date(2023, 6, 1),
        "ends_on": date(2023, 6, 10),
        "scope_text": "Việc quán triệt và triển khai",
        "organizations": [body("CJU.BTV")],
        "directives": [],
    }
    values.update(changes)
    return InspectionPlan(**values)  # type: ignore[arg-type]


def planned(users: dict[str, User], **changes: object) -> Inspection:
    return plan_inspection(
        plan=a_plan(**changes), jurisdiction=Jurisdiction.objects.get(code="DNO"), by=users["monitor"]
    )


# --- validation ---


def test_a_plan_ending_before_it_starts_or_naming_no_body_is_refused(users):
    with translation.override("en"):
        with pytest.raises(InspectionError, match=r"The inspection ends before it starts\."):
            planned(users, ends_on=date(2023, 5, 31))
        with pytest.raises(InspectionError, match=r"Choose at least one body to inspect\."):
            planned(users, organizations=[])
    assert not Inspection.objects.exists()


def test_a_recommendation_needs_its_lead_body_and_deadline(users):
    finding = record_finding(inspection=planned(users), text="Chưa xây dựng kế hoạch")
    with translation.override("en"):
        with pytest.raises(InspectionError, match=r"Choose the body that leads the recommendation\."):
            record_recommendation(finding=finding, text="Xây dựng kế hoạch", lead=None, due=date(2023, 9, 30))
        with pytest.raises(InspectionError, match=r"Enter the recommendation's deadline\."):
            record_recommendation(finding=finding, text="Xây dựng kế hoạch", lead=body("CJU.BTV"), due=None)
    assert not Recommendation.objects.exists()


def test_the_plan_form_says_what_is_wrong(client_for):
    response = client_for("monitor").post(
        reverse("followup:plan_inspection"),
        {"title": "Kiểm tra", "starts_on": "10/06/2023", "ends_on": "01/06/2023"},
        **EN,
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "The inspection ends before it starts." in page
    assert "Choose at least one body to inspect." in page


def test_the_recommendation_form_asks_for_the_lead(client_for, users):
    finding = record_finding(inspection=planned(users), text="Chưa xây dựng kế hoạch")
    response = client_for("monitor").post(
        reverse("followup:record_recommendation", args=[finding.pk]),
        {f"finding-{finding.pk}-text": "Xây dựng kế hoạch", f"finding-{finding.pk}-due": "30/09/2023"},
        **EN,
    )
    assert response.status_code == 400
    assert "Choose the body that leads the recommendation." in response.content.decode()


# --- from the plan to a confirmed task ---


def test_a_concluded_inspection_publishes_its_recommendations_as_tasks_followed_up_to_done(users):
    inspection = planned(users, organizations=[body("CJU.BTV"), body("DSO.BTV")])
    assert inspection.state == InspectionState.PLANNED
    finding = record_finding(inspection=inspection, text="Chưa ban hành kế hoạch thực hiện")
    inspection.refresh_from_db()
    assert (inspection.state, finding.position) == (InspectionState.IN_PROGRESS, 1)
    first = record_recommendation(
        finding=finding,
        text="Ban hành kế hoạch thực hiện Công văn 1317",
        lead=body("CJU.BTV"),
        coordinating=[body("DSO.BTV")],
        due=date(2023, 9, 30),
    )
    second = record_recommendation(
        finding=record_finding(inspection=inspection, text="Báo cáo chậm"),
        text="Báo cáo đúng hạn",
        lead=body("DSO.BTV"),
        due=date(2023, 12, 15),
    )

    directive = conclude_inspection(
        inspection=inspection,
        recommendations=[first, second],
        number="25-TB/BTCTU",
        issuer=body("DNO.BTCTU"),
        on=date(2023, 6, 20),
        by=users["monitor"],
    )

    assert (directive.state, directive.type_code, directive.number) == (
        DirectiveState.PUBLISHED,
        "TB",
        "25-TB/BTCTU",
    )
    assert (directive.issuer, directive.issued_on) == (body("DNO.BTCTU"), date(2023, 6, 20))
    assert directive.jurisdiction == Jurisdiction.objects.get(code="DNO")
    inspection.refresh_from_db()
    assert (inspection.state, inspection.conclusion, inspection.concluded_on) == (
        InspectionState.CONCLUDED,
        directive,
        date(2023, 6, 20),
    )
    first.refresh_from_db()
    second.refresh_from_db()
    assert (
        first.task is not None and first.task.directive == directive and first.task.due == date(2023, 9, 30)
    )
    assert {(a.organization.code, a.role, a.due) for a in first.task.assignments.all()} == {
        ("CJU.BTV", AssignmentRole.LEAD, date(2023, 9, 30)),
        ("DSO.BTV", AssignmentRole.COORDINATING, date(2023, 9, 30)),
    }
    assert second.task is not None
    assert [a.organization.code for a in second.task.assignments.all()] == ["DSO.BTV"]

    # the lead body reports it done, its leader sends the report, the monitor confirms it
    lead = Assignment.objects.get(task=first.task, organization__code="CJU.BTV")
    report = draft_report(
        assignment=lead, text="Đã ban hành kế hoạch", percent=100, reports_done=True, by=users["reporter"]
    )
    approve_report(report=report, on=date(2023, 9, 1), by=users["leader"])
    confirm_report(report=report, on=date(2023, 9, 5), by=users["monitor"])
    statuses = assignment_statuses(assignments=Assignment.objects.filter(pk=lead.pk), today=date(2023, 10, 1))
    assert statuses[lead.pk] == Status.DONE_ON_TIME


def test_a_concluded_inspection_can_no_longer_change(users):
    inspection = planned(users)
    conclude_inspection(
        inspection=inspection,
        recommendations=[],
        number="",
        issuer=body("DNO.BTCTU"),
        on=date(2023, 6, 20),
        by=None,
    )
    with translation.override("en"), pytest.raises(InspectionError, match="can no longer be changed"):
        record_finding(inspection=inspection, text="Muộn")


def test_the_pages_plan_record_and_conclude(client_for, users):
    client = client_for("monitor")
    response = client.post(
        reverse("followup:plan_inspection"),
        {
            "title": "Kiểm tra Cư Jút",
            "leader": users["monitor"].pk,
            "starts_on": "01/06/2023",
            "ends_on": "10/06/2023",
            "organizations": [body("CJU.BTV").pk],
        },
    )
    inspection = Inspection.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "followup:inspection", args=[inspection.pk]
    )
    assert (
        inspection.jurisdiction == Jurisdiction.objects.get(code="DNO")
        and inspection.created_by == users["monitor"]
    )
    client.post(reverse("followup:record_finding", args=[inspection.pk]), {"text": "Chưa có kế hoạch"})
    finding = inspection.findings.get()
    prefix = f"finding-{finding.pk}"
    response = client.post(
        reverse("followup:record_recommendation", args=[finding.pk]),
        {
            f"{prefix}-text": "Ban hành kế hoạch",
            f"{prefix}-lead": body("CJU.BTV").pk,
            f"{prefix}-due": "30/09/2023",
        },
    )
    assert response.status_code == 302
    recommendation = Recommendation.objects.get()
    response = client.post(
        reverse("followup:conclude_inspection", args=[inspection.pk]),
        {"number": "", "concluded_on": "20/06/2023", "recommendations": [recommendation.pk]},
    )
    assert response.status_code == 302
    inspection.refresh_from_db()
    assert inspection.conclusion is not None
    page = client.get(reverse("followup:inspection", args=[inspection.pk]), **EN).content.decode()
    assert reverse("directives:detail", args=[inspection.conclusion.pk]) in page
    assert "task 1 of the conclusion" in page
    # the lead body finds the task in its inbox, as any other
    inbox = client_for("reporter").get(reverse("directives:inbox")).content.decode()
    assert "Ban hành kế hoạch" in inbox


# --- the inspection's page: the recommendation and conclusion forms ---


def test_the_recommendation_form_offers_the_inspected_bodies_first_and_every_other_body_after(
    client_for, users
):
    inspection = planned(users, organizations=[body("CJU.BTV"), body("DSO.BTV")])
    finding = record_finding(inspection=inspection, text="Chưa xây dựng kế hoạch")
    client = client_for("monitor")
    response = client.get(reverse("followup:inspection", args=[inspection.pk]), **EN)
    form = dict(response.context["findings"])[finding]
    scope = build_scope(user=users["monitor"])
    assert scope is not None
    territory = set(bodies_to_inspect(scope, on=clock.today()).values_list("code", flat=True))
    for name in ("lead", "coordinating"):
        groups = [choice for choice in form.fields[name].choices if choice[0] != ""]
        assert [group for group, _ in groups] == ["Bodies inspected", "Other bodies"], name
        inspected, others = ([value.instance.code for value, _ in choices] for _, choices in groups)
        assert inspected == ["CJU.BTV", "DSO.BTV"]
        assert sorted(others) == sorted(territory - {"CJU.BTV", "DSO.BTV"})
    page = response.content.decode()
    assert page.count('<optgroup label="Bodies inspected">') == 2
    assert "Hold Ctrl (⌘ on a Mac) to choose several." in page
    # a body not inspected may still lead
    response = client.post(
        reverse("followup:record_recommendation", args=[finding.pk]),
        {
            f"finding-{finding.pk}-text": "Phối hợp hướng dẫn",
            f"finding-{finding.pk}-lead": body("DNO.BTCTU").pk,
            f"finding-{finding.pk}-due": "30/09/2023",
        },
    )
    assert response.status_code == 302 and Recommendation.objects.get().lead == body("DNO.BTCTU")


def test_each_recommendation_to_choose_shows_its_whole_text_its_lead_and_its_deadline(client_for, users):
    finding = record_finding(inspection=planned(users), text="Chưa ban hành kế hoạch")
    text = "Ban hành kế hoạch thực hiện Kết luận số 50-KL/TW, gửi Ban Tổ chức Tỉnh ủy trước khi sơ kết."
    record_recommendation(finding=finding, text=text, lead=body("CJU.BTV"), due=date(2023, 9, 30))
    page = client_for("monitor").get(reverse("followup:inspection", args=[finding.inspection_id]), **EN)
    labels = [label for _, label in page.context["conclusion_form"].fields["recommendations"].choices]
    assert labels == [f"{text} · lead: {body('CJU.BTV').name} · deadline: 30/09/2023"]
    assert labels[0] in page.content.decode()
    assert 'id="no-recommendation"' not in page.content.decode()


def test_a_very_long_recommendation_is_cut_after_a_word_in_the_choice(client_for, users):
    finding = record_finding(inspection=planned(users), text="Chưa ban hành kế hoạch")
    text = " ".join(["Rà soát, bổ sung quy chế làm việc"] * 20)  # 679 characters
    record_recommendation(finding=finding, text=text, lead=body("CJU.BTV"), due=date(2023, 9, 30))
    page = client_for("monitor").get(reverse("followup:inspection", args=[finding.inspection_id]), **EN)
    [(_, label)] = page.context["conclusion_form"].fields["recommendations"].choices
    shown, rest = label.split("…", 1)
    assert 250 < len(shown) <= 300 and text.startswith(shown) and text[len(shown)] in " ,"
    assert rest == f" · lead: {body('CJU.BTV').name} · deadline: 30/09/2023"


def test_before_any_recommendation_the_conclusion_form_says_where_they_come_from(client_for, users):
    inspection = planned(users)
    record_finding(inspection=inspection, text="Chưa ban hành kế hoạch")
    client = client_for("monitor")
    page = client.get(reverse("followup:inspection", args=[inspection.pk]), **EN).content.decode()
    assert 'id="recommendations-to-choose"' not in page and 'name="recommendations"' not in page
    assert "No recommendation is recorded yet." in page
    # and the inspection is concluded all the same, its notice without tasks
    response = client.post(
        reverse("followup:conclude_inspection", args=[inspection.pk]), {"concluded_on": "20/06/2023"}
    )
    assert response.status_code == 302
    inspection.refresh_from_db()
    assert inspection.conclusion is not None and not inspection.conclusion.tasks.exists()


# --- who sees what ---


def test_another_territorys_monitor_does_not_find_the_inspection(users):
    inspection = planned(users)
    monitor = create_member(
        username="gia_nghia",
        password=PASSWORD,
        role=Role.MONITOR,
        jurisdiction=Jurisdiction.objects.get(code="GNG"),
    )
    client = Client()
    client.force_login(monitor)
    assert client.get(reverse("followup:inspection", args=[inspection.pk])).status_code == 404
    assert (
        client.post(reverse("followup:record_finding", args=[inspection.pk]), {"text": "x"}).status_code
        == 404
    )
    assert client.get(reverse("followup:inspections")).context["total"] == 0


def test_a_unit_sees_only_the_inspections_that_covered_its_body(client_for, users):
    ours = planned(users, title="Kiểm tra Cư Jút", organizations=[body("CJU.BTV")])
    theirs = planned(users, title="Kiểm tra Đắk Song", organizations=[body("DSO.BTV")])
    client = client_for("reporter")
    listed = client.get(reverse("followup:inspections")).content.decode()
    assert "Kiểm tra Cư Jút" in listed and "Kiểm tra Đắk Song" not in listed
    assert client.get(reverse("followup:inspection", args=[ours.pk])).status_code == 200
    assert client.get(reverse("followup:inspection", args=[theirs.pk])).status_code == 404
    # read only: no form to change it
    assert client.post(reverse("followup:record_finding", args=[ours.pk]), {"text": "x"}).status_code == 403


def test_readers_read_and_the_body_filter_lists_one_bodys_inspections(client_for, users):
    ours = planned(users, title="Kiểm tra Cư Jút", organizations=[body("CJU.BTV")])
    planned(users, title="Kiểm tra Đắk Song", organizations=[body("DSO.BTV")])
    assert list(inspections_of(body("CJU.BTV"))) == [ours]
    client: Callable[[str], Client] = client_for
    reader = client("reader")
    response = reader.get(reverse("followup:inspections"), {"body": body("CJU.BTV").pk}, **EN)
    page = response.content.decode()
    assert "Kiểm tra Cư Jút" in page and "Kiểm tra Đắk Song" not in page
    assert "Inspections of" in page
    detail = reader.get(reverse("followup:inspection", args=[ours.pk])).content.decode()
    assert 'id="finding-form"' not in detail
    assert reader.get(reverse("followup:update_inspection", args=[ours.pk])).status_code == 403
    assert reader.get(reverse("followup:plan_inspection")).status_code == 403
    assert not Directive.objects.filter(type_code="TB").exists()


def test_a_conclusion_s_page_links_back_to_its_inspection_for_those_who_see_it(client_for, users, published):
    inspection = planned(users, organizations=[body("CJU.BTV")])
    recommendation = record_recommendation(
        finding=record_finding(inspection=inspection, text="Chưa ban hành kế hoạch"),
        text="Ban hành kế hoạch",
        lead=body("CJU.BTV"),
        due=date(2023, 9, 30),
    )
    directive = conclude_inspection(
        inspection=inspection,
        recommendations=[recommendation],
        number="26-TB/BTCTU",
        issuer=body("DNO.BTCTU"),
        on=date(2023, 6, 20),
        by=users["monitor"],
    )
    back = reverse("followup:concluded_inspection", args=[directive.pk])
    for role in ("monitor", "reporter"):  # the reporter's body was inspected
        page = client_for(role).get(directive.get_absolute_url(), headers={"accept-language": "en"})
        assert (
            f'href="{back}"' in page.content.decode()
            and "The inspection it concludes" in page.content.decode()
        )
        followed = client_for(role).get(back)
        assert followed.status_code == 302 and followed["Location"] == inspection.get_absolute_url()
    # the seed letter concludes no inspection: no link, and the address finds none
    seed = published
    seed_page = client_for("monitor").get(seed.get_absolute_url()).content.decode()
    assert "/inspection/" not in seed_page
    assert (
        client_for("monitor").get(reverse("followup:concluded_inspection", args=[seed.pk])).status_code == 404
    )
