"""Afstemming: per period the four amounts per employee, the status and who must act; CSV and XLSX. The company's
own periods and employments only (another's: 404)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from inleg.platform.accounts.access import company_of, requires
from inleg.platform.accounts.models import Right
from inleg.platform.domain.contributions.periods import PeriodKey
from inleg.platform.domain.errors import DomainError
from inleg.platform.domain.reconciliation import Status
from inleg.platform.employees.models import Employment
from inleg.platform.reconciliation import export, services
from inleg.platform.reconciliation.chart import chart

CHART_PERIODS = 12


def _period(company_periods: list[PeriodKey], text: str) -> PeriodKey:
    year, _sep, number = text.partition("-")
    try:
        period = PeriodKey(int(year), int(number))
    except (ValueError, DomainError):
        raise Http404 from None
    if period not in company_periods:
        raise Http404
    return period


@requires(Right.MANAGE_CONTRIBUTIONS)
def latest(request: HttpRequest) -> HttpResponse:
    periods = services.known_periods(company_of(request))
    if not periods:
        return render(request, "platform/reconciliation.html", {"periods": [], "lines": []})
    return redirect("reconciliation:period", period=str(periods[-1]))


@requires(Right.MANAGE_CONTRIBUTIONS)
def period(request: HttpRequest, period: str) -> HttpResponse:
    company = company_of(request)
    periods = services.known_periods(company)
    key = _period(periods, period)
    lines = services.reconcile(company, key)
    wanted = request.GET.get("status", "")
    statuses = sorted({line.verdict.status for line in lines}, key=list(Status).index)
    shown = [line for line in lines if not wanted or line.verdict.status == wanted]
    totals = services.totals(company, periods[-CHART_PERIODS:])
    context = {
        "periods": periods,
        "period": key,
        "lines": shown,
        "count": len(lines),
        "statuses": statuses,
        "wanted": wanted,
        "totals": totals,
        "chart": chart(totals),
    }
    return render(request, "platform/reconciliation.html", context)


@requires(Right.MANAGE_CONTRIBUTIONS)
def download(request: HttpRequest, period: str, kind: str) -> HttpResponse:
    company = company_of(request)
    key = _period(services.known_periods(company), period)
    lines = services.reconcile(company, key)
    wanted = request.GET.get("status", "")
    lines = [line for line in lines if not wanted or line.verdict.status == wanted]
    name = f"afstemming-{key}"
    if kind == "csv":
        response = HttpResponse(export.to_csv(lines, str(key)), content_type="text/csv; charset=utf-8")
    elif kind == "xlsx":
        response = HttpResponse(
            export.to_xlsx(lines, str(key)),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        raise Http404
    response["Content-Disposition"] = f'attachment; filename="{name}.{kind}"'
    return response


@requires(Right.MANAGE_CONTRIBUTIONS)
def employment(request: HttpRequest, employment_id: int) -> HttpResponse:
    company = company_of(request)
    row = get_object_or_404(Employment.objects.select_related("employee"), pk=employment_id, company=company)
    lines = []
    for key in services.known_periods(company):
        lines += [(key, line) for line in services.reconcile(company, key) if line.employment.pk == row.pk]
    return render(request, "platform/reconciliation_employment.html", {"employment": row, "lines": lines})
