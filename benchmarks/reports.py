"""The periodic report for a whole province: the quarter's report (.docx) and its statistics annex (.xlsx)
on a directive of 50 tasks assigned to 300 bodies (15,000 assignments), target ≤ 10 s for both files
together, timed beside the dashboard's `overview` of the same selection in the same run.

Each backend runs in a child process on a database of its own (a temporary SQLite file;
`dondoc_bench_reports` on the PostgreSQL server at 127.0.0.1:5432 when one answers as `dondoc`, created then
dropped). In each, the Đắk Nông sample registry is loaded and a generator adds, through the project's models
(bulk_create, without change history), with a fixed seed:

- a monitor of the province acting for the Ban Tổ chức Tỉnh ủy;
- one directive of the Tỉnh ủy issued on 1/4/2024 with 50 tasks: 40 due in the second quarter of 2024
  (15/3 - 14/6/2024), 5 due in the third, 5 without an end date ("thường xuyên"), each assigned to the same
  300 bodies of the province (the provincial and district ones, then communes in the order of their codes),
  one in five as a coordinating body;
- progress reports as offices send them: of the tasks due, some confirmed on time, some late, some sent and
  not confirmed, some silent; of those without an end date, most reported for the quarter; a fifth of the
  texts speak of a difficulty or make a proposal.

Measured on 20/6/2024 (the quarter's report is due that day): the whole job's work without its progress
writes (the data of followup.selectors.reports.report_data, the report composed and written, the annex
composed and written), each part timed, median of RUNS runs after a warm-up; the runs must give the same
bytes. Baseline: `overview()` for the same selection, the dashboard the report's figures come from.
"""

from __future__ import annotations

import json
import random
import statistics
import sys
import time
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

TODAY = date(2024, 6, 20)
ISSUED_ON = date(2024, 4, 1)
SEED = 20240620
BENCH_DATABASE = "dondoc_bench_reports"
BODIES = 300
TASKS = 50
DUE_THIS_QUARTER, DUE_NEXT_QUARTER = 40, 5  # the rest without an end date
RUNS = 5
TARGET = 10.0  # seconds, both files together
BATCH_SIZE = 2_000
PROVINCE, ISSUER, MONITOR_BODY = "DNO", "DNO.TU", "DNO.BTCTU"

_TASK_TEXTS = (
    "Quán triệt, triển khai văn bản đến cán bộ, đảng viên; tổ chức hội nghị học tập chuyên đề",
    "Xây dựng kế hoạch thực hiện và báo cáo kết quả về Ban Thường vụ Tỉnh ủy (qua Ban Tổ chức Tỉnh ủy)",
    "Rà soát, kiện toàn tổ chức bộ máy, biên chế của cơ quan, đơn vị theo hướng tinh gọn",
    "Tổ chức sơ kết, đánh giá kết quả thực hiện; đề xuất giải pháp trong thời gian tới",
    "Chỉ đạo các cơ quan, đơn vị trực thuộc thực hiện nghiêm các quy định về quản lý biên chế",
)
_REPORT_TEXTS = (
    "Đã quán triệt đến 100% cán bộ, đảng viên. Đã ban hành kế hoạch thực hiện trong tháng.",
    "Đang xây dựng kế hoạch, dự kiến ban hành trong tháng tới. Đã phân công cơ quan chủ trì theo dõi.",
    "Đã hoàn thành, gửi kèm báo cáo kết quả. Các chi bộ đã sinh hoạt chuyên đề.",
    "Đã triển khai thực hiện theo kế hoạch. Tuy nhiên còn khó khăn do thiếu biên chế chuyên trách.",
    "Đã rà soát xong. Kiến nghị Tỉnh ủy sớm ban hành hướng dẫn sắp xếp các chi bộ thôn, tổ dân phố.",
)


def run() -> str:
    from benchmarks.web_pages import run_on_both_databases

    results, note = run_on_both_databases("benchmarks.reports", BENCH_DATABASE)
    return _markdown(results) + note


# --- the data ----------------------------------------------------------------------------------------------


