"""The employer's side of the app, under Werknemers: who is invited and onboarded, inviting one or all, and the
outbox of the mail the platform sent (the demo's mail: only with the database backend)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from inleg.platform.accounts.access import company_of, company_user, requires
from inleg.platform.accounts.models import Right
from inleg.platform.app import invitations, tasks
from inleg.platform.app.models import OutboxMessage
from inleg.platform.employees.models import Employee

OUTBOX_BACKEND = "inleg.platform.app.outbox.DatabaseBackend"


def _link_builder(request: HttpRequest) -> invitations.LinkBuilder:
    return lambda token: request.build_absolute_uri(reverse("app:onboarding", args=[token]))


@requires(Right.VIEW_EMPLOYEES)
def overview(request: HttpRequest) -> HttpResponse:
    rows = invitations.overview(company_of(request))
    counts: dict[str, int] = {}
    for row in rows:
        counts[row.label] = counts.get(row.label, 0) + 1
    context = {
        "rows": rows,
        "counts": sorted(counts.items()),
        "can_invite": company_user(request).is_admin,
        "invitable": sum(1 for r in rows if r.state == invitations.State.NOT_INVITED),
        "outbox": settings.EMAIL_BACKEND_CHOSEN == OUTBOX_BACKEND,
    }
    return render(request, "app/employer_invitations.html", context)


@require_POST
@requires(admin=True)
def invite_one(request: HttpRequest, employee_id: int) -> HttpResponse:
    employee = get_object_or_404(Employee, pk=employee_id, company=company_of(request))
    try:
        invitation = invitations.send_invitation(employee, company_user(request), _link_builder(request))
    except invitations.CannotInvite as refused:
        messages.error(request, _("Niet uitgenodigd: %(why)s.") % {"why": refused})
    else:
        messages.success(
            request,
            _("Uitnodiging verstuurd naar %(name)s (%(email)s).")
            % {"name": employee.full_name, "email": invitation.email},
        )
    return redirect("app_admin:invitations")


@require_POST
@requires(admin=True)
def invite_all(request: HttpRequest) -> HttpResponse:
    """Everyone not invited yet (leavers, people without an address and those onboarded are left out), sent by the
    worker in the background: a large company's mails are not sent one by one inside this request."""
    waiting = [
        r.employee.pk for r in invitations.overview(company_of(request)) if r.state == invitations.State.NOT_INVITED
    ]
    if not waiting:
        messages.success(request, _("Er was niemand meer uit te nodigen."))
        return redirect("app_admin:invitations")
    with transaction.atomic():  # the task rows commit together
        queued = tasks.enqueue_all(
            company_of(request).pk, company_user(request).pk, request.build_absolute_uri("/"), waiting
        )
    messages.success(
        request,
        ngettext(
            "%(count)s uitnodiging wordt op de achtergrond verstuurd; ververs de pagina voor de voortgang.",
            "%(count)s uitnodigingen worden op de achtergrond verstuurd; ververs de pagina voor de voortgang.",
            queued,
        )
        % {"count": queued},
    )
    return redirect("app_admin:invitations")


@requires(admin=True)
def outbox(request: HttpRequest) -> HttpResponse:
    sent = OutboxMessage.objects.filter(company=company_of(request))[:100]
    return render(
        request,
        "app/employer_outbox.html",
        {"sent": sent, "outbox": settings.EMAIL_BACKEND_CHOSEN == OUTBOX_BACKEND},
    )
