"""Werknemers: the imported employees, and the sync runs with their progress, counts, changes and errors."""

from __future__ import annotations

from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Field, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext_lazy as _

from inleg.platform.accounts.access import company_of, company_user, requires
from inleg.platform.accounts.models import Right, User
from inleg.platform.employees.models import Employee, Employment, SyncRun
from inleg.platform.integrations.models import LoketConnection, State


@requires(Right.VIEW_EMPLOYEES)
def employees(request: HttpRequest) -> HttpResponse:
    company = company_of(request)
    query = request.GET.get("q", "").strip()
    people = Employee.objects.filter(company=company).prefetch_related("employments").order_by("employee_number")
    if query:
        match = Q(last_name__icontains=query) | Q(first_name__icontains=query) | Q(email__icontains=query)
        if query.isdigit():
            match |= Q(employee_number=int(query))
        people = people.filter(match)
    page = Paginator(people, 50).get_page(request.GET.get("page"))
    return render(request, "platform/employees.html", {"page": page, "q": query, "total": people.count()})


@requires(Right.VIEW_EMPLOYEES)
def runs(request: HttpRequest) -> HttpResponse:
    page = Paginator(SyncRun.objects.filter(company=company_of(request)), 25).get_page(request.GET.get("page"))
    return render(request, "platform/runs.html", {"page": page})


@requires()
def run(request: HttpRequest, run_id: int) -> HttpResponse:
    user = company_user(request)
    if not (user.has_right(Right.VIEW_EMPLOYEES) or user.has_right(Right.MANAGE_INTEGRATION)):
        raise PermissionDenied
    sync_run = get_object_or_404(SyncRun, pk=run_id, company=company_of(request))
    changes = [
        {
            "kind": CHANGE_KINDS.get(c.get("kind", ""), c.get("kind", "")),
            "subject": c.get("subject", ""),
            "fields": [(_field_label(f), old, new) for f, old, new in c.get("fields", [])],
        }
        for c in sync_run.changes
    ]
    context = {
        "run": sync_run,
        "changes": changes,
        "resumed_by": SyncRun.objects.filter(resumed_from=sync_run).order_by("pk").first(),
        "advice": _advice(sync_run, user) if sync_run.status == SyncRun.Status.FAILED else "",
    }
    return render(request, "platform/run.html", context)


def _advice(run: SyncRun, user: User) -> str:
    """What to do about a failed run: one message, from what is true now."""
    later = SyncRun.objects.filter(company=run.company, pk__gt=run.pk)
    if later.filter(status__in=(SyncRun.Status.DONE, SyncRun.Status.RESUMED)).exists():
        return str(_("Een latere synchronisatie is wel gelukt: u hoeft niets te doen."))
    if later.filter(status__in=(SyncRun.Status.QUEUED, SyncRun.Status.RUNNING, SyncRun.Status.INTERRUPTED)).exists():
        return str(_("Er loopt al een nieuwe synchronisatie: wacht tot die klaar is."))
    connection = LoketConnection.objects.filter(company=run.company).first()
    if connection is None or connection.state != State.ACTIVE:
        return str(_("De koppeling met Loket.nl vraagt aandacht: ga naar Bedrijf > Integraties > Loket.nl."))
    if user.has_right(Right.MANAGE_INTEGRATION):
        return str(
            _(
                "Start opnieuw met ‘Nu synchroniseren’ onder Bedrijf > Integraties > Loket.nl. "
                "Wat al is opgeslagen, blijft bewaard."
            )
        )
    return str(_("Vraag wie de Loket.nl-koppeling beheert om opnieuw te synchroniseren."))


CHANGE_KINDS = {
    "employee_created": _("nieuwe werknemer"),
    "employee_updated": _("werknemer gewijzigd"),
    "employment_updated": _("dienstverband gewijzigd"),
    "leaver": _("uit dienst"),
}


def _field_label(name: str) -> str:
    for model in (Employment, Employee):
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        if isinstance(field, Field):  # a reverse relation has no verbose_name
            return str(field.verbose_name)
    return name
