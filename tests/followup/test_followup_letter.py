"""The follow-up letter (công văn đôn đốc): the late bodies named as the registry's groups allow ("Ban Thường
vụ các huyện ủy: Cư Jút, Đắk Mil"), what each is late on with its deadline, the new deadline; downloaded from
the follow-up page as .docx and read back, offered once the follow-up is sent (which records it on each
assignment); reached from the dashboard with the late bodies chosen.

On 20/6/2023, task 9 of the seed letter (due 14/5/2023) is overdue for the eight district standing boards and
task 1 (due 31/5/2023) for most of its forty bodies (tests/followup/periodic_quarter.py)."""

from __future__ import annotations

import re
from datetime import date
from io import BytesIO

import docx
import pytest
from django.db.models import Q
from django.urls import reverse
from tests.followup.periodic_quarter import TODAY, Quarter, assignment_of, follow_the_quarter

from dondoc.directives.access import assignments_for
from dondoc.directives.models import Assignment, Directive
from dondoc.directives.selectors import with_status
from dondoc.directives.status import Status
from dondoc.followup.drafting import compose_letter, document_signer, group_phrase
from dondoc.followup.models.reminders import ManualFollowUp
from dondoc.followup.selectors import dashboard as dashboard_selectors
from dondoc.followup.selectors.reports import addressee_groups, issuing_body, letter_data
from dondoc.registry.models import Organization
from dondoc.writing.model import Block, BlockKind, DocumentKind

EN = {"accept-language": "en"}
NEW_DEADLINE = "15/07/2023"
BTV = "Ban Thường vụ các huyện ủy, thành ủy"


@pytest.fixture
def quarter(published: Directive, users, settings) -> Quarter:
    settings.DONDOC_TODAY = TODAY
    return follow_the_quarter(published, users["monitor"])


@pytest.fixture
def chosen(quarter: Quarter) -> list[Assignment]:
    """Cư Jút and Đắk Mil late on task 9, Sở Nội vụ late on task 1."""
    return [
        assignment_of(quarter.directive, "9", "CJU.BTV"),
        assignment_of(quarter.directive, "9", "DMI.BTV"),
        assignment_of(quarter.directive, "1", "DNO.SNV"),
    ]


def ids(*codes: str) -> set[int]:
    return set(Organization.objects.filter(code__in=codes).values_list("id", flat=True))


# --- the words ---


def test_a_groups_bodies_are_named_after_its_phrase_narrowed_to_their_kind():
    members = ["Ban Thường vụ Huyện ủy Cư Jút", "Ban Thường vụ Huyện ủy Đắk Mil"]
    assert group_phrase(BTV, members) == "Ban Thường vụ các huyện ủy: Cư Jút, Đắk Mil"


def test_a_group_of_both_kinds_keeps_both_in_its_phrase():
    members = ["Ban Thường vụ Huyện ủy Cư Jút", "Ban Thường vụ Thành ủy Gia Nghĩa"]
    assert group_phrase(BTV, members) == "Ban Thường vụ các huyện ủy, thành ủy: Cư Jút, Gia Nghĩa"


def test_departments_are_named_after_the_word_sở():
    assert group_phrase("Các sở, ban, ngành tỉnh", ["Sở Nội vụ", "Sở Tư pháp"]) == "Các sở: Nội vụ, Tư pháp"


def test_members_whose_names_do_not_read_that_way_are_named_in_full():
    members = ["Liên đoàn Lao động tỉnh", "Hội Nông dân tỉnh"]
    assert group_phrase("Các tổ chức chính trị - xã hội tỉnh", members) == (
        "Các tổ chức chính trị - xã hội tỉnh: Liên đoàn Lao động tỉnh, Hội Nông dân tỉnh"
    )


def test_the_registrys_groups_gather_the_late_bodies_and_the_rest_stand_alone(registry):
    assert addressee_groups(organization_ids=ids("CJU.BTV", "DMI.BTV", "DNO.SNV"), on=TODAY) == (
        (BTV, ("Ban Thường vụ Huyện ủy Cư Jút", "Ban Thường vụ Huyện ủy Đắk Mil")),
        ("", ("Sở Nội vụ",)),
    )


