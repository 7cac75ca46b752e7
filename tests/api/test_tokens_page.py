"""The API token page: a signed-in user lists, creates (the key shown once) and revokes their own tokens."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from tests.api.conftest import ROLES

from dondoc.accounts.models import ApiToken
from dondoc.accounts.services import issue_token


@pytest.mark.parametrize("role", ROLES)
def test_every_role_has_the_token_page(client_for, role):
    response = client_for(role).get("/accounts/tokens/")
    assert response.status_code == 200 and 'id="token-name"' in response.content.decode()


def test_an_anonymous_visitor_is_sent_to_log_in(db):
    response = Client().get("/accounts/tokens/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_a_new_tokens_key_is_shown_once_and_opens_the_api(client_for):
    browser = client_for("reporter")
    created = browser.post("/accounts/tokens/", {"name": "Bảng tổng hợp"}).content.decode()
    key = re.search(r'id="new-key" readonly value="([^"]+)"', created).group(1)
    token = ApiToken.objects.get()
    assert token.name == "Bảng tổng hợp" and key.startswith(token.prefix) and key not in token.digest
    assert Client(HTTP_AUTHORIZATION=f"Bearer {key}").get("/api/assignments/").status_code == 200
    listed = browser.get("/accounts/tokens/").content.decode()
    assert key not in listed and f'id="token-{token.pk}"' in listed and "Bảng tổng hợp" in listed


def test_revoking_a_token_closes_the_api_to_it(client_for, users):
    issued = issue_token(user=users["reporter"], name="cũ")
    response = client_for("reporter").post(f"/accounts/tokens/{issued.token.pk}/revoke/")
    assert response.status_code == 302 and response["Location"] == "/accounts/tokens/"
    issued.token.refresh_from_db()
    assert issued.token.revoked_at is not None
    assert Client(HTTP_AUTHORIZATION=f"Bearer {issued.key}").get("/api/assignments/").status_code == 401
    page = client_for("reporter").get("/accounts/tokens/").content.decode()
    assert f"/accounts/tokens/{issued.token.pk}/revoke/" not in page  # nothing left to revoke


def test_only_the_owner_sees_or_revokes_a_token(client_for, users):
    issued = issue_token(user=users["reporter"], name="của tôi")
    other = client_for("other_reporter")
    assert f'id="token-{issued.token.pk}"' not in other.get("/accounts/tokens/").content.decode()
    assert other.post(f"/accounts/tokens/{issued.token.pk}/revoke/").status_code == 404
    issued.token.refresh_from_db()
    assert issued.token.revoked_at is None


def test_revoking_needs_a_post(client_for, users):
    issued = issue_token(user=users["reporter"], name="x")
    assert client_for("reporter").get(f"/accounts/tokens/{issued.token.pk}/revoke/").status_code == 405


def test_a_too_long_name_is_refused_plainly(client_for):
    response = client_for("reporter").post("/accounts/tokens/", {"name": "x" * 101})
    assert response.status_code == 200 and ApiToken.objects.count() == 0
    assert 'id="new-key"' not in response.content.decode()


def test_the_token_page_is_not_cached(client_for):
    response = client_for("reporter").post("/accounts/tokens/", {"name": "x"})
    assert "no-store" in response["Cache-Control"]
