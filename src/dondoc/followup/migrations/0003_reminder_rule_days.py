"""A reminder rule counts its working days as a number that is never negative, its timing saying on which side
of the deadline (it was a signed offset: -3 for three days before)."""

from typing import Any

import django.core.validators
import django.db.models.expressions
from django.db import migrations, models


def days_from_offset(apps: Any, schema_editor: Any) -> None:
    ReminderRule = apps.get_model("followup", "ReminderRule")
    for rule in ReminderRule.objects.all():
        rule.days = abs(rule.offset)
        rule.save(update_fields=["days"])


def offset_from_days(apps: Any, schema_editor: Any) -> None:
    ReminderRule = apps.get_model("followup", "ReminderRule")
    for rule in ReminderRule.objects.all():
        rule.offset = -rule.days if rule.timing == "before" else rule.days
        rule.save(update_fields=["offset"])


class Migration(migrations.Migration):
    dependencies = [("followup", "0002_default_reminder_rules")]

    operations = [
        migrations.AddField(
            model_name="reminderrule",
            name="days",
            field=models.SmallIntegerField(
                default=0,
                help_text="How many working days before or after the deadline; 0 on the day.",
                validators=[
                    django.core.validators.MinValueValidator(
                        0,
                        message="The number of working days cannot be negative: choose “before the deadline” "
                        "and enter 3 for three working days before it.",
                    )
                ],
                verbose_name="working days",
            ),
            preserve_default=False,
        ),
        migrations.RunPython(days_from_offset, offset_from_days),
        migrations.AlterModelOptions(
            name="reminderrule",
            options={
                "ordering": (
                    django.db.models.expressions.OrderBy(
                        django.db.models.expressions.Case(
                            models.When(
                                timing="before",
                                then=django.db.models.expressions.CombinedExpression(
                                    models.F("days"), "*", models.Value(-1)
                                ),
                            ),
                            models.When(timing="after", then=models.F("days")),
                            default=models.Value(0),
                            output_field=models.IntegerField(),
                        )
                    ),
                    "recipients",
                ),
                "verbose_name": "reminder rule",
                "verbose_name_plural": "reminder rules",
            },
        ),
        # a default for the way back, which adds the column again to rows that exist
        migrations.AlterField(
            model_name="reminderrule",
            name="offset",
            field=models.SmallIntegerField(default=0, verbose_name="working days from the deadline"),
        ),
        migrations.RemoveField(model_name="reminderrule", name="offset"),
        migrations.AddConstraint(
            model_name="reminderrule",
            constraint=models.CheckConstraint(
                condition=models.Q(("days__gte", 0)), name="reminder_rule_days_not_negative"
            ),
        ),
    ]
