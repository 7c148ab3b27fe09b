"""Werknemerprofielen (seed 004): profiles on the wage model, the profile of an employment, the link's profile."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [  # noqa: RUF012
        ("core", "0010_herrekening"),
    ]

    operations = [  # noqa: RUF012
        migrations.CreateModel(
            name="EmployeeProfile",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "name",
                    models.CharField(
                        help_text="De naam waaronder u het profiel bij een dienstverband kiest, bijv. ‘Kantoor’.",
                        max_length=50,
                        verbose_name="naam",
                    ),
                ),
                (
                    "administration",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="profiles",
                        to="core.payrolladministration",
                        verbose_name="salarisverwerkende administratie",
                    ),
                ),
            ],
            options={
                "verbose_name": "werknemerprofiel",
                "verbose_name_plural": "werknemerprofielen",
                "ordering": ("name",),
            },
        ),
        migrations.AddField(
            model_name="employmentfund",
            name="profile",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="links",
                to="core.employeeprofile",
                verbose_name="via werknemerprofiel",
            ),
        ),
        migrations.CreateModel(
            name="EmployeeProfileFund",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("retroactive", models.BooleanField(default=False, verbose_name="met terugwerkende kracht")),
                (
                    "fund",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="profile_rows",
                        to="core.fund",
                        verbose_name="fonds",
                    ),
                ),
                (
                    "profile",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="rows",
                        to="core.employeeprofile",
                        verbose_name="werknemerprofiel",
                    ),
                ),
            ],
            options={
                "verbose_name": "fonds van een werknemerprofiel",
                "verbose_name_plural": "fondsen van werknemerprofielen",
                "ordering": ("fund__number",),
            },
        ),
        migrations.CreateModel(
            name="EmploymentProfile",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("applied", models.DateTimeField(auto_now=True, verbose_name="toegepast")),
                (
                    "employment",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="profile_choice",
                        to="core.employment",
                        verbose_name="dienstverband",
                    ),
                ),
                (
                    "profile",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="employments",
                        to="core.employeeprofile",
                        verbose_name="werknemerprofiel",
                    ),
                ),
            ],
            options={
                "verbose_name": "werknemerprofiel van een dienstverband",
                "verbose_name_plural": "werknemerprofielen van dienstverbanden",
            },
        ),
        migrations.AddConstraint(
            model_name="employeeprofile",
            constraint=models.UniqueConstraint(fields=("administration", "name"), name="unique_profile_name"),
        ),
        migrations.AddConstraint(
            model_name="employeeprofilefund",
            constraint=models.UniqueConstraint(fields=("profile", "fund"), name="unique_profile_fund"),
        ),
    ]
