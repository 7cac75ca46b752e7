"""Two monitors edit one task of a draft in two browsers: the second's save, from a page read before the
first's, comes back in place (htmx swaps the 409 in) with the first's text beside theirs; saving again keeps
theirs."""

from datetime import date

import pytest
from tests.browser.conftest import log_in, screenshot
from tests.fixtures.members import PASSWORD, SEED

from dondoc.accounts.models import Role, User
from dondoc.accounts.services import create_member
from dondoc.directives.models import Directive, Task
from dondoc.directives.services import create_draft
from dondoc.parsing import parse_text
from dondoc.reading import read_document
from dondoc.registry.models import Jurisdiction, Organization

pytestmark = pytest.mark.browser

THEIR_TEXT = "Rà soát, sắp xếp tổ chức bộ máy và báo cáo kết quả."


@pytest.fixture
def draft(users: dict[str, User]) -> Directive:
    create_member(
        username="monitor2",
        password=PASSWORD,
        role=Role.MONITOR,
        organization=Organization.objects.get(code="DNO.BTCTU"),
        jurisdiction=Jurisdiction.objects.get(code="DNO"),
    )
    text = read_document(SEED).text
    return create_draft(parsed=parse_text(text), source_text=text, file_sha256="5" * 64)


def test_the_second_save_of_a_task_shows_the_first_beside_it_and_saving_again_keeps_it(new_page, draft):
    task = draft.tasks.get(label="9")
    first, second = new_page(locale="en-US"), new_page(locale="en-US")
    for page, username in ((first, "monitor"), (second, "monitor2")):
        log_in(page, username)
        page.goto(f"/directives/{draft.pk}/review/")
    section = f"#task-{task.pk}"

    first.locator(f"#id_task-{task.pk}-text").fill(THEIR_TEXT)
    first.locator(f"#task-{task.pk}-save").click()
    first.locator(f"{section} p.notice").wait_for()
    second.locator(f"#id_task-{task.pk}-due").fill("31/05/2023")
    second.locator(f"#task-{task.pk}-save").click()

    conflict = second.locator(f"{section} p.error")
    conflict.wait_for()
    assert "Someone else saved this task after you opened it" in conflict.inner_text()
    assert second.locator(f"#id_task-{task.pk}-text-theirs .theirs-value").inner_text() == THEIR_TEXT
    assert second.locator(f"#id_task-{task.pk}-due").input_value() == "31/05/2023"
    screenshot(second, "review-task-conflict", full_page=False)
    assert Task.objects.get(pk=task.pk).text == THEIR_TEXT

    second.locator(f"#task-{task.pk}-save").click()
    second.locator(f"{section} p.notice").wait_for()
    saved = Task.objects.get(pk=task.pk)
    assert (saved.due, saved.version) == (date(2023, 5, 31), 3)