def generate(seed: int) -> dict[str, Any]:
    """The province's directive, assignments and reports (see the module's docstring); what was written."""
    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    from dondoc.accounts.models import Membership, Role, User
    from dondoc.directives.models import (
        Assignment,
        AssignmentRole,
        Directive,
        DirectiveState,
        ProgressReport,
        ReportState,
        Task,
    )
    from dondoc.parsing.model import DeadlineKind
    from dondoc.registry.models import Jurisdiction, Level, Organization

    rng = random.Random(seed)
    levels = {Level.PROVINCE: 0, Level.DISTRICT: 1, Level.COMMUNE: 2}
    candidates = Organization.objects.as_of(TODAY).filter(outside_jurisdiction=False)
    bodies = sorted(
        candidates.values_list("level", "code", "id"), key=lambda row: (levels.get(row[0], 3), row[1])
    )
    chosen = [pk for _level, _code, pk in bodies[:BODIES]]
    monitor = User.objects.create(username="theodoi.tinh", password=make_password(None))
    Membership.objects.create(
        user=monitor,
        role=Role.MONITOR,
        organization=Organization.objects.get(code=MONITOR_BODY),
        jurisdiction=Jurisdiction.objects.get(code=PROVINCE),
    )
    directive = Directive.objects.create(
        issuer_text="TỈNH ỦY ĐẮK NÔNG",
        issuer=Organization.objects.get(code=ISSUER),
        number="2024-CV/TU",
        type_code="CV",
        issued_on=ISSUED_ON,
        subject="về tiếp tục sắp xếp tổ chức bộ máy của hệ thống chính trị tinh gọn, hoạt động hiệu quả",
        source_text="(benchmark)",
        duplicate_key="bench-reports",
        state=DirectiveState.PUBLISHED,
        published_at=timezone.now(),
    )
    tasks = []
    for position in range(1, TASKS + 1):
        if position <= DUE_THIS_QUARTER:
            due: date | None = date(2024, 4, 15) + timedelta(days=rng.randint(0, 60))
        elif position <= DUE_THIS_QUARTER + DUE_NEXT_QUARTER:
            due = date(2024, 7, 1) + timedelta(days=rng.randint(0, 70))
        else:
            due = None
        tasks.append(
            Task(
                directive=directive,
                position=position,
                label=str(position),
                text=f"{rng.choice(_TASK_TEXTS)} (nhiệm vụ {position}).",
                deadline_kind=DeadlineKind.BY_DATE if due else DeadlineKind.ONGOING,
                due=due,
                deadline_text=f"trước ngày {due:%d/%m/%Y}" if due else "thực hiện thường xuyên",
                search_text="",
            )
        )
    Task.objects.bulk_create(tasks)
    assignments = [
        Assignment(
            task=task,
            organization_id=body,
            role=AssignmentRole.COORDINATING if rng.random() < 0.2 else AssignmentRole.LEAD,
            due=task.due,
        )
        for task in tasks
        for body in chosen
    ]
    Assignment.objects.bulk_create(assignments, batch_size=BATCH_SIZE)
    reports = []
    for assignment in assignments:
        draw, text = rng.random(), rng.choice(_REPORT_TEXTS)
        due = assignment.due
        if due is None:
            if draw < 0.7:
                sent = date(2024, 3, 15) + timedelta(days=rng.randint(0, 88))
                reports.append(
                    ProgressReport(assignment=assignment, text=text, state=ReportState.SENT, sent_on=sent)
                )
            continue
        if due > TODAY or draw >= 0.75:
            continue  # not yet due, or silent
        if draw < 0.6:
            on_time = draw < 0.45
            sent = (
                due - timedelta(days=rng.randint(0, 10))
                if on_time
                else due + timedelta(days=rng.randint(1, 20))
            )
            sent = min(sent, TODAY)
            confirmed = min(TODAY, sent + timedelta(days=rng.randint(0, 3)))
            reports.append(
                ProgressReport(
                    assignment=assignment,
                    text=text,
                    percent=100,
                    reports_done=True,
                    state=ReportState.CONFIRMED,
                    sent_on=sent,
                    confirmed_on=confirmed,
                )
            )
        else:
            sent = min(TODAY, due - timedelta(days=rng.randint(-10, 10)))
            reports.append(
                ProgressReport(
                    assignment=assignment, text=text, percent=50, state=ReportState.SENT, sent_on=sent
                )
            )
    ProgressReport.objects.bulk_create(reports, batch_size=BATCH_SIZE)
    return {
        "bodies": len(chosen),
        "tasks": len(tasks),
        "assignments": len(assignments),
        "reports": len(reports),
        "monitor": monitor.pk,
        "directive": directive.pk,
    }


# --- the measurement ---------------------------------------------------------------------------------------


