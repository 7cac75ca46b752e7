"""Every page and action, tried by every role against another body's objects.

The routes are enumerated from the URL configuration, so a new page without a row here fails the test
(`test_every_route_is_in_the_matrix`). Unit users of Cư Jút (CJU.BTV) try Đắk Song's (DSO.BTV) objects:
they must get 404 (not found in what they see) or 403 (not their role), never the object, never a 500.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from dondoc.accounts.services import issue_token
from dondoc.directives.models import Assignment, DeadlineExtension, ImportJob, ProgressReport
from dondoc.directives.services import approve_report, draft_report, request_extension
from dondoc.directives.uploads import ATTACHMENT_KINDS, store_upload
from dondoc.followup.models import Finding, Inspection
from dondoc.followup.models.reports import ReportJob, ReportJobState
from dondoc.followup.services.inspections import InspectionPlan, plan_inspection, record_finding
from dondoc.registry.models import Jurisdiction, Organization

ROLES = ["admin", "monitor", "reporter", "leader", "reader", "auditor"]
UNIT = ["reporter", "leader"]


@dataclass(frozen=True)
class Foreign:
    """Đắk Song's task 9 assignment with a sent report, its file and a pending new-deadline request."""

    assignment: Assignment
    report: ProgressReport
    extension: DeadlineExtension
    attachment_id: int
    job: ImportJob
    token_id: int


@pytest.fixture
def foreign(published, users, settings, tmp_path) -> Foreign:
    settings.UPLOAD_DIR = tmp_path / "uploads"
    assignment = Assignment.objects.get(
        task__directive=published, task__label="9", organization__code="DSO.BTV"
    )
    stored = store_upload(
        SimpleUploadedFile("bien-ban.txt", "Biên bản họp".encode()), allowed=ATTACHMENT_KINDS
    )
    report = draft_report(
        assignment=assignment, text="Đã quán triệt", percent=40, by=users["other_reporter"], files=[stored]
    )
    approve_report(report=report, on=date(2023, 5, 2), by=users["other_leader"])
    extension = request_extension(
        assignment=assignment,
        requested_due=date(2023, 6, 30),
        reason="Chờ hướng dẫn",
        on=date(2023, 5, 3),
        by=users["other_reporter"],
    )
    job = ImportJob.objects.create(
        original_name="x.txt",
        stored_name="zz/none.txt",
        kind="txt",
        size=1,
        sha256="0" * 64,
        uploaded_by=users["monitor"],
    )
    token = issue_token(user=users["other_reporter"], name="đồng bộ").token
    return Foreign(assignment, report, extension, report.attachments.get().pk, job, token.pk)


def _inspection_finding(f: Foreign) -> Finding:
    """The province's inspection of Đắk Song alone, with one finding, made the first time a route names it."""
    finding = Finding.objects.filter(inspection__title="Kiểm tra Đắk Song").first()
    if finding is None:
        plan = InspectionPlan(
            title="Kiểm tra Đắk Song",
            legal_basis="",
            team="",
            leader=None,
            starts_on=date(2023, 6, 1),
            ends_on=date(2023, 6, 10),
            scope_text="",
            organizations=[Organization.objects.get(code="DSO.BTV")],
            directives=[f.assignment.task.directive],
        )
        inspection = plan_inspection(plan=plan, jurisdiction=Jurisdiction.objects.get(code="DNO"), by=None)
        finding = record_finding(inspection=inspection, text="Chưa có kế hoạch")
    return finding


def _inspection(f: Foreign) -> Inspection:
    return _inspection_finding(f).inspection


def _report_job(f: Foreign) -> ReportJob:
    """The province's periodic report on the directive, done, made the first time a route names it."""
    job = ReportJob.objects.first()
    if job is None:
        job = ReportJob.objects.create(
            period="quarter-2023-2",
            as_of=date(2023, 7, 1),
            issuer=Organization.objects.get(code="DNO.BTCTU"),
            signer_title="TRƯỞNG BAN",
            jurisdiction=Jurisdiction.objects.get(code="DNO"),
            state=ReportJobState.DONE,
            report=b"docx",
            annex=b"xlsx",
        )
        job.directives.set([f.assignment.task.directive])
    return job


