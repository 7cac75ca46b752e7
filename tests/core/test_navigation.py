"""The main menu, now registered by the apps (dondoc/core/navigation.py): each role sees exactly the entries
the frame used to write out, in the same order with the same Vietnamese texts; the page shown is marked, and
the unread notices' badge stays."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.test import Client

from dondoc.core import navigation
from dondoc.core.navigation import MenuItem, menu_for, register_menu
from dondoc.directives.models import Directive

DIRECTIVES = ("/directives/", "Văn bản chỉ đạo")
ASSIGNMENTS = ("/directives/assignments/", "Nhiệm vụ được giao")
OUR_TASKS = ("/directives/assignments/", "Nhiệm vụ của đơn vị")
IMPORT = ("/directives/import/", "Nhập văn bản")
SEARCH = ("/directives/search/", "Tìm kiếm")
INSPECTIONS = ("/followup/inspections/", "Kiểm tra")
DASHBOARD = ("/followup/dashboard/", "Tổng hợp theo dõi")
REPORTS = ("/followup/reports/", "Báo cáo định kỳ")
REGISTRY = ("/registry/", "Bộ máy")
CHANGE_LOG = ("/directives/history/", "Nhật ký thay đổi")
NOTIFICATIONS = ("/directives/notifications/", "Thông báo")
TOKENS = ("/accounts/tokens/", "Mã truy cập API")
ADMINISTRATION = ("/admin/", "Quản trị")

# what base.html showed each role before the menu was registered by the apps, and the follow-up's pages since
MENUS = {
    "admin": [
        DIRECTIVES,
        ASSIGNMENTS,
        IMPORT,
        SEARCH,
        DASHBOARD,
        REPORTS,
        INSPECTIONS,
        REGISTRY,
        CHANGE_LOG,
        NOTIFICATIONS,
        TOKENS,
        ADMINISTRATION,
    ],
    "monitor": [
        DIRECTIVES,
        ASSIGNMENTS,
        IMPORT,
        SEARCH,
        DASHBOARD,
        REPORTS,
        INSPECTIONS,
        REGISTRY,
        CHANGE_LOG,
        NOTIFICATIONS,
        TOKENS,
    ],
    "reporter": [OUR_TASKS, SEARCH, DASHBOARD, INSPECTIONS, REGISTRY, NOTIFICATIONS, TOKENS],
    "leader": [OUR_TASKS, SEARCH, DASHBOARD, INSPECTIONS, REGISTRY, NOTIFICATIONS, TOKENS],
    "reader": [DIRECTIVES, ASSIGNMENTS, SEARCH, DASHBOARD, INSPECTIONS, REGISTRY, NOTIFICATIONS, TOKENS],
    "auditor": [CHANGE_LOG, NOTIFICATIONS, TOKENS],
}

LINK = re.compile(
    r'<li><a href="([^"]*)"( aria-current="page")?>([^<]*)(<span class="badge"[^>]*>\d+</span>)?</a>'
)


def main_menu(html: str) -> list[tuple[str, str, bool, str]]:
    """(address, text, marked as the current page, badge) of each entry of the main menu."""
    nav = re.search(r'<nav aria-label="Trình đơn chính">(.*?)</nav>', html, re.S)
    assert nav is not None
    found = LINK.findall(nav[1])
    assert len(found) == nav[1].count("<li>")  # every entry read
    return [(href, text.strip(), bool(current), badge or "") for href, current, text, badge in found]


@pytest.mark.parametrize("name", sorted(MENUS))
def test_each_role_sees_the_menu_it_always_saw(
    client_for: Callable[[str], Client], published: Directive, name: str
) -> None:
    html = client_for(name).get("/accounts/tokens/").content.decode()
    assert [(href, text) for href, text, _current, _badge in main_menu(html)] == MENUS[name]


@pytest.mark.parametrize("name", ["admin", "reporter", "auditor"])
def test_the_page_shown_is_marked_current(client_for: Callable[[str], Client], name: str) -> None:
    client = client_for(name)
    for url in ("/accounts/tokens/", "/directives/notifications/"):
        current = [
            href for href, _text, marked, _badge in main_menu(client.get(url).content.decode()) if marked
        ]
        assert current == [url]
    with_a_query = client.get("/directives/notifications/?page=2").content.decode()  # the same page
    assert [href for href, _text, marked, _badge in main_menu(with_a_query) if marked] == [
        "/directives/notifications/"
    ]


def test_no_entry_is_marked_on_a_page_off_the_menu(
    client_for: Callable[[str], Client], published: Directive
) -> None:
    html = client_for("reporter").get(f"/directives/{published.pk}/").content.decode()
    entries = main_menu(html)
    assert entries and not any(marked for _href, _text, marked, _badge in entries)


def test_the_unread_notices_badge_stays(client_for: Callable[[str], Client], published: Directive) -> None:
    response = client_for("reporter").get("/accounts/tokens/")
    unread = response.context["unread_notifications"]()
    assert unread >= 1  # publishing told the body
    entries = {href: badge for href, _text, _current, badge in main_menu(response.content.decode())}
    assert entries["/directives/notifications/"] == (
        f'<span class="badge" aria-label="{unread} chưa đọc">{unread}</span>'
    )
    assert all(badge == "" for href, badge in entries.items() if href != "/directives/notifications/")


def test_the_menu_follows_the_language(client_for: Callable[[str], Client]) -> None:
    html = client_for("reporter").get("/accounts/tokens/", headers={"accept-language": "en"}).content.decode()
    nav = re.search(r'<nav aria-label="Main menu">(.*?)</nav>', html, re.S)
    assert nav is not None
    assert [text.strip() for _href, _current, text, _badge in LINK.findall(nav[1])] == [
        "Our tasks",
        "Search",
        "Follow-up dashboard",
        "Inspections",
        "Registry",
        "Notifications",
        "API tokens",
    ]


def test_items_are_ordered_by_weight_and_replaced_by_url_name(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(navigation, "_items", {})
    register_menu(
        MenuItem("Second", "directives:search", weight=20),
        MenuItem("Hidden", "directives:import", lambda scope: scope == "chief", weight=5),
        MenuItem(lambda scope: f"First for {scope}", "directives:inbox", weight=10, badge="unread"),
    )
    register_menu(MenuItem("Second, renamed", "directives:search", weight=20))
    entries = menu_for("clerk", path="/directives/search/", badges={"unread": 3})
    assert [(e.label, e.url, e.current, e.badge) for e in entries] == [
        ("First for clerk", "/directives/assignments/", False, 3),
        ("Second, renamed", "/directives/search/", True, 0),
    ]
    assert [e.label for e in menu_for("chief")] == ["Hidden", "First for chief", "Second, renamed"]
