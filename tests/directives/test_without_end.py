"""Whether an assignment's task has no end date, kept on the assignment by the database (migration 0023),
against status.WITHOUT_END, after each way a task or an assignment can be written: a create, bulk_create, a
task's kind changed by a save or a queryset update, an assignment moved to another task, a full save of an
assignment read before its task changed, and a stale value written on purpose."""

from __future__ import annotations

import importlib
from datetime import date

import pytest
from django.db import connection

from dondoc.directives.models import Assignment, AssignmentRole, Directive, DirectiveState, Task
from dondoc.directives.status import WITHOUT_END
from dondoc.parsing.model import DeadlineKind
from dondoc.registry.models import Level, Organization, OrganizationKind

pytestmark = pytest.mark.django_db(transaction=True)


def kept() -> dict[int, bool]:
    return dict(Assignment.objects.values_list("id", "without_end"))


def expected() -> dict[int, bool]:
    return {
        pk: DeadlineKind(kind) in WITHOUT_END
        for pk, kind in Assignment.objects.values_list("id", "task__deadline_kind")
    }


@pytest.fixture
def bodies() -> list[Organization]:
    return [
        Organization.objects.create(code=code, name=code, kind=OrganizationKind.OTHER, level=Level.PROVINCE)
        for code in ("A", "B", "C")
    ]


@pytest.fixture
def tasks() -> dict[DeadlineKind, Task]:
    """One task of each kind of deadline, in one directive."""
    directive = Directive.objects.create(
        issuer_text="TỈNH ỦY A",
        number="1-KH/TU",
        issued_on=date(2025, 1, 2),
        source_text="…",
        duplicate_key="without-end",
        state=DirectiveState.PUBLISHED,
    )
    return {
        kind: Task.objects.create(directive=directive, position=position, text=kind.value, deadline_kind=kind)
        for position, kind in enumerate(DeadlineKind)
    }


def test_the_migration_names_the_kinds_the_rule_does():
    """The triggers' list of kinds is written into the migration: it must stay the rule's."""
    migration = importlib.import_module("dondoc.directives.migrations.0023_assignment_without_end")
    named = {kind.strip(" '") for kind in migration.KINDS.strip("()").split(",")}
    assert named == {kind.value for kind in WITHOUT_END}


def test_created_and_bulk_created_assignments_carry_their_tasks_kind(tasks, bodies):
    first, second, _third = bodies
    for task in tasks.values():
        Assignment.objects.create(task=task, organization=first, role=AssignmentRole.LEAD)
    Assignment.objects.bulk_create(
        Assignment(task=task, organization=second, role=AssignmentRole.LEAD) for task in tasks.values()
    )
    assert kept() == expected()
    assert sum(kept().values()) == 2 * len(WITHOUT_END)  # can fail: not every kind is without an end


def test_a_tasks_new_kind_reaches_its_assignments(tasks, bodies):
    by_date, ongoing = tasks[DeadlineKind.BY_DATE], tasks[DeadlineKind.ONGOING]
    for body in bodies:
        Assignment.objects.create(task=by_date, organization=body, role=AssignmentRole.LEAD)
        Assignment.objects.create(task=ongoing, organization=body, role=AssignmentRole.LEAD)
    by_date.deadline_kind = DeadlineKind.RECURRING
    by_date.save()
    assert kept() == expected()
    assert set(Assignment.objects.filter(task=by_date).values_list("without_end", flat=True)) == {True}
    Task.objects.filter(pk=ongoing.pk).update(deadline_kind=DeadlineKind.RELATIVE)
    assert kept() == expected()
    assert set(Assignment.objects.filter(task=ongoing).values_list("without_end", flat=True)) == {False}


def test_an_assignment_moved_to_another_task_or_saved_stale_is_computed_again(tasks, bodies):
    by_date, ongoing = tasks[DeadlineKind.BY_DATE], tasks[DeadlineKind.ONGOING]
    assignment = Assignment.objects.create(task=by_date, organization=bodies[0], role=AssignmentRole.LEAD)
    Assignment.objects.filter(pk=assignment.pk).update(task=ongoing)
    assert kept() == {assignment.pk: True}

    stale = Assignment.objects.get(pk=assignment.pk)  # read while its task has no end
    Task.objects.filter(pk=ongoing.pk).update(deadline_kind=DeadlineKind.BY_DATE)
    assert kept() == {assignment.pk: False}
    stale.role = AssignmentRole.COORDINATING
    stale.save()  # writes without_end=True back, from before
    assert kept() == {assignment.pk: False}

    Assignment.objects.filter(pk=assignment.pk).update(without_end=True)
    assert kept() == {assignment.pk: False}


def test_the_triggers_are_in_the_database():
    """A migration that rebuilds one of these tables on SQLite drops its triggers: it must make them again."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE '%without_end%'"
            )
        else:
            cursor.execute(
                "SELECT DISTINCT tgname FROM pg_trigger "
                "WHERE NOT tgisinternal AND tgname LIKE '%without_end%'"
            )
        names = {row[0] for row in cursor.fetchall()}
    if connection.vendor == "sqlite":
        assert names == {
            "assignment_without_end_inserted",
            "assignment_without_end_updated",
            "assignment_without_end_of_task",
        }
    else:
        assert names == {"assignment_without_end", "assignment_without_end_of_task"}
