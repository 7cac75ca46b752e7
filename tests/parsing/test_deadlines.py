"""Deadlines as Vietnamese directives print them."""

import json
from datetime import date
from pathlib import Path

import pytest

from dondoc.parsing.deadlines import find_deadline, parse_deadline
from dondoc.parsing.model import DeadlineKind, Span

CORPUS = Path(__file__).parents[1] / "corpus" / "dev"


# --- by_date -------------------------------------------------------------------------


def test_truoc_ngay_means_the_day_before():
    assert parse_deadline("trước ngày 15/5/2023").due == date(2023, 5, 14)


def test_cham_nhat_ngay_is_that_day():
    assert parse_deadline("chậm nhất ngày 30/6/2024").due == date(2024, 6, 30)


def test_hoan_thanh_trong_ngay_is_that_day():
    assert parse_deadline("hoàn thành trong ngày 20/9/2024").due == date(2024, 9, 20)


def test_den_ngay_is_that_day():
    assert parse_deadline("đến ngày 31/12/2024").due == date(2024, 12, 31)


def test_an_hour_before_a_day_keeps_that_day_and_the_hour():
    deadline = parse_deadline("trước 16 giờ 00 ngày 09/8/2024")
    assert (deadline.kind, deadline.due, deadline.due_time) == (
        DeadlineKind.BY_DATE,
        date(2024, 8, 9),
        "16:00",
    )


def test_an_hour_written_16h30():
    deadline = parse_deadline("trước 16h30 ngày 09/8/2024")
    assert (deadline.due, deadline.due_time) == (date(2024, 8, 9), "16:30")


@pytest.mark.parametrize(
    "phrase", ["15/10/2024", "15-10-2024", "15.10.2024", "ngày 15 tháng 10 năm 2024", "ngày 15/10 năm 2024"]
)
def test_a_date_in_any_printed_form(phrase):
    assert parse_deadline(phrase).due == date(2024, 10, 15)


def test_trong_thang_is_the_end_of_the_month():
    assert parse_deadline("trong tháng 5/2023").due == date(2023, 5, 31)


def test_thang_nam_in_words_is_the_end_of_the_month():
    assert parse_deadline("trong tháng 10 năm 2024").due == date(2024, 10, 31)


def test_february_ends_on_the_29th_in_a_leap_year():
    assert parse_deadline("trong tháng 02/2024").due == date(2024, 2, 29)


@pytest.mark.parametrize(
    ("phrase", "due"),
    [
        ("Quý III/2024", date(2024, 9, 30)),
        ("trong quý I/2020", date(2020, 3, 31)),
        ("Quý IV/2026", date(2026, 12, 31)),
        ("quý 2 năm 2025", date(2025, 6, 30)),
        ("Quý III, IV/2024", date(2024, 12, 31)),
    ],
)
def test_a_quarter_ends_on_its_last_day(phrase, due):
    assert parse_deadline(phrase).due == due


def test_six_months_at_the_start_of_the_year_end_in_june():
    assert parse_deadline("6 tháng đầu năm 2025").due == date(2025, 6, 30)


def test_six_months_at_the_end_of_the_year_end_in_december():
    assert parse_deadline("6 tháng cuối năm 2025").due == date(2025, 12, 31)


@pytest.mark.parametrize("phrase", ["Năm 2025", "trong năm 2025", "hoàn thành năm 2025", "đến hết năm 2025"])
def test_a_year_ends_on_the_31st_of_december(phrase):
    assert parse_deadline(phrase).due == date(2025, 12, 31)


def test_from_now_until_a_date():
    deadline = find_deadline("Từ nay đến hết ngày 30/6/2024, các địa phương rà soát, báo cáo.")
    assert (deadline.kind, deadline.due, deadline.start) == (DeadlineKind.BY_DATE, date(2024, 6, 30), None)


def test_a_window_has_a_start_and_a_due_date():
    deadline = parse_deadline("thực hiện từ ngày 01/12 đến ngày 20/12/2024")
    assert (deadline.start, deadline.due) == (date(2024, 12, 1), date(2024, 12, 20))


