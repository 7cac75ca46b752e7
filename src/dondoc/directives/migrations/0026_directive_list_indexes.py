"""The directive list's indexes: the directives newest first with what the scope's conditions read, so that
its page, count and years are read from an index rather than by reading every directive (10,000,000
assignments: 25,000 directives, some 15 ms a query); and a province's assignments by task with the dates an
overdue one is told by, so that the list's counts read no assignment's row. Built without blocking writes,
then the index the second replaces dropped."""

from django.db import migrations, models

from dondoc.core.vendor_sql import AddIndexWithoutBlocking


class Migration(migrations.Migration):
    atomic = False  # PostgreSQL builds the indexes CONCURRENTLY, outside a transaction

    dependencies = [
        ("directives", "0025_directive_issuer_region"),
    ]

    operations = [
        AddIndexWithoutBlocking(
            model_name="directive",
            index=models.Index(
                fields=["issued_on", "id", "state", "has_assignments", "jurisdiction"], name="directive_newest"
            ),
        ),
        AddIndexWithoutBlocking(
            model_name="assignment",
            index=models.Index(
                fields=["region", "task", "id", "due", "done_from", "without_end"],
                name="assignment_region_task_dates",
            ),
        ),
        migrations.RemoveIndex(model_name="assignment", name="assignment_region_task"),
    ]
