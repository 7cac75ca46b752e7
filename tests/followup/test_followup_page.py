"""The follow-up a monitor sends by hand: the late bodies chosen and the text pre-filled, sending to the
chosen ones (in the application and by e-mail, recorded on each assignment), and who may open the page."""

from __future__ import annotations

from datetime import date

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation

from dondoc.accounts.models import Role, User
from dondoc.accounts.services import create_member
from dondoc.core.models import Notification
from dondoc.directives.models import Assignment, Directive
from dondoc.followup.models.reminders import ManualFollowUp
from dondoc.registry.models import Jurisdiction

TODAY = date(2025, 2, 5)


@pytest.fixture
def late(published: Directive, users: dict[str, User], settings) -> dict[str, Assignment]:
    """Task 9: Cư Jút late, Đắk Song not yet due; every other assignment without a deadline."""
    settings.DONDOC_TODAY = TODAY
    Assignment.objects.update(due=None)
    found = {
        code: Assignment.objects.get(task__directive=published, task__label="9", organization__code=code)
        for code in ("CJU.BTV", "DSO.BTV")
    }
    found["CJU.BTV"].task.deadline_kind = "by_date"
    found["CJU.BTV"].task.save(update_fields=["deadline_kind"])
    Assignment.objects.filter(pk=found["CJU.BTV"].pk).update(due=date(2025, 1, 24))
    Assignment.objects.filter(pk=found["DSO.BTV"].pk).update(due=date(2025, 3, 31))
    User.objects.filter(pk=users["reporter"].pk).update(email="reporter@dondoc.test")
    User.objects.filter(pk=users["other_reporter"].pk).update(email="other@dondoc.test")
    return found


def _url(directive: Directive) -> str:
    return reverse("followup:send_followup", args=[directive.pk])


def test_the_late_bodies_are_chosen_and_the_text_names_what_is_late(client_for, published, late):
    with translation.override("en"):
        response = client_for("monitor").get(_url(published), headers={"accept-language": "en"})
    assert response.status_code == 200
    form = response.context["form"]
    assert form["assignments"].initial == [late["CJU.BTV"].pk]
    assert set(form.fields["assignments"].queryset) == {late["CJU.BTV"], late["DSO.BTV"]}
    text = form["text"].initial
    assert text.startswith(
        f"The following tasks of {published.number} are overdue:\n- task 9, due on 24/01/2025"
    )
    page = response.content.decode()
    assert "overdue since 24/01/2025" in page and "due on 31/03/2025" in page


def late_again(published: Directive, late: dict[str, Assignment]) -> Assignment:
    """Cư Jút late on a second task too, due on 31/01/2025."""
    second = (
        Assignment.objects.filter(task__directive=published, organization__code="CJU.BTV")
        .exclude(pk=late["CJU.BTV"].pk)
        .select_related("task")
        .first()
    )
    assert second is not None
    second.task.deadline_kind = "by_date"
    second.task.save(update_fields=["deadline_kind"])
    Assignment.objects.filter(pk=second.pk).update(due=date(2025, 1, 31))
    return second


def test_the_page_counts_the_late_bodies_not_their_tasks(client_for, published, late):
    url, en = _url(published), {"accept-language": "en"}
    page = client_for("monitor").get(url, headers=en).content.decode()
    assert "1 body is late; it is chosen below." in page
    second = late_again(published, late)
    response = client_for("monitor").get(url, headers=en)
    assert "1 body is late on 2 tasks; it is chosen below." in response.content.decode()
    assert set(response.context["form"]["assignments"].initial) == {late["CJU.BTV"].pk, second.pk}


def test_the_message_counts_the_bodies_sent_to_and_their_tasks(client_for, published, late):
    second = late_again(published, late)
    client = client_for("monitor")
    chosen = {"assignments": [late["CJU.BTV"].pk, second.pk, late["DSO.BTV"].pk], "text": "Đề nghị báo cáo."}
    response = client.post(_url(published), chosen, headers={"accept-language": "en"}, follow=True)
    assert "Follow-up sent to 2 bodies about 3 tasks." in response.content.decode()
    assert ManualFollowUp.objects.count() == 3
    chosen["assignments"] = [late["DSO.BTV"].pk]
    response = client.post(_url(published), chosen, headers={"accept-language": "en"}, follow=True)
    assert "Follow-up sent to 1 body." in response.content.decode()


