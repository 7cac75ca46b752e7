"""Whether each directive has an assignment, as the database keeps it (migration 0018), against the
assignments counted, after each way they can be written: a create, bulk_create, a delete one by one or by a
queryset, an assignment moved to another directive's task, a task moved to another directive, a full save
of a directive read before its assignments were made, an update of the flag itself; and the seed letter
published through the service."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection

from dondoc.directives.models import Assignment, AssignmentRole, Directive, DirectiveState, Task
from dondoc.registry.models import Level, Organization, OrganizationKind

pytestmark = pytest.mark.django_db


def a_directive(number: str) -> Directive:
    return Directive.objects.create(
        issuer_text="TỈNH ỦY",
        number=number,
        issued_on=date(2025, 3, 1),
        source_text="…",
        duplicate_key=number,
        state=DirectiveState.PUBLISHED,
    )


def kept() -> dict[int, bool]:
    return dict(Directive.objects.values_list("id", "has_assignments"))


def counted() -> dict[int, bool]:
    return {
        pk: Assignment.objects.filter(task__directive_id=pk).exists()
        for pk in Directive.objects.values_list("id", flat=True)
    }


def test_the_triggers_are_in_the_database():
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'directive_assigned_%'"
            )
        else:
            cursor.execute(
                "SELECT DISTINCT tgname FROM pg_trigger WHERE NOT tgisinternal "
                "AND (tgname LIKE 'directive_assigned_%' OR tgname = 'directive_has_assignments')"
            )
        names = {row[0] for row in cursor.fetchall()}
    common = {f"directive_assigned_{name}" for name in ("inserted", "deleted", "moved", "task_moved")}
    own = "directive_assigned_written" if connection.vendor == "sqlite" else "directive_has_assignments"
    assert names == common | {own}


def test_the_flag_follows_every_write_of_the_assignments_and_tasks():
    first, second = a_directive("1-KH/TU"), a_directive("2-KH/TU")
    stale = Directive.objects.get(pk=first.pk)  # read before any assignment
    tasks = Task.objects.bulk_create(
        Task(directive=directive, position=position, text=f"Việc {position}", deadline_kind="none")
        for directive in (first, second)
        for position in (0, 1)
    )
    bodies = [
        Organization.objects.create(
            name=f"Cơ quan {n}", code=f"CQ.{n}", kind=OrganizationKind.OTHER, level=Level.PROVINCE
        )
        for n in range(3)
    ]
    assert kept() == counted() == {first.pk: False, second.pk: False}

    one = Assignment.objects.create(task=tasks[0], organization=bodies[0], role=AssignmentRole.LEAD)
    assert kept() == counted() == {first.pk: True, second.pk: False}
    stale.subject = "Sửa trích yếu"
    stale.save()  # writes has_assignments=False, read before
    assert kept()[first.pk] is True
    Directive.objects.filter(pk=first.pk).update(has_assignments=False)  # a statement's write is checked
    Directive.objects.filter(pk=second.pk).update(has_assignments=True)
    assert kept() == counted() == {first.pk: True, second.pk: False}

    Assignment.objects.bulk_create(
        Assignment(task=tasks[2], organization=body, role=AssignmentRole.COORDINATING) for body in bodies
    )
    assert kept() == counted() == {first.pk: True, second.pk: True}

    Assignment.objects.filter(task=tasks[2]).delete()
    assert kept() == counted() == {first.pk: True, second.pk: False}

    Assignment.objects.filter(pk=one.pk).update(task=tasks[3])  # to the second directive's task
    assert kept() == counted() == {first.pk: False, second.pk: True}

    Task.objects.filter(pk=tasks[3].pk).update(directive=first, position=2)
    assert kept() == counted() == {first.pk: True, second.pk: False}

    Assignment.objects.get(pk=one.pk).delete()
    assert kept() == counted() == {first.pk: False, second.pk: False}


def test_the_seed_letter_published_has_assignments_and_a_reference_document_none(published):
    reference = a_directive("50-KL/TW")
    assert kept()[published.pk] is True and kept()[reference.pk] is False
