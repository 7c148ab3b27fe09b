"""The collective benefits-and-deductions operations: a client that held every write of benefits and deductions
(the seed's) also gets the two collective ones, as 0007 did for the employer-wide reads."""

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

SINGLE_WRITES = frozenset({
    "PostbenefitsAndDeductionsByEmploymentId", "PutBenefitsAndDeductionsByBenefitsAndDeductionsId",
    "DeleteBenefitsAndDeductionsByBenefitsAndDeductionsId",
})  # fmt: skip
NEW_ACTIVITIES = ("PostCollectiveBenefitsAndDeductionsByEmployerId", "PutCollectiveBenefitsAndDeductionsByEmployerId")


def grant(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    ClientProfile = apps.get_model("core", "ClientProfile")
    for profile in ClientProfile.objects.all():
        held = set(profile.allowed_activities or [])
        if held >= SINGLE_WRITES:
            profile.allowed_activities = [*profile.allowed_activities, *(a for a in NEW_ACTIVITIES if a not in held)]
            profile.save(update_fields=["allowed_activities"])


class Migration(migrations.Migration):
    dependencies = [  # noqa: RUF012
        ("core", "0007_wages_and_working_hours"),
    ]

    operations = [  # noqa: RUF012
        migrations.RunPython(grant, migrations.RunPython.noop),
    ]
