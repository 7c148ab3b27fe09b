"""One Loket employer, one company: a second company cannot couple an employer another company holds.

Against the real sandbox: `koppeling` reaches employer 20001 only, `kantoor` (AK-niveau) reaches all of them.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django.utils import timezone

from inleg.platform.accounts.models import User
from inleg.platform.employees.models import SyncRun
from inleg.platform.integrations.models import LoketConnection, State
from tests.platform.conftest import connect, connection_of, logged_in, make_company

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("loket")]

OTHER_NAME = "Eerste Huurder Uniek B.V."  # the first company: nothing of it may reach the second


@pytest.fixture(autouse=True)
def _first_company_named_apart(admin: User) -> None:
    """The fixture's company shares its name with a Loket employer of the seed; here it must be told apart."""
    admin.company.name = OTHER_NAME
    admin.company.save()


def second_company(name: str = "Zorggroep De Linde", email: str = "linde@zorg.example") -> tuple[User, Client]:
    _, user = make_company(name, email)
    return user, logged_in(user)


def test_an_ak_level_user_cannot_couple_an_employer_another_company_holds(web: Client, admin: User) -> None:
    connect(web, "koppeling")
    first = connection_of(admin)
    assert (first.state, first.employer_number) == (State.ACTIVE, 20001)
    linde, browser = second_company()
    connect(browser, "kantoor")
    connection = connection_of(linde)
    assert connection.state == State.CHOOSE_EMPLOYER
    page = browser.get("/company/integrations/loket/").content.decode()
    assert "al gekoppeld aan een ander bedrijf op dit platform" in page
    assert OTHER_NAME not in page
    assert admin.email not in page
    taken = next(e for e in connection.reachable_employers if e["number"] == 20001)
    answer = browser.post("/company/integrations/loket/employer/", {"employer": taken["id"]}, follow=True)
    text = answer.content.decode()
    assert "is op dit platform al aan een ander bedrijf gekoppeld" in text
    assert OTHER_NAME not in text
    connection = connection_of(linde)
    assert (connection.state, connection.employer_id) == (State.CHOOSE_EMPLOYER, "")
    assert not SyncRun.objects.filter(company=linde.company).exists()  # nothing imported a second time
    assert connection_of(admin).state == State.ACTIVE  # the first coupling is untouched
    # Another employer of the office is free.
    free = next(e for e in connection.reachable_employers if e["number"] == 20003)
    browser.post("/company/integrations/loket/employer/", {"employer": free["id"]})
    assert (connection_of(linde).state, connection_of(linde).employer_number) == (State.ACTIVE, 20003)


def test_the_single_employer_of_a_user_that_another_company_holds_is_not_coupled_until_released(
    web: Client, admin: User
) -> None:
    connect(web, "koppeling")
    other, browser = second_company("Transport Bos B.V.", "bos@example.nl")
    connect(browser, "koppeling")
    connection = connection_of(other)
    assert connection.state == State.EMPLOYER_TAKEN
    assert connection.employer_id == ""
    assert not SyncRun.objects.filter(company=other.company).exists()
    page = browser.get("/company/integrations/loket/").content.decode()
    assert "werkgever al gekoppeld" in page
    assert "20001" in page  # its own Loket employer is named, so the employer knows which one is meant
    assert OTHER_NAME not in page
    assert admin.email not in page
    assert "Nu synchroniseren" not in page
    # Checking again changes nothing while the other coupling stands; once it ends, the employer is free.
    browser.post("/company/integrations/loket/recheck/")
    assert connection_of(other).state == State.EMPLOYER_TAKEN
    web.post("/company/integrations/loket/disconnect/")
    browser.post("/company/integrations/loket/recheck/")
    connection = connection_of(other)
    assert (connection.state, connection.employer_number) == (State.ACTIVE, 20001)
    assert SyncRun.objects.filter(company=other.company).exists()  # its import starts now
    # And the first company, authorising again, finds the employer taken in its turn.
    connect(web, "koppeling")
    assert connection_of(admin).state == State.EMPLOYER_TAKEN


def test_the_database_refuses_a_second_live_holder_of_an_employer(admin: User) -> None:
    other, _browser = second_company()
    LoketConnection.objects.create(company=admin.company, state=State.ACTIVE, employer_id="e-1")
    second = LoketConnection.objects.create(company=other.company, state=State.DISCONNECTED, employer_id="e-1")
    for state in (State.ACTIVE, State.MISSING_RIGHTS, State.REAUTHORIZE, State.UNCHECKED):
        second.state = state
        with pytest.raises(IntegrityError), transaction.atomic():
            second.save()
    # A disconnected coupling holds nothing; neither does a connection without an employer.
    LoketConnection.objects.filter(company=admin.company).update(state=State.DISCONNECTED)
    second.state = State.ACTIVE
    second.save()
    LoketConnection.objects.filter(company=admin.company).update(state=State.CHOOSE_EMPLOYER, employer_id="")


@pytest.mark.django_db(transaction=True)
def test_the_migration_leaves_a_doubly_coupled_employer_with_the_company_that_coupled_it_first() -> None:
    """Before the rule, one employer could be coupled twice; the rule's migration must not fail on such data."""
    before, rule = [("integrations", "0002_component_options")], [("integrations", "0003_connection_truth")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    company, connection_model = old.get_model("accounts", "Company"), old.get_model("integrations", "LoketConnection")
    now = timezone.now()
    later = connection_model.objects.create(
        company=company.objects.create(name="Later"), state="active", employer_id="e-1", connected_at=now
    )
    first = connection_model.objects.create(
        company=company.objects.create(name="Eerst"), state="active", employer_id="e-1", connected_at=now
    )
    # The later one has the lower id: the first to couple wins, not the first row.
    connection_model.objects.filter(pk=later.pk).update(connected_at=now + timedelta(days=1))
    other = connection_model.objects.create(
        company=company.objects.create(name="Los"), state="active", employer_id="e-2", connected_at=now
    )
    executor = MigrationExecutor(connection)
    executor.migrate(rule)
    kept, released, alone = (LoketConnection.objects.get(pk=c.pk) for c in (first, later, other))
    assert (kept.state, kept.employer_id) == (State.ACTIVE, "e-1")
    assert (released.state, released.employer_id) == (State.EMPLOYER_TAKEN, "")
    assert "ander bedrijf" in released.notice
    assert (alone.state, alone.employer_id) == (State.ACTIVE, "e-2")
