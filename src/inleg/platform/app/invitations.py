"""Inviting employees into the app: who may be invited, the link (single use, expiring, replaced by a resend),
the mail, and the confirmation of who you are (a birth date; too many wrong ones lock the link)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from inleg.platform.accounts.models import Company, Role, User
from inleg.platform.app.models import MAX_CONFIRMATION_FAILURES, EmployeeInvitation, TermsAcceptance, token_hash
from inleg.platform.app.outbox import COMPANY_HEADER
from inleg.platform.employees.models import Employee

TERMS_VERSION = "2025-1"

# Turns a token into the absolute link of the onboarding page (the request knows the host).
LinkBuilder = Callable[[str], str]


class State(StrEnum):
    NOT_INVITED = "not_invited"
    INVITED = "invited"
    EXPIRED = "expired"
    LOCKED = "locked"
    ONBOARDED = "onboarded"
    LEAVER = "leaver"
    NO_EMAIL = "no_email"
    EMAIL_TAKEN = "email_taken"


LABELS = {
    State.NOT_INVITED: _("niet uitgenodigd"),
    State.INVITED: _("uitgenodigd"),
    State.EXPIRED: _("uitnodiging verlopen"),
    State.LOCKED: _("uitnodiging geblokkeerd (te vaak een verkeerde geboortedatum)"),
    State.ONBOARDED: _("onboarded"),
    State.LEAVER: _("uit dienst: wordt niet uitgenodigd"),
    State.NO_EMAIL: _("geen e-mailadres in de salarisadministratie"),
    State.EMAIL_TAKEN: _("e-mailadres hoort al bij een ander account"),
}


class CannotInvite(Exception):
    def __init__(self, employee: Employee, state: State) -> None:
        super().__init__(f"{employee.full_name}: {LABELS[state]}")
        self.state = state


def is_leaver(employee: Employee, today: date | None = None) -> bool:
    """No employment that runs today or later (ended, or none at all, or gone from Loket)."""
    today = today or timezone.localdate()
    return not any(
        e.gone_from_loket_at is None and (e.end_date is None or e.end_date >= today) for e in employee.employments.all()
    )


def is_onboarded(employee: Employee) -> bool:
    user = employee.user
    return user is not None and user.is_active and user.has_usable_password()


def state_of(employee: Employee, latest: EmployeeInvitation | None) -> State:
    if is_onboarded(employee):
        return State.ONBOARDED
    if is_leaver(employee):
        return State.LEAVER
    if not employee.email:
        return State.NO_EMAIL
    others = User.objects.filter(email=employee.email.lower())
    if employee.user_id is not None:
        others = others.exclude(pk=employee.user_id)
    if others.exists():
        return State.EMAIL_TAKEN
    if latest is None or latest.replaced_at is not None or latest.used_at is not None:
        return State.NOT_INVITED
    if latest.locked_at is not None:
        return State.LOCKED
    if latest.expires_at <= timezone.now():
        return State.EXPIRED
    return State.INVITED


@dataclass(frozen=True)
class Row:
    employee: Employee
    state: State
    invitation: EmployeeInvitation | None

    @property
    def label(self) -> str:
        return str(LABELS[self.state])

    @property
    def invitable(self) -> bool:
        return self.state in (State.NOT_INVITED, State.INVITED, State.EXPIRED, State.LOCKED)


def latest(employee: Employee) -> EmployeeInvitation | None:
    return EmployeeInvitation.objects.filter(employee=employee).order_by("created_at", "pk").last()


def overview(company: Company) -> list[Row]:
    people = (
        Employee.objects.filter(company=company, gone_from_loket_at__isnull=True)
        .select_related("user")
        .prefetch_related("employments")
        .order_by("employee_number", "pk")
    )
    latest: dict[int, EmployeeInvitation] = {}
    for invitation in EmployeeInvitation.objects.filter(company=company).order_by("created_at", "pk"):
        latest[invitation.employee_id] = invitation
    return [Row(p, state_of(p, latest.get(p.pk)), latest.get(p.pk)) for p in people]


def send_invitation(employee: Employee, by: User, build_link: LinkBuilder) -> EmployeeInvitation:
    """Invite (or invite again: the open link is replaced and stops working) and send the mail."""
    state = state_of(employee, None)
    if state in (State.ONBOARDED, State.LEAVER, State.NO_EMAIL, State.EMAIL_TAKEN):
        raise CannotInvite(employee, state)
    with transaction.atomic():
        Employee.objects.select_for_update().filter(pk=employee.pk).first()
        EmployeeInvitation.objects.filter(employee=employee, used_at__isnull=True, replaced_at__isnull=True).update(
            replaced_at=timezone.now()
        )
        invitation, token = EmployeeInvitation.new(employee, by)
        link = build_link(token)
        company = employee.company
        message = EmailMessage(
            f"{company.name} nodigt u uit voor de Pensify-app",
            (
                f"Beste {employee.first_name or employee.full_name},\n\n{company.name} zet elke maand geld opzij "
                "voor uw pensioen, via uw salaris. In de Pensify-app ziet u wat er op uw pensioenrekening staat en "
                "kunt u zelf iets bijleggen.\n\nMaak uw account aan via deze link (eenmalig te gebruiken, geldig tot "
                f"{timezone.localtime(invitation.expires_at):%d-%m-%Y}):\n{link}\n\n"
                "U bevestigt daar wie u bent met uw geboortedatum."
            ),
            None,
            [invitation.email],
            headers={COMPANY_HEADER: str(company.pk)},
        )
        message.send()
    return invitation


def find(token: str) -> EmployeeInvitation | None:
    """The invitation of ``token`` whatever its state (the page says why it cannot be used)."""
    return (
        EmployeeInvitation.objects.filter(token_hash=token_hash(token))
        .select_related("employee", "employee__user", "company")
        .first()
    )


class Confirmation(StrEnum):
    OK = "ok"
    WRONG = "wrong"
    LOCKED = "locked"
    UNUSABLE = "unusable"


def confirm_birth_date(invitation: EmployeeInvitation, given: date) -> Confirmation:
    """Compare with what the payroll knows. A wrong date counts (committed even though the page shows an error);
    the fifth locks the link: the employer must send a new one."""
    with transaction.atomic():
        locked = EmployeeInvitation.objects.select_for_update().select_related("employee").get(pk=invitation.pk)
        if not locked.usable():
            return Confirmation.LOCKED if locked.is_locked else Confirmation.UNUSABLE
        if locked.employee.date_of_birth is not None and locked.employee.date_of_birth == given:
            return Confirmation.OK
        locked.failed_confirmations += 1
        fields = ["failed_confirmations"]
        if locked.failed_confirmations >= MAX_CONFIRMATION_FAILURES:
            locked.locked_at = timezone.now()
            fields.append("locked_at")
        locked.save(update_fields=fields)
        invitation.failed_confirmations, invitation.locked_at = locked.failed_confirmations, locked.locked_at
        return Confirmation.LOCKED if locked.is_locked else Confirmation.WRONG


def activate(invitation: EmployeeInvitation, password: str) -> User | None:
    """The account of the invited employee: e-mail address, password, active; the link used up. None when the
    link was used, replaced or locked in the meantime."""
    with transaction.atomic():
        locked = EmployeeInvitation.objects.select_for_update().filter(pk=invitation.pk).first()
        if locked is None or not locked.usable():
            return None
        employee = Employee.objects.select_related("user").get(pk=locked.employee_id)
        user = employee.user
        if user is None:
            user = User(name=employee.full_name[:120] or "?", company=employee.company, role=Role.EMPLOYEE)
        if User.objects.filter(email=locked.email.lower()).exclude(pk=user.pk).exists():
            return None
        user.email = locked.email.lower()
        user.is_active = True
        user.role = Role.EMPLOYEE
        user.set_password(password)
        user.save()
        if employee.user_id != user.pk:
            employee.user = user
            employee.save(update_fields=["user"])
        locked.used_at = timezone.now()
        locked.save(update_fields=["used_at"])
    return user


def has_accepted_terms(user: User) -> bool:
    return TermsAcceptance.objects.filter(user=user, version=TERMS_VERSION).exists()


def accept_terms(user: User) -> TermsAcceptance:
    found, _created = TermsAcceptance.objects.get_or_create(user=user, version=TERMS_VERSION)
    return found
