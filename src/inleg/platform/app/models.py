"""The employee app's tables: invitations of employees, accepted terms, and the outbox of the demo's mail."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from typing import ClassVar

from django.db import models
from django.db.models import Q
from django.utils import timezone

from inleg.platform.accounts.models import Company, User
from inleg.platform.employees.models import Employee

INVITATION_DAYS = 14
MAX_CONFIRMATION_FAILURES = 5


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class EmployeeInvitation(models.Model):
    """One link sent to an employee; only its hash is stored. A resend replaces it (``replaced_at``): at most one
    open invitation per employee (a partial unique constraint)."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="+")
    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="app_invitations")
    email = models.EmailField()  # where it was sent (the employee's address then)
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    replaced_at = models.DateTimeField(null=True, blank=True)
    failed_confirmations = models.PositiveSmallIntegerField(default=0)
    locked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-created_at", "-pk")
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(
                fields=["employee"],
                condition=Q(used_at__isnull=True, replaced_at__isnull=True),
                name="app_one_open_invitation_per_employee",
            ),
        ]

    @classmethod
    def new(cls, employee: Employee, by: User | None) -> tuple[EmployeeInvitation, str]:
        token = secrets.token_urlsafe(32)
        now = timezone.now()
        invitation = cls.objects.create(
            company=employee.company,
            employee=employee,
            email=employee.email,
            token_hash=token_hash(token),
            invited_by=by,
            created_at=now,
            expires_at=now + timedelta(days=INVITATION_DAYS),
        )
        return invitation, token

    @property
    def is_locked(self) -> bool:
        return self.locked_at is not None

    def usable(self) -> bool:
        return (
            self.used_at is None
            and self.replaced_at is None
            and self.locked_at is None
            and self.expires_at > timezone.now()
        )


class TermsAcceptance(models.Model):
    """The terms an employee accepted: which version, when. Never updated; a new version asks again."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="terms_accepted")
    version = models.CharField(max_length=20)
    accepted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["user", "version"], name="app_terms_once_per_version"),
        ]


class OutboxMessage(models.Model):
    """A mail the platform sent, kept in the database by ``outbox.DatabaseBackend`` (the demo's mail)."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    subject = models.CharField(max_length=300)
    body = models.TextField()
    from_email = models.CharField(max_length=254)
    to = models.JSONField(default=list)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("-sent_at", "-pk")