def test_a_window_across_the_new_year_starts_the_year_before():
    deadline = parse_deadline("từ ngày 15/12 đến ngày 15/01/2025")
    assert (deadline.start, deadline.due) == (date(2024, 12, 15), date(2025, 1, 15))


def test_a_window_of_months():
    deadline = parse_deadline("Từ tháng 4 đến tháng 6/2024")
    assert (deadline.start, deadline.due) == (date(2024, 4, 1), date(2024, 6, 30))


def test_a_labelled_deadline():
    assert parse_deadline("Thời hạn: 30/6/2024").due == date(2024, 6, 30)


# --- dates without a year -----------------------------------------------------------


def test_a_date_without_a_year_takes_the_issue_year():
    deadline = parse_deadline("trước ngày 15/5", issued_on=date(2024, 3, 12))
    assert (deadline.due, deadline.year_inferred) == (date(2024, 5, 14), True)


def test_a_date_without_a_year_already_past_is_next_year():
    deadline = parse_deadline("chậm nhất ngày 10/01", issued_on=date(2024, 11, 20))
    assert deadline.due == date(2025, 1, 10)


def test_a_month_without_a_year_takes_the_issue_year():
    assert parse_deadline("trong tháng 12", issued_on=date(2024, 3, 12)).due == date(2024, 12, 31)


def test_a_date_with_its_year_is_not_inferred():
    assert not parse_deadline("trước ngày 15/5/2023", issued_on=date(2023, 4, 17)).year_inferred


def test_a_date_without_a_year_and_no_issue_date_has_no_due():
    deadline = parse_deadline("trước ngày 15/5")
    assert (deadline.kind, deadline.due) == (DeadlineKind.BY_DATE, None)


def test_nam_sau_is_the_year_after_the_issue_year():
    assert parse_deadline("trước ngày 25/01 năm sau", issued_on=date(2024, 10, 15)).due == date(2025, 1, 24)


# --- recurring ----------------------------------------------------------------------


def test_hang_nam_truoc_ngay_recurs_every_year():
    deadline = find_deadline(
        "UBND tỉnh chỉ đạo Sở Nội vụ tham mưu; hằng năm, trước ngày 10/12 báo cáo kết quả thực hiện."
    )
    assert (deadline.kind, deadline.due, deadline.recurrence) == (
        DeadlineKind.RECURRING,
        None,
        "yearly: 12-10",
    )
    assert deadline.text == "hằng năm, trước ngày 10/12"


def test_two_dates_every_year():
    deadline = parse_deadline("Trước ngày 15/5 và 15/11 hằng năm")
    assert (deadline.kind, deadline.recurrence) == (DeadlineKind.RECURRING, "yearly: 05-15, 11-15")


def test_half_yearly_and_yearly_reports_with_their_dates():
    deadline = find_deadline(
        "báo cáo kết quả thực hiện về Sở Nội vụ định kỳ 6 tháng (trước ngày 10/6)"
        " và hằng năm (trước ngày 10/12)."
    )
    assert deadline.recurrence == "yearly: 06-10, 12-10"
    assert deadline.text == "định kỳ 6 tháng (trước ngày 10/6) và hằng năm (trước ngày 10/12)"


@pytest.mark.parametrize(
    ("phrase", "recurrence"),
    [
        ("định kỳ 6 tháng", "period: half-year"),
        ("định kỳ hằng quý", "period: quarter"),
        ("Hằng năm", "period: year"),
        ("hàng năm", "period: year"),
        ("hằng tháng", "period: month"),
        ("ngày 25 hằng tháng", "monthly: 25"),
    ],
)
def test_a_period_alone_recurs(phrase, recurrence):
    deadline = parse_deadline(phrase)
    assert (deadline.kind, deadline.due, deadline.recurrence) == (DeadlineKind.RECURRING, None, recurrence)


def test_a_yearless_date_in_a_yearly_task_recurs():
    deadline = find_deadline(
        "Hằng năm, các sở, ngành báo cáo kết quả về Sở Nội vụ trước ngày 10/12 để tổng hợp.",
        issued_on=date(2024, 3, 1),
    )
    assert (deadline.kind, deadline.recurrence) == (DeadlineKind.RECURRING, "yearly: 12-10")


