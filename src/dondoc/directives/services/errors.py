"""The refusals of the directive services: each message is for the user, and the pages and the API show it as
it is."""

from __future__ import annotations

from typing import Generic, TypeVar

from django.utils.translation import gettext as _

from dondoc.directives.models import Directive, ImportJob, Task

Edited = TypeVar("Edited", Directive, Task)


class DirectiveError(Exception):
    """A draft or a publication refused; the message is for the user."""


class DuplicateDirective(DirectiveError):
    def __init__(self, existing: Directive) -> None:
        self.existing = existing
        super().__init__(
            _("This directive is already in dondoc: %(number)s of %(date)s.")
            % {"number": existing.number or "—", "date": f"{existing.issued_on:%d/%m/%Y}"}
        )


class AlreadyImported(DirectiveError):
    """The same file (by content) is already a directive, or is being imported right now."""

    def __init__(self, *, directive: Directive | None = None, job: ImportJob | None = None) -> None:
        self.directive, self.job = directive, job
        if directive is not None:
            message = _("This file is already imported: %(number)s of %(date)s.") % {
                "number": directive.number or "—",
                "date": f"{directive.issued_on:%d/%m/%Y}",
            }
        else:
            message = _("This file is already being imported (%(name)s).") % {
                "name": job.original_name if job else ""
            }
        super().__init__(message)


class EditConflict(DirectiveError, Generic[Edited]):
    """The user's form or page was read at an older version than the one saved now: someone else saved in
    between, and going on would undo or publish their change unseen. `current` is the draft or task as saved
    now, for the page to show beside what the user sent."""

    def __init__(self, current: Edited, message: str) -> None:
        self.current: Edited = current
        super().__init__(message)
