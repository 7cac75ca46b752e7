"""Browser tests: Playwright drives Debian's Chromium (/usr/bin/chromium, never a downloaded browser) against
pytest-django's live server, with the data in a transactional database the server thread can see.

They skip, saying why, only when Chromium is missing on a developer's machine; under `make test` (which sets
DONDOC_BROWSER_TESTS=required after installing Chromium) or in CI (CI set) a missing browser fails them."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright
from tests.fixtures.members import PASSWORD, members, sample_registry, seed_draft, seed_published

from dondoc.accounts.models import User
from dondoc.directives.models import Directive

CHROMIUM = Path(os.environ.get("DONDOC_CHROMIUM", "/usr/bin/chromium"))  # Debian's; another build by its path
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
LAPTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}
TODAY = date(2023, 5, 10)
# Screenshots of the main pages, to look at: var/screenshots, or the folder DONDOC_SCREENSHOTS names
SCREENSHOTS = Path(os.environ.get("DONDOC_SCREENSHOTS", "var/screenshots"))


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "browser: drives a real browser (Debian's Chromium through Playwright)"
    )


def browser_required() -> bool:
    return bool(os.environ.get("CI")) or os.environ.get("DONDOC_BROWSER_TESTS") == "required"


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Chromium for one test module: Playwright's sync API keeps an event loop running in this thread while it
    lives, so Django's async-safety check is lifted meanwhile (the ORM calls of the test body are synchronous)
    and restored, loop stopped, before the other test folders run."""
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} is missing: install Debian's chromium (scripts/system-packages.sh does)"
        if browser_required():
            pytest.fail(message)
        pytest.skip(message)
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            yield chromium
            chromium.close()
    finally:
        if previous is None:
            del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def site(live_server: Any, transactional_db: None, settings: Any, tmp_path: Path) -> str:
    """The live server's address, with the sample registry loaded, uploads parsed inline and today fixed."""
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": ["default"]}
    }
    settings.DONDOC_TODAY = TODAY
    # a fast hash: the default one takes half a second per user created and per log-in
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.UPLOAD_DIR = tmp_path / "uploads"
    settings.UPLOAD_DIR.mkdir()
    sample_registry()
    return str(live_server.url)


@pytest.fixture
def users(site: str) -> dict[str, User]:
    """One user per role, as in tests/fixtures/members.py (the district bodies: Cư Jút's and Đắk Song's
    boards)."""
    return members()


@pytest.fixture
def published(users: dict[str, User]) -> Directive:
    """The seed letter published without the browser, for tests that start after publication."""
    return seed_published(seed_draft())


@pytest.fixture
def new_page(browser: Browser, site: str) -> Iterator[Callable[..., Page]]:
    """new_page(viewport=LAPTOP, locale="vi-VN"): a page in a fresh browser context (its own cookies) on the
    live server; the locale is the browser's language, sent as Accept-Language."""
    contexts: list[BrowserContext] = []

    def opened(viewport: dict[str, int] | None = None, locale: str = "vi-VN") -> Page:
        context = browser.new_context(
            base_url=site, viewport=viewport or LAPTOP, locale=locale, timezone_id="Asia/Ho_Chi_Minh"
        )
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context.new_page()

    yield opened
    for context in contexts:
        context.close()


def log_in(page: Page, username: str, password: str = PASSWORD) -> None:
    """Through the log-in form, as a person would; ends on the page the role starts from."""
    page.context.clear_cookies()
    page.goto("/accounts/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(password)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    assert "/accounts/login/" not in page.url, f"{username} could not log in"


def screenshot(page: Page, name: str, *, full_page: bool = True) -> Path:
    """The page as PNG (whole or the visible part), named by the page and the viewport's width."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    width = page.viewport_size["width"] if page.viewport_size else 0
    path = SCREENSHOTS / f"{name}-{width}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path


def screenshots(page: Page, name: str, *, full_page: bool = True) -> None:
    """The page on a small laptop (1366 × 768) and on a phone (390 × 844), then back to the page's own
    size."""
    size = page.viewport_size
    for viewport in (LAPTOP, PHONE):
        page.set_viewport_size(viewport)
        screenshot(page, name, full_page=full_page)
    if size:
        page.set_viewport_size(size)
