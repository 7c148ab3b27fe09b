"""Privacy of the app: an employee sees only their own data. Every app URL with an id is tried with another
employee's id (same company) and another company's: 404. And every employer URL answers an employee with 403 or
404. The URL patterns are enumerated from the resolver, so a page added later is tried too."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from inleg.platform.accounts.models import User
from inleg.platform.app.invitations import accept_terms
from inleg.platform.employees.models import Employee
from tests.platform.app_fixtures import employee
from tests.platform.conftest import logged_in, make_company

pytestmark = pytest.mark.django_db

# Pages anyone may open (login, registration, invitation links, the Loket callback, the language switch).
PUBLIC = {
    "accounts:register",
    "accounts:login",
    "accounts:logout",
    "accounts:accept",
    "loket_callback",
    "set_language",
    "app:login",
    "app:logout",
    "app:onboarding",
}


def patterns(resolvers: list[Any] | None = None, namespace: str = "") -> Iterator[tuple[str, URLPattern]]:
    for entry in resolvers if resolvers is not None else get_resolver().url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from patterns(entry.url_patterns, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}", entry


def arguments(pattern: URLPattern) -> list[str]:
    return list(pattern.pattern.regex.groupindex)


def onboarded(person: Employee) -> Client:
    user = User.objects.get(pk=person.user_id)
    user.email, user.is_active = person.email, True
    user.set_password("zonnebloem-kaas-77")
    user.save()
    accept_terms(user)
    return logged_in(user)


@pytest.fixture
def people(admin: User) -> tuple[Employee, Employee, Employee]:
    other_company, _ = make_company("Andere B.V.", "baas@andere.example")
    return employee(admin.company, 1), employee(admin.company, 2), employee(other_company, 1)


def test_there_are_app_pages_with_ids_to_try() -> None:
    with_ids = [name for name, p in patterns() if name.startswith("app:") and arguments(p)]
    assert {"app:account", "app:net_amount"} <= set(with_ids)


def test_every_app_url_with_another_employees_id_answers_404(people: tuple[Employee, ...]) -> None:
    me, colleague, stranger = people
    client = onboarded(me)
    mine = me.employments.get().pk
    tried = 0
    for name, pattern in patterns():
        if not name.startswith("app:") or name in PUBLIC:
            continue
        args = arguments(pattern)
        if not args:
            assert client.get(reverse(name)).status_code == 200, name
            continue
        assert args == ["employment_id"], (name, args)  # a new kind of id: teach this test about it
        assert client.get(reverse(name, kwargs={"employment_id": mine})).status_code == 200, name
        for other in (colleague, stranger):
            theirs = other.employments.get().pk
            assert client.get(reverse(name, kwargs={"employment_id": theirs})).status_code == 404, (name, other)
            assert client.post(reverse(name, kwargs={"employment_id": theirs}), {"amount": "1"}).status_code == 404
            tried += 1
    assert tried >= 4


def test_employees_reach_none_of_the_employers_pages(people: tuple[Employee, ...]) -> None:
    me = people[0]
    client = onboarded(me)
    mine = me.employments.get().pk
    tried = 0
    for name, pattern in patterns():
        if name.startswith("app:") or name in PUBLIC:
            continue
        kwargs = {arg: mine for arg in arguments(pattern)}  # an id of the employee's own company: not a 404 by luck
        url = reverse(name, kwargs=kwargs)
        answer = client.get(url)
        if name == "home":
            assert answer.status_code == 302, name
            assert answer["Location"] == "/app/", name
            continue
        assert answer.status_code in (403, 404, 405), (name, url, answer.status_code)
        if answer.status_code == 405:
            assert client.post(url).status_code in (403, 404), (name, url)
        tried += 1
    assert tried >= 20


def test_an_employer_admin_is_not_let_into_the_app(admin: User, people: tuple[Employee, ...]) -> None:
    client = logged_in(admin)
    assert client.get("/app/").status_code == 404
    assert client.get(f"/app/rekening/{people[0].employments.get().pk}/").status_code == 404


def test_the_app_asks_to_log_in_and_to_accept_the_terms_first(people: tuple[Employee, ...]) -> None:
    me = people[0]
    answer = Client().get("/app/")
    assert answer.status_code == 302
    assert answer["Location"].startswith("/app/login/")
    user = User.objects.get(pk=me.user_id)
    user.is_active = True
    user.save()
    client = logged_in(user)
    assert client.get("/app/uitleg/")["Location"] == "/app/voorwaarden/"
