from datetime import date

import pytest

from dondoc.registry.models import (
    Appointment,
    DeputyLimitRule,
    Function,
    Level,
    Organization,
    OrganizationGroup,
    OrganizationKind,
    Person,
    Post,
    PostKind,
    Reorganization,
    ReorganizationKind,
    StaffCategory,
    StaffingQuota,
)
from dondoc.registry.reorganization import (
    NewBody,
    OpenWork,
    ReorganizationError,
    commit_reorganization,
    plan_reorganization,
    reorganization_planned,
)
from dondoc.registry.resolution import resolve_addressees
from dondoc.registry.rules import Check, check_rules
from dondoc.registry.selectors import lineage

EFFECTIVE = date(2025, 3, 1)
BEFORE, AFTER = date(2025, 2, 28), date(2025, 3, 1)


def staff(body: Organization, deputies: int) -> None:
    head = Post.objects.create(organization=body, title="Giám đốc", kind=PostKind.HEAD)
    Appointment.objects.create(person=Person.objects.create(full_name=f"Giám đốc {body.code}"), post=head)
    for number in range(deputies):
        post = Post.objects.create(organization=body, title="Phó Giám đốc", kind=PostKind.DEPUTY)
        Appointment.objects.create(
            person=Person.objects.create(full_name=f"Phó {body.code} {number}"), post=post
        )
    Function.objects.create(organization=body, text=f"Tham mưu về lĩnh vực của {body.name}")
    StaffingQuota.objects.create(
        organization=body, year=2025, category=StaffCategory.CADRE_CIVIL_SERVANT, assigned=40
    )


@pytest.fixture
def two_departments(small_registry):
    DeputyLimitRule.objects.create(
        name="Cấp phó sở",
        organization_kind=OrganizationKind.DEPARTMENT,
        level=Level.PROVINCE,
        max_deputies=3,
        merger_grace_months=60,
        source="Nghị định 107/2020/NĐ-CP",
    )
    staff(small_registry.bodies["SNV"], 3)
    staff(small_registry.bodies["SKHDT"], 3)
    group = OrganizationGroup.objects.create(code="G", name="Nhóm thử")
    group.members.set([small_registry.bodies["SNV"]])
    return small_registry


def merger_plan(r):
    return plan_reorganization(
        kind=ReorganizationKind.MERGE,
        originals=[r.bodies["SNV"], r.bodies["SKHDT"]],
        effective_on=EFFECTIVE,
        decision="Nghị quyết số 01/NQ-HĐND",
        new_bodies=[
            NewBody(
                code="SNVKH",
                name="Sở Nội vụ và Kế hoạch",
                kind=OrganizationKind.DEPARTMENT,
                level=Level.PROVINCE,
                parent=r.bodies["UBND"],
                jurisdiction=r.territories["DNO"],
            )
        ],
    )


def test_a_merger_plan_lists_its_consequences_and_writes_nothing(two_departments):
    before = (Organization.objects.count(), Post.objects.count(), Appointment.objects.count())
    plan = merger_plan(two_departments)
    assert (Organization.objects.count(), Post.objects.count(), Appointment.objects.count()) == before
    assert len(plan.post_moves) == 8
    assert {move.to for move in plan.post_moves} == {"Sở Nội vụ và Kế hoạch"}
    assert "Giám đốc SNV" in {holder for move in plan.post_moves for holder in move.holders}
    [deputies] = plan.deputies
    assert (deputies.deputies, deputies.limit, deputies.over_limit) == (6, 3, True)
    assert deputies.allowed_until == date(2030, 3, 1)
    assert [(q.year, q.assigned) for q in plan.quotas] == [(2025, 80)]
    assert plan.functions_carried == 2
    assert plan.groups_updated == ("Nhóm thử",)


