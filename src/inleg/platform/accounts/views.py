"""Registration, login (throttled by django-axes), logout, and Bedrijf > Gebruikers: invitations, rights, withdrawal."""

from __future__ import annotations

import math

from axes.helpers import get_cool_off
from django.contrib import messages
from django.contrib.auth import authenticate, login, logout
from django.core.mail import send_mail
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from inleg.platform.accounts.access import company_of, company_user, requires
from inleg.platform.accounts.forms import AcceptForm, InviteForm, LoginForm, RegisterForm, RightsForm
from inleg.platform.accounts.models import Company, Invitation, Role, User


def register(request: HttpRequest) -> HttpResponse:
    form = RegisterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with transaction.atomic():
            company = Company.objects.create(
                name=data["company_name"], chamber_of_commerce_number=data["chamber_of_commerce_number"]
            )
            user = User.objects.create_user(
                data["email"], data["password"], name=data["name"], company=company, role=Role.ADMIN
            )
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, _("Welkom! Uw bedrijf %(name)s is aangemaakt.") % {"name": company.name})
        return redirect("home")
    return render(request, "platform/register.html", {"form": form})


def login_view(request: HttpRequest) -> HttpResponse:
    """Login by e-mail address. A locked pair of address and client (axes sets request.axes_locked_out, in
    authenticate) is answered by AxesMiddleware with ``locked_out`` below, whatever this view returns."""
    form = LoginForm(request.POST or None)
    error = ""
    if request.method == "POST" and form.is_valid():
        user = authenticate(request, email=form.cleaned_data["email"], password=form.cleaned_data["password"])
        if user is None or not isinstance(user, User) or user.role == Role.EMPLOYEE:
            error = _("E-mailadres of wachtwoord onjuist.")
        else:
            login(request, user)
            target = request.GET.get("next", "")
            if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
                target = reverse("home")
            return redirect(target)
    return render(request, "platform/login.html", {"form": form, "error": error})


def locked_out(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: object = None
) -> HttpResponse:
    """AXES_LOCKOUT_CALLABLE: the login page with what happened and what to do, status 429 (Too Many Requests)."""
    cool_off = get_cool_off(request)
    minutes = max(1, math.ceil(cool_off.total_seconds() / 60)) if cool_off else 0
    error = ngettext(
        "Te veel mislukte pogingen om met dit e-mailadres in te loggen. Wacht %(minutes)d minuut en probeer het "
        "dan opnieuw.",
        "Te veel mislukte pogingen om met dit e-mailadres in te loggen. Wacht %(minutes)d minuten en probeer het "
        "dan opnieuw.",
        minutes,
    ) % {"minutes": minutes}
    form = LoginForm(request.POST or None)
    form.is_valid()  # the address stays in the field
    return render(request, "platform/login.html", {"form": form, "error": error}, status=429)


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect("accounts:login")


@requires()
def users(request: HttpRequest) -> HttpResponse:
    """Bedrijf > Gebruikers."""
    company = company_of(request)
    me = company_user(request)
    form = InviteForm(request.POST or None, company=company)
    if request.method == "POST":
        if not me.is_admin:
            return HttpResponse(status=403)
        if form.is_valid():
            data = form.cleaned_data
            invitation, token = Invitation.issue(company, data["email"], data["name"], data["rights"], me)
            link = request.build_absolute_uri(reverse("accounts:accept", args=[token]))
            send_mail(
                _("Uitnodiging voor %(company)s op het werkgeversplatform") % {"company": company.name},
                _("%(by)s nodigt u uit als salarisadministrateur. Maak uw account aan via: %(link)s")
                % {"by": me.name, "link": link},
                None,
                [invitation.email],
            )
            messages.success(request, _("Uitnodiging verstuurd naar %(email)s.") % {"email": invitation.email})
            request.session["last_invitation_link"] = link
            return redirect("accounts:users")
    people = company.users.exclude(role=Role.EMPLOYEE).order_by("role", "name")
    invitations = Invitation.objects.open().filter(company=company).order_by("-created_at")
    rights_forms = {u.pk: RightsForm(initial={"rights": u.rights}, prefix=f"u{u.pk}") for u in people}
    rows = [(u, rights_forms[u.pk]) for u in people]
    context = {
        "rows": rows,
        "invitations": invitations,
        "form": form,
        "me": me,
        "invitation_link": request.session.pop("last_invitation_link", ""),
    }
    return render(request, "platform/users.html", context)


@require_POST
@requires(admin=True)
def change_rights(request: HttpRequest, user_id: int) -> HttpResponse:
    company = company_of(request)
    person = get_object_or_404(User, pk=user_id, company=company, role=Role.PAYROLL)
    form = RightsForm(request.POST, prefix=f"u{person.pk}")
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for e in form.errors.get("rights", [])))
        return redirect("accounts:users")
    person.rights = form.cleaned_data["rights"]
    person.is_active = True
    person.save(update_fields=["rights", "is_active"])
    messages.success(request, _("Rechten van %(name)s bijgewerkt.") % {"name": person.name})
    return redirect("accounts:users")


@require_POST
@requires(admin=True)
def withdraw(request: HttpRequest, user_id: int) -> HttpResponse:
    """Withdraw a payroll administrator's access: rights cleared and the account deactivated (kept for the log)."""
    company = company_of(request)
    person = get_object_or_404(User, pk=user_id, company=company, role=Role.PAYROLL)
    person.rights = []
    person.is_active = False
    person.save(update_fields=["rights", "is_active"])
    messages.success(request, _("Toegang van %(name)s ingetrokken.") % {"name": person.name})
    return redirect("accounts:users")


@require_POST
@requires(admin=True)
def withdraw_invitation(request: HttpRequest, invitation_id: int) -> HttpResponse:
    company = company_of(request)
    invitation = get_object_or_404(Invitation.objects.open(), pk=invitation_id, company=company)
    invitation.withdrawn_at = timezone.now()
    invitation.save(update_fields=["withdrawn_at"])
    messages.success(request, _("Uitnodiging voor %(email)s ingetrokken.") % {"email": invitation.email})
    return redirect("accounts:users")


def accept(request: HttpRequest, token: str) -> HttpResponse:
    invitation = Invitation.find(token)
    if invitation is None:
        return render(request, "platform/invitation_invalid.html", status=404)
    form = AcceptForm(request.POST or None, invitation=invitation)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            locked = Invitation.objects.select_for_update().open().filter(pk=invitation.pk).first()
            if locked is None or User.objects.filter(email=invitation.email).exists():
                return render(request, "platform/invitation_invalid.html", status=404)
            user = User.objects.create_user(
                invitation.email,
                form.cleaned_data["password"],
                name=invitation.name,
                company=invitation.company,
                role=Role.PAYROLL,
                rights=invitation.rights,
            )
            locked.accepted_at = timezone.now()
            locked.save(update_fields=["accepted_at"])
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, _("Welkom bij %(company)s.") % {"company": invitation.company.name})
        return redirect("home")
    return render(request, "platform/accept.html", {"form": form, "invitation": invitation})
