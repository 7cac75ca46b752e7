"""`manage.py setup_demo`, which `make run` calls on every start: the seed letter published once, one demo
user per role, a new password each run."""

from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.test import RequestFactory
from django.utils.translation import override

from dondoc.accounts.models import Membership, Role
from dondoc.demo.management.commands.setup_demo import DEMO_USERS, SEED
from dondoc.directives.models import Assignment, Directive, DirectiveState
from dondoc.directives.services import create_draft
from dondoc.parsing import parse_text
from dondoc.reading import read_document
from dondoc.registry.sample import load_sample_registry

# the demo as `make run` builds it on SQLite; the services it calls are tested on PostgreSQL too
pytestmark = pytest.mark.database_neutral


def run_setup_demo() -> dict[str, str]:
    """The command's printed table as user name → password."""
    out = StringIO()
    with override("en"):
        call_command("setup_demo", stdout=out)
    lines = out.getvalue().splitlines()
    assert "http://127.0.0.1:8000" in out.getvalue()
    names = {spec.username for spec in DEMO_USERS}
    return {line.split()[0]: line.split()[1] for line in lines if line.split() and line.split()[0] in names}


def test_the_demo_refuses_an_empty_registry_with_a_plain_message(db):
    with pytest.raises(CommandError, match="load_sample_registry"):
        call_command("setup_demo", stdout=StringIO())


def test_setup_demo_publishes_the_seed_letter_once_and_gives_each_role_a_new_password(db):
    load_sample_registry()
    first = run_setup_demo()
    assignments = Assignment.objects.count()
    second = run_setup_demo()

    directive = Directive.objects.get(number="1317-CV/TU")  # beside the demo inspection's conclusion
    assert directive.state == DirectiveState.PUBLISHED
    assert directive.imported_by.username == directive.reviewed_by.username == "monitor"
    assert directive.tasks.count() == 11 and Assignment.objects.count() == assignments > 0
    assert set(first) == set(second) == {spec.username for spec in DEMO_USERS}
    roles = dict(Membership.objects.values_list("user__username", "role"))
    assert {roles[spec.username] for spec in DEMO_USERS} == set(Role)
    # the demo runs today, after the 2025 reorganisation: its people work for the bodies that took over
    assert Membership.objects.get(user__username="reporter").organization.code == "LDG-CU-JUT.DU"
    monitor = Membership.objects.get(user__username="monitor")
    assert (monitor.organization.code, monitor.jurisdiction.code) == ("LDG.BTCTU", "LDG")
    assert set(
        Membership.objects.filter(user__username="leader").values_list("organization__code", flat=True)
    ) == {
        "LDG-CU-JUT.DU",
        "LDG-CU-JUT.UBND",
    }
    for name, password in second.items():
        assert first[name] != password
        # a request, as a log-in form gives it (log-in throttling counts failures per address)
        request = RequestFactory().post("/accounts/login/")
        assert authenticate(request, username=name, password=password) is not None
        assert authenticate(request, username=name, password=first[name]) is None
    admin = Membership.objects.get(role=Role.ADMINISTRATOR).user
    assert admin.is_staff and admin.is_superuser


def test_a_seed_letter_left_as_a_draft_is_published_by_the_next_run(db):
    load_sample_registry()
    text = read_document(SEED).text
    create_draft(parsed=parse_text(text), source_text=text)
    run_setup_demo()
    assert Directive.objects.get(number="1317-CV/TU").state == DirectiveState.PUBLISHED
