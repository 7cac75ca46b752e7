"""The periodic report's data and words: the seed letter 1317-CV/TU in the second quarter of 2023 (15/3 -
14/6/2023), its figures on 20/6/2023 equal to the dashboard's for the same selection, each task with the
bodies done on time, late, overdue or silent, named, and their own words cited; the inspections of the
quarter, the difficulties and proposals as the bodies wrote them, the tasks of the next quarter; the annex's
sheets; a quarter without data that says so; and the same number of queries for ten times the bodies.

The quarter: task 1 (due 31/5/2023, 40 bodies) done on time by Cư Jút, late by Đắk Song, reported but not
confirmed by Đắk Mil, silent everywhere else; task 9 (due 14/5/2023) silent for all; of the tasks without an
end date, Cư Jút reported on task 2 for the quarter."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from tests.followup.periodic_quarter import (
    CU_JUT_SAYS,
    Q2,
    TODAY,
    Quarter,
    assignment_of,
    follow_the_quarter,
)

from dondoc.accounts.models import User
from dondoc.directives.access import assignments_for
from dondoc.directives.models import Assignment, Directive, ProgressReport, Task
from dondoc.directives.services import draft_report
from dondoc.directives.status import Status
from dondoc.followup.drafting import (
    compose_annex,
    compose_report,
    document_issuer,
    document_signer,
    period_words,
    rate_words,
)
from dondoc.followup.forms.dashboard import reporting_period
from dondoc.followup.selectors.dashboard import DashboardFilters, overview
from dondoc.followup.selectors.reports import (
    ReportData,
    issuing_body,
    report_data,
    superiors_informed,
)
from dondoc.followup.sentences import leading_sentences, sentences, sentences_about
from dondoc.followup.services.inspections import InspectionPlan, plan_inspection, record_finding
from dondoc.periods import Frequency
from dondoc.registry.models import Jurisdiction, Organization
from dondoc.writing.model import Block, BlockKind, DocumentKind, OfficialDocument, System, Table

Q1_2024 = reporting_period(Frequency.QUARTER, 2024, 1)


@pytest.fixture
def quarter(published: Directive, users: dict[str, User], settings) -> Quarter:
    settings.DONDOC_TODAY = TODAY
    return follow_the_quarter(published, users["monitor"])


def data_of(quarter: Quarter, period=Q2, today=TODAY) -> ReportData:
    return report_data(scope=quarter.scope, directive_ids=[quarter.directive.pk], period=period, as_of=today)


def compose(quarter: Quarter, data: ReportData) -> OfficialDocument:
    issuer = issuing_body(Organization.objects.get(code="DNO.BTCTU"))
    return compose_report(
        data=data,
        issuer=issuer,
        signer=document_signer(title="Trưởng ban", authority="K/T Trưởng ban"),
        informed=superiors_informed(
            issuer_ids=[quarter.directive.issuer_id],
            on=TODAY,
            reporting=Organization.objects.get(code="DNO.BTCTU"),
        ),
    )


def text_of(document: OfficialDocument) -> str:
    return "\n".join(
        f"{block.lead}{block.text}"
        if isinstance(block, Block)
        else " | ".join(sum(block.rows, block.headers))
        for block in document.body
    )


def headings(document: OfficialDocument) -> list[str]:
    return [
        block.text for block in document.body if isinstance(block, Block) and block.kind == BlockKind.HEADING
    ]


# --- the data ---


def test_the_figures_are_the_dashboards_for_the_same_selection(quarter):
    data = data_of(quarter)
    dashboard = overview(
        assignments=assignments_for(quarter.scope),
        today=TODAY,
        filters=DashboardFilters(period=Q2, directive_id=quarter.directive.pk),
    )
    assert data.counts == dashboard.counts
    assert (data.counts.done_on_time, data.counts.done_late) == (1, 1)


def test_each_body_of_a_task_has_the_status_the_dashboard_counts(quarter):
    data = data_of(quarter)
    lines = [body for task in data.directives[0].tasks for body in task.bodies]
    by_status = {status: sum(body.status == status for body in lines) for status in Status}
    counts = data.counts
    assert (by_status[Status.DONE_ON_TIME], by_status[Status.DONE_LATE], by_status[Status.OVERDUE]) == (
        counts.done_on_time,
        counts.done_late,
        counts.overdue,
    )
    reported = sum(bool(body.reported_for_period) for body in lines)
    assert (reported, by_status[Status.NO_DEADLINE] - reported) == (counts.reported, counts.not_reported)


def test_a_task_tells_who_finished_on_time_late_and_who_is_silent(quarter):
    task = next(task for task in data_of(quarter).directives[0].tasks if task.label == "1")
    assert [body.name for body in task.with_status(Status.DONE_ON_TIME)] == ["Ban Thường vụ Huyện ủy Cư Jút"]
    assert [body.name for body in task.with_status(Status.DONE_LATE)] == ["Ban Thường vụ Huyện ủy Đắk Song"]
    assert "Ban Thường vụ Huyện ủy Đắk Mil" not in {body.name for body in task.silent}
    assert len(task.silent) == len(task.with_status(Status.OVERDUE)) - 1
    cu_jut = task.with_status(Status.DONE_ON_TIME)[0]
    assert (cu_jut.done_on, cu_jut.latest_on, cu_jut.latest_text) == (
        date(2023, 5, 20),
        date(2023, 5, 20),
        CU_JUT_SAYS,
    )


def test_difficulties_and_proposals_are_the_bodies_own_sentences(quarter):
    data = data_of(quarter)
    assert [(quote.name, quote.sentences) for quote in data.problems] == [
        ("Ban Thường vụ Huyện ủy Cư Jút", ("Tuy nhiên, còn khó khăn do địa bàn rộng, đi lại vất vả.",)),
        ("Ban Thường vụ Huyện ủy Đắk Song", ("Đã triển khai xong nhưng chậm do vướng mắc về nhân sự.",)),
    ]
    assert [(quote.name, quote.sentences) for quote in data.proposals] == [
        (
            "Ban Thường vụ Huyện ủy Cư Jút",
            ("Kiến nghị Tỉnh ủy sớm ban hành hướng dẫn sắp xếp các chi bộ thôn.",),
        ),
        ("Ban Thường vụ Huyện ủy Đắk Song", ("Đề xuất bổ sung 01 biên chế.",)),
    ]


def test_a_draft_is_not_quoted(quarter):
    draft_report(
        assignment=assignment_of(quarter.directive, "1", "KNO.BTV"),
        text="Còn khó khăn.",
        percent=5,
        reports_done=False,
    )
    assert "Ban Thường vụ Huyện ủy Krông Nô" not in {quote.name for quote in data_of(quarter).problems}


def test_the_inspections_of_the_quarter_on_the_directive_are_read_with_their_findings(quarter, users):
    def plan(title: str, starts_on: date, ends_on: date):
        return plan_inspection(
            plan=InspectionPlan(
                title=title,
                legal_basis="",
                team="",
                leader=None,
                starts_on=starts_on,
                ends_on=ends_on,
                scope_text="",
                organizations=[quarter.late.organization],
                directives=[quarter.directive],
            ),
            jurisdiction=Jurisdiction.objects.get(code="DNO"),
            by=users["monitor"],
        )

    inspection = plan(
        "Kiểm tra việc thực hiện Công văn 1317-CV/TU tại Đắk Song", date(2023, 6, 1), date(2023, 6, 5)
    )
    record_finding(inspection=inspection, text="Chưa xây dựng kế hoạch thực hiện.")
    plan("Kiểm tra quý III", date(2023, 7, 1), date(2023, 7, 5))
    [found] = data_of(quarter).inspections
    assert (found.title, found.bodies, found.findings) == (
        inspection.title,
        ("Ban Thường vụ Huyện ủy Đắk Song",),
        ("Chưa xây dựng kế hoạch thực hiện.",),
    )


def test_the_next_quarter_holds_the_open_tasks_due_in_it_and_those_without_an_end(quarter):
    Assignment.objects.filter(
        task__directive=quarter.directive, task__label="9", organization__code="CJU.BTV"
    ).update(due=date(2023, 7, 31))
    data = data_of(quarter)
    assert data.next_period == reporting_period(Frequency.QUARTER, 2023, 3)
    assert [(task.label, task.bodies, task.due) for task in data.upcoming] == [("9", 1, date(2023, 7, 31))]
    assert [task.label for task in data.ongoing] == ["2", "3", "4", "5", "6", "7", "8", "10", "11"]


def test_the_data_take_as_many_queries_for_ten_times_the_bodies(quarter):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            data_of(quarter)
        return len(captured)

    queries()  # the scope's territories, read once
    before = queries()
    directive = quarter.directive
    bodies = list(Organization.objects.filter(level="commune")[:100])
    for position in (20, 21):
        task = Task.objects.create(
            directive=directive,
            position=position,
            label=str(position),
            text="Rà soát tổ chức bộ máy. Báo cáo.",
            deadline_kind="by_date",
            due=date(2023, 6, 1),
        )
        created = Assignment.objects.bulk_create(
            [Assignment(task=task, organization=body, role="lead", due=task.due) for body in bodies]
        )
        ProgressReport.objects.bulk_create(
            [
                ProgressReport(assignment=a, text="Có khó khăn.", state="sent", sent_on=date(2023, 6, 2))
                for a in created
            ]
        )
    assert queries() == before <= 22


# --- the words ---


def test_the_report_is_issued_by_the_organization_commission_under_the_provincial_committee(quarter):
    document = compose(quarter, data_of(quarter))
    assert document.kind == DocumentKind.REPORT
    assert (document.issuer.system, document.issuer.parent, document.issuer.name) == (
        System.PARTY,
        "TỈNH ỦY ĐẮK NÔNG",
        "BAN TỔ CHỨC",
    )
    assert (document.issuer.symbol, document.issuer.place) == ("BTCTU", "Đắk Nông")
    assert (document.number, document.issued_on, document.created, document.year) == ("", None, TODAY, 2023)
    assert (document.signer.authority, document.signer.title, document.signer.name) == (
        "K/T TRƯỞNG BAN",
        "TRƯỞNG BAN",
        "",
    )


def test_the_subject_names_the_directive_and_the_quarter(quarter):
    document = compose(quarter, data_of(quarter))
    assert document.subject == "Kết quả thực hiện Công văn số 1317-CV/TU quý II năm 2023"


def test_the_report_goes_to_the_provincial_standing_office_and_board_for_information(quarter):
    assert compose(quarter, data_of(quarter)).distribution == (
        "Thường trực Tỉnh ủy (b/c),",
        "Ban Thường vụ Tỉnh ủy (b/c),",
        "Lưu VT.",
    )


def test_a_districts_plan_in_the_provinces_report_does_not_send_the_report_down_to_the_district(quarter):
    district = Organization.objects.get(code="CJU.HU")
    informed = superiors_informed(
        issuer_ids=[quarter.directive.issuer_id, district.pk],
        on=TODAY,
        reporting=Organization.objects.get(code="DNO.BTCTU"),
    )
    assert informed == ("Thường trực Tỉnh ủy", "Ban Thường vụ Tỉnh ủy")


def test_the_report_has_its_seven_sections(quarter):
    assert headings(compose(quarter, data_of(quarter))) == [
        "I. CÁC VĂN BẢN CHỈ ĐẠO VÀ NHIỆM VỤ ĐƯỢC GIAO",
        "II. KẾT QUẢ THỰC HIỆN",
        "III. SỐ LIỆU TỔNG HỢP",
        "IV. CÔNG TÁC KIỂM TRA, GIÁM SÁT",
        "V. KHÓ KHĂN, VƯỚNG MẮC VÀ NGUYÊN NHÂN",
        "VI. KIẾN NGHỊ, ĐỀ XUẤT",
        "VII. NHIỆM VỤ TRỌNG TÂM KỲ TỚI",
    ]


def test_the_opening_cites_the_directive_the_period_and_the_day_of_the_figures(quarter):
    opening = compose(quarter, data_of(quarter)).body[0]
    assert isinstance(opening, Block)
    assert opening.text == (
        "Thực hiện Công văn số 1317-CV/TU, ngày 17/04/2023 của Tỉnh ủy Đắk Nông về thực hiện Kết luận số "
        "50-KL/TW, ngày 28/02/2023 của Bộ Chính trị, Ban Tổ chức Tỉnh ủy báo cáo kết quả thực hiện quý II "
        "năm 2023 (từ ngày 15/03/2023 đến ngày 14/06/2023; số liệu tính đến ngày 20/06/2023) như sau:"
    )


def test_the_results_name_the_bodies_on_time_late_and_silent(quarter):
    data = data_of(quarter)
    text = text_of(compose(quarter, data))
    task = next(task for task in data.directives[0].tasks if task.label == "1")
    assert "1 cơ quan, đơn vị hoàn thành đúng hạn (Ban Thường vụ Huyện ủy Cư Jút)" in text
    assert "1 cơ quan, đơn vị hoàn thành nhưng chậm so với thời hạn (Ban Thường vụ Huyện ủy Đắk Song)" in text
    overdue = len(task.with_status(Status.OVERDUE))
    assert (
        f"{overdue} cơ quan, đơn vị chưa hoàn thành, đã quá hạn, trong đó 1 đã báo cáo tiến độ "
        f"(Ban Thường vụ Huyện ủy Đắk Mil), {overdue - 1} chưa gửi báo cáo ({task.silent[0].name}, " in text
    )


def test_the_bodies_words_are_cited_briefly_with_their_names(quarter):
    document = compose(quarter, data_of(quarter))
    quotes = [block for block in document.body if isinstance(block, Block) and block.kind == BlockKind.QUOTE]
    assert (
        Block(
            BlockKind.QUOTE,
            "Ban Thường vụ Huyện ủy đã tổ chức hội nghị quán triệt Kết luận số 50-KL/TW đến 100% cán bộ "
            "chủ chốt. Các chi bộ đã sinh hoạt chuyên đề trong tháng 5/2023.",
            lead="Ban Thường vụ Huyện ủy Cư Jút: ",
        )
        in quotes
    )


def test_the_figures_table_holds_the_dashboards_counts_and_rate(quarter):
    data = data_of(quarter)
    document = compose(quarter, data)
    [table] = [block for block in document.body if isinstance(block, Table)]
    counts = data.counts
    assert [row[1:3] for row in table.rows] == [
        ("Hoàn thành đúng hạn", str(counts.done_on_time)),
        ("Hoàn thành quá hạn", str(counts.done_late)),
        ("Quá hạn, chưa hoàn thành", str(counts.overdue)),
        ("Đang thực hiện trong hạn", str(counts.in_progress)),
        ("Chưa đến hạn", str(counts.not_yet_due)),
        ("Thường xuyên: đã báo cáo trong kỳ", str(counts.reported)),
        ("Thường xuyên: chưa báo cáo trong kỳ", str(counts.not_reported)),
        ("Tổng cộng", str(counts.total)),
    ]
    assert f"đạt tỷ lệ hoàn thành đúng hạn {rate_words(counts.on_time_rate)}." in text_of(document)


def test_the_difficulties_and_proposals_are_quoted_with_the_bodys_name(quarter):
    body = compose(quarter, data_of(quarter)).body
    start = body.index(Block(BlockKind.HEADING, "V. KHÓ KHĂN, VƯỚNG MẮC VÀ NGUYÊN NHÂN"))
    assert body[start + 2] == Block(
        BlockKind.QUOTE,
        "Tuy nhiên, còn khó khăn do địa bàn rộng, đi lại vất vả.",
        lead="Ban Thường vụ Huyện ủy Cư Jút: ",
    )


def test_a_quarter_without_an_inspection_says_so(quarter):
    assert (
        "Trong kỳ báo cáo, không có cuộc kiểm tra, giám sát nào về việc thực hiện Công văn số 1317-CV/TU."
        in text_of(compose(quarter, data_of(quarter)))
    )


def test_a_quarter_without_data_says_so_and_is_not_an_empty_shell(quarter):
    data = data_of(quarter, period=Q1_2024, today=date(2024, 3, 20))
    Assignment.objects.update(due=date(2023, 5, 31))
    Task.objects.update(deadline_kind="by_date")
    data = data_of(quarter, period=Q1_2024, today=date(2024, 3, 20))
    assert data.is_empty and data.counts.total == 0
    document = compose(quarter, data)
    assert headings(document) == ["I. TÌNH HÌNH THỰC HIỆN", "II. NHIỆM VỤ TRỌNG TÂM KỲ TỚI"]
    text = text_of(document)
    assert "Trong kỳ báo cáo, không có nhiệm vụ nào của Công văn số 1317-CV/TU đến hạn" in text
    assert "Trong quý II năm 2024, không có nhiệm vụ nào đến hạn." in text
    assert document.subject == "Kết quả thực hiện Công văn số 1317-CV/TU quý I năm 2024"


def test_the_annex_has_the_figures_a_sheet_per_directive_and_one_per_body(quarter):
    data = data_of(quarter)
    annex = compose_annex(data=data, issuer=issuing_body(Organization.objects.get(code="DNO.BTCTU")))
    names = [sheet.name for sheet in annex.sheets]
    assert names[:2] == ["Tổng hợp", "1317-CV-TU"]
    assert len(names) == 2 + len(data.bodies) and len(set(map(str.casefold, names))) == len(names)
    assert all(len(name) <= 31 for name in names)
    figures, directive = annex.sheets[0], annex.sheets[1]
    assert figures.rows[0][1:3] == ("Hoàn thành đúng hạn", data.counts.done_on_time)
    assert len(directive.rows) == sum(len(task.bodies) for task in data.directives[0].tasks)
    row = next(row for row in directive.rows if row[0] == "1" and row[2] == "Ban Thường vụ Huyện ủy Cư Jút")
    assert row[3:] == (
        "Chủ trì",
        date(2023, 5, 31),
        "Hoàn thành đúng hạn",
        date(2023, 5, 20),
        date(2023, 5, 20),
    )
    cu_jut = annex.sheets[names.index("Ban Thường vụ Huyện ủy Cư Jút")]
    assert (
        cu_jut.rows[1][0],
        cu_jut.rows[1][1],
        cu_jut.rows[1][5],
    ) == ("1317-CV/TU", "2", "Thường xuyên: đã báo cáo trong kỳ")


def test_the_same_data_give_the_same_document(quarter):
    assert compose(quarter, data_of(quarter)) == compose(quarter, data_of(quarter))


def test_a_state_body_issues_under_its_peoples_committee():
    from dondoc.followup.selectors.reports import IssuingBody

    issuer = document_issuer(
        IssuingBody(
            name="Sở Nội vụ",
            kind="department",
            code="DNO.SNV",
            short_name="",
            parent_name="Ủy ban nhân dân tỉnh Đắk Nông",
            parent_code="DNO.UBND",
            province="tỉnh Đắk Nông",
        )
    )
    assert (issuer.system, issuer.parent, issuer.name, issuer.symbol) == (
        System.STATE,
        "ỦY BAN NHÂN DÂN TỈNH ĐẮK NÔNG",
        "SỞ NỘI VỤ",
        "SNV",
    )


def test_the_periods_in_words():
    assert period_words(reporting_period(Frequency.HALF_YEAR, 2023, 1)) == "6 tháng đầu năm 2023"
    assert period_words(reporting_period(Frequency.YEAR, 2023, 1)) == "năm 2023"
    assert period_words(reporting_period(Frequency.QUARTER, 2023, 4)) == "quý IV năm 2023"


# --- the sentences ---


def test_a_sentence_ends_at_its_period_not_at_an_items_marker():
    assert sentences("Nội dung gồm: 1. Quán triệt. 2. Triển khai.\nĐã xong") == [
        "Nội dung gồm: 1. Quán triệt.",
        "2. Triển khai.",
        "Đã xong",
    ]


def test_a_long_report_is_cut_at_its_second_sentence():
    assert leading_sentences("Một. Hai. Ba.") == "Một. Hai."


def test_a_first_sentence_too_long_is_cut_at_a_word_with_an_ellipsis():
    cut = leading_sentences("Đã triển khai " * 40, limit=50)
    assert len(cut) <= 50 and cut.endswith("…") and cut.startswith("Đã triển khai Đã")


def test_sentences_about_difficulties_are_found_whatever_their_diacritics():
    assert sentences_about("Ổn định. KHÓ KHĂN lớn. Không khó.", ["khó khăn"]) == ["KHÓ KHĂN lớn."]


def test_a_task_no_one_reported_on_names_its_overdue_bodies_once(quarter):
    text = text_of(compose(quarter, data_of(quarter)))
    assert (
        "8 cơ quan, đơn vị chưa hoàn thành, đã quá hạn và chưa gửi báo cáo (Ban Thường vụ Huyện ủy Cư Jút, "
        in text
    )


def test_the_annex_tells_its_progress_directive_by_directive_then_body_by_body(quarter):
    data = data_of(quarter)
    told: list[tuple[int, int]] = []
    compose_annex(
        data=data,
        issuer=issuing_body(Organization.objects.get(code="DNO.BTCTU")),
        progress=lambda done, total: told.append((done, total)),
    )
    total = 1 + len(data.bodies)
    assert told == [(done, total) for done in range(1, total + 1)]
