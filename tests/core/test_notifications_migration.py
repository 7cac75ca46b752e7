"""The notices' move from directives to core (directives 0006 and 0007) keeps every one: migrated back to
before it, the notices are the directives app's again (a notice about an assignment naming its directive too);
a notice written there the old way, then every one, comes back to core with its id, addressee, text, times and
what it is about, and new ones are numbered after them."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.state import StateApps

from dondoc.core.models import Notification
from dondoc.core.notifications import mark_read, notify
from dondoc.directives.models import Assignment, Directive

BEFORE = ("directives", "0005_deadline_kind_labels")
LONG_AGO = datetime(2023, 5, 2, 8, 30, tzinfo=UTC)


def migrate_to(targets: list[tuple[str, str | None]]) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()  # what is applied now
    return executor


def state_before(executor: MigrationExecutor) -> StateApps:
    # followup's migrations build on directives' later ones: unapplied with them, left out of the old state
    moved = ("directives", "core", "followup")
    nodes = [node for node in executor.loader.graph.leaf_nodes() if node[0] not in moved]
    return executor.loader.project_state([*nodes, BEFORE]).apps


def everything(executor: MigrationExecutor) -> None:
    executor.migrate(executor.loader.graph.leaf_nodes())


def as_rows() -> set[tuple[object, ...]]:
    return set(
        Notification.objects.values_list(
            "id", "organization_id", "user_id", "text", "target_type", "target_id", "created_at", "read_at"
        )
    )


@pytest.mark.django_db(transaction=True)
def test_the_notices_move_to_core_and_back_and_keep_everything(published, users):
    task_9 = Assignment.objects.get(task__directive=published, task__label="9", organization__code="CJU.BTV")
    notify(text="Báo cáo đã gửi", users=[users["monitor"].pk], target=task_9)
    notify(text="Không về gì cả", users=[users["reporter"].pk])
    mark_read(notifications=Notification.objects.filter(organization__code="CJU.BTV"))
    kept = as_rows()
    assert len(kept) > 3

    executor = migrate_to([BEFORE, ("core", None)])
    try:
        old_apps = state_before(executor)
        old = old_apps.get_model("directives", "Notification")
        back = {
            row[0]: row
            for row in old.objects.values_list(
                "id",
                "organization_id",
                "user_id",
                "text",
                "directive_id",
                "assignment_id",
                "created_at",
                "read_at",
            )
        }
        assert set(back) == {row[0] for row in kept}
        for pk, organization_id, user_id, text, _kind, _target, created_at, read_at in kept:
            assert back[pk][1:4] == (organization_id, user_id, text)
            assert back[pk][6:] == (created_at, read_at)
        about_task_9 = [row for row in back.values() if row[3] == "Báo cáo đã gửi"]
        assert [row[4:6] for row in about_task_9] == [(published.pk, task_9.pk)]
        assert {row[4:6] for row in back.values() if row[3].startswith("Văn bản")} == {(published.pk, None)}
        assert [row[4:6] for row in back.values() if row[3] == "Không về gì cả"] == [(None, None)]
        written = old.objects.create(
            organization_id=task_9.organization_id,
            text="Báo cáo bị trả lại",
            directive_id=published.pk,
            assignment_id=task_9.pk,
        )
        old.objects.filter(pk=written.pk).update(created_at=LONG_AGO)
    finally:
        everything(executor)

    moved = as_rows()
    assert moved - kept == {
        (
            written.pk,
            task_9.organization_id,
            None,
            "Báo cáo bị trả lại",
            Notification.objects.get(pk=written.pk).target_type_id,
            task_9.pk,
            LONG_AGO,
            None,
        )
    }
    assert kept <= moved
    assert Notification.objects.get(pk=written.pk).target == task_9
    assert {n.target for n in Notification.objects.filter(text__startswith="Văn bản")} == {
        Directive.objects.get(pk=published.pk)
    }
    (new,) = notify(text="Sau khi chuyển", organizations=[task_9.organization_id])
    assert new.pk > max(row[0] for row in moved)