def test_dinh_ky_without_a_period_is_not_recurring():
    deadline = find_deadline(
        "thường xuyên đôn đốc, kiểm tra; định kỳ báo cáo Thường trực Tỉnh ủy theo quy định."
    )
    assert (deadline.kind, deadline.text) == (DeadlineKind.ONGOING, "thường xuyên")


# --- ongoing, on demand, from a date, roadmap ---------------------------------------


@pytest.mark.parametrize(
    "phrase", ["Thường xuyên", "thực hiện thường xuyên", "thường xuyên, liên tục", "Lâu dài"]
)
def test_thuong_xuyen_is_ongoing(phrase):
    assert parse_deadline(phrase).kind is DeadlineKind.ONGOING


@pytest.mark.parametrize(
    "phrase", ["khi có yêu cầu", "thực hiện khi có yêu cầu của cấp trên", "khi được yêu cầu", "Theo yêu cầu"]
)
def test_khi_co_yeu_cau_is_on_demand(phrase):
    assert parse_deadline(phrase).kind is DeadlineKind.ON_DEMAND


def test_tu_thang_is_in_force_from_its_first_day():
    deadline = parse_deadline("thực hiện từ tháng 4/2023")
    assert (deadline.kind, deadline.start, deadline.due) == (DeadlineKind.FROM_DATE, date(2023, 4, 1), None)


def test_ke_tu_ngay_is_in_force_from_that_day():
    deadline = find_deadline("Các chi bộ mới sinh hoạt theo tổ chức mới kể từ ngày 01/7/2024.")
    assert (deadline.kind, deadline.start) == (DeadlineKind.FROM_DATE, date(2024, 7, 1))


def test_this_year_and_the_years_after_is_from_the_first_of_january():
    deadline = parse_deadline("Năm 2024 và những năm tiếp theo")
    assert (deadline.kind, deadline.start) == (DeadlineKind.FROM_DATE, date(2024, 1, 1))


@pytest.mark.parametrize(
    "phrase",
    [
        "Theo lộ trình được phê duyệt",
        "thực hiện theo lộ trình quy định",
        "theo lộ trình của Ủy ban nhân dân tỉnh",
    ],
)
def test_theo_lo_trinh_is_per_roadmap(phrase):
    assert parse_deadline(phrase).kind is DeadlineKind.PER_ROADMAP


# --- relative -----------------------------------------------------------------------


def test_working_days_from_the_issue_date():
    deadline = find_deadline(
        (
            "hướng dẫn việc điều chỉnh giấy tờ, trong thời hạn 07 ngày làm việc"
            " kể từ ngày ban hành Thông báo này."
        ),
        issued_on=date(2024, 9, 18),
    )
    assert (deadline.kind, deadline.due) == (DeadlineKind.RELATIVE, date(2024, 9, 27))
    assert deadline.text == "trong thời hạn 07 ngày làm việc kể từ ngày ban hành Thông báo này"


def test_working_days_from_the_issue_date_skip_tet():
    deadline = parse_deadline(
        "trong thời hạn 05 ngày làm việc kể từ ngày ký ban hành", issued_on=date(2024, 2, 5)
    )
    assert deadline.due == date(2024, 2, 19)


def test_working_days_across_tet_2025():
    deadline = parse_deadline("trong thời hạn 03 ngày làm việc kể từ ngày ký", issued_on=date(2025, 1, 23))
    assert deadline.due == date(2025, 2, 4)


def test_calendar_days_from_signing():
    deadline = parse_deadline("trong vòng 10 ngày kể từ ngày ký", issued_on=date(2024, 9, 18))
    assert (deadline.kind, deadline.due) == (DeadlineKind.RELATIVE, date(2024, 9, 28))


def test_months_from_signing():
    assert parse_deadline("trong vòng 03 tháng kể từ ngày ký", issued_on=date(2024, 11, 30)).due == date(
        2025, 2, 28
    )


