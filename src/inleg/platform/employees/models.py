"""Employees and employments as imported from Loket.nl, and the log of every sync run."""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _

from inleg.platform.accounts.models import Company, User


class Employee(models.Model):
    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="employees")
    loket_id = models.CharField(max_length=64)
    employee_number = models.PositiveIntegerField(_("personeelsnummer"))
    first_name = models.CharField(_("voornaam"), max_length=80, blank=True)
    initials = models.CharField(_("voorletters"), max_length=20, blank=True)
    prefix = models.CharField(_("tussenvoegsel"), max_length=20, blank=True)
    last_name = models.CharField(_("achternaam"), max_length=120)
    date_of_birth = models.DateField(_("geboortedatum"), null=True, blank=True)
    email = models.EmailField(_("e-mailadres"), blank=True)
    # The employee's account on the platform, made by the import; not yet invited (the app comes later).
    user = models.OneToOneField(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="employee")
    gone_from_loket_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    SYNCED: ClassVar[tuple[str, ...]] = (
        "employee_number",
        "first_name",
        "initials",
        "prefix",
        "last_name",
        "date_of_birth",
        "email",
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["company", "loket_id"], name="employee_unique_per_company")]  # noqa: RUF012
        indexes = [models.Index(fields=["company", "employee_number"])]  # noqa: RUF012

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.first_name or self.initials, self.prefix, self.last_name) if p)


class Employment(models.Model):
    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="employments")
    employee = models.ForeignKey(Employee, on_delete=models.PROTECT, related_name="employments")
    loket_id = models.CharField(max_length=64)
    start_date = models.DateField(_("in dienst"))
    end_date = models.DateField(_("uit dienst"), null=True, blank=True)
    payroll_administration_id = models.CharField(max_length=64, blank=True)
    part_time_factor = models.DecimalField(_("deeltijdfactor"), max_digits=7, decimal_places=4, null=True, blank=True)
    salary = models.DecimalField(_("salaris"), max_digits=12, decimal_places=2, null=True, blank=True)
    loket_version = models.BigIntegerField(null=True, blank=True)
    gone_from_loket_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    SYNCED: ClassVar[tuple[str, ...]] = (
        "start_date",
        "end_date",
        "payroll_administration_id",
        "part_time_factor",
        "salary",
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["company", "loket_id"], name="employment_unique_per_company")]  # noqa: RUF012


class SyncRun(models.Model):
    class Kind(models.TextChoices):
        IMPORT = "import", _("eerste import")
        FULL = "full", _("volledige synchronisatie")
        INCREMENTAL = "incremental", _("synchronisatie (wijzigingen)")

    class Trigger(models.TextChoices):
        CONNECT = "connect", _("na koppelen")
        SCHEDULE = "schedule", _("volgens schema")
        MANUAL = "manual", _("op verzoek")
        RESUME = "resume", _("hervat")

    class Status(models.TextChoices):
        QUEUED = "queued", _("in de wachtrij")
        RUNNING = "running", _("bezig")
        DONE = "done", _("klaar")
        # Interrupted by Loket.nl, with its resume waiting or running; when the resumes end, it takes their end:
        INTERRUPTED = "interrupted", _("onderbroken, wordt hervat")
        RESUMED = "resumed", _("onderbroken, afgerond na hervatten")
        FAILED = "failed", _("mislukt")

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="sync_runs")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    trigger = models.CharField(max_length=10, choices=Trigger.choices)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.QUEUED)
    phase = models.CharField(max_length=80, blank=True)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    counts = models.JSONField(default=dict)
    changes = models.JSONField(default=list)
    errors = models.JSONField(default=list)
    from_version = models.BigIntegerField(null=True, blank=True)
    to_version = models.BigIntegerField(null=True, blank=True)
    resumes = models.PositiveIntegerField(default=0)
    resumed_from = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    requested_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    # Written with every progress step: a running run without a heartbeat for long has lost its worker.
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    MAX_CHANGES_LOGGED: ClassVar[int] = 500

    class Meta:
        ordering = ("-created_at", "-pk")

    @property
    def phase_label(self) -> str:
        labels = {
            "start": _("starten"),
            "versions": _("wijzigingsnummers ophalen"),
            "employees": _("werknemers ophalen"),
            "employments": _("dienstverbanden ophalen"),
            "pay": _("lonen en arbeidsuren ophalen"),
            "saving": _("opslaan"),
            "done": _("afronden"),
        }
        return str(labels.get(self.phase, self.phase))

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        return int(100 * self.done / self.total) if self.total else 0

    @property
    def is_open(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING, self.Status.INTERRUPTED)
