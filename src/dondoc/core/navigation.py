"""The main menu of every page: each app offers its pages, and the frame shows those the request's scope sees.

The menu used to be written out in the page frame with a flag per page computed for it, so the frame knew
every app's pages and rules. Now each app registers its entries in its `AppConfig.ready()`, with a predicate
of the scope that says who sees them, and the frame's context processor asks `menu_for(scope)` on every
page. Core is the lowest app and may not import accounts, which builds the scope: here the scope is whatever
the apps' predicates take."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeAlias

from django.urls import reverse
from django.utils.functional import Promise

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# the request's scope (dondoc.accounts.scope.Scope), which core may not import
AnyScope: TypeAlias = Any


def everyone(scope: AnyScope) -> bool:
    return True


@dataclass(frozen=True, slots=True)
class MenuItem:
    """One page of the menu. `label` is a (lazy) translated text, or a function of the scope for a page
    whose name depends on the role; the entries show in the order of their `weight`. `badge` names a count
    the frame supplies (the unread notices), shown beside the label when it is not zero."""

    label: StrOrPromise | Callable[[AnyScope], StrOrPromise]
    url_name: str
    visible: Callable[[AnyScope], bool] = everyone
    weight: int = 0
    badge: str = ""


@dataclass(frozen=True, slots=True)
class MenuEntry:
    """An item resolved for one request: its text in the request's language, its address, whether it is the
    page shown, and its badge's count."""

    label: str
    url: str
    current: bool
    badge: int = 0


_items: dict[str, MenuItem] = {}


def register_menu(*items: MenuItem) -> None:
    """Offer pages to the menu; an item registered again under the same URL name replaces the first."""
    for item in items:
        _items[item.url_name] = item


def registered_menu() -> list[MenuItem]:
    """Every registered item in menu order, whoever sees it."""
    return sorted(_items.values(), key=lambda item: (item.weight, item.url_name))


def menu_for(scope: AnyScope, *, path: str = "", badges: Mapping[str, int] | None = None) -> list[MenuEntry]:
    """The menu `scope` sees on the page at `path`, in order, with the counts of `badges` by name."""
    counts = badges or {}
    entries = []
    for item in registered_menu():
        if not item.visible(scope):
            continue
        label = item.label if isinstance(item.label, str | Promise) else item.label(scope)
        url = reverse(item.url_name)
        entries.append(MenuEntry(str(label), url, current=url == path, badge=counts.get(item.badge, 0)))
    return entries
