"""Directives and tasks through the API: each role sees what the pages show it, no more."""

from __future__ import annotations

import pytest
from tests.api.conftest import ROLES, assignment_of, items

# who sees the seed letter once published: every body it was sent to,
# its monitor and reader, the administrator
SEES_PUBLISHED = {"admin", "monitor", "reporter", "leader", "other_reporter", "other_leader", "reader"}
# a draft is the importers' work: the monitor and the administrator
SEES_DRAFT = {"admin", "monitor"}
# the letter sent to Đắk Song only
SEES_ELSEWHERE = {"admin", "monitor", "other_reporter", "other_leader", "reader"}


@pytest.mark.parametrize("role", ROLES)
def test_the_published_letter_is_listed_and_read_by_those_it_concerns(published, api_for, role):
    client = api_for(role)
    listed = [row["number"] for row in items(client.get("/api/documents/"))]
    detail = client.get(f"/api/documents/{published.pk}")
    tasks = client.get(f"/api/documents/{published.pk}/tasks")
    if role in SEES_PUBLISHED:
        assert listed == ["1317-CV/TU"]
        assert detail.status_code == 200 and len(detail.json()["tasks"]) == 11
        assert [task["position"] for task in tasks.json()["items"]] == list(range(1, 12))
    else:
        assert listed == []
        assert detail.status_code == 404 and tasks.status_code == 404


@pytest.mark.parametrize("role", ROLES)
def test_a_draft_is_seen_only_by_the_monitor_and_the_administrator(draft, api_for, role):
    client = api_for(role)
    detail = client.get(f"/api/documents/{draft.pk}")
    listed = items(client.get("/api/documents/?state=draft"))
    task = draft.tasks.get(position=1)
    if role in SEES_DRAFT:
        assert detail.status_code == 200 and detail.json()["state"] == "draft" and len(listed) == 1
        assert client.get(f"/api/tasks/{task.pk}").status_code == 200
    else:
        assert detail.status_code == 404 and listed == []
        assert client.get(f"/api/tasks/{task.pk}").status_code == 404
        assert client.get(f"/api/documents/{draft.pk}/tasks").status_code == 404


@pytest.mark.parametrize("role", ROLES)
def test_another_bodys_directive_and_task_are_not_found(elsewhere, api_for, role):
    client = api_for(role)
    task = elsewhere.tasks.get()
    expected = 200 if role in SEES_ELSEWHERE else 404
    assert client.get(f"/api/documents/{elsewhere.pk}").status_code == expected
    assert client.get(f"/api/documents/{elsewhere.pk}/tasks").status_code == expected
    assert client.get(f"/api/tasks/{task.pk}").status_code == expected
    assert ("1400-CV/TU" in [row["number"] for row in items(client.get("/api/documents/"))]) == (
        expected == 200
    )


def test_the_detail_carries_addressees_tasks_with_deadlines_and_citations(published, api_for):
    detail = api_for("monitor").get(f"/api/documents/{published.pk}").json()
    assert detail["number"] == "1317-CV/TU" and detail["issued_on"] == "2023-04-17"
    assert detail["issuer"] == "TỈNH ỦY ĐẮK NÔNG"  # UTF-8 as written, not \u escapes
    assert detail["addressees"] and detail["tasks"][0]["deadline"] == {
        "kind": "by_date",
        "due": "2023-05-31",
        "start": None,
        "text": detail["tasks"][0]["deadline"]["text"],
    }
    assert "50-KL/TW" in [citation["number"] for citation in detail["citations"]]
    assert detail["cited_by"] == []


def test_documents_filter_by_state_number_and_words_without_diacritics(published, elsewhere, api_for):
    client = api_for("monitor")
    assert [d["number"] for d in items(client.get("/api/documents/?number=1317-cv/tu"))] == ["1317-CV/TU"]
    assert [d["number"] for d in items(client.get("/api/documents/?q=ra soat to chuc"))] == ["1400-CV/TU"]
    assert [d["number"] for d in items(client.get("/api/documents/?q=KẾT LUẬN 50"))] == ["1317-CV/TU"]
    assert items(client.get("/api/documents/?state=draft")) == []
    assert client.get("/api/documents/?state=lost").status_code == 422


def test_a_task_shows_only_the_assignments_the_caller_sees(published, api_for):
    task = assignment_of(published, "CJU.BTV").task
    mine = api_for("reporter").get(f"/api/tasks/{task.pk}").json()
    assert [a["organization"]["code"] for a in mine["assignments"]] == ["CJU.BTV"]
    assert mine["assignments"][0]["status"] == "not_yet_due"
    everyone = api_for("monitor").get(f"/api/tasks/{task.pk}").json()["assignments"]
    assert {"CJU.BTV", "DSO.BTV"} <= {a["organization"]["code"] for a in everyone}


def test_an_unknown_id_is_404(published, api_for):
    client = api_for("admin")
    assert client.get("/api/documents/99999").status_code == 404
    assert client.get("/api/tasks/99999").status_code == 404