def test_committing_a_merger_keeps_every_date_answerable(two_departments):
    r = two_departments
    plan = merger_plan(r)
    reorganization = commit_reorganization(plan=plan, fingerprint=plan.fingerprint)
    merged = Organization.objects.get(code="SNVKH")
    assert set(
        Organization.objects.as_of(BEFORE)
        .filter(kind=OrganizationKind.DEPARTMENT)
        .values_list("code", flat=True)
    ) == {"SNV", "SKHDT"}
    assert set(
        Organization.objects.as_of(AFTER)
        .filter(kind=OrganizationKind.DEPARTMENT)
        .values_list("code", flat=True)
    ) == {"SNVKH"}
    assert Post.objects.as_of(AFTER).filter(organization=merged).count() == 8
    assert Appointment.objects.as_of(AFTER).filter(post__organization=merged).count() == 8
    assert Appointment.objects.as_of(BEFORE).filter(post__organization=r.bodies["SNV"]).count() == 4
    assert Function.objects.as_of(AFTER).filter(organization=merged).count() == 2
    assert StaffingQuota.objects.get(organization=merged, year=2025).assigned == 80
    assert list(OrganizationGroup.objects.get(code="G").members.all()) == [merged]
    assert set(lineage(organization=merged).predecessors) == {reorganization}
    assert set(lineage(organization=r.bodies["SNV"]).successors) == {reorganization}


def test_after_a_merger_the_old_name_resolves_to_the_new_body(two_departments):
    plan = merger_plan(two_departments)
    commit_reorganization(plan=plan, fingerprint=plan.fingerprint)

    def codes(on: date) -> set[str]:
        ids = resolve_addressees(phrases=["Sở Nội vụ"], on=on, issuer="Tỉnh ủy Đắk Nông").organization_ids
        return set(Organization.objects.filter(id__in=ids).values_list("code", flat=True))

    assert codes(BEFORE) == {"SNV"}
    assert codes(AFTER) == {"SNVKH"}


def test_deputies_over_the_limit_after_a_merger_are_allowed_for_the_transition(two_departments):
    plan = merger_plan(two_departments)
    commit_reorganization(plan=plan, fingerprint=plan.fingerprint)
    [excess] = [
        v
        for v in check_rules(on=AFTER)
        if v.organization == "Sở Nội vụ và Kế hoạch" and v.check == Check.DEPUTIES_OVER_LIMIT_IN_TRANSITION
    ]
    assert (excess.figure, excess.limit, excess.allowed_until) == (6, 3, date(2030, 3, 1))


def test_a_plan_cannot_be_committed_twice(two_departments):
    plan = merger_plan(two_departments)
    commit_reorganization(plan=plan, fingerprint=plan.fingerprint)
    count = Organization.objects.count()
    with pytest.raises(ReorganizationError):
        commit_reorganization(plan=plan, fingerprint=plan.fingerprint)
    assert Organization.objects.count() == count
    assert Reorganization.objects.count() == 1


def test_absorption_moves_posts_into_the_existing_body(two_departments):
    r = two_departments
    plan = plan_reorganization(
        kind=ReorganizationKind.ABSORB,
        originals=[r.bodies["SKHDT"]],
        absorber=r.bodies["SNV"],
        effective_on=EFFECTIVE,
        decision="Quyết định 2",
    )
    assert plan.deputies[0].deputies == 6
    commit_reorganization(plan=plan, fingerprint=plan.fingerprint)
    assert Organization.objects.as_of(AFTER).filter(code="SKHDT").count() == 0
    assert Post.objects.as_of(AFTER).filter(organization=r.bodies["SNV"]).count() == 8
    assert StaffingQuota.objects.get(organization=r.bodies["SNV"], year=2025).assigned == 80


