"""Inleg: the scheme with its history, the preview and the background write, and what the payroll paid."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from inleg.loket import errors as loket_errors
from inleg.platform.accounts.access import company_of, company_user, requires
from inleg.platform.accounts.models import Right
from inleg.platform.contributions import services
from inleg.platform.contributions.models import PaidAmount, Version, WriteRun
from inleg.platform.domain.errors import DomainError
from inleg.platform.domain.money import Cents
from inleg.platform.employees.models import Employment


def _amount(raw: str) -> Cents:
    return Cents.parse(raw.strip().replace(",", "."), "bedrag")


def _percent(raw: str) -> Decimal:
    try:
        return Decimal(raw.strip().replace(",", "."))
    except InvalidOperation as error:
        raise DomainError("percentage", raw, "is geen getal") from error


@requires(Right.MANAGE_CONTRIBUTIONS)
def scheme(request: HttpRequest) -> HttpResponse:
    company, user = company_of(request), company_user(request)
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "scheme":
                kind = request.POST.get("rule", "")
                group = None
                if request.POST.get("scope") == "group":
                    group = [int(pk) for pk in request.POST.getlist("group") if pk.isdigit()]
                if kind == "fixed":
                    services.set_scheme(company, user, amount=_amount(request.POST.get("amount", "")), group=group)
                elif kind == "percent":
                    services.set_scheme(company, user, percent=_percent(request.POST.get("percent", "")), group=group)
                else:
                    raise DomainError(_("regel"), kind, _("is geen keuze: kies een vast bedrag of een percentage."))
            elif action == "stop":
                services.stop_scheme(company, user)
            elif action == "net":
                employment = get_object_or_404(Employment, pk=request.POST.get("employment"), company=company)
                services.set_net_amount(employment, user, _amount(request.POST.get("amount", "")))
            elif action == "exception":
                employment = get_object_or_404(Employment, pk=request.POST.get("employment"), company=company)
                rule = request.POST.get("rule", "")
                services.set_exception(
                    company,
                    user,
                    employment.pk,
                    rule=rule,
                    amount=_amount(request.POST.get("amount", "")) if rule == "fixed" else None,
                    percent=_percent(request.POST.get("percent", "")) if rule == "percent" else None,
                )
            else:
                raise DomainError(_("actie"), action, _("is onbekend."))
        except (DomainError, ValueError, loket_errors.LoketError) as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Opgeslagen. Bekijk de voorvertoning en schrijf daarna naar Loket.nl."))
        return redirect("contributions:scheme")
    effective, problem = None, ""
    try:
        effective = services.effective_period(company)
    except (DomainError, loket_errors.LoketError) as error:
        problem = str(error)
    context = {
        "effective": effective,
        "problem": problem,
        "versions": Version.objects.filter(company=company).select_related("employment__employee").order_by("-pk"),
        "employments": services.writable_employments(company),
    }
    return render(request, "platform/contributions_scheme.html", context)


@requires(Right.MANAGE_CONTRIBUTIONS)
def preview(request: HttpRequest) -> HttpResponse:
    company, user = company_of(request), company_user(request)
    if request.method == "POST":
        try:
            run = services.request_writes(company, user)
        except DomainError as error:
            messages.error(request, str(error))
            return redirect("contributions:preview")
        return redirect("contributions:run", run_id=run.pk)
    lines, problem = [], ""
    try:
        lines = services.preview(company)
    except (DomainError, loket_errors.LoketError) as error:
        problem = str(error)
    return render(request, "platform/contributions_preview.html", {"lines": lines, "problem": problem})


@requires(Right.MANAGE_CONTRIBUTIONS)
def write_run(request: HttpRequest, run_id: int) -> HttpResponse:
    run = get_object_or_404(WriteRun, pk=run_id, company=company_of(request))
    failures = run.failures.select_related("employment__employee").order_by("pk")
    return render(request, "platform/contributions_run.html", {"run": run, "failures": failures})


@requires(Right.MANAGE_CONTRIBUTIONS)
def paid(request: HttpRequest) -> HttpResponse:
    company = company_of(request)
    rows = PaidAmount.objects.filter(company=company).select_related("employment__employee")
    return render(request, "platform/contributions_paid.html", {"rows": rows})
