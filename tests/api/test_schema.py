"""The OpenAPI schema, with every status code each operation may answer and the shape of its body, and the
interactive docs, which must work without internet."""

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


# besides its success: 401, 403, 422 and 500 everywhere; 404 where the path names an object; 400 where a
# service may refuse the request (or its body is not JSON); 409 where the report may not allow the action
ERRORS = {
    ("/api/documents/", "get"): set(),
    ("/api/documents/{directive_id}", "get"): {"404"},
    ("/api/documents/{directive_id}/tasks", "get"): {"404"},
    ("/api/tasks/{task_id}", "get"): {"404"},
    ("/api/assignments/", "get"): set(),
    ("/api/assignments/{assignment_id}", "get"): {"404"},
    ("/api/assignments/{assignment_id}/reports", "get"): {"404"},
    ("/api/assignments/{assignment_id}/reports", "post"): {"404", "400"},
    ("/api/reports/{report_id}", "get"): {"404"},
    ("/api/reports/{report_id}/approve", "post"): {"404", "409"},
    ("/api/reports/{report_id}/confirm", "post"): {"404", "409"},
    ("/api/reports/{report_id}/return", "post"): {"404", "400", "409"},
    ("/api/bodies/", "get"): set(),
    ("/api/bodies/{body_id}", "get"): {"404"},
}


def body_schema(answer):
    return answer["content"]["application/json"]["schema"]


def test_every_operation_declares_each_status_code_it_may_answer_with_the_shape_of_its_body(db):
    schema = Client().get("/api/openapi.json").json()
    for (path, method), errors in ERRORS.items():
        answers = schema["paths"][path][method]["responses"]
        successes = {code for code in answers if code.startswith("2")}
        assert len(successes) == 1, (path, method)
        assert set(answers) == successes | {"401", "403", "422", "500"} | errors, (path, method)
        for code in set(answers) - successes - {"422"}:
            assert body_schema(answers[code]) == {"$ref": "#/components/schemas/Error"}, (path, method, code)
        assert body_schema(answers["422"]) == {"$ref": "#/components/schemas/Invalid"}
    components = schema["components"]["schemas"]
    assert components["Error"]["required"] == ["detail"]
    assert components["Error"]["properties"]["detail"]["type"] == "string"
    invalid_value = components["Invalid"]["properties"]["detail"]["items"]["$ref"].rsplit("/", 1)[1]
    assert set(components[invalid_value]["required"]) == {"type", "loc", "msg"}


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
