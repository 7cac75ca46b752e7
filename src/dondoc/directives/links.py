"""Links from a directive's page to the pages other apps keep about that directive.

The follow-up (dondoc.followup) has pages per directive (its reporting periods, the follow-up sent by hand),
but this app may not import it, nor name its routes: each app registers its links in `AppConfig.ready()`, with
a predicate of the scope and the directive that says who sees them, as apps register their menu items
(core.navigation), and the directive page asks `directive_links(scope, directive)`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.urls import reverse

from dondoc.accounts.scope import Scope
from dondoc.directives.models import Directive

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


@dataclass(frozen=True, slots=True)
class DirectiveLink:
    """A page about one directive: its (lazy) translated label, its route (taking the directive's id), and
    who sees the link on which directive."""

    label: StrOrPromise
    url_name: str
    visible: Callable[[Scope, Directive], bool]


_links: dict[str, DirectiveLink] = {}


def register_directive_link(
    label: StrOrPromise, url_name: str, visible: Callable[[Scope, Directive], bool]
) -> None:
    """Offer the page `url_name` on every directive's page where `visible` says so; a link registered again
    under the same route replaces the first, in its place."""
    _links[url_name] = DirectiveLink(label, url_name, visible)


def directive_links(scope: Scope, directive: Directive) -> list[tuple[str, str]]:
    """The links `scope` sees on `directive`'s page, in the order registered: label and address."""
    return [
        (str(link.label), reverse(link.url_name, args=[directive.pk]))
        for link in _links.values()
        if link.visible(scope, directive)
    ]
