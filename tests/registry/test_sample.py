"""The Đắk Nông sample registry: loads whole into an empty registry, refuses a full one, holds what it
plants."""

from __future__ import annotations

import json
import unicodedata
from collections import Counter, defaultdict
from datetime import date
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, models

from dondoc.registry.models import (
    Appointment,
    ConcurrentPostModel,
    DeputyLimitRule,
    Function,
    JobPosition,
    Jurisdiction,
    Level,
    Organization,
    OrganizationAlias,
    OrganizationGroup,
    OrganizationGroupAlias,
    OrganizationKind,
    Person,
    Post,
    PostKind,
    Reorganization,
    RequiredFunction,
    StaffingQuota,
    StaffRecord,
    StaffReductionTarget,
)
from dondoc.registry.resolution import resolve_addressees
from dondoc.registry.rules import Check, check_rules
from dondoc.registry.sample import (
    DATA_FILES,
    REGISTRY_MODELS,
    SAMPLE_DATA,
    SampleRegistryNotEmpty,
    load_sample_registry,
)
from dondoc.text import fold

SEED_LETTER_DAY = date(2023, 4, 17)
EXPECTED: dict[str, Any] = json.loads((SAMPLE_DATA / "expected.json").read_text(encoding="utf-8"))

# The addressees and leads of 1317-CV/TU (src/dondoc/samples/1317-CV-TU.md) and the bodies they mean.
SEED_PHRASES = {
    "Đảng đoàn HĐND tỉnh": {"DNO.DDHDND"},
    "Ban cán sự đảng UBND tỉnh": {"DNO.BCSUBND"},
    "Đảng ủy Khối các cơ quan và doanh nghiệp tỉnh": {"DNO.DUK"},
    "Ban Tổ chức Tỉnh ủy": {"DNO.BTCTU"},
    "Ban Thường vụ Tỉnh ủy": {"DNO.BTVTU"},
    "Thường trực Tỉnh ủy": {"DNO.TTTU"},
    "Ủy ban Mặt trận Tổ quốc": {"DNO.MTTQ"},
}
SEED_GROUP_PHRASES = {
    "Các sở, ban, ngành": "SBN",
    "Các tổ chức chính trị - xã hội tỉnh và tương đương": "CTXHTD",
    "Ban thường vụ các huyện ủy, thành ủy": "BTVHU",
    "Ban thường vụ huyện ủy, thành ủy": "BTVHU",
}


@pytest.fixture
def sample(db: None) -> None:
    load_sample_registry()


def body(code: str) -> Organization:
    return Organization.objects.get(code=code)


def table_counts() -> dict[str, int]:
    """Rows of every registry table and of its history table."""
    counts = {}
    for model in REGISTRY_MODELS:
        counts[model._meta.label] = model._default_manager.count()
        history = getattr(model, "history", None)
        if history is not None:
            counts[f"{model._meta.label} history"] = history.count()
    return counts


def group_rule_members(group: OrganizationGroup, on: date) -> set[int]:
    """The bodies the group's rule selects on the day: kinds, level, parent, and the jurisdiction with all
    below it."""
    bodies = Organization.objects.as_of(on)
    if group.kinds:
        bodies = bodies.filter(kind__in=group.kinds)
    if group.level:
        bodies = bodies.filter(level=group.level)
    if group.parent_id is not None:
        bodies = bodies.filter(parent_id=group.parent_id)
    if group.jurisdiction_id is not None:
        children = defaultdict(list)
        for territory_id, parent_id in Jurisdiction.objects.as_of(on).values_list("id", "parent_id"):
            children[parent_id].append(territory_id)
        within, stack = set(), [group.jurisdiction_id]
        while stack:
            within.add(territory := stack.pop())
            stack.extend(children[territory])
        bodies = bodies.filter(jurisdiction_id__in=within)
    return set(bodies.values_list("id", flat=True))


def holders_on(post: Post, on: date) -> list[Appointment]:
    return [appointment for appointment in post.appointments.all() if appointment.is_valid_on(on)]


