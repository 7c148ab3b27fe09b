"""The connection tells the truth: a check that could not finish, a Loket user that is gone, who authorised,
what comes next. Against a sandbox of its own, served again with the sandbox's fault injection when a test
needs Loket to fail (its data, users and tokens stay).
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from inleg.platform.accounts.models import User
from inleg.platform.employees.models import SyncRun
from inleg.platform.integrations import services
from inleg.platform.integrations.models import LoketConnection, State
from tests.platform.conftest import connect, connection_of
from tests.platform.loket_sandbox import CLIENT_ID, CLIENT_SECRET, Sandbox

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("loket")]

LOKET_PAGE = "/company/integrations/loket/"
RECHECK = "/company/integrations/loket/recheck/"
# What a user must never read: Loket's paths, statuses, OAuth words and exception names.
RAW = re.compile(
    r"/v2/|/providers/|\b(401|403|429|500|503)\b|invalid_grant|Unauthorized|ServerError|RateLimited|Error:"
)
MONTHS = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
          "november", "december")  # fmt: skip


@pytest.fixture(scope="module")
def status_sandbox() -> Iterator[Sandbox]:
    server = Sandbox(employers=2, employees=10)
    yield server
    server.stop()


@pytest.fixture
def loket(status_sandbox: Sandbox, settings: Any) -> Iterator[Sandbox]:
    settings.LOKET_OAUTH_URL = status_sandbox.url
    settings.LOKET_API_URL = status_sandbox.url + "/v2"
    settings.LOKET_CLIENT_ID = CLIENT_ID
    settings.LOKET_CLIENT_SECRET = CLIENT_SECRET
    settings.LOKET_REDIRECT_URI = ""
    settings.LOKET_MAX_ATTEMPTS = 1  # no retries inside the client: the first fault ends the check
    yield status_sandbox
    if status_sandbox.env["SANDBOX_FAULTS"]:
        status_sandbox.restart("")


def page_of(web: Client, path: str = LOKET_PAGE) -> str:
    return html.unescape(web.get(path).content.decode())


def visible(page: str) -> str:
    """The text a user reads: the body without tags (attribute values such as ids are not read)."""
    body = page[page.index("<body") :]
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", body, flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", body).split())


FAULTS = {
    "busy": ("429=1,retry_after=0", "te veel verzoeken"),
    "loket_fault": ("503=1,retry_after=0", "storing"),
    # Loket answers /v2 after 10 s, the platform waits 4 s (the token endpoint, not /v2, stays quick).
    "unreachable": ("slow=1,slow_s=10", "niet bereikbaar of antwoordde niet op tijd"),
}


@pytest.mark.parametrize("failure", list(FAULTS))
def test_a_first_check_loket_does_not_let_finish_is_not_missing_rights(
    web: Client, admin: User, loket: Sandbox, failure: str, settings: Any
) -> None:
    faults, words = FAULTS[failure]
    settings.LOKET_TIMEOUT_S = 4.0
    loket.restart(faults)  # /v2 fails; consent (not /v2) still works
    connect(web, "koppeling")
    connection = connection_of(admin)
    assert connection.state == State.UNCHECKED
    assert connection.check_failed_at is not None
    assert connection.check_failure == failure
    assert connection.missing_rights == []
    assert not SyncRun.objects.filter(company=admin.company).exists()
    text = visible(page_of(web))
    assert "Controle mislukt, probeer het opnieuw." in text
    assert words in text
    assert "rechten ontbreken" not in text
    assert "ontbreekt" not in text
    assert not RAW.search(text), RAW.search(text)
    loket.restart("")
    answer = visible(html.unescape(web.post(RECHECK, follow=True).content.decode()))
    connection = connection_of(admin)
    assert (connection.state, connection.check_failed_at, connection.check_failure) == (State.ACTIVE, None, "")
    assert "Gecontroleerd: alle rechten zijn aanwezig en de koppeling is actief." in answer
    assert "Controle mislukt" not in answer


def test_a_failed_recheck_keeps_the_last_known_state_and_never_says_all_is_well(
    web: Client, admin: User, loket: Sandbox
) -> None:
    connect(web, "koppeling")
    web.get(LOKET_PAGE)  # the browser lands here after the callback and reads its message
    checked = connection_of(admin).checked_at
    assert connection_of(admin).state == State.ACTIVE
    loket.restart("503=1,retry_after=0")
    answer = visible(html.unescape(web.post(RECHECK, follow=True).content.decode()))
    connection = connection_of(admin)
    assert connection.state == State.ACTIVE  # unknown is not missing: the last known state stays
    assert connection.checked_at == checked
    assert connection.check_failure == "loket_fault"
    assert "Alle rechten zijn aanwezig" not in answer
    assert "Gecontroleerd:" not in answer
    assert answer.count("Controle mislukt, probeer het opnieuw.") == 1
    assert "de laatst bekende status: actief" in answer
    assert not RAW.search(answer), RAW.search(answer)


def test_a_deactivated_loket_user_gives_one_plain_message_and_asks_to_authorise_again(
    web: Client, admin: User, loket: Sandbox
) -> None:
    connect(web, "koppeling")
    assert connection_of(admin).state == State.ACTIVE
    web.get(LOKET_PAGE)  # the browser lands here after the callback and reads its message
    loket.orm("from inleg.sandbox.core.models import LoketUser\nLoketUser.objects.filter(username='koppeling').update(is_active=False)\n")  # fmt: skip  # noqa: E501
    try:
        response = web.post(RECHECK, follow=True)
    finally:
        loket.orm("from inleg.sandbox.core.models import LoketUser\nLoketUser.objects.filter(username='koppeling').update(is_active=True)\n")  # fmt: skip  # noqa: E501
    page = html.unescape(response.content.decode())
    text = visible(page)
    connection = connection_of(admin)
    assert connection.state == State.REAUTHORIZE
    assert not connection.has_tokens
    message = "De Loket.nl-gebruiker is niet actief meer of de toestemming is ingetrokken"
    assert text.count(message) == 1, text
    assert "koppeling is actief" not in text, text  # nothing beside it says that all is well
    assert "alert success" not in page
    assert page.count('class="alert ') == 1
    assert not RAW.search(text), RAW.search(text)
    # Authorising again (the user is active again) makes it whole.
    connect(web, "koppeling")
    assert connection_of(admin).state == State.ACTIVE


def test_a_check_never_puts_back_a_refresh_token_loket_has_rotated(web: Client, admin: User) -> None:
    connect(web, "koppeling")
    LoketConnection.objects.filter(company=admin.company).update(expires_at=timezone.now() - timedelta(seconds=1))
    stale = connection_of(admin)  # holds the pair from before the refresh the check will make
    old_refresh, generation = stale.refresh_token(), stale.token_generation
    assert services.check(stale).state == State.ACTIVE
    stored = connection_of(admin)
    assert stored.refresh_token() != old_refresh
    assert stored.token_generation == generation + 1
    LoketConnection.objects.filter(company=admin.company).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert services.access_token(stored.pk)  # the stored refresh token is the live one
    assert connection_of(admin).state == State.ACTIVE


def test_the_page_says_who_authorised_the_connection_and_when(web: Client, admin: User) -> None:
    connect(web, "koppeling")
    at = timezone.localtime(connection_of(admin).connected_at)
    expected = f"Geautoriseerd door Eva Jansen op {at.day} {MONTHS[at.month - 1]} {at.year} om {at:%H:%M}."
    assert expected in visible(page_of(web))


def test_the_home_page_shows_what_comes_next(web: Client, admin: User) -> None:
    assert "Koppel Loket.nl" in visible(page_of(web, "/"))
    connect(web, "kantoor")  # AK-niveau: first the employer
    home = visible(page_of(web, "/"))
    assert "Koppel Loket.nl" not in home
    assert "kies hieronder de werkgever" in home
    second = next(e for e in connection_of(admin).reachable_employers if e["number"] == 20002)
    web.post("/company/integrations/loket/employer/", {"employer": second["id"]})
    home = visible(page_of(web, "/"))
    assert "Koppel Loket.nl" not in home
    assert "Volgende stap: kies de looncomponenten" in home
    assert "werknemers ingeladen" in home  # the import was started
    web.post("/company/integrations/loket/disconnect/")
    connect(web, "koppeling")  # 20001: both components recognised by name
    home = visible(page_of(web, "/"))
    assert "Volgende stap" not in home
    assert "De werknemers worden ingeladen." in home
