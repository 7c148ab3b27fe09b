"""Bank: upload a camt.053 statement, see each file's outcome and what it held. One company's files only."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from inleg.platform.accounts.access import company_of, company_user, requires
from inleg.platform.accounts.models import Right
from inleg.platform.bank import booking, services
from inleg.platform.bank.models import Credit, IgnoredLine, StatementFile
from inleg.platform.domain.contributions.periods import PeriodKey
from inleg.platform.domain.errors import DomainError
from inleg.platform.employees.models import Employment
from inleg.platform.ledger import models as ledger

MAX_UPLOAD_BYTES = 50 * 1024 * 1024  # a year of daily statements of a large provider fits many times


@requires(Right.MANAGE_CONTRIBUTIONS)
def files(request: HttpRequest) -> HttpResponse:
    company = company_of(request)
    if request.method == "POST":
        uploads = request.FILES.getlist("files")
        if not uploads:
            messages.error(request, _("Kies een rekeningafschrift (camt.053, XML) om in te lezen."))
            return redirect("bank:files")
        for upload in uploads:
            if upload.size is not None and upload.size > MAX_UPLOAD_BYTES:
                messages.error(
                    request,
                    _("%(name)s is groter dan 50 MB en is niet ingelezen; lees het in met inleg bank import.")
                    % {"name": upload.name},
                )
                continue
            record = services.import_file(company, upload.name or "", upload.read(), company_user(request))
            if record.outcome == StatementFile.Outcome.REFUSED:
                messages.error(
                    request, _("%(name)s is niet ingelezen: %(why)s") % {"name": record.name, "why": record.message}
                )
            else:
                outcome = booking.book_pending(company)
                messages.success(request, _outcome(record) + " " + _booked(outcome))
        return redirect("bank:files")
    listing = StatementFile.objects.filter(company=company)[:200]
    return render(request, "platform/bank_files.html", {"files": listing})


def _booked(outcome: booking.Outcome) -> str:
    text = _("%(booked)s geboekt in het grootboek.") % {"booked": outcome.booked}
    if outcome.waiting:
        text += " " + _("%(waiting)s terugboekingen zonder bijschrijving wachten op een beslissing.") % {
            "waiting": outcome.waiting
        }
    return text


def _outcome(record: StatementFile) -> str:
    return _(
        "%(name)s ingelezen: %(credits)s nieuwe bijschrijvingen (%(matched)s herkend, %(unrecognised)s niet herkend), "
        "%(reversals)s terugboekingen, %(ignored)s genegeerd, %(duplicates)s al eerder ingelezen."
    ) % {
        "name": record.name,
        "credits": record.credits,
        "matched": record.matched,
        "unrecognised": record.unrecognised,
        "reversals": record.reversals,
        "ignored": record.ignored,
        "duplicates": record.duplicates,
    }


@requires(Right.MANAGE_CONTRIBUTIONS)
def file(request: HttpRequest, file_id: int) -> HttpResponse:
    record = get_object_or_404(StatementFile, pk=file_id, company=company_of(request))
    credits = (
        Credit.objects.filter(statement__file=record)
        .select_related("employee", "reverses")
        .order_by("kind", "booking_date", "pk")
    )
    ignored = IgnoredLine.objects.filter(statement__file=record).order_by("statement_id", "line")
    context = {"file": record, "credits": credits, "ignored": ignored, "outcome": _outcome(record)}
    return render(request, "platform/bank_file.html", context)


def _period(text: str) -> PeriodKey | None:
    """``2026-01`` (as the pages write a period) or None."""
    year, _sep, number = text.strip().partition("-")
    try:
        return PeriodKey(int(year), int(number))
    except (ValueError, DomainError):
        return None


def _credit_page(request: HttpRequest, credit: Credit, error: str = "", status: int = 200) -> HttpResponse:
    company = company_of(request)
    history = ledger.Entry.objects.filter(
        company=company,
        request_id__in=(credit.key, booking.PLACEMENT_PREFIX + credit.key, booking.RETURN_PREFIX + credit.key),
    ).select_related("booked_by", "employment__employee")
    reversal = Credit.objects.filter(reverses=credit).first()
    context = {
        "credit": credit,
        "history": history,
        "reversal": reversal,
        "decision": booking.decision(company, credit),
        "employments": Employment.objects.filter(company=company).select_related("employee").order_by("pk"),
        "error": error,
        "form": request.POST if request.method == "POST" else {},
    }
    return render(request, "platform/bank_credit.html", context, status=status)


@requires(Right.MANAGE_CONTRIBUTIONS)
def credit(request: HttpRequest, credit_id: int) -> HttpResponse:
    return _credit_page(request, get_object_or_404(Credit, pk=credit_id, company=company_of(request)))


@requires(Right.MANAGE_CONTRIBUTIONS)
@require_POST
def place(request: HttpRequest, credit_id: int) -> HttpResponse:
    company = company_of(request)
    row = get_object_or_404(Credit, pk=credit_id, company=company)
    reason = request.POST.get("reason", "").strip()
    employment = Employment.objects.filter(company=company, pk=request.POST.get("employment") or 0).first()
    period = _period(request.POST.get("period", ""))
    if employment is None:
        return _credit_page(request, row, _("Kies het dienstverband waarop de bijschrijving hoort."), 400)
    if period is None:
        return _credit_page(request, row, _("Vul de periode in als jaar-nummer, bijvoorbeeld 2026-01."), 400)
    if not reason:
        return _credit_page(request, row, _("Geef een reden op: die blijft in de geschiedenis bewaard."), 400)
    try:
        booking.place(company, row, employment, period, reason, company_user(request))
    except DomainError as error:
        return _credit_page(request, row, error.problem, 400)
    messages.success(request, _("De bijschrijving is geplaatst."))
    return redirect("bank:credit", credit_id=row.pk)


@requires(Right.MANAGE_CONTRIBUTIONS)
@require_POST
def send_back(request: HttpRequest, credit_id: int) -> HttpResponse:
    company = company_of(request)
    row = get_object_or_404(Credit, pk=credit_id, company=company)
    reason = request.POST.get("reason", "").strip()
    if not reason:
        return _credit_page(request, row, _("Geef een reden op: die blijft in de geschiedenis bewaard."), 400)
    try:
        booking.send_back(company, row, reason, company_user(request))
    except DomainError as error:
        return _credit_page(request, row, error.problem, 400)
    messages.success(request, _("De bijschrijving staat klaar om terug te betalen."))
    return redirect("bank:credit", credit_id=row.pk)
