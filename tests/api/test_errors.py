"""Every error the API answers is JSON, never Django's HTML pages: a malformed id is a 422 like any other bad
parameter, a date is written YYYY-MM-DD only, and an unexpected failure (a bug, the database down or
locked) is a 500 with a sentence, logged with its traceback."""

from __future__ import annotations

import logging

import pytest
from django.db import OperationalError
from tests.api.conftest import assignment_of, items

from dondoc.directives import api as directives_api


def is_json(response):
    return response["Content-Type"] == "application/json; charset=utf-8"


@pytest.mark.parametrize(
    "path",
    [
        "/api/documents/abc",
        "/api/documents/1.5/tasks",
        "/api/tasks/abc",
        "/api/assignments/abc",
        "/api/assignments/abc/reports",
        "/api/reports/abc",
        "/api/bodies/abc",
    ],
)
def test_a_malformed_id_is_a_json_422(published, api_for, path):
    response = api_for("monitor").get(path)
    assert response.status_code == 422 and is_json(response)
    assert response.json()["detail"][0]["loc"][0] == "path"


def test_a_malformed_id_in_a_write_is_a_json_422_and_a_negative_one_a_json_404(published, api_for):
    leader = api_for("leader")
    malformed = leader.post("/api/reports/abc/approve")
    assert malformed.status_code == 422 and is_json(malformed)
    negative = leader.post("/api/reports/-1/approve", HTTP_ACCEPT_LANGUAGE="en")
    assert negative.status_code == 404 and negative.json() == {"detail": "Not found, or not yours to see."}


def test_an_id_beyond_64_bits_is_not_found(published, api_for):
    response = api_for("monitor").get(f"/api/documents/{2**64}")
    assert response.status_code == 404 and is_json(response)


@pytest.mark.parametrize("written", ["0", "1686000000", "2023-06-30T00:00:00", "30/6/2023"])
def test_a_date_is_written_year_month_day_only(published, api_for, written):
    client = api_for("monitor")
    for path in (f"/api/assignments/?due_before={written}", f"/api/bodies/?on={written}"):
        response = client.get(path)
        assert response.status_code == 422 and is_json(response), path


def test_a_date_written_year_month_day_filters(published, api_for):
    due = assignment_of(published, "CJU.BTV").due
    found = items(api_for("monitor").get(f"/api/assignments/?due_before={due:%Y-%m-%d}"))
    assert found and all(row["due"] <= f"{due:%Y-%m-%d}" for row in found)


def database_locked(*args, **kwargs):
    raise OperationalError("database is locked")


def test_an_unexpected_failure_is_a_json_500_logged_with_its_traceback(
    published, api_for, monkeypatch, caplog
):
    monkeypatch.setattr(directives_api, "directives_for", database_locked)
    with caplog.at_level(logging.ERROR, logger="dondoc.api"):
        response = api_for("monitor").get("/api/documents/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 500 and is_json(response)
    assert response.json() == {"detail": "Something went wrong on the server. Try again later."}
    (record,) = [r for r in caplog.records if r.name == "dondoc.api"]
    assert record.getMessage() == "GET /api/documents/ failed"
    assert record.exc_info and isinstance(record.exc_info[1], OperationalError)


def test_a_failure_while_checking_the_token_is_a_json_500_too(published, api_for, monkeypatch):
    client = api_for("monitor")
    monkeypatch.setattr("dondoc.api.token_digest", database_locked)
    response = client.get("/api/bodies/")
    assert response.status_code == 500 and is_json(response) and response.json()["detail"]
