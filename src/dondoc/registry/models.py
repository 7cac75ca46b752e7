"""The registry the directives are about.

History is never overwritten: every body, function, post and appointment carries a validity
interval [valid_from, valid_to) and a reorganisation ends old rows and begins new ones, so the
registry answers "as of date D" for any D. Open ends are stored as far-off sentinel dates rather
than NULL so that "valid on D" is one range condition an index can serve.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from dondoc.text import fold

OPEN_START = date(1900, 1, 1)
OPEN_END = date(9999, 12, 31)


class Level(models.TextChoices):
    CENTRAL = "central", _("central")
    PROVINCE = "province", _("province")
    DISTRICT = "district", _("district")
    COMMUNE = "commune", _("commune")


class OrganizationKind(models.TextChoices):
    PARTY_COMMITTEE = "party_committee", _("Party committee")
    STANDING_BOARD = "standing_board", _("standing board")
    STANDING_OFFICE = "standing_office", _("standing office")
    PARTY_ADVISORY_BODY = "party_advisory_body", _("Party advisory body")
    PARTY_DELEGATION = "party_delegation", _("Party delegation")
    PARTY_AFFAIRS_COMMITTEE = "party_affairs_committee", _("Party affairs committee")
    PARTY_BLOC_COMMITTEE = "party_bloc_committee", _("Party committee of a bloc")
    INSPECTION_COMMISSION = "inspection_commission", _("inspection commission")
    PEOPLES_COUNCIL = "peoples_council", _("People's Council")
    PEOPLES_COMMITTEE = "peoples_committee", _("People's Committee")
    DEPARTMENT = "department", _("department")
    PUBLIC_SERVICE_UNIT = "public_service_unit", _("public service unit")
    FATHERLAND_FRONT = "fatherland_front", _("Fatherland Front")
    SOCIO_POLITICAL_ORGANIZATION = "socio_political_organization", _("socio-political organisation")
    MASS_ASSOCIATION = "mass_association", _("mass association")
    JUDICIAL_BODY = "judicial_body", _("court or procuracy")
    INTERNAL_UNIT = "internal_unit", _("internal unit")
    OTHER = "other", _("other body")


class JurisdictionKind(models.TextChoices):
    COUNTRY = "country", _("country")
    PROVINCE = "province", _("province")
    CENTRAL_CITY = "central_city", _("centrally-run city")
    CITY = "city", _("city")
    TOWN = "town", _("town")
    DISTRICT = "district", _("district")
    COMMUNE = "commune", _("commune")
    WARD = "ward", _("ward")
    TOWNSHIP = "township", _("township")


class ValidityQuerySet(models.QuerySet[Any]):
    def as_of(self, on: date) -> ValidityQuerySet:
        """Rows valid on the given day: valid_from ≤ on < valid_to."""
        return self.filter(valid_from__lte=on, valid_to__gt=on)


class Validity(models.Model):
    valid_from = models.DateField(_("valid from"), default=OPEN_START)
    valid_to = models.DateField(
        _("valid to"), default=OPEN_END, help_text=_("exclusive: the first day it no longer holds")
    )

    objects = ValidityQuerySet.as_manager()

    class Meta:
        abstract = True

    def is_valid_on(self, on: date) -> bool:
        return self.valid_from <= on < self.valid_to

    def clean(self) -> None:
        super().clean()
        if self.valid_to <= self.valid_from:
            raise ValidationError({"valid_to": _("The end of validity must come after its start.")})


def region_key(to: str = "registry.Jurisdiction") -> models.ForeignKey[Any]:
    """A region (Jurisdiction.region) kept on a row by the database's triggers: never edited, never checked
    as a constraint on each of their writes, indexed where a query needs it."""
    return models.ForeignKey(
        to,
        null=True,
        editable=False,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        related_name="+",
    )


class Jurisdiction(Validity):
    """A territory (tỉnh, huyện, xã …) whose bodies a directive can address as a set."""

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=JurisdictionKind.choices)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        db_index=False,  # jurisdiction_parent starts with it
    )
    code = models.CharField(_("code"), max_length=40, unique=True)
    # The territory right under the root that holds this one (a province of the country; itself when it is
    # one; none for the root). Kept by the database's triggers on every write to the tree (migration 0009), so
    # that the bodies and assignments of a province carry it and a province's monitor reads them by one key.
    region = region_key("self")
    history = HistoricalRecords(excluded_fields=["region"])

    class Meta:
        verbose_name = _("jurisdiction")
        verbose_name_plural = _("jurisdictions")
        ordering = ["level", "name"]
        # a territory's subtree (registry.selectors.territory_and_below, once per monitor's page) read from
        # the index alone, level by level: with the parent alone, PostgreSQL hashed all 13,793 territories at
        # each level (a province: 10.8 ms, against 0.6)
        indexes = [models.Index(fields=["parent", "id"], name="jurisdiction_parent")]

    def __str__(self) -> str:
        return self.name


class Organization(Validity):
    """Any body of the political system: a Party committee, a department, a commune People's Committee …"""

    name = models.CharField(_("name"), max_length=300)
    short_name = models.CharField(_("short name"), max_length=100, blank=True)
    code = models.CharField(
        _("code"), max_length=60, unique=True, help_text=_("stable identifier used by imports")
    )
    kind = models.CharField(_("kind"), max_length=40, choices=OrganizationKind.choices)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    # db_index=False where a composite "<foreign key>, validity" index already starts with the column
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent body"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        db_index=False,
    )
    jurisdiction = models.ForeignKey(
        Jurisdiction,
        verbose_name=_("jurisdiction"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="organizations",
    )
    outside_jurisdiction = models.BooleanField(
        _("outside the jurisdiction"),
        default=False,
        help_text=_(
            "known to the registry (a ministry, a central Party board, another province's body) so that "
            "directives naming it are understood, but never assigned a task unless a reviewer decides so"
        ),
    )
    folded_name = models.CharField(max_length=300, editable=False, db_index=True)
    # The region (Jurisdiction.region) of its territory and that of its parent's: a province's monitor sees
    # the bodies of the one and those under a body of the other. Kept by the database's triggers (0009).
    region = region_key()
    parent_region = region_key()
    history = HistoricalRecords(excluded_fields=["region", "parent_region"])

    class Meta:
        verbose_name = _("body")
        verbose_name_plural = _("bodies")
        ordering = ["level", "name"]
        # no index on the validity alone: "every body on day D" returns most of the table (BENCHMARKS.md)
        indexes = [
            models.Index(fields=["kind", "level", "valid_to", "valid_from"], name="org_kind_level_validity"),
            # with the id, a monitor's bodies below their territory's are read from the index alone: without
            # it PostgreSQL scanned all of org_in_territory for a province's 3,549 parents (12 ms against 5)
            models.Index(fields=["parent", "valid_to", "valid_from", "id"], name="org_parent_validity"),
            # a monitor's bodies (directives.access): the ids of a territory's bodies and of those below
            # them, read from the index alone
            models.Index(fields=["jurisdiction", "id", "parent"], name="org_in_territory"),
            # a province's bodies, and the few under one of them that lie elsewhere, from the index alone
            models.Index(fields=["region", "id"], name="org_region"),
            models.Index(fields=["parent_region", "region", "id"], name="org_parent_region"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.folded_name = fold(self.name)
        super().save(*args, **kwargs)


class AliasKind(models.TextChoices):
    ABBREVIATION = "abbreviation", _("abbreviation")
    ALTERNATIVE = "alternative", _("alternative name")
    FORMER = "former", _("former name")


class OrganizationAlias(models.Model):
    """Another way documents name a body: BTCTU, Sở KH&ĐT, Tỉnh ủy Đắk Nông …"""

    organization = models.ForeignKey(
        Organization, verbose_name=_("body"), on_delete=models.CASCADE, related_name="aliases"
    )
    text = models.CharField(_("alias"), max_length=300)
    kind = models.CharField(
        _("kind"), max_length=20, choices=AliasKind.choices, default=AliasKind.ALTERNATIVE
    )
    folded = models.CharField(max_length=300, editable=False, db_index=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("alias of a body")
        verbose_name_plural = _("aliases of bodies")
        constraints = [models.UniqueConstraint(fields=["organization", "folded"], name="unique_org_alias")]

    def __str__(self) -> str:
        return self.text

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.folded = fold(self.text)
        super().save(*args, **kwargs)


class OrganizationGroup(models.Model):
    """A collective name directives use ("các sở, ban, ngành tỉnh"), by members, by rule, or both.

    The rule selects bodies of the given kinds and level under the given parent body or inside the
    given jurisdiction (an empty part of the rule does not restrict); explicit members are added.
    """

    name = models.CharField(_("name"), max_length=300)
    code = models.CharField(_("code"), max_length=60, unique=True)
    kinds = models.JSONField(_("kinds of body"), default=list, blank=True)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices, blank=True)
    parent = models.ForeignKey(
        Organization,
        verbose_name=_("under the body"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    jurisdiction = models.ForeignKey(
        Jurisdiction,
        verbose_name=_("within the jurisdiction"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    members = models.ManyToManyField(
        Organization, verbose_name=_("explicit members"), blank=True, related_name="+"
    )
    history = HistoricalRecords(m2m_fields=[members])

    class Meta:
        verbose_name = _("group of bodies")
        verbose_name_plural = _("groups of bodies")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def has_rule(self) -> bool:
        return bool(self.kinds or self.level or self.parent_id or self.jurisdiction_id)

    def clean(self) -> None:
        super().clean()
        unknown = [kind for kind in self.kinds or [] if kind not in OrganizationKind.values]
        if unknown:
            raise ValidationError(
                {"kinds": _("Unknown kinds of body: %(kinds)s") % {"kinds": ", ".join(unknown)}}
            )


class OrganizationGroupAlias(models.Model):
    group = models.ForeignKey(
        OrganizationGroup, verbose_name=_("group"), on_delete=models.CASCADE, related_name="aliases"
    )
    text = models.CharField(_("phrase"), max_length=300)
    folded = models.CharField(max_length=300, editable=False, db_index=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("phrase naming a group")
        verbose_name_plural = _("phrases naming groups")
        constraints = [models.UniqueConstraint(fields=["group", "folded"], name="unique_group_alias")]

    def __str__(self) -> str:
        return self.text

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.folded = fold(self.text)
        super().save(*args, **kwargs)


class FunctionKind(models.TextChoices):
    FUNCTION = "function", _("function")
    DUTY = "duty", _("duty")
    POWER = "power", _("power")


class Function(Validity):
    """One item of a body's functions, duties and powers; a new version ends the old row."""

    organization = models.ForeignKey(
        Organization,
        verbose_name=_("body"),
        on_delete=models.PROTECT,
        related_name="functions",
        db_index=False,
    )
    kind = models.CharField(_("kind"), max_length=10, choices=FunctionKind.choices, default=FunctionKind.DUTY)
    position = models.PositiveIntegerField(_("position"), default=0)
    text = models.TextField(_("text"))
    source = models.CharField(_("legal source"), max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("function, duty or power")
        verbose_name_plural = _("functions, duties and powers")
        ordering = ["organization", "position"]
        indexes = [
            models.Index(fields=["organization", "valid_to", "valid_from"], name="function_org_validity")
        ]

    def __str__(self) -> str:
        return self.text[:80]


class RequiredFunction(models.Model):
    """An item of the catalogue of functions some body must hold (for finding gaps)."""

    text = models.TextField(_("text"))
    organization_kinds = models.JSONField(_("held by a body of kinds"), default=list, blank=True)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices, blank=True)
    source = models.CharField(_("legal source"), max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("required function")
        verbose_name_plural = _("catalogue of required functions")

    def __str__(self) -> str:
        return self.text[:80]


class StaffCategory(models.TextChoices):
    CADRE_CIVIL_SERVANT = "cadre_civil_servant", _("cadres and civil servants")
    PUBLIC_EMPLOYEE = "public_employee", _("public employees")
    CONTRACT = "contract", _("contract staff")
    PART_TIME = "part_time", _("part-time workers")


class JobPositionGroup(models.TextChoices):
    LEADERSHIP = "leadership", _("leadership and management")
    PROFESSIONAL = "professional", _("professional")
    SUPPORT = "support", _("support and service")


class JobPosition(Validity):
    """One entry of a body's job-position catalogue."""

    organization = models.ForeignKey(
        Organization, verbose_name=_("body"), on_delete=models.PROTECT, related_name="job_positions"
    )
    name = models.CharField(_("name"), max_length=300)
    group = models.CharField(_("group"), max_length=20, choices=JobPositionGroup.choices)
    competencies = models.JSONField(_("competency framework"), default=list, blank=True)
    description = models.TextField(_("job description"), blank=True)
    planned_count = models.PositiveIntegerField(_("planned count"), default=1)
    filled_count = models.PositiveIntegerField(_("filled count"), default=0)
    is_sample = models.BooleanField(_("sample data"), default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("job position")
        verbose_name_plural = _("job positions")
        ordering = ["organization", "group", "name"]

    def __str__(self) -> str:
        return self.name


class PostKind(models.TextChoices):
    HEAD = "head", _("head")
    DEPUTY = "deputy", _("deputy")
    MEMBER = "member", _("member")
    STAFF = "staff", _("staff")


class Post(Validity):
    """A post within a body: Giám đốc, Phó Giám đốc, Bí thư, Ủy viên Ban Thường vụ …"""

    organization = models.ForeignKey(
        Organization, verbose_name=_("body"), on_delete=models.PROTECT, related_name="posts", db_index=False
    )
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=10, choices=PostKind.choices)
    category = models.CharField(
        _("staff category"),
        max_length=20,
        choices=StaffCategory.choices,
        default=StaffCategory.CADRE_CIVIL_SERVANT,
    )
    job_position = models.ForeignKey(
        JobPosition,
        verbose_name=_("job position"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="posts",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("post")
        verbose_name_plural = _("posts")
        ordering = ["organization", "kind", "title"]
        indexes = [models.Index(fields=["organization", "valid_to", "valid_from"], name="post_org_validity")]

    def __str__(self) -> str:
        return f"{self.title} – {self.organization}"


class Gender(models.TextChoices):
    FEMALE = "female", _("female")
    MALE = "male", _("male")


class Person(models.Model):
    full_name = models.CharField(_("full name"), max_length=200)
    birth_year = models.PositiveSmallIntegerField(_("year of birth"), null=True, blank=True)
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices, blank=True)
    is_sample = models.BooleanField(_("sample data"), default=False, help_text=_("an invented person"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["full_name"]

    def __str__(self) -> str:
        return self.full_name


class Appointment(Validity):
    """A person holding a post from valid_from to valid_to, as the primary post or concurrently."""

    person = models.ForeignKey(
        Person,
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="appointments",
        db_index=False,
    )
    post = models.ForeignKey(
        Post, verbose_name=_("post"), on_delete=models.PROTECT, related_name="appointments", db_index=False
    )
    is_concurrent = models.BooleanField(_("concurrent post"), default=False)
    decision = models.CharField(
        _("decision"), max_length=300, blank=True, help_text=_("e.g. Quyết định số 123-QĐ/TU")
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("appointment")
        verbose_name_plural = _("appointments")
        ordering = ["-valid_from"]
        indexes = [
            models.Index(fields=["post", "valid_to", "valid_from"], name="appointment_post_validity"),
            models.Index(fields=["person", "valid_to", "valid_from"], name="appointment_person_validity"),
        ]

    def __str__(self) -> str:
        return f"{self.person} – {self.post}"


class StaffRecord(models.Model):
    """Headcount of a body's staff who hold no post recorded in the registry, counted on a date.

    The actual headcount of a body is its people with a primary appointment plus its latest record.
    """

    organization = models.ForeignKey(
        Organization, verbose_name=_("body"), on_delete=models.PROTECT, related_name="staff_records"
    )
    category = models.CharField(_("staff category"), max_length=20, choices=StaffCategory.choices)
    counted_on = models.DateField(_("counted on"))
    headcount = models.PositiveIntegerField(_("headcount"))
    is_sample = models.BooleanField(_("sample data"), default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("staff record")
        verbose_name_plural = _("staff records")
        ordering = ["organization", "category", "-counted_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "category", "counted_on"], name="unique_staff_record"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organization} {self.category} {self.counted_on}: {self.headcount}"


class StaffingQuota(models.Model):
    """Biên chế: the headcount assigned to a body for a year in one staff category."""

    organization = models.ForeignKey(
        Organization, verbose_name=_("body"), on_delete=models.PROTECT, related_name="staffing_quotas"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    category = models.CharField(_("staff category"), max_length=20, choices=StaffCategory.choices)
    assigned = models.PositiveIntegerField(_("assigned quota"))
    decision = models.CharField(_("decision"), max_length=300, blank=True)
    is_sample = models.BooleanField(_("sample data"), default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("staffing quota")
        verbose_name_plural = _("staffing quotas")
        ordering = ["organization", "year", "category"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "year", "category"], name="unique_staffing_quota")
        ]

    def __str__(self) -> str:
        return f"{self.organization} {self.year} {self.category}: {self.assigned}"


class DeputyLimitScope(models.TextChoices):
    PER_BODY = "per_body", _("each body")
    AVERAGE = "average", _("on average over the bodies of the kind in a jurisdiction")


class DeputyLimitRule(Validity):
    """The maximum number of deputies for a kind of body, with the legal source saying so.

    A rule may apply only to bodies whose headcount lies in [min_staff, max_staff]; a body formed
    by a merger may exceed the limit for merger_grace_months after the merger.
    """

    name = models.CharField(_("name"), max_length=300)
    organization_kind = models.CharField(_("kind of body"), max_length=40, choices=OrganizationKind.choices)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices, blank=True)
    parent_kind = models.CharField(
        _("kind of the parent body"),
        max_length=40,
        choices=OrganizationKind.choices,
        blank=True,
        help_text=_("e.g. units under a department"),
    )
    scope = models.CharField(
        _("scope"), max_length=10, choices=DeputyLimitScope.choices, default=DeputyLimitScope.PER_BODY
    )
    min_staff = models.PositiveIntegerField(_("from headcount"), null=True, blank=True)
    max_staff = models.PositiveIntegerField(_("up to headcount"), null=True, blank=True)
    max_deputies = models.DecimalField(_("maximum deputies"), max_digits=5, decimal_places=2)
    merger_grace_months = models.PositiveIntegerField(
        _("grace after a merger (months)"), null=True, blank=True
    )
    source = models.CharField(_("legal source"), max_length=300)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("deputy limit")
        verbose_name_plural = _("deputy limits")

    def __str__(self) -> str:
        return self.name


class StaffReductionTarget(Validity):
    """Tinh giản biên chế: at least `percent` fewer staff of a category over a period, against a base year."""

    name = models.CharField(_("name"), max_length=300)
    category = models.CharField(_("staff category"), max_length=20, choices=StaffCategory.choices)
    base_year = models.PositiveSmallIntegerField(_("base year"))
    start_year = models.PositiveSmallIntegerField(_("first year"))
    end_year = models.PositiveSmallIntegerField(_("last year"))
    percent = models.DecimalField(_("reduction (%)"), max_digits=5, decimal_places=2)
    source = models.CharField(_("legal source"), max_length=300)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("staff reduction target")
        verbose_name_plural = _("staff reduction targets")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        if not self.base_year < self.start_year <= self.end_year:
            raise ValidationError(_("The years must run base year < first year ≤ last year."))


class ConcurrentPostModel(Validity):
    """An allowed way for one person to hold two posts ("bí thư đồng thời là chủ tịch UBND xã").

    Each side is matched by the kind of body, the kind of post and, optionally, words the body's
    name must contain (folded); `same_jurisdiction` asks both bodies to serve the same territory.
    """

    name = models.CharField(_("name"), max_length=300)
    primary_organization_kind = models.CharField(
        _("primary body kind"), max_length=40, choices=OrganizationKind.choices
    )
    primary_post_kind = models.CharField(_("primary post kind"), max_length=10, choices=PostKind.choices)
    primary_name_contains = models.CharField(_("primary body name contains"), max_length=200, blank=True)
    concurrent_organization_kind = models.CharField(
        _("concurrent body kind"), max_length=40, choices=OrganizationKind.choices
    )
    concurrent_post_kind = models.CharField(
        _("concurrent post kind"), max_length=10, choices=PostKind.choices
    )
    concurrent_name_contains = models.CharField(
        _("concurrent body name contains"), max_length=200, blank=True
    )
    level = models.CharField(_("level"), max_length=10, choices=Level.choices, blank=True)
    same_jurisdiction = models.BooleanField(_("in the same jurisdiction"), default=True)
    is_pilot = models.BooleanField(_("pilot model"), default=False)
    source = models.CharField(_("legal source"), max_length=300)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("concurrent-post model")
        verbose_name_plural = _("concurrent-post models")

    def __str__(self) -> str:
        return self.name


class ReorganizationKind(models.TextChoices):
    MERGE = "merge", _("merge (A + B → C)")
    ABSORB = "absorb", _("absorb (B into A)")
    SPLIT = "split", _("split (A → B + C)")
    DISSOLVE = "dissolve", _("dissolve")
    RENAME = "rename", _("rename")


class Reorganization(models.Model):
    """A change event (after org:ChangeEvent of the W3C Organization Ontology)."""

    kind = models.CharField(_("kind"), max_length=10, choices=ReorganizationKind.choices)
    effective_on = models.DateField(_("effective on"))
    decision = models.CharField(_("decision"), max_length=300)
    note = models.TextField(_("note"), blank=True)
    originals = models.ManyToManyField(
        Organization, verbose_name=_("original bodies"), related_name="ended_by"
    )
    results = models.ManyToManyField(
        Organization, verbose_name=_("resulting bodies"), related_name="resulted_from"
    )
    committed_at = models.DateTimeField(_("committed at"))
    history = HistoricalRecords(m2m_fields=[originals, results])

    class Meta:
        verbose_name = _("reorganisation")
        verbose_name_plural = _("reorganisations")
        ordering = ["-effective_on"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.effective_on:%d/%m/%Y}: {self.decision}"


class OverlapOutcome(models.TextChoices):
    TO_RESOLVE = "to_resolve", _("a real overlap to resolve")
    NOT_OVERLAP = "not_overlap", _("not an overlap")
    RESOLVED = "resolved", _("resolved by a decision")


class OverlapDecision(models.Model):
    """What a monitor decided about two function items found alike. The pair is the two items themselves
    (`first` the lower id), so a new version of either text is a new pair, to be looked at again."""

    first = models.ForeignKey(
        Function, verbose_name=_("first item"), on_delete=models.PROTECT, related_name="+", db_index=False
    )
    second = models.ForeignKey(
        Function, verbose_name=_("second item"), on_delete=models.PROTECT, related_name="+"
    )
    outcome = models.CharField(_("outcome"), max_length=20, choices=OverlapOutcome.choices)
    decision_number = models.CharField(_("decision number"), max_length=100, blank=True)
    decision_date = models.DateField(_("decision date"), null=True, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    recorded_on = models.DateField(_("recorded on"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("decision on an overlap")
        verbose_name_plural = _("decisions on overlaps")
        constraints = [
            models.UniqueConstraint(fields=["first", "second"], name="overlap_decision_pair"),
            models.CheckConstraint(
                condition=models.Q(first__lt=models.F("second")), name="overlap_pair_ordered"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.first_id}–{self.second_id}: {self.get_outcome_display()}"
