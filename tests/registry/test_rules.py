from datetime import date
from decimal import Decimal

import pytest
from django.utils import timezone

from dondoc.registry.models import (
    Appointment,
    ConcurrentPostModel,
    DeputyLimitRule,
    DeputyLimitScope,
    JobPosition,
    JobPositionGroup,
    Level,
    Organization,
    OrganizationKind,
    Person,
    Post,
    PostKind,
    Reorganization,
    StaffCategory,
    StaffingQuota,
    StaffRecord,
    StaffReductionTarget,
)
from dondoc.registry.rules import Check, check_rules, reduction_roadmap, roadmap_limit

ON = date(2023, 4, 17)
ND107 = "Nghị định 107/2020/NĐ-CP"
KL40 = "Kết luận 40-KL/TW"


def staff_body(body: Organization, *, deputies: int, head: bool = True, others: int = 0) -> list[Post]:
    posts = []
    if head:
        posts.append(Post.objects.create(organization=body, title="Giám đốc", kind=PostKind.HEAD))
    posts += [
        Post.objects.create(organization=body, title="Phó Giám đốc", kind=PostKind.DEPUTY)
        for _ in range(deputies)
    ]
    for number, post in enumerate(posts):
        person = Person.objects.create(full_name=f"Người {body.code} {number}", is_sample=True)
        Appointment.objects.create(person=person, post=post, valid_from=date(2021, 1, 1))
    if others:
        StaffRecord.objects.create(
            organization=body,
            category=StaffCategory.CADRE_CIVIL_SERVANT,
            counted_on=date(2023, 3, 31),
            headcount=others,
        )
    return posts


def of(check: Check, violations: list) -> dict[str, object]:
    return {v.organization: v for v in violations if v.check == check}


@pytest.fixture
def department_rules(db: None) -> None:
    DeputyLimitRule.objects.create(
        name="Cấp phó sở",
        organization_kind=OrganizationKind.DEPARTMENT,
        level=Level.PROVINCE,
        max_deputies=3,
        source=ND107,
        merger_grace_months=60,
    )
    DeputyLimitRule.objects.create(
        name="Bình quân cấp phó sở",
        organization_kind=OrganizationKind.DEPARTMENT,
        level=Level.PROVINCE,
        scope=DeputyLimitScope.AVERAGE,
        max_deputies=3,
        source=ND107,
    )


def test_department_over_its_deputy_limit_names_figure_limit_and_source(small_registry, department_rules):
    staff_body(small_registry.bodies["SNV"], deputies=4)
    staff_body(small_registry.bodies["SKHDT"], deputies=3)
    violation = of(Check.DEPUTIES_OVER_LIMIT, check_rules(on=ON))["Sở Nội vụ"]
    assert (violation.figure, violation.limit, violation.source) == (4, 3, ND107)
    assert "Sở Nội vụ" in violation.message and "4" in violation.message


def test_average_deputies_over_the_departments_of_a_province(small_registry, department_rules):
    staff_body(small_registry.bodies["SNV"], deputies=4)
    staff_body(small_registry.bodies["SKHDT"], deputies=3)
    average = of(Check.DEPUTIES_OVER_LIMIT, check_rules(on=ON))["Ủy ban nhân dân tỉnh Đắk Nông"]
    assert average.figure == Decimal("3.50")
    assert average.limit == 3


def test_within_the_limit_is_not_reported(small_registry, department_rules):
    staff_body(small_registry.bodies["SNV"], deputies=3)
    staff_body(small_registry.bodies["SKHDT"], deputies=2)
    assert of(Check.DEPUTIES_OVER_LIMIT, check_rules(on=ON)) == {}


def test_a_merged_body_may_exceed_its_limit_during_the_transition(small_registry, department_rules):
    body = small_registry.bodies["SKHDT"]
    staff_body(body, deputies=5)
    merger = Reorganization.objects.create(
        kind="merge", effective_on=date(2022, 1, 1), decision="Nghị quyết 01", committed_at=timezone.now()
    )
    merger.results.add(body)
    violation = of(Check.DEPUTIES_OVER_LIMIT_IN_TRANSITION, check_rules(on=ON))["Sở Kế hoạch và Đầu tư"]
    assert violation.allowed_until == date(2027, 1, 1)
    assert "Sở Kế hoạch và Đầu tư" not in of(Check.DEPUTIES_OVER_LIMIT, check_rules(on=ON))
    after = of(Check.DEPUTIES_OVER_LIMIT, check_rules(on=date(2027, 1, 1)))
    assert "Sở Kế hoạch và Đầu tư" in after


