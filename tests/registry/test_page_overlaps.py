"""The overlaps and gaps page on the Đắk Nông sample registry: the pairs of alike items side by side with the
score and the shared terms; a decision takes a pair out of the new ones into the decided ones, keeps its
history and can be reopened; a bad decision is refused with its reason and writes nothing; who may read and
who may decide."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from dondoc.registry.models import Function, OverlapDecision, OverlapOutcome
from dondoc.registry.overlap_services import record_overlap_decision
from dondoc.registry.services import RegistryError, revise_functions

ON = date(2023, 4, 17)
URL = reverse("registry:overlaps")
DECIDE = reverse("registry:overlap_decide")
EN = {"accept-language": "en"}
COMMISSION, HOME_AFFAIRS = "Ban Tổ chức Tỉnh ủy", "Sở Nội vụ"


def page(client):
    return client.get(URL, {"on": f"{ON:%d/%m/%Y}"}, headers=EN)


def the_pair(response, first: str = COMMISSION, second: str = HOME_AFFAIRS):
    """The row of the two bodies' pair among the new ones (None when it is not there)."""
    for row in response.context["page"].new:
        if {function.organization.name for function in (row.overlap.first, row.overlap.second)} == {
            first,
            second,
        }:
            return row
    return None


def decide(client, row, **fields):
    data = {
        "first": row.overlap.first.pk,
        "second": row.overlap.second.pk,
        "on": f"{ON:%d/%m/%Y}",
        "decision": OverlapOutcome.NOT_OVERLAP,
        **fields,
    }
    return client.post(DECIDE, data, headers=EN, follow=True)


def test_the_pairs_show_side_by_side_with_score_and_shared_terms(client_for):
    response = page(client_for("monitor"))
    assert response.status_code == 200
    row = the_pair(response)
    assert row is not None and row.overlap.score >= 0.8
    html = response.content.decode()
    assert "Overlaps and gaps on 17/04/2023" in html
    assert "Alike at 0.82" in html
    assert "cơ cấu" in row.overlap.shared_terms and "cơ cấu" in html
    assert row.overlap.first.text in html and row.overlap.second.text in html
    for function in (row.overlap.first, row.overlap.second):
        assert f'href="{reverse("registry:body", args=[function.organization_id])}"' in html


def test_the_gaps_show_with_their_nearest_item(client_for):
    response = page(client_for("reader"))
    [gap] = response.context["page"].gaps
    assert gap.nearest.organization.name == "Thanh tra tỉnh" and gap.score < 0.48
    html = response.content.decode()
    assert "1 gap" in html and gap.required.text in html and "Thanh tra tỉnh" in html


def test_a_decision_moves_the_pair_to_the_decided_ones_with_its_history(client_for):
    monitor = client_for("monitor")
    row = the_pair(page(monitor))
    response = decide(
        monitor,
        row,
        decision=OverlapOutcome.RESOLVED,
        number="Quyết định số 12/QĐ-UBND",
        decided_on="02/03/2023",
        comment="Đã phân định: Sở Nội vụ làm phần chính quyền.",
    )
    assert "The decision on" in response.content.decode()
    assert the_pair(response) is None
    decided = response.context["page"].decided
    assert [d.decision.decision_number for d in decided] == ["Quyết định số 12/QĐ-UBND"]
    html = response.content.decode()
    assert "Resolved by a decision" in html and "of 02/03/2023" in html
    recorded = OverlapDecision.objects.get()
    assert recorded.decision_date == date(2023, 3, 2)
    assert [h.history_type for h in recorded.history.all()] == ["+"]
    assert recorded.history.get().history_user.username == "monitor"


def test_a_reopened_pair_is_new_again_and_its_history_keeps_the_decision(client_for):
    monitor = client_for("monitor")
    decide(monitor, the_pair(page(monitor)), comment="Hai nội dung khác nhau.")
    decision = OverlapDecision.objects.get()
    response = monitor.post(
        reverse("registry:overlap_reopen", args=[decision.pk]), {"on": f"{ON:%d/%m/%Y}"}, follow=True
    )
    assert the_pair(response) is not None and not response.context["page"].decided
    assert not OverlapDecision.objects.exists()
    kinds = [h.history_type for h in OverlapDecision.history.filter(id=decision.pk).order_by("history_date")]
    assert kinds == ["+", "-"]


