"""The apparatus page: the Đắk Nông sample's bodies as a tree on any day, filtered, counted, with what changed
between two days and the decision that did it; read within the reader's territory, not by the auditor."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, timedelta
from html.parser import HTMLParser

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from dondoc.clock import today
from dondoc.registry.models import Level, Organization, OrganizationKind, Reorganization, ReorganizationKind
from dondoc.registry.reorganization import NewBody, commit_reorganization, plan_reorganization

URL = reverse("registry:apparatus")
EN = {"accept-language": "en"}
BEFORE, REORGANIZED_ON, AFTER = date(2025, 2, 1), date(2025, 3, 1), date(2025, 4, 1)
MERGER = "Quyết định số 101/QĐ-UBND ngày 20/02/2025 (test data)"
RENAMING = "Quyết định số 102/QĐ-UBND ngày 20/02/2025 (test data)"


class Tree(HTMLParser):
    """Each body of the page's tree with the bodies and territories it sits in (outermost first)."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.stack: list[tuple[str, str] | None] = []
        self.path: dict[str, list[tuple[str, str]]] = {}
        self.context: set[str] = set()
        self.names: dict[str, str] = {}
        self._naming: str | None = None
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag != "li":
            if tag == "a" and self.stack and self.stack[-1] and self.stack[-1][0] == "body":
                self._naming = self.stack[-1][1]
            return
        found = dict(attrs)
        if found.get("data-body"):
            node: tuple[str, str] | None = ("body", str(found["data-body"]))
            self.path[str(found["data-body"])] = [each for each in self.stack if each]
            if "context" in (found.get("class") or ""):
                self.context.add(str(found["data-body"]))
        elif found.get("data-territory"):
            node = ("territory", str(found["data-territory"]))
        else:
            node = None
        self.stack.append(node)

    def handle_data(self, data: str) -> None:
        if self._naming is not None:
            self.names[self._naming] = data
            self._naming = None

    def handle_endtag(self, tag: str) -> None:
        if tag == "li" and self.stack:
            self.stack.pop()


def body(code: str) -> Organization:
    return Organization.objects.get(code=code)


def tree_of(client: Client, **query: str) -> Tree:
    response = client.get(URL, query, headers=EN)
    assert response.status_code == 200
    return Tree(response.content.decode())


def shown_names(tree: Tree) -> set[str]:
    return set(tree.names.values())


