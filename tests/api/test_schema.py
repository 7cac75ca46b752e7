"""The OpenAPI schema and the interactive docs, which must work without internet."""

from __future__ import annotations

import json

from django.test import Client

PATHS = {
    "/api/documents/": {"get"},
    "/api/documents/{directive_id}": {"get"},
    "/api/documents/{directive_id}/tasks": {"get"},
    "/api/tasks/{task_id}": {"get"},
    "/api/assignments/": {"get"},
    "/api/assignments/{assignment_id}": {"get"},
    "/api/assignments/{assignment_id}/reports": {"get", "post"},
    "/api/reports/{report_id}": {"get"},
    "/api/reports/{report_id}/approve": {"post"},
    "/api/reports/{report_id}/confirm": {"post"},
    "/api/reports/{report_id}/return": {"post"},
    "/api/bodies/": {"get"},
    "/api/bodies/{body_id}": {"get"},
}


def test_the_schema_is_valid_json_listing_every_path_and_method(db):
    response = Client().get("/api/openapi.json")
    assert response.status_code == 200
    schema = json.loads(response.content)
    assert schema["openapi"].startswith("3.") and schema["info"] == {
        "title": "dondoc",
        "version": "1",
        "description": schema["info"]["description"],
    }
    assert {path: set(methods) for path, methods in schema["paths"].items()} == PATHS
    assert {"TokenAuth", "SessionAuth"} <= set(schema["components"]["securitySchemes"])
    assert schema["components"]["securitySchemes"]["TokenAuth"] == {"type": "http", "scheme": "bearer"}


def test_the_schema_names_fields_in_english_and_the_computed_status_values(db):
    schema = Client().get("/api/openapi.json").json()["components"]["schemas"]
    assert {"id", "organization", "role", "due", "status", "directive"} <= set(
        schema["AssignmentOut"]["properties"]
    )
    assert set(schema["Status"]["enum"]) == {
        "not_yet_due",
        "in_progress",
        "overdue",
        "done_on_time",
        "done_late",
        "no_deadline",
    }


def test_the_docs_load_swagger_ui_from_our_own_static_files(db):
    page = Client().get("/api/docs").content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in page and "/api/openapi.json" in page
    assert "cdn" not in page.lower() and "https://" not in page