def test_days_from_receipt_have_no_due_date():
    deadline = find_deadline(
        "Báo cáo kết quả trong thời hạn 10 ngày làm việc kể từ ngày nhận được Công văn này.",
        issued_on=date(2024, 6, 20),
    )
    assert (deadline.kind, deadline.due) == (DeadlineKind.RELATIVE, None)


# --- none ---------------------------------------------------------------------------


@pytest.mark.parametrize("phrase", ["", "Không", "Theo kế hoạch", "Sở Nội vụ"])
def test_no_deadline(phrase):
    deadline = parse_deadline(phrase)
    assert (deadline.kind, deadline.due, deadline.text, deadline.span) == (DeadlineKind.NONE, None, "", None)


def test_an_impossible_date_is_not_a_deadline():
    assert find_deadline("Gửi báo cáo về Bộ trước ngày 31/02/2024.").kind is DeadlineKind.NONE


# --- dates in a task that are not its deadline --------------------------------------


def test_a_cited_documents_date_is_not_a_deadline():
    text = "Quán triệt Nghị định số 62/2020/NĐ-CP ngày 01/6/2020 của Chính phủ đến cán bộ, công chức."
    assert find_deadline(text).kind is DeadlineKind.NONE


def test_a_cited_conclusion_beside_the_deadline():
    text = (
        "Quán triệt Kết luận số 50-KL/TW, ngày 28/02/2023 của Bộ Chính trị "
        "(chậm nhất hoàn thành trong tháng 5/2023)."
    )
    deadline = find_deadline(text, issued_on=date(2023, 4, 17))
    assert (deadline.due, deadline.text) == (date(2023, 5, 31), "chậm nhất hoàn thành trong tháng 5/2023")


def test_a_data_cut_off_is_not_a_deadline():
    text = "gửi hồ sơ về Sở Nội vụ trước ngày 15/8/2024 (số liệu tính đến ngày 30/6/2024)."
    assert find_deadline(text).due == date(2024, 8, 14)


def test_a_data_cut_off_alone_is_no_deadline():
    assert find_deadline("Báo cáo biên chế (số liệu tính đến ngày 30/6/2024).").kind is DeadlineKind.NONE


def test_thoi_gian_chot_so_lieu_is_not_a_deadline():
    text = "Thời gian chốt số liệu đến ngày 31/12/2023; gửi báo cáo trước ngày 15/01/2024."
    assert find_deadline(text).due == date(2024, 1, 14)


def test_a_period_giai_doan_is_not_a_deadline():
    text = "Xây dựng Đề án tinh giản biên chế giai đoạn 2022 - 2026 của cơ quan, đơn vị."
    assert find_deadline(text).kind is DeadlineKind.NONE


def test_giai_doan_tu_nam_den_nam_is_not_a_deadline():
    assert find_deadline("Thực hiện mục tiêu giai đoạn từ năm 2021 đến năm 2025.").kind is DeadlineKind.NONE


def test_a_target_year_is_not_a_deadline():
    text = (
        "xây dựng kế hoạch tinh giản biên chế năm 2024 bảo đảm mục tiêu đến năm 2026 theo Kết luận số "
        "40-KL/TW (thực hiện theo lộ trình quy định)."
    )
    assert find_deadline(text).kind is DeadlineKind.PER_ROADMAP


def test_a_past_event_date_is_not_a_deadline():
    text = "đến ngày 31 tháng 8 năm 2024, Ủy ban Thường vụ Quốc hội đã thông qua nghị quyết."
    assert find_deadline(text, issued_on=date(2024, 9, 18)).kind is DeadlineKind.NONE


def test_a_meeting_date_is_not_a_deadline():
    assert find_deadline("Tổ chức hội nghị vào ngày 20/5/2024 tại Hội trường.").kind is DeadlineKind.NONE


def test_an_effective_date_of_a_cited_resolution_is_not_the_tasks_start():
    text = "Nghị quyết có hiệu lực từ ngày 01/01/2024; các sở triển khai thực hiện thường xuyên."
    assert find_deadline(text).kind is DeadlineKind.ONGOING


def test_a_date_beats_an_adverb_thuong_xuyen():
    text = "Thường xuyên cập nhật dữ liệu; hoàn thành việc số hóa hồ sơ trước ngày 31/12/2024."
    assert find_deadline(text).due == date(2024, 12, 30)


