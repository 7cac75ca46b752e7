"""The reorganisation planner on the Đắk Nông sample registry: the plan of merging two wards' People's
Committees shows the posts and their holders moving to the new body before anything is written; committing
it writes the reorganisation and the new body and ends the originals; a stale plan, a body absorbed into
itself, a split with no results, a date before a body existed and a missing decision are each refused with
their message and write nothing; administrators and monitors only."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from dondoc.registry.models import Appointment, Organization, Person, Post, Reorganization

URL = reverse("registry:reorganize")
EN = {"accept-language": "en"}
ON = date(2025, 7, 1)
DECISION = "Nghị quyết số 901/NQ-UBTVQH15 ngày 16/6/2025 (test data)"
NGHIA_DUC, NGHIA_THANH = "GNG-NGHIA-DUC.UBND", "GNG-NGHIA-THANH.UBND"
NEW_NAME, NEW_CODE = "Ủy ban nhân dân phường Bắc Gia Nghĩa", "GNG-BAC-GIA-NGHIA.UBND"


def body(code: str) -> Organization:
    return Organization.objects.get(code=code)


def new_rows(*rows: dict[str, str]) -> dict[str, str]:
    """The new bodies' formset as the page posts it: three rows, those not given left empty."""
    data = {
        "new-TOTAL_FORMS": "3",
        "new-INITIAL_FORMS": "0",
        "new-MIN_NUM_FORMS": "0",
        "new-MAX_NUM_FORMS": "3",
    }
    for number, row in enumerate(rows):
        data |= {f"new-{number}-{field}": value for field, value in row.items()}
    return data


def merger(**changes: Any) -> dict[str, Any]:
    return {
        "kind": "merge",
        "originals": [body(NGHIA_DUC).pk, body(NGHIA_THANH).pk],
        "effective_on": f"{ON:%d/%m/%Y}",
        "decision": DECISION,
        **new_rows({"name": NEW_NAME, "code": NEW_CODE}),
        **changes,
    }


def counts() -> tuple[int, ...]:
    return tuple(model.objects.count() for model in (Reorganization, Organization, Post, Appointment, Person))


def show(client: Client, data: dict[str, Any]) -> Any:
    return client.post(URL, {**data, "show": ""}, headers=EN)


def commit(client: Client, data: dict[str, Any], fingerprint: str) -> Any:
    return client.post(URL, {**data, "fingerprint": fingerprint, "commit": ""}, headers=EN)


def test_a_monitor_sees_the_form_with_the_bodies_of_the_day(client_for: Callable[[str], Client]) -> None:
    response = client_for("monitor").get(URL, headers=EN)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Plan a reorganisation" in html and "Show the plan" in html
    assert f'name="originals" value="{body(NGHIA_DUC).pk}"' in html
    assert "Commit the reorganisation" not in html


def test_the_apparatus_page_links_to_the_planner_for_those_who_may_plan(
    client_for: Callable[[str], Client],
) -> None:
    apparatus = reverse("registry:apparatus")
    assert URL in client_for("monitor").get(apparatus, headers=EN).content.decode()
    assert URL not in client_for("reader").get(apparatus, headers=EN).content.decode()


@pytest.mark.parametrize("role", ["reader", "leader", "reporter", "auditor"])
def test_the_others_are_refused_reading_and_planning(client_for: Callable[[str], Client], role: str) -> None:
    client = client_for(role)
    assert client.get(URL, headers=EN).status_code == 403
    before = counts()
    assert commit(client, merger(), "anything").status_code == 403
    assert counts() == before


def test_the_plan_of_a_merger_shows_the_posts_and_holders_moving_to_the_new_body(
    client_for: Callable[[str], Client],
) -> None:
    before = counts()
    response = show(client_for("monitor"), merger())
    assert response.status_code == 200
    plan = response.context["plan"]
    moved = {(move.post.title, move.holders, move.to) for move in plan.post_moves}
    assert ("Chủ tịch Ủy ban nhân dân phường Nghĩa Đức", ("Đặng Quang Nam",), NEW_NAME) in moved
    assert ("Chủ tịch Ủy ban nhân dân phường Nghĩa Thành", ("Phan Xuân Long",), NEW_NAME) in moved
    html = response.content.decode()
    assert "Đặng Quang Nam" in html and "Phan Xuân Long" in html
    assert "Commit the reorganisation" in html and plan.fingerprint in html
    assert counts() == before