def test_a_pair_is_stored_in_one_order_whichever_way_it_is_given(registry, users):
    row_first = Function.objects.as_of(ON).filter(organization__name=COMMISSION).first()
    row_second = Function.objects.as_of(ON).filter(organization__name=HOME_AFFAIRS).first()
    record_overlap_decision(
        first=row_second,
        second=row_first,
        decision=OverlapOutcome.TO_RESOLVE,
        number="",
        decided_on=None,
        comment="",
        by=users["monitor"],
        today=ON,
    )
    decision = OverlapDecision.objects.get()
    assert decision.first_id < decision.second_id  # stored in one order whichever way it was given


def test_a_new_version_of_an_items_text_is_a_new_pair(client_for):
    monitor = client_for("monitor")
    row = the_pair(page(monitor))
    decide(monitor, row)
    body = row.overlap.first.organization
    items = [
        (f.kind, f.text + " (sửa đổi)" if f.pk == row.overlap.first.pk else f.text)
        for f in Function.objects.as_of(ON).filter(organization=body).order_by("position")
    ]
    revise_functions(organization=body, items=items, on=date(2023, 5, 1), source="Quyết định mẫu")
    later = monitor.get(URL, {"on": "01/05/2023"}, headers=EN)
    assert the_pair(later) is not None and not later.context["page"].decided


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"decision": OverlapOutcome.RESOLVED, "decided_on": "02/03/2023"}, "resolved by a decision needs"),
        ({"decision": OverlapOutcome.RESOLVED, "number": "12/QĐ-UBND"}, "resolved by a decision needs"),
        ({"decision": "maybe"}, "Select a valid choice"),
        ({"decision": OverlapOutcome.RESOLVED, "number": "1", "decided_on": "02/03/2099"}, "is after today"),
        ({"decision": OverlapOutcome.RESOLVED, "number": "1", "decided_on": "31/02/2023"}, "dd/mm/yyyy"),
    ],
)
def test_a_bad_decision_is_refused_with_its_reason_and_nothing_is_written(client_for, fields, message):
    monitor = client_for("monitor")
    response = decide(monitor, the_pair(page(monitor)), **fields)
    assert message in response.content.decode()
    assert the_pair(response) is not None
    assert not OverlapDecision.history.exists()


def test_a_body_is_not_its_own_overlap(registry, users):
    one, other = Function.objects.as_of(ON).filter(organization__name=HOME_AFFAIRS)[:2]
    with pytest.raises(RegistryError, match="không phải giữa một cơ quan với chính nó"):
        record_overlap_decision(
            first=one,
            second=other,
            decision=OverlapOutcome.NOT_OVERLAP,
            number="",
            decided_on=None,
            comment="",
            by=users["monitor"],
            today=ON,
        )
    assert not OverlapDecision.history.exists()


def test_the_date_defaults_to_today(client_for, settings):
    settings.DONDOC_TODAY = date(2024, 3, 1)
    response = client_for("admin").get(URL, headers=EN)
    assert "Overlaps and gaps on 01/03/2024" in response.content.decode()


@pytest.mark.parametrize(
    ("role", "status"),
    [("admin", 200), ("monitor", 200), ("reader", 200), ("reporter", 403), ("leader", 403), ("auditor", 403)],
)
def test_who_reads_the_page(client_for, role, status):
    assert page(client_for(role)).status_code == status


@pytest.mark.parametrize(
    ("role", "status"), [("admin", 302), ("reader", 403), ("reporter", 403), ("auditor", 403)]
)
def test_only_administrators_and_monitors_decide(client_for, role, status):
    row = the_pair(page(client_for("monitor")))
    data = {
        "first": row.overlap.first.pk,
        "second": row.overlap.second.pk,
        "decision": OverlapOutcome.NOT_OVERLAP,
    }
    assert client_for(role).post(DECIDE, data).status_code == status
    assert OverlapDecision.objects.exists() == (status == 302)


def test_a_reader_sees_no_decision_form(client_for):
    html = page(client_for("reader")).content.decode()
    assert "Record the decision" not in html
    assert "Record the decision" in page(client_for("monitor")).content.decode()


def test_the_page_reads_in_a_fixed_number_of_queries(client_for, django_assert_max_num_queries):
    monitor = client_for("monitor")
    decide(monitor, the_pair(page(monitor)))
    with django_assert_max_num_queries(9):
        page(monitor)
