"""Writes of the directives app: every change to directives, assignments, reports and notices goes through
these functions, each in one transaction; a refusal is a DirectiveError whose message is for the user.

- errors: DirectiveError and its kinds (DuplicateDirective, AlreadyImported, EditConflict).
- imports: an upload stored and queued for reading and parsing (start_import, RUNNING_IMPORTS).
- drafts: a parsed directive made a draft, with its tasks and citations (create_draft), and the reviewer's
  corrections (update_draft, update_task), each checked against the version the reviewer's form was read at.
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
    "Publication",
    "ReviewedVersions",
    "approve_report",
    "attach_files",
    "confirm_report",
    "create_draft",
    "decide_extension",
    "draft_report",
    "issuer_context",
    "mark_read",
    "publish_directive",
    "request_extension",
    "return_report",
    "start_import",
    "update_draft",
    "update_task",
]
