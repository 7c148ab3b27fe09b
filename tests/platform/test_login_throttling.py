"""Login throttling (django-axes): per e-mail address and client address together.

An attacker may not lock anybody else out: not the owner of the account they guess at (from the owner's own
address), not a colleague behind the attacker's office address. The attacker's own pair is locked after
LOGIN_MAX_FAILURES (5) wrong passwords, for LOGIN_FAILURE_WINDOW_S (15 minutes) from the last one.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django.utils import timezone

from inleg.platform.accounts.models import User
from tests.platform.conftest import PASSWORD, make_company

pytestmark = pytest.mark.django_db

ATTACKER = "203.0.113.9"  # documentation addresses (RFC 5737)
OWNER = "198.51.100.7"
WRONG = "fout-wachtwoord-123"
LOCKED = "Te veel mislukte pogingen om met dit e-mailadres in te loggen. Wacht 15 minuten en probeer het dan opnieuw."


def log_in(email: str, password: str, address: str, **headers: str) -> Any:
    return Client().post("/login/", {"email": email, "password": password}, REMOTE_ADDR=address, **headers)


def logged_in(response: Any) -> bool:
    return response.status_code == 302 and response["Location"] == "/"


def users(count: int) -> list[User]:
    company, first = make_company(email="eigenaar@jansen.example")
    others = [
        User.objects.create_user(f"collega{n}@jansen.example", PASSWORD, name=f"C{n}", company=company, role="payroll")
        for n in range(1, count)
    ]
    return [first, *others]


def test_thirty_wrong_passwords_from_one_address_lock_out_nobody_else() -> None:
    victim, colleague, *others = users(7)
    # 30 wrong passwords from one address: 6 on the victim's account, 4 on each of six others.
    for _ in range(6):
        log_in(victim.email or "", WRONG, ATTACKER)
    for person in [colleague, *others]:
        for _ in range(4):
            log_in(person.email or "", WRONG, ATTACKER)
    assert AccessAttempt.objects.count() > 0  # the failures were counted
    assert logged_in(log_in(victim.email or "", PASSWORD, OWNER))  # the owner, from the owner's address
    assert logged_in(log_in(colleague.email or "", PASSWORD, ATTACKER))  # a colleague behind the same address


def test_five_wrong_passwords_lock_that_address_out_of_that_account_until_the_window_has_passed() -> None:
    (victim,) = users(1)
    email = victim.email or ""
    for attempt in range(1, 5):
        response = log_in(email, WRONG, ATTACKER)
        assert response.status_code == 200, attempt
        assert "E-mailadres of wachtwoord onjuist." in response.content.decode()
    fifth = log_in(email, WRONG, ATTACKER)
    assert fifth.status_code == 429
    assert LOCKED in fifth.content.decode()
    right = log_in(email, PASSWORD, ATTACKER)
    assert right.status_code == 429  # the right password too: the pair is locked, the password not even tried
    assert LOCKED in right.content.decode()
    assert log_in(email.upper(), PASSWORD, ATTACKER).status_code == 429  # the same address in capitals

    # A quarter of an hour after the last failure the pair is free again.
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=15, seconds=1))
    assert logged_in(log_in(email, PASSWORD, ATTACKER))


def test_the_right_password_clears_the_failures() -> None:
    (person,) = users(1)
    email = person.email or ""
    for _ in range(4):
        log_in(email, WRONG, OWNER)
    assert logged_in(log_in(email, PASSWORD, OWNER))
    for _ in range(4):
        assert log_in(email, WRONG, OWNER).status_code == 200  # counting starts again
    assert logged_in(log_in(email, PASSWORD, OWNER))


def test_lockout_message_in_english_after_the_language_switch(settings: Any) -> None:
    (person,) = users(1)
    client = Client(REMOTE_ADDR=ATTACKER)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    for _ in range(5):
        response = client.post("/login/", {"email": person.email, "password": WRONG})
    assert response.status_code == 429
    assert "Too many failed attempts to log in with this e-mail address. Wait 15 minutes" in response.content.decode()


def test_a_forged_x_forwarded_for_is_ignored_without_a_trusted_proxy() -> None:
    (victim,) = users(1)
    email = victim.email or ""
    for n in range(5):  # a different forged address each time does not escape the count
        log_in(email, WRONG, ATTACKER, HTTP_X_FORWARDED_FOR=f"192.0.2.{n}")
    assert log_in(email, PASSWORD, ATTACKER, HTTP_X_FORWARDED_FOR="192.0.2.99").status_code == 429
    # Nor can a forged header put the failures on the owner's address.
    assert logged_in(log_in(email, PASSWORD, OWNER))
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {ATTACKER}


def test_behind_a_trusted_proxy_the_address_it_appended_counts_and_what_the_client_wrote_not(settings: Any) -> None:
    settings.TRUSTED_PROXIES = 1
    (victim,) = users(1)
    email = victim.email or ""
    proxy = "10.0.0.2"
    for n in range(5):  # the client writes an address of its own in front; the proxy appends the real one
        log_in(email, WRONG, proxy, HTTP_X_FORWARDED_FOR=f"192.0.2.{n}, {ATTACKER}")
    assert log_in(email, PASSWORD, proxy, HTTP_X_FORWARDED_FOR=ATTACKER).status_code == 429
    assert logged_in(log_in(email, PASSWORD, proxy, HTTP_X_FORWARDED_FOR=OWNER))  # another client, same proxy
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {ATTACKER}