def test_units_under_a_department_are_limited_by_their_headcount(small_registry):
    # Nghị định 370/2025/NĐ-CP: 1 deputy below 10 staff, at most 2 for 10–14, at most 3 from 15
    for low, high, limit in ((None, 9, 1), (10, 14, 2), (15, None, 3)):
        DeputyLimitRule.objects.create(
            name="Cấp phó đơn vị thuộc sở",
            organization_kind=OrganizationKind.INTERNAL_UNIT,
            parent_kind=OrganizationKind.DEPARTMENT,
            min_staff=low,
            max_staff=high,
            max_deputies=limit,
            source="Nghị định 370/2025/NĐ-CP",
        )
    snv = small_registry.bodies["SNV"]
    small = Organization.objects.create(
        code="P1",
        name="Phòng Tổ chức biên chế",
        kind=OrganizationKind.INTERNAL_UNIT,
        level=Level.PROVINCE,
        parent=snv,
    )
    large = Organization.objects.create(
        code="P2",
        name="Ban Thi đua - Khen thưởng",
        kind=OrganizationKind.INTERNAL_UNIT,
        level=Level.PROVINCE,
        parent=snv,
    )
    staff_body(small, deputies=3, others=8)  # 12 staff → at most 2
    staff_body(large, deputies=3, others=12)  # 16 staff → at most 3
    found = of(Check.DEPUTIES_OVER_LIMIT, check_rules(on=ON, organization_ids={small.id, large.id}))
    assert set(found) == {"Phòng Tổ chức biên chế"}
    assert (found["Phòng Tổ chức biên chế"].figure, found["Phòng Tổ chức biên chế"].limit) == (3, 2)


def test_staff_over_quota_counts_people_in_posts_and_the_staff_record(small_registry):
    body = small_registry.bodies["SNV"]
    staff_body(body, deputies=2, others=28)  # 3 in posts + 28 recorded = 31
    StaffingQuota.objects.create(
        organization=body,
        year=2023,
        category=StaffCategory.CADRE_CIVIL_SERVANT,
        assigned=30,
        decision="Quyết định 100/QĐ-UBND",
    )
    violation = of(Check.STAFF_OVER_QUOTA, check_rules(on=ON))["Sở Nội vụ"]
    assert (violation.figure, violation.limit, violation.source) == (31, 30, "Quyết định 100/QĐ-UBND")


def test_roadmap_is_linear_from_the_base_year():
    target = StaffReductionTarget(
        category=StaffCategory.CADRE_CIVIL_SERVANT,
        base_year=2021,
        start_year=2022,
        end_year=2026,
        percent=Decimal(5),
        source=KL40,
    )
    assert [roadmap_limit(base=100, target=target, year=y) for y in range(2021, 2028)] == [
        100,
        99,
        98,
        97,
        96,
        95,
        95,
    ]


def test_reduction_behind_roadmap(small_registry):
    StaffReductionTarget.objects.create(
        name="Tinh giản 2022–2026",
        category=StaffCategory.PUBLIC_EMPLOYEE,
        base_year=2021,
        start_year=2022,
        end_year=2026,
        percent=10,
        source=KL40,
    )
    behind, on_track = small_registry.bodies["SKHDT"], small_registry.bodies["SNV"]
    for body, quota_2023 in ((behind, 50), (on_track, 45)):
        StaffingQuota.objects.create(
            organization=body, year=2021, category=StaffCategory.PUBLIC_EMPLOYEE, assigned=50
        )
        StaffingQuota.objects.create(
            organization=body, year=2023, category=StaffCategory.PUBLIC_EMPLOYEE, assigned=quota_2023
        )
    found = of(Check.REDUCTION_BEHIND_ROADMAP, check_rules(on=ON))
    assert set(found) == {"Sở Kế hoạch và Đầu tư"}
    assert (found["Sở Kế hoạch và Đầu tư"].figure, found["Sở Kế hoạch và Đầu tư"].limit) == (50, 48)
    assert found["Sở Kế hoạch và Đầu tư"].source == KL40


def test_vacant_head_post(small_registry):
    Post.objects.create(organization=small_registry.bodies["SKHDT"], title="Giám đốc", kind=PostKind.HEAD)
    staff_body(small_registry.bodies["SNV"], deputies=1)
    assert set(of(Check.POST_VACANT, check_rules(on=ON))) == {"Sở Kế hoạch và Đầu tư"}


