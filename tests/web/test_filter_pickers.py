"""The filters' pickers (inbox and search): a directive or a body is found by typing, among what the user may
see, and nothing is listed before that, so the page costs the same with two choices or forty thousand."""

from datetime import date

import pytest

from dondoc.directives.models import Assignment, Directive, DirectiveState, Task
from dondoc.registry.models import Organization

INBOX = "/directives/assignments/"
SEARCH = "/directives/search/"
PICK_DIRECTIVE = "/directives/pick/directive/"
PICK_BODY = "/directives/pick/body/"


@pytest.fixture(autouse=True)
def today(settings):
    settings.DONDOC_TODAY = date(2023, 5, 20)


def found(response) -> set[int]:
    return {int(value) for value in response.context["choices"] and dict(response.context["choices"])}


def test_the_directive_picker_offers_what_the_user_reads_newest_first(published, client_for):
    # published and assigned, but only to Đắk Song's committee: Cư Jút's users do not read it
    elsewhere = Directive.objects.create(
        issuer_text="TỈNH ỦY ĐẮK NÔNG",
        number="77-CV/TU",
        type_code="CV",
        issued_on=date(2023, 4, 1),
        subject="về sắp xếp tổ chức bộ máy",
        source_text="…",
        duplicate_key="dak-nong-77",
        state=DirectiveState.PUBLISHED,
    )
    task = Task.objects.create(
        directive=elsewhere, position=1, label="1", text="Rà soát", deadline_kind="none"
    )
    Assignment.objects.create(task=task, organization=Organization.objects.get(code="DSO.BTV"), role="lead")
    reporter = client_for("reporter")
    response = reporter.get(PICK_DIRECTIVE, {"name": "directive"})
    assert response.status_code == 200
    assert published.pk in found(response) and elsewhere.pk not in found(response)
    # the number or words of the subject, without diacritics, case ignored
    typed = reporter.get(PICK_DIRECTIVE, {"name": "directive", "q": published.number.split("-")[0]})
    assert published.pk in found(typed)
    assert found(reporter.get(PICK_DIRECTIVE, {"name": "directive", "q": "77-CV"})) == set()
    assert elsewhere.pk in found(client_for("monitor").get(PICK_DIRECTIVE, {"name": "directive"}))
    html = response.content.decode()
    assert f'name="directive" value="{published.pk}"' in html and 'type="radio"' in html


def test_the_body_picker_finds_by_name_without_diacritics_within_what_is_seen(published, client_for):
    cu_jut = Organization.objects.get(code="CJU.BTV")
    dak_song = Organization.objects.get(code="DSO.BTV")
    monitor = client_for("monitor")
    response = monitor.get(PICK_BODY, {"name": "body", "q": "cu jut"})
    assert cu_jut.pk in found(response)
    assert f'name="body" value="{cu_jut.pk}"' in response.content.decode()
    # a unit user's assignments are its own body's: another body is not found, even by its exact name
    reporter = client_for("reporter")
    assert found(reporter.get(PICK_BODY, {"name": "body", "q": dak_song.name})) == set()
    assert cu_jut.pk in found(reporter.get(PICK_BODY, {"name": "body", "q": "cu jut"}))
    short = monitor.get(PICK_BODY, {"name": "body", "q": "c"})
    assert short.context["short"] and "hai chữ" in short.content.decode()


def test_an_unknown_field_name_falls_back_and_nothing_is_echoed(published, client_for):
    response = client_for("monitor").get(PICK_DIRECTIVE, {"name": '"><script>', "q": "<b>"})
    html = response.content.decode()
    assert response.status_code == 200 and "<script>" not in html and "<b>" not in html
    assert response.context["name"] == "directive"


def test_the_inbox_lists_no_choices_and_shows_the_one_picked(published, client_for):
    monitor = client_for("monitor")
    page = monitor.get(INBOX).content.decode()
    assert "<option" not in page.split('name="status"')[0]  # no directive listed before the status filter
    assert 'hx-get="/directives/pick/directive/?name=directive"' in page
    body = Organization.objects.get(code="DSO.BTV")
    picked = monitor.get(INBOX, {"directive": published.pk, "body": body.pk})
    html = picked.content.decode()
    assert f'name="directive" value="{published.pk}" id="id_directive-chosen" checked' in html
    assert f'name="body" value="{body.pk}" id="id_body-chosen" checked' in html
    assert body.name in html and published.number in html
    assert {a.organization_id for a, _situation in picked.context["rows"]} == {body.pk}


def test_a_directive_or_body_the_user_cannot_see_is_refused_with_a_message(published, client_for):
    reporter = client_for("reporter")
    hidden = Directive.objects.create(
        issuer_text="TỈNH ỦY LÂM ĐỒNG",
        number="78-CV/TU",
        issued_on=date(2023, 4, 2),
        source_text="…",
        duplicate_key="lam-dong-78",
        state=DirectiveState.DRAFT,
    )
    response = reporter.get(INBOX, {"directive": hidden.pk})
    assert response.status_code == 200 and response.context["form"].errors["directive"]
    # the filter is not applied: the body's own assignments are still shown, nothing of the hidden one
    assert response.context["total"] == 10
    dak_song = Organization.objects.get(code="DSO.BTV")
    search = reporter.get(SEARCH, {"q": "to chuc", "body": dak_song.pk})
    assert search.status_code == 200 and search.context["form"].errors["body"]


def test_search_filters_by_the_picked_directive_and_body(published, client_for):
    monitor = client_for("monitor")
    body = Organization.objects.get(code="DSO.BTV")
    response = monitor.get(SEARCH, {"directive": published.pk, "body": body.pk})
    assert response.status_code == 200 and response.context["searched"]
    assert response.context["tasks"].tasks
    assert all(task.directive_id == published.pk for task in response.context["tasks"].tasks)
    assert 'id="id_body-chosen" checked' in response.content.decode()
