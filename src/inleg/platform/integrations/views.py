"""Bedrijf > Integraties: add Loket.nl, authorise it, the callback, checks, components, disconnect, sync."""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from inleg.loket import errors
from inleg.platform.accounts.access import company_of, company_user, requires
from inleg.platform.accounts.models import Right, User
from inleg.platform.domain import components as choose
from inleg.platform.domain.components import Purpose
from inleg.platform.domain.rights import REQUIRED_RIGHTS
from inleg.platform.employees.models import SyncRun
from inleg.platform.employees.sync import request_sync
from inleg.platform.integrations import choices, problems, services
from inleg.platform.integrations.models import LoketConnection, State
from inleg.platform.integrations.status import status_of

MANAGE = Right.MANAGE_INTEGRATION


def _connection(request: HttpRequest) -> LoketConnection | None:
    return LoketConnection.objects.filter(company=company_of(request)).first()


@requires()
def integrations(request: HttpRequest) -> HttpResponse:
    """Bedrijf > Integraties: the integrations of the company."""
    connection = _connection(request)
    return render(request, "platform/integrations.html", {"connection": connection, "status": status_of(connection)})


@requires(MANAGE)
def add(request: HttpRequest) -> HttpResponse:
    """Voeg een integratie toe: the integrations on offer (Loket.nl)."""
    connection = _connection(request)
    return render(request, "platform/integration_add.html", {"connection": connection, "status": status_of(connection)})


@requires()
def loket(request: HttpRequest) -> HttpResponse:
    connection = _connection(request)
    can_manage = company_user(request).has_right(MANAGE)
    rights = [(name, name not in (connection.missing_rights if connection else [])) for name in REQUIRED_RIGHTS]
    status = status_of(connection)
    pick = []
    if connection is not None and status.usable and can_manage:
        pick = choices.pickers(connection, change=bool(request.GET.get("change")))
    runs = SyncRun.objects.filter(company=company_of(request))[:8]
    taken = services.employers_held_by_others(connection) if connection is not None else set()
    employers = [
        {**e, "taken": e["id"] in taken} for e in (connection.reachable_employers if connection is not None else [])
    ]
    context = {
        "connection": connection,
        "status": status,
        "rights": rights,
        "can_manage": can_manage,
        "pickers": pick,
        "employers": employers,
        "runs": runs,
        "State": State,
        "open_run": next((r for r in runs if r.is_open), None),
    }
    return render(request, "platform/loket.html", context)


@require_POST
@requires(MANAGE)
def authorize(request: HttpRequest) -> HttpResponse:
    """Autoriseer Loket.nl: to Loket's /authorize with a fresh state and PKCE."""
    return redirect(services.start_authorization(request, company_of(request)))


@requires(MANAGE)
def callback(request: HttpRequest) -> HttpResponse:
    company, user = company_of(request), company_user(request)
    try:
        connection = services.finish_authorization(request, company, user)
    except services.CallbackRefused as refused:
        return render(request, "platform/callback_refused.html", {"reason": refused.reason}, status=refused.status)
    # Any other state is what the Loket page says on top; a flash would say it twice.
    if status_of(connection).usable:
        messages.success(request, _("De koppeling met Loket.nl is nu actief. De werknemers worden ingeladen."))
        _start_import(connection, user)
    return redirect("integrations:loket")


def _start_import(connection: LoketConnection, user: User) -> None:
    with transaction.atomic():
        kind = SyncRun.Kind.IMPORT if connection.last_version is None else SyncRun.Kind.FULL
        request_sync(connection.company, kind, SyncRun.Trigger.CONNECT, user=user)


@require_POST
@requires(MANAGE)
def recheck(request: HttpRequest) -> HttpResponse:
    connection = _connection(request)
    if connection is None or not connection.has_tokens:
        messages.error(request, _("Er is geen autorisatie om te controleren: autoriseer Loket.nl eerst."))
        return redirect("integrations:loket")
    before = connection.state
    connection = services.check(connection)
    # Only a check that finished now may say that all is well; anything else is the page's status.
    if status_of(connection).usable:
        messages.success(request, _("Gecontroleerd: alle rechten zijn aanwezig en de koppeling is actief."))
        if before != State.ACTIVE:
            _start_import(connection, company_user(request))
    return redirect("integrations:loket")


