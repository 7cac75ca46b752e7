"""A directive as reviewed (header, tasks with their phrases and deadlines) and its assignments once
published."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from dondoc.core.jobs import Job
from dondoc.parsing.model import DeadlineKind
from dondoc.registry.models import Jurisdiction, Organization, Reorganization, region_key
from dondoc.text import fold


class DirectiveState(models.TextChoices):
    DRAFT = "draft", _("draft, under review")
    PUBLISHED = "published", _("published")


class Directive(models.Model):
    issuer_text = models.CharField(_("issuer as printed"), max_length=300)
    issuer = models.ForeignKey(
        Organization,
        verbose_name=_("issuer"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    number = models.CharField(_("number"), max_length=100, blank=True)
    type_code = models.CharField(_("type"), max_length=20, blank=True)
    issued_on = models.DateField(_("issued on"))
    subject = models.TextField(_("subject"), blank=True)
    addressee_phrases = models.JSONField(_("addressees as printed"), default=list)
    source_text = models.TextField(_("source text"))
    # the parser's output as JSON (corpus/SCHEMA.md), spans included, for the review page to highlight
    parsed = models.JSONField(_("parser's output"), default=dict, blank=True)
    file_sha256 = models.CharField(_("file fingerprint"), max_length=64, blank=True, db_index=True)
    duplicate_key = models.CharField(max_length=400, editable=False, db_index=True)
    # number, issuer and subject folded, so that "to chuc" finds "Tổ chức" on every database
    search_text = models.TextField(editable=False, blank=True)
    state = models.CharField(
        _("state"), max_length=10, choices=DirectiveState.choices, default=DirectiveState.DRAFT
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("imported by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    # the territory whose monitors review it while it is a draft: the importing monitor's
    jurisdiction = models.ForeignKey(
        Jurisdiction,
        verbose_name=_("jurisdiction"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # raised by every save of the header: a form sent with an older value was read before another's save
    version = models.PositiveIntegerField(_("version"), default=1)
    # Its issuer's region (registry Organization.region), kept by the database's triggers (migration 0025): a
    # province's monitor finds the directives its bodies issued under the province's key.
    issuer_region = region_key()
    history = HistoricalRecords(excluded_fields=["has_assignments", "issuer_region"])
    # the notices about it (core.Notification's target): Notification.objects.filter(directive=…)
    notifications = GenericRelation(
        "core.Notification",
        content_type_field="target_type",
        object_id_field="target_id",
        related_query_name="directive",
    )
    # Whether any of its tasks is assigned to a body, kept by the database's triggers on every write to the
    # assignments, to a task's directive and to this (migration 0018): a published directive without any is
    # held for reference, which every reader reads (directives.access.directives_for), and asking the
    # assignments of each directive in turn cost a directive list four scans of the tasks on PostgreSQL.
    has_assignments = models.BooleanField(default=False, editable=False)

    class Meta:
        verbose_name = _("directive")
        verbose_name_plural = _("directives")
        ordering = ["-issued_on", "-id"]
        indexes = [
            # the directives a province's bodies issued that assign anything, under the province's key
            models.Index(fields=["issuer_region", "has_assignments", "id"], name="directive_issuer_region"),
            # the directive list, newest first, walked to the page's end; its count and years from the index
            # alone, with what the scope's conditions read (a province's reads a list of ids)
            models.Index(
                fields=["issued_on", "id", "state", "has_assignments", "jurisdiction"],
                name="directive_newest",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.issued_on:%d/%m/%Y}"

    def get_absolute_url(self) -> str:
        return reverse("directives:detail", args=[self.pk])

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.search_text = fold(f"{self.number} {self.type_code} {self.issuer_text} {self.subject}")
        if (fields := kwargs.get("update_fields")) is not None:
            kwargs["update_fields"] = {*fields, "search_text"}
        super().save(*args, **kwargs)


class TaskDeadlineKind(models.TextChoices):
    """The parser's deadline kinds (parsing.model.DeadlineKind), with the labels the pages show."""

    BY_DATE = DeadlineKind.BY_DATE.value, _("by a date")
    ONGOING = DeadlineKind.ONGOING.value, _("ongoing")
    RECURRING = DeadlineKind.RECURRING.value, _("recurring")
    ON_DEMAND = DeadlineKind.ON_DEMAND.value, _("when asked")
    FROM_DATE = DeadlineKind.FROM_DATE.value, _("from a date on")
    PER_ROADMAP = DeadlineKind.PER_ROADMAP.value, _("per the roadmap")
    RELATIVE = DeadlineKind.RELATIVE.value, _("some days after an event")
    NONE = DeadlineKind.NONE.value, _("no deadline")