def deputies_on(code: str, on: date) -> int:
    posts = (
        Post.objects.as_of(on)
        .filter(organization__code=code, kind=PostKind.DEPUTY)
        .prefetch_related("appointments")
    )
    return sum(1 for post in posts if holders_on(post, on))


# ---------------------------------------------------------------- loading


def test_loading_into_an_empty_registry_writes_every_row(db: None) -> None:
    summary = load_sample_registry()
    assert summary.counts == EXPECTED["counts"]
    assert summary.deleted == {}
    for name, count in EXPECTED["counts"].items():
        model = next(model for model in REGISTRY_MODELS if model._meta.model_name == name)
        assert model._default_manager.count() == count, name
        # one history row per row written; a group's members add one more as they are set
        extra = (
            OrganizationGroup.objects.filter(members__isnull=False).distinct().count()
            if model is OrganizationGroup
            else 0
        )
        if model is Reorganization:  # originals and results are set one after the other
            extra = 2 * count
        assert model.history.count() == count + extra, name  # type: ignore[attr-defined]


def test_the_territories_are_the_province_its_8_districts_and_71_communes(sample: None) -> None:
    territories = Counter(Jurisdiction.objects.values_list("level", flat=True))
    # and the country, the territory of the catalogue of central bodies
    assert territories == {Level.CENTRAL: 1, Level.PROVINCE: 1, Level.DISTRICT: 8, Level.COMMUNE: 71}
    assert Counter(Jurisdiction.objects.values_list("kind", flat=True)) == EXPECTED["territories_by_kind"]
    assert set(Jurisdiction.objects.filter(level=Level.DISTRICT).values_list("name", flat=True)) == {
        "thành phố Gia Nghĩa",
        "huyện Cư Jút",
        "huyện Đắk Glong",
        "huyện Đắk Mil",
        "huyện Đắk R'Lấp",
        "huyện Đắk Song",
        "huyện Krông Nô",
        "huyện Tuy Đức",
    }
    communes_per_district = Counter(
        Jurisdiction.objects.filter(level=Level.COMMUNE).values_list("parent__name", flat=True)
    )
    assert communes_per_district == {
        "thành phố Gia Nghĩa": 8,
        "huyện Cư Jút": 8,
        "huyện Đắk Glong": 7,
        "huyện Đắk Mil": 10,
        "huyện Đắk R'Lấp": 11,
        "huyện Đắk Song": 9,
        "huyện Krông Nô": 12,
        "huyện Tuy Đức": 6,
    }


def test_every_commune_has_its_party_committee_council_committee_and_front(sample: None) -> None:
    for kind in (
        OrganizationKind.PARTY_COMMITTEE,
        OrganizationKind.PEOPLES_COUNCIL,
        OrganizationKind.PEOPLES_COMMITTEE,
        OrganizationKind.FATHERLAND_FRONT,
    ):
        bodies = Organization.objects.filter(level=Level.COMMUNE, kind=kind)
        assert bodies.values("jurisdiction").distinct().count() == 71, kind
    # a commune's Party committee answers to its district's (or the city's)
    for committee in Organization.objects.filter(level=Level.COMMUNE, kind=OrganizationKind.PARTY_COMMITTEE):
        assert committee.parent is not None
        assert committee.parent.jurisdiction_id == committee.jurisdiction.parent_id  # type: ignore[union-attr]
    assert (
        Organization.objects.filter(level=Level.DISTRICT, kind=OrganizationKind.PARTY_COMMITTEE).count() == 8
    )
    assert body("GNG.HU").name == "Thành ủy Gia Nghĩa"


def test_loading_twice_refuses_and_changes_nothing(sample: None) -> None:
    before = table_counts()
    with pytest.raises(SampleRegistryNotEmpty) as refusal:
        load_sample_registry()
    assert refusal.value.present  # it says what is there
    assert table_counts() == before


