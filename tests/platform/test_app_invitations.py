"""Inviting employees into the app: the mail in the outbox, single use, expiry, resend, leavers, no address,
the lock after five wrong birth dates, and the employer's overview. SQLite and PostgreSQL (the Makefile's unit
rule runs the platform session on both)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.contrib.auth.hashers import identify_hasher
from django.test import Client
from django.utils import timezone

from inleg.platform.accounts.models import Role, User
from inleg.platform.app.invitations import TERMS_VERSION
from inleg.platform.app.models import EmployeeInvitation, OutboxMessage, TermsAcceptance
from inleg.platform.app.tasks import send_chunk
from tests.platform.app_fixtures import EMPLOYEE_PASSWORD, OUTBOX, employee, link_in_outbox, onboard
from tests.platform.conftest import logged_in, run_tasks

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _outbox(settings: Any) -> None:
    settings.EMAIL_BACKEND_CHOSEN = OUTBOX
    settings.MAILERS = {"default": {"BACKEND": OUTBOX}}


def test_the_employer_invites_one_the_mail_is_in_the_outbox_and_the_link_works_once(admin: User, web: Client) -> None:
    person = employee(admin.company, 1)
    answer = web.post(f"/employees/app/invite/{person.pk}/")
    assert answer.status_code == 302
    [message] = OutboxMessage.objects.all()
    assert message.company_id == admin.company_id
    assert message.to == [person.email]
    assert "nodigt u uit" in message.subject
    outbox_page = web.get("/employees/app/outbox/").content.decode()
    assert person.email in outbox_page
    assert message.subject in outbox_page
    link = link_in_outbox(person)
    assert "uitgenodigd" in web.get("/employees/app/").content.decode()

    client = onboard(person, link)
    user = User.objects.get(pk=person.user_id)
    assert (user.email, user.is_active, user.role) == (person.email, True, Role.EMPLOYEE)
    assert identify_hasher(user.password).algorithm == "argon2"
    assert TermsAcceptance.objects.get(user=user).version == TERMS_VERSION
    assert client.get("/app/").status_code == 200
    # Single use: the link is gone once used; the employer sees the employee as onboarded.
    assert Client().get(link).status_code == 404
    assert "onboarded" in web.get("/employees/app/").content.decode()
    # The employee logs in at the app; the employer's login refuses them.
    assert Client().post("/app/login/", {"email": person.email, "password": EMPLOYEE_PASSWORD}).status_code == 302
    refused = Client().post("/login/", {"email": person.email, "password": EMPLOYEE_PASSWORD})
    assert refused.status_code == 200
    assert "onjuist" in refused.content.decode()


def test_a_resend_replaces_the_link_and_the_old_one_stops_working(admin: User, web: Client) -> None:
    person = employee(admin.company, 1)
    web.post(f"/employees/app/invite/{person.pk}/")
    first = link_in_outbox(person)
    web.post(f"/employees/app/invite/{person.pk}/")
    second = link_in_outbox(person)
    assert first != second
    assert Client().get(first).status_code == 404
    assert Client().get(second).status_code == 200
    assert EmployeeInvitation.objects.filter(employee=person, replaced_at__isnull=True).count() == 1


def test_an_expired_link_does_not_work(admin: User, web: Client) -> None:
    person = employee(admin.company, 1)
    web.post(f"/employees/app/invite/{person.pk}/")
    EmployeeInvitation.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert Client().get(link_in_outbox(person)).status_code == 404
    assert "verlopen" in web.get("/employees/app/").content.decode()


def test_five_wrong_birth_dates_lock_the_invitation_until_the_employer_resends(admin: User, web: Client) -> None:
    person = employee(admin.company, 1, born=date(1990, 5, 17))
    web.post(f"/employees/app/invite/{person.pk}/")
    link = link_in_outbox(person)
    client = Client()
    wrong = {"date_of_birth": "1990-05-18", "password": EMPLOYEE_PASSWORD, "password2": EMPLOYEE_PASSWORD}
    for left in (4, 3, 2, 1):
        page = client.post(link, wrong)
        assert page.status_code == 200
        assert f"nog {left} keer" in page.content.decode()
    locked = client.post(link, wrong)
    assert locked.status_code == 404
    assert "geblokkeerd" in locked.content.decode()
    # Now even the right date does not open it.
    right = {**wrong, "date_of_birth": "1990-05-17"}
    assert client.post(link, right).status_code == 404
    assert not User.objects.get(pk=person.user_id).is_active
    assert "geblokkeerd" in web.get("/employees/app/").content.decode()
    web.post(f"/employees/app/invite/{person.pk}/")
    onboard(person, link_in_outbox(person))


def test_a_weak_password_is_refused_without_counting_as_a_wrong_confirmation(admin: User, web: Client) -> None:
    person = employee(admin.company, 1)
    web.post(f"/employees/app/invite/{person.pk}/")
    link = link_in_outbox(person)
    page = Client().post(link, {"date_of_birth": "1990-05-17", "password": "naam1achter1", "password2": "naam1achter1"})
    assert page.status_code == 200
    assert EmployeeInvitation.objects.get(employee=person).failed_confirmations == 0
    assert not User.objects.get(pk=person.user_id).is_active


@pytest.mark.django_db(transaction=True)  # the worker runs the queued tasks (run_tasks)
def test_invite_all_skips_leavers_people_without_an_address_and_those_invited(admin: User, web: Client) -> None:
    company = admin.company
    staying = [employee(company, n) for n in (1, 2)]
    leaver = employee(company, 3, ended=timezone.localdate() - timedelta(days=1))
    without = employee(company, 4, email="")
    web.post(f"/employees/app/invite/{staying[0].pk}/")
    answer = web.post("/employees/app/invite-all/", follow=True)
    # The request only queues: the mail goes out in the worker, not one by one inside the request.
    assert "1 uitnodiging wordt op de achtergrond verstuurd" in answer.content.decode()
    assert OutboxMessage.objects.count() == 1
    run_tasks()
    assert sorted(m.to[0] for m in OutboxMessage.objects.all()) == sorted(p.email for p in staying)
    [mail] = OutboxMessage.objects.filter(to=[staying[1].email])
    assert "http://testserver" + link_in_outbox(staying[1]) in mail.body  # the worker's link has the page's host
    page = web.get("/employees/app/").content.decode()
    assert "uit dienst: wordt niet uitgenodigd" in page
    assert "geen e-mailadres" in page
    # One by one is refused too.
    for person in (leaver, without):
        web.post(f"/employees/app/invite/{person.pk}/")
    assert OutboxMessage.objects.count() == 2


@pytest.mark.django_db(transaction=True)  # the worker runs the queued tasks (run_tasks)
def test_invite_all_delivered_twice_or_after_a_single_invitation_sends_one_mail_each(admin: User, web: Client) -> None:
    company = admin.company
    people = [employee(company, n) for n in (1, 2, 3)]
    web.post("/employees/app/invite-all/")
    web.post(f"/employees/app/invite/{people[0].pk}/")  # invited by hand while the task waits
    ids = [p.pk for p in people]
    send_chunk(company.pk, admin.pk, "http://testserver/", ids)
    send_chunk(company.pk, admin.pk, "http://testserver/", ids)  # the same chunk delivered again
    run_tasks()
    assert sorted(m.to[0] for m in OutboxMessage.objects.all()) == sorted(p.email for p in people)


def test_a_payroll_administrator_sees_the_overview_but_cannot_invite(admin: User) -> None:
    person = employee(admin.company, 1)
    payroll = User.objects.create_user(
        "salaris@example.nl",
        "x-lang-genoeg-42",
        name="S",
        company=admin.company,
        role=Role.PAYROLL,
        rights=["view_employees"],
    )
    client = logged_in(payroll)
    assert client.get("/employees/app/").status_code == 200
    assert client.post(f"/employees/app/invite/{person.pk}/").status_code == 403
    assert client.get("/employees/app/outbox/").status_code == 403
    assert OutboxMessage.objects.count() == 0