class Task(models.Model):
    directive = models.ForeignKey(
        Directive, verbose_name=_("directive"), on_delete=models.PROTECT, related_name="tasks"
    )
    position = models.PositiveIntegerField(_("position"))
    label = models.CharField(_("label"), max_length=20, blank=True)
    text = models.TextField(_("text"))
    lead_phrases = models.JSONField(_("lead as printed"), default=list)
    coordinating_phrases = models.JSONField(_("coordinating as printed"), default=list)
    deadline_kind = models.CharField(
        _("kind of deadline"),
        max_length=20,
        choices=TaskDeadlineKind.choices,
        default=DeadlineKind.NONE.value,
    )
    due = models.DateField(_("due"), null=True, blank=True)
    start = models.DateField(_("from"), null=True, blank=True)
    deadline_text = models.CharField(_("deadline as printed"), max_length=300, blank=True)
    search_text = models.TextField(editable=False, blank=True)
    # raised by every save of the task in review (as Directive.version)
    version = models.PositiveIntegerField(_("version"), default=1)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        ordering = ["directive", "position"]
        constraints = [models.UniqueConstraint(fields=["directive", "position"], name="unique_task_position")]

    def __str__(self) -> str:
        return f"{self.label or self.position}. {self.text[:60]}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.search_text = fold(self.text)
        if (fields := kwargs.get("update_fields")) is not None:
            kwargs["update_fields"] = {*fields, "search_text"}
        super().save(*args, **kwargs)


class AssignmentRole(models.TextChoices):
    LEAD = "lead", _("lead")
    COORDINATING = "coordinating", _("coordinating")


