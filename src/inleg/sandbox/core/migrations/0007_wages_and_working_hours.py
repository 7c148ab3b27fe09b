"""Wages and working hours as dated chains (Loket's linked chains) instead of three fields on the employment.

An existing employment keeps its salary exactly: it becomes a part-time wage record (not scaled again), and
its part-time factor becomes deviating hours on a shift with the employment's norm hours (hours have 2
decimals, so 0.3947 of 40 hours becomes 15.79 hours, factor 0.3948). The client that held every activity
before (the seed's) also gets the three new read activities.
"""

import uuid
from decimal import ROUND_HALF_UP, Decimal

import django.core.validators
import django.db.models.deletion
from django.db import migrations, models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

CENT = Decimal("0.01")
# Every activity the sandbox knew before this migration (core.rights.ALL_ACTIVITIES of 0005).
EARLIER_ACTIVITIES = frozenset({
    "GetProvidersByUser", "GetUserByToken", "GetEmployersByUserId", "GetEmployerByEmployerId",
    "GetAuthorizationsByEmployerId", "GetEmployerLastModifiedVersionNumbersByUser", "GetEmploymentsByEmployerId",
    "GetEmploymentsByEmployeeId", "GetEmploymentByEmploymentId", "GetPayrollAdministrationsByEmployerId",
    "GetPayrollPeriodsByPayrollAdministrationId", "GetEmploymentLastModifiedVersionNumbersByUser",
    "GetEmployeesByEmployerId", "GetEmployeeByEmployeeId", "GetBenefitsAndDeductionsByEmploymentId",
    "GetBenefitsAndDeductionsBybenefitsAndDeductionsId", "GetPayrollComponentsByPayrollAdministrationIdAndYear",
    "GetPayrollPeriodResultsByPayrollAdministrationIdAndPayrollPeriodId",
    "GetPayrollPeriodResultsByEmploymentIdAndYear", "GetPayrollRunsByPayrollAdministrationId",
    "GetPayrollRunByPayrollRunId", "PostbenefitsAndDeductionsByEmploymentId",
    "PutBenefitsAndDeductionsByBenefitsAndDeductionsId", "DeleteBenefitsAndDeductionsByBenefitsAndDeductionsId",
    "GetEmploymentFundsByEmploymentId", "PostEmploymentFundByEmploymentId", "PutEmploymentFundByEmploymentFundId",
})  # fmt: skip
NEW_ACTIVITIES = ("GetActualWagesByEmployerId", "GetActualWorkingHoursByEmployerId",
                  "GetActualBenefitsAndDeductionsByEmployerId")  # fmt: skip


