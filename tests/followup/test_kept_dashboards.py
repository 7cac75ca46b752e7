"""The overall dashboard's figures kept ahead of its readers (followup.services.dashboards): a territory's
dashboard is computed once and shown, with the moment it was computed, until it is of another day or older
than KEPT_FOR; a user may have it computed now; the refresher recomputes those read lately and forgets the
others; a body's own dashboard is always computed on its page. Kept figures equal those computed live.

The seed letter on 20/6/2023 (tests.followup.test_dashboard's spread): confirming the report a third body sent
on task 1 (sent by the deadline) turns one overdue assignment into one done on time."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from io import BytesIO, StringIO

from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook
from tests.followup.test_dashboard import EN, Q2, TODAY, spread  # noqa: F401  (the fixture)

from dondoc.accounts.models import Role
from dondoc.accounts.scope import build_scope
from dondoc.accounts.services import create_member
from dondoc.directives.access import assignments_for
from dondoc.directives.models import ProgressReport
from dondoc.directives.services import confirm_report
from dondoc.followup.forms.dashboard import period_code
from dondoc.followup.models import KeptDashboard
from dondoc.followup.selectors.dashboard import (
    LATE_SHOWN,
    NONE_LATE,
    DashboardFilters,
    late_by_directive,
    overview,
)
from dondoc.followup.services.dashboards import (
    FORGOTTEN_AFTER,
    KEPT_FOR,
    READ_RECENTLY,
    REFRESH_EVERY,
    dashboard_figures,
    refresh_dashboards,
)
from dondoc.registry.models import Jurisdiction

NOW = datetime(2023, 6, 20, 3, 0, tzinfo=UTC)  # 10:00 in Hà Nội


def _scope(user):
    scope = build_scope(user=user)
    assert scope is not None
    return scope


def _confirm_the_third_bodys_report(spread) -> None:  # noqa: F811
    report = ProgressReport.objects.get(assignment=spread.sent_not_confirmed)
    confirm_report(report=report, on=TODAY)


def _figures(user, *, now=NOW, today=TODAY, filters=None, recompute=False):
    return dashboard_figures(
        _scope(user), today=today, now=now, filters=filters or DashboardFilters(), recompute=recompute
    )


# --- kept, and shown until old ---


def test_a_territorys_figures_are_kept_and_equal_those_computed_live(spread, users):  # noqa: F811
    for name in ("monitor", "reader", "admin"):
        scope = _scope(users[name])
        computed = _figures(users[name])
        assert computed.computed_at == NOW
        kept = _figures(users[name], now=NOW + timedelta(minutes=1))
        assert kept.computed_at == NOW  # read back, not computed again
        visible = assignments_for(scope)
        assert kept.overview == overview(assignments=visible, today=TODAY, filters=DashboardFilters())
        expected_late = (
            late_by_directive(assignments=visible, today=TODAY, filters=DashboardFilters())
            if scope.manages
            else NONE_LATE
        )
        assert kept.late == expected_late
    assert (
        KeptDashboard.objects.count() == 3
    )  # the monitor, the reader (no letters to send), the administrator
    assert set(KeptDashboard.objects.values_list("key", flat=True)) == {
        f"territory-{Jurisdiction.objects.get(code='DNO').pk}|manages|||||",
        f"territory-{Jurisdiction.objects.get(code='DNO').pk}|reads|||||",
        "all|manages|||||",
    }


def test_figures_kept_before_the_late_list_was_cut_are_read_cut(spread, users):  # noqa: F811
    """Kept before the dashboard listed at most LATE_SHOWN directives: every one of them, and no total."""
    computed = _figures(users["monitor"])
    assert computed.late.total == len(computed.late.shown) >= 1
    kept = KeptDashboard.objects.get()
    every = kept.figures["late"] * (LATE_SHOWN + 5)
    kept.figures = {name: value for name, value in kept.figures.items() if name != "late_total"} | {
        "late": every
    }
    kept.save()
    read = _figures(users["monitor"], now=NOW + timedelta(minutes=1))
    assert read.computed_at == NOW
    assert len(read.late.shown) == LATE_SHOWN and read.late.total == len(every)


def test_kept_figures_stay_until_older_than_kept_for_or_of_another_day(spread, users):  # noqa: F811
    monitor = users["monitor"]
    before = _figures(monitor).overview.counts
    _confirm_the_third_bodys_report(spread)
    almost = _figures(monitor, now=NOW + KEPT_FOR - timedelta(seconds=1))
    assert almost.overview.counts == before and almost.computed_at == NOW
    old = _figures(monitor, now=NOW + KEPT_FOR)
    assert old.computed_at == NOW + KEPT_FOR
    assert (old.overview.counts.done_on_time, old.overview.counts.overdue) == (
        before.done_on_time + 1,
        before.overdue - 1,
    )
    tomorrow = _figures(monitor, now=NOW + KEPT_FOR + timedelta(minutes=1), today=TODAY + timedelta(days=1))
    assert tomorrow.computed_at == NOW + KEPT_FOR + timedelta(minutes=1)
    assert KeptDashboard.objects.get().as_of == TODAY + timedelta(days=1)


def test_asked_to_recompute_the_figures_are_computed_now(spread, users):  # noqa: F811
    monitor = users["monitor"]
    before = _figures(monitor).overview.counts
    _confirm_the_third_bodys_report(spread)
    now = _figures(monitor, now=NOW + timedelta(minutes=2), recompute=True)
    assert now.computed_at == NOW + timedelta(minutes=2)
    assert now.overview.counts.done_on_time == before.done_on_time + 1
    assert _figures(monitor, now=NOW + timedelta(minutes=3)).overview == now.overview


def test_users_of_one_territory_and_role_share_one_kept_dashboard(spread, users):  # noqa: F811
    second = create_member(
        username="second_monitor",
        password="mat-khau-thu-nghiem",
        role=Role.MONITOR,
        jurisdiction=Jurisdiction.objects.get(code="DNO"),
    )
    _figures(users["monitor"])
    assert _figures(second, now=NOW + timedelta(minutes=1)).computed_at == NOW
    assert KeptDashboard.objects.count() == 1


def test_a_bodys_users_have_their_figures_computed_on_each_page(spread, users):  # noqa: F811
    assert _figures(users["reporter"]).computed_at is None
    assert _figures(users["leader"]).computed_at is None
    assert not KeptDashboard.objects.exists()


def test_each_choice_of_filters_is_kept_apart(spread, users):  # noqa: F811
    monitor = users["monitor"]
    everything = _figures(monitor)
    in_q2 = _figures(monitor, filters=DashboardFilters(period=Q2))
    assert in_q2.overview != everything.overview
    assert in_q2.overview.standing_on == Q2.end
    assert KeptDashboard.objects.count() == 2
    assert _figures(monitor, filters=DashboardFilters(period=Q2), now=NOW + timedelta(minutes=1)) == in_q2


def test_reading_notes_the_hour_not_every_page(spread, users):  # noqa: F811
    monitor = users["monitor"]
    _figures(monitor)
    _figures(monitor, now=NOW + timedelta(minutes=20))
    assert KeptDashboard.objects.get().read_at == NOW
    # computed again after KEPT_FOR, read two hours later: both noted
    _figures(monitor, now=NOW + timedelta(hours=2))
    assert KeptDashboard.objects.get().read_at == NOW + timedelta(hours=2)


# --- the refresher ---


def test_the_refresher_recomputes_the_dashboards_read_lately_once_older_than_refresh_every(
    spread,  # noqa: F811
    users,
):
    monitor, reader = users["monitor"], users["reader"]
    _figures(monitor)
    _figures(reader, filters=DashboardFilters(period=Q2))
    _confirm_the_third_bodys_report(spread)
    assert refresh_dashboards(today=TODAY, now=NOW + REFRESH_EVERY - timedelta(seconds=1)) == 0
    later = NOW + REFRESH_EVERY
    assert refresh_dashboards(today=TODAY, now=later) == 2
    for kept in KeptDashboard.objects.all():
        assert kept.computed_at == later
    # the page now reads what the refresher computed, which counts the confirmation, in the reader's filters
    shown = _figures(reader, filters=DashboardFilters(period=Q2), now=later + timedelta(minutes=1))
    assert shown.computed_at == later
    live = overview(
        assignments=assignments_for(_scope(reader)), today=TODAY, filters=DashboardFilters(period=Q2)
    )
    assert shown.overview == live


def test_the_refresher_moves_the_kept_figures_to_a_new_day(spread, users):  # noqa: F811
    _figures(users["monitor"])
    tomorrow = TODAY + timedelta(days=1)
    assert refresh_dashboards(today=tomorrow, now=NOW + timedelta(minutes=1)) == 1
    assert KeptDashboard.objects.get().as_of == tomorrow


def test_the_refresher_leaves_the_unread_and_forgets_the_long_unread(spread, users):  # noqa: F811
    _figures(users["monitor"])
    assert refresh_dashboards(today=TODAY, now=NOW + READ_RECENTLY + timedelta(seconds=1)) == 0
    assert KeptDashboard.objects.get().computed_at == NOW
    refresh_dashboards(today=TODAY, now=NOW + FORGOTTEN_AFTER + timedelta(seconds=1))
    assert not KeptDashboard.objects.exists()


def test_the_refresher_forgets_a_dashboard_whose_user_has_another_role_now(spread, users):  # noqa: F811
    monitor = users["monitor"]
    _figures(monitor)
    membership = monitor.memberships.get()
    membership.role = Role.READER
    membership.save()
    assert refresh_dashboards(today=TODAY, now=NOW + REFRESH_EVERY) == 0
    assert not KeptDashboard.objects.exists()


def test_the_refresh_command_says_how_many_it_recomputed(spread, users, settings):  # noqa: F811
    dashboard_figures(
        _scope(users["monitor"]),
        today=TODAY,
        now=datetime.now(UTC) - REFRESH_EVERY - timedelta(minutes=1),
        filters=DashboardFilters(),
    )
    out = StringIO()
    with translation.override("en"):
        call_command("refresh_dashboards", stdout=out)
    assert out.getvalue().startswith("1 dashboards recomputed in ")
    assert KeptDashboard.objects.get().computed_at > datetime.now(UTC) - timedelta(minutes=1)


# --- the page ---


def _overdue_shown(response) -> int:
    return response.context["counts"].overdue


def test_the_page_states_when_its_figures_were_computed_and_computes_them_on_request(
    spread,  # noqa: F811
    client_for,
):
    client = client_for("monitor")
    url = reverse("followup:dashboard")
    with translation.override("en"):
        first = client.get(url, headers=EN)
        html = first.content.decode()
        assert 'id="figures-kept"' in html and 'id="compute-now"' in html
        computed_at = first.context["computed_at"]
        assert f"Computed at {computed_at.astimezone(UTC) + timedelta(hours=7):%H:%M on %d/%m/%Y}" in html
        assert "and again every 10 minutes while the dashboard is read." in html
        overdue = _overdue_shown(first)
        _confirm_the_third_bodys_report(spread)
        assert _overdue_shown(client.get(url, headers=EN)) == overdue  # kept: as stated
        posted = client.post(f"{url}?period=", headers=EN)
        assert posted.status_code == 302 and posted["Location"] == f"{url}?period="
        after = client.get(posted["Location"], headers=EN)
        assert _overdue_shown(after) == overdue - 1
        assert after.context["computed_at"] >= computed_at


def test_a_units_page_computes_its_figures_and_offers_no_recompute(spread, client_for):  # noqa: F811
    html = client_for("reporter").get(reverse("followup:dashboard"), headers=EN).content.decode()
    assert 'id="figures-as-of"' in html and 'id="figures-kept"' not in html


def test_the_workbook_says_when_its_figures_were_computed(spread, client_for):  # noqa: F811
    client = client_for("monitor")
    with translation.override("en"):
        page = client.get(reverse("followup:dashboard"), headers=EN)
        workbook = client.get(reverse("followup:dashboard"), {"format": "xlsx"}, headers=EN)
    rows = {
        row[0]: row[1]
        for row in load_workbook(BytesIO(workbook.content))["Filters"].iter_rows(values_only=True)
    }
    computed_at = page.context["computed_at"].astimezone(UTC) + timedelta(hours=7)
    assert rows["Computed at"] == f"{computed_at:%H:%M %d/%m/%Y}"


def test_kept_dashboards_are_forgotten_with_their_membership(spread, users):  # noqa: F811
    _figures(users["monitor"])
    users["monitor"].memberships.all().delete()
    kept = KeptDashboard.objects.get()
    assert kept.membership is None
    assert refresh_dashboards(today=TODAY, now=NOW + REFRESH_EVERY) == 0
    assert not KeptDashboard.objects.exists()


def test_a_page_of_a_new_day_computes_again(spread, client_for, settings):  # noqa: F811
    client = client_for("monitor")
    first = client.get(reverse("followup:dashboard")).context["computed_at"]
    settings.DONDOC_TODAY = date(2023, 6, 21)
    second = client.get(reverse("followup:dashboard"))
    assert second.context["computed_at"] >= first
    assert KeptDashboard.objects.get().as_of == date(2023, 6, 21)


def test_a_kept_dashboard_is_shown_without_asking_what_the_scope_sees(spread, client_for):  # noqa: F811
    client, url = client_for("monitor"), reverse("followup:dashboard")
    client.get(url)  # computed and kept
    for params in ({}, {"period": period_code(Q2)}):
        client.get(url, params)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url, params).context["computed_at"] is not None
        asked = " ".join(query["sql"] for query in queries.captured_queries)
        assert "directives_assignment" not in asked and "WITH RECURSIVE" not in asked
    # a body chosen is checked against those the monitor sees
    chosen = client.get(url, {"body": spread.on_time.organization_id})
    assert chosen.status_code == 200 and chosen.context["figures"].counts.total