class Assignment(models.Model):
    """One task for one body: its own deadline, status and reports."""

    task = models.ForeignKey(
        Task, verbose_name=_("task"), on_delete=models.PROTECT, related_name="assignments"
    )
    organization = models.ForeignKey(
        Organization, verbose_name=_("body"), on_delete=models.PROTECT, related_name="assignments"
    )
    role = models.CharField(_("role"), max_length=20, choices=AssignmentRole.choices)
    due = models.DateField(_("due"), null=True, blank=True)
    # Where its reports have brought it, kept by the database's triggers on every write to its reports and to
    # its deadline (migration 0015), so that a status is a comparison of dates and a monitor's lists and
    # counts never read the reports. Each is the first day from which the status holds, which answers for any
    # day: started by `today` when started_from <= today, and so on (status_expression.py).
    started_from = models.DateField(_("started from"), null=True, editable=False)
    done_from = models.DateField(_("done from"), null=True, editable=False)
    done_in_time_from = models.DateField(_("done in time from"), null=True, editable=False)
    # Its body's region (registry Organization.region), kept by the database's triggers (migration 0017): a
    # province's monitor reads the province's assignments by this key.
    region = region_key()
    # Whether its task's kind of deadline has no end (status.WITHOUT_END: followed period by period), kept by
    # the database's triggers from the task (migration 0023), so that a status is a condition on the
    # assignment's own columns, which an index answers without reading each assignment's task.
    without_end = models.BooleanField(_("without an end"), default=False, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords(
        excluded_fields=["started_from", "done_from", "done_in_time_from", "region", "without_end"]
    )
    # the notices about it (core.Notification's target): Notification.objects.filter(assignment=…)
    notifications = GenericRelation(
        "core.Notification",
        content_type_field="target_type",
        object_id_field="target_id",
        related_query_name="assignment",
    )

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        constraints = [models.UniqueConstraint(fields=["task", "organization"], name="unique_assignment")]
        indexes = [
            # a body's inbox by deadline, and the status of the assignments of a list of bodies (a monitor's
            # province) read from the index alone: the dates and the kind the status is computed from
            models.Index(
                fields=[
                    "organization",
                    "due",
                    "done_from",
                    "done_in_time_from",
                    "started_from",
                    "without_end",
                    "task",
                ],
                name="assignment_body_progress",
            ),
            # a monitor's lists, ordered by the deadline over many bodies, walk it and stop at the page's end;
            # the whole country's counts by status read whether each is open from the index alone
            models.Index(fields=["due", "id", "done_from", "without_end"], name="assignment_due_progress"),
            # a province's monitor's lists by deadline, whether each is open and the directives of the
            # province's assignments (through the task), under the province's key, from the index alone
            models.Index(
                fields=["region", "due", "id", "done_from", "without_end", "task"],
                name="assignment_region_progress",
            ),
            # a province's assignments with a deadline by the day they were done: those never done past a
            # deadline counted from the index alone without reading the done ones (status_condition_parts),
            # and those done after a day asked about (in the past) in a range of their own
            models.Index(
                fields=["region", "done_from", "due"],
                condition=models.Q(without_end=False, due__isnull=False),
                name="assignment_region_done",
            ),
            # a directive's assignments in a province (its grid, the reorganisations they went through, the
            # directive list's counts of all and of overdue ones): each task's under the key, from the index
            # alone, rather than all of a national task's (some 5,000)
            models.Index(
                fields=["region", "task", "id", "due", "done_from", "without_end"],
                name="assignment_region_task_dates",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.task} → {self.organization}"

    def get_absolute_url(self) -> str:
        return reverse("directives:assignment", args=[self.pk])


class DirectiveRegion(models.Model):
    """A region (registry Jurisdiction.region: a province of the country) in which a directive has
    assignments, and how many, kept by the database's triggers on every insert, delete and move of an
    assignment and every move of a task (migration 0019). A province's monitor reads the directives of the
    province's assignments from these rows, as many as the province has directives, rather than from its
    assignments' index, which grows with every report period (1,000,000 assignments: 13 ms a request)."""

    directive = models.ForeignKey(
        Directive, verbose_name=_("directive"), on_delete=models.CASCADE, related_name="+"
    )
    region = models.ForeignKey(
        Jurisdiction,
        verbose_name=_("province"),
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        related_name="+",
    )
    assignments = models.PositiveIntegerField(_("assignments"))

    class Meta:
        verbose_name = _("directive in a province")
        verbose_name_plural = _("directives in the provinces")
        constraints = [
            models.UniqueConstraint(fields=["region", "directive"], name="unique_directive_region"),
        ]


class AssignmentTransfer(models.Model):
    """An assignment carried from a body a reorganisation ended to its successor: the assignment's body
    changes, this row keeps where it came from so the grid shows the right body for any day. When the
    successor already holds the same task, the assignment stays with the ended body, `merged_into` the
    successor's."""

    assignment = models.ForeignKey(
        Assignment, verbose_name=_("assignment"), on_delete=models.CASCADE, related_name="transfers"
    )
    from_organization = models.ForeignKey(
        Organization, verbose_name=_("from body"), on_delete=models.PROTECT, related_name="+"
    )
    to_organization = models.ForeignKey(
        Organization, verbose_name=_("to body"), on_delete=models.PROTECT, related_name="+"
    )
    effective_on = models.DateField(_("effective on"))
    decision = models.CharField(_("decision"), max_length=300)
    reorganization = models.ForeignKey(
        Reorganization, verbose_name=_("reorganisation"), on_delete=models.PROTECT, related_name="+"
    )
    merged_into = models.ForeignKey(
        Assignment,
        verbose_name=_("merged into"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("assignment transfer")
        verbose_name_plural = _("assignment transfers")
        ordering = ["assignment", "effective_on", "id"]
        indexes = [
            # an assignment's newest transfer, which a reorganisation's move reads for each assignment it
            # moves: without it PostgreSQL, short of statistics on a new table, walked the primary key back
            # from the newest transfer for each one (quadratic in a commit's transfers)
            models.Index(fields=["assignment", "id"], name="assignment_transfer_newest"),
        ]

    def __str__(self) -> str:
        return f"{self.assignment_id}: {self.from_organization} → {self.to_organization}"


class ReportState(models.TextChoices):
    DRAFT = "draft", _("drafted by the reporter")
    SENT = "sent", _("approved by the leader and sent")
    RETURNED = "returned", _("returned by the monitor")
    CONFIRMED = "confirmed", _("completion confirmed by the monitor")


class ProgressReport(models.Model):
    """What a body reports on one assignment: drafted, approved by its leader, then read by the monitor."""

    assignment = models.ForeignKey(
        Assignment, verbose_name=_("assignment"), on_delete=models.PROTECT, related_name="reports"
    )
    text = models.TextField(_("progress"))
    percent = models.PositiveSmallIntegerField(_("percent done"), default=0)
    reports_done = models.BooleanField(_("reports the task done"), default=False)
    period_start = models.DateField(_("period from"), null=True, blank=True)
    period_end = models.DateField(_("period to"), null=True, blank=True)
    state = models.CharField(
        _("state"), max_length=10, choices=ReportState.choices, default=ReportState.DRAFT
    )
    sent_on = models.DateField(_("sent on"), null=True, blank=True)
    confirmed_on = models.DateField(_("confirmed on"), null=True, blank=True)
    comment = models.TextField(_("monitor's comment"), blank=True)
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("drafted by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("confirmed or returned by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        ordering = ["assignment", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(percent__lte=100), name="percent_at_most_100"),
        ]
        # an assignment's status asks, per assignment, for its first confirmed report and whether one was sent
        # (directives/selectors/status_expression.py): one range of this index answers each
        indexes = [models.Index(fields=["assignment", "state", "sent_on"], name="report_status")]

    def __str__(self) -> str:
        return f"{self.assignment}: {self.percent}%"


class Citation(models.Model):
    """A document a directive cites ("Kết luận số 50-KL/TW … của Bộ Chính trị"), linked to it once dondoc
    holds it."""

    citing = models.ForeignKey(
        Directive, verbose_name=_("citing directive"), on_delete=models.PROTECT, related_name="citations"
    )
    number = models.CharField(_("number"), max_length=100, blank=True)
    folded_number = models.CharField(max_length=100, editable=False, db_index=True)
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    issuer_text = models.CharField(_("issuer as printed"), max_length=300, blank=True)
    type_text = models.CharField(_("type as printed"), max_length=100, blank=True)
    cited = models.ForeignKey(
        Directive,
        verbose_name=_("cited directive"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cited_by",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("citation")
        verbose_name_plural = _("citations")
        ordering = ["citing", "id"]

    def __str__(self) -> str:
        return f"{self.citing} → {self.number or self.type_text}"


class LinkState(models.TextChoices):
    PROPOSED = "proposed", _("proposed, to be decided")
    CONFIRMED = "confirmed", _("confirmed")
    REJECTED = "rejected", _("rejected")


class LinkReason(models.TextChoices):
    """Why a task is linked to the parent task it implements (directives.linking finds the first two)."""

    MENTION = "mention", _("named in its text")
    SIMILARITY = "similarity", _("similar wording")
    CHOSEN = "chosen", _("chosen by the reviewer")


class TaskLink(models.Model):
    """A task of an implementing document (a district's plan) carrying out a task of the directive above it
    (the province's letter): proposed at import, confirmed or rejected by the reviewer. The confirmed links
    make the chain of implementation (directives.services.chain, directives.selectors.chain)."""

    child = models.ForeignKey(
        Task, verbose_name=_("implementing task"), on_delete=models.PROTECT, related_name="parent_links"
    )
    parent = models.ForeignKey(
        Task, verbose_name=_("task implemented"), on_delete=models.PROTECT, related_name="child_links"
    )
    state = models.CharField(_("state"), max_length=10, choices=LinkState.choices, default=LinkState.PROPOSED)
    reason = models.CharField(_("reason"), max_length=10, choices=LinkReason.choices)
    score = models.FloatField(_("score"), default=0.0)
    # what was found: the mention as printed, or the words the two tasks share
    evidence = models.TextField(_("evidence"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("task link")
        verbose_name_plural = _("task links")
        ordering = ["child", "-score", "id"]
        constraints = [
            models.UniqueConstraint(fields=["child", "parent"], name="unique_task_link"),
            models.CheckConstraint(
                condition=~models.Q(child=models.F("parent")), name="task_link_not_to_itself"
            ),
        ]
        indexes = [models.Index(fields=["parent", "state"], name="task_link_parent")]

    def __str__(self) -> str:
        return f"{self.child} → {self.parent}"

    def clean(self) -> None:
        if self.child_id and self.parent_id and self.child.directive_id == self.parent.directive_id:
            raise ValidationError(_("A task cannot implement a task of its own directive."))


class Attachment(models.Model):
    """A file sent with a progress report, checked by content and kept outside the web root."""

    report = models.ForeignKey(
        ProgressReport,
        verbose_name=_("progress report"),
        on_delete=models.PROTECT,
        related_name="attachments",
    )
    original_name = models.CharField(_("file name"), max_length=255)
    stored_name = models.CharField(max_length=100, editable=False, unique=True)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField(_("file fingerprint"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["report", "id"]

    def __str__(self) -> str:
        return self.original_name


class ExtensionState(models.TextChoices):
    PENDING = "pending", _("awaiting the monitor's decision")
    APPROVED = "approved", _("approved")
    REFUSED = "refused", _("refused")


class DeadlineExtension(models.Model):
    """A body asks for a new deadline with its reason; the monitor approves (the assignment's due date
    moves) or refuses."""

    assignment = models.ForeignKey(
        Assignment, verbose_name=_("assignment"), on_delete=models.PROTECT, related_name="extensions"
    )
    previous_due = models.DateField(_("deadline before"), null=True, blank=True)
    requested_due = models.DateField(_("requested deadline"))
    reason = models.TextField(_("reason"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    requested_on = models.DateField(_("requested on"))
    state = models.CharField(
        _("state"), max_length=10, choices=ExtensionState.choices, default=ExtensionState.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    comment = models.TextField(_("monitor's comment"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("deadline extension request")
        verbose_name_plural = _("deadline extension requests")
        ordering = ["assignment", "-id"]

    def __str__(self) -> str:
        return f"{self.assignment}: {self.requested_due:%d/%m/%Y}"


class ImportState(models.TextChoices):
    QUEUED = "queued", _("waiting")
    READING = "reading", _("reading the file")
    PARSING = "parsing", _("extracting the fields")
    DONE = "done", _("ready for review")
    FAILED = "failed", _("failed")


class ImportJob(Job):
    """One uploaded directive file on its way to a draft: read and parsed in the background (its progress,
    message and times are core.jobs.Job's; its state has the import's own steps)."""

    original_name = models.CharField(_("file name"), max_length=255)
    stored_name = models.CharField(max_length=100, editable=False, unique=True)
    kind = models.CharField(_("kind of file"), max_length=10)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField(_("file fingerprint"), max_length=64, db_index=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    state = models.CharField(
        _("state"), max_length=10, choices=ImportState.choices, default=ImportState.QUEUED
    )
    directive = models.OneToOneField(
        Directive,
        verbose_name=_("directive"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="import_job",
    )
    # the uploading monitor's territory: only its monitors (and those of the territories above) see the job
    jurisdiction = models.ForeignKey(
        Jurisdiction,
        verbose_name=_("jurisdiction"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.original_name
