"""The Loket.nl connection of a company: its state, the coupled employer, encrypted tokens, chosen components."""

from __future__ import annotations

from datetime import datetime

from django.db import models
from django.utils.translation import gettext_lazy as _

from inleg.platform import crypto
from inleg.platform.accounts.models import Company, User


class State(models.TextChoices):
    """The last state a check established (a check that could not finish leaves it and sets check_failed_at)."""

    UNCHECKED = "unchecked", _("nog niet gecontroleerd")  # authorised, no check has finished yet
    ACTIVE = "active", _("actief")
    MISSING_RIGHTS = "missing_rights", _("rechten ontbreken")
    CHOOSE_EMPLOYER = "choose_employer", _("kies werkgever")
    EMPLOYER_TAKEN = "employer_taken", _("werkgever al gekoppeld")  # coupled to another company here
    REAUTHORIZE = "reauthorize", _("opnieuw autoriseren")
    DISCONNECTED = "disconnected", _("verbroken")


class LoketConnectionQuerySet(models.QuerySet["LoketConnection"]):
    def holding(self, employer_id: str) -> LoketConnectionQuerySet:
        """The connections that hold a Loket employer: every state but disconnected (one at most)."""
        return self.exclude(state=State.DISCONNECTED).filter(employer_id=employer_id).exclude(employer_id="")


class LoketConnection(models.Model):
    """One per company. Tokens are stored encrypted (Fernet); disconnecting deletes them."""

    company = models.OneToOneField(Company, on_delete=models.CASCADE, related_name="loket")
    state = models.CharField(_("status"), max_length=20, choices=State.choices, default=State.DISCONNECTED)
    access_token_enc = models.TextField(blank=True)
    refresh_token_enc = models.TextField(blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    two_factor_state = models.CharField(max_length=40, blank=True)
    token_generation = models.PositiveIntegerField(default=0)

    # What the Loket user reaches: [{"id", "number", "name"}]; more than one means AK-niveau.
    reachable_employers = models.JSONField(default=list, blank=True)
    employer_id = models.CharField(_("werkgever-id in Loket"), max_length=64, blank=True)
    employer_number = models.PositiveIntegerField(_("werkgeversnummer"), null=True, blank=True)
    employer_name = models.CharField(_("werkgever"), max_length=120, blank=True)
    missing_rights = models.JSONField(default=list, blank=True)
    checked_at = models.DateTimeField(null=True, blank=True)
    # A check that could not finish (429, 5xx, time-out, ...): when, and why (a code of problems.Problem).
    # The state stays what the last finished check found: unknown is not missing.
    check_failed_at = models.DateTimeField(null=True, blank=True)
    check_failure = models.CharField(max_length=30, blank=True)

    component_key = models.PositiveIntegerField(null=True, blank=True)
    component_name = models.CharField(max_length=40, blank=True)
    component_how = models.CharField(max_length=10, blank=True)
    net_component_key = models.PositiveIntegerField(null=True, blank=True)
    net_component_name = models.CharField(max_length=40, blank=True)
    net_component_how = models.CharField(max_length=10, blank=True)
    components_year = models.PositiveIntegerField(null=True, blank=True)
    administration_id = models.CharField(max_length=64, blank=True)
    # The components that can hold a fixed value, as read at the last check: [{"key", "description", ...}].
    component_options = models.JSONField(default=list, blank=True)

    # A message for the employer (e.g. why the connection needs re-authorising); shown until resolved.
    notice = models.TextField(blank=True)
    connected_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    connected_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    # Sync bookkeeping: the highest employment version number imported, and when the next sync is due.
    last_version = models.BigIntegerField(null=True, blank=True)
    next_sync_at = models.DateTimeField(null=True, blank=True, db_index=True)
    last_full_sync_at = models.DateTimeField(null=True, blank=True)

    objects = LoketConnectionQuerySet.as_manager()

    class Meta:
        verbose_name = _("Loket.nl-koppeling")
        constraints = [  # noqa: RUF012
            # One Loket employer, one company: its employees must not come in twice, under two tenants.
            models.UniqueConstraint(
                fields=["employer_id"],
                condition=~models.Q(state="disconnected") & ~models.Q(employer_id=""),
                name="one_company_per_loket_employer",
            )
        ]

    def __str__(self) -> str:
        return f"Loket.nl · {self.company} · {self.state}"

    @property
    def has_tokens(self) -> bool:
        return bool(self.refresh_token_enc)

    @property
    def check_failed(self) -> bool:
        return self.check_failed_at is not None

    def store_tokens(self, access: str, refresh: str, expires_at: datetime, two_factor_state: str) -> None:
        self.access_token_enc = crypto.encrypt(access)
        self.refresh_token_enc = crypto.encrypt(refresh)
        self.expires_at = expires_at
        self.two_factor_state = two_factor_state or ""
        self.token_generation += 1

    def access_token(self) -> str:
        return crypto.decrypt(self.access_token_enc) if self.access_token_enc else ""

    def refresh_token(self) -> str:
        return crypto.decrypt(self.refresh_token_enc) if self.refresh_token_enc else ""

    def forget_tokens(self) -> None:
        self.access_token_enc = ""
        self.refresh_token_enc = ""
        self.expires_at = None
        self.two_factor_state = ""
