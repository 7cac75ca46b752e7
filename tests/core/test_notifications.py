"""core.notifications: notices sent to bodies and users about any record, read by the user and the body they
act for, marked read; and the notifications page, whose cost does not grow with the notices."""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dondoc.accounts.models import User
from dondoc.core.models import NOTICE_LENGTH, Notification
from dondoc.core.notifications import mark_read, notifications_for, notify, notify_users
from dondoc.directives.models import Assignment, Directive
from dondoc.directives.services import approve_report, confirm_report, draft_report
from dondoc.registry.models import Level, Organization, OrganizationKind

pytestmark = pytest.mark.django_db


def body(code: str) -> Organization:
    return Organization.objects.create(
        name=f"Ban {code}", code=code, kind=OrganizationKind.STANDING_BOARD, level=Level.DISTRICT
    )


@pytest.fixture
def bodies() -> tuple[Organization, Organization]:
    return body("A"), body("B")


@pytest.fixture
def people() -> tuple[User, User]:
    return User.objects.create_user("an"), User.objects.create_user("binh")


def test_notify_tells_each_body_and_user_once_in_one_insert(bodies, people, django_assert_num_queries):
    first, second = bodies
    an, binh = people
    ContentType.objects.get_for_model(first)  # the content types are cached once per process
    with django_assert_num_queries(1):
        sent = notify(
            text="Có văn bản mới",
            organizations=[first.pk, second.pk, first.pk],
            users=[an.pk, an.pk],
            target=second,
        )
    assert len(sent) == 3 and all(notice.pk for notice in sent)
    assert set(
        Notification.objects.values_list("organization_id", "user_id", "text", "target_id", "read_at")
    ) == {
        (first.pk, None, "Có văn bản mới", second.pk, None),
        (second.pk, None, "Có văn bản mới", second.pk, None),
        (None, an.pk, "Có văn bản mới", second.pk, None),
    }
    assert {notice.target for notice in Notification.objects.all()} == {second}
    assert not Notification.objects.filter(user=binh).exists()


def test_a_notice_may_be_about_nothing_and_a_long_text_is_cut(people):
    (notice,) = notify(text="x" * (NOTICE_LENGTH + 20), users=[people[0].pk])
    notice.refresh_from_db()
    assert notice.target is None and notice.target_type is None and len(notice.text) == NOTICE_LENGTH
    assert notify(text="nobody") == [] and Notification.objects.count() == 1


def test_notify_users_posts_a_text_per_user_and_record_in_batches(bodies, people, django_assert_num_queries):
    an, binh = people
    ContentType.objects.get_for_model(Organization)
    notices = [(an.pk, bodies[0].pk, "Nhắc việc A"), (binh.pk, bodies[1].pk, "x" * (NOTICE_LENGTH + 5))]
    many = [(an.pk, bodies[0].pk, f"Nhắc {index}") for index in range(1200)]
    with django_assert_num_queries(1):
        assert notify_users(notices=notices, target_model=Organization) == 2
    with CaptureQueriesContext(connection) as inserts:
        assert notify_users(notices=iter(many), target_model=Organization) == 1200
    assert len(inserts) < 12  # batched (SQLite allows fewer rows per insert than PostgreSQL), not 1,200
    first = Notification.objects.get(text="Nhắc việc A")
    assert (first.user, first.target, first.organization_id) == (an, bodies[0], None)
    assert len(Notification.objects.get(user=binh).text) == NOTICE_LENGTH


def test_a_user_reads_their_own_notices_and_their_body_s_only(bodies, people):
    first, second = bodies
    an, binh = people
    notify(text="to A", organizations=[first.pk])
    notify(text="to B", organizations=[second.pk])
    notify(text="to An", users=[an.pk])
    notify(text="to Bình", users=[binh.pk])

    def texts(*, user_id: int, organization_id: int | None) -> set[str]:
        found = notifications_for(user_id=user_id, organization_id=organization_id)
        return set(found.values_list("text", flat=True))

    assert texts(user_id=an.pk, organization_id=first.pk) == {"to A", "to An"}
    assert texts(user_id=binh.pk, organization_id=second.pk) == {"to B", "to Bình"}
    assert texts(user_id=an.pk, organization_id=None) == {"to An"}


