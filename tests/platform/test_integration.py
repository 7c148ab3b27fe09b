"""The Loket.nl connection against the real sandbox over HTTP: consent, checks, components, tokens, isolation."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from cryptography.fernet import Fernet
from django.core import mail
from django.test import Client
from django.utils import timezone

from inleg.platform import crypto
from inleg.platform.accounts.models import Right, Role, User
from inleg.platform.integrations import services
from inleg.platform.integrations.models import LoketConnection, State
from tests.platform.conftest import PASSWORD, connect, connection_of, logged_in, make_company
from tests.platform.loket_sandbox import Sandbox, consent, path_and_query

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("loket")]


def test_authorize_redirects_to_loket_with_state_and_pkce(web: Client, loket: Sandbox) -> None:
    response = web.post("/company/integrations/loket/authorize/")
    location = response["Location"]
    assert location.startswith(f"{loket.url}/authorize?")
    _, query = path_and_query(location)
    assert query["response_type"] == "code"
    assert query["scope"] == "all"
    assert query["client_id"] == "pensify-inleg"
    assert query["code_challenge_method"] == "S256"
    assert len(query["state"]) >= 32
    assert query["redirect_uri"] == "http://testserver/integrations/loket/callback"
    second = path_and_query(web.post("/company/integrations/loket/authorize/")["Location"])[1]
    assert second["state"] != query["state"]  # a fresh state each time
    assert web.get("/company/integrations/loket/authorize/").status_code == 405  # only by form (CSRF-protected)


def test_consent_makes_the_connection_active_with_all_five_rights_and_pensify_recognised(
    web: Client, admin: User
) -> None:
    response = connect(web, "koppeling")
    assert response.status_code == 302
    connection = connection_of(admin)
    assert connection.state == State.ACTIVE
    assert connection.missing_rights == []
    assert connection.employer_number == 20001
    assert (connection.component_name, connection.component_how) == ("Pensify Inleg", "automatic")
    assert connection.component_key == 751  # the seed's key for Pensify Inleg
    assert (connection.net_component_name, connection.net_component_how) == ("Netto inleg", "automatic")
    page = web.get("/company/integrations/loket/").content.decode()
    assert "De koppeling is actief." in page
    assert "automatisch herkend op de naam" in page
    for right in (
        "Beheer beloningen",
        "Beheer vaste gegevens salarisadministratie",
        "Raadplegen dienstverbanden",
        "Raadplegen beloningen",
        "Raadplegen HRM-gegevens",
    ):
        assert right in page


def test_tokens_are_encrypted_at_rest_and_survive_key_rotation(web: Client, admin: User, settings: Any) -> None:
    connect(web, "koppeling")
    connection = connection_of(admin)
    raw_access, raw_refresh = connection.access_token(), connection.refresh_token()
    assert raw_access
    assert raw_refresh
    assert raw_access not in connection.access_token_enc
    assert raw_refresh not in connection.refresh_token_enc
    old_key = settings.PLATFORM_TOKEN_KEYS[0]
    new_key = Fernet.generate_key().decode()
    settings.PLATFORM_TOKEN_KEYS = [new_key, old_key]
    from inleg.platform.integrations.rotation import rotate_all

    assert rotate_all() == 1
    settings.PLATFORM_TOKEN_KEYS = [new_key]  # the old key is gone: the tokens must still decrypt
    connection.refresh_from_db()
    assert connection.refresh_token() == raw_refresh
    settings.PLATFORM_TOKEN_KEYS = [old_key]
    with pytest.raises(Exception, match="cannot be decrypted"):
        crypto.decrypt(connection.refresh_token_enc)


def test_refusal_at_loket_leaves_no_connection_and_says_so(web: Client, admin: User) -> None:
    response = connect(web, "koppeling", allow=False)
    assert response.status_code == 200
    assert "Weigeren" in response.content.decode()
    assert not LoketConnection.objects.filter(company=admin.company, state=State.ACTIVE).exists()
    assert not LoketConnection.objects.exclude(refresh_token_enc="").exists()


def test_a_callback_with_another_state_is_refused_and_stores_nothing(web: Client, admin: User) -> None:
    start = web.post("/company/integrations/loket/authorize/")
    back = consent(start["Location"], "koppeling")
    path, query = path_and_query(back)
    query["state"] = "forged-" + query["state"]
    response = web.get(path, query)
    assert response.status_code == 400
    assert "state" in response.content.decode()
    assert not LoketConnection.objects.exclude(refresh_token_enc="").exists()


def test_a_callback_for_a_flow_begun_in_another_session_is_refused(web: Client, loket: Sandbox) -> None:
    _, other = make_company("Ander B.V.", "ander@example.nl")
    start = logged_in(other).post("/company/integrations/loket/authorize/")
    path, query = path_and_query(consent(start["Location"], "koppeling"))
    response = web.get(path, query)  # another tenant's browser replays the callback
    assert response.status_code == 400
    assert not LoketConnection.objects.exclude(refresh_token_enc="").exists()


def test_missing_right_is_named_and_stays_until_a_recheck_finds_it(web: Client, admin: User, loket: Sandbox) -> None:
    connect(web, "beperkt")
    connection = connection_of(admin)
    assert connection.state == State.MISSING_RIGHTS
    assert connection.missing_rights == ["Beheer beloningen"]
    page = web.get("/company/integrations/loket/").content.decode()
    assert "rechten ontbreken" in page
    web.post("/company/integrations/loket/recheck/")
    assert connection_of(admin).state == State.MISSING_RIGHTS
    loket.orm(
        "from inleg.sandbox.core.models import EmployerLink\n"
        "link = EmployerLink.objects.get(user__username='beperkt')\n"
        "link.rights = link.rights + ['beheer_beloningen']\n"
        "link.save()\n"
    )
    try:
        web.post("/company/integrations/loket/recheck/")
        connection = connection_of(admin)
        assert connection.state == State.ACTIVE
        assert connection.missing_rights == []
    finally:
        loket.orm(
            "from inleg.sandbox.core.models import EmployerLink\n"
            "link = EmployerLink.objects.get(user__username='beperkt')\n"
            "link.rights = [r for r in link.rights if r != 'beheer_beloningen']\n"
            "link.save()\n"
        )


def test_provider_level_user_must_pick_one_employer_with_the_seeds_advice(web: Client, admin: User) -> None:
    connect(web, "kantoor")
    connection = connection_of(admin)
    assert connection.state == State.CHOOSE_EMPLOYER
    assert len(connection.reachable_employers) == 3
    page = web.get("/company/integrations/loket/").content.decode()
    assert "AK-niveau" in page
    assert "werkgeverniveau" in page
    bad = web.post("/company/integrations/loket/employer/", {"employer": "not-an-employer"})
    assert bad.status_code == 302
    assert connection_of(admin).state == State.CHOOSE_EMPLOYER
    second = connection.reachable_employers[1]
    web.post("/company/integrations/loket/employer/", {"employer": second["id"]})
    connection = connection_of(admin)
    assert connection.state == State.ACTIVE
    assert connection.employer_id == second["id"]
    # The second employer of the seed has no `Pensify Inleg`: the employer must pick one.
    assert connection.component_key is None
    page = web.get("/company/integrations/loket/").content.decode()
    assert "nog niet gekozen" in page
    assert 'name="which" value="component"' in page


def test_refresh_rotates_the_refresh_token_and_stores_the_pair(web: Client, admin: User) -> None:
    connect(web, "koppeling")
    connection = connection_of(admin)
    old_refresh, generation = connection.refresh_token(), connection.token_generation
    LoketConnection.objects.filter(pk=connection.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    token = services.access_token(connection.pk)
    connection.refresh_from_db()
    assert token == connection.access_token()
    assert connection.refresh_token() != old_refresh
    assert connection.token_generation == generation + 1
    assert connection.expires_at > timezone.now() + timedelta(minutes=50)
    # The token works: the checks reach Loket with it.
    assert services.check(connection).state == State.ACTIVE


def test_a_failed_refresh_asks_to_authorize_again_and_tells_the_employer(
    web: Client, admin: User, django_capture_on_commit_callbacks: Any
) -> None:
    connect(web, "koppeling")
    connection = connection_of(admin)
    mail.outbox.clear()
    connection.refresh_token_enc = crypto.encrypt("a-refresh-token-loket-never-issued")
    connection.expires_at = timezone.now() - timedelta(seconds=1)
    connection.save()
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(services.ReauthorizationNeeded):
        services.access_token(connection.pk)
    connection.refresh_from_db()
    assert connection.state == State.REAUTHORIZE
    assert not connection.has_tokens
    assert "autoriseer Loket.nl opnieuw" in connection.notice
    assert "invalid_grant" not in connection.notice  # Loket's word is logged, not shown
    assert [m.to for m in mail.outbox] == [[admin.email]]
    page = web.get("/company/integrations/").content.decode()
    assert "autoriseer Loket.nl opnieuw" in page
    assert "opnieuw autoriseren" in page
    assert "invalid_grant" not in page


def test_disconnect_deletes_the_tokens(web: Client, admin: User) -> None:
    connect(web, "koppeling")
    web.post("/company/integrations/loket/disconnect/")
    connection = connection_of(admin)
    assert connection.state == State.DISCONNECTED
    assert (connection.access_token_enc, connection.refresh_token_enc, connection.expires_at) == ("", "", None)


def test_tenants_cannot_reach_each_others_data(web: Client, admin: User) -> None:
    connect(web, "koppeling")
    _, other_admin = make_company("Transport Bos B.V.", "bos@example.nl")
    other = logged_in(other_admin)
    page = other.get("/company/integrations/loket/").content.decode()
    assert "20001" not in page  # the first company's coupled employer
    assert "niet gekoppeld" in page
    other.post("/company/integrations/loket/disconnect/")
    other.post("/company/integrations/loket/sync/")
    assert connection_of(admin).state == State.ACTIVE  # untouched by the other tenant
    sam = User.objects.create_user(
        "sam@example.nl", PASSWORD, name="Sam", company=admin.company, role=Role.PAYROLL, rights=[Right.VIEW_EMPLOYEES]
    )
    assert other.post(f"/company/users/{sam.pk}/withdraw/").status_code == 404
    assert other.post(f"/company/users/{sam.pk}/rights/", {f"u{sam.pk}-rights": []}).status_code == 404
    sam.refresh_from_db()
    assert sam.is_active
    assert "sam@example.nl" not in other.get("/company/users/").content.decode()


def test_payroll_administrator_without_the_right_cannot_touch_the_connection(admin: User) -> None:
    viewer = User.objects.create_user(
        "kijker@example.nl",
        PASSWORD,
        name="Kijker",
        company=admin.company,
        role=Role.PAYROLL,
        rights=[Right.VIEW_EMPLOYEES],
    )
    client = logged_in(viewer)
    assert client.post("/company/integrations/loket/authorize/").status_code == 403
    assert client.post("/company/integrations/loket/disconnect/").status_code == 403
    assert client.get("/company/integrations/loket/").status_code == 200  # may look
