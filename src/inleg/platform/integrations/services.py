"""The Loket.nl connection at work: authorising (state + PKCE), tokens under a lock, the post-consent checks.

Everything that talks to Loket goes through :mod:`inleg.loket`; nothing here holds a database transaction
open across an HTTP call except the token refresh, which must (refresh tokens are single-use).
"""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from inleg.loket import (
    Employer,
    LoketClient,
    LoketOAuth,
    PayrollComponent,
    RetryPolicy,
    TokenSet,
    errors,
    new_code_verifier,
    new_state,
)
from inleg.platform.accounts.models import Company, Right, Role, User
from inleg.platform.domain import components as choose
from inleg.platform.domain.components import Purpose
from inleg.platform.domain.rights import missing_rights
from inleg.platform.integrations import problems
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
    query = request.GET.dict()
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
        raise CallbackRefused(problems.plain(error, "code exchange")) from None
    except errors.LoketError as error:
        raise CallbackRefused(problems.plain(error, "code exchange"), status=502) from None
    return store_consent(company, user, tokens)


def store_consent(company: Company, user: User, tokens: TokenSet) -> LoketConnection:
    """The tokens of a finished consent stored (encrypted) on the company's connection, then the checks run."""
    with transaction.atomic():
        connection, _created = LoketConnection.objects.select_for_update().get_or_create(company=company)
        connection.store_tokens(tokens.access_token, tokens.refresh_token, tokens.expires_at, tokens.two_factor_state)
        connection.connected_by = user
        connection.connected_at = timezone.now()
        connection.notice = ""
        connection.state = State.UNCHECKED  # until a check finishes: unknown is not missing
        connection.check_failed_at = None
        connection.check_failure = ""
        # A choice made before (an AK-level user's employer) stays, unless another company holds it by now.
        if connection.employer_id and _held_by_another(connection.employer_id, company.pk):
            connection.employer_id = ""
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
    connection.check_failed_at = None
    connection.check_failure = ""
    connection.notice = problems.plain(error, "re-authorisation needed", connection_id=connection.pk)
    connection.save()
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

# What a check writes; the token fields are written only under the refresh lock (a check that saved them
# from its own stale copy would put back a refresh token Loket has already rotated away).
CHECK_FIELDS = [
    "state",
    "reachable_employers",
    "employer_id",
    "employer_number",
    "employer_name",
    "missing_rights",
    "checked_at",
    "check_failed_at",
    "check_failure",
    "notice",
    "administration_id",
    "components_year",
    "component_options",
    "component_key",
    "component_name",
    "component_how",
    "net_component_key",
    "net_component_name",
    "net_component_how",
    "updated_at",
]
COMPONENT_NAMES = {
    Purpose.EMPLOYER_GROSS: lambda: str(settings.LOKET_COMPONENT_NAME),
    Purpose.EMPLOYEE_NET: lambda: str(settings.LOKET_NET_COMPONENT_NAME),
}


class EmployerTaken(Exception):
    """The Loket employer is coupled to another company of the platform (which one is not said)."""


def _held_by_another(employer_id: str, company_id: int) -> bool:
    return LoketConnection.objects.holding(employer_id).exclude(company_id=company_id).exists()


def employers_held_by_others(connection: LoketConnection) -> set[str]:
    """Of the employers this Loket user reaches, those another company holds (only that: not which company)."""
    ids = [str(e["id"]) for e in connection.reachable_employers]
    held = (
        LoketConnection.objects.exclude(state=State.DISCONNECTED)
        .exclude(company_id=connection.company_id)
        .filter(employer_id__in=ids)
    )
    return set(held.values_list("employer_id", flat=True))


@dataclass
class Reading:
    """What one check read from Loket, before any of it is stored."""

    employers: list[Employer]
    chosen: Employer | None = None
    taken: bool = False  # ``chosen`` is held by another company
    missing: list[str] = field(default_factory=list)
    administration_id: str | None = None
    year: int = 0
    components: list[PayrollComponent] | None = None


def check(connection: LoketConnection, *, year: int | None = None) -> LoketConnection:
    """Employers reached (one, else choose: AK-niveau), the five rights, then the wage components.

    Reads first and stores only what a finished check found. A check Loket did not let finish (429, 5xx,
    time-out) keeps the last known state and records when and why (``check_failed_at``, ``check_failure``).
    """
    try:
        reading = _read_with_a_fresh_token(connection, year or timezone.localdate().year)
    except ReauthorizationNeeded:
        connection.refresh_from_db()
        return connection
    except errors.LoketError as error:
        connection.check_failed_at = timezone.now()
        connection.check_failure = problems.classify(error)
        problems.plain(error, "check", connection_id=connection.pk)
        connection.save(update_fields=["check_failed_at", "check_failure", "updated_at"])
        return connection
    return _store(connection, reading)


