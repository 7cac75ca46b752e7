"""A directive's task × body grid on a day, in a browser: after Cư Jút's standing board is dissolved (its
open work carried by the Party committee of the district town), the grid of today shows that committee
carrying it on, and the grid typed for a day before shows the board; on a laptop and on a phone."""

from datetime import date

import pytest
from django.urls import reverse
from tests.browser.conftest import log_in, screenshots

from dondoc.registry.models import Organization, ReorganizationKind
from dondoc.registry.reorganization import commit_reorganization, plan_reorganization

pytestmark = pytest.mark.browser


def test_the_grid_shows_who_held_each_task_on_the_day_typed(new_page, published):
    plan = plan_reorganization(
        kind=ReorganizationKind.DISSOLVE,
        originals=[Organization.objects.get(code="CJU.BTV")],
        successor=Organization.objects.get(code="CJU-EA-T-LING.DU"),
        effective_on=date(2023, 5, 1),
        decision="Quyết định số 1-QĐ/TU ngày 28/4/2023 (dữ liệu thử)",
    )
    commit_reorganization(plan=plan, fingerprint=plan.fingerprint)
    page = new_page()
    log_in(page, "monitor")
    page.goto(reverse("directives:detail", args=[published.pk]))
    carrier = page.locator("#grid tbody th", has_text="Đảng ủy thị trấn Ea T'Ling")
    assert "tiếp nhận từ Ban Thường vụ Huyện ủy Cư Jút" in carrier.inner_text()
    assert page.locator("#grid tbody th", has_text="Ban Thường vụ Huyện ủy Cư Jút").count() == 1  # the note
    screenshots(page, "directive-grid-carried")

    page.locator("#id_on").fill("20/04/2023")
    page.locator("#id_on").press("Enter")
    page.wait_for_url("**on=20%2F04%2F2023**")
    page.locator("#grid tbody th", has_text="Ban Thường vụ Huyện ủy Cư Jút").first.wait_for()
    assert page.locator("#grid tbody th", has_text="Đảng ủy thị trấn Ea T'Ling").count() == 0
    assert "20/04/2023" in page.locator("#grid").inner_text()
    screenshots(page, "directive-grid-as-of")
