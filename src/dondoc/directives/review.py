"""Reads for the review page: the source text with every extracted field's span marked, each phrase of a
draft with the bodies the registry resolves it to (or, when it cannot, the bodies it suggests), and each
task's link to the task it implements in the directive above (directives.selectors.chain)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import QuerySet
from django.utils.safestring import SafeString
from django.utils.translation import gettext

from dondoc.directives.models import Directive, ImportJob, LinkState, Task, TaskLink
from dondoc.directives.periods import proposed_schedule, schedule_label
from dondoc.directives.rendering import highlight
from dondoc.directives.selectors import (
    links_of,
    parent_task_choices,
    parents_to_propose,
    reports_by_period,
    search_organizations,
)
from dondoc.directives.services import issuer_context
from dondoc.periods import DEFAULT_SCHEDULE
from dondoc.registry.models import Level, Organization
from dondoc.registry.resolution import AddresseeResolver, PhraseResolution


@dataclass(frozen=True, slots=True)
class Mark:
    id: str  # the element id of its <mark>, "span-number"
    start: int
    end: int


@dataclass(slots=True)
class Phrase:
    """A phrase as printed, the bodies it means and how they were found, those of them outside the
    jurisdiction (never assigned unless the reviewer says so), and (unresolved) why, with the bodies the
    registry suggests."""

    text: str
    mark: str | None
    resolved: bool
    bodies: list[Organization] = field(default_factory=list)
    suggestions: list[Organization] = field(default_factory=list)
    left_over: tuple[str, ...] = ()
    method: str = ""
    reason: str = ""
    detail: str = ""
    outside: list[Organization] = field(default_factory=list)
    chosen: frozenset[str] = frozenset()  # what the reviewer ticked, kept when a publication is refused

    @property
    def to_decide(self) -> bool:
        """Left for the reviewer: unresolved, or naming bodies outside the jurisdiction (not assigned by
        default)."""
        return not self.resolved or bool(self.outside)

    @property
    def default_choice(self) -> frozenset[str]:
        return frozenset({OUTSIDE}) if self.resolved and self.outside else frozenset()


# The reviewer's choice for a phrase naming a body outside the jurisdiction, until told otherwise:
# not assigned.
OUTSIDE = "outside"


@dataclass(slots=True)
class TaskReview:
    task: Task
    mark: str | None
    deadline_mark: str | None
    lead: list[Phrase]
    coordinating: list[Phrase]
    warnings: list[str]
    form: Any = None  # the page's form for this task
    reporting: str = ""  # for a task without an end date: the schedule it will be reported on
    links: list[TaskLink] = field(default_factory=list)  # to the tasks it implements: proposed or confirmed

    @property
    def link_undecided(self) -> bool:
        return any(link.state == LinkState.PROPOSED for link in self.links)


def reporting_schedule_text(task: Task) -> str:
    """For a task without an end date, the schedule it will be reported on: the one its deadline names, else
    the decree's quarters; empty for a task with an end date."""
    if not reports_by_period(task.deadline_kind):
        return ""
    proposed = proposed_schedule(task)
    if proposed is None:
        return gettext("Reported %(schedule)s, as Nghị định 09/2019/NĐ-CP sets by default.") % {
            "schedule": schedule_label(DEFAULT_SCHEDULE)
        }
    return gettext("Reported %(schedule)s, as the directive says.") % {"schedule": schedule_label(proposed)}


@dataclass(frozen=True, slots=True)
class TaskChain:
    """What the tasks of a directive may be linked to: the tasks of the directives it implements, grouped
    by directive for a select ("1317-CV/TU", [(id, "4. Tiếp tục kiện toàn …")]), or why there are none."""

    parent_tasks: list[tuple[str, list[tuple[int, str]]]]
    note: str


@dataclass(slots=True)
class Review:
    directive: Directive
    source: SafeString
    header_marks: dict[str, str]
    addressees: list[Phrase]
    tasks: list[TaskReview]
    undecided: list[Phrase]  # each phrase left for the reviewer once, in the order it first appears
    signer: dict[str, Any] | None
    warnings: list[str]
    chain: TaskChain

    @property
    def undecided_links(self) -> list[Task]:
        """The tasks whose proposed link is still to be confirmed or rejected before publishing."""
        return [item.task for item in self.tasks if item.link_undecided]


