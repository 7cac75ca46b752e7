"""Assignments through the API: a body's users see their body's only; each comes with its computed status."""

from __future__ import annotations

from datetime import date

import pytest
from tests.api.conftest import ROLES, assignment_of, items

from dondoc.directives.models import Assignment
from dondoc.registry.models import Organization

SEES_CU_JUT = {"admin", "monitor", "reporter", "leader", "reader"}
SEES_DAK_SONG = {"admin", "monitor", "other_reporter", "other_leader", "reader"}


@pytest.mark.parametrize("role", ROLES)
def test_each_role_reads_the_assignments_in_its_scope_and_no_other(published, api_for, role):
    client = api_for(role)
    cu_jut, dak_song = assignment_of(published, "CJU.BTV"), assignment_of(published, "DSO.BTV")
    assert client.get(f"/api/assignments/{cu_jut.pk}").status_code == (200 if role in SEES_CU_JUT else 404)
    assert client.get(f"/api/assignments/{dak_song.pk}").status_code == (
        200 if role in SEES_DAK_SONG else 404
    )
    listed = client.get("/api/assignments/?page_size=200").json()
    codes = {row["organization"]["code"] for row in listed["items"]}
    if role in {"reporter", "leader"}:
        assert (
            codes == {"CJU.BTV"}
            and listed["count"] == Assignment.objects.filter(organization__code="CJU.BTV").count()
        )
    elif role in {"other_reporter", "other_leader"}:
        assert codes == {"DSO.BTV"}
    elif role == "auditor":
        assert listed == {"items": [], "count": 0}
    else:
        assert {"CJU.BTV", "DSO.BTV"} <= codes


def test_an_assignment_carries_its_task_directive_body_and_status(published, api_for):
    assignment = assignment_of(published, "CJU.BTV")
    detail = api_for("reporter").get(f"/api/assignments/{assignment.pk}").json()
    assert detail["organization"]["code"] == "CJU.BTV" and detail["role"] == "lead"
    assert detail["directive"]["number"] == "1317-CV/TU" and detail["task"]["position"] == 9
    assert detail["due"] == "2023-05-14" and detail["status"] == "not_yet_due"


def test_the_status_follows_today(published, api_for, settings):
    assignment = assignment_of(published, "CJU.BTV")
    settings.DONDOC_TODAY = date(2023, 5, 15)
    assert api_for("reporter").get(f"/api/assignments/{assignment.pk}").json()["status"] == "overdue"


def test_assignments_filter_by_directive_body_status_deadline_and_role(published, elsewhere, api_for):
    client = api_for("monitor")
    cu_jut = Organization.objects.get(code="CJU.BTV")

    def ids(query: str) -> set[int]:
        return {row["id"] for row in items(client.get(f"/api/assignments/?page_size=200&{query}"))}

    seen = Assignment.objects.filter(organization=cu_jut)
    assert ids(f"organization={cu_jut.pk}") == set(seen.values_list("id", flat=True))
    assert ids(f"directive={elsewhere.pk}") == {elsewhere.tasks.get().assignments.get().pk}
    assert ids(f"organization={cu_jut.pk}&status=no_deadline") == set(
        seen.exclude(task__deadline_kind="by_date").values_list("id", flat=True)
    )
    assert ids(f"organization={cu_jut.pk}&status=not_yet_due") == set(
        seen.filter(task__deadline_kind="by_date").values_list("id", flat=True)
    )
    assert ids("due_after=2023-06-01&due_before=2023-06-30") == {elsewhere.tasks.get().assignments.get().pk}
    assert ids(f"organization={cu_jut.pk}&role=coordinating") == set(
        seen.filter(role="coordinating").values_list("id", flat=True)
    )
    # a body's users cannot widen their scope with a filter
    dak_song = Organization.objects.get(code="DSO.BTV")
    assert items(api_for("reporter").get(f"/api/assignments/?organization={dak_song.pk}")) == []


@pytest.mark.parametrize(
    "query", ["status=late", "due_before=31/05/2023", "role=boss", "page=0", "directive=x"]
)
def test_a_bad_filter_is_a_clear_422_not_a_crash(published, api_for, query):
    response = api_for("monitor").get(f"/api/assignments/?{query}")
    assert response.status_code == 422 and response.json()["detail"]


def test_pages_are_bounded(published, api_for):
    client = api_for("admin")
    total = Assignment.objects.count()
    first = client.get("/api/assignments/").json()
    assert first["count"] == total and len(first["items"]) == 50
    assert len(client.get("/api/assignments/?page_size=100000").json()["items"]) == 200
    last_page = client.get(f"/api/assignments/?page={total // 50 + 1}").json()["items"]
    assert len(last_page) == total % 50
