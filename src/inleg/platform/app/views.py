"""The employee app's pages (/app/): onboarding from the invitation, login, terms, home, the own net amount,
the explanation with the jaarruimte estimate, and the pension account."""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth import authenticate, login, logout
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from inleg.loket.errors import LoketError
from inleg.platform.accounts.forms import LoginForm
from inleg.platform.accounts.models import Role, User
from inleg.platform.app import account as pension
from inleg.platform.app import chart, contributions, invitations, jaarruimte
from inleg.platform.app.access import employee_of, employee_only, own_employment
from inleg.platform.app.forms import MAX_NET_CENTS, EstimateForm, NetAmountForm, OnboardingForm, TermsForm
from inleg.platform.contributions import services
from inleg.platform.domain.contributions.periods import PeriodKey
from inleg.platform.domain.contributions.preview import euro
from inleg.platform.domain.errors import DomainError
from inleg.platform.domain.money import Cents
from inleg.platform.employees.models import Employment


def period_label(key: PeriodKey) -> str:
    return _("periode %(number)s · %(year)s") % {"number": key.number, "year": key.year}


# ---- onboarding ------------------------------------------------------------------------------------------


def onboarding(request: HttpRequest, token: str) -> HttpResponse:
    invitation = invitations.find(token)
    if invitation is None or not invitation.usable():
        reason = "unknown"
        if invitation is not None:
            reason = "locked" if invitation.is_locked else ("used" if invitation.used_at else "expired")
        return render(request, "app/invitation_invalid.html", {"reason": reason}, status=404)
    form = OnboardingForm(request.POST or None, invitation=invitation)
    error = ""
    if request.method == "POST" and form.is_valid():
        outcome = invitations.confirm_birth_date(invitation, form.cleaned_data["date_of_birth"])
        if outcome == invitations.Confirmation.LOCKED:
            return render(request, "app/invitation_invalid.html", {"reason": "locked"}, status=404)
        if outcome == invitations.Confirmation.UNUSABLE:
            return render(request, "app/invitation_invalid.html", {"reason": "expired"}, status=404)
        if outcome == invitations.Confirmation.WRONG:
            left = 5 - invitation.failed_confirmations
            error = _(
                "Uw geboortedatum: deze klopt niet met wat de salarisadministratie van u weet. Controleer hem; "
                "u kunt het nog %(left)s keer proberen."
            ) % {"left": left}
        else:
            user = invitations.activate(invitation, form.cleaned_data["password"])
            if user is None:
                return render(request, "app/invitation_invalid.html", {"reason": "used"}, status=404)
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            return redirect("app:terms")
    context = {"form": form, "invitation": invitation, "error": error}
    return render(request, "app/onboarding.html", context)


def login_view(request: HttpRequest) -> HttpResponse:
    """Employees only (the employer's login refuses them, and this one refuses the employer's people)."""
    form = LoginForm(request.POST or None)
    error = ""
    if request.method == "POST" and form.is_valid():
        user = authenticate(request, email=form.cleaned_data["email"], password=form.cleaned_data["password"])
        if user is None or not isinstance(user, User) or user.role != Role.EMPLOYEE:
            error = _("E-mailadres of wachtwoord onjuist.")
        else:
            login(request, user)
            return redirect("app:home")
    return render(request, "app/login.html", {"form": form, "error": error})


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect("app:login")


