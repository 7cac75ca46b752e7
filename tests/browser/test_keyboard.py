"""The log-in page used with the keyboard alone, in a real browser."""

import pytest
from tests.browser.conftest import PASSWORD

pytestmark = pytest.mark.browser


def test_a_user_tabs_to_the_log_in_form_and_submits_it_with_enter(new_page, users):
    page = new_page()
    page.goto("/")  # sent to the log-in page
    assert "/accounts/login/" in page.url
    assert page.evaluate("document.activeElement.id") == "id_username"  # autofocus
    # tabbing round the page: the form's controls, then from the top the skip link, the brand, the user name
    focused: list[str] = []
    for _ in range(10):
        page.keyboard.press("Tab")
        focused.append(page.evaluate("document.activeElement.id || document.activeElement.className"))
        if focused[-1] == "id_username":
            break
    assert focused[0] == "id_password" and focused[-3:] == ["skip", "brand", "id_username"], focused
    page.keyboard.type("reporter")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "id_password"
    page.keyboard.type(PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith("/directives/assignments/")  # a reporter starts from the body's inbox
    assert page.locator("form[action='/accounts/logout/']").count() == 1


def test_a_wrong_password_is_announced_and_the_user_stays_on_the_form(new_page, users):
    page = new_page()
    page.goto("/accounts/login/")
    page.locator("#id_username").fill("monitor")
    page.locator("#id_password").fill("sai")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "/accounts/login/" in page.url
    assert page.get_by_role("alert").count() == 1


def test_the_focused_field_is_visibly_outlined(new_page, site):
    page = new_page()
    page.goto("/accounts/login/")
    page.locator("#id_password").focus()
    outline = page.evaluate(
        "(() => { const s = getComputedStyle(document.activeElement);"
        " return [s.outlineStyle, s.outlineWidth, s.boxShadow]; })()"
    )
    assert outline[0] != "none" or outline[2] != "none", outline
