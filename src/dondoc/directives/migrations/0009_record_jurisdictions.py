"""Whose monitors review the drafts and follow the imports made before they were recorded (0008): the
jurisdiction of the importer's monitor membership, when they hold exactly one
(directives.access.imports_jurisdiction). The others stay without one, reviewed by every monitor as before."""

from typing import Any

from django.db import migrations


def record_jurisdictions(apps: Any, schema_editor: Any) -> None:
    Membership = apps.get_model("accounts", "Membership")
    Directive = apps.get_model("directives", "Directive")
    ImportJob = apps.get_model("directives", "ImportJob")
    territories: dict[int, set[int]] = {}
    for user_id, jurisdiction_id in Membership.objects.filter(
        role="monitor", jurisdiction__isnull=False
    ).values_list("user_id", "jurisdiction_id"):
        territories.setdefault(user_id, set()).add(jurisdiction_id)
    for user_id, jurisdiction_ids in territories.items():
        if len(jurisdiction_ids) != 1:  # a monitor of two jurisdictions: which one imported is not known
            continue
        (jurisdiction_id,) = jurisdiction_ids
        Directive.objects.filter(state="draft", jurisdiction=None, imported_by_id=user_id).update(
            jurisdiction_id=jurisdiction_id
        )
        ImportJob.objects.filter(jurisdiction=None, uploaded_by_id=user_id).update(
            jurisdiction_id=jurisdiction_id
        )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_memberships_per_user"),
        ("directives", "0008_versions_jurisdiction_heartbeat"),
    ]

    operations = [migrations.RunPython(record_jurisdictions, migrations.RunPython.noop)]
