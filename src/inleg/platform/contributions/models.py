"""The contributions of a company: the history of what was set (immutable versions), the write journal, the
background write runs, and what the payroll paid.

Each ``Version`` row maps to one of the domain's version types (``to_domain``); rows are never updated. The
journal's rows are the domain's ``JournalEntry`` values; each intent and each settlement is committed on its
own, so a crash between them leaves a pending intent the next run reconciles.
"""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from inleg.platform.accounts.models import Company, User
from inleg.platform.domain import contributions as domain
from inleg.platform.domain.contributions.periods import PeriodKey
from inleg.platform.domain.money import Cents
from inleg.platform.employees.models import Employment

DEFAULT_CUTOFF_WORKING_DAYS = 3


class ContributionSettings(models.Model):
    """Per company: the cut-off, and Loket's payroll periods as last read (a cache for the pages)."""

    company = models.OneToOneField(Company, on_delete=models.CASCADE, related_name="contribution_settings")
    cutoff_working_days = models.PositiveSmallIntegerField(
        _("afsluitdatum (werkdagen voor het einde van de periode)"), default=DEFAULT_CUTOFF_WORKING_DAYS
    )
    administration_id = models.CharField(max_length=64, blank=True)
    # [{"year", "number", "start", "end", "ran"}], as Loket listed them at ``periods_read_at``.
    periods = models.JSONField(default=list, blank=True)
    periods_read_at = models.DateTimeField(null=True, blank=True)
    # When the worker's schedule last looked for approved payroll runs whose results are not read yet.
    results_checked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [  # noqa: RUF012
            models.CheckConstraint(condition=Q(cutoff_working_days__lte=20), name="contribution_cutoff_at_most_20"),
        ]