def test_a_split_sends_each_post_where_the_plan_says(two_departments):
    r = two_departments
    deputy = Post.objects.filter(organization=r.bodies["SNV"], kind=PostKind.DEPUTY).first()
    new = [
        NewBody(
            code=f"N{i}",
            name=name,
            kind=OrganizationKind.DEPARTMENT,
            level=Level.PROVINCE,
            jurisdiction=r.territories["DNO"],
        )
        for i, name in enumerate(("Sở A", "Sở B"))
    ]
    plan = plan_reorganization(
        kind=ReorganizationKind.SPLIT,
        originals=[r.bodies["SNV"]],
        new_bodies=new,
        effective_on=EFFECTIVE,
        decision="Quyết định 3",
        destinations={deputy.id: 1},
    )
    assert plan.warnings
    commit_reorganization(plan=plan, fingerprint=plan.fingerprint)
    assert Post.objects.as_of(AFTER).filter(organization__code="N1").count() == 1
    assert Post.objects.as_of(AFTER).filter(organization__code="N0").count() == 3
    assert Function.objects.as_of(AFTER).filter(organization__code__in=["N0", "N1"]).count() == 2


def test_dissolution_lists_the_people_who_lose_their_post(two_departments):
    r = two_departments
    plan = plan_reorganization(
        kind=ReorganizationKind.DISSOLVE,
        originals=[r.bodies["SKHDT"]],
        effective_on=EFFECTIVE,
        decision="Quyết định 4",
    )
    assert len(plan.people_leaving) == 4
    commit_reorganization(plan=plan, fingerprint=plan.fingerprint)
    assert Appointment.objects.as_of(AFTER).filter(post__organization=r.bodies["SKHDT"]).count() == 0


def test_a_renamed_body_answers_to_both_names_after(two_departments):
    r = two_departments
    plan = plan_reorganization(
        kind=ReorganizationKind.RENAME,
        originals=[r.bodies["SNV"]],
        effective_on=EFFECTIVE,
        decision="Quyết định 5",
        new_bodies=[
            NewBody(
                code="SNV2",
                name="Sở Nội vụ và Dân tộc",
                kind=OrganizationKind.DEPARTMENT,
                level=Level.PROVINCE,
                jurisdiction=r.territories["DNO"],
            )
        ],
    )
    commit_reorganization(plan=plan, fingerprint=plan.fingerprint)
    ids = resolve_addressees(
        phrases=["Sở Nội vụ", "Sở Nội vụ và Dân tộc"], on=AFTER, issuer="TỈNH ỦY ĐẮK NÔNG"
    ).organization_ids
    assert set(Organization.objects.filter(id__in=ids).values_list("code", flat=True)) == {"SNV2"}


@pytest.mark.parametrize(
    ("kind", "originals", "message"),
    [
        (ReorganizationKind.MERGE, ["SNV"], "hai cơ quan trở lên"),
        (ReorganizationKind.SPLIT, ["SNV", "SKHDT"], "một cơ quan ban đầu"),
    ],
)
def test_a_reorganisation_of_the_wrong_shape_is_refused(two_departments, kind, originals, message):
    r = two_departments
    with pytest.raises(ReorganizationError, match=message):
        plan_reorganization(
            kind=kind,
            originals=[r.bodies[c] for c in originals],
            effective_on=EFFECTIVE,
            decision="x",
            new_bodies=[NewBody(code="Z", name="Z", kind="department", level="province")],
        )


def test_a_body_not_in_existence_on_the_date_is_refused(two_departments):
    with pytest.raises(ReorganizationError, match=r"Sở Ngoại vụ .*01/03/2025"):
        plan_reorganization(
            kind=ReorganizationKind.DISSOLVE,
            originals=[two_departments.bodies["SNGV"]],
            effective_on=EFFECTIVE,
            decision="x",
        )


def test_other_apps_report_open_work_into_the_plan(two_departments):
    def open_assignments(sender, plans, **kwargs):
        return [[OpenWork(body.name, 2, plan.carrier.name) for body in plan.originals] for plan in plans]

    reorganization_planned.connect(open_assignments)
    try:
        plan = merger_plan(two_departments)
    finally:
        reorganization_planned.disconnect(open_assignments)
    assert plan.open_work == (
        OpenWork("Sở Nội vụ", 2, "Sở Nội vụ và Kế hoạch"),
        OpenWork("Sở Kế hoạch và Đầu tư", 2, "Sở Nội vụ và Kế hoạch"),
    )


