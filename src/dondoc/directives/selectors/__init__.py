"""Reads of the directives app: what the pages, the API and the notices show, each in a fixed number of
queries whatever the length of the list.

- statuses: each assignment's status on a day, its report state and reporting period (for tasks without an
  end date, the period directives.periods gives): Situation, assignment_statuses, assignment_situations.
- status_expression: the status as a database expression over the dates the database keeps on each
  assignment (with_status, status_condition), and counted by it (status_counts), each in one query; the
  same rule over an assignment already read (status_of_read).
- inbox_list: the inbox: the assignments a user sees, filtered and ordered problems first, page by page.
- recipients: who is told what: the monitors who follow an assignment (monitors_of), a scope's notices
  (notifications_for).
- find: the directive list's counts, a directive's task × body grid, and the search of directives, tasks and
  bodies.
- citations: the citation trail: who cites a document or a directive, what dondoc holds under a number.
- chain: the chain of implementation: what a directive implements and what implements it (parents_of,
  children_of, ancestors_of), a body's progress on a task through its own plan (plan_progress), the chain as
  a tree (chain_tree), and a directive's task links for review (links_of, parent_task_choices,
  parents_to_propose).
- history: the directives app's records in the change log (registered when the app is ready); the change
  log itself, of everything or of one object, is core.history's, re-exported here for the pages.

What a scope may see at all (the querysets every read starts from, "fetch it or 404") is directives.access.

Everything public is re-exported here (`from dondoc.directives.selectors import inbox`,
`selectors.inbox(...)`). The inbox's module is not named `inbox`: the re-exported function
`selectors.inbox` would hide it.
"""

from __future__ import annotations

from dondoc.core.history import COUNTED as LOG_COUNTED
from dondoc.core.history import FieldChange, LogEntry, change_log, history_kinds, object_changes
from dondoc.directives.selectors.chain import (
    ChainNode,
    ChainProgress,
    ChainTree,
    Parent,
    ParentSearch,
    PlanProgress,
    ancestors_of,
    chain_tree,
    children_of,
    implemented_citation,
    links_of,
    parent_task_choices,
    parents_of,
    parents_to_propose,
    plan_progress,
)
from dondoc.directives.selectors.citations import cited_by, citing_number, held_by_number, known_citation
from dondoc.directives.selectors.find import (
    PICK_LIMIT,
    DirectiveCounts,
    GridCell,
    GridRow,
    Holder,
    Picked,
    StatusCount,
    TaskBodyGrid,
    TaskFilters,
    TaskHit,
    TaskResults,
    TaskSummary,
    directive_counts,
    filter_directives,
    holders_on,
    issue_years,
    pick_bodies,
    pick_directives,
    pick_users,
    search_directives,
    search_organizations,
    search_tasks,
    task_body_grid,
)
from dondoc.directives.selectors.inbox_list import Inbox, InboxFilters, filter_assignments, inbox
from dondoc.directives.selectors.recipients import monitors_of, notifications_for
from dondoc.directives.selectors.status_expression import (
    status_condition,
    status_counts,
    status_of_read,
    with_status,
    without_end_date,
)
from dondoc.directives.selectors.statuses import (
    Situation,
    assignment_situations,
    assignment_statuses,
    report_state_label,
    reports_by_period,
)

__all__ = [
    "LOG_COUNTED",
    "PICK_LIMIT",
    "ChainNode",
    "ChainProgress",
    "ChainTree",
    "DirectiveCounts",
    "FieldChange",
    "GridCell",
    "GridRow",
    "Holder",
    "Inbox",
    "InboxFilters",
    "LogEntry",
    "Parent",
    "ParentSearch",
    "Picked",
    "PlanProgress",
    "Situation",
    "StatusCount",
    "TaskBodyGrid",
    "TaskFilters",
    "TaskHit",
    "TaskResults",
    "TaskSummary",
    "ancestors_of",
    "assignment_situations",
    "assignment_statuses",
    "chain_tree",
    "change_log",
    "children_of",
    "cited_by",
    "citing_number",
    "directive_counts",
    "filter_assignments",
    "filter_directives",
    "held_by_number",
    "history_kinds",
    "holders_on",
    "implemented_citation",
    "inbox",
    "issue_years",
    "known_citation",
    "links_of",
    "monitors_of",
    "notifications_for",
    "object_changes",
    "parent_task_choices",
    "parents_of",
    "parents_to_propose",
    "pick_bodies",
    "pick_directives",
    "pick_users",
    "plan_progress",
    "report_state_label",
    "reports_by_period",
    "search_directives",
    "search_organizations",
    "search_tasks",
    "status_condition",
    "status_counts",
    "status_of_read",
    "task_body_grid",
    "with_status",
    "without_end_date",
]
