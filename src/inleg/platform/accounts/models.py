"""Companies (the tenants), their users with roles and rights, and invitations. Failed logins: django-axes."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from typing import Any, ClassVar

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

INVITATION_DAYS = 7


class Company(models.Model):
    """An employer on the platform (Bedrijf): every other record belongs to exactly one company."""

    name = models.CharField(_("bedrijfsnaam"), max_length=120)
    chamber_of_commerce_number = models.CharField(_("KvK-nummer"), max_length=8, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("bedrijf")
        verbose_name_plural = _("bedrijven")

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    ADMIN = "admin", _("Werkgever (beheerder)")
    PAYROLL = "payroll", _("Salarisadministrateur")
    EMPLOYEE = "employee", _("Werknemer")


class Right(models.TextChoices):
    """What a payroll administrator may do; the employer admin may do everything."""

    MANAGE_INTEGRATION = "manage_integration", _("Koppeling met Loket.nl beheren")
    VIEW_EMPLOYEES = "view_employees", _("Werknemers inzien")
    MANAGE_CONTRIBUTIONS = "manage_contributions", _("Inleg beheren")


class UserManager(BaseUserManager["User"]):
    def create_user(self, email: str, password: str | None = None, **fields: Any) -> User:
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save(using=self._db)
        return user


class User(AbstractBaseUser):
    """A person on the platform. Logs in by e-mail address; belongs to one company with one role.

    Employee accounts are made by the import from Loket.nl and cannot log in until invited (a later issue):
    they have no e-mail login and no usable password.
    """

    email = models.EmailField(_("e-mailadres"), unique=True, null=True, blank=True)
    name = models.CharField(_("naam"), max_length=120)
    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="users")
    role = models.CharField(_("rol"), max_length=10, choices=Role.choices)
    rights = models.JSONField(_("rechten"), default=list, blank=True)
    is_active = models.BooleanField(_("actief"), default=True)
    language = models.CharField(_("taal"), max_length=5, default="nl")
    created_at = models.DateTimeField(auto_now_add=True)

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = ["name"]
    objects = UserManager()

    class Meta:
        verbose_name = _("gebruiker")
        verbose_name_plural = _("gebruikers")

    def __str__(self) -> str:
        return self.name or (self.email or "")

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN

    def has_right(self, right: str) -> bool:
        if not self.is_active:
            return False
        if self.role == Role.ADMIN:
            return True
        return self.role == Role.PAYROLL and right in self.rights

    def rights_display(self) -> list[str]:
        return [str(Right(r).label) for r in self.rights if r in Right.values]


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class InvitationQuerySet(models.QuerySet["Invitation"]):
    def open(self) -> InvitationQuerySet:
        return self.filter(accepted_at__isnull=True, withdrawn_at__isnull=True, expires_at__gt=timezone.now())


class Invitation(models.Model):
    """An invitation for a payroll administrator: only the token's hash is stored."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("e-mailadres"))
    name = models.CharField(_("naam"), max_length=120)
    rights = models.JSONField(_("rechten"), default=list)
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    @classmethod
    def issue(cls, company: Company, email: str, name: str, rights: list[str], by: User) -> tuple[Invitation, str]:
        token = secrets.token_urlsafe(32)
        invitation = cls.objects.create(
            company=company,
            email=email.lower(),
            name=name,
            rights=rights,
            token_hash=_hash(token),
            invited_by=by,
            expires_at=timezone.now() + timedelta(days=INVITATION_DAYS),
        )
        return invitation, token

    @classmethod
    def find(cls, token: str) -> Invitation | None:
        return cls.objects.open().filter(token_hash=_hash(token)).select_related("company").first()