@employee_only(terms=False)
def terms(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    accepted = invitations.has_accepted_terms(user)
    form = TermsForm(request.POST or None)
    if request.method == "POST" and not accepted and form.is_valid():
        invitations.accept_terms(user)
        messages.success(request, _("Welkom! U hebt de voorwaarden geaccepteerd."))
        return redirect("app:home")
    context = {"form": form, "accepted": accepted, "version": invitations.TERMS_VERSION}
    return render(request, "app/terms.html", context)


# ---- home ------------------------------------------------------------------------------------------------


def _employments(request: HttpRequest) -> list[Employment]:
    employee = employee_of(request)
    return list(
        Employment.objects.filter(employee=employee, company_id=employee.company_id)
        .select_related("company")
        .order_by("-start_date", "-pk")
    )


@employee_only()
def home(request: HttpRequest) -> HttpResponse:
    employee = employee_of(request)
    cards = []
    for employment in _employments(request):
        outlook = contributions.outlook(employment)
        own = contributions.own_amounts(employment)
        held = pension.balance(employment)
        cards.append(
            {
                "employment": employment,
                "outlook": outlook,
                "period": period_label(outlook.period.key) if outlook else "",
                "employer": euro(outlook.employer) if outlook else "",
                "own_planned": euro(outlook.own) if outlook else "",
                "own": own[0] if own else None,
                "own_euro": euro(own[0].amount) if own else "",
                "own_from": period_label(own[0].from_period) if own else "",
                "balance": euro(held.total),
            }
        )
    return render(request, "app/home.html", {"employee": employee, "cards": cards})


# ---- the own net amount -----------------------------------------------------------------------------------


@employee_only()
def net_amount(request: HttpRequest, employment_id: int) -> HttpResponse:
    employment = own_employment(request, employment_id)
    user = request.user
    assert isinstance(user, User)
    own = contributions.own_amounts(employment)
    initial = {"amount": f"{own[0].amount.value // 100},{own[0].amount.value % 100:02d}"} if own else {}
    form = NetAmountForm(request.POST or None, initial=initial)
    error = ""
    if request.method == "POST" and form.is_valid():
        amount: Cents = form.cleaned_data["amount"]  # 0 stops it (the stop button sends 0)
        try:
            with transaction.atomic():
                version = services.set_net_amount(employment, user, amount)
        except (DomainError, LoketError) as problem:
            error = _("Uw inleg is niet opgeslagen: %(why)s. Probeer het later opnieuw.") % {"why": problem}
        else:
            start = period_label(version.from_period)
            text = (
                _("Uw eigen inleg is gestopt vanaf %(period)s.") % {"period": start}
                if not amount
                else _("Uw eigen inleg is %(amount)s per maand vanaf %(period)s.")
                % {"amount": euro(amount), "period": start}
            )
            messages.success(request, text)
            return redirect("app:home")
    try:
        first = services.effective_period(employment.company)
        effective = _("%(period)s (%(start)s t/m %(end)s)") % {
            "period": period_label(first.key),
            "start": f"{first.start:%d-%m-%Y}",
            "end": f"{first.end:%d-%m-%Y}",
        }
    except (DomainError, LoketError):
        effective = ""
    context = {
        "employment": employment,
        "form": form,
        "error": error,
        "effective": effective,
        "maximum": euro(Cents(MAX_NET_CENTS)),
        "history": [(euro(o.amount), period_label(o.from_period)) for o in own],
        "current": own[0] if own and own[0].amount else None,
    }
    return render(request, "app/net_amount.html", context)


# ---- the explanation ----------------------------------------------------------------------------------------


def _euro_decimal(value: Decimal) -> str:
    """Whole cents by construction (the estimate rounds, a yearly sum of cents stays cents): refused, not rounded."""
    return euro(Cents.parse(value, "bedrag"))


def _unknown_notes() -> list[str]:
    """What figures.json says is not known, in the page's language (the file keeps the record in English)."""
    notes = [
        _(
            "De eigen bekendmaking van de Belastingdienst met de cijfers van de jaarruimte voor 2025 hebben we niet "
            "gevonden; de cijfers hierboven komen uit een vakblad dat ze aanhaalt. Controleer ze op "
            "belastingdienst.nl voordat u erop vertrouwt."
        ),
        _(
            "De heffingskortingen (die met het inkomen afnemen) zijn niet meegenomen in de schatting van wat u "
            "terugkrijgt."
        ),
        _(
            "Uw factor A kent het platform niet: u vult hem zelf in van uw pensioenoverzicht (UPO); 0 als u geen "
            "pensioen opbouwt."
        ),
    ]
    assert len(notes) == len(jaarruimte.unknown()), "figures.json's 'unknown' and these notes say the same things"
    return notes


def _figure_names() -> dict[str, str]:
    return {
        "jaarruimte_percentage": _("Percentage van de premiegrondslag"),
        "jaarruimte_aow_franchise": _("AOW-franchise"),
        "maximum_premiegrondslag_income": _("Maximaal inkomen voor de premiegrondslag"),
        "factor_a_multiplier": _("Vermenigvuldiger van factor A"),
        "box1_bracket_1_rate": _("Tarief box 1, schijf 1"),
        "box1_bracket_2_rate": _("Tarief box 1, schijf 2"),
        "box1_bracket_3_rate": _("Tarief box 1, schijf 3"),
    }


def _figure_value(figure: jaarruimte.Figure) -> str | Decimal:
    """Euros as they are (the page writes them with the one euro filter); a percentage or factor with a comma."""
    if figure.unit.startswith("euro"):
        return figure.value
    number = format(figure.value.normalize(), "f").replace(".", ",")
    return f"{number}%" if figure.unit == "percent" else number


@employee_only()
def explanation(request: HttpRequest) -> HttpResponse:
    form = EstimateForm(request.GET if "income" in request.GET else None)
    result = None
    yearly = Decimal(0)
    for employment in _employments(request):
        outlook = contributions.outlook(employment)
        if outlook:
            yearly += (outlook.employer + outlook.own).to_decimal() * 12
    if form.is_bound and form.is_valid():
        estimate = jaarruimte.estimate(form.cleaned_data["income"], yearly, form.cleaned_data["factor_a"])
        result = {
            "premiegrondslag": _euro_decimal(estimate.premiegrondslag),
            "jaarruimte": _euro_decimal(estimate.jaarruimte),
            "deduction": _euro_decimal(estimate.deduction),
            "tax_back": _euro_decimal(estimate.tax_back),
            "year": estimate.year,
        }
    figures = jaarruimte.figures()
    names = _figure_names()
    context = {
        "form": form,
        "result": result,
        "yearly": _euro_decimal(yearly),
        "figures": [
            {
                "name": names.get(f.key, f.key),
                "value": _figure_value(f),
                "up_to": f.up_to,
                "year": f.year,
                "source": f.source,
            }
            for f in figures.values()
        ],
        "f": {k: _figure_value(v) for k, v in figures.items()},
        "unknown": _unknown_notes(),
    }
    return render(request, "app/explanation.html", context)


# ---- the pension account ------------------------------------------------------------------------------------


@employee_only()
def account(request: HttpRequest, employment_id: int) -> HttpResponse:
    employment = own_employment(request, employment_id)
    outlook = contributions.outlook(employment)
    expected = {outlook.period.key: (outlook.employer, outlook.own)} if outlook else {}
    lines = pension.period_lines(employment, expected)
    received = [line for line in reversed(lines) if line.status == pension.Status.RECEIVED]
    bars = chart.bars(
        [
            (
                f"{line.period.number}/{str(line.period.year)[2:]}",
                line.employer,
                line.own,
                _("%(period)s: werkgever %(employer)s, eigen %(own)s")
                % {"period": period_label(line.period), "employer": euro(line.employer), "own": euro(line.own)},
            )
            for line in received[-12:]
        ]
    )
    held = pension.balance(employment)
    context = {
        "employment": employment,
        "balance": {"employer": euro(held.employer), "own": euro(held.own), "total": euro(held.total)},
        "bars": bars,
        "chart": {"width": chart.WIDTH, "height": chart.HEIGHT, "base": chart.HEIGHT - chart.BOTTOM},
        "received": [
            {"period": period_label(x.period), "employer": euro(x.employer), "own": euro(x.own), "total": euro(x.total)}
            for x in received
        ],
        "lines": [
            {
                "period": period_label(x.period),
                "status": x.status.label,
                "status_key": x.status.name.lower(),
                "employer": euro(x.employer),
                "own": euro(x.own),
                "total": euro(x.total),
            }
            for x in lines
        ],
    }
    return render(request, "app/account.html", context)