def _timed(function: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    result = function()
    return time.perf_counter() - started, result


def measure(written: dict[str, Any]) -> dict[str, Any]:
    from dondoc.accounts.models import User
    from dondoc.accounts.scope import build_scope
    from dondoc.directives.access import assignments_for
    from dondoc.followup.drafting import compose_annex, compose_report, document_signer
    from dondoc.followup.forms.dashboard import reporting_period
    from dondoc.followup.selectors.dashboard import DashboardFilters, overview
    from dondoc.followup.selectors.reports import issuing_body, report_data, superiors_informed
    from dondoc.periods import Frequency
    from dondoc.registry.models import Organization
    from dondoc.writing import write_document, write_workbook

    scope = build_scope(user=User.objects.get(pk=written["monitor"]))
    assert scope is not None
    period = reporting_period(Frequency.QUARTER, 2024, 2)
    issuer = Organization.objects.get(code=MONITOR_BODY)

    def one_run() -> dict[str, Any]:
        parts: dict[str, float] = {}
        parts["data"], data = _timed(
            lambda: report_data(scope=scope, directive_ids=[written["directive"]], period=period, as_of=TODAY)
        )

        def report() -> tuple[Any, bytes]:
            body = issuing_body(issuer)
            informed = superiors_informed(
                issuer_ids=[directive.issuer_id for directive in data.directives], on=TODAY, reporting=issuer
            )
            document = compose_report(
                data=data, issuer=body, signer=document_signer(title="Trưởng ban"), informed=informed
            )
            return document, write_document(document)

        def annex() -> bytes:
            return write_workbook(compose_annex(data=data, issuer=issuing_body(issuer)))

        parts["report"], (document, docx) = _timed(report)
        parts["annex"], xlsx = _timed(annex)
        parts["total"] = parts["data"] + parts["report"] + parts["annex"]
        return {"parts": parts, "docx": docx, "xlsx": xlsx, "data": data, "blocks": len(document.body)}

    def baseline() -> float:
        seconds, _figures = _timed(
            lambda: overview(
                assignments=assignments_for(scope).filter(task__directive_id=written["directive"]),
                today=TODAY,
                filters=DashboardFilters(period=period),
            )
        )
        return seconds

    one_run()  # warm-up: the scope's territories, the registry's caches, the imports
    baseline()
    runs, baselines = [], []
    for _ in range(RUNS):
        runs.append(one_run())
        baselines.append(baseline())
    first = runs[0]
    data = first["data"]
    return {
        "parts": {name: statistics.median(run["parts"][name] for run in runs) for name in first["parts"]},
        "baseline": statistics.median(baselines),
        "identical": all(run["docx"] == first["docx"] and run["xlsx"] == first["xlsx"] for run in runs),
        "docx_bytes": len(first["docx"]),
        "xlsx_bytes": len(first["xlsx"]),
        "blocks": first["blocks"],
        "sheets": 1 + len(data.directives) + len(data.bodies),
        "counted": data.counts.total,
        "rate": data.counts.on_time_rate,
    }


# --- the child: one backend --------------------------------------------------------------------------------


def child(backend: str) -> dict[str, Any]:
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    from dondoc.registry.sample import load_sample_registry

    settings.DONDOC_TODAY = TODAY
    settings.DEBUG = False
    call_command("migrate", verbosity=0)
    load_sample_registry()
    seconds, written = _timed(lambda: generate(SEED))
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    print(f"{backend}: {written} in {seconds:.1f} s", file=sys.stderr)
    return {"backend": backend, "written": written, "generated": seconds} | measure(written)


# --- the section -------------------------------------------------------------------------------------------


def _seconds(value: float) -> str:
    return f"{value * 1000:.0f} ms" if value < 1 else f"{value:.2f} s"


def _table(head: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def _markdown(results: dict[str, dict[str, Any]]) -> str:
    names = list(results)
    first = results[names[0]]
    written = first["written"]

    def line(label: str, cell: Callable[[dict[str, Any]], str]) -> list[str]:
        return [label, *(cell(results[name]) for name in names)]

    total = lambda r: r["parts"]["total"]  # noqa: E731
    table = _table(
        ["", *names],
        [
            line(
                f"**both files** (data + report + annex; target ≤ {TARGET:.0f} s)",
                lambda r: f"**{_seconds(total(r))}** {'✅' if total(r) <= TARGET else '❌'}",
            ),
            line("the data (`report_data`)", lambda r: _seconds(r["parts"]["data"])),
            line("the report composed and written (.docx)", lambda r: _seconds(r["parts"]["report"])),
            line("the annex composed and written (.xlsx)", lambda r: _seconds(r["parts"]["annex"])),
            line(
                "baseline: the dashboard's `overview()` of the same selection",
                lambda r: f"{_seconds(r['baseline'])} (× {total(r) / r['baseline']:.1f} for both files)",
            ),
            line(
                "files",
                lambda r: (
                    f".docx {r['docx_bytes'] / 1024:,.0f} KB ({r['blocks']:,} paragraphs and tables), "
                    f".xlsx {r['xlsx_bytes'] / 1024:,.0f} KB ({r['sheets']} sheets)"
                ),
            ),
            line("the same bytes on every run", lambda r: "yes" if r["identical"] else "**no**"),
        ],
    )
    intro = " ".join(
        f"""
        One directive of {written["tasks"]} tasks assigned to {written["bodies"]} bodies of the Đắk Nông
        sample registry ({written["assignments"]:,} assignments, {written["reports"]:,} progress reports,
        generated with a fixed seed through the project's models), the second quarter of 2024 reported on
        {TODAY:%d/%m/%Y} by the Ban Tổ chức Tỉnh ủy's monitor: {first["counted"]:,} assignments in the
        quarter's selection, on-time rate {first["rate"]:.1%}. Medians of {RUNS} runs after a warm-up, the
        baseline interleaved; every backend in the same run.
        """.split()
    )
    return f"## The periodic report for a province (`benchmarks/reports.py`)\n\n{intro}\n\n{table}"


if __name__ == "__main__":
    print(json.dumps(child(sys.argv[1]), default=str))