# route name → the URL arguments, from the fixture
ARGUMENTS: dict[str, Callable[[Foreign], list[object]]] = {
    "home": lambda f: [],
    "accounts:login": lambda f: [],
    "accounts:logout": lambda f: [],
    "accounts:tokens": lambda f: [],
    "accounts:token_revoke": lambda f: [f.token_id],
    "accounts:choose_role": lambda f: [],
    "directives:list": lambda f: [],
    "directives:detail": lambda f: [f.assignment.task.directive_id],
    "directives:search": lambda f: [],
    "directives:pick_directive": lambda f: [],
    "directives:pick_body": lambda f: [],
    "directives:pick_user": lambda f: [],
    "directives:cited": lambda f: [],
    "directives:history": lambda f: [],
    "directives:object_history": lambda f: ["assignment", f.assignment.pk],
    "directives:import": lambda f: [],
    "directives:import_job": lambda f: [f.job.pk],
    "directives:review": lambda f: [f.assignment.task.directive_id],
    "directives:review_task": lambda f: [f.assignment.task.directive_id, f.assignment.task_id],
    "directives:review_bodies": lambda f: [f.assignment.task.directive_id],
    "directives:publish": lambda f: [f.assignment.task.directive_id],
    "directives:chain": lambda f: [f.assignment.task.directive_id],
    "directives:propose_links": lambda f: [f.assignment.task.directive_id],
    "directives:link_task": lambda f: [f.assignment.task.directive_id, f.assignment.task_id],
    "directives:inbox": lambda f: [],
    "directives:assignment": lambda f: [f.assignment.pk],
    "directives:draft_report": lambda f: [f.assignment.pk],
    "directives:request_extension": lambda f: [f.assignment.pk],
    "directives:approve_report": lambda f: [f.report.pk],
    "directives:confirm_report": lambda f: [f.report.pk],
    "directives:return_report": lambda f: [f.report.pk],
    "directives:decide_extension": lambda f: [f.extension.pk],
    "directives:attachment": lambda f: [f.attachment_id],
    "directives:notifications": lambda f: [],
    "directives:notifications_read": lambda f: [],
    "followup:dashboard": lambda f: [],
    "followup:body_dashboard": lambda f: [f.assignment.organization_id],
    "followup:inspections": lambda f: [],
    "followup:plan_inspection": lambda f: [],
    "followup:inspection": lambda f: [_inspection(f).pk],
    "followup:update_inspection": lambda f: [_inspection(f).pk],
    "followup:record_finding": lambda f: [_inspection(f).pk],
    "followup:record_recommendation": lambda f: [_inspection_finding(f).pk],
    "followup:conclude_inspection": lambda f: [_inspection(f).pk],
    "followup:send_followup": lambda f: [f.assignment.task.directive_id],
    "followup:followup_letter": lambda f: [f.assignment.task.directive_id],
    "followup:reports": lambda f: [],
    "followup:report_job": lambda f: [_report_job(f).pk],
    "followup:download_report": lambda f: [_report_job(f).pk, "report"],
    "followup:channels": lambda f: [],
    "followup:directive_followup": lambda f: [f.assignment.task.directive_id],
    "registry:apparatus": lambda f: [],
    "registry:body": lambda f: [f.assignment.organization_id],
    "registry:rule_checks": lambda f: [],
    "registry:import": lambda f: [],
    "registry:reorganize": lambda f: [],
    "registry:import_template": lambda f: ["bodies"],
    "registry:overlaps": lambda f: [],
    "registry:overlap_decide": lambda f: [],
    # no decision recorded: 404 to those who may decide, 403 to the others (test_page_overlaps reopens one)
    "registry:overlap_reopen": lambda f: [999_999],
    "followup:concluded_inspection": lambda f: [f.assignment.task.directive_id],
}
PUBLIC = {"accounts:login", "accounts:logout"}
# pages every signed-in role may open (each shows only the user's own scope)
OPEN_TO_ALL = {
    "home",
    "accounts:tokens",
    "accounts:choose_role",
    "directives:notifications",
    "directives:notifications_read",
    "followup:channels",
}
# pages naming another body's object: a unit user of another body must not learn it exists
FOREIGN_OBJECTS = {
    "directives:object_history",
    "directives:assignment",
    "directives:draft_report",
    "directives:request_extension",
    "directives:approve_report",
    "directives:confirm_report",
    "directives:return_report",
    "directives:decide_extension",
    "directives:attachment",
    "accounts:token_revoke",
    "directives:detail",
    "followup:inspection",
    "followup:update_inspection",
    "followup:record_finding",
    "followup:record_recommendation",
    "followup:conclude_inspection",
    "followup:body_dashboard",
    "followup:concluded_inspection",
}
# the monitor's work: import, review, publish, the whole change log
MONITOR_ONLY = {
    "directives:import",
    "directives:import_job",
    "directives:review",
    "directives:review_task",
    "directives:review_bodies",
    "directives:publish",
    "directives:propose_links",
    "directives:link_task",
    "directives:history",
    "directives:pick_user",
    "followup:plan_inspection",
    "followup:send_followup",
    "followup:followup_letter",
    "followup:reports",
    "followup:report_job",
    "followup:download_report",
    "registry:import",
    "registry:import_template",
    "registry:overlap_decide",
    "registry:overlap_reopen",
    "registry:reorganize",
}