@require_POST
@requires(MANAGE)
def choose_employer(request: HttpRequest) -> HttpResponse:
    connection = _connection(request)
    employer_id = request.POST.get("employer", "")
    if connection is None or not connection.has_tokens:
        return redirect("integrations:loket")
    known = {e["id"]: e for e in connection.reachable_employers}
    if employer_id not in known:
        messages.error(request, _("Werkgever: kies een van de werkgevers die deze Loket.nl-gebruiker bereikt."))
        return redirect("integrations:loket")
    try:
        connection = services.choose_employer(connection, employer_id)
    except services.EmployerTaken:
        employer = known[employer_id]
        messages.error(
            request,
            _(
                "Werkgever %(employer)s is op dit platform al aan een ander bedrijf gekoppeld en kan niet nog eens "
                "gekoppeld worden. Kies een andere werkgever, of laat die koppeling eerst verbreken."
            )
            % {"employer": f"{employer.get('number') or ''} {employer.get('name') or ''}".strip()},
        )
        return redirect("integrations:loket")
    if status_of(connection).usable:
        messages.success(
            request, _("Werkgever %(name)s gekoppeld; de koppeling is actief.") % {"name": connection.employer_name}
        )
        _start_import(connection, company_user(request))
    return redirect("integrations:loket")


@require_POST
@requires(MANAGE)
def component(request: HttpRequest) -> HttpResponse:
    connection = _connection(request)
    if connection is None or not status_of(connection).usable:
        return redirect("integrations:loket")
    try:
        purpose = Purpose(request.POST.get("which", ""))
    except ValueError:
        messages.error(request, _("Kies voor welk doel het component is."))
        return redirect("integrations:loket")
    label = choices.purpose_label(purpose)
    raw = request.POST.get("key", "").strip()
    back = redirect(reverse("integrations:loket") + ("?change=1" if request.POST.get("change") else ""))
    if not raw:  # nothing is preselected, so nothing is saved without a pick
        messages.error(request, _("Kies een component voor de %(purpose)s.") % {"purpose": label})
        return back
    try:
        key = int(raw)
        choice = services.pick_component(connection, purpose, key, confirmed=request.POST.get("confirm") == "1")
    except choose.Refused as refused:
        messages.error(request, choices.refusal(refused, purpose))
        return back
    except (ValueError, choose.Unknown):
        messages.error(
            request,
            _("Component '%(value)s' voor de %(purpose)s: dat is geen component van deze administratie.")
            % {"purpose": label, "value": raw},
        )
        return back
    except services.ReauthorizationNeeded:
        return redirect("integrations:loket")  # the page says what happened
    except errors.LoketError as error:
        messages.error(request, problems.plain(error, "component pick", connection_id=connection.pk))
        return back
    messages.success(
        request,
        _("Voor de %(purpose)s schrijft het platform naar component %(key)s %(name)s.")
        % {"purpose": label, "key": choice.key, "name": choice.description},
    )
    return redirect("integrations:loket")


@require_POST
@requires(MANAGE)
def disconnect(request: HttpRequest) -> HttpResponse:
    connection = _connection(request)
    if connection is not None:
        services.disconnect(connection)
        messages.success(request, _("De koppeling met Loket.nl is verbroken; de tokens zijn verwijderd."))
    return redirect("integrations:loket")


@require_POST
@requires(MANAGE)
def sync_now(request: HttpRequest) -> HttpResponse:
    connection = _connection(request)
    if connection is None or connection.state != State.ACTIVE:
        messages.error(request, _("Synchroniseren kan alleen met een actieve koppeling."))
        return redirect("integrations:loket")
    kind = SyncRun.Kind.FULL if request.POST.get("full") else SyncRun.Kind.INCREMENTAL
    if connection.last_version is None:
        kind = SyncRun.Kind.IMPORT
    run = request_sync(connection.company, kind, SyncRun.Trigger.MANUAL, user=company_user(request))
    messages.success(request, _("Synchronisatie gestart."))
    return redirect("employees:run", run_id=run.pk)