def test_replace_deletes_everything_and_loads_again(sample: None) -> None:
    province = Jurisdiction.objects.get(code="DNO")
    Organization.objects.create(
        code="EXTRA",
        name="Cơ quan thêm",
        kind=OrganizationKind.OTHER,
        level=Level.PROVINCE,
        jurisdiction=province,
    )
    summary = load_sample_registry(replace=True)
    assert summary.deleted["organization"] == EXPECTED["counts"]["organization"] + 1
    assert summary.counts == EXPECTED["counts"]
    assert not Organization.objects.filter(code="EXTRA").exists()
    assert Organization.objects.count() == EXPECTED["counts"]["organization"]
    # the deletions are in the history too: one "+" per load, one "-" per deleted row
    assert Organization.history.filter(history_type="-").count() == EXPECTED["counts"]["organization"] + 1


def test_the_command_loads_and_prints_the_counts(db: None, capsys: pytest.CaptureFixture[str]) -> None:
    call_command("load_sample_registry")
    out = capsys.readouterr().out
    assert f": {EXPECTED['counts']['organization']}" in out
    assert Organization.objects.count() == EXPECTED["counts"]["organization"]


def test_the_command_refuses_a_full_registry_in_one_line(sample: None) -> None:
    with pytest.raises(CommandError) as refusal:
        call_command("load_sample_registry")
    assert "\n" not in str(refusal.value)
    assert str(EXPECTED["counts"]["organization"]) in str(refusal.value)


def test_the_command_replaces_when_asked(sample: None, capsys: pytest.CaptureFixture[str]) -> None:
    call_command("load_sample_registry", "--replace")
    assert Organization.objects.count() == EXPECTED["counts"]["organization"]


# ---------------------------------------------------------------- the data itself


def test_data_files_are_nfc(db: None) -> None:
    for name in (*DATA_FILES, "expected"):
        text = (SAMPLE_DATA / f"{name}.json").read_text(encoding="utf-8")
        assert unicodedata.is_normalized("NFC", text), name


def test_every_row_passes_the_models_validation(sample: None) -> None:
    for model in REGISTRY_MODELS:
        relations = [field.name for field in model._meta.fields if field.is_relation]
        for obj in model._default_manager.all():
            obj.full_clean(exclude=relations, validate_unique=False, validate_constraints=False)


def test_people_and_figures_are_marked_as_sample(sample: None) -> None:
    for model in (Person, JobPosition, StaffingQuota, StaffRecord):
        assert not model._default_manager.filter(is_sample=False).exists(), model


def test_aliases_fold_to_distinct_names_within_each_body(sample: None) -> None:
    names: dict[int, list[str]] = defaultdict(list)
    for organization_id, folded in Organization.objects.values_list("id", "folded_name"):
        names[organization_id].append(folded)
    for organization_id, text, folded in OrganizationAlias.objects.values_list(
        "organization_id", "text", "folded"
    ):
        assert folded == fold(text)
        names[organization_id].append(folded)
    for group_id, text in OrganizationGroupAlias.objects.values_list("group_id", "text"):
        names[-group_id].append(fold(text))
    for group_id, name in OrganizationGroup.objects.values_list("id", "name"):
        names[-group_id].append(fold(name))
    repeated = {key: folded for key, folded in names.items() if len(set(folded)) != len(folded)}
    assert repeated == {}


def test_every_group_has_members_on_the_seed_letters_day(sample: None) -> None:
    for group in OrganizationGroup.objects.prefetch_related("members"):
        members = {member.id for member in group.members.all() if member.is_valid_on(SEED_LETTER_DAY)}
        if group.has_rule:
            by_rule = group_rule_members(group, SEED_LETTER_DAY)
            assert by_rule, group.code
            members |= by_rule
        assert members, group.code
        assert group.aliases.count() >= 2, group.code


