"""core.history: the change log reads whatever the apps register (the directives app its records, the
registry its bodies), in the order the filter always listed them, each record described as its app says."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from dondoc.core import history
from dondoc.core.history import change_log, history_kinds, object_changes, register_history_source
from dondoc.directives import selectors
from dondoc.directives.models import Directive
from dondoc.registry.models import (
    Jurisdiction,
    JurisdictionKind,
    Level,
    Organization,
    OrganizationKind,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def sources(monkeypatch: pytest.MonkeyPatch) -> dict[str, history.HistorySource]:
    """The registered sources, restored after the test."""
    copy = dict(history._SOURCES)
    monkeypatch.setattr(history, "_SOURCES", copy)
    return copy


def test_the_apps_register_their_kinds_in_the_order_the_filter_lists_them():
    assert list(history_kinds()) == [
        "directive",
        "task",
        "assignment",
        "progressreport",
        "deadlineextension",
        "attachment",
        "citation",
        "tasklink",
        "organization",
        "reorganization",
        "post",
        "appointment",
        "function",
        "jobposition",
        "staffingquota",
        "overlapdecision",
    ]
    assert history_kinds()["directive"] is Directive and history_kinds()["organization"] is Organization
    assert selectors.history_kinds is history_kinds and selectors.change_log is change_log


def test_a_kind_names_one_model(sources):
    register_history_source(kind="organization", model=Organization, describe=str)  # ready() twice: fine
    assert sources["organization"].describe is str
    with pytest.raises(ImproperlyConfigured):
        register_history_source(kind="organization", model=Jurisdiction, describe=str)


def territory(code: str) -> Jurisdiction:
    return Jurisdiction.objects.create(
        name=f"Huyện {code}", kind=JurisdictionKind.DISTRICT, level=Level.DISTRICT, code=code
    )


def test_a_registered_kind_is_logged_and_names_the_records_it_is_pointed_at(sources):
    register_history_source(
        kind="jurisdiction", model=Jurisdiction, describe=lambda record: f"địa bàn {record.code}"
    )
    assert list(history_kinds())[-2:] == ["overlapdecision", "jurisdiction"]  # the registry's, as registered
    before, after = territory("CJU"), territory("DSO")
    body = Organization.objects.create(
        name="Ban Thường vụ",
        code="X.BTV",
        kind=OrganizationKind.STANDING_BOARD,
        level=Level.DISTRICT,
        jurisdiction=before,
    )
    body.jurisdiction = after
    body.save()

    entries, total = change_log(kinds=["organization", "jurisdiction"])
    assert total == 4
    assert [(entry.kind, entry.object_label) for entry in entries] == [
        ("organization", "Ban Thường vụ"),
        ("organization", "Ban Thường vụ"),
        ("jurisdiction", "địa bàn DSO"),
        ("jurisdiction", "địa bàn CJU"),
    ]
    (moved,) = entries[0].changes
    assert (moved.name, moved.old, moved.new) == ("jurisdiction", "địa bàn CJU", "địa bàn DSO")


def test_a_record_s_first_entry_lists_its_values_but_not_its_long_texts(draft):
    entries, total = object_changes(kind="directive", object_id=draft.pk)
    assert total == 1 and entries[0].action == "+"
    shown = {change.name: change.new for change in entries[0].changes}
    assert shown["number"] == draft.number and shown["source_text"] == "…"
