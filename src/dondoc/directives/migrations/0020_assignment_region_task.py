"""A directive's assignments in a province read under the province's key, task by task, from the index."""

from django.db import migrations, models

from dondoc.core.vendor_sql import AddIndexWithoutBlocking


class Migration(migrations.Migration):
    atomic = False  # PostgreSQL builds the index CONCURRENTLY, outside a transaction

    dependencies = [
        ("directives", "0019_directive_regions"),
    ]

    operations = [
        AddIndexWithoutBlocking(
            model_name="assignment",
            index=models.Index(fields=["region", "task", "id"], name="assignment_region_task"),
        ),
    ]