def chains_from_fields(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    Employment = apps.get_model("core", "Employment")
    Shift = apps.get_model("core", "Shift")
    Wage = apps.get_model("core", "Wage")
    WorkingHours = apps.get_model("core", "WorkingHours")
    shifts: dict[tuple[object, Decimal], object] = {}
    wages, hours = [], []
    for job in Employment.objects.order_by("administration_id", "start_date").iterator():
        norm = Decimal(job.norm_hours_per_week)
        key = (job.administration_id, norm)
        if key not in shifts:
            number = 1 + sum(1 for admin, _ in shifts if admin == job.administration_id)
            shifts[key] = Shift.objects.create(
                administration_id=job.administration_id, number=number, full_time_hours_per_week=norm
            )
        factor = Decimal(job.part_time_factor)
        deviating = None if factor == 1 else (norm * factor).quantize(CENT, rounding=ROUND_HALF_UP)
        hours.append(
            WorkingHours(
                employment_id=job.pk,
                shift=shifts[key],
                start_date=job.start_date,
                end_date=job.end_date,
                deviating_hours_per_week=deviating,
            )
        )
        if job.salary and job.salary > 0:  # the salary after part-time: a part-time wage, so it is not scaled twice
            wages.append(
                Wage(
                    employment_id=job.pk,
                    start_date=job.start_date,
                    end_date=job.end_date,
                    gross_wage=job.salary,
                    is_full_time=False,
                )
            )
    WorkingHours.objects.bulk_create(hours, batch_size=1000)
    Wage.objects.bulk_create(wages, batch_size=1000)
    ClientProfile = apps.get_model("core", "ClientProfile")
    for profile in ClientProfile.objects.all():
        held = set(profile.allowed_activities or [])
        if held >= EARLIER_ACTIVITIES:
            profile.allowed_activities = [*profile.allowed_activities, *(a for a in NEW_ACTIVITIES if a not in held)]
            profile.save(update_fields=["allowed_activities"])


class Migration(migrations.Migration):
    dependencies = [  # noqa: RUF012
        ("core", "0006_redeemed_codes"),
    ]

    operations = [  # noqa: RUF012
        migrations.CreateModel(
            name="Shift",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("number", models.PositiveSmallIntegerField(verbose_name="dienstnummer")),
                (
                    "full_time_hours_per_week",
                    models.DecimalField(
                        decimal_places=2,
                        max_digits=4,
                        validators=[
                            django.core.validators.MinValueValidator(Decimal("0.01")),
                            django.core.validators.MaxValueValidator(Decimal("99")),
                        ],
                        verbose_name="voltijduren per week",
                    ),
                ),
                (
                    "bonus_percentage",
                    models.DecimalField(
                        decimal_places=2,
                        default=Decimal("0"),
                        max_digits=4,
                        validators=[
                            django.core.validators.MinValueValidator(Decimal("0")),
                            django.core.validators.MaxValueValidator(Decimal("99")),
                        ],
                        verbose_name="toeslagpercentage",
                    ),
                ),
                (
                    "administration",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="shifts",
                        to="core.payrolladministration",
                        verbose_name="salarisverwerkende administratie",
                    ),
                ),
            ],
            options={
                "verbose_name": "dienst",
                "verbose_name_plural": "diensten",
                "ordering": ("number",),
            },
        ),
        migrations.CreateModel(
            name="Wage",
            fields=[
                ("id", models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                ("start_date", models.DateField(verbose_name="begindatum")),
                ("end_date", models.DateField(blank=True, null=True, verbose_name="einddatum")),
                (
                    "gross_wage",
                    models.DecimalField(
                        decimal_places=2,
                        max_digits=8,
                        validators=[
                            django.core.validators.MinValueValidator(Decimal("0.01")),
                            django.core.validators.MaxValueValidator(Decimal("999999.99")),
                        ],
                        verbose_name="brutoloon per periode",
                    ),
                ),
                (
                    "is_full_time",
                    models.BooleanField(
                        default=True,
                        help_text="het loon bij een volledige werkweek; de run past de deeltijdfactor toe",
                        verbose_name="voltijdloon",
                    ),
                ),
                (
                    "employment",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="wages",
                        to="core.employment",
                        verbose_name="dienstverband",
                    ),
                ),
            ],
            options={
                "verbose_name": "loon",
                "verbose_name_plural": "lonen",
                "ordering": ("start_date",),
                "abstract": False,
            },
        ),
        migrations.CreateModel(
            name="WorkingHours",
            fields=[
                ("id", models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                ("start_date", models.DateField(verbose_name="begindatum")),
                ("end_date", models.DateField(blank=True, null=True, verbose_name="einddatum")),
                (
                    "deviating_hours_per_week",
                    models.DecimalField(
                        blank=True,
                        decimal_places=2,
                        help_text="leeg: de voltijduren van de dienst",
                        max_digits=4,
                        null=True,
                        validators=[
                            django.core.validators.MinValueValidator(Decimal("0.01")),
                            django.core.validators.MaxValueValidator(Decimal("99.99")),
                        ],
                        verbose_name="afwijkende uren per week",
                    ),
                ),
                (
                    "employment",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="working_hours",
                        to="core.employment",
                        verbose_name="dienstverband",
                    ),
                ),
                (
                    "shift",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="core.shift",
                        verbose_name="dienst",
                    ),
                ),
            ],
            options={
                "verbose_name": "arbeidsuren",
                "verbose_name_plural": "arbeidsuren",
                "ordering": ("start_date",),
                "abstract": False,
            },
        ),
        migrations.AddConstraint(
            model_name="shift",
            constraint=models.UniqueConstraint(fields=("administration", "number"), name="unique_shift_number"),
        ),
        migrations.RunPython(chains_from_fields, migrations.RunPython.noop),
        migrations.RemoveField(
            model_name="employment",
            name="norm_hours_per_week",
        ),
        migrations.RemoveField(
            model_name="employment",
            name="part_time_factor",
        ),
        migrations.RemoveField(
            model_name="employment",
            name="salary",
        ),
    ]