def test_ended_appointment_leaves_the_post_vacant(small_registry):
    post = Post.objects.create(
        organization=small_registry.bodies["SNV"], title="Giám đốc", kind=PostKind.HEAD
    )
    person = Person.objects.create(full_name="Nguyễn Văn A")
    Appointment.objects.create(
        person=person, post=post, valid_from=date(2020, 1, 1), valid_to=date(2023, 3, 1)
    )
    assert "Sở Nội vụ" not in of(Check.POST_VACANT, check_rules(on=date(2023, 2, 1)))
    assert "Sở Nội vụ" in of(Check.POST_VACANT, check_rules(on=ON))


def test_concurrent_posts_are_checked_against_the_models(small_registry):
    ConcurrentPostModel.objects.create(
        name="Bí thư đồng thời là Chủ tịch UBND",
        primary_organization_kind=OrganizationKind.PARTY_COMMITTEE,
        primary_post_kind=PostKind.HEAD,
        concurrent_organization_kind=OrganizationKind.PEOPLES_COMMITTEE,
        concurrent_post_kind=PostKind.HEAD,
        is_pilot=True,
        source="Kết luận 50-KL/TW",
    )
    r = small_registry
    secretary = Post.objects.create(
        organization=r.bodies["HUCJ"], title="Bí thư Huyện ủy", kind=PostKind.HEAD
    )
    chair = Post.objects.create(
        organization=r.bodies["UBCJ"], title="Chủ tịch UBND huyện", kind=PostKind.HEAD
    )
    elsewhere = Post.objects.create(
        organization=r.bodies["UBGN"], title="Phó Chủ tịch UBND thành phố", kind=PostKind.DEPUTY
    )
    allowed = Person.objects.create(full_name="Trần Thị B")
    Appointment.objects.create(person=allowed, post=secretary)
    Appointment.objects.create(person=allowed, post=chair, is_concurrent=True)
    outside = Person.objects.create(full_name="Lê Văn C")
    Appointment.objects.create(
        person=outside,
        post=Post.objects.create(organization=r.bodies["SNV"], title="Giám đốc", kind=PostKind.HEAD),
    )
    Appointment.objects.create(person=outside, post=elsewhere, is_concurrent=True)
    found = [v for v in check_rules(on=ON) if v.check == Check.CONCURRENT_POST_OUTSIDE_MODEL]
    assert [v.organization for v in found] == ["Ủy ban nhân dân thành phố Gia Nghĩa"]
    assert "Lê Văn C" in found[0].message


def test_job_position_filled_beyond_plan(small_registry):
    JobPosition.objects.create(
        organization=small_registry.bodies["SNV"],
        name="Chuyên viên về tổ chức bộ máy",
        group=JobPositionGroup.PROFESSIONAL,
        planned_count=3,
        filled_count=4,
    )
    JobPosition.objects.create(
        organization=small_registry.bodies["SNV"],
        name="Văn thư",
        group=JobPositionGroup.SUPPORT,
        planned_count=1,
        filled_count=1,
    )
    found = [v for v in check_rules(on=ON) if v.check == Check.JOB_POSITION_OVER_PLAN]
    assert [(v.figure, v.limit) for v in found] == [(4, 3)]


def test_rule_checks_run_in_a_bounded_number_of_queries(
    small_registry, department_rules, django_assert_max_num_queries
):
    for code in ("SNV", "SKHDT"):
        staff_body(small_registry.bodies[code], deputies=4, others=10)
    with django_assert_max_num_queries(15):
        check_rules(on=ON)


def test_a_bodys_roadmap_year_by_year(small_registry):
    target = StaffReductionTarget.objects.create(
        name="Tinh giản",
        category=StaffCategory.CADRE_CIVIL_SERVANT,
        base_year=2021,
        start_year=2022,
        end_year=2026,
        percent=5,
        source=KL40,
    )
    body = small_registry.bodies["SNV"]
    for year, assigned in ((2021, 100), (2022, 99), (2023, 99)):
        StaffingQuota.objects.create(
            organization=body, year=year, category=StaffCategory.CADRE_CIVIL_SERVANT, assigned=assigned
        )
    staff_body(body, deputies=1, others=90)  # 92 people from 31/3/2023
    years = reduction_roadmap(organization=body, target=target, on=ON)
    assert [(y.year, y.limit, y.assigned, y.actual, y.behind) for y in years] == [
        (2022, 99, 99, 2, False),
        (2023, 98, 99, 92, True),
    ]
