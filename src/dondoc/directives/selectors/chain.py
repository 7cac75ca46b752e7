"""The chain of implementation (Kết luận 50-KL/TW → Công văn 1317-CV/TU → each district's plan): what a
directive implements and what implements it, a body's progress on a task through its own plan, and the chain
as a tree for its page.

A directive implements the document its subject names first (the trích yếu "thực hiện Công văn số 1317-CV/TU
… về thực hiện Kết luận số 50-KL/TW": the later numbers describe the first), or, when its subject names none,
the first it cites; held by dondoc when that citation is linked to a published directive. It implements too
the directives of the parent tasks its confirmed links name (TaskLink). Each level of the chain is read in a
fixed number of queries; a chain is a few levels deep."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from dondoc.directives.models import (
    Assignment,
    Citation,
    Directive,
    DirectiveState,
    LinkState,
    Task,
    TaskLink,
)
from dondoc.directives.selectors.status_expression import status_counts
from dondoc.directives.status import Status
from dondoc.registry.models import Organization, OrganizationKind
from dondoc.text import fold

# a chain longer than this is a data error (a loop of citations); the reads stop there
MAX_LEVELS = 12
_DONE = frozenset({Status.DONE_ON_TIME.value, Status.DONE_LATE.value})


@dataclass(frozen=True, slots=True)
class Parent:
    """What a directive implements: a directive dondoc holds published (`directive_id`), or a document known
    only by its citation (`directive_id` None)."""

    directive_id: int | None
    number: str
    issued_on: date | None
    type_text: str = ""


@dataclass(frozen=True, slots=True)
class _Cited:
    number: str
    folded_number: str
    issued_on: date | None
    type_text: str
    cited_id: int | None
    cited_published: bool


def _implemented(subject: str, citations: Sequence[_Cited]) -> _Cited | None:
    """The citation a directive implements: the first number its subject names, else the first it cites."""
    folded = fold(subject)
    named: list[tuple[int, int, _Cited]] = []
    for index, citation in enumerate(citations):
        if not citation.folded_number:
            continue
        # "17-cv/tu" must not be found inside "1317-cv/tu"
        found = re.search(rf"(?<![0-9a-z]){re.escape(citation.folded_number)}", folded)
        if found is not None:
            named.append((found.start(), index, citation))
    if named:
        return min(named, key=lambda item: (item[0], item[1]))[2]
    return next((citation for citation in citations if citation.number), None)


def _cited_parents(citations: QuerySet[Citation]) -> dict[int, Parent]:
    """For each citing directive among `citations`, the document it implements by citation: one query."""
    by_directive: dict[int, tuple[str, list[_Cited]]] = {}
    rows = citations.order_by("citing_id", "id").values_list(
        "citing_id",
        "citing__subject",
        "number",
        "folded_number",
        "issued_on",
        "type_text",
        "cited_id",
        "cited__state",
    )
    for citing_id, subject, number, folded_number, issued_on, type_text, cited_id, state in rows:
        cited = _Cited(
            number, folded_number, issued_on, type_text, cited_id, state == DirectiveState.PUBLISHED
        )
        by_directive.setdefault(citing_id, (subject, []))[1].append(cited)
    parents: dict[int, Parent] = {}
    for citing_id, (subject, cites) in by_directive.items():
        implemented = _implemented(subject, cites)
        if implemented is not None:
            held = implemented.cited_id if implemented.cited_published else None
            parents[citing_id] = Parent(
                held, implemented.number, implemented.issued_on, implemented.type_text
            )
    return parents


def implemented_citation(*, directive: Directive) -> Parent | None:
    """The document a directive implements by citation (held or not), None if it cites nothing: one query."""
    return _cited_parents(Citation.objects.filter(citing=directive)).get(directive.pk)


def parents_of(directive_ids: Collection[int]) -> dict[int, list[Parent]]:
    """What each directive implements: by citation, and by its confirmed links. Two queries."""
    found: dict[int, list[Parent]] = defaultdict(list)
    for directive_id, parent in _cited_parents(Citation.objects.filter(citing_id__in=directive_ids)).items():
        found[directive_id].append(parent)
    linked = (
        TaskLink.objects.filter(child__directive_id__in=directive_ids, state=LinkState.CONFIRMED)
        .values_list(
            "child__directive_id",
            "parent__directive_id",
            "parent__directive__number",
            "parent__directive__issued_on",
            "parent__directive__type_code",
        )
        .distinct()
    )
    for child_id, parent_id, number, issued_on, type_code in linked:
        if all(parent.directive_id != parent_id for parent in found[child_id]):
            found[child_id].append(Parent(parent_id, number, issued_on, type_code))
    return dict(found)


def children_of(directive_ids: Collection[int]) -> dict[int, set[int]]:
    """The directives implementing each of these: by a confirmed link to one of its tasks, or by citing it as
    the document they implement. Two queries."""
    found: dict[int, set[int]] = defaultdict(set)
    linked = (
        TaskLink.objects.filter(parent__directive_id__in=directive_ids, state=LinkState.CONFIRMED)
        .values_list("parent__directive_id", "child__directive_id")
        .distinct()
    )
    for parent_id, child_id in linked:
        found[parent_id].add(child_id)
    citing = Citation.objects.filter(cited_id__in=directive_ids).values("citing_id")
    for child_id, parent in _cited_parents(Citation.objects.filter(citing_id__in=citing)).items():
        if parent.directive_id is not None and parent.directive_id in directive_ids:
            found[parent.directive_id].add(child_id)
    return dict(found)


def ancestors_of(directive_id: int) -> set[int]:
    """Every directive dondoc holds that this one implements, directly or through others."""
    seen: set[int] = set()
    level = {directive_id}
    for _level in range(MAX_LEVELS):
        parents = {
            parent.directive_id
            for found in parents_of(level).values()
            for parent in found
            if parent.directive_id is not None
        }
        level = parents - seen - {directive_id}
        if not level:
            break
        seen |= level
    return seen


# --- a body's progress on a task through its own plan ---


@dataclass(frozen=True, slots=True)
class PlanProgress:
    """How the tasks of a body's own plan implementing a task stand: a task is done when every one of its
    assignments is; the status is derived from them (all done → done; any overdue → overdue; else in
    progress)."""

    directive_id: int
    number: str
    tasks: int
    done: int
    done_late: int
    overdue: int

    @property
    def status(self) -> Status:
        if self.tasks and self.done == self.tasks:
            return Status.DONE_LATE if self.done_late else Status.DONE_ON_TIME
        if self.overdue:
            return Status.OVERDUE
        return Status.IN_PROGRESS

    @property
    def text(self) -> str:
        return _("through its plan %(number)s: %(done)d of %(tasks)d tasks done") % {
            "number": self.number or "—",
            "done": self.done,
            "tasks": self.tasks,
        }


def _plan_bodies(issuers: Collection[int]) -> dict[int, set[int]]:
    """The bodies whose plan an issuer's document is: the issuer, and the standing board of a Party committee
    (a district's plan is printed under "HUYỆN ỦY CƯ JÚT" and signed "T/M BAN THƯỜNG VỤ")."""
    bodies = {issuer: {issuer} for issuer in issuers}
    boards = Organization.objects.filter(
        parent_id__in=issuers,
        parent__kind=OrganizationKind.PARTY_COMMITTEE,
        kind=OrganizationKind.STANDING_BOARD,
    ).values_list("id", "parent_id")
    for board_id, committee_id in boards:
        bodies[committee_id].add(board_id)
    return bodies


def plan_progress(
    *, task_ids: Collection[int], today: date, body: Organization | None = None
) -> dict[tuple[int, int], PlanProgress]:
    """For each (task, body) where the body carries the task out through its own published plan (the plan's
    issuer is the body, or the Party committee whose standing board it is, and tasks of the plan are linked
    to the task and confirmed): how the plan's implementing tasks stand on `today`, from every assignment of
    those tasks. At most three queries. Given `body`, only the plans that may be that body's are read (one
    assignment's page), rather than every plan linked to the tasks."""
    confirmed = TaskLink.objects.filter(
        parent_id__in=task_ids,
        state=LinkState.CONFIRMED,
        child__directive__state=DirectiveState.PUBLISHED,
        child__directive__issuer__isnull=False,
    )
    if body is not None:
        confirmed = confirmed.filter(child__directive__issuer_id__in={body.pk, body.parent_id} - {None})
    links = list(
        confirmed.order_by("child__directive__issued_on", "child__directive_id", "child_id").values_list(
            "parent_id",
            "child_id",
            "child__directive_id",
            "child__directive__number",
            "child__directive__issuer_id",
        )
    )
    if not links:
        return {}
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    child_ids = {child_id for _parent, child_id, *_rest in links}
    for task_id, status, count in status_counts(
        Assignment.objects.filter(task_id__in=child_ids), today=today, by=("task_id",)
    ):
        counts[task_id][status] = count
    bodies = _plan_bodies({issuer_id for *_rest, issuer_id in links})
    plans: dict[tuple[int, int], list[int]] = defaultdict(list)  # (task, plan) → implementing tasks
    numbers: dict[int, tuple[str, int]] = {}
    for parent_id, child_id, plan_id, number, issuer_id in links:
        plans[parent_id, plan_id].append(child_id)
        numbers[plan_id] = (number, issuer_id)
    progress: dict[tuple[int, int], PlanProgress] = {}
    for (parent_id, plan_id), children in plans.items():
        number, issuer_id = numbers[plan_id]
        done = [child for child in children if _task_done(counts[child])]
        summary = PlanProgress(
            directive_id=plan_id,
            number=number,
            tasks=len(children),
            done=len(done),
            done_late=sum(1 for child in done if counts[child].get(Status.DONE_LATE.value)),
            overdue=sum(1 for child in children if counts[child].get(Status.OVERDUE.value)),
        )
        for body_id in bodies[issuer_id]:
            progress.setdefault((parent_id, body_id), summary)  # the earliest plan, when a body made two
    return progress


def _task_done(statuses: dict[str, int]) -> bool:
    return bool(statuses) and all(status in _DONE for status, count in statuses.items() if count)


# --- the chain as a tree ---


@dataclass(frozen=True, slots=True)
class ChainProgress:
    """A directive's assignments the reader sees: done (on time or late) of all, and the headline rate (done
    on time of those fallen due; None when none has)."""

    done: int
    total: int
    done_on_time: int
    fallen_due: int

    @property
    def on_time_rate(self) -> float | None:
        return self.done_on_time / self.fallen_due if self.fallen_due else None

    @property
    def on_time_percent(self) -> int | None:
        rate = self.on_time_rate
        return None if rate is None else round(rate * 100)


@dataclass(slots=True)
class ChainNode:
    """One document of the chain: held by dondoc (`directive`, readable or not by this reader) or known only
    by its citation (`directive` None), with what implements it below it."""

    number: str
    type_text: str
    issued_on: date | None
    directive: Directive | None = None
    readable: bool = False
    current: bool = False
    progress: ChainProgress | None = None
    children: list[ChainNode] = field(default_factory=list)

    @property
    def held(self) -> bool:
        return self.directive is not None


@dataclass(frozen=True, slots=True)
class ChainTree:
    # the top of each line of ancestors (the current directive when it implements none)
    roots: list[ChainNode]
    ancestors: int  # documents above the current directive
    descendants: int  # directives below it


def _progress(
    assignments: QuerySet[Assignment], directive_ids: Iterable[int], today: date
) -> dict[int, ChainProgress]:
    counted: dict[int, dict[str, int]] = defaultdict(dict)
    for directive_id, status, count in status_counts(
        assignments.filter(task__directive_id__in=list(directive_ids)),
        today=today,
        by=("task__directive_id",),
    ):
        counted[directive_id][status] = count
    progress = {}
    for directive_id, statuses in counted.items():
        on_time, late = statuses.get(Status.DONE_ON_TIME.value, 0), statuses.get(Status.DONE_LATE.value, 0)
        progress[directive_id] = ChainProgress(
            done=on_time + late,
            total=sum(statuses.values()),
            done_on_time=on_time,
            fallen_due=on_time + late + statuses.get(Status.OVERDUE.value, 0),
        )
    return progress


@dataclass(slots=True)
class _Ancestry:
    """The documents above a directive: node key ("d<id>" held, "n<folded number>" known by citation) → the
    keys of what it implements."""

    up: dict[str, list[str]] = field(default_factory=dict)
    unheld: dict[str, Parent] = field(default_factory=dict)
    held: set[int] = field(default_factory=set)


def _ancestry(directive_id: int) -> _Ancestry:
    found = _Ancestry()
    level = {directive_id}
    for _level in range(MAX_LEVELS):
        parents = parents_of(level)
        next_level: set[int] = set()
        for child_id in level:
            keys = []
            for parent in parents.get(child_id, []):
                if parent.directive_id is None:
                    keys.append(f"n{fold(parent.number)}")
                    found.unheld.setdefault(keys[-1], parent)
                    continue
                keys.append(f"d{parent.directive_id}")
                if parent.directive_id not in found.held and parent.directive_id != directive_id:
                    next_level.add(parent.directive_id)
            found.up[f"d{child_id}"] = keys
        found.held |= next_level
        level = next_level
        if not level:
            break
    return found


def _descent(directive_id: int, above: set[int]) -> tuple[dict[int, set[int]], set[int]]:
    """What implements a directive, level by level: directive → its children, and all of them."""
    down: dict[int, set[int]] = {}
    descendants: set[int] = set()
    level = {directive_id}
    for _level in range(MAX_LEVELS):
        children = children_of(level)
        down.update(children)
        level = (
            {child for found in children.values() for child in found} - descendants - above - {directive_id}
        )
        descendants |= level
        if not level:
            break
    return down, descendants


def chain_tree(
    *, directive: Directive, directives: QuerySet[Directive], assignments: QuerySet[Assignment], today: date
) -> ChainTree:
    """The chain through `directive`: its ancestors up to the top (documents known only by citation
    included), then everything implementing it, level by level; each held directive with its progress over
    the `assignments` the reader sees, and readable when among `directives` (the others show their number
    only). A few queries per level."""
    ancestry = _ancestry(directive.pk)
    down, descendants = _descent(directive.pk, ancestry.held)
    held_ids = ancestry.held | descendants | {directive.pk}
    rows = Directive.objects.filter(id__in=held_ids).only(
        "id", "number", "type_code", "issued_on", "subject", "state", "issuer_text"
    )
    held = {row.pk: row for row in rows}
    readable = set(directives.filter(id__in=held_ids).values_list("id", flat=True))
    progress = _progress(assignments, held_ids, today)

    def node(key: str) -> ChainNode:
        if key.startswith("n"):
            cited = ancestry.unheld[key]
            return ChainNode(cited.number, cited.type_text, cited.issued_on)
        row = held[int(key[1:])]
        return ChainNode(
            row.number,
            row.type_code,
            row.issued_on,
            directive=row,
            readable=row.pk in readable,
            current=row.pk == directive.pk,
            progress=progress.get(row.pk),
        )

    # from each top ancestor down toward the current directive, then all that implements it
    toward: dict[str, list[str]] = defaultdict(list)
    for child_key, parent_keys in ancestry.up.items():
        for parent_key in parent_keys:
            toward[parent_key].append(child_key)

    def below(key: str, path: frozenset[str]) -> ChainNode:
        built = node(key)
        if key.startswith("d") and (built.current or int(key[1:]) in descendants):
            children = [child for child in down.get(int(key[1:]), set()) if child in descendants]
            child_keys = [f"d{child}" for child in sorted(children, key=lambda d: (held[d].issued_on, d))]
        else:
            child_keys = toward.get(key, [])
        built.children = [below(child, path | {child}) for child in child_keys if child not in path]
        return built

    above = {parent for parents in ancestry.up.values() for parent in parents}
    tops = [parent for parent in dict.fromkeys(above) if not ancestry.up.get(parent)]
    current = f"d{directive.pk}"
    roots = [below(top, frozenset({top})) for top in tops] or [below(current, frozenset({current}))]
    return ChainTree(roots, len(ancestry.held) + len(ancestry.unheld), len(descendants))


# --- what the review page and the task pages show of a directive's links ---


def links_of(*, directive: Directive) -> dict[int, list[TaskLink]]:
    """The live (proposed or confirmed) links of each task of a directive, with their parent task and its
    directive, best first: one query."""
    links = (
        TaskLink.objects.filter(
            child__directive=directive, state__in=[LinkState.PROPOSED, LinkState.CONFIRMED]
        )
        .select_related("parent__directive", "decided_by")
        .defer(
            "parent__directive__source_text", "parent__directive__parsed", "parent__directive__search_text"
        )
        .order_by("child_id", "-score", "id")
    )
    found: dict[int, list[TaskLink]] = defaultdict(list)
    for link in links:
        found[link.child_id].append(link)
    return dict(found)


def parent_task_choices(*, directive_ids: Sequence[int]) -> list[tuple[str, list[tuple[int, str]]]]:
    """The tasks a reviewer may choose as the one a task implements, grouped by directive ("1317-CV/TU",
    [(id, "4. Tiếp tục kiện toàn …")]), in the order given: one query."""
    groups: dict[int, list[tuple[int, str]]] = {directive_id: [] for directive_id in directive_ids}
    numbers: dict[int, str] = {}
    tasks = (
        Task.objects.filter(directive_id__in=directive_ids)
        .order_by("directive_id", "position")
        .values_list("id", "directive_id", "directive__number", "label", "position", "text")
    )
    for task_id, directive_id, number, label, position, text in tasks:
        numbers[directive_id] = number or "—"
        groups[directive_id].append((task_id, f"{label or position}. {_short(text)}"))
    return [
        (numbers[directive_id], groups[directive_id])
        for directive_id in directive_ids
        if groups[directive_id]
    ]


def _short(text: str, limit: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


# --- what a directive's tasks may be linked to ---


@dataclass(frozen=True, slots=True)
class ParentSearch:
    """The directive a directive implements, when dondoc holds it published with tasks (`parents`), or why
    none was found (`note`, for the review page)."""

    parents: list[Directive]
    note: str


def _cited_as(parent: Parent) -> str:
    if parent.issued_on is None:
        return parent.number or parent.type_text
    return _("%(number)s of %(date)s") % {
        "number": parent.number or parent.type_text,
        "date": f"{parent.issued_on:%d/%m/%Y}",
    }


def parents_to_propose(*, directive: Directive) -> ParentSearch:
    """The directive whose tasks this one's tasks may implement: the document it implements by citation,
    published in dondoc, with tasks, and not itself implementing this one. A few queries."""
    cited = implemented_citation(directive=directive)
    if cited is None:
        return ParentSearch([], _("It cites no document: dondoc cannot tell which directive it implements."))
    if cited.directive_id is None:
        return ParentSearch(
            [],
            _(
                "No directive this one implements was found among those dondoc holds: cited %(document)s is "
                "not in dondoc, or not yet published."
            )
            % {"document": _cited_as(cited)},
        )
    parent = Directive.objects.defer("source_text", "parsed", "search_text").get(pk=cited.directive_id)
    if not parent.tasks.exists():
        return ParentSearch(
            [], _("%(document)s is in dondoc but has no task to implement.") % {"document": _cited_as(cited)}
        )
    if parent.pk == directive.pk or directive.pk in ancestors_of(parent.pk):
        return ParentSearch(
            [],
            _("%(document)s already implements this directive: linking its tasks would close a loop.")
            % {"document": _cited_as(cited)},
        )
    return ParentSearch([parent], "")
