"""The chain page: KL 50-KL/TW (known only by citation) → Công văn 1317-CV/TU → the districts' plans, as a
tree with progress at each level; read under the same rules as the directive page, a directive the reader
may not read shown by its number only."""

from __future__ import annotations

import pytest
from django.utils import translation

from dondoc.accounts.scope import build_scope
from dondoc.directives.access import assignments_for, directives_for
from dondoc.directives.models import Directive, LinkState, TaskLink
from dondoc.directives.selectors import ancestors_of, chain_tree, children_of
from dondoc.directives.services import confirm_link, create_draft, publish_directive
from dondoc.parsing import parse_text
from dondoc.reading import read_document

EN = {"accept-language": "en"}
PLANS = {
    "45-KH/HU": "src/dondoc/samples/45-KH-HU-CU-JUT.md",
    "38-KH/HU": "src/dondoc/samples/38-KH-HU-DAK-MIL.md",
}


@pytest.fixture(autouse=True)
def language_kept():
    """A page request switches the thread's language (LocaleMiddleware); the tests after these read in the
    default one again."""
    with translation.override(translation.get_language()):
        yield


def publish_plan(path: str, sha: str) -> Directive:
    text = read_document(path).text
    plan = create_draft(parsed=parse_text(text), source_text=text, file_sha256=sha)
    for link in TaskLink.objects.filter(child__directive=plan, state=LinkState.PROPOSED):
        confirm_link(link=link)
    publish_directive(directive=plan)
    plan.refresh_from_db()
    return plan


@pytest.fixture
def plans(published: Directive) -> dict[str, Directive]:
    return {
        number: publish_plan(path, sha * 64) for (number, path), sha in zip(PLANS.items(), "ef", strict=True)
    }


def node(page: str, marker: str) -> str:
    """The tree's item holding `marker` (its own line, and the items nested in it)."""
    start = page.rindex("<li", 0, page.index(marker))
    depth, position = 0, start
    while True:
        opening, closing = page.find("<li", position + 1), page.find("</li>", position + 1)
        if opening != -1 and opening < closing:
            depth, position = depth + 1, opening
        elif depth:
            depth, position = depth - 1, closing
        else:
            return page[start : closing + len("</li>")]


def test_the_plans_implement_the_letter_which_implements_kl_50(plans, published):
    assert children_of({published.pk}) == {published.pk: {plan.pk for plan in plans.values()}}
    assert ancestors_of(plans["45-KH/HU"].pk) == {published.pk}


def test_a_plan_s_chain_runs_from_kl_50_not_held_down_through_the_letter_to_the_plan(
    plans, published, client_for
):
    plan = plans["45-KH/HU"]
    page = client_for("monitor").get(f"/directives/{plan.pk}/chain/", headers=EN).content.decode()
    top = node(page, 'data-number="50-KL/TW"')
    assert 'data-held="no"' in top.split(">")[0] and "not held by dondoc" in top
    letter = node(top, f'data-directive="{published.pk}"')
    current = node(letter, f'data-directive="{plan.pk}"')
    assert 'class="chain-node current"' in current
    assert f'data-directive="{plans["38-KH/HU"].pk}"' not in page  # a sibling is not on this plan's line


def test_the_letter_s_chain_shows_both_plans_below_it_with_their_progress(plans, published, client_for):
    page = client_for("monitor").get(f"/directives/{published.pk}/chain/", headers=EN).content.decode()
    letter = node(page, f'data-directive="{published.pk}"')
    assert 'class="chain-node current"' in letter
    for plan in plans.values():
        below = node(letter, f'data-directive="{plan.pk}"')
        assignments = plan.tasks.values("assignments").count()
        assert f'data-done="0" data-total="{assignments}"' in below
        assert f"0 of {assignments} assignments done" in below
    assert "assignments done" in letter.split("<ul>")[0]


def test_the_tree_marks_what_is_held_and_what_is_known_only_by_citation(plans, published, users):
    acting = build_scope(user=users["monitor"])
    assert acting is not None
    tree = chain_tree(
        directive=published,
        directives=directives_for(acting),
        assignments=assignments_for(acting),
        today=published.issued_on,
    )
    (top,) = tree.roots
    assert (top.number, top.held) == ("50-KL/TW", False)
    (letter,) = top.children
    assert letter.current and {child.number for child in letter.children} == set(PLANS)
    assert (tree.ancestors, tree.descendants) == (1, 2)


def test_a_unit_user_reads_the_letter_s_chain_with_the_plans_they_may_not_read_shown_by_number(
    plans, published, client_for
):
    reporter = client_for("reporter")  # Cư Jút's standing board: assigned the letter's tasks, not the plans'
    page = reporter.get(f"/directives/{published.pk}/chain/", headers=EN).content.decode()
    assert f'data-directive="{published.pk}"' in page
    hidden = node(page, 'data-number="45-KH/HU"')
    assert "not among the directives you may read" in hidden and "href" not in hidden
    assert reporter.get(f"/directives/{plans['45-KH/HU'].pk}/chain/").status_code == 404
    assert client_for("auditor").get(f"/directives/{published.pk}/chain/").status_code == 403


def test_the_directive_page_and_the_cited_page_link_to_the_chain(plans, published, client_for):
    monitor = client_for("monitor")
    detail = monitor.get(f"/directives/{published.pk}/", headers=EN).content.decode()
    assert f'href="/directives/{published.pk}/chain/"' in detail
    cited = monitor.get("/directives/cited/?number=1317-CV/TU", headers=EN).content.decode()
    assert f'href="/directives/{published.pk}/chain/"' in cited