def task_chain(*, directive: Directive, links: dict[int, list[TaskLink]]) -> TaskChain:
    """The parent tasks a task of `directive` may be linked to: those of the directive it implements by
    citation and of those its links already name; the note says why there are none."""
    search = parents_to_propose(directive=directive)
    linked = [link.parent.directive_id for found in links.values() for link in found]
    parent_ids = list(dict.fromkeys([*(parent.pk for parent in search.parents), *linked]))
    return TaskChain(parent_task_choices(directive_ids=parent_ids), "" if parent_ids else search.note)


def _valid(span: Any, length: int) -> tuple[int, int] | None:
    if isinstance(span, list) and len(span) == 2 and all(isinstance(value, int) for value in span):
        start, end = span
        if 0 <= start < end <= length:
            return start, end
    return None


def marks_of(parsed: dict[str, Any], length: int) -> list[Mark]:
    """Every span the parser recorded (corpus/SCHEMA.md), named by the field it belongs to."""
    found: list[Mark] = []

    def add(mark_id: str, span: Any) -> None:
        if (valid := _valid(span, length)) is not None:
            found.append(Mark(mark_id, *valid))

    spans = parsed.get("spans") or {}
    for key in (
        "issuer",
        "parent_issuer",
        "number",
        "type",
        "place",
        "issued_on",
        "subject",
        "classification",
        "urgency",
    ):
        add(f"span-{key}", spans.get(key))
    for index, span in enumerate(spans.get("addressees") or []):
        add(f"span-addressee-{index}", span)
    for index, reference in enumerate(parsed.get("references") or []):
        add(f"span-reference-{index}", reference.get("span"))
    add("span-signer", (parsed.get("signer") or {}).get("span"))
    for position, task in enumerate(parsed.get("tasks") or [], start=1):
        task_spans = task.get("spans") or {}
        add(f"span-task-{position}", task_spans.get("text"))
        for role in ("lead", "coordinating", "report_to"):
            for index, span in enumerate(task_spans.get(role) or []):
                add(f"span-task-{position}-{role}-{index}", span)
        add(f"span-task-{position}-deadline", (task.get("deadline") or {}).get("span"))
    return found


def _mark_for(phrase: str, printed: Sequence[str], prefix: str, marks: set[str]) -> str | None:
    """The mark of a phrase still as the parser read it (the reviewer may have corrected or added phrases)."""
    for index, value in enumerate(printed):
        if value == phrase and f"{prefix}-{index}" in marks:
            return f"{prefix}-{index}"
    return None


