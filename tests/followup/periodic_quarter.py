"""The seed letter 1317-CV/TU followed through the second quarter of 2023, shared by the periodic report's and
the follow-up letter's tests: task 1 (due 31/5/2023, 40 bodies) done on time by Cư Jút, late by Đắk Song,
reported but not confirmed by Đắk Mil, silent everywhere else; task 9 (due 14/5/2023) silent for all; of the
tasks without an end date, Cư Jút reported on task 2 for the quarter."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from dondoc.accounts.models import User
from dondoc.accounts.scope import Scope, build_scope
from dondoc.directives.models import Assignment, Directive, ProgressReport
from dondoc.directives.services import approve_report, confirm_report, draft_report
from dondoc.followup.forms.dashboard import reporting_period
from dondoc.periods import Frequency

TODAY = date(2023, 6, 20)
Q2 = reporting_period(Frequency.QUARTER, 2023, 2)  # 15/3 - 14/6/2023
CU_JUT_SAYS = (
    "Ban Thường vụ Huyện ủy đã tổ chức hội nghị quán triệt Kết luận số 50-KL/TW đến 100% cán bộ chủ chốt. "
    "Các chi bộ đã sinh hoạt chuyên đề trong tháng 5/2023. Tuy nhiên, còn khó khăn do địa bàn rộng, đi lại "
    "vất vả. Kiến nghị Tỉnh ủy sớm ban hành hướng dẫn sắp xếp các chi bộ thôn."
)
DAK_SONG_SAYS = "Đã triển khai xong nhưng chậm do vướng mắc về nhân sự. Đề xuất bổ sung 01 biên chế."


@dataclass(frozen=True)
class Quarter:
    directive: Directive
    scope: Scope
    on_time: Assignment  # task 1, Cư Jút
    late: Assignment  # task 1, Đắk Song
    reported_overdue: Assignment  # task 1, Đắk Mil: sent, not confirmed
    reported_ongoing: Assignment  # task 2, Cư Jút, on the quarter


def assignment_of(directive: Directive, label: str, code: str) -> Assignment:
    return Assignment.objects.select_related("task", "organization").get(
        task__directive=directive, task__label=label, organization__code=code
    )


def send(assignment: Assignment, text: str, *, on: date, confirmed: date | None = None) -> ProgressReport:
    report = draft_report(assignment=assignment, text=text, percent=100, reports_done=confirmed is not None)
    approve_report(report=report, on=on)
    if confirmed is not None:
        confirm_report(report=report, on=confirmed)
    return report


def follow_the_quarter(published: Directive, monitor: User) -> Quarter:
    """The quarter's reports sent (and confirmed) as described above; the monitor's scope to read it in."""
    found = Quarter(
        directive=published,
        scope=build_scope(user=monitor),  # type: ignore[arg-type]
        on_time=assignment_of(published, "1", "CJU.BTV"),
        late=assignment_of(published, "1", "DSO.BTV"),
        reported_overdue=assignment_of(published, "1", "DMI.BTV"),
        reported_ongoing=assignment_of(published, "2", "CJU.BTV"),
    )
    send(found.on_time, CU_JUT_SAYS, on=date(2023, 5, 20), confirmed=date(2023, 5, 25))
    send(found.late, DAK_SONG_SAYS, on=date(2023, 6, 5), confirmed=date(2023, 6, 6))
    send(found.reported_overdue, "Đang tổ chức quán triệt ở các chi bộ.", on=date(2023, 5, 30))
    report = send(found.reported_ongoing, "Đã ban hành kế hoạch thực hiện.", on=date(2023, 6, 1))
    ProgressReport.objects.filter(pk=report.pk).update(period_start=Q2.start, period_end=Q2.end)
    return found