def test_the_new_body_takes_the_originals_kind_level_and_territory_when_left_blank(
    client_for: Callable[[str], Client],
) -> None:
    [result] = show(client_for("monitor"), merger()).context["plan"].results
    assert (result.kind, result.level) == ("peoples_committee", "commune")
    assert result.jurisdiction.code == "GNG"  # the two wards lie in the city, which holds them both
    assert result.parent is None


def test_committing_the_plan_writes_the_reorganisation_and_the_new_body_and_ends_the_originals(
    client_for: Callable[[str], Client],
) -> None:
    client = client_for("monitor")
    plan = show(client, merger()).context["plan"]
    response = commit(client, merger(), plan.fingerprint)
    created = body(NEW_CODE)
    assert response.status_code == 302
    assert response["Location"] == reverse("registry:body", args=[created.pk]) + f"?on={ON:%d/%m/%Y}"
    reorganization = Reorganization.objects.get(decision=DECISION)
    assert reorganization.decision == DECISION and reorganization.effective_on == ON
    assert set(reorganization.results.all()) == {created}
    assert created.valid_from == ON and created.name == NEW_NAME
    for code in (NGHIA_DUC, NGHIA_THANH):
        assert body(code).valid_to == ON
    holders = Appointment.objects.as_of(ON).filter(post__organization=created)
    assert set(holders.values_list("person__full_name", flat=True)) == {"Đặng Quang Nam", "Phan Xuân Long"}
    page = client.get(response["Location"], headers=EN)
    assert f"The reorganisation under {DECISION} is committed." in page.content.decode()


def test_a_stale_plan_is_refused_with_the_new_plan_shown_and_nothing_written(
    client_for: Callable[[str], Client],
) -> None:
    client = client_for("monitor")
    shown = show(client, merger()).context["plan"]
    chairman = Post.objects.get(organization=body(NGHIA_DUC), title__startswith="Chủ tịch")
    newcomer = Person.objects.create(full_name="Trần Văn Mới", is_sample=True)
    Appointment.objects.create(
        person=newcomer, post=chairman, valid_from=date(2024, 1, 1), is_concurrent=True
    )
    before = counts()
    response = commit(client, merger(), shown.fingerprint)
    assert response.status_code == 409
    html = response.content.decode()
    assert "The registry changed since the plan was made; plan again." in html
    assert "Trần Văn Mới" in html
    assert response.context["plan"].fingerprint != shown.fingerprint
    assert counts() == before
    assert not Organization.objects.filter(code=NEW_CODE).exists()


def refused(client: Client, data: dict[str, Any]) -> str:
    before = counts()
    response = show(client, data)
    assert response.status_code == 400
    assert counts() == before
    assert response.context["plan"] is None
    return response.content.decode()


def test_a_body_absorbed_into_itself_is_refused(client_for: Callable[[str], Client]) -> None:
    html = refused(
        client_for("monitor"),
        merger(kind="absorb", absorber=body(NGHIA_DUC).pk, **new_rows()),
    )
    assert "Ủy ban nhân dân phường Nghĩa Đức cannot absorb itself: choose another body to absorb it." in html


def test_a_split_with_no_new_body_is_refused(client_for: Callable[[str], Client]) -> None:
    html = refused(client_for("monitor"), merger(kind="split", originals=[body(NGHIA_DUC).pk], **new_rows()))
    assert "two or more new bodies" in html


