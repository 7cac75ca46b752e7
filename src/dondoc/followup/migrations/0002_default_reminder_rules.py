"""The reminder rules a Vietnamese office expects, so that reminders go out from the first day: the body's
reporter three working days before the deadline and on the day, its leader one working day after, the
monitors three working days after. An administrator changes them in the admin."""

from typing import Any

from django.db import migrations

DEFAULTS = [
    ("Nhắc trước hạn 3 ngày làm việc", "before", -3, "reporter"),
    ("Nhắc đúng ngày đến hạn", "on_the_day", 0, "reporter"),
    ("Báo lãnh đạo đơn vị: quá hạn 1 ngày làm việc", "after", 1, "leader"),
    ("Báo Ban Tổ chức theo dõi: quá hạn 3 ngày làm việc", "after", 3, "monitor"),
]


def create_default_rules(apps: Any, schema_editor: Any) -> None:
    ReminderRule = apps.get_model("followup", "ReminderRule")
    if not ReminderRule.objects.exists():
        ReminderRule.objects.bulk_create(
            ReminderRule(name=name, timing=timing, offset=offset, recipients=recipients)
            for name, timing, offset, recipients in DEFAULTS
        )


class Migration(migrations.Migration):
    dependencies = [("followup", "0001_initial")]

    operations = [migrations.RunPython(create_default_rules, migrations.RunPython.noop)]
