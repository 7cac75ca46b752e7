"""The administrator's site: directive data read-only with history, users with their role, tokens revoked."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

from dondoc.accounts.models import ApiToken
from dondoc.accounts.services import issue_token

DIRECTIVE_MODELS = [
    model
    for model in apps.get_app_config("directives").get_models()
    if not model.__name__.startswith("Historical")
]


@pytest.mark.parametrize("model", DIRECTIVE_MODELS, ids=lambda model: model.__name__)
def test_every_directive_model_is_listed_read_only(client_for, published, model):
    client = client_for("admin")
    assert client.get(reverse(f"admin:directives_{model._meta.model_name}_changelist")).status_code == 200
    model_admin = admin.site._registry[model]
    assert not model_admin.has_delete_permission(None) and not model_admin.has_add_permission(None)


def test_a_published_directive_shows_its_history_in_the_admin(client_for, published):
    client = client_for("admin")
    page = client.get(reverse("admin:directives_directive_history", args=[published.pk]))
    assert page.status_code == 200 and "1317-CV/TU" in page.content.decode()


def test_the_administrator_sees_each_users_role_and_other_roles_cannot_enter(client_for, users):
    page = client_for("admin").get(reverse("admin:accounts_user_changelist")).content.decode()
    assert "reporter" in page and "monitor" in page
    assert client_for("monitor").get(reverse("admin:index")).status_code == 302  # to the admin log-in


def test_tokens_are_revoked_from_the_admin_not_deleted(client_for, users):
    issued = issue_token(user=users["reporter"], name="sheet")
    client = client_for("admin")
    client.post(
        reverse("admin:accounts_apitoken_changelist"),
        {"action": "revoke", "_selected_action": [issued.token.pk]},
    )
    assert ApiToken.objects.get(pk=issued.token.pk).revoked_at is not None