@pytest.fixture
def reorganized(registry: None) -> None:
    """Sở Kế hoạch và Đầu tư and Sở Tài chính merge into a new Sở Tài chính, Ban Dân tộc tỉnh is renamed, on
    1/3/2025, through the reorganisation service."""
    province = body("DNO.UBND")
    merger = plan_reorganization(
        kind=ReorganizationKind.MERGE,
        originals=[body("DNO.SKHDT"), body("DNO.STC")],
        effective_on=REORGANIZED_ON,
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
    commit_reorganization(plan=merger, fingerprint=merger.fingerprint)
    renaming = plan_reorganization(
        kind=ReorganizationKind.RENAME,
        originals=[body("DNO.BDT")],
        effective_on=REORGANIZED_ON,
        decision=RENAMING,
        new_bodies=[
            NewBody(
                code="DNO.SDTTG",
                name="Sở Dân tộc và Tôn giáo",
                kind=OrganizationKind.DEPARTMENT,
                level=Level.PROVINCE,
                parent=province,
                jurisdiction=province.jurisdiction,
            )
        ],
    )
    commit_reorganization(plan=renaming, fingerprint=renaming.fingerprint)


def test_bodies_sit_under_their_parent_body_within_their_territory(
    client_for: Callable[[str], Client],
) -> None:
    tree = tree_of(client_for("reader"), on="17/04/2023")
    standing_board, district_committee = body("CJU.BTV"), body("CJU.HU")
    province, district = district_committee.jurisdiction.parent, district_committee.jurisdiction
    assert tree.path[str(standing_board.pk)] == [
        ("territory", str(province.pk)),
        ("territory", str(district.pk)),
        ("body", str(district_committee.pk)),
    ]
    assert tree.path[str(body("DNO.SNV").pk)] == [
        ("territory", str(province.pk)),
        ("body", str(body("DNO.UBND").pk)),
    ]


def test_each_name_links_to_the_body_page(client_for: Callable[[str], Client]) -> None:
    response = client_for("reader").get(URL, headers=EN)
    assert f'href="{reverse("registry:body", args=[body("CJU.HU").pk])}"' in response.content.decode()


def test_the_tree_shows_the_departments_before_the_merger_and_the_new_one_after(
    reorganized: None, client_for: Callable[[str], Client]
) -> None:
    client = client_for("reader")
    before = shown_names(tree_of(client, on=f"{BEFORE:%d/%m/%Y}"))
    after = shown_names(tree_of(client, on=f"{AFTER:%d/%m/%Y}"))
    assert {"Sở Kế hoạch và Đầu tư", "Sở Tài chính", "Ban Dân tộc tỉnh"} <= before
    assert "Sở Dân tộc và Tôn giáo" not in before
    assert {"Sở Tài chính", "Sở Dân tộc và Tôn giáo"} <= after
    assert not {"Sở Kế hoạch và Đầu tư", "Ban Dân tộc tỉnh"} & after
    new_finance = str(body("DNO.STC.2025").pk)
    assert new_finance in tree_of(client, on=f"{AFTER:%d/%m/%Y}").names
    assert new_finance not in tree_of(client, on=f"{BEFORE:%d/%m/%Y}").names


def test_the_day_defaults_to_today(client_for: Callable[[str], Client]) -> None:
    response = client_for("reader").get(URL, headers=EN)
    assert f"The apparatus on {today():%d/%m/%Y}" in response.content.decode()


def test_the_level_filter_keeps_communes_and_the_territories_above_them(
    client_for: Callable[[str], Client],
) -> None:
    tree = tree_of(client_for("reader"), on="17/04/2023", level=Level.COMMUNE)
    communes = set(
        Organization.objects.as_of(date(2023, 4, 17)).filter(level=Level.COMMUNE, outside_jurisdiction=False)
    )
    assert communes
    assert set(tree.names) == {str(commune.pk) for commune in communes} | tree.context
    assert not Organization.objects.filter(pk__in=tree.context, level=Level.PROVINCE).exists()


def test_the_kind_filter_keeps_the_departments(client_for: Callable[[str], Client]) -> None:
    tree = tree_of(client_for("reader"), on="17/04/2023", kind=OrganizationKind.DEPARTMENT)
    matching = set(tree.names) - tree.context
    assert "Sở Nội vụ" in shown_names(tree)
    assert set(Organization.objects.filter(pk__in=matching).values_list("kind", flat=True)) == {
        OrganizationKind.DEPARTMENT
    }
    assert str(body("DNO.UBND").pk) in tree.context  # the departments' parent, shown for them


def test_the_search_ignores_diacritics_and_keeps_the_bodies_above_the_matches(
    client_for: Callable[[str], Client],
) -> None:
    tree = tree_of(client_for("reader"), on="17/04/2023", q="huyen uy cu jut")
    names = shown_names(tree)
    assert {"Huyện ủy Cư Jút", "Ban Thường vụ Huyện ủy Cư Jút", "Ban Tổ chức Huyện ủy Cư Jút"} <= names
    assert "Huyện ủy Đắk Song" not in names
    assert "Ủy ban nhân dân huyện Cư Jút" not in names
    only_the_board = tree_of(client_for("reader"), on="17/04/2023", q="ban thuong vu huyen uy cu jut")
    assert shown_names(only_the_board) == {"Huyện ủy Cư Jút", "Ban Thường vụ Huyện ủy Cư Jút"}
    assert only_the_board.context == {str(body("CJU.HU").pk)}


def test_the_counts_per_level_are_of_the_bodies_shown(client_for: Callable[[str], Client]) -> None:
    """People's Committees exist at the province, district and commune levels, none at the centre."""
    response = client_for("reader").get(
        URL, {"on": "17/04/2023", "kind": OrganizationKind.PEOPLES_COMMITTEE}, headers=EN
    )
    committees = Organization.objects.as_of(date(2023, 4, 17)).filter(
        kind=OrganizationKind.PEOPLES_COMMITTEE, outside_jurisdiction=False
    )
    per_level = [committees.filter(level=level).count() for level in (Level.DISTRICT, Level.COMMUNE)]
    counts = re.search(r'id="apparatus-counts">(.*?)</p>', response.content.decode(), re.S)
    assert counts is not None
    assert " ".join(re.sub("<[^>]+>", "", counts[1]).split()) == (
        f"{committees.count()} bodies: province 1 · district {per_level[0]} · commune {per_level[1]}"
    )


def test_the_changes_between_two_days_name_the_decision(
    reorganized: None, client_for: Callable[[str], Client]
) -> None:
    response = client_for("reader").get(
        URL, {"on": f"{BEFORE:%d/%m/%Y}", "compare": f"{AFTER:%d/%m/%Y}"}, headers=EN
    )
    html = response.content.decode()
    changes = response.context["changes"]
    assert [(change.what, decision) for change, _label in changes for decision in [change.decision]] == [
        (ReorganizationKind.MERGE, MERGER),
        (ReorganizationKind.RENAME, RENAMING),
    ]
    merger = changes[0][0]
    assert [name for _id, name in merger.before] == ["Sở Kế hoạch và Đầu tư", "Sở Tài chính"]
    assert [name for _id, name in merger.after] == ["Sở Tài chính"]
    assert "Changes between 01/02/2025 and 01/04/2025" in html
    assert MERGER in html and RENAMING in html


def test_the_changes_follow_the_trees_filters(reorganized: None, client_for: Callable[[str], Client]) -> None:
    days = {"on": f"{BEFORE:%d/%m/%Y}", "compare": f"{AFTER:%d/%m/%Y}"}
    reader = client_for("reader")
    by_name = reader.get(URL, {**days, "q": "dan toc"}).context["changes"]
    assert [change.decision for change, _label in by_name] == [RENAMING]
    by_kind = reader.get(URL, {**days, "kind": OrganizationKind.STANDING_BOARD}).context["changes"]
    assert by_kind == []


def test_a_body_created_without_a_decision_is_listed_as_created(
    registry: None, client_for: Callable[[str], Client]
) -> None:
    province = body("DNO.UBND")
    Organization.objects.create(
        code="DNO.TEST",
        name="Trung tâm Thử nghiệm tỉnh",
        kind=OrganizationKind.PUBLIC_SERVICE_UNIT,
        level=Level.PROVINCE,
        parent=province,
        jurisdiction=province.jurisdiction,
        valid_from=REORGANIZED_ON,
    )
    response = client_for("reader").get(URL, {"on": f"{AFTER:%d/%m/%Y}", "compare": f"{BEFORE:%d/%m/%Y}"})
    assert [(change.what, change.after) for change, _label in response.context["changes"]] == [
        ("created", ((body("DNO.TEST").pk, "Trung tâm Thử nghiệm tỉnh"),))
    ]


def test_a_name_corrected_on_the_body_itself_is_listed_as_renamed(
    registry: None, client_for: Callable[[str], Client]
) -> None:
    council = body("DNO.HDND")
    council.name = "Hội đồng nhân dân tỉnh Đắk Nông khóa IV"
    council.save()
    day = today()
    response = client_for("reader").get(
        URL, {"on": f"{day - timedelta(days=1):%d/%m/%Y}", "compare": f"{day:%d/%m/%Y}"}, headers=EN
    )
    assert [(change.what, change.before, change.after) for change, _label in response.context["changes"]] == [
        (
            "renamed",
            ((council.pk, "Hội đồng nhân dân tỉnh Đắk Nông"),),
            ((council.pk, "Hội đồng nhân dân tỉnh Đắk Nông khóa IV"),),
        )
    ]


def test_a_body_renamed_in_place_keeps_its_former_name_on_the_days_before(
    registry: None, client_for: Callable[[str], Client]
) -> None:
    council = body("DNO.HDND")
    a_year_ago = timezone.now() - timedelta(days=365)
    Organization.history.filter(id=council.pk).update(history_date=a_year_ago)  # the registry loaded then
    council.name = "Hội đồng nhân dân tỉnh Đắk Nông khóa IV"
    council.save()
    client = client_for("reader")
    last_month = f"{today() - timedelta(days=30):%d/%m/%Y}"
    assert tree_of(client, on=last_month).names[str(council.pk)] == "Hội đồng nhân dân tỉnh Đắk Nông"
    assert tree_of(client).names[str(council.pk)] == "Hội đồng nhân dân tỉnh Đắk Nông khóa IV"
    assert shown_names(tree_of(client, on=last_month, q="hoi dong nhan dan tinh dak nong khoa iv")) == set()


def test_the_page_takes_a_fixed_number_of_queries(
    registry: None, client_for: Callable[[str], Client]
) -> None:
    client = client_for("reader")
    query = {"on": f"{AFTER:%d/%m/%Y}", "compare": f"{BEFORE:%d/%m/%Y}"}

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(URL, query).status_code == 200
        return len(captured.captured_queries)

    small = queries()
    province = body("DNO.UBND")
    Organization.objects.bulk_create(
        Organization(
            code=f"DNO.X{number}",
            name=f"Đơn vị thử nghiệm {number}",
            folded_name=f"don vi thu nghiem {number}",
            kind=OrganizationKind.PUBLIC_SERVICE_UNIT,
            level=Level.PROVINCE,
            parent=province,
            jurisdiction=province.jurisdiction,
            valid_from=REORGANIZED_ON,
        )
        for number in range(200)
    )
    reorganization = Reorganization.objects.create(
        kind=ReorganizationKind.DISSOLVE,
        effective_on=REORGANIZED_ON,
        decision="QĐ thử",
        committed_at="2025-03-01T00:00Z",
    )
    reorganization.originals.set([body("DNO.BAO")])
    assert queries() == small


def test_a_unit_leader_reads_the_tree_of_its_territory(client_for: Callable[[str], Client]) -> None:
    names = shown_names(tree_of(client_for("leader"), on="17/04/2023"))
    assert {"Huyện ủy Cư Jút", "Ủy ban nhân dân huyện Cư Jút"} <= names
    assert "Huyện ủy Đắk Song" not in names
    assert "Sở Nội vụ" not in names


@pytest.mark.parametrize("role", ["admin", "monitor", "reader", "leader", "reporter"])
def test_reading_roles_open_the_page(role: str, client_for: Callable[[str], Client]) -> None:
    assert client_for(role).get(URL).status_code == 200


def test_the_auditor_may_not(client_for: Callable[[str], Client]) -> None:
    assert client_for("auditor").get(URL).status_code == 403


def test_the_menu_offers_the_registry_to_readers_only(client_for: Callable[[str], Client]) -> None:
    link = f'href="{URL}"'
    assert link in client_for("reporter").get(URL).content.decode()
    assert link not in client_for("auditor").get(reverse("directives:history")).content.decode()
