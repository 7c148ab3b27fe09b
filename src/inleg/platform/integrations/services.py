"""The Loket.nl connection at work: authorising (state + PKCE), tokens under a lock, the post-consent checks.

Everything that talks to Loket goes through :mod:`inleg.loket`; nothing here holds a database transaction
open across an HTTP call except the token refresh, which must (refresh tokens are single-use).
"""

from __future__ import annotations

import logging
import secrets
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from inleg.loket import LoketClient, LoketOAuth, PayrollComponent, RetryPolicy, errors, new_code_verifier, new_state
from inleg.platform.accounts.models import Company, Right, Role, User
from inleg.platform.domain import components as choose
from inleg.platform.domain.rights import missing_rights
from inleg.platform.integrations.models import LoketConnection, State

log = logging.getLogger("inleg.platform.loket")

SESSION_KEY = "loket_oauth"
STATE_MAX_AGE_S = 15 * 60
REFRESH_MARGIN = timedelta(seconds=60)


class ReauthorizationNeeded(Exception):
    """The connection has no usable tokens: the employer must authorise Loket.nl again."""


def redirect_uri(request: HttpRequest | None = None) -> str:
    if settings.LOKET_REDIRECT_URI:
        return str(settings.LOKET_REDIRECT_URI)
    if request is None:
        raise ReauthorizationNeeded("LOKET_REDIRECT_URI is not set and there is no request to build it from")
    return request.build_absolute_uri(reverse("loket_callback"))


def oauth(uri: str = "") -> LoketOAuth:
    return LoketOAuth(
        settings.LOKET_CLIENT_ID,
        settings.LOKET_CLIENT_SECRET,
        settings.LOKET_OAUTH_URL,
        uri or redirect_uri(),
        timeout=settings.LOKET_TIMEOUT_S,
    )


# ---- the consent flow ------------------------------------------------------------------------------------


def start_authorization(request: HttpRequest, company: Company) -> str:
    """A fresh state and PKCE verifier, kept in the (server-side) session; returns Loket's /authorize URL."""
    state, verifier, uri = new_state(), new_code_verifier(), redirect_uri(request)
    request.session[SESSION_KEY] = {
        "state": state,
        "verifier": verifier,
        "company": company.pk,
        "uri": uri,
        "at": timezone.now().timestamp(),
    }
    return oauth(uri).authorization_url(state, verifier)


class CallbackRefused(Exception):
    """The callback cannot be used; ``reason`` says why, in words for the employer."""

    def __init__(self, reason: str, status: int = 400) -> None:
        self.reason = reason
        self.status = status
        super().__init__(reason)


def finish_authorization(request: HttpRequest, company: Company, user: User) -> LoketConnection:
    """Check state, exchange the code, store the tokens encrypted and run the post-consent checks."""
    pending: dict[str, Any] | None = request.session.pop(SESSION_KEY, None)
    query = {k: v for k, v in request.GET.items()}
    if not pending or pending.get("company") != company.pk:
        raise CallbackRefused(_("Deze terugkeer van Loket.nl hoort niet bij een autorisatie die u hier begon."))
    if not secrets.compare_digest(str(query.get("state", "")), str(pending["state"])):
        raise CallbackRefused(_("De controlewaarde (state) klopt niet; de autorisatie is niet gebruikt."))
    if timezone.now().timestamp() - float(pending["at"]) > STATE_MAX_AGE_S:
        raise CallbackRefused(_("De autorisatie is verlopen; begin opnieuw."))
    client = oauth(pending["uri"])
    try:
        code = client.code_from_callback(query, pending["state"])
        tokens = client.exchange_code(code, pending["verifier"])
    except errors.AccessDenied:
        raise CallbackRefused(
            _("U heeft in Loket.nl op Weigeren geklikt: de koppeling is niet gemaakt."), status=200
        ) from None
    except errors.OAuthError as error:
        raise CallbackRefused(_("Loket.nl weigerde de autorisatie: %(error)s") % {"error": error}) from None
    except errors.LoketError as error:
        raise CallbackRefused(_("Loket.nl is niet bereikbaar: %(error)s") % {"error": error}, status=502) from None
    with transaction.atomic():
        connection, _created = LoketConnection.objects.select_for_update().get_or_create(company=company)
        connection.store_tokens(tokens.access_token, tokens.refresh_token, tokens.expires_at, tokens.two_factor_state)
        connection.connected_by = user
        connection.connected_at = timezone.now()
        connection.notice = ""
        connection.state = State.MISSING_RIGHTS  # until the checks say otherwise
        connection.save()
    return check(connection)


