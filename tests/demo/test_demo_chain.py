"""The demonstration's chain: `setup_demo` publishes two districts' plans carrying out the seed letter, once,
their links confirmed and their bodies' reports written, so that the letter's grid shows the districts'
progress through their plans."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.utils.translation import override

from dondoc import clock
from dondoc.directives.models import Directive, DirectiveState, LinkState, ProgressReport, TaskLink
from dondoc.directives.selectors import children_of, plan_progress
from dondoc.registry.models import Organization
from dondoc.registry.sample import load_sample_registry

# the demo as `make run` builds it on SQLite; the services it calls are tested on PostgreSQL too
pytestmark = pytest.mark.database_neutral


def setup_demo() -> str:
    out = StringIO()
    with override("en"):
        call_command("setup_demo", stdout=out)
    return out.getvalue()


def test_setup_demo_publishes_the_districts_plans_once_linked_to_the_seed_letter(db):
    load_sample_registry()
    first = setup_demo()
    reports = ProgressReport.objects.count()
    second = setup_demo()

    assert "Published the districts' plans carrying it out: 45-KH/HU, 38-KH/HU." in first
    assert "districts' plans" not in second and ProgressReport.objects.count() == reports
    letter = Directive.objects.get(number="1317-CV/TU")
    plans = {plan.number: plan for plan in Directive.objects.filter(number__in=["45-KH/HU", "38-KH/HU"])}
    assert {plan.state for plan in plans.values()} == {DirectiveState.PUBLISHED}
    assert children_of({letter.pk}) == {letter.pk: {plan.pk for plan in plans.values()}}
    links = TaskLink.objects.filter(child__directive__in=plans.values())
    assert links.count() == 10 and not links.exclude(state=LinkState.CONFIRMED).exists()


def test_the_seed_letter_s_grid_shows_cu_jut_done_and_dak_mil_still_at_work_through_their_plans(db):
    load_sample_registry()
    setup_demo()
    letter = Directive.objects.get(number="1317-CV/TU")
    progress = plan_progress(task_ids=list(letter.tasks.values_list("id", flat=True)), today=clock.today())
    boards = dict(Organization.objects.filter(code__in=["CJU.BTV", "DMI.BTV"]).values_list("code", "id"))
    cu_jut = [plan for (_task, body), plan in progress.items() if body == boards["CJU.BTV"]]
    dak_mil = [plan for (_task, body), plan in progress.items() if body == boards["DMI.BTV"]]
    assert cu_jut and all(plan.done == plan.tasks for plan in cu_jut)
    assert dak_mil and any(plan.done < plan.tasks for plan in dak_mil)