@pytest.mark.parametrize(
    ("code", "size"),
    [
        ("SBN", 19),
        ("BTVHU", 8),
        ("HUTU", 8),
        ("UBNDH", 8),
        ("DUX", 71),
        ("UBNDX", 71),
        ("BDTU", 6),
        ("DDBCS", 7),
    ],
)
def test_groups_by_rule_select_the_real_sets(sample: None, code: str, size: int) -> None:
    assert len(group_rule_members(OrganizationGroup.objects.get(code=code), SEED_LETTER_DAY)) == size


def test_the_equivalent_organisations_are_listed_explicitly(sample: None) -> None:
    group = OrganizationGroup.objects.get(code="CTXHTD")
    kinds = Counter(group.members.values_list("kind", flat=True))
    assert kinds == {OrganizationKind.SOCIO_POLITICAL_ORGANIZATION: 5, OrganizationKind.MASS_ASSOCIATION: 4}


def test_the_seed_letters_phrases_are_names_aliases_or_group_phrases(sample: None) -> None:
    names = set(Organization.objects.values_list("folded_name", flat=True)) | set(
        OrganizationAlias.objects.values_list("folded", flat=True)
    )
    for phrase in SEED_PHRASES:
        if phrase != "Ủy ban Mặt trận Tổ quốc":  # a generic name; the letter's issuer says which Front
            assert fold(phrase) in names, phrase
    groups = {fold(name): code for code, name in OrganizationGroup.objects.values_list("code", "name")}
    groups |= {
        folded: code for code, folded in OrganizationGroupAlias.objects.values_list("group__code", "folded")
    }
    for phrase, code in SEED_GROUP_PHRASES.items():
        assert groups.get(fold(phrase)) == code, phrase


def test_the_resolver_finds_the_seed_letters_addressees(sample: None) -> None:
    phrases = [*SEED_PHRASES, *SEED_GROUP_PHRASES]
    result = resolve_addressees(phrases=phrases, on=SEED_LETTER_DAY, issuer="TỈNH ỦY ĐẮK NÔNG")
    for phrase, resolution in zip(phrases, result.phrases, strict=True):
        assert resolution.resolved, phrase
        found = set(
            Organization.objects.filter(id__in=resolution.organization_ids).values_list("code", flat=True)
        )
        if phrase in SEED_PHRASES:
            assert found == SEED_PHRASES[phrase], phrase
    departments = result.phrases[len(SEED_PHRASES)]
    assert len(departments.organization_ids) == 19


# ---------------------------------------------------------------- the planted items


def test_planted_overlaps_are_functions_of_two_bodies(sample: None) -> None:
    assert len(EXPECTED["overlaps"]) >= 2
    for overlap in EXPECTED["overlaps"]:
        a, b = (
            Function.objects.as_of(SEED_LETTER_DAY).get(
                organization__code=side["organization"], position=side["position"]
            )
            for side in (overlap["a"], overlap["b"])
        )
        assert a.organization_id != b.organization_id
        shared = set(fold(a.text).split()) & set(fold(b.text).split())
        assert len(shared) >= 6, (a.text, b.text)


def test_the_planted_gap_is_required_and_held_by_nobody(sample: None) -> None:
    (gap,) = EXPECTED["gaps"]
    required = RequiredFunction.objects.get(text=gap["text"])
    assert required.organization_kinds == [OrganizationKind.DEPARTMENT]
    assert not [
        text for text in Function.objects.values_list("text", flat=True) if "thanh nien" in fold(text)
    ]
    assert 8 <= RequiredFunction.objects.count() <= 15


def test_one_body_is_over_its_quota(sample: None) -> None:
    (over,) = EXPECTED["over_quota"]
    quota = StaffingQuota.objects.get(
        organization__code=over["organization"], year=2023, category=over["category"]
    )
    record = StaffRecord.objects.filter(
        organization__code=over["organization"], category=over["category"]
    ).latest("counted_on")
    appointed = (
        Appointment.objects.as_of(record.counted_on)
        .filter(post__organization__code=over["organization"], is_concurrent=False)
        .count()
    )
    assert quota.assigned == over["assigned"]
    assert appointed + record.headcount == over["actual"] > quota.assigned


