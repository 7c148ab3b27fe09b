"""Imported statement files, their statements, and the credits (and reversals) they held, per company.

A credit is stored once per company and bank reference (``key``, see ``inleg.platform.domain.bank.statement``):
the unique constraint makes a statement read twice, or two that overlap, store (and so book) nothing twice, also
when two imports run at once. Ignored lines are kept with their reason so the page can say what was left out.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from inleg.platform.accounts.models import Company, User
from inleg.platform.employees.models import Employee, Employment


class StatementFile(models.Model):
    """One file read (uploaded or imported by the command), with its outcome; a refused file too."""

    class Outcome(models.TextChoices):
        READ = "read", _("ingelezen")
        REFUSED = "refused", _("geweigerd")

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="statement_files")
    name = models.CharField(_("bestand"), max_length=255)
    sha256 = models.CharField(max_length=64)
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    message = models.TextField(blank=True)  # why a file was refused, in Dutch
    version = models.CharField(max_length=20, blank=True)  # camt.053.001.02
    message_id = models.CharField(max_length=35, blank=True)
    credits = models.PositiveIntegerField(default=0)  # new credits stored (matched + unrecognised)
    matched = models.PositiveIntegerField(default=0)
    unrecognised = models.PositiveIntegerField(default=0)
    reversals = models.PositiveIntegerField(default=0)
    ignored = models.PositiveIntegerField(default=0)
    duplicates = models.PositiveIntegerField(default=0)  # credits and reversals already stored: skipped
    imported_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    imported_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("-imported_at", "-pk")


class Statement(models.Model):
    """One ``Stmt`` of a file: an account's statement."""

    file = models.ForeignKey(StatementFile, on_delete=models.CASCADE, related_name="statements")
    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="+")
    statement_id = models.CharField(max_length=35)
    account = models.CharField(_("rekening"), max_length=34)
    created = models.DateTimeField()


class Credit(models.Model):
    """A credit of the bank (or a reversal of one), matched to an employment and period or not recognised."""

    class Kind(models.TextChoices):
        CREDIT = "credit", _("bijschrijving")
        REVERSAL = "reversal", _("terugboeking")

    class Status(models.TextChoices):
        TO_BOOK = "to_book", _("te boeken")
        UNRECOGNISED = "unrecognised", _("niet herkend")

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="bank_credits")
    statement = models.ForeignKey(Statement, on_delete=models.PROTECT, related_name="credits")
    key = models.CharField(max_length=120)  # the bank's reference: the idempotency key
    kind = models.CharField(max_length=10, choices=Kind.choices)
    status = models.CharField(max_length=15, choices=Status.choices)
    reason = models.TextField(blank=True)  # why not recognised, in Dutch
    amount_cents = models.BigIntegerField()
    booking_date = models.DateField()
    value_date = models.DateField(null=True, blank=True)
    end_to_end_id = models.CharField(max_length=35, blank=True)
    remittance = models.TextField(blank=True)
    debtor_name = models.CharField(max_length=140, blank=True)
    debtor_iban = models.CharField(max_length=34, blank=True)
    # The excasso reference as read (empty when it did not read), and what it names.
    reference = models.CharField(max_length=35, blank=True)
    employer_number = models.PositiveIntegerField(null=True, blank=True)
    employee_number = models.PositiveIntegerField(null=True, blank=True)
    payroll_id = models.PositiveIntegerField(null=True, blank=True)
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    period = models.PositiveSmallIntegerField(null=True, blank=True)
    employee = models.ForeignKey(Employee, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    employment = models.ForeignKey(Employment, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    reverses = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="reversed_by"
    )  # a reversal: the credit it takes back (one reversal per credit)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("booking_date", "pk")
        constraints = [  # noqa: RUF012
            models.UniqueConstraint(fields=["company", "key"], name="one_credit_per_bank_reference"),
            models.CheckConstraint(condition=Q(amount_cents__gt=0), name="bank_credit_positive"),
            models.CheckConstraint(
                condition=Q(status="unrecognised")
                | Q(kind="credit", employment__isnull=False)
                | Q(kind="reversal", reverses__isnull=False),
                name="bank_to_book_names_what",  # a credit its employment, a reversal its credit
            ),
            models.CheckConstraint(
                condition=Q(kind="credit", reverses__isnull=True) | Q(kind="reversal"),
                name="bank_only_reversals_reverse",
            ),
        ]
        indexes = [models.Index(fields=["company", "reference"])]  # noqa: RUF012


class IgnoredLine(models.Model):
    """An entry that books nothing (a debit, another currency, not yet booked, ...) and why."""

    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="ignored_lines")
    entry = models.CharField(max_length=35, blank=True)
    amount = models.CharField(max_length=40)
    reason = models.TextField()
    line = models.PositiveIntegerField()