def _names(patterns: list[URLPattern | URLResolver], namespace: str = "") -> set[str]:
    names: set[str] = set()
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace in {"admin", "api"} or str(pattern.pattern) == "api/":
                continue  # the admin is Django's; the API has its own matrix in tests/api
            names |= _names(pattern.url_patterns, f"{pattern.namespace}:" if pattern.namespace else namespace)
        elif pattern.name:
            names.add(namespace + pattern.name)
    return names


def test_every_route_is_in_the_matrix():
    assert _names(get_resolver().url_patterns) == set(ARGUMENTS)


def test_anonymous_visitors_are_sent_to_log_in_for_every_page(foreign):
    for name in sorted(set(ARGUMENTS) - PUBLIC):
        url = reverse(name, args=ARGUMENTS[name](foreign))
        assert Client().get(url).status_code in (302, 405), url  # 405: an action only ever posted
        response = Client().post(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url


@pytest.mark.parametrize("role", UNIT)
def test_another_bodys_objects_are_not_found_by_a_unit_user(client_for, foreign, role):
    client = client_for(role)
    for name in sorted(FOREIGN_OBJECTS - {"directives:detail"}):
        url = reverse(name, args=ARGUMENTS[name](foreign))
        assert client.get(url).status_code in (404, 405), url
        assert (
            client.post(
                url,
                {
                    "text": "x",
                    "percent": 50,
                    "comment": "x",
                    "decision": "approve",
                    "requested_due": "2023-12-31",
                    "reason": "x",
                },
            ).status_code
            == 404
        ), url


def test_nothing_of_another_body_changed_after_the_attempts(client_for, foreign):
    for role in UNIT:
        client = client_for(role)
        for name in FOREIGN_OBJECTS - {"directives:detail"}:
            client.post(reverse(name, args=ARGUMENTS[name](foreign)), {"comment": "x", "decision": "approve"})
    foreign.report.refresh_from_db()
    foreign.extension.refresh_from_db()
    assert (foreign.report.state, foreign.extension.state) == ("sent", "pending")
    assert ProgressReport.objects.filter(assignment=foreign.assignment).count() == 1


@pytest.mark.parametrize("role", ["reporter", "leader", "reader"])
def test_the_monitors_pages_are_refused_to_other_roles(client_for, foreign, role):
    client = client_for(role)
    for name in sorted(MONITOR_ONLY):
        url = reverse(name, args=ARGUMENTS[name](foreign))
        assert client.get(url).status_code in (403, 405), url
        assert client.post(url).status_code == 403, url


@pytest.mark.parametrize("role", ROLES)
def test_no_page_answers_a_role_with_a_server_error(client_for, foreign, role):
    client = client_for(role)
    for name in sorted(set(ARGUMENTS) - PUBLIC - {"accounts:token_revoke"}):
        url = reverse(name, args=ARGUMENTS[name](foreign))
        assert client.get(url).status_code in (200, 302, 403, 404, 405), (role, url)


@pytest.mark.parametrize("role", ROLES)
def test_open_pages_open_for_every_role(client_for, foreign, role):
    for name in OPEN_TO_ALL - {"directives:notifications_read", "accounts:choose_role", "home"}:
        assert client_for(role).get(reverse(name, args=ARGUMENTS[name](foreign))).status_code == 200, name
