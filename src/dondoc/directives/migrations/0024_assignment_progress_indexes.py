"""The indexes a status is read from hold whether each assignment's task has no end (0023), so that a list
or count by status reads no task: built without blocking writes, then the ones they replace dropped."""

from django.db import migrations, models

from dondoc.core.vendor_sql import AddIndexWithoutBlocking


class Migration(migrations.Migration):
    atomic = False  # PostgreSQL builds the indexes CONCURRENTLY, outside a transaction

    dependencies = [
        ("directives", "0023_assignment_without_end"),
    ]

    operations = [
        AddIndexWithoutBlocking(
            model_name="assignment",
            index=models.Index(
                fields=[
                    "organization",
                    "due",
                    "done_from",
                    "done_in_time_from",
                    "started_from",
                    "without_end",
                    "task",
                ],
                name="assignment_body_progress",
            ),
        ),
        AddIndexWithoutBlocking(
            model_name="assignment",
            index=models.Index(
                fields=["region", "due", "id", "done_from", "without_end", "task"],
                name="assignment_region_progress",
            ),
        ),
        AddIndexWithoutBlocking(
            model_name="assignment",
            index=models.Index(fields=["due", "id", "done_from", "without_end"], name="assignment_due_progress"),
        ),
        migrations.RemoveIndex(model_name="assignment", name="assignment_body_status"),
        migrations.RemoveIndex(model_name="assignment", name="assignment_due"),
        migrations.RemoveIndex(model_name="assignment", name="assignment_region_due"),
    ]