def test_the_letter_urges_the_late_bodies_task_by_task_with_the_new_deadline(quarter, chosen):
    data = letter_data(
        directive=quarter.directive,
        assignments=Assignment.objects.filter(pk__in=[a.pk for a in chosen]),
        today=TODAY,
    )
    letter = compose_letter(
        data=data,
        issuer=issuing_body(Organization.objects.get(code="DNO.BTCTU")),
        signer=document_signer(title="Trưởng ban"),
        new_deadline=date(2023, 7, 15),
    )
    assert letter.kind == DocumentKind.LETTER
    assert letter.subject == "đôn đốc thực hiện Công văn số 1317-CV/TU"
    assert letter.addressees == ("Ban Thường vụ các huyện ủy: Cư Jút, Đắk Mil", "Sở Nội vụ")
    assert letter.distribution == ("Như trên,", "Lưu VT.")
    items = [block.text for block in letter.body if isinstance(block, Block) and block.kind == BlockKind.ITEM]
    assert [item.split(" (")[0] for item in items] == ["Nhiệm vụ 1", "Nhiệm vụ 9"]
    assert items[0].endswith("), thời hạn 31/05/2023, đã quá hạn: Sở Nội vụ.")
    assert items[1].endswith(
        "), thời hạn 14/05/2023, đã quá hạn: Ban Thường vụ Huyện ủy Cư Jút, Ban Thường vụ Huyện ủy Đắk Mil."
    )
    closing = letter.body[-1]
    assert isinstance(closing, Block) and closing.text.endswith(
        "báo cáo kết quả về Ban Tổ chức Tỉnh ủy trước ngày 15/07/2023./."
    )


# --- the pages ---


def letter_url(directive: Directive) -> str:
    return reverse("followup:followup_letter", args=[directive.pk])


def send_url(directive: Directive) -> str:
    return reverse("followup:send_followup", args=[directive.pk])


def test_the_letter_is_downloaded_from_the_follow_up_page_and_records_nothing(quarter, chosen, client_for):
    response = client_for("monitor").post(
        letter_url(quarter.directive),
        {"assignments": [a.pk for a in chosen], "text": "", "new_deadline": NEW_DEADLINE},
    )
    assert response.status_code == 200
    assert (
        response["Content-Disposition"]
        == 'attachment; filename="cong-van-don-doc-1317-cv-tu-2023-06-20.docx"'
    )
    document = docx.Document(BytesIO(response.content))
    header = " | ".join(cell.text for cell in document.tables[0]._cells)
    assert "V/v đôn đốc thực hiện Công văn số 1317-CV/TU" in header and "BAN TỔ CHỨC" in header
    text = "\n".join(paragraph.text for paragraph in document.paragraphs)
    assert "Kính gửi:\t- Ban Thường vụ các huyện ủy: Cư Jút, Đắk Mil;" in text and "- Sở Nội vụ." in text
    assert "trước ngày 15/07/2023./." in text
    assert not ManualFollowUp.objects.exists()


def test_the_page_offers_the_new_deadline_and_the_letter(quarter, client_for):
    page = client_for("monitor").get(send_url(quarter.directive), headers=EN).content.decode()
    assert 'name="new_deadline"' in page and f'formaction="{letter_url(quarter.directive)}"' in page
    assert "Download the follow-up letter (.docx)" in page


def test_a_letter_without_a_new_deadline_is_refused_on_the_page(quarter, chosen, client_for):
    response = client_for("monitor").post(
        letter_url(quarter.directive), {"assignments": [chosen[0].pk], "text": ""}, headers=EN
    )
    assert response.status_code == 400
    assert "Enter the new deadline the letter gives." in response.content.decode()


def test_a_new_deadline_already_passed_is_refused(quarter, chosen, client_for):
    response = client_for("monitor").post(
        letter_url(quarter.directive),
        {"assignments": [chosen[0].pk], "new_deadline": "20/06/2023"},
        headers=EN,
    )
    assert response.status_code == 400
    assert "The new deadline must come after today." in response.content.decode()