def _read_with_a_fresh_token(connection: LoketConnection, year: int) -> Reading:
    try:
        return _read(connection, year)
    except errors.Unauthorized as refused:
        log.info("loket connection %s: access token refused (%s); refreshing once", connection.pk, refused)
    # A refused access token may be merely revoked; a fresh one tells that apart from a user who is gone.
    LoketConnection.objects.filter(pk=connection.pk).update(expires_at=None)
    try:
        return _read(connection, year)
    except errors.Unauthorized as again:
        with transaction.atomic():
            locked = LoketConnection.objects.select_for_update().get(pk=connection.pk)
            _needs_reauthorization(locked, again)
        raise ReauthorizationNeeded(str(again)) from None


def _read(connection: LoketConnection, year: int) -> Reading:
    with client_for(connection) as client:
        reading = Reading(employers=client.employers(), year=year)
        chosen = next((e for e in reading.employers if e.id == connection.employer_id), None)
        if chosen is None and len(reading.employers) == 1:
            chosen = reading.employers[0]
        reading.chosen = chosen
        if chosen is None:
            return reading
        if _held_by_another(chosen.id, connection.company_id):
            reading.taken = True
            return reading
        reading.missing = missing_rights(client.authorizations(chosen.id))
        if reading.missing:
            return reading
        administrations = client.payroll_administrations(chosen.id)
        if administrations:
            reading.administration_id = administrations[0].id
            reading.components = client.payroll_components(reading.administration_id, year)
        return reading


def _store(connection: LoketConnection, reading: Reading) -> LoketConnection:
    employers = reading.employers
    connection.reachable_employers = [
        {"id": e.id, "number": e.employer_number, "name": e.company_name} for e in employers
    ]
    connection.notice = ""
    chosen = reading.chosen
    if chosen is None:
        connection.employer_id = ""
        connection.employer_number = None
        connection.employer_name = ""
        connection.state = State.CHOOSE_EMPLOYER if employers else State.MISSING_RIGHTS
        connection.missing_rights = [] if employers else _all_rights()
        if not employers:
            connection.notice = _("De Loket.nl-gebruiker heeft geen toegang tot een werkgever.")
    elif reading.taken:
        _mark_taken(connection, chosen)
    else:
        connection.employer_id = chosen.id
        connection.employer_number = chosen.employer_number
        connection.employer_name = chosen.company_name
        connection.missing_rights = reading.missing
        connection.state = State.MISSING_RIGHTS if reading.missing else State.ACTIVE
        if connection.state == State.ACTIVE:
            _components(connection, reading)
    connection.checked_at = timezone.now()
    connection.check_failed_at = None
    connection.check_failure = ""
    try:
        with transaction.atomic():
            connection.save(update_fields=CHECK_FIELDS)
    except IntegrityError:  # another company coupled this employer between our read and this write
        assert chosen is not None
        _mark_taken(connection, chosen)
        connection.save(update_fields=CHECK_FIELDS)
    return connection


def _mark_taken(connection: LoketConnection, employer: Employer) -> None:
    """Not coupled: the employer is another company's. Its number and name stay to say which one is meant."""
    connection.employer_id = ""
    connection.employer_number = employer.employer_number
    connection.employer_name = employer.company_name
    connection.missing_rights = []
    connection.state = State.CHOOSE_EMPLOYER if len(connection.reachable_employers) > 1 else State.EMPLOYER_TAKEN


def _all_rights() -> list[str]:
    return missing_rights(())


def _components(connection: LoketConnection, reading: Reading) -> None:
    """Recognise `Pensify Inleg` (and the net deduction) by name; keep a manual pick, under its name of today."""
    if reading.components is None or reading.administration_id is None:
        connection.notice = _("Deze werkgever heeft in Loket.nl geen salarisverwerkende administratie.")
        return
    found = reading.components
    connection.administration_id = reading.administration_id
    connection.components_year = reading.year
    connection.component_options = _options(found)
    for purpose in Purpose:
        key = getattr(connection, f"{purpose}_key")
        how = getattr(connection, f"{purpose}_how")
        if how == choose.How.MANUAL and key is not None:
            try:
                kept = choose.find(found, key)
            except choose.Unknown:
                pass  # gone from the catalogue: recognise afresh
            else:
                if choose.judge(kept, purpose).fit != choose.Fit.WRONG:
                    setattr(connection, f"{purpose}_name", kept.description)  # renamed in Loket: the new name
                    continue
        recognised = choose.recognise(found, COMPONENT_NAMES[purpose](), purpose)
        setattr(connection, f"{purpose}_key", recognised.key if recognised else None)
        setattr(connection, f"{purpose}_name", recognised.description if recognised else "")
        setattr(connection, f"{purpose}_how", recognised.how if recognised else "")