def test_notices_come_newest_first(people):
    an = people[0]
    for text in ("first", "second", "third"):
        notify(text=text, users=[an.pk])
    found = list(notifications_for(user_id=an.pk, organization_id=None).values_list("text", flat=True))
    assert found == ["third", "second", "first"]


def test_mark_read_marks_the_unread_notices_given_and_no_other(bodies, people):
    first, _second = bodies
    an, binh = people
    notify(text="to A", organizations=[first.pk])
    notify(text="to An", users=[an.pk])
    notify(text="to Bình", users=[binh.pk])
    mine = notifications_for(user_id=an.pk, organization_id=first.pk)
    assert mark_read(notifications=mine.filter(text="to An")) == 1
    assert mark_read(notifications=mine) == 1  # the one read already stays as it was
    assert mark_read(notifications=mine) == 0
    assert set(Notification.objects.filter(read_at__isnull=True).values_list("text", flat=True)) == {
        "to Bình"
    }


def test_each_notice_comes_with_its_record_in_one_query_per_kind(bodies, people, django_assert_num_queries):
    first, second = bodies
    an, binh = people
    for _ in range(5):
        notify(text="about a body", users=[an.pk], target=first)
        notify(text="about a user", users=[an.pk], target=binh)
        notify(text="about nothing", users=[an.pk])
    notify(text="about the other body", users=[an.pk], target=second)
    with django_assert_num_queries(3):  # the notices, then the bodies and the users they are about
        notices = list(notifications_for(user_id=an.pk, organization_id=None))
    with django_assert_num_queries(0):
        targets = [(notice.text, notice.target, notice.target_type) for notice in notices]
    assert len(targets) == 16
    assert {(text, target) for text, target, _kind in targets} == {
        ("about a body", first),
        ("about a user", binh),
        ("about nothing", None),
        ("about the other body", second),
    }


def test_the_directives_notices_filter_by_what_they_are_about(published):
    """Directives and assignments name their notices (a generic relation back), as the foreign keys did."""
    directive = Directive.objects.get(pk=published.pk)
    told = set(Notification.objects.filter(directive=directive).values_list("organization_id", flat=True))
    assert told == set(
        Assignment.objects.filter(task__directive=directive).values_list("organization_id", flat=True)
    )
    assert set(directive.notifications.values_list("pk", flat=True)) == set(
        Notification.objects.filter(directive=directive).values_list("pk", flat=True)
    )


@pytest.fixture
def today(settings):
    settings.DONDOC_TODAY = date(2023, 5, 10)


def test_the_notifications_page_costs_the_same_for_one_notice_as_for_many(
    today, published, users, client_for
):
    reporter = client_for("reporter")
    url = reverse("directives:notifications")
    reporter.get(url)  # sessions, content types and such warm up once
    with CaptureQueriesContext(connection) as one:
        page = reporter.get(url)
    assert len(page.context["page"].object_list) == 1  # the directive to carry out
    mine = Assignment.objects.filter(organization__code="CJU.BTV", task__directive=published)
    for assignment in mine[:10]:
        report = draft_report(assignment=assignment, text="Xong", percent=100, reports_done=True)
        confirm_report(report=approve_report(report=report, on=date(2023, 5, 16)), on=date(2023, 5, 17))
    with CaptureQueriesContext(connection) as many:
        page = reporter.get(url)
    assert len(page.context["page"].object_list) == 11
    # one query more for the assignments the new notices are about, whatever their number
    assert len(many.captured_queries) == len(one.captured_queries) + 1
    html = page.content.decode()
    assert (
        html.count(f'href="{reverse("directives:detail", args=[published.pk])}">{published.number}</a>') == 1
    )
    for assignment in mine[:10]:
        assert f'href="{assignment.get_absolute_url()}">Mở nhiệm vụ</a>' in html
