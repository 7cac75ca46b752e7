"""Trigram indexes for finding bodies by part of their name or alias on PostgreSQL (issue 16): search and the
filters' pickers match the folded text anywhere (dondoc.core.trigram)."""

from django.db import migrations

from dondoc.core.trigram import trigram_indexes


class Migration(migrations.Migration):
    dependencies = [("registry", "0004_overlap_decisions")]

    operations = [
        trigram_indexes(
            {
                "organization_name_trgm": ("registry_organization", "folded_name"),
                "organization_alias_trgm": ("registry_organizationalias", "folded"),
            }
        )
    ]
