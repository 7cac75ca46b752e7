"""The chain of implementation, written: a district's plan carrying out the seed letter gets, at import, a
proposed link from each task to the letter's task it implements; the reviewer confirms, rejects or chooses
another; publishing waits for every proposal to be decided; a link to the same directive or closing a loop
is refused."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.utils import translation

from dondoc.directives.models import Directive, DirectiveState, LinkReason, LinkState, Task, TaskLink
from dondoc.directives.selectors import parents_to_propose
from dondoc.directives.services import (
    DirectiveError,
    choose_parent_task,
    confirm_link,
    create_draft,
    propose_task_links,
    publish_directive,
    reject_link,
)
from dondoc.parsing import parse_text
from dondoc.reading import read_document

CU_JUT = "src/dondoc/samples/45-KH-HU-CU-JUT.md"
EN = {"accept-language": "en"}
HTMX = {**EN, "HX-Request": "true"}


@pytest.fixture(autouse=True)
def language_kept():
    """A page request switches the thread's language (LocaleMiddleware); the tests after these read in the
    default one again."""
    with translation.override(translation.get_language()):
        yield


def import_plan(path: str = CU_JUT, sha: str = "c" * 64) -> Directive:
    text = read_document(path).text
    return create_draft(parsed=parse_text(text), source_text=text, file_sha256=sha)


def links_by_position(plan: Directive) -> dict[int, tuple[int, str, str]]:
    """Each task's live link as (the parent task's position, reason, state)."""
    return {
        link.child.position: (link.parent.position, link.reason, link.state)
        for link in TaskLink.objects.filter(child__directive=plan).exclude(state=LinkState.REJECTED)
    }


def task(directive: Directive, position: int) -> Task:
    return directive.tasks.get(position=position)


def link_of(plan: Directive, position: int) -> TaskLink:
    return TaskLink.objects.exclude(state=LinkState.REJECTED).get(child=task(plan, position))


@pytest.fixture
def monitor(client_for) -> Client:
    return client_for("monitor")


@pytest.fixture
def plan(published: Directive) -> Directive:
    return import_plan()


def decide_every_link(plan: Directive) -> None:
    for link in TaskLink.objects.filter(child__directive=plan, state=LinkState.PROPOSED):
        confirm_link(link=link)


# --- proposals at import ---


def test_a_plan_citing_the_seed_letter_gets_a_proposed_link_for_each_task_naming_the_letter_s_task(plan):
    links = links_by_position(plan)
    # "(thực hiện nhiệm vụ 1 tại Công văn số 1317-CV/TU)", "(nhiệm vụ 5 …)", "(… nhiệm vụ 10 …)"
    assert links[1] == (1, LinkReason.MENTION, LinkState.PROPOSED)
    assert links[3] == (5, LinkReason.MENTION, LinkState.PROPOSED)
    assert links[5] == (10, LinkReason.MENTION, LinkState.PROPOSED)
    parents = TaskLink.objects.filter(child__directive=plan).values_list(
        "parent__directive__number", flat=True
    )
    assert set(parents) == {"1317-CV/TU"}
    assert "1317-CV/TU" in link_of(plan, 1).evidence


def test_a_plan_whose_parent_dondoc_does_not_hold_stays_unlinked_and_the_review_page_says_why(users, monitor):
    plan = import_plan()
    assert not TaskLink.objects.filter(child__directive=plan).exists()
    with translation.override("en"):
        note = parents_to_propose(directive=plan).note
    assert "cited 1317-CV/TU of 17/04/2023 is not in dondoc" in note
    page = monitor.get(f"/directives/{plan.pk}/review/", headers=EN).content.decode()
    assert 'id="chain-note"' in page and "1317-CV/TU of 17/04/2023 is not in dondoc" in page


def test_a_draft_imported_before_its_parent_gets_its_proposals_when_the_monitor_asks_again(draft, monitor):
    plan = import_plan()
    publish_directive(directive=draft, decisions={"Các cơ quan, đơn vị liên quan": []})
    assert not TaskLink.objects.filter(child__directive=plan).exists()
    response = monitor.post(f"/directives/{plan.pk}/links/propose/", headers=EN)
    assert response.status_code == 302 and response["Location"] == f"/directives/{plan.pk}/review/#chain"
    assert links_by_position(plan)[1] == (1, LinkReason.MENTION, LinkState.PROPOSED)
    # nothing is proposed twice
    assert propose_task_links(directive=plan) == 0


def test_asking_again_with_no_parent_in_dondoc_is_refused_with_the_reason(users):
    plan = import_plan()
    with translation.override("en"), pytest.raises(DirectiveError, match="not in dondoc"):
        propose_task_links(directive=plan)


# --- review ---


def test_each_task_on_the_review_page_shows_the_task_it_implements_and_the_tasks_to_choose_from(
    plan, monitor
):
    page = monitor.get(f"/directives/{plan.pk}/review/", headers=EN).content.decode()
    section = page.split(f'id="task-{task(plan, 1).pk}-link"')[1].split("</form>")[0]
    assert "Implements:" in section and "task 1 of 1317-CV/TU" in section
    assert "Quán triệt, phổ biến" in section and "named in its text" in section
    assert re.search(r'<optgroup label="1317-CV/TU">', section)
    assert "4. Tiếp tục kiện toàn tổ chức bên trong" in section
    assert 'name="confirm"' in section and 'name="reject"' in section


def test_the_reviewer_confirms_a_proposed_link(plan, monitor, users):
    link = link_of(plan, 1)
    response = monitor.post(
        f"/directives/{plan.pk}/tasks/{link.child_id}/link/", {"confirm": str(link.pk)}, headers=HTMX
    )
    assert response.status_code == 200
    fragment = response.content.decode()
    assert 'data-state="confirmed"' in fragment and "The link is confirmed." in fragment
    link.refresh_from_db()
    assert link.state == LinkState.CONFIRMED and link.decided_by == users["monitor"] and link.decided_at


def test_the_reviewer_rejects_a_proposed_link_and_it_is_not_proposed_again(plan, monitor):
    link = link_of(plan, 3)
    response = monitor.post(f"/directives/{plan.pk}/tasks/{link.child_id}/link/", {"reject": str(link.pk)})
    assert response.status_code == 302
    link.refresh_from_db()
    assert link.state == LinkState.REJECTED
    propose_task_links(directive=plan)
    assert not TaskLink.objects.filter(
        child=link.child, state=LinkState.PROPOSED, parent=link.parent
    ).exists()


def test_the_reviewer_chooses_another_parent_task_and_the_proposal_is_rejected(plan, published, monitor):
    proposed = link_of(plan, 1)
    other = task(published, 2)
    response = monitor.post(
        f"/directives/{plan.pk}/tasks/{proposed.child_id}/link/",
        {"choose": "1", "parent": str(other.pk)},
        headers=HTMX,
    )
    assert "The task is linked to task 2 of 1317-CV/TU." in response.content.decode()
    chosen = link_of(plan, 1)
    assert chosen.parent == other and chosen.reason == LinkReason.CHOSEN
    assert chosen.state == LinkState.CONFIRMED
    proposed.refresh_from_db()
    assert proposed.state == LinkState.REJECTED


def test_a_link_confirmed_by_mistake_is_rejected_and_the_task_linked_again(plan, published):
    link = confirm_link(link=link_of(plan, 2))
    reject_link(link=link)
    assert not TaskLink.objects.filter(child=link.child).exclude(state=LinkState.REJECTED).exists()
    again = choose_parent_task(child=link.child, parent=link.parent)
    assert again.pk == link.pk and again.state == LinkState.CONFIRMED and again.reason == LinkReason.CHOSEN


def test_a_choice_outside_the_list_is_refused_on_the_page(plan, monitor):
    child = task(plan, 2)
    response = monitor.post(
        f"/directives/{plan.pk}/tasks/{child.pk}/link/", {"choose": "1", "parent": "999999"}, headers=HTMX
    )
    assert "Choose the task it implements from the list." in response.content.decode()


def test_only_those_who_review_decide_links(plan, client_for):
    link = link_of(plan, 1)
    url = f"/directives/{plan.pk}/tasks/{link.child_id}/link/"
    assert client_for("reader").post(url, {"confirm": str(link.pk)}).status_code == 403
    assert client_for("reporter").post(url, {"confirm": str(link.pk)}).status_code == 403
    link.refresh_from_db()
    assert link.state == LinkState.PROPOSED


# --- publishing ---


def test_publishing_is_refused_while_a_proposed_link_is_undecided_and_the_page_lists_them(plan, monitor):
    page = monitor.get(f"/directives/{plan.pk}/review/", headers=EN).content.decode()
    left = page.split('id="links-to-decide"')[1].split("</div>")[0]
    assert f'href="#task-{task(plan, 1).pk}"' in left
    with translation.override("en"), pytest.raises(DirectiveError, match=r"task 1\b.*task 5"):
        publish_directive(directive=plan)
    plan.refresh_from_db()
    assert plan.state == DirectiveState.DRAFT


def test_a_plan_whose_links_are_decided_is_published(plan):
    decide_every_link(plan)
    publish_directive(directive=plan)
    plan.refresh_from_db()
    assert plan.state == DirectiveState.PUBLISHED


# --- refusals ---


def test_a_task_cannot_implement_a_task_of_its_own_directive(published):
    with translation.override("en"), pytest.raises(DirectiveError, match="its own directive"):
        choose_parent_task(child=task(published, 2), parent=task(published, 1))


def test_a_link_closing_a_loop_in_the_chain_is_refused(plan, published):
    decide_every_link(plan)
    publish_directive(directive=plan)
    # the letter's task 2 "implementing" a task of the plan that implements the letter
    with translation.override("en"), pytest.raises(DirectiveError, match="close a loop"):
        choose_parent_task(child=task(published, 2), parent=task(plan, 1))
    assert not TaskLink.objects.filter(child__directive=published).exists()


def test_confirming_a_proposal_that_would_close_a_loop_is_refused(plan, published):
    decide_every_link(plan)
    publish_directive(directive=plan)
    loop = TaskLink.objects.create(
        child=task(published, 3), parent=task(plan, 2), reason=LinkReason.SIMILARITY
    )
    with translation.override("en"), pytest.raises(DirectiveError, match="close a loop"):
        confirm_link(link=loop)
    loop.refresh_from_db()
    assert loop.state == LinkState.PROPOSED
    reject_link(link=loop)


def test_a_plan_published_before_its_parent_is_linked_later_from_its_own_page(draft, monitor, client_for):
    plan = import_plan()
    publish_directive(directive=plan)
    publish_directive(directive=draft, decisions={"Các cơ quan, đơn vị liên quan": []})
    response = monitor.post(f"/directives/{plan.pk}/links/propose/", headers=EN)
    assert response["Location"] == f"/directives/{plan.pk}/#chain"
    link = link_of(plan, 1)
    page = monitor.get(f"/directives/{plan.pk}/", headers=EN).content.decode()
    assert f'id="task-{link.child_id}-link"' in page and f'name="confirm" value="{link.pk}"' in page
    response = monitor.post(f"/directives/{plan.pk}/tasks/{link.child_id}/link/", {"confirm": str(link.pk)})
    assert response["Location"] == f"/directives/{plan.pk}/#task-{link.child_id}"
    link.refresh_from_db()
    assert link.state == LinkState.CONFIRMED
    shown = client_for("reader").get(f"/directives/{plan.pk}/", headers=EN).content.decode()
    assert "task 1 of 1317-CV/TU" in shown and 'name="confirm"' not in shown
