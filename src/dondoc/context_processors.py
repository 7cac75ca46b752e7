"""What every page's frame shows: who is acting and in which role (with the others they may switch to), the
menu that role sees, and the count of unread notices. Project level: it gathers what every app offers."""

from __future__ import annotations

from functools import cache
from typing import Any

from django.http import HttpRequest

from dondoc.accounts.access import request_scope
from dondoc.core.navigation import MenuEntry, menu_for
from dondoc.directives.selectors import notifications_for


def frame(request: HttpRequest) -> dict[str, Any]:
    scope = request_scope(request)
    if scope is None:
        return {}

    # asked when a template draws the frame, once: a fragment for htmx draws none, and counts nothing
    @cache
    def unread_notifications() -> int:
        return notifications_for(scope=scope).filter(read_at__isnull=True).count()

    @cache
    def menu() -> list[MenuEntry]:
        # the entries the apps registered (dondoc/core/navigation.py) that this scope sees
        return menu_for(scope, path=request.path, badges={"unread_notifications": unread_notifications()})

    return {
        "scope": scope,
        "membership": scope.membership,
        "may_read_history": scope.reads_history,  # the change-log links of the assignment and report pages
        "unread_notifications": unread_notifications,
        "menu": menu,
    }
