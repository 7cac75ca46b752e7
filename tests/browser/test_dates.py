"""Dates are shown and typed as dd/mm/yyyy even in a browser set to American English."""

from datetime import date

import pytest
from tests.browser.conftest import log_in, screenshots
from tests.fixtures.members import SEED

from dondoc.accounts.models import User
from dondoc.directives.models import Directive
from dondoc.directives.services import create_draft
from dondoc.parsing import parse_text
from dondoc.reading import read_document

pytestmark = pytest.mark.browser


@pytest.fixture
def draft(users: dict[str, User]) -> Directive:
    text = read_document(SEED).text
    return create_draft(parsed=parse_text(text), source_text=text, file_sha256="5" * 64)


def test_an_american_browser_shows_and_takes_the_issued_date_day_first(new_page, draft):
    page = new_page(locale="en-US")
    log_in(page, "monitor")
    page.goto(f"/directives/{draft.pk}/review/")
    issued_on = page.locator("#id_issued_on")
    assert issued_on.input_value() == "17/04/2023"
    assert issued_on.get_attribute("placeholder") == "dd/mm/yyyy"  # in English: the browser asked for it
    screenshots(page, "review-en", full_page=False)
    issued_on.fill("")
    issued_on.press_sequentially("18/4/2023")
    with page.expect_navigation():
        page.locator("#header button[type=submit]").click()
    assert page.locator("#id_issued_on").input_value() == "18/04/2023"
    assert Directive.objects.get(pk=draft.pk).issued_on == date(2023, 4, 18)