def test_a_plan_shown_before_the_registry_changed_is_refused_and_writes_nothing(two_departments):
    plan = merger_plan(two_departments)
    deputy = Post.objects.create(
        organization=two_departments.bodies["SNV"], title="Phó Giám đốc", kind="deputy"
    )
    Appointment.objects.create(person=Person.objects.create(full_name="Người mới"), post=deputy)
    before = (Organization.objects.count(), Post.objects.count(), Reorganization.objects.count())
    with pytest.raises(ReorganizationError, match="đã thay đổi"):
        commit_reorganization(plan=plan, fingerprint=plan.fingerprint)
    assert (Organization.objects.count(), Post.objects.count(), Reorganization.objects.count()) == before
    again = merger_plan(two_departments)
    assert again.fingerprint != plan.fingerprint
    assert "Người mới" in {holder for move in again.post_moves for holder in move.holders}


def test_the_same_inputs_give_the_same_fingerprint(two_departments):
    assert merger_plan(two_departments).fingerprint == merger_plan(two_departments).fingerprint


def test_a_body_cannot_absorb_itself(two_departments):
    r = two_departments
    with pytest.raises(ReorganizationError, match="Sở Nội vụ không thể tự sáp nhập vào chính mình"):
        plan_reorganization(
            kind=ReorganizationKind.ABSORB,
            originals=[r.bodies["SNV"], r.bodies["SKHDT"]],
            absorber=r.bodies["SNV"],
            effective_on=EFFECTIVE,
            decision="Quyết định 6",
        )


def test_a_date_before_a_body_existed_is_refused(two_departments):
    body = two_departments.bodies["SNV"]
    body.valid_from = date(2024, 1, 1)
    body.save()
    with pytest.raises(ReorganizationError, match=r"01/01/2024.*01/06/2023"):
        plan_reorganization(
            kind=ReorganizationKind.DISSOLVE, originals=[body], effective_on=date(2023, 6, 1), decision="x"
        )


def test_a_plan_needs_its_decision(two_departments):
    with pytest.raises(ReorganizationError, match="số, ngày"):
        plan_reorganization(
            kind=ReorganizationKind.DISSOLVE,
            originals=[two_departments.bodies["SKHDT"]],
            effective_on=EFFECTIVE,
            decision="  ",
        )


def test_a_split_with_no_results_is_refused(two_departments):
    with pytest.raises(ReorganizationError, match="hai cơ quan mới trở lên"):
        plan_reorganization(
            kind=ReorganizationKind.SPLIT,
            originals=[two_departments.bodies["SNV"]],
            effective_on=EFFECTIVE,
            decision="Quyết định 7",
        )


def test_a_dissolution_names_the_body_that_carries_its_open_work(two_departments):
    r = two_departments
    plan = plan_reorganization(
        kind=ReorganizationKind.DISSOLVE,
        originals=[r.bodies["SKHDT"]],
        successor=r.bodies["SNV"],
        effective_on=EFFECTIVE,
        decision="Quyết định 8",
    )
    assert plan.carrier == r.bodies["SNV"]
    with pytest.raises(ReorganizationError, match="không thể nhận"):
        plan_reorganization(
            kind=ReorganizationKind.DISSOLVE,
            originals=[r.bodies["SKHDT"]],
            successor=r.bodies["SKHDT"],
            effective_on=EFFECTIVE,
            decision="Quyết định 8",
        )


def test_a_plan_warns_of_bodies_left_below_a_body_that_ends(two_departments):
    department = two_departments.bodies["SKHDT"]
    Organization.objects.create(
        code="SKHDT.VP",
        name="Văn phòng Sở Kế hoạch và Đầu tư",
        kind=OrganizationKind.INTERNAL_UNIT,
        level=Level.PROVINCE,
        parent=department,
    )
    plan = plan_reorganization(
        kind=ReorganizationKind.DISSOLVE,
        originals=[department],
        effective_on=EFFECTIVE,
        decision="Quyết định 9",
    )
    assert any("Văn phòng Sở Kế hoạch và Đầu tư" in warning for warning in plan.warnings)
