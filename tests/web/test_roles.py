"""A person with two posts (the district Party secretary who also chairs its People's Council) chooses the
role they act in; the frame names it, and every page follows it."""

import pytest
from django.urls import reverse

from dondoc.accounts.models import Membership, Role
from dondoc.accounts.services import add_membership
from dondoc.directives.models import Assignment
from dondoc.registry.models import Organization


@pytest.fixture
def council(users, published) -> Membership:
    return add_membership(
        user=users["leader"], role=Role.UNIT_LEADER, organization=Organization.objects.get(code="CJU.HDND")
    )


def test_the_frame_offers_the_roles_of_a_person_with_two_posts(client_for, council):
    page = client_for("leader").get(reverse("directives:inbox")).content.decode()
    assert 'name="membership"' in page
    assert "Ban Thường vụ Huyện ủy Cư Jút" in page and "Hội đồng nhân dân huyện Cư Jút" in page


def test_a_person_with_one_post_is_offered_no_choice(client_for, published):
    page = client_for("reporter").get(reverse("directives:inbox")).content.decode()
    assert 'name="membership"' not in page and "Ban Thường vụ Huyện ủy Cư Jút" in page


def test_switching_role_changes_what_the_pages_show(client_for, council):
    client = client_for("leader")
    mine = Assignment.objects.filter(organization__code="CJU.BTV").first()
    assert (
        mine is not None and client.get(reverse("directives:assignment", args=[mine.pk])).status_code == 200
    )
    response = client.post(reverse("accounts:choose_role"), {"membership": council.pk})
    assert response.status_code == 302 and response["Location"] == reverse("home")
    assert client.get(reverse("directives:assignment", args=[mine.pk])).status_code == 404
    page = client.get(reverse("directives:inbox")).content.decode()
    assert f'<option value="{council.pk}" selected>' in page


def test_another_persons_role_cannot_be_chosen(client_for, users, council):
    others = Membership.objects.get(user=users["monitor"])
    client = client_for("leader")
    assert client.post(reverse("accounts:choose_role"), {"membership": others.pk}).status_code == 403
    assert client.post(reverse("accounts:choose_role"), {"membership": "x"}).status_code == 403
    page = client.get(reverse("directives:inbox")).content.decode()
    assert (
        "Ban Tổ chức Tỉnh ủy" not in page.split("<main", 1)[0]
    )  # the frame still names the leader's own body