# ---- tokens ----------------------------------------------------------------------------------------------


def _fresh(connection: LoketConnection) -> bool:
    return bool(
        connection.access_token_enc
        and connection.expires_at is not None
        and connection.expires_at > timezone.now() + REFRESH_MARGIN
    )


def access_token(connection_id: int) -> str:
    """A valid access token; refreshes under a row lock and stores the rotated pair atomically."""
    connection = LoketConnection.objects.get(pk=connection_id)
    if _fresh(connection):
        return connection.access_token()
    failure: errors.OAuthError | None = None
    with transaction.atomic():
        connection = LoketConnection.objects.select_for_update().get(pk=connection_id)
        if _fresh(connection):  # another process refreshed while we waited for the lock
            return connection.access_token()
        if not connection.has_tokens:
            raise ReauthorizationNeeded(_("De koppeling heeft geen geldige autorisatie meer."))
        try:
            tokens = oauth(settings.LOKET_REDIRECT_URI or "-").refresh(connection.refresh_token())
        except errors.OAuthError as error:
            failure = error
            _needs_reauthorization(connection, error)
        else:
            connection.store_tokens(
                tokens.access_token, tokens.refresh_token, tokens.expires_at, tokens.two_factor_state
            )
            connection.save(
                update_fields=[
                    "access_token_enc",
                    "refresh_token_enc",
                    "expires_at",
                    "two_factor_state",
                    "token_generation",
                    "updated_at",
                ]
            )
            return tokens.access_token
    raise ReauthorizationNeeded(str(failure))


def _needs_reauthorization(connection: LoketConnection, error: Exception) -> None:
    """Refresh failed for good: tokens are useless, the state says so and the employer is told."""
    connection.forget_tokens()
    connection.state = State.REAUTHORIZE
    connection.notice = _(
        "Loket.nl accepteert de autorisatie niet meer (%(error)s). Autoriseer Loket.nl opnieuw om "
        "werknemers te blijven synchroniseren."
    ) % {"error": error}
    connection.save()
    log.warning("loket connection %s needs re-authorisation: %s", connection.pk, error)
    transaction.on_commit(lambda: _tell_employer(connection.company, connection.notice))


def _tell_employer(company: Company, text: str) -> None:
    people = company.users.filter(is_active=True, email__isnull=False, role__in=(Role.ADMIN, Role.PAYROLL))
    recipients = [u.email for u in people if u.email and u.has_right(Right.MANAGE_INTEGRATION)]
    if recipients:
        try:
            send_mail(_("Loket.nl-koppeling: opnieuw autoriseren"), text, None, recipients)
        except OSError:  # the notice on the page still tells them
            log.exception("could not e-mail company %s about re-authorising Loket.nl", company.pk)


def client_for(connection: LoketConnection) -> LoketClient:
    return LoketClient(
        settings.LOKET_API_URL,
        lambda: access_token(connection.pk),
        timeout=settings.LOKET_TIMEOUT_S,
        retry=RetryPolicy(max_attempts=settings.LOKET_MAX_ATTEMPTS),
    )


# ---- what the seed asks of the Loket user ----------------------------------------------------------------


