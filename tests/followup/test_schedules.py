"""Reporting schedules: their validation, the fallback to the quarters of Nghị định 09/2019/NĐ-CP, the
schedule a directive's own words propose, where each body stands in each open period, and the directives app
using them through its hook (the default period of a report, one period per report)."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import override

from dondoc.directives.models import Assignment, ProgressReport, Task
from dondoc.directives.periods import (
    current_period,
    period_label,
    period_problem,
    proposed_schedule,
    schedule_label,
)
from dondoc.directives.selectors import assignment_situations
from dondoc.directives.services import approve_report, create_draft, draft_report, publish_directive
from dondoc.followup.models.periods import ReportingSchedule
from dondoc.followup.selectors.periods import (
    Standing,
    period_standings,
    schedule_for,
)
from dondoc.followup.services.periods import ScheduleError, set_schedule
from dondoc.parsing import parse_text
from dondoc.periods import DEFAULT_SCHEDULE, Frequency, Schedule

JUNE_AND_DECEMBER = Schedule(Frequency.NAMED_DATES, ((15, 6), (15, 12)))
OWN_DATES = (
    "TỈNH ỦY ĐẮK NÔNG\n"
    "Số 99-CV/TU\n"
    "Đắk Nông, ngày 10 tháng 01 năm 2024\n"
    "CÔNG VĂN\n"
    "1. Các huyện ủy tổ chức thực hiện; báo cáo kết quả trước ngày 15/6 và 15/12 hằng năm.\n"
    "2. Ban Tuyên giáo Tỉnh ủy theo dõi, báo cáo định kỳ hằng quý.\n"
)


@pytest.fixture
def ongoing(published) -> Task:
    return Task.objects.get(directive=published, label="2")


def refusal(**fields) -> list[str]:
    with override("en"):
        with pytest.raises(ValidationError) as raised:
            ReportingSchedule(**fields).full_clean()
        return raised.value.messages  # lazy messages: read in English


def test_a_task_without_a_schedule_follows_the_quarters_of_decree_09(ongoing):
    assert schedule_for(ongoing) == DEFAULT_SCHEDULE
    period = current_period(ongoing, on=date(2023, 5, 20))
    assert (period.start, period.end, period.deadline) == (
        date(2023, 3, 15),
        date(2023, 6, 14),
        date(2023, 6, 20),
    )


def test_a_task_follows_its_directive_s_schedule_unless_it_has_its_own(published, ongoing):
    other = Task.objects.get(directive=published, label="4")
    set_schedule(directive=published, frequency=Frequency.HALF_YEAR)
    set_schedule(
        directive=published, task=ongoing, frequency=Frequency.NAMED_DATES, named_dates=[(15, 6), (15, 12)]
    )
    assert schedule_for(other) == Schedule(Frequency.HALF_YEAR)
    assert schedule_for(ongoing) == JUNE_AND_DECEMBER
    # setting it again replaces it
    set_schedule(directive=published, frequency=Frequency.YEAR)
    assert schedule_for(other) == Schedule(Frequency.YEAR) and ReportingSchedule.objects.count() == 2


@pytest.mark.parametrize(
    ("named_dates", "message"),
    [
        ([[15, 12], [15, 6]], "Name the dates in the order of the year, from January."),
        ([[15, 6], [15, 6]], "15/6 is named twice."),
        ([[31, 4]], "31/4 is not a day of the year."),
        ([], "Name at least one date on which the report is due."),
        (["15/6"], "Give each date as a day and a month."),
    ],
)
def test_named_dates_that_overlap_or_do_not_exist_are_refused(published, named_dates, message):
    assert refusal(directive=published, frequency=Frequency.NAMED_DATES, named_dates=named_dates) == [message]


def test_dates_go_only_with_a_schedule_on_named_dates(published):
    assert refusal(directive=published, frequency=Frequency.QUARTER, named_dates=[[15, 6]]) == [
        "Only a schedule on named dates names dates."
    ]


def test_a_second_schedule_for_the_same_directive_or_task_is_refused(published, ongoing):
    ReportingSchedule.objects.create(directive=published, frequency=Frequency.QUARTER)
    ReportingSchedule.objects.create(directive=published, task=ongoing, frequency=Frequency.YEAR)
    assert refusal(directive=published, frequency=Frequency.MONTH) == [
        "This directive already has a reporting schedule; change that one."
    ]
    assert refusal(directive=published, task=ongoing, frequency=Frequency.MONTH) == [
        "This task already has a reporting schedule; change that one."
    ]


def test_a_task_of_another_directive_is_refused(ongoing):
    other = create_draft(parsed=parse_text(OWN_DATES), source_text=OWN_DATES, file_sha256="6" * 64)
    assert "This task belongs to another directive." in refusal(
        directive=other, task=ongoing, frequency="year"
    )


def test_the_service_gives_the_refusal_as_a_message(published):
    with override("en"), pytest.raises(ScheduleError, match=r"15/6 is named twice\."):
        set_schedule(directive=published, frequency=Frequency.NAMED_DATES, named_dates=[(15, 6), (15, 6)])
    assert not ReportingSchedule.objects.exists()


def test_the_seed_letter_s_ongoing_task_names_no_dates_of_its_own(ongoing):
    assert proposed_schedule(ongoing) is None  # "thực hiện thường xuyên": no dates, no frequency


def test_a_task_s_deadline_naming_its_dates_proposes_them(ongoing):
    ongoing.deadline_text = "trước ngày 15/6 và 15/12 hằng năm"
    assert proposed_schedule(ongoing) == JUNE_AND_DECEMBER
    ongoing.deadline_text = "báo cáo định kỳ hằng quý"
    assert proposed_schedule(ongoing) == Schedule(Frequency.QUARTER)
    with override("en"):
        assert schedule_label(JUNE_AND_DECEMBER) == "on 15/6 and 15/12 every year"
        assert schedule_label(Schedule(Frequency.HALF_YEAR)) == "every half-year"


def test_the_review_page_proposes_the_directive_s_dates_and_publishing_gives_them(published, client_for):
    draft = create_draft(parsed=parse_text(OWN_DATES), source_text=OWN_DATES, file_sha256="7" * 64)
    first, second = draft.tasks.order_by("position")
    with override("en"):
        page = client_for("monitor").get(
            reverse("directives:review", args=[draft.pk]), headers={"accept-language": "en"}
        )
    html = page.content.decode()
    assert "Reported on 15/6 and 15/12 every year, as the directive says." in html
    assert "Reported every quarter, as the directive says." in html
    phrases = {*draft.addressee_phrases, *first.lead_phrases, *second.lead_phrases}
    publish_directive(directive=draft, decisions={phrase: [] for phrase in phrases})
    assert schedule_for(first) == JUNE_AND_DECEMBER and schedule_for(second) == Schedule(Frequency.QUARTER)
    assert current_period(first, on=date(2024, 3, 1)).end == date(2024, 6, 15)


def test_a_task_without_dates_of_its_own_is_shown_the_decree_s_quarters(draft, client_for):
    with override("en"):
        html = (
            client_for("monitor")
            .get(reverse("directives:review", args=[draft.pk]), headers={"accept-language": "en"})
            .content.decode()
        )
    assert "Reported every quarter, as Nghị định 09/2019/NĐ-CP sets by default." in html


def test_where_each_body_stands_in_each_open_period(published, ongoing, users):
    reporter_body = Assignment.objects.get(task=ongoing, organization__code="CJU.BTV")
    # Q2/2023 (15/3 to 14/6, due 20/6): reported on time; Q3/2023 (15/6 to 14/9, due 20/9): not yet
    report = draft_report(
        assignment=reporter_body,
        text="Đã triển khai",
        percent=50,
        reports_done=False,
        period_start=date(2023, 3, 15),
        period_end=date(2023, 6, 14),
        by=users["reporter"],
    )
    approve_report(report=report, on=date(2023, 6, 12), by=users["leader"])
    standings = period_standings(ongoing, on=date(2023, 6, 25))
    assert [(standing.period.number, standing.period.year) for standing in standings] == [
        (2, 2023),
        (3, 2023),
    ]
    second_quarter, third_quarter = standings
    assert second_quarter.reported == [reporter_body]
    assert reporter_body not in second_quarter.late
    assert set(second_quarter.late) == set(ongoing.assignments.exclude(pk=reporter_body.pk))
    assert set(third_quarter.not_yet_due) == set(ongoing.assignments.all())
    assert {body.standing for body in second_quarter.bodies} == {Standing.REPORTED_ON_TIME, Standing.LATE}


def test_a_report_sent_after_the_deadline_is_reported_late(published, ongoing, users):
    assignment = Assignment.objects.get(task=ongoing, organization__code="CJU.BTV")
    report = draft_report(
        assignment=assignment,
        text="Muộn",
        percent=10,
        reports_done=False,
        period_start=date(2023, 3, 15),
        period_end=date(2023, 6, 14),
        by=users["reporter"],
    )
    approve_report(report=report, on=date(2023, 6, 23), by=users["leader"])
    second_quarter = period_standings(ongoing, on=date(2023, 6, 25))[0]
    assert next(body for body in second_quarter.bodies if body.assignment == assignment).standing == (
        Standing.REPORTED_LATE
    )


def test_the_directives_app_reports_by_the_schedule(published, ongoing):
    set_schedule(
        directive=published, task=ongoing, frequency=Frequency.NAMED_DATES, named_dates=[(15, 6), (15, 12)]
    )
    period = current_period(ongoing, on=date(2023, 5, 20))
    assert (period.start, period.end) == (date(2022, 12, 16), date(2023, 6, 15))
    situations = assignment_situations(assignments=ongoing.assignments.all(), today=date(2023, 5, 20))
    assert {situation.period for situation in situations.values()} == {period}
    with override("en"):
        assert period_label(period) == "period ending 15/6/2023"
        assert period_problem(ongoing, start=period.start, end=period.end) is None
        assert period_problem(ongoing, start=date(2023, 4, 1), end=date(2023, 6, 30)) == (
            "A report covers exactly one reporting period: period ending 15/6/2023 runs from 16/12/2022 to "
            "15/6/2023."
        )


@pytest.mark.parametrize(
    ("frequency", "label"),
    [
        (Frequency.MONTH, "month 6/2023"),
        (Frequency.QUARTER, "Q2/2023"),
        (Frequency.HALF_YEAR, "first half of 2023"),
        (Frequency.YEAR, "year 2023"),
    ],
)
def test_each_period_has_a_label(frequency, label):
    with override("en"):
        assert period_label(Schedule(frequency).period_on(date(2023, 5, 20))) == label


def test_a_report_drafted_on_its_page_covers_exactly_one_period(published, ongoing, client_for):
    assignment = Assignment.objects.get(task=ongoing, organization__code="CJU.BTV")
    url = reverse("directives:draft_report", args=[assignment.pk])
    reporter = client_for("reporter")
    calendar_quarter = {
        "text": "Đã triển khai",
        "percent": "40",
        "period_start": "2023-04-01",
        "period_end": "2023-06-30",
    }
    response = reporter.post(url, calendar_quarter, headers={"accept-language": "en"})
    assert response.status_code == 400 and not ProgressReport.objects.exists()
    assert "A report covers exactly one reporting period: Q2/2023 runs from 15/3/2023 to 14/6/2023." in (
        response.content.decode()
    )
    decree_quarter = {**calendar_quarter, "period_start": "2023-03-15", "period_end": "2023-06-14"}
    assert reporter.post(url, decree_quarter).status_code == 302 and ProgressReport.objects.count() == 1
