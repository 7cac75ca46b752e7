"""Trigram indexes for search on PostgreSQL (issue 16): the folded text of directives and tasks, which search
matches anywhere (dondoc.core.trigram)."""

from django.db import migrations

from dondoc.core.trigram import trigram_indexes


class Migration(migrations.Migration):
    dependencies = [("directives", "0013_assignment_due_index")]

    operations = [
        trigram_indexes(
            {
                "directive_search_trgm": ("directives_directive", "search_text"),
                "task_search_trgm": ("directives_task", "search_text"),
            }
        )
    ]
