"""Herrekening: a run keeps the fund case it computed; a result line may name the earlier period it corrects."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [  # noqa: RUF012
        ("core", "0009_fund_versions"),
    ]

    operations = [  # noqa: RUF012
        migrations.AddField(
            model_name="payrollresult",
            name="corrects",
            field=models.PositiveSmallIntegerField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="payrollrun",
            name="case",
            field=models.JSONField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name="payrollrun",
            name="not_recalculated",
            field=models.JSONField(blank=True, default=list, editable=False),
        ),
    ]
