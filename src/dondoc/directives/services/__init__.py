"""Writes of the directives app: every change to directives, assignments, reports and notices goes through
these functions, each in one transaction; a refusal is a DirectiveError whose message is for the user.

- errors: DirectiveError and its kinds (DuplicateDirective, AlreadyImported, EditConflict).
- imports: an upload stored and queued for reading and parsing (start_import, RUNNING_IMPORTS).
- drafts: a parsed directive made a draft, with its tasks and citations (create_draft), and the reviewer's
  corrections (update_draft, update_task), each checked against the version the reviewer's form was read at.
- chain: the links of an implementing document's tasks to the tasks they carry out, proposed at import
  (store_proposals, called by create_draft) or again (propose_task_links), confirmed, rejected or chosen by
  the reviewer (confirm_link, reject_link, choose_parent_task); loops in the chain refused.
- publishing: a reviewed draft published as assignments to bodies (publish_directive, issuer_context), checked
  against the versions the reviewer's page showed (ReviewedVersions).
- progress: progress reports drafted, sent, confirmed or returned, and the notices they send.
- extensions: deadline extensions requested and decided.
- notices: written and marked read by core.notifications (mark_read is re-exported here for the pages).

Everything public is re-exported here: `from dondoc.directives.services import create_draft`,
`services.create_draft(...)`.
"""

from __future__ import annotations

from dondoc.core.notifications import mark_read
from dondoc.directives.services.chain import (
    Proposals,
    choose_parent_task,
    confirm_link,
    propose_task_links,
    reject_link,
)
from dondoc.directives.services.drafts import create_draft, update_draft, update_task
from dondoc.directives.services.errors import (
    AlreadyImported,
    DirectiveError,
    DuplicateDirective,
    EditConflict,
)
from dondoc.directives.services.extensions import decide_extension, request_extension
from dondoc.directives.services.imports import RUNNING_IMPORTS, start_import
from dondoc.directives.services.progress import (
    approve_report,
    attach_files,
    confirm_report,
    draft_report,
    return_report,
)
from dondoc.directives.services.publishing import (
    Publication,
    ReviewedVersions,
    issuer_context,
    publish_directive,
)

__all__ = [
    "RUNNING_IMPORTS",
    "AlreadyImported",
    "DirectiveError",
    "DuplicateDirective",
    "EditConflict",
    "Proposals",
    "Publication",
    "ReviewedVersions",
    "approve_report",
    "attach_files",
    "choose_parent_task",
    "confirm_link",
    "confirm_report",
    "create_draft",
    "decide_extension",
    "draft_report",
    "issuer_context",
    "mark_read",
    "propose_task_links",
    "publish_directive",
    "reject_link",
    "request_extension",
    "return_report",
    "start_import",
    "update_draft",
    "update_task",
]
