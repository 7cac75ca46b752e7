"""The apparatus page in a browser: a reader opens it from the menu, reads the tree on a past day, finds the
Cư Jút district Party committee typed without diacritics, and sees a merger between two days with its
decision."""

from datetime import date

import pytest
from tests.browser.conftest import log_in, screenshots

from dondoc.accounts.models import User
from dondoc.registry.models import Level, Organization, OrganizationKind, ReorganizationKind
from dondoc.registry.reorganization import NewBody, commit_reorganization, plan_reorganization

pytestmark = pytest.mark.browser

MERGER = "Quyết định số 101/QĐ-UBND ngày 20/02/2025 (test data)"


@pytest.fixture
def merged(users: dict[str, User]) -> None:
    province = Organization.objects.get(code="DNO.UBND")
    plan = plan_reorganization(
        kind=ReorganizationKind.MERGE,
        originals=list(Organization.objects.filter(code__in=["DNO.SKHDT", "DNO.STC"])),
        effective_on=date(2025, 3, 1),
        decision=MERGER,
        new_bodies=[
            NewBody(
                code="DNO.STC.2025",
                name="Sở Tài chính",
                kind=OrganizationKind.DEPARTMENT,
                level=Level.PROVINCE,
                parent=province,
                jurisdiction=province.jurisdiction,
            )
        ],
    )
    commit_reorganization(plan=plan, fingerprint=plan.fingerprint)


def test_a_reader_reads_the_apparatus_on_a_day_and_what_changed_since(new_page, merged):
    page = new_page()
    log_in(page, "reader")
    with page.expect_navigation():
        page.locator('nav a[href="/registry/"]').click()
    assert page.locator("#id_on").input_value() == "10/05/2023"  # today, as the site's clock says
    tree = page.locator("#apparatus")
    assert tree.locator("li.territory", has_text="huyện Cư Jút").first.is_visible()
    screenshots(page, "registry-apparatus", full_page=False)

    page.locator("#id_on").fill("17/04/2023")
    page.locator("#id_q").fill("huyen uy cu jut")
    with page.expect_navigation():
        page.locator("#apparatus-filters button[type=submit]").click()
    names = tree.locator("li.body > a").all_inner_texts()
    assert "Huyện ủy Cư Jút" in names
    assert "Ban Thường vụ Huyện ủy Cư Jút" in names
    assert "Ủy ban nhân dân huyện Cư Jút" not in names
    screenshots(page, "registry-apparatus-search")

    page.locator("#id_q").fill("")
    page.locator("#id_on").fill("01/02/2025")
    page.locator("#id_compare").fill("01/04/2025")
    page.locator("#id_kind").select_option(OrganizationKind.DEPARTMENT)
    with page.expect_navigation():
        page.locator("#apparatus-filters button[type=submit]").click()
    merger = page.locator("#apparatus-changes tr[data-change=merge]")
    assert MERGER in merger.inner_text()
    assert "Sở Kế hoạch và Đầu tư" in merger.inner_text()
    page.locator("#apparatus-changes").scroll_into_view_if_needed()
    screenshots(page, "registry-apparatus-changes")

    with page.expect_navigation():
        tree.locator("li.body > a", has_text="Sở Nội vụ").click()
    assert page.url.endswith(f"/registry/bodies/{Organization.objects.get(code='DNO.SNV').pk}/")