def test_sending_with_a_new_deadline_records_the_follow_up_and_offers_the_letter(quarter, chosen, client_for):
    client = client_for("monitor")
    response = client.post(
        send_url(quarter.directive),
        {"assignments": [a.pk for a in chosen], "text": "Đề nghị hoàn thành.", "new_deadline": NEW_DEADLINE},
        headers=EN,
        follow=True,
    )
    assert {record.assignment for record in ManualFollowUp.objects.all()} == set(chosen)
    [message] = list(response.context["messages"])
    assert "Follow-up sent to 3 bodies." in str(message) and 'id="letter-after-sending"' in str(message)
    link = str(message).split('href="')[1].split('"')[0].replace("&amp;", "&")
    letter = client.get(link)
    assert letter.status_code == 200 and letter["Content-Type"].startswith("application/vnd.openxmlformats")
    text = "\n".join(paragraph.text for paragraph in docx.Document(BytesIO(letter.content)).paragraphs)
    assert "Sở Nội vụ" in text and "trước ngày 15/07/2023" in text


def test_sending_without_a_new_deadline_is_as_before(quarter, chosen, client_for):
    response = client_for("monitor").post(
        send_url(quarter.directive),
        {"assignments": [chosen[0].pk], "text": "Đề nghị hoàn thành."},
        headers=EN,
    )
    assert response.status_code == 302 and ManualFollowUp.objects.count() == 1


def test_the_dashboards_body_filter_has_its_late_assignments_chosen(quarter, client_for):
    def picked(query: str) -> set[tuple[str, str]]:
        initial = client_for("monitor").get(f"{send_url(quarter.directive)}?{query}").context["form"]
        chosen = Assignment.objects.filter(pk__in=initial["assignments"].initial)
        return {(a.organization.code, a.task.label) for a in chosen.select_related("task", "organization")}

    cu_jut, dak_mil = (Organization.objects.get(code=code).pk for code in ("CJU.BTV", "DMI.BTV"))
    # Cư Jút finished task 1 on time: only task 9 is late; Đắk Mil is late on both
    assert picked(f"body={cu_jut}") == {("CJU.BTV", "9")}
    assert picked(f"body={dak_mil}") == {("DMI.BTV", "1"), ("DMI.BTV", "9")}


def test_the_dashboard_counts_a_directives_late_bodies_and_their_assignments_only_when_they_differ(
    quarter, client_for
):
    client = client_for("monitor")
    cu_jut, dak_mil = (Organization.objects.get(code=code).pk for code in ("CJU.BTV", "DMI.BTV"))

    def said(body: int) -> str:
        page = client.get(reverse("followup:dashboard"), {"body": body}, headers=EN).content.decode()
        found = re.search(r"<li data-directive=\"\d+\">[^:]*: ([^\n<]*)", page)
        assert found is not None
        return found.group(1).strip()

    assert said(cu_jut) == "1 body overdue"
    assert said(dak_mil) == "1 body overdue on 2 assignments"


def test_filters_the_dashboard_could_not_have_written_choose_every_late_body_and_say_so(quarter, client_for):
    client = client_for("monitor")
    every = client.get(send_url(quarter.directive)).context["form"]["assignments"].initial
    response = client.get(f"{send_url(quarter.directive)}?level=galaxy", headers=EN)
    assert response.status_code == 200
    assert response.context["form"]["assignments"].initial == every
    assert "filters in the address were not understood" in response.content.decode()


def test_the_dashboard_leads_the_monitor_to_the_late_bodies_of_each_directive(quarter, client_for):
    """Unfiltered, the late bodies are all the directive's: the link names none (the whole country's thousands
    would not fit in an address) and the follow-up page chooses the same overdue assignments itself."""
    client = client_for("monitor")
    response = client.get(reverse("followup:dashboard"), headers=EN)
    [late] = response.context["late_directives"]
    seen = assignments_for(quarter.scope).filter(task__directive=quarter.directive)
    overdue = with_status(seen, today=TODAY).filter(Q(status=Status.OVERDUE))
    assert late.directive_id == quarter.directive.pk
    assert set(late.organization_ids) == set(overdue.values_list("organization_id", flat=True))
    assert late.overdue == overdue.count()
    page = response.content.decode()
    assert (
        f'href="{send_url(quarter.directive)}"' in page
        and f'href="{send_url(quarter.directive)}?' not in page
    )
    assert 'id="late-not-shown"' not in page
    initial = client.get(send_url(quarter.directive)).context["form"]["assignments"].initial
    assert set(initial) == set(overdue.values_list("pk", flat=True))