def check(connection: LoketConnection, *, year: int | None = None) -> LoketConnection:
    """Employers reached (one, else choose: AK-niveau), the five rights, then the wage components.

    Updates and saves the connection's state. Loket failures leave the state as it was and set a notice.
    """
    try:
        with client_for(connection) as client:
            employers = client.employers()
            connection.reachable_employers = [
                {"id": e.id, "number": e.employer_number, "name": e.company_name} for e in employers
            ]
            chosen = next((e for e in employers if e.id == connection.employer_id), None)
            if chosen is None and len(employers) == 1:
                chosen = employers[0]
            if chosen is None:
                connection.employer_id = ""
                connection.state = State.CHOOSE_EMPLOYER if employers else State.MISSING_RIGHTS
                connection.missing_rights = [] if employers else _all_rights()
                connection.notice = (
                    "" if employers else _("De Loket.nl-gebruiker heeft geen toegang tot een werkgever.")
                )
            else:
                connection.employer_id = chosen.id
                connection.employer_number = chosen.employer_number
                connection.employer_name = chosen.company_name
                connection.missing_rights = missing_rights(client.authorizations(chosen.id))
                connection.state = State.MISSING_RIGHTS if connection.missing_rights else State.ACTIVE
                connection.notice = ""
                if connection.state == State.ACTIVE:
                    _components(connection, client, year or timezone.localdate().year)
    except ReauthorizationNeeded:
        connection.refresh_from_db()
    except errors.LoketError as error:
        connection.notice = _("Controle bij Loket.nl mislukt: %(error)s. Probeer het later opnieuw.") % {"error": error}
    else:
        connection.checked_at = timezone.now()
    connection.save()
    return connection


def _all_rights() -> list[str]:
    return missing_rights(())


def _components(connection: LoketConnection, client: LoketClient, year: int) -> None:
    """Recognise `Pensify Inleg` (and the net-deduction component) by name; keep a manual pick if still valid."""
    administrations = client.payroll_administrations(connection.employer_id)
    if not administrations:
        connection.notice = _("Deze werkgever heeft in Loket.nl geen salarisverwerkende administratie.")
        return
    administration = administrations[0]
    found = client.payroll_components(administration.id, year)
    connection.administration_id = administration.id
    connection.components_year = year
    connection.component_options = _options(found)
    for prefix, name in (
        ("component", settings.LOKET_COMPONENT_NAME),
        ("net_component", settings.LOKET_NET_COMPONENT_NAME),
    ):
        key = getattr(connection, f"{prefix}_key")
        how = getattr(connection, f"{prefix}_how")
        if how == choose.How.MANUAL and key is not None:
            try:
                choose.pick(found, key)
                continue
            except ValueError:
                pass
        recognised = choose.recognise(found, name)
        setattr(connection, f"{prefix}_key", recognised.key if recognised else None)
        setattr(connection, f"{prefix}_name", recognised.description if recognised else "")
        setattr(connection, f"{prefix}_how", recognised.how if recognised else "")


def _options(found: list[PayrollComponent]) -> list[dict[str, Any]]:
    """The components that can hold a fixed value, as shown in the choice (kept on the connection)."""
    return [
        {
            "key": c.key,
            "description": c.description,
            "category": c.category,
            "deduction_or_payment": c.deduction_or_payment,
        }
        for c in sorted(found, key=lambda c: c.key)
        if c.can_hold_fixed_value
    ]


def pick_component(connection: LoketConnection, which: str, key: int) -> choose.Choice:
    """The employer's pick (``which`` is ``component`` or ``net_component``); refuses what is not eligible."""
    if which not in ("component", "net_component"):
        raise ValueError(f"which: '{which}' is not 'component' or 'net_component'")
    with client_for(connection) as client:
        found = client.payroll_components(
            connection.administration_id, connection.components_year or timezone.localdate().year
        )
    choice = choose.pick(found, key)
    connection.component_options = _options(found)
    setattr(connection, f"{which}_key", choice.key)
    setattr(connection, f"{which}_name", choice.description)
    setattr(connection, f"{which}_how", choice.how)
    connection.save()
    return choice


def disconnect(connection: LoketConnection) -> None:
    """Tokens are deleted; the imported employees stay (nobody is deleted)."""
    with transaction.atomic():
        locked = LoketConnection.objects.select_for_update().get(pk=connection.pk)
        locked.forget_tokens()
        locked.state = State.DISCONNECTED
        locked.notice = ""
        locked.next_sync_at = None
        locked.save()