# --- OCR noise and spans ------------------------------------------------------------


def test_ocr_u_for_u_horn_still_reads_truoc():
    deadline = find_deadline("gửi về Bộ Nội vụ truớc ngày 15/12/2023 để tổng hợp.")
    assert (deadline.due, deadline.text) == (date(2023, 12, 14), "truớc ngày 15/12/2023")


def test_missing_diacritics_still_read():
    assert parse_deadline("truoc ngay 15/12/2023").due == date(2023, 12, 14)
    assert parse_deadline("thuc hien thuong xuyen").kind is DeadlineKind.ONGOING


def test_ocr_thuc_hien_with_a_dot_below():
    assert parse_deadline("(thục hiện thường xuyên)").text == "thục hiện thường xuyên"


def test_decomposed_unicode_keeps_spans_on_the_printed_text():
    import unicodedata

    text = unicodedata.normalize("NFD", "Báo cáo trước ngày 15/12/2023.")
    deadline = find_deadline(text)
    assert deadline.due == date(2023, 12, 14)
    assert text[deadline.span.start : deadline.span.end] == deadline.text


def test_the_span_is_shifted_by_the_task_offset():
    text = "Sở Nội vụ báo cáo trước ngày 15/5/2023."
    deadline = find_deadline(text, offset=1000)
    assert deadline.span == Span(1018, 1038)
    assert text[deadline.span.start - 1000 : deadline.span.end - 1000] == "trước ngày 15/5/2023"


def test_a_parenthesised_deadline_is_given_whole():
    deadline = find_deadline("Gửi về Ban Thường vụ Tỉnh ủy (hoàn thành trước ngày 15/4/2024).")
    assert (deadline.due, deadline.text) == (date(2024, 4, 14), "hoàn thành trước ngày 15/4/2024")


# --- every deadline of the annotated development corpus -----------------------------


def _annotated_tasks():
    for path in sorted(CORPUS.glob("*.json")):
        document = json.loads(path.read_text(encoding="utf-8"))
        issued_on = date.fromisoformat(document["issued_on"]) if document.get("issued_on") else None
        for number, task in enumerate(document.get("tasks") or [], 1):
            yield pytest.param(task, issued_on, id=f"{path.stem}-{number}")


def _iso(day):
    return day.isoformat() if day else None


@pytest.mark.parametrize(("task", "issued_on"), list(_annotated_tasks()))
def test_annotated_deadlines_of_the_dev_corpus(task, issued_on):
    expected = task["deadline"]
    printed = expected["text"]
    if printed and printed not in task["text"]:
        # Table cells and "Thời gian thực hiện:" lines: the deadline is printed beside the task.
        deadline = parse_deadline(printed, issued_on=issued_on)
    else:
        deadline = find_deadline(task["text"], issued_on=issued_on)
    assert (deadline.kind.value, _iso(deadline.due), _iso(deadline.start)) == (
        expected["kind"],
        expected["due"],
        expected["start"],
    )
    if expected["kind"] == "recurring" and expected["recurrence"] != "period: per regulation":
        assert deadline.recurrence == expected["recurrence"]


def test_a_past_year_looked_back_on_is_not_a_deadline():
    text = "Đánh giá kết quả thực hiện nhiệm vụ trong năm 2023 của các cơ quan, đơn vị."
    assert find_deadline(text, issued_on=date(2024, 3, 1)).kind is DeadlineKind.NONE


def test_vao_quy_is_due_at_the_end_of_that_quarter():
    deadline = find_deadline("Tham mưu Ban Thường vụ Tỉnh ủy sơ kết 02 năm vào quý IV/2026.")
    assert (deadline.kind, deadline.due) == (DeadlineKind.BY_DATE, date(2026, 12, 31))


def test_a_meeting_held_vao_ngay_sets_no_deadline_by_itself():
    deadline = find_deadline("Hội nghị được tổ chức vào ngày 10/9/2024, tại trụ sở Tỉnh ủy.")
    assert deadline.kind == DeadlineKind.NONE