def test_a_date_before_a_body_existed_is_refused(client_for: Callable[[str], Client]) -> None:
    Organization.objects.filter(code=NGHIA_THANH).update(valid_from=date(2026, 1, 1))
    html = refused(client_for("monitor"), merger())
    assert (
        "Ủy ban nhân dân phường Nghĩa Thành begins on 01/01/2026: it cannot be reorganised on 01/07/2025,"
        " before it existed."
    ) in html


def test_a_missing_decision_is_refused(client_for: Callable[[str], Client]) -> None:
    html = refused(client_for("monitor"), merger(decision=""))
    assert "Give the number and date of the decision." in html


def test_a_code_already_used_is_refused(client_for: Callable[[str], Client]) -> None:
    html = refused(client_for("monitor"), merger(**new_rows({"name": NEW_NAME, "code": NGHIA_DUC})))
    assert NGHIA_DUC in html and "already used" in html


def test_a_split_sends_each_post_where_the_plan_says_and_the_first_new_body_by_default(
    client_for: Callable[[str], Client],
) -> None:
    chairman = Post.objects.get(organization=body(NGHIA_DUC), title__startswith="Chủ tịch")
    split = merger(
        kind="split",
        originals=[body(NGHIA_DUC).pk],
        **new_rows(
            {"name": "Ủy ban nhân dân phường Nghĩa Đức A", "code": "GNG-A.UBND"},
            {"name": NEW_NAME, "code": NEW_CODE},
        ),
    )
    client = client_for("monitor")
    by_default = show(client, split).context["plan"]
    assert {move.to for move in by_default.post_moves} == {"Ủy ban nhân dân phường Nghĩa Đức A"}
    response = show(client, {**split, f"post-{chairman.pk}": "1"})
    [move] = [move for move in response.context["plan"].post_moves if move.post == chairman]
    assert move.to == NEW_NAME
    assert f'name="post-{chairman.pk}"' in response.content.decode()


def test_a_dissolution_lists_the_people_losing_their_post(client_for: Callable[[str], Client]) -> None:
    response = show(
        client_for("monitor"), merger(kind="dissolve", originals=[body(NGHIA_DUC).pk], **new_rows())
    )
    plan = response.context["plan"]
    assert plan.results == () and any("Đặng Quang Nam" in person for person in plan.people_leaving)
    assert "People losing a post" in response.content.decode()


def test_a_dissolved_boards_open_assignments_show_the_body_that_will_carry_them(
    published: Any, client_for: Callable[[str], Client]
) -> None:
    dissolution = merger(
        kind="dissolve",
        originals=[body("CJU.BTV").pk],
        successor=body("CJU.HU").pk,
        **new_rows(),
    )
    response = show(client_for("monitor"), dissolution)
    [work] = response.context["plan"].open_work
    assert work.body == "Ban Thường vụ Huyện ủy Cư Jút" and work.count > 0
    assert work.successor == "Huyện ủy Cư Jút"
    table = re.search(r'<table class="stack" id="plan-open-work".*?</table>', response.content.decode(), re.S)
    assert table is not None and "Huyện ủy Cư Jút" in table.group(0)


def test_a_dissolution_committed_lands_on_the_apparatus_of_the_day(
    client_for: Callable[[str], Client],
) -> None:
    client = client_for("monitor")
    dissolution = merger(kind="dissolve", originals=[body(NGHIA_DUC).pk], **new_rows())
    plan = show(client, dissolution).context["plan"]
    response = commit(client, dissolution, plan.fingerprint)
    assert response.status_code == 302
    assert response["Location"] == reverse("registry:apparatus") + f"?on={ON:%d/%m/%Y}"
    assert body(NGHIA_DUC).valid_to == ON


def test_a_new_body_half_typed_before_choosing_to_absorb_is_ignored(
    client_for: Callable[[str], Client],
) -> None:
    absorption = merger(
        kind="absorb",
        originals=[body(NGHIA_THANH).pk],
        absorber=body(NGHIA_DUC).pk,
        **new_rows({"name": NEW_NAME}),
    )
    response = show(client_for("monitor"), absorption)
    assert response.status_code == 200
    assert [result.name for result in response.context["plan"].results] == [body(NGHIA_DUC).name]
