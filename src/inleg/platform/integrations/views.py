"""Bedrijf > Integraties: add Loket.nl, authorise it, the callback, checks, components, disconnect, sync."""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from inleg.loket import errors
from inleg.platform.accounts.access import company_of, company_user, requires
from inleg.platform.accounts.models import Right
from inleg.platform.domain.rights import REQUIRED_RIGHTS
from inleg.platform.employees.models import SyncRun
from inleg.platform.employees.sync import request_sync
from inleg.platform.integrations import services
from inleg.platform.integrations.models import LoketConnection, State

MANAGE = Right.MANAGE_INTEGRATION


def _connection(request: HttpRequest) -> LoketConnection | None:
    return LoketConnection.objects.filter(company=company_of(request)).first()


@requires()
def integrations(request: HttpRequest) -> HttpResponse:
    """Bedrijf > Integraties: the integrations of the company."""
    return render(request, "platform/integrations.html", {"connection": _connection(request)})


@requires(MANAGE)
def add(request: HttpRequest) -> HttpResponse:
    """Voeg een integratie toe: the integrations on offer (Loket.nl)."""
    return render(request, "platform/integration_add.html", {"connection": _connection(request)})


@requires()
def loket(request: HttpRequest) -> HttpResponse:
    connection = _connection(request)
    can_manage = company_user(request).has_right(MANAGE)
    rights = [(name, name not in (connection.missing_rights if connection else [])) for name in REQUIRED_RIGHTS]
    needs_pick = (
        connection is not None
        and connection.state == State.ACTIVE
        and (
            connection.component_key is None or connection.net_component_key is None or bool(request.GET.get("change"))
        )
    )
    choices = connection.component_options if (needs_pick and can_manage and connection) else []
    runs = SyncRun.objects.filter(company=company_of(request))[:8]
    context = {
        "connection": connection,
        "rights": rights,
        "can_manage": can_manage,
        "choices": choices,
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
    if connection.state == State.ACTIVE:
        messages.success(request, _("De koppeling met Loket.nl is nu actief. De werknemers worden ingeladen."))
        _start_import(connection, user)
    elif connection.state == State.CHOOSE_EMPLOYER:
        messages.warning(request, _("Deze Loket.nl-gebruiker bereikt meer dan één werkgever: kies de werkgever."))
    elif connection.state == State.MISSING_RIGHTS:
        messages.warning(request, _("De Loket.nl-gebruiker mist rechten; zie hieronder welke."))
    return redirect("integrations:loket")


def _start_import(connection: LoketConnection, user: object) -> None:
    with transaction.atomic():
        kind = SyncRun.Kind.IMPORT if connection.last_version is None else SyncRun.Kind.FULL
        request_sync(connection.company, kind, SyncRun.Trigger.CONNECT, user=user)  # type: ignore[arg-type]


@require_POST
@requires(MANAGE)
def recheck(request: HttpRequest) -> HttpResponse:
    connection = _connection(request)
    if connection is None or not connection.has_tokens:
        messages.error(request, _("Er is geen autorisatie om te controleren: autoriseer Loket.nl eerst."))
        return redirect("integrations:loket")
    before = connection.state
    connection = services.check(connection)
    if connection.state == State.ACTIVE:
        messages.success(request, _("Alle rechten zijn aanwezig: de koppeling is actief."))
        if before != State.ACTIVE:
            _start_import(connection, company_user(request))
    elif connection.state == State.MISSING_RIGHTS:
        messages.warning(
            request, _("Er ontbreken nog rechten: %(rights)s.") % {"rights": ", ".join(connection.missing_rights)}
        )
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
        messages.error(
            request,
            _("Werkgever: '%(value)s' is geen werkgever die deze Loket.nl-gebruiker bereikt.") % {"value": employer_id},
        )
        return redirect("integrations:loket")
    connection.employer_id = employer_id
    connection.save(update_fields=["employer_id", "updated_at"])
    connection = services.check(connection)
    if connection.state == State.ACTIVE:
        messages.success(
            request, _("Werkgever %(name)s gekoppeld; de koppeling is actief.") % {"name": connection.employer_name}
        )
        _start_import(connection, company_user(request))
    return redirect("integrations:loket")


@require_POST
@requires(MANAGE)
def component(request: HttpRequest) -> HttpResponse:
    connection = _connection(request)
    which = request.POST.get("which", "")
    raw = request.POST.get("key", "")
    if connection is None or connection.state != State.ACTIVE:
        return redirect("integrations:loket")
    label = _("Looncomponent") if which == "component" else _("Netto-inhoudingscomponent")
    try:
        key = int(raw)
        choice = services.pick_component(connection, which, key)
    except ValueError:
        messages.error(
            request,
            _("%(label)s: '%(value)s' is geen component van deze administratie dat een vaste waarde kan hebben.")
            % {"label": label, "value": raw},
        )
    except (errors.LoketError, services.ReauthorizationNeeded) as error:
        messages.error(request, _("Loket.nl: %(error)s") % {"error": error})
    else:
        messages.success(
            request,
            _("%(label)s: %(key)s %(name)s gekozen.") % {"label": label, "key": choice.key, "name": choice.description},
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