def review_of(*, directive: Directive, tasks: Sequence[Task] | None = None) -> Review:
    """What the review page shows of a draft: its tasks and the bodies its phrases name in two queries,
    besides the registry index built for the directive's date; the links of its tasks and what they may be
    linked to in a few more."""
    parsed: dict[str, Any] = directive.parsed or {}
    marks = marks_of(parsed, len(directive.source_text))
    mark_ids = {mark.id for mark in marks}
    tasks = list(directive.tasks.all()) if tasks is None else list(tasks)
    links = links_of(directive=directive)
    resolver = AddresseeResolver(on=directive.issued_on)
    context = issuer_context(directive=directive, resolver=resolver)
    resolutions: dict[str, PhraseResolution] = {}
    for phrase in [
        *directive.addressee_phrases,
        *(p for t in tasks for p in (*t.lead_phrases, *t.coordinating_phrases)),
    ]:
        if phrase not in resolutions:
            resolutions[phrase] = resolver.resolve(phrase, context=context)
    named = {body_id for r in resolutions.values() for body_id in (*r.organization_ids, *r.suggestion_ids)}
    bodies = Organization.objects.only("id", "name", "code", "level", "outside_jurisdiction").in_bulk(named)
    phrases: dict[str, Phrase] = {}

    def phrase_view(text: str, mark: str | None) -> Phrase:
        resolution = resolutions[text]
        view = Phrase(
            text,
            mark,
            resolution.resolved,
            [bodies[i] for i in resolution.organization_ids if i in bodies],
            [
                bodies[i]
                for i in resolution.suggestion_ids
                if i in bodies and i not in resolution.organization_ids
            ],
            resolution.unresolved,
            resolution.method,
            resolution.reason,
            resolution.detail,
            [bodies[i] for i in resolution.outside_ids if i in bodies],
        )
        phrases.setdefault(text, view)
        return view

    addressees = [
        phrase_view(text, _mark_for(text, parsed.get("addressees") or [], "span-addressee", mark_ids))
        for text in directive.addressee_phrases
    ]
    parsed_tasks = parsed.get("tasks") or []
    reviews: list[TaskReview] = []
    for task in tasks:
        printed = parsed_tasks[task.position - 1] if task.position <= len(parsed_tasks) else {}
        prefix = f"span-task-{task.position}"
        reviews.append(
            TaskReview(
                task=task,
                mark=prefix if prefix in mark_ids else None,
                deadline_mark=f"{prefix}-deadline" if f"{prefix}-deadline" in mark_ids else None,
                lead=[
                    phrase_view(text, _mark_for(text, printed.get("lead") or [], f"{prefix}-lead", mark_ids))
                    for text in task.lead_phrases
                ],
                coordinating=[
                    phrase_view(
                        text,
                        _mark_for(
                            text, printed.get("coordinating") or [], f"{prefix}-coordinating", mark_ids
                        ),
                    )
                    for text in task.coordinating_phrases
                ],
                warnings=list(printed.get("warnings") or []),
                reporting=reporting_schedule_text(task),
                links=links.get(task.pk, []),
            )
        )
    header = ("issuer", "number", "type", "place", "issued_on", "subject")
    warnings = [str(warning) for warning in parsed.get("warnings") or []]
    warnings += [
        f"{review.task.label or review.task.position}: {warning}"
        for review in reviews
        for warning in review.warnings
    ]
    return Review(
        directive=directive,
        source=highlight(directive.source_text, marks),
        header_marks={key: f"span-{key}" for key in header if f"span-{key}" in mark_ids},
        addressees=addressees,
        tasks=reviews,
        undecided=[phrase for phrase in phrases.values() if phrase.to_decide],
        signer=parsed.get("signer"),
        warnings=warnings,
        chain=task_chain(directive=directive, links=links),
    )


PICKER_LIMIT = 40
_PICKER_LEVELS = (Level.PROVINCE, Level.DISTRICT, Level.COMMUNE, Level.CENTRAL)


@dataclass(frozen=True, slots=True)
class PickerResults:
    groups: list[tuple[str, list[Organization]]]  # (level, bodies), those outside the jurisdiction last
    more: bool  # more bodies match than are shown


def picker_organizations(*, query: str, on: date, limit: int = PICKER_LIMIT) -> PickerResults:
    """The phrase picker's search: bodies of the registry on `on` whose name or alias holds the words typed
    (case and diacritics ignored), grouped by level, those outside the jurisdiction last."""
    found = list(search_organizations(query=query, territories=None, on=on)[: limit + 1])
    shown = found[:limit]
    labels = dict(Level.choices)
    groups = [
        (str(labels[level]), members)
        for level in _PICKER_LEVELS
        if (members := [body for body in shown if body.level == level and not body.outside_jurisdiction])
    ]
    if outside := [body for body in shown if body.outside_jurisdiction]:
        groups.append((gettext("Outside the jurisdiction"), outside))
    return PickerResults(groups, len(found) > limit)


def recent_imports(*, jobs: QuerySet[ImportJob], limit: int = 50) -> list[ImportJob]:
    """The latest of `jobs` (those the scope follows: directives.access.imports_for) with who sent them and
    the draft each became, in one query."""
    return list(
        jobs.select_related("uploaded_by", "directive")
        .only(
            "id",
            "original_name",
            "kind",
            "size",
            "created_at",
            "state",
            "progress",
            "message",
            "finished_at",
            "uploaded_by__username",
            "uploaded_by__first_name",
            "uploaded_by__last_name",
            "directive__id",
            "directive__number",
            "directive__state",
            "directive__issued_on",
        )
        .order_by("-created_at", "-id")[:limit]
    )
