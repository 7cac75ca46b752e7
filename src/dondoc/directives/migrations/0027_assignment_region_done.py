"""A province's assignments with a deadline by the day they were done, so that its count of overdue ones reads
the open ones alone rather than every one past its deadline (status_condition_parts; 10,000,000 assignments:
some 100,000 index entries to count 10,000). Built without blocking writes."""

from django.db import migrations, models

from dondoc.core.vendor_sql import AddIndexWithoutBlocking


class Migration(migrations.Migration):
    atomic = False  # PostgreSQL builds the index CONCURRENTLY, outside a transaction

    dependencies = [
        ("directives", "0026_directive_list_indexes"),
    ]

    operations = [
        AddIndexWithoutBlocking(
            model_name="assignment",
            index=models.Index(
                fields=["region", "done_from", "due"],
                condition=models.Q(("due__isnull", False), ("without_end", False)),
                name="assignment_region_done",
            ),
        ),
    ]
