"""The follow-up of the seed letter after its reports (activity.py), so that a newcomer's first look shows
the Organization Commission at work: one inspection of three districts, concluded with a recommendation
turned into a task, and the reminders the rules sent around the letter's deadlines.

Like the reports, everything goes through the services the pages and `manage.py send_reminders` use; only
the days are the demo's. It runs once, when the seed letter is first published."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from dondoc.accounts.models import Membership, Role, User
from dondoc.core.models import Notification
from dondoc.directives.models import Assignment, Directive, DirectiveState
from dondoc.followup.models.inspections import Inspection, Recommendation
from dondoc.followup.models.reminders import SentReminder
from dondoc.followup.services.inspections import (
    InspectionPlan,
    conclude_inspection,
    plan_inspection,
    record_finding,
    record_recommendation,
)
from dondoc.followup.services.reminders import send_reminders
from dondoc.registry.models import Organization

# the demo's district users get mail (printed on the console under `make run`); the monitor, whose digests
# would be long, has no address and is reminded in the application only, as the channels page says
ADDRESSES = {
    "reporter": "vanphong.huyenuy@cujut.dondoc.local",
    "leader": "thuongtruc.huyenuy@cujut.dondoc.local",
}

# the rules' moments lie a few working days either side of a deadline: two weeks cover them, holidays included
REMINDER_WINDOW = timedelta(days=14)

INSPECTED = ("CJU.BTV", "DSO.BTV", "KNO.BTV")
PLAN = {
    "title": (
        "Kiểm tra việc thực hiện Kết luận số 50-KL/TW của Bộ Chính trị và Công văn số 1317-CV/TU của Ban "
        "Thường vụ Tỉnh ủy tại Ban Thường vụ các Huyện ủy Cư Jút, Đắk Song, Krông Nô"
    ),
    "legal_basis": (
        "Quy định số 22-QĐ/TW, ngày 28/7/2021 của Ban Chấp hành Trung ương về công tác kiểm tra, giám sát và "
        "kỷ luật của Đảng;\n"
        "Công văn số 1317-CV/TU, ngày 17/4/2023 của Tỉnh ủy Đắk Nông về thực hiện Kết luận số 50-KL/TW, "
        "ngày 28/02/2023 của Bộ Chính trị (nhiệm vụ 11: Ban Tổ chức Tỉnh ủy thường xuyên đôn đốc, kiểm tra, "
        "giám sát)."
    ),
    # the team's leader is the demo monitor (the plan's "team leader"); the team text names the others
    "team": (
        "Đồng chí Nguyễn Thị Thu Hà, Trưởng phòng Tổ chức - Cán bộ, Ban Tổ chức Tỉnh ủy, Phó Trưởng đoàn\n"
        "Đồng chí Lê Minh Tuấn, chuyên viên Phòng Tổ chức - Cán bộ, Ban Tổ chức Tỉnh ủy, thành viên\n"
        "Đồng chí Hoàng Văn Nam, chuyên viên Phòng Tổ chức - Cán bộ, Ban Tổ chức Tỉnh ủy, Thư ký đoàn"
    ),
    "scope_text": (
        "Việc quán triệt, triển khai Kết luận số 50-KL/TW và Công văn số 1317-CV/TU; việc rà soát chức năng, "
        "nhiệm vụ, kiện toàn tổ chức bộ máy các cơ quan tham mưu, giúp việc Huyện ủy; việc đề xuất mô hình "
        "trưởng ban tuyên giáo đồng thời là giám đốc trung tâm chính trị cấp huyện (nhiệm vụ 9); việc "
        "báo cáo kết quả thực hiện. Thời kỳ kiểm tra: từ tháng 4/2023 đến hết tháng 8/2023."
    ),
}
STARTS_ON, ENDS_ON = date(2023, 9, 11), date(2023, 9, 22)
# (finding, its recommendation, the lead body, the deadline, whether the conclusion makes it a task)
FINDINGS = (
    (
        "Ban Thường vụ các Huyện ủy đã tổ chức quán triệt Kết luận số 50-KL/TW và Công văn số 1317-CV/TU đến "
        "cán bộ chủ chốt, ban hành kế hoạch triển khai. Tuy nhiên, việc rà soát chức năng, nhiệm vụ, "
        "quyền hạn, mối quan hệ công tác của các cơ quan tham mưu, giúp việc Huyện ủy Cư Jút còn chậm, chưa "
        "xác định cụ thể những nội dung còn chồng chéo, trùng lặp.",
        "Chỉ đạo hoàn thành việc rà soát chức năng, nhiệm vụ, quyền hạn, mối quan hệ công tác của các cơ "
        "quan tham mưu, giúp việc Huyện ủy; xác định cụ thể nội dung chồng chéo, trùng lặp và đề xuất phương "
        "án khắc phục; báo cáo Ban Thường vụ Tỉnh ủy (qua Ban Tổ chức Tỉnh ủy).",
        "CJU.BTV",
        date(2023, 12, 15),
        True,
    ),
    (
        "Việc báo cáo kết quả thực hiện về Ban Thường vụ Tỉnh ủy (qua Ban Tổ chức Tỉnh ủy) có nơi chưa đúng "
        "thời hạn; nội dung đánh giá ưu điểm, hạn chế, vướng mắc và nguyên nhân còn chung chung, thiếu số "
        "liệu cụ thể về sắp xếp tổ chức bộ máy và biên chế.",
        "Chấn chỉnh việc báo cáo định kỳ; bổ sung số liệu về sắp xếp tổ chức bộ máy, biên chế trong báo cáo "
        "năm 2023 gửi Ban Tổ chức Tỉnh ủy.",
        "DSO.BTV",
        date(2023, 11, 30),
        False,
    ),
)
CONCLUSION_NUMBER = "52-TB/BTCTU"
CONCLUDED_ON = date(2023, 10, 6)


@transaction.atomic
def follow_up_seed_letter(*, directive: Directive, users: Mapping[str, User], today: date) -> None:
    """The inspection, then the reminders (the conclusion's task among those reminded of), all or nothing."""
    give_addresses(users)
    inspect_districts(directive=directive, monitor=users["monitor"])
    send_past_reminders(until=today)


def give_addresses(users: Mapping[str, User]) -> None:
    """The demo's addresses, to users who have none."""
    for name, address in ADDRESSES.items():
        User.objects.filter(pk=users[name].pk, email="").update(email=address)


def inspect_districts(*, directive: Directive, monitor: User) -> Inspection:
    """The Organization Commission's inspection of three districts on the seed letter: planned, two findings
    with a recommendation each, concluded with the first recommendation made a task of the conclusion."""
    membership = Membership.objects.select_related("organization", "jurisdiction").get(
        user=monitor, role=Role.MONITOR
    )
    bodies = {body.code: body for body in Organization.objects.filter(code__in=INSPECTED)}
    inspection = plan_inspection(
        plan=InspectionPlan(
            title=PLAN["title"],
            legal_basis=PLAN["legal_basis"],
            team=PLAN["team"],
            leader=monitor,
            starts_on=STARTS_ON,
            ends_on=ENDS_ON,
            scope_text=PLAN["scope_text"],
            organizations=[bodies[code] for code in INSPECTED],
            directives=[directive],
        ),
        jurisdiction=membership.jurisdiction,
        by=monitor,
    )
    to_follow_up: list[Recommendation] = []
    for finding_text, recommendation_text, lead, due, as_task in FINDINGS:
        finding = record_finding(inspection=inspection, text=finding_text)
        recommendation = record_recommendation(
            finding=finding, text=recommendation_text, lead=bodies[lead], due=due
        )
        if as_task:
            to_follow_up.append(recommendation)
    conclude_inspection(
        inspection=inspection,
        recommendations=to_follow_up,
        number=CONCLUSION_NUMBER,
        issuer=membership.organization,
        on=CONCLUDED_ON,
        by=monitor,
    )
    inspection.refresh_from_db()
    return inspection


def send_past_reminders(*, until: date) -> None:
    """The reminders the daily run would have sent around the deadlines of the published directives, day by
    day up to `until`, through the real run (which skips what is done and sends nothing twice)."""
    deadlines = set(
        Assignment.objects.filter(
            task__directive__state=DirectiveState.PUBLISHED, due__isnull=False, without_end=False
        )
        .values_list("due", flat=True)
        .distinct()
    )
    days = {
        deadline + timedelta(days=shift)
        for deadline in deadlines
        if deadline is not None
        for shift in range(-REMINDER_WINDOW.days, REMINDER_WINDOW.days + 1)
    }
    for day in sorted(day for day in days if day <= until):
        before = _latest_ids()
        if send_reminders(today=day).total:
            _dated(day, *before)


def _latest_ids() -> tuple[int, int]:
    """The newest notice and reminder record, to tell those one run adds."""
    return (
        Notification.objects.order_by("-pk").values_list("pk", flat=True).first() or 0,
        SentReminder.objects.order_by("-pk").values_list("pk", flat=True).first() or 0,
    )


def _dated(day: date, last_notice: int, last_reminder: int) -> None:
    """Date what a run sent on its day, at the morning's run, as if it had run then: a notice "due today
    (15/12/2023)" dated 15/12/2023 at 7:00, not the day the demo was set up."""
    morning = timezone.make_aware(datetime.combine(day, time(7, 0)))
    Notification.objects.filter(pk__gt=last_notice).update(created_at=morning)
    SentReminder.objects.filter(pk__gt=last_reminder).update(sent_at=morning)
