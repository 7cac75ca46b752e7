"""Log-in resists guessing: ten wrong passwords for one account, or from one address, lock it for 15 minutes,
on dondoc's log-in page and the admin's; the lockout page says so in Vietnamese; an administrator unlocks."""

from __future__ import annotations

import pytest
from axes.models import AccessAttempt
from django.test import Client, RequestFactory
from tests.fixtures.members import PASSWORD

from dondoc.accounts.throttling import client_address

LIMIT = 10


def guess(client: Client, username: str, *, times: int, path: str = "/accounts/login/") -> list[int]:
    return [
        client.post(path, {"username": username, "password": f"wrong-{attempt}"}).status_code
        for attempt in range(times)
    ]


@pytest.mark.parametrize("path", ["/accounts/login/", "/admin/login/"])
def test_ten_wrong_passwords_lock_the_account_even_against_the_right_one(users, path):
    client = Client()
    statuses = guess(client, "monitor", times=LIMIT, path=path)
    assert statuses[: LIMIT - 1] == [200] * (LIMIT - 1)
    assert statuses[-1] == 429

    refused = client.post(path, {"username": "monitor", "password": PASSWORD})
    assert refused.status_code == 429 and "_auth_user_id" not in client.session
    page = refused.content.decode()
    assert "Tạm khóa đăng nhập" in page and "15 phút" in page


def test_the_lock_holds_for_the_account_from_another_address(users):
    guess(Client(REMOTE_ADDR="10.0.0.1"), "monitor", times=LIMIT)
    elsewhere = Client(REMOTE_ADDR="10.0.0.2")
    assert (
        elsewhere.post("/accounts/login/", {"username": "monitor", "password": PASSWORD}).status_code == 429
    )
    # another account from that other address is untouched
    assert elsewhere.post("/accounts/login/", {"username": "reader", "password": PASSWORD}).status_code == 302


def test_guessing_across_many_accounts_locks_the_address(users):
    client = Client(REMOTE_ADDR="10.0.0.9")
    for attempt in range(LIMIT):
        client.post("/accounts/login/", {"username": f"someone{attempt}", "password": "x"})
    assert client.post("/accounts/login/", {"username": "reader", "password": PASSWORD}).status_code == 429
    assert (
        Client(REMOTE_ADDR="10.0.0.10")
        .post("/accounts/login/", {"username": "reader", "password": PASSWORD})
        .status_code
        == 302
    )


def test_a_right_password_before_the_limit_starts_the_count_again(users):
    client = Client()
    guess(client, "monitor", times=LIMIT - 1)
    assert client.post("/accounts/login/", {"username": "monitor", "password": PASSWORD}).status_code == 302
    client.post("/accounts/logout/")
    assert guess(client, "monitor", times=LIMIT - 1) == [200] * (LIMIT - 1)


def test_an_administrator_unlocks_an_account_in_the_admin(users, admin_client):
    guess(Client(), "monitor", times=LIMIT)
    attempt = AccessAttempt.objects.get(username="monitor")
    listed = admin_client.get("/admin/axes/accessattempt/")
    assert listed.status_code == 200 and "monitor" in listed.content.decode()

    deleted = admin_client.post(f"/admin/axes/accessattempt/{attempt.pk}/delete/", {"post": "yes"})
    assert deleted.status_code == 302
    assert Client().post("/accounts/login/", {"username": "monitor", "password": PASSWORD}).status_code == 302


@pytest.mark.parametrize(
    ("proxies", "forwarded", "address"),
    [
        (0, "6.6.6.6", "127.0.0.1"),  # no proxy: what the client writes is not believed
        (1, "1.2.3.4", "1.2.3.4"),
        (1, "6.6.6.6, 1.2.3.4", "1.2.3.4"),  # the client's own header is to the left of the proxy's entry
        (2, "6.6.6.6, 1.2.3.4, 10.0.0.5", "1.2.3.4"),
        (2, "", "127.0.0.1"),
    ],
)
def test_behind_proxies_the_address_is_the_one_the_nearest_proxy_saw(settings, proxies, forwarded, address):
    settings.PROXY_COUNT = proxies
    request = RequestFactory().post(
        "/accounts/login/", HTTP_X_FORWARDED_FOR=forwarded, REMOTE_ADDR="127.0.0.1"
    )
    assert client_address(request) == address


def test_behind_a_proxy_one_guessers_lockout_leaves_the_others_in(users, settings):
    settings.PROXY_COUNT = 1
    guesser = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.7")
    for attempt in range(LIMIT):
        guesser.post("/accounts/login/", {"username": f"someone{attempt}", "password": "x"})
    assert guesser.post("/accounts/login/", {"username": "reader", "password": PASSWORD}).status_code == 429
    colleague = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.8")
    assert colleague.post("/accounts/login/", {"username": "reader", "password": PASSWORD}).status_code == 302
