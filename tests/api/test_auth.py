"""Who gets in: a bearer token (only its SHA-256 stored; a revoked one fails) or the signed-in session (CSRF
checked on unsafe methods); anyone else gets 401 with a JSON message, on every endpoint and method."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from tests.api.conftest import assignment_of

from dondoc.accounts.models import ApiToken, User
from dondoc.accounts.services import issue_token, revoke_token
from dondoc.directives.models import ProgressReport
from dondoc.directives.services import draft_report

# every operation of the API, with the ids filled in by `url`
OPERATIONS = [
    ("get", "/api/documents/"),
    ("get", "/api/documents/{directive}"),
    ("get", "/api/documents/{directive}/tasks"),
    ("get", "/api/tasks/{task}"),
    ("get", "/api/assignments/"),
    ("get", "/api/assignments/{assignment}"),
    ("get", "/api/assignments/{assignment}/reports"),
    ("post", "/api/assignments/{assignment}/reports"),
    ("get", "/api/reports/{report}"),
    ("post", "/api/reports/{report}/approve"),
    ("post", "/api/reports/{report}/confirm"),
    ("post", "/api/reports/{report}/return"),
    ("get", "/api/bodies/"),
    ("get", "/api/bodies/{body}"),
]


@pytest.fixture
def ids(published, users):
    assignment = assignment_of(published, "CJU.BTV")
    report = draft_report(
        assignment=assignment, text="Đã họp Ban Thường vụ", percent=30, by=users["reporter"]
    )
    return {
        "directive": published.pk,
        "task": assignment.task_id,
        "assignment": assignment.pk,
        "report": report.pk,
        "body": assignment.organization_id,
    }


def call(client: Client, method: str, path: str, ids: dict[str, int]):
    url = path.format(**ids)
    if method == "post":
        return client.post(
            url,
            {"text": "Đã triển khai", "percent": 50, "comment": "Bổ sung số liệu"},
            content_type="application/json",
        )
    return client.get(url)


@pytest.mark.parametrize(("method", "path"), OPERATIONS)
def test_an_anonymous_caller_gets_401_with_a_message(ids, method, path):
    response = call(Client(), method, path, ids)
    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/json") and response.json()["detail"]


@pytest.mark.parametrize(("method", "path"), OPERATIONS)
def test_a_revoked_token_gets_401(ids, users, method, path):
    issued = issue_token(user=users["reporter"], name="old")
    revoke_token(token=issued.token)
    response = call(Client(HTTP_AUTHORIZATION=f"Bearer {issued.key}"), method, path, ids)
    assert response.status_code == 401


@pytest.mark.parametrize(
    "header", ["Bearer dd_not-a-key", "Bearer ", "Basic cmVwb3J0ZXI6eA==", "dd_no-scheme"]
)
def test_a_wrong_or_malformed_authorization_gets_401(ids, header):
    assert Client(HTTP_AUTHORIZATION=header).get("/api/assignments/").status_code == 401


def test_only_the_keys_digest_is_stored_and_the_key_opens_the_api(ids, users):
    issued = issue_token(user=users["reporter"], name="bảng tính")
    stored = ApiToken.objects.get(pk=issued.token.pk)
    assert issued.key not in (stored.digest, stored.prefix) and stored.prefix == issued.key[:8]
    response = Client(HTTP_AUTHORIZATION=f"Bearer {issued.key}").get(f"/api/assignments/{ids['assignment']}")
    assert response.status_code == 200


def test_a_token_of_a_deactivated_user_gets_401(ids, users):
    issued = issue_token(user=users["reporter"], name="x")
    User.objects.filter(pk=users["reporter"].pk).update(is_active=False)
    assert Client(HTTP_AUTHORIZATION=f"Bearer {issued.key}").get("/api/assignments/").status_code == 401


def test_last_used_is_written_at_most_once_a_minute(ids, users, django_assert_max_num_queries):
    issued = issue_token(user=users["reporter"], name="x")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {issued.key}")
    client.get("/api/bodies/")
    first = ApiToken.objects.get(pk=issued.token.pk).last_used_at
    assert first is not None
    client.get("/api/bodies/")
    assert ApiToken.objects.get(pk=issued.token.pk).last_used_at == first
    ApiToken.objects.filter(pk=issued.token.pk).update(last_used_at=timezone.now() - timedelta(seconds=61))
    client.get("/api/bodies/")
    assert ApiToken.objects.get(pk=issued.token.pk).last_used_at > first


def test_the_signed_in_session_opens_the_api_too(ids, client_for):
    assert client_for("reporter").get(f"/api/assignments/{ids['assignment']}").status_code == 200


def test_a_session_must_send_the_csrf_token_on_unsafe_methods_but_a_bearer_token_need_not(
    ids, users, token_for
):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(users["reporter"])
    url = f"/api/assignments/{ids['assignment']}/reports"
    body = {"text": "Đã triển khai", "percent": 50}
    assert browser.get(url).status_code == 200  # safe methods need no token
    refused = browser.post(url, body, content_type="application/json")
    assert refused.status_code == 403 and ProgressReport.objects.count() == 1
    browser.get("/accounts/tokens/")  # sets the CSRF cookie, as any page with a form does
    accepted = browser.post(
        url, body, content_type="application/json", HTTP_X_CSRFTOKEN=browser.cookies["csrftoken"].value
    )
    assert accepted.status_code == 201
    program = Client(enforce_csrf_checks=True, HTTP_AUTHORIZATION=f"Bearer {token_for('reporter')}")
    assert program.post(url, body, content_type="application/json").status_code == 201


def test_an_account_without_a_role_gets_403(ids):
    nobody = User.objects.create_user("nobody", password="mat-khau-thu-nghiem")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {issue_token(user=nobody, name='x').key}")
    assert client.get("/api/documents/").status_code == 403
    assert client.get("/api/bodies/").status_code == 403


def test_a_change_made_with_a_token_is_recorded_under_the_tokens_user(ids, users, api_for):
    response = api_for("leader").post(f"/api/reports/{ids['report']}/approve")
    assert response.status_code == 200
    latest = ProgressReport.history.filter(id=ids["report"]).latest("history_date")
    assert latest.history_user_id == users["leader"].pk
