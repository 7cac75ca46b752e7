"""Each user's reminder channels page: what it shows before any choice, how a choice changes what the next
reminder run sends (in the application, by e-mail), the note when e-mail is chosen without an address, and
who may open it."""

from __future__ import annotations

from datetime import date

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from dondoc.accounts.models import User
from dondoc.core.models import Notification
from dondoc.directives.models import Assignment, Directive
from dondoc.followup.models.reminders import ChannelChoice, ReminderChannel
from dondoc.followup.services.reminders import send_reminders

URL = "/followup/channels/"
ADDRESS = "vanphong@cujut.dondoc.test"
DEADLINE = date(2025, 1, 24)
THREE_BEFORE = date(2025, 1, 21)  # the reporter's first reminder


@pytest.fixture
def due(published: Directive) -> Assignment:
    """Cư Jút's assignment of task 9, due on DEADLINE; every other one without a deadline. The reminder rules
    are the defaults the migrations create."""
    Assignment.objects.update(due=None)
    found = Assignment.objects.select_related("task").get(
        task__directive=published, task__label="9", organization__code="CJU.BTV"
    )
    found.task.deadline_kind = "by_date"
    found.task.save(update_fields=["deadline_kind"])
    Assignment.objects.filter(pk=found.pk).update(due=DEADLINE)
    return found


def _give_address(user: User) -> None:
    User.objects.filter(pk=user.pk).update(email=ADDRESS)


def _page(client: Client) -> str:
    response = client.get(URL, headers={"accept-language": "en"})
    assert response.status_code == 200
    return response.content.decode()


def _boxes(client: Client) -> dict[str, bool]:
    form = client.get(URL, headers={"accept-language": "en"}).context["form"]
    return {name: bool(form[name].value()) for name in form.fields}


def _reporter_gets(users: dict[str, User]) -> tuple[int, list[list[str]]]:
    """The reporter's notices and the e-mails sent, after the reminder run of THREE_BEFORE."""
    send_reminders(today=THREE_BEFORE)
    return Notification.objects.filter(user=users["reporter"]).count(), [
        message.to for message in mail.outbox
    ]


def test_before_any_choice_the_application_is_ticked_and_e_mail_only_with_an_address(client_for, users):
    client = client_for("reporter")
    assert _boxes(client) == {"in_app": True, "email": False}
    assert "Your account has no e-mail address." in _page(client)

    _give_address(users["reporter"])
    assert _boxes(client) == {"in_app": True, "email": True}
    assert f"Reminders by e-mail go to <strong>{ADDRESS}</strong>." in _page(client)


def test_by_default_a_reporter_with_an_address_is_reminded_both_ways(due, users):
    _give_address(users["reporter"])
    assert _reporter_gets(users) == (1, [[ADDRESS]])


def test_turning_the_application_off_leaves_only_the_e_mail(client_for, due, users):
    _give_address(users["reporter"])
    response = client_for("reporter").post(URL, {"email": "on"}, headers={"accept-language": "en"})
    assert response.status_code == 302 and response["Location"] == URL
    assert ChannelChoice.objects.get(user=users["reporter"], channel=ReminderChannel.IN_APP).enabled is False
    assert _reporter_gets(users) == (0, [[ADDRESS]])


def test_turning_e_mail_off_leaves_only_the_notice(client_for, due, users):
    _give_address(users["reporter"])
    client = client_for("reporter")
    response = client.post(URL, {"in_app": "on"}, headers={"accept-language": "en"}, follow=True)
    assert "Your reminder channels are saved." in response.content.decode()
    assert _boxes(client) == {"in_app": True, "email": False}
    assert _reporter_gets(users) == (1, [])


def test_turning_both_off_stops_the_reminders_and_ticking_them_again_brings_them_back(client_for, due, users):
    _give_address(users["reporter"])
    client = client_for("reporter")
    client.post(URL, {})
    assert _boxes(client) == {"in_app": False, "email": False}
    assert _reporter_gets(users) == (0, [])
    client.post(URL, {"in_app": "on", "email": "on"})
    assert _boxes(client) == {"in_app": True, "email": True}
    assert send_reminders(today=DEADLINE).total == 2  # the "on the day" reminder, both ways


def test_e_mail_chosen_without_an_address_is_said_plainly_and_sends_nothing(client_for, due, users):
    client = client_for("reporter")
    client.post(URL, {"in_app": "on", "email": "on"})
    page = _page(client)
    assert "You chose e-mail, but your account has no e-mail address" in page
    assert "Ask the administrator of dondoc to add your address" in page
    assert _reporter_gets(users) == (1, [])


def test_saving_the_defaults_records_no_choice_so_a_later_address_gets_e_mail(client_for, due, users):
    client_for("reporter").post(URL, {"in_app": "on"})  # e-mail unticked: the default without an address
    assert not ChannelChoice.objects.filter(user=users["reporter"]).exists()
    _give_address(users["reporter"])
    assert _reporter_gets(users) == (1, [[ADDRESS]])


def test_a_choice_once_made_is_kept_when_an_address_comes(client_for, due, users):
    _give_address(users["reporter"])
    client = client_for("reporter")
    client.post(URL, {"in_app": "on"})  # e-mail turned off
    User.objects.filter(pk=users["reporter"].pk).update(email="")
    client.post(URL, {"in_app": "on"})
    _give_address(users["reporter"])
    assert _boxes(client) == {"in_app": True, "email": False}
    assert _reporter_gets(users) == (1, [])


def test_each_user_chooses_for_themselves_only(client_for, users):
    client_for("reporter").post(URL, {})
    assert set(ChannelChoice.objects.values_list("user__username", flat=True)) == {"reporter"}
    assert _boxes(client_for("leader")) == {"in_app": True, "email": False}


def test_a_role_that_gets_no_reminders_is_told_so(client_for):
    assert "None of your roles receives reminders" in _page(client_for("auditor"))
    assert "None of your roles receives reminders" not in _page(client_for("monitor"))


def test_the_notifications_page_links_to_the_channels(client_for):
    page = client_for("reader").get(reverse("directives:notifications")).content.decode()
    assert f'href="{reverse("followup:channels")}"' in page


def test_an_anonymous_visitor_is_sent_to_log_in(db):
    for response in (Client().get(URL), Client().post(URL, {"in_app": "on"})):
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert not ChannelChoice.objects.exists()
