"""Companies with employees for the app's tests (no Loket needed for invitations, onboarding and privacy)."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from django.test import Client

from inleg.platform.accounts.models import Company, Role, User
from inleg.platform.app.models import OutboxMessage
from inleg.platform.employees.models import Employee, Employment

OUTBOX = "inleg.platform.app.outbox.DatabaseBackend"
EMPLOYEE_PASSWORD = "zonnebloem-kaas-77"


def employee(
    company: Company,
    n: int,
    *,
    email: str | None = None,
    born: date = date(1990, 5, 17),
    ended: date | None = None,
) -> Employee:
    account = User(name=f"Naam{n} Achter{n}", company=company, role=Role.EMPLOYEE, is_active=False)
    account.set_unusable_password()
    account.save()
    person = Employee.objects.create(
        company=company,
        loket_id=f"{company.pk}-ee-{n}",
        employee_number=n,
        first_name=f"Naam{n}",
        last_name=f"Achter{n}",
        date_of_birth=born,
        email=f"werknemer{n}.{company.pk}@example.nl" if email is None else email,
        user=account,
    )
    Employment.objects.create(
        company=company, employee=person, loket_id=f"{company.pk}-emp-{n}", start_date=date(2024, 1, 1), end_date=ended
    )
    return person


def link_in_outbox(person: Employee) -> str:
    message = OutboxMessage.objects.filter(to=[person.email]).order_by("-sent_at", "-pk").first()
    assert message is not None, person.email
    found = re.search(r"http://testserver(/app/welkom/[^/\s]+/)", message.body)
    assert found, message.body
    return found.group(1)


def onboard(person: Employee, link: str, client: Client | None = None) -> Client:
    client = client or Client()
    answer: Any = client.post(
        link,
        {
            "date_of_birth": person.date_of_birth.isoformat() if person.date_of_birth else "",
            "password": EMPLOYEE_PASSWORD,
            "password2": EMPLOYEE_PASSWORD,
        },
    )
    assert answer.status_code == 302, answer.content.decode()[:2000]
    assert answer["Location"] == "/app/voorwaarden/", answer.content.decode()[:2000]
    accepted = client.post("/app/voorwaarden/", {"accept": "on"})
    assert accepted.status_code == 302
    assert accepted["Location"] == "/app/"
    return client
