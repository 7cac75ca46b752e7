from django.test import Client
from tests.fixtures.members import PASSWORD

from dondoc.accounts.models import User


def test_an_anonymous_visitor_is_sent_to_the_log_in_page(db):
    response = Client().get("/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_the_log_in_page_is_in_vietnamese_and_a_wrong_password_is_refused_plainly(users):
    client = Client()
    page = client.get("/accounts/login/")
    assert page.status_code == 200 and 'lang="vi"' in page.content.decode()
    refused = client.post("/accounts/login/", {"username": "monitor", "password": "sai"})
    assert refused.status_code == 200 and 'role="alert"' in refused.content.decode()
    assert "_auth_user_id" not in client.session


def test_logging_in_starts_a_session_and_logging_out_ends_it(users):
    client = Client()
    response = client.post("/accounts/login/", {"username": "monitor", "password": PASSWORD})
    assert response.status_code == 302 and client.session["_auth_user_id"] == str(users["monitor"].pk)
    client.post("/accounts/logout/")
    assert "_auth_user_id" not in client.session


def test_a_user_without_a_role_is_refused_rather_than_shown_anything(db):
    client = Client()
    client.force_login(User.objects.create_user("nobody", password=PASSWORD))
    assert client.get("/").status_code == 403