def test_one_body_is_behind_the_reduction_roadmap(sample: None) -> None:
    (behind,) = EXPECTED["behind_reduction_roadmap"]
    target = StaffReductionTarget.objects.as_of(SEED_LETTER_DAY).get(category=behind["category"])
    quotas = dict(
        StaffingQuota.objects.filter(
            organization__code=behind["organization"], category=behind["category"]
        ).values_list("year", "assigned")
    )
    share_due = (
        (2023 - target.base_year) / (target.end_year - target.base_year + 1) * float(target.percent) / 100
    )
    assert quotas[2023] > quotas[target.base_year] * (1 - share_due)
    # and the others keep to it
    for code in StaffingQuota.objects.filter(
        year=2021, organization__kind=OrganizationKind.DEPARTMENT
    ).values_list("organization__code", flat=True):
        if code != behind["organization"]:
            assigned = dict(
                StaffingQuota.objects.filter(
                    organization__code=code, category=behind["category"]
                ).values_list("year", "assigned")
            )
            assert assigned[2023] <= assigned[2021] * (1 - share_due), code


def test_deputies_over_the_limit_in_force_in_2023(sample: None) -> None:
    rules = DeputyLimitRule.objects.as_of(SEED_LETTER_DAY)
    assert not rules.filter(source__contains="370/2025").exists()  # later rules do not judge April 2023
    assert DeputyLimitRule.objects.filter(source__contains="370/2025", merger_grace_months=60).count() == 4
    for violation in EXPECTED["deputy_limit_violations"]:
        assert (
            deputies_on(violation["organization"], SEED_LETTER_DAY)
            == violation["deputies"]
            > violation["limit"]
        )
        assert rules.filter(name=violation["rule"], max_deputies=violation["limit"]).exists()
    average = EXPECTED["department_deputy_average"]
    departments = Organization.objects.as_of(SEED_LETTER_DAY).filter(
        kind=OrganizationKind.DEPARTMENT, level=Level.PROVINCE
    )
    total = sum(deputies_on(code, SEED_LETTER_DAY) for code in departments.values_list("code", flat=True))
    assert (departments.count(), total) == (average["departments"], average["deputies"])
    assert total / departments.count() <= 3 and not average["exceeds"]


def _models_matching(primary: Appointment, concurrent: Appointment) -> list[str]:
    def matches(body: Organization, post_kind: str, kind: str, wanted_post: str, contains: str) -> bool:
        return body.kind == kind and post_kind == wanted_post and fold(contains) in body.folded_name

    found = []
    for model in ConcurrentPostModel.objects.as_of(SEED_LETTER_DAY):
        first, second = primary.post.organization, concurrent.post.organization
        if model.level and {first.level, second.level} != {model.level}:
            continue
        if model.same_jurisdiction and first.jurisdiction_id != second.jurisdiction_id:
            continue
        if matches(
            first,
            primary.post.kind,
            model.primary_organization_kind,
            model.primary_post_kind,
            model.primary_name_contains,
        ) and matches(
            second,
            concurrent.post.kind,
            model.concurrent_organization_kind,
            model.concurrent_post_kind,
            model.concurrent_name_contains,
        ):
            found.append(model.name)
    return found


def _appointments(entry: dict[str, str]) -> tuple[Appointment, Appointment]:
    held = (
        Appointment.objects.as_of(SEED_LETTER_DAY)
        .filter(person__full_name=entry["person"])
        .select_related("post__organization")
    )
    primary = held.get(post__organization__code=entry["primary"], is_concurrent=False)
    concurrent = held.get(post__organization__code=entry["concurrent"], is_concurrent=True)
    return primary, concurrent


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the statistics are PostgreSQL's planner's")
def test_the_planner_has_statistics_on_the_loaded_registry(sample: None) -> None:
    # without them, the lookups below chose plans that read whole tables for each row (5 s a query)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, reltuples FROM pg_class WHERE relname = ANY(%s)",
            [[Appointment._meta.db_table, Person._meta.db_table, Post._meta.db_table]],
        )
        estimated = dict(cursor.fetchall())
    assert estimated == {model._meta.db_table: model.objects.count() for model in (Appointment, Person, Post)}