def test_the_page_offers_to_select_every_body_or_none(client_for, published, late):
    page = client_for("monitor").get(_url(published), headers={"accept-language": "en"}).content.decode()
    # shown by the page's script (tests/browser/test_followup_choices.py clicks them)
    assert '<p id="choose-all" hidden>' in page
    assert 'data-check="all"' in page and "Select all bodies" in page
    assert 'data-check="none"' in page and "Select no body" in page


def test_sending_tells_the_chosen_bodies_and_records_it_on_each_assignment(
    client_for, published, late, users
):
    with translation.override("en"):
        response = client_for("monitor").post(
            _url(published), {"assignments": [late["CJU.BTV"].pk], "text": "Đề nghị báo cáo ngay nhiệm vụ 9."}
        )
    assert response.status_code == 302 and response["Location"] == published.get_absolute_url()
    record = ManualFollowUp.objects.get()
    assert (record.assignment, record.text, record.sent_by) == (
        late["CJU.BTV"],
        "Đề nghị báo cáo ngay nhiệm vụ 9.",
        users["monitor"],
    )
    notice = Notification.objects.get(text="Đề nghị báo cáo ngay nhiệm vụ 9.")
    assert (notice.organization_id, notice.target) == (late["CJU.BTV"].organization_id, late["CJU.BTV"])
    assert [message.to for message in mail.outbox] == [["reporter@dondoc.test"]]


def test_choosing_no_body_is_refused(client_for, published, late):
    with translation.override("en"):
        response = client_for("monitor").post(
            _url(published), {"text": "x"}, headers={"accept-language": "en"}
        )
    assert response.status_code == 200
    assert "Choose at least one body." in response.content.decode()
    assert not ManualFollowUp.objects.exists()


def test_a_body_outside_the_choices_cannot_be_sent_to(client_for, published, late):
    done_elsewhere = Assignment.objects.filter(task__directive=published, due__isnull=True).first()
    assert done_elsewhere is not None
    response = client_for("monitor").post(_url(published), {"assignments": [done_elsewhere.pk], "text": "x"})
    assert response.status_code == 200
    assert not ManualFollowUp.objects.exists()


@pytest.mark.parametrize("role", ["reporter", "leader", "reader", "auditor"])
def test_other_roles_are_refused(client_for, published, late, role):
    assert client_for(role).get(_url(published)).status_code == 403
    assert client_for(role).post(_url(published), {"text": "x"}).status_code == 403


def test_a_monitor_of_another_province_does_not_find_the_directive(client, published, late):
    province = Jurisdiction.objects.get(code="DNO")
    elsewhere = Jurisdiction.objects.create(
        code="LDO", name="Lâm Đồng", kind=province.kind, level=province.level
    )
    outsider = create_member(
        username="ngoai", password="x-y-z-1234", role=Role.MONITOR, jurisdiction=elsewhere
    )
    client.force_login(outsider)
    assert client.get(_url(published)).status_code == 404
    assert client.post(_url(published), {"assignments": [late["CJU.BTV"].pk], "text": "x"}).status_code == 404


def test_a_district_monitor_chooses_among_their_own_bodies_only(client, published, late):
    district = Jurisdiction.objects.get(pk=late["DSO.BTV"].organization.jurisdiction_id)
    monitor = create_member(username="dso", password="x-y-z-1234", role=Role.MONITOR, jurisdiction=district)
    client.force_login(monitor)
    response = client.get(_url(published))
    assert set(response.context["form"].fields["assignments"].queryset) == {late["DSO.BTV"]}
    client.post(_url(published), {"assignments": [late["CJU.BTV"].pk], "text": "x"})
    assert not ManualFollowUp.objects.exists()


def test_the_administrator_may_send_follow_ups(client_for, published, late):
    assert client_for("admin").get(_url(published)).status_code == 200