def test_a_filtered_dashboard_passes_its_filter_to_choose_the_late_bodies_it_counted(quarter, client_for):
    """Filtered by level, the link carries the level, not the bodies (a whole country's communes would not
    fit in an address), and the follow-up page chooses the late assignments of the bodies counted."""
    client = client_for("monitor")
    response = client.get(reverse("followup:dashboard"), {"level": "district"}, headers=EN)
    [late] = response.context["late_directives"]
    assert late.organization_ids and set(
        Organization.objects.filter(pk__in=late.organization_ids).values_list("level", flat=True)
    ) == {"district"}
    page = response.content.decode()
    link = f"{send_url(quarter.directive)}?level=district"
    assert f'href="{link}"' in page
    followed = client.get(link, headers=EN)
    assert "As the dashboard chose them: Level of the body: district." in followed.content.decode()
    initial = followed.context["form"]["assignments"].initial
    chosen = Assignment.objects.filter(pk__in=initial)
    assert set(chosen.values_list("organization_id", flat=True)) == set(late.organization_ids)
    assert len(initial) == late.overdue


@pytest.mark.parametrize("button", ["send", "letter"])
def test_a_choice_sent_back_with_an_error_keeps_the_dashboards_filter(quarter, client_for, button):
    """The form is sent with the dashboard's filter in its address: sent back (here, a new deadline in the
    past), the page still names the filter and counts the same late bodies, and sends it again."""
    client = client_for("monitor")
    followed = client.get(f"{send_url(quarter.directive)}?level=district", headers=EN)
    page = followed.content.decode()
    assert f'action="{send_url(quarter.directive)}?level=district"' in page
    assert f'formaction="{letter_url(quarter.directive)}?level=district"' in page
    summary = re.search(r'<p class="muted" id="late-summary">(.*?)</p>', page)
    assert summary is not None
    target = send_url(quarter.directive) if button == "send" else letter_url(quarter.directive)
    initial = followed.context["form"]["assignments"].initial
    response = client.post(
        f"{target}?level=district",
        {"assignments": initial, "text": "Đề nghị báo cáo.", "new_deadline": "01/01/2023"},
        headers=EN,
    )
    assert response.status_code == (200 if button == "send" else 400)
    again = response.content.decode()
    assert "The new deadline must come after today." in again
    assert "As the dashboard chose them: Level of the body: district." in again
    assert summary.group(0) in again
    assert f'action="{send_url(quarter.directive)}?level=district"' in again
    assert not ManualFollowUp.objects.exists()


def test_the_dashboard_lists_the_directives_most_late_first_up_to_a_limit(quarter, client_for, monkeypatch):
    monkeypatch.setattr(dashboard_selectors, "LATE_SHOWN", 0)
    response = client_for("monitor").get(reverse("followup:dashboard"), headers=EN)
    assert response.context["late_directives"] == () and response.context["late_not_shown"] == 1
    page = response.content.decode()
    assert "And 1 more directive with bodies overdue" in page
    assert f'href="{reverse("directives:inbox")}?status=overdue"' in page


def test_a_reader_is_not_led_to_send_follow_ups(quarter, client_for):
    response = client_for("reader").get(reverse("followup:dashboard"), headers=EN)
    assert (
        response.context["late_directives"] == () and 'id="late-directives"' not in response.content.decode()
    )


def test_an_administrator_without_a_body_is_told_the_letter_is_a_bodys(quarter, chosen, client_for):
    response = client_for("admin").post(
        letter_url(quarter.directive),
        {"assignments": [chosen[0].pk], "new_deadline": NEW_DEADLINE},
        headers=EN,
    )
    assert response.status_code == 400
    assert "The letter is issued by your own body" in response.content.decode()


def test_a_unit_cannot_write_a_follow_up_letter(quarter, chosen, client_for):
    response = client_for("reporter").post(
        letter_url(quarter.directive), {"assignments": [chosen[0].pk], "new_deadline": NEW_DEADLINE}
    )
    assert response.status_code == 403


def test_the_letters_address_opened_without_a_choice_leads_to_the_send_page(client_for, published):
    response = client_for("monitor").get(f"/followup/directives/{published.pk}/followup/letter/")
    assert response.status_code == 302
    assert response["Location"] == f"/followup/directives/{published.pk}/followup/"