def test_allowed_concurrent_posts_match_their_model(sample: None) -> None:
    allowed = EXPECTED["concurrent_allowed"]
    assert {entry["model"] for entry in allowed} == set(
        ConcurrentPostModel.objects.values_list("name", flat=True)
    )
    for entry in allowed:
        assert _models_matching(*_appointments(entry)) == [entry["model"]], entry


def test_the_planted_concurrent_post_matches_no_model(sample: None) -> None:
    (violation,) = EXPECTED["concurrent_violations"]
    assert _models_matching(*_appointments(violation)) == []
    # and it is the only one
    concurrent = Appointment.objects.as_of(SEED_LETTER_DAY).filter(is_concurrent=True)
    assert concurrent.count() == len(EXPECTED["concurrent_allowed"]) + 1


def test_the_planted_vacancies_have_no_holder(sample: None) -> None:
    assert len(EXPECTED["vacant_posts"]) >= 2
    for vacancy in EXPECTED["vacant_posts"]:
        posts = Post.objects.filter(
            organization__code=vacancy["organization"], title=vacancy["title"], kind=vacancy["kind"]
        ).prefetch_related("appointments")
        assert [post for post in posts if not holders_on(post, SEED_LETTER_DAY)], vacancy


def test_the_over_filled_job_position(sample: None) -> None:
    (over,) = EXPECTED["over_filled_job_positions"]
    over_filled = JobPosition.objects.filter(filled_count__gt=models.F("planned_count"))
    assert list(over_filled.values_list("organization__code", "name")) == [
        (over["organization"], over["name"])
    ]
    assert JobPosition.objects.values("organization").distinct().count() in range(3, 6)
    assert Post.objects.filter(job_position__isnull=False).count() > 0


def test_a_post_remembers_who_held_it_before(sample: None) -> None:
    (director,) = Post.objects.filter(organization__code="DNO.SYT", kind=PostKind.HEAD)
    assert director.appointments.count() == 2
    assert len(holders_on(director, SEED_LETTER_DAY)) == 1
    assert len(holders_on(director, date(2022, 6, 1))) == 1
    assert holders_on(director, SEED_LETTER_DAY)[0] != holders_on(director, date(2022, 6, 1))[0]


def test_the_rule_checks_find_what_is_planted_and_nothing_else(sample: None) -> None:
    found = Counter(
        (violation.check, code)
        for violation in check_rules(on=SEED_LETTER_DAY)
        for code in Organization.objects.filter(id=violation.organization_id).values_list("code", flat=True)
    )
    (concurrent,) = EXPECTED["concurrent_violations"]
    concurrent_body = next(
        code
        for code in (concurrent["primary"], concurrent["concurrent"])
        if (Check.CONCURRENT_POST_OUTSIDE_MODEL, code) in found
    )
    planted = Counter(
        [(Check.DEPUTIES_OVER_LIMIT, v["organization"]) for v in EXPECTED["deputy_limit_violations"]]
        + [(Check.STAFF_OVER_QUOTA, v["organization"]) for v in EXPECTED["over_quota"]]
        + [(Check.REDUCTION_BEHIND_ROADMAP, v["organization"]) for v in EXPECTED["behind_reduction_roadmap"]]
        + [(Check.POST_VACANT, v["organization"]) for v in EXPECTED["vacant_posts"]]
        + [(Check.CONCURRENT_POST_OUTSIDE_MODEL, concurrent_body)]
        + [(Check.JOB_POSITION_OVER_PLAN, v["organization"]) for v in EXPECTED["over_filled_job_positions"]]
    )
    assert found == planted
