"""Bank: upload a camt.053 statement, see each file's outcome and what it held. One company's files only."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from inleg.platform.accounts.access import company_of, company_user, requires
from inleg.platform.accounts.models import Right
from inleg.platform.bank import services
from inleg.platform.bank.models import Credit, IgnoredLine, StatementFile

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
                messages.success(request, _outcome(record))
        return redirect("bank:files")
    listing = StatementFile.objects.filter(company=company)[:200]
    return render(request, "platform/bank_files.html", {"files": listing})


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