class Version(models.Model):
    """One change the employer (or the employee) made; never updated, never deleted."""

    class Kind(models.TextChoices):
        SCHEME = "scheme", _("regeling")
        STOP = "stop", _("stop")
        EXCEPTION = "exception", _("uitzondering")
        NET = "net", _("eigen netto inleg")

    class Rule(models.TextChoices):
        FIXED = "fixed", _("vast bedrag")
        PERCENT = "percent", _("percentage van het salaris")
        EXCLUDED = "excluded", _("uitgezonderd")
        LIFTED = "lifted", _("uitzondering opgeheven")

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="contribution_versions")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    from_year = models.PositiveSmallIntegerField()
    from_number = models.PositiveSmallIntegerField()
    rule = models.CharField(max_length=10, choices=Rule.choices, blank=True)
    amount_cents = models.BigIntegerField(null=True, blank=True)
    percent = models.DecimalField(max_digits=7, decimal_places=4, null=True, blank=True)
    # A scheme for a chosen group (empty with ``for_all``: everyone).
    for_all = models.BooleanField(default=True)
    group = models.ManyToManyField(Employment, blank=True, related_name="+")
    employment = models.ForeignKey(Employment, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    made_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    author = models.CharField(max_length=200)  # who, as written down then (the user may be removed later)
    made_at = models.DateTimeField()

    class Meta:
        ordering = ("made_at", "pk")
        constraints = [  # noqa: RUF012
            models.CheckConstraint(
                condition=Q(amount_cents__isnull=True) | Q(amount_cents__gte=0, amount_cents__lte=100_000_000_00),
                name="contribution_amount_in_bounds",
            ),
            models.CheckConstraint(
                condition=Q(percent__isnull=True) | Q(percent__gte=0, percent__lte=100),
                name="contribution_percent_in_bounds",
            ),
            models.CheckConstraint(condition=Q(from_number__gte=1, from_number__lte=13), name="contribution_period"),
            models.CheckConstraint(
                condition=(Q(kind="scheme") & Q(rule__in=("fixed", "percent")) & Q(employment__isnull=True))
                | (Q(kind="stop") & Q(rule="") & Q(employment__isnull=True))
                | (Q(kind="exception") & Q(employment__isnull=False) & ~Q(rule=""))
                | (Q(kind="net") & Q(rule="fixed") & Q(employment__isnull=False)),
                name="contribution_version_shape",
            ),
            models.CheckConstraint(
                condition=~Q(rule="fixed") | Q(amount_cents__isnull=False), name="contribution_fixed_has_amount"
            ),
            models.CheckConstraint(
                condition=~Q(rule="percent") | Q(percent__isnull=False), name="contribution_percent_has_percent"
            ),
        ]
        indexes = [models.Index(fields=["company", "made_at"])]  # noqa: RUF012

    @property
    def from_period(self) -> PeriodKey:
        return PeriodKey(self.from_year, self.from_number)

    def _rule(self) -> domain.FixedAmount | domain.PercentOfSalary | domain.Excluded | None:
        if self.rule == self.Rule.FIXED:
            assert self.amount_cents is not None
            return domain.FixedAmount(Cents(self.amount_cents))
        if self.rule == self.Rule.PERCENT:
            assert self.percent is not None
            return domain.PercentOfSalary(self.percent.normalize())
        if self.rule == self.Rule.EXCLUDED:
            return domain.Excluded()
        return None

    def to_domain(self, group: frozenset[str] | None = None) -> domain.Version:
        """``group``: the Loket ids of the group's employments (read in bulk by the caller)."""
        common = {"from_period": self.from_period, "author": self.author, "made_at": self.made_at}
        if self.kind == self.Kind.STOP:
            return domain.SchemeStop(**common)  # type: ignore[arg-type]
        rule = self._rule()
        if self.kind == self.Kind.SCHEME:
            assert isinstance(rule, domain.FixedAmount | domain.PercentOfSalary)
            return domain.SchemeChange(rule=rule, group=None if self.for_all else group, **common)  # type: ignore[arg-type]
        assert self.employment is not None
        if self.kind == self.Kind.EXCEPTION:
            return domain.EmployeeException(employment_id=self.employment.loket_id, rule=rule, **common)  # type: ignore[arg-type]
        assert self.amount_cents is not None
        return domain.NetContribution(
            employment_id=self.employment.loket_id,
            amount=Cents(self.amount_cents),
            **common,  # type: ignore[arg-type]
        )


class JournalEntry(models.Model):
    """The domain's ``JournalEntry``: an intent recorded (and committed) before the call, settled after it."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="+")
    entry_id = models.CharField(max_length=64, unique=True)
    action = models.CharField(max_length=10, choices=[(a.value, a.value) for a in domain.Action])
    employment_id = models.CharField(max_length=64)  # Loket's id
    component_key = models.PositiveIntegerField()
    record_id = models.CharField(max_length=64, null=True, blank=True)
    start = models.DateField(null=True, blank=True)
    end = models.DateField(null=True, blank=True)
    value_cents = models.BigIntegerField(null=True, blank=True)
    seen = models.JSONField(default=list)
    made_at = models.DateTimeField()
    status = models.CharField(max_length=10, choices=[(s.value, s.value) for s in domain.Status])
    adopted = models.BooleanField(default=False)
    settled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("made_at", "pk")
        indexes = [models.Index(fields=["employment_id", "component_key"])]  # noqa: RUF012
        constraints = [  # noqa: RUF012
            models.CheckConstraint(
                condition=Q(value_cents__isnull=True) | Q(value_cents__gte=0), name="journal_value_not_negative"
            ),
        ]

    def to_domain(self) -> domain.JournalEntry:
        return domain.JournalEntry(
            self.entry_id,
            domain.Action(self.action),
            self.employment_id,
            self.component_key,
            self.record_id,
            self.start,
            self.end,
            Cents(self.value_cents) if self.value_cents is not None else None,
            frozenset(self.seen),
            self.made_at,
            domain.Status(self.status),
        )


class WriteLock(models.Model):
    """One row per (employment, component): a lease a worker takes before writing it, so two workers never
    write the same employment's component at once (a conditional UPDATE: works on PostgreSQL and SQLite)."""

    employment_id = models.CharField(max_length=64)
    component_key = models.PositiveIntegerField()
    holder = models.CharField(max_length=64, blank=True)
    held_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [  # noqa: RUF012
            models.UniqueConstraint(fields=["employment_id", "component_key"], name="one_write_lock_per_component")
        ]


class WhoMustAct(models.TextChoices):
    WERKGEVER = "werkgever", _("werkgever")
    SALARISADMINISTRATEUR = "salarisadministrateur", _("salarisadministrateur")
    PLATFORM = "platform", _("Pensify")


class WriteRun(models.Model):
    """A background write of a company's plan into Loket, in chunks of employments (one task per chunk)."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("in de wachtrij")
        RUNNING = "running", _("bezig")
        DONE = "done", _("klaar")
        DONE_WITH_FAILURES = "failures", _("klaar, met fouten")
        FAILED = "failed", _("mislukt")

    OPEN: ClassVar[tuple[str, ...]] = ("queued", "running")

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="write_runs")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    chunks = models.PositiveIntegerField(default=0)
    chunks_done = models.PositiveIntegerField(default=0)
    writes = models.PositiveIntegerField(default=0)
    requested_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    progress_at = models.DateTimeField(auto_now_add=True)  # the last sign of life of any of its chunks
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-created_at", "-pk")
        constraints = [  # noqa: RUF012
            models.UniqueConstraint(
                fields=["company"], condition=Q(status__in=("queued", "running")), name="one_open_write_run"
            ),
            models.CheckConstraint(condition=Q(done__lte=models.F("total")), name="write_run_done_within_total"),
        ]

    @property
    def percent(self) -> int:
        return int(100 * self.done / self.total) if self.total else (100 if self.status not in self.OPEN else 0)

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN


class WriteChunk(models.Model):
    """One chunk of a write run, named by its first (smallest) employment pk: how many of its employments are
    counted as done, and whether it finished. A chunk's task delivered twice, or run by two workers at once,
    counts its employments and itself once: ``done`` only ever rises to what one execution has reached."""

    run = models.ForeignKey(WriteRun, on_delete=models.CASCADE, related_name="chunk_rows")
    first_employment = models.PositiveIntegerField()
    size = models.PositiveIntegerField()
    done = models.PositiveIntegerField(default=0)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [  # noqa: RUF012
            models.UniqueConstraint(fields=["run", "first_employment"], name="one_row_per_write_chunk"),
            models.CheckConstraint(condition=Q(done__lte=models.F("size")), name="write_chunk_done_within_size"),
        ]


class WriteFailure(models.Model):
    """One employment (and component) the run could not write: why, and who must act."""

    run = models.ForeignKey(WriteRun, on_delete=models.CASCADE, related_name="failures")
    employment = models.ForeignKey(Employment, on_delete=models.CASCADE, related_name="+")
    component_key = models.PositiveIntegerField()
    reason = models.TextField()
    who = models.CharField(max_length=24, choices=WhoMustAct.choices)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [  # noqa: RUF012
            models.UniqueConstraint(fields=["run", "employment", "component_key", "reason"], name="one_failure_line")
        ]


class PaidAmount(models.Model):
    """What the approved payroll of a period paid for an employment on our components (Loket's results)."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="+")
    employment = models.ForeignKey(Employment, on_delete=models.PROTECT, related_name="paid_amounts")
    year = models.PositiveSmallIntegerField()
    number = models.PositiveSmallIntegerField()
    gross_cents = models.BigIntegerField()  # the employer's gross amount on the Pensify Inleg component
    withheld_cents = models.BigIntegerField()  # the same withheld again net
    net_cents = models.BigIntegerField()  # the employee's own net amount (net-deduction component)
    excasso_cents = models.BigIntegerField()  # paid on by excasso
    read_at = models.DateTimeField()

    class Meta:
        ordering = ("year", "number", "employment_id")
        constraints = [  # noqa: RUF012
            models.UniqueConstraint(fields=["employment", "year", "number"], name="one_paid_amount_per_period"),
            models.CheckConstraint(
                condition=Q(gross_cents__gte=0, withheld_cents__gte=0, net_cents__gte=0, excasso_cents__gte=0),
                name="paid_amounts_not_negative",
            ),
            models.CheckConstraint(condition=Q(number__gte=1, number__lte=13), name="paid_amount_period"),
        ]


class ResultsRead(models.Model):
    """Which approved payroll run of a period the platform has read the results of: a later approved run of the
    same period (a correction) is read again, the same one never twice."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    number = models.PositiveSmallIntegerField()
    run_id = models.CharField(max_length=64)  # Loket's id of the approved run that was read
    employments = models.PositiveIntegerField(default=0)
    read_at = models.DateTimeField()

    class Meta:
        ordering = ("year", "number")
        constraints = [  # noqa: RUF012
            models.UniqueConstraint(fields=["company", "year", "number"], name="one_results_read_per_period"),
        ]
