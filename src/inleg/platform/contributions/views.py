"""Inleg: the scheme with its history, the preview and the background write, and per period what was planned,
what Loket holds and what the payroll paid."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from inleg.loket import errors as loket_errors
from inleg.platform.accounts.access import company_of, company_user, requires
from inleg.platform.accounts.models import Company, Right
from inleg.platform.contributions import overview, services
from inleg.platform.contributions.messages import explain
from inleg.platform.contributions.models import Version, WriteRun
from inleg.platform.domain import contributions as domain
from inleg.platform.domain.contributions.periods import PeriodKey
from inleg.platform.domain.errors import DomainError
from inleg.platform.domain.money import Cents, InvalidAmount
from inleg.platform.employees.models import Employment

FAILURES = (DomainError, loket_errors.LoketError)


def _amount(raw: str) -> Cents:
    """``1.234,56`` or ``50,00`` (or ``50.00``) as typed; a refusal names the amount as it was typed."""
    typed = raw.strip()
    try:
        return Cents.parse(typed.replace(".", "").replace(",", ".") if "," in typed else typed, "bedrag")
    except InvalidAmount as error:
        raise InvalidAmount("bedrag", typed, error.problem) from None


def _percent(raw: str) -> Decimal:
    try:
        return Decimal(raw.strip().replace(",", "."))
    except InvalidOperation as error:
        raise DomainError("percentage", raw, "is not a number") from error


def _period(raw: str) -> PeriodKey | None:
    """``2025-03`` from the period select; empty: the first possible period."""
    if not raw:
        return None
    year, _sep, number = raw.partition("-")
    if not (year.isdigit() and number.isdigit()):
        raise DomainError("from_period", raw, "is not a period such as 2025-03")
    return PeriodKey(int(year), int(number))


def _group(request: HttpRequest, company: Company) -> list[int] | None:
    if request.POST.get("scope") != "group":
        return None
    chosen = {int(pk) for pk in request.POST.getlist("group") if pk.isdigit()}
    numbers = request.POST.get("numbers", "").strip()
    if numbers:
        chosen |= set(services.employments_by_numbers(company, numbers))
    return sorted(chosen)


def _periods_by_key(company: Company) -> dict[PeriodKey, domain.PayrollPeriod]:
    periods, _ran = services.payroll_periods(company)
    return {p.key: p for p in periods}


def _save_scheme(request: HttpRequest, company: Company, *, check: bool) -> str:
    """Save the scheme of the form; with ``check`` only say from which period it would apply."""
    user = company_user(request)
    kind = request.POST.get("rule", "")
    group = _group(request, company)
    wanted = _period(request.POST.get("from_period", ""))
    amount = _amount(request.POST.get("amount", "")) if kind == "fixed" else None
    percent = _percent(request.POST.get("percent", "")) if kind == "percent" else None
    if kind not in ("fixed", "percent"):
        raise DomainError("regel", kind, "is no choice")
    if check:
        start = services.check_from_period(company, wanted)
        period = _periods_by_key(company)[start]
        return _("Gaat in vanaf periode %(number)s van %(year)s (%(start)s).") % {
            "number": period.number,
            "year": period.year,
            "start": f"{period.start.day}-{period.start.month}-{period.start.year}",
        }
    version = services.set_scheme(company, user, amount=amount, percent=percent, group=group, from_period=wanted)
    return _("Opgeslagen: de regeling gaat in vanaf periode %(number)s van %(year)s.") % {
        "number": version.from_number,
        "year": version.from_year,
    }


@requires(Right.MANAGE_CONTRIBUTIONS)
def scheme(request: HttpRequest) -> HttpResponse:
    company, user = company_of(request), company_user(request)
    checked = ""
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "scheme":
                if "check" in request.POST:
                    checked = _save_scheme(request, company, check=True)
                else:
                    messages.success(request, _save_scheme(request, company, check=False))
            elif action == "stop":
                services.stop_scheme(company, user, from_period=_period(request.POST.get("from_period", "")))
                messages.success(request, _("Opgeslagen. Bekijk de voorvertoning en schrijf daarna naar Loket.nl."))
            elif action == "net":
                employment = get_object_or_404(Employment, pk=request.POST.get("employment"), company=company)
                services.set_net_amount(employment, user, _amount(request.POST.get("amount", "")))
                messages.success(request, _("Opgeslagen. Bekijk de voorvertoning en schrijf daarna naar Loket.nl."))
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
                messages.success(request, _("Opgeslagen. Bekijk de voorvertoning en schrijf daarna naar Loket.nl."))
            else:
                raise DomainError("actie", action, "is unknown")
        except FAILURES as error:
            messages.error(request, explain(error))
            if action != "scheme":
                return redirect("contributions:scheme")
        else:
            if not checked:
                return redirect("contributions:scheme")
    effective, problem, choices = None, "", []
    try:
        effective = services.effective_period(company)
        choices = services.selectable_periods(company)
    except FAILURES as error:
        problem = explain(error)
    employments = services.writable_employments(company)
    context = {
        "effective": effective,
        "choices": choices,
        "problem": problem,
        "checked": checked,
        "form": request.POST if request.method == "POST" else {},
        "chosen": set(request.POST.getlist("group")) if request.method == "POST" else set(),
        "versions": Version.objects.filter(company=company).select_related("employment__employee").order_by("-pk"),
        "employments": employments,
    }
    return render(request, "platform/contributions_scheme.html", context)


@requires(Right.MANAGE_CONTRIBUTIONS)
def preview(request: HttpRequest) -> HttpResponse:
    company, user = company_of(request), company_user(request)
    if request.method == "POST":
        try:
            run = services.request_writes(company, user)
        except FAILURES as error:
            messages.error(request, explain(error))
            return redirect("contributions:preview")
        return redirect("contributions:run", run_id=run.pk)
    lines, problem = [], ""
    try:
        lines = services.preview(company)
    except FAILURES as error:
        problem = explain(error)
    return render(request, "platform/contributions_preview.html", {"lines": lines, "problem": problem})


@requires(Right.MANAGE_CONTRIBUTIONS)
def write_run(request: HttpRequest, run_id: int) -> HttpResponse:
    run = get_object_or_404(WriteRun, pk=run_id, company=company_of(request))
    failures = run.failures.select_related("employment__employee").order_by("pk")
    return render(request, "platform/contributions_run.html", {"run": run, "failures": failures})


@requires(Right.MANAGE_CONTRIBUTIONS)
def periods(request: HttpRequest) -> HttpResponse:
    """Per period: planned, held by Loket, paid by the payroll; "Lees resultaten" reads approved runs now."""
    company = company_of(request)
    if request.method == "POST":
        try:
            read = services.read_approved_results(company)
        except FAILURES as error:
            messages.error(request, explain(error))
        else:
            if read:
                names = ", ".join(f"{p.number} van {p.year}" for p in read)
                messages.success(request, _("De resultaten van periode %(periods)s zijn gelezen.") % {"periods": names})
            else:
                messages.info(request, _("Geen nieuwe goedgekeurde verloning in Loket.nl."))
        return redirect("contributions:periods")
    rows, problem = [], ""
    try:
        rows = overview.period_rows(company)
    except FAILURES as error:
        problem = explain(error)
    return render(request, "platform/contributions_periods.html", {"rows": rows, "problem": problem})


@requires(Right.MANAGE_CONTRIBUTIONS)
def period(request: HttpRequest, year: int, number: int) -> HttpResponse:
    company = company_of(request)
    try:
        key = PeriodKey(year, number)
    except DomainError:
        raise Http404 from None
    lines, problem, shown = [], "", None
    try:
        shown = _periods_by_key(company).get(key)
        if shown is None:
            raise Http404
        lines = overview.lines_of(company, [shown])[key]
    except FAILURES as error:
        problem = explain(error)
    context = {"period": shown, "key": key, "lines": lines, "problem": problem}
    return render(request, "platform/contributions_period.html", context)