def _options(found: list[PayrollComponent]) -> list[dict[str, Any]]:
    """The catalogue as read at this check (what the choice offers until the next check reads it again)."""
    return [
        {
            "key": c.key,
            "description": c.description,
            "category": c.category,
            "category_key": c.category_key,
            "deduction_or_payment": c.deduction_or_payment,
            "deduction_or_payment_key": c.deduction_or_payment_key,
        }
        for c in sorted(found, key=lambda c: c.key)
    ]


def listed_options(connection: LoketConnection) -> list[choose.Listed]:
    """The catalogue of the last check, as the domain judges it."""
    listed = []
    for o in connection.component_options:
        listed.append(
            choose.Listed(
                key=int(o["key"]),
                description=str(o.get("description") or ""),
                category=str(o.get("category") or ""),
                category_key=o.get("category_key"),
                deduction_or_payment=str(o.get("deduction_or_payment") or ""),
                deduction_or_payment_key=o.get("deduction_or_payment_key"),
            )
        )
    return listed


def choose_employer(connection: LoketConnection, employer_id: str) -> LoketConnection:
    """An AK-level user's pick of the one employer to couple; :class:`EmployerTaken` if another company has it."""
    if employer_id not in {e["id"] for e in connection.reachable_employers}:
        raise ValueError(f"employer: '{employer_id}' is not an employer this Loket user reaches")
    if _held_by_another(employer_id, connection.company_id):
        raise EmployerTaken(employer_id)
    try:
        with transaction.atomic():
            updated = LoketConnection.objects.filter(pk=connection.pk).update(
                employer_id=employer_id, state=State.UNCHECKED, updated_at=timezone.now()
            )
    except IntegrityError:  # taken between the look and the write
        raise EmployerTaken(employer_id) from None
    if not updated:
        raise ValueError("the connection is gone")
    connection.refresh_from_db()
    return check(connection)


def employments_holding(client: LoketClient, connection: LoketConnection, key: int) -> int:
    """How many of the employer's employments (of this administration) hold values of component ``key``.

    The platform writes no values yet, so every record counts as someone else's; once it does, the
    records it wrote must be left out here.
    """
    count = 0
    for employment in client.employments(connection.employer_id):
        if employment.payroll_administration_id not in (None, connection.administration_id):
            continue
        if client.benefits_and_deductions(employment.id, key):
            count += 1
    return count


def pick_component(
    connection: LoketConnection, purpose: Purpose, key: int, *, confirmed: bool = False
) -> choose.Choice:
    """The employer's pick for ``purpose``, judged on the catalogue and the values Loket holds today.

    Raises :class:`choose.Unknown` or :class:`choose.Refused` (nothing is stored then).
    """
    other = Purpose.EMPLOYEE_NET if purpose == Purpose.EMPLOYER_GROSS else Purpose.EMPLOYER_GROSS
    other_key = getattr(connection, f"{other}_key")
    year = connection.components_year or timezone.localdate().year
    with client_for(connection) as client:
        found = client.payroll_components(connection.administration_id, year)
        # The catalogue alone first: a wrong kind is refused without reading every employment.
        choose.pick(found, key, purpose, confirmed=confirmed, other_key=other_key)
        in_use = employments_holding(client, connection, key)
    choice = choose.pick(found, key, purpose, confirmed=confirmed, in_use=in_use, other_key=other_key)
    connection.component_options = _options(found)
    setattr(connection, f"{purpose}_key", choice.key)
    setattr(connection, f"{purpose}_name", choice.description)
    setattr(connection, f"{purpose}_how", choice.how)
    connection.save(
        update_fields=[f"{purpose}_key", f"{purpose}_name", f"{purpose}_how", "component_options", "updated_at"]
    )
    return choice


def disconnect(connection: LoketConnection) -> None:
    """Tokens are deleted; the imported employees stay (nobody is deleted). The employer is free again."""
    with transaction.atomic():
        locked = LoketConnection.objects.select_for_update().get(pk=connection.pk)
        locked.forget_tokens()
        locked.state = State.DISCONNECTED
        locked.notice = ""
        locked.check_failed_at = None
        locked.check_failure = ""
        locked.next_sync_at = None
        locked.save()
