"""The notices live in core now (0006 copied them): the old table goes."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("directives", "0006_notifications_to_core"),
    ]

    operations = [
        migrations.DeleteModel(
            name="Notification",
        ),
    ]
