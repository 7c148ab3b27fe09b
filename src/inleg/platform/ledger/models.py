"""The ledger's tables: accounts, entries and their postings, per company.

Entries and postings are never updated or deleted (database triggers refuse it, see migration 0001); a mistake
is undone by a reversal entry. An entry's postings are inserted before the entry itself (the foreign key is
checked at commit), so that on SQLite, which has no deferred triggers, the entry's insert can check that the
postings already there sum to zero, and a posting for an entry that exists is refused: an entry, once there, is
complete. PostgreSQL checks the same with deferred constraint triggers at commit.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from inleg.platform.accounts.models import Company, User
from inleg.platform.domain import ledger as domain
from inleg.platform.employees.models import Employment

PER_EMPLOYMENT = [k.value for k in domain.AccountKind if k.per_employment]


class Account(models.Model):
    class Kind(models.TextChoices):
        BANK = "bank", _("bankrekening")
        EMPLOYER = "employer", _("werkgeversinleg")
        OWN = "own", _("eigen inleg")
        SUSPENSE = "suspense", _("niet herkend")
        RETURNED = "returned", _("terug te betalen")

    company = models.ForeignKey(Company, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    employment = models.ForeignKey(Employment, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        constraints = [  # noqa: RUF012
            models.UniqueConstraint(
                fields=["company", "kind", "employment"],
                condition=Q(employment__isnull=False),
                name="ledger_one_pension_account",
            ),
            models.UniqueConstraint(
                fields=["company", "kind"], condition=Q(employment__isnull=True), name="ledger_one_company_account"
            ),
            models.CheckConstraint(
                condition=(Q(kind__in=PER_EMPLOYMENT) & Q(employment__isnull=False))
                | (~Q(kind__in=PER_EMPLOYMENT) & Q(employment__isnull=True)),
                name="ledger_account_shape",
            ),
        ]


class Entry(models.Model):
    """One booking; ``request_id`` is the caller's idempotency key (unique per company)."""

    class Kind(models.TextChoices):
        MATCHED = "matched", _("ontvangen en geboekt")
        UNMATCHED = "unmatched", _("ontvangen, niet herkend")
        PLACEMENT = "placement", _("met de hand geplaatst")
        RETURN = "return", _("terug te betalen")
        RETURN_PAID = "return_paid", _("terugbetaald")
        REVERSAL = "reversal", _("teruggedraaid")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    company = models.ForeignKey(Company, on_delete=models.PROTECT, related_name="+")
    request_id = models.CharField(max_length=200)
    fingerprint = models.CharField(max_length=64)  # the content's sha256: a repeat must carry the same
    kind = models.CharField(max_length=12, choices=Kind.choices)
    employment = models.ForeignKey(Employment, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    number = models.PositiveSmallIntegerField(null=True, blank=True)
    reference = models.CharField(max_length=200, blank=True)
    reason = models.TextField(blank=True)
    reverses = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="reversed_by"
    )  # one-to-one: an entry is reversed at most once
    booked_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    booked_at = models.DateTimeField()

    class Meta:
        ordering = ("booked_at", "request_id")
        constraints = [  # noqa: RUF012
            models.UniqueConstraint(fields=["company", "request_id"], name="ledger_request_once_per_company"),
            models.CheckConstraint(
                condition=Q(kind="reversal", reverses__isnull=False) | (~Q(kind="reversal") & Q(reverses__isnull=True)),
                name="ledger_reversal_names_original",
            ),
            models.CheckConstraint(
                condition=Q(year__isnull=True, number__isnull=True) | Q(year__isnull=False, number__isnull=False),
                name="ledger_period_whole",
            ),
        ]


class Posting(models.Model):
    """Signed cents: a debit positive, a credit negative; never 0."""

    entry = models.ForeignKey(Entry, on_delete=models.PROTECT, related_name="postings")
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="postings")
    amount_cents = models.BigIntegerField()

    class Meta:
        constraints = [  # noqa: RUF012
            models.CheckConstraint(condition=~Q(amount_cents=0), name="ledger_posting_not_zero"),
            models.UniqueConstraint(fields=["entry", "account"], name="ledger_account_once_per_entry"),
        ]
