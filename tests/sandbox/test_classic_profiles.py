"""Werknemerprofielen (seed 004): the start-date rule with its retroactive indication, idempotent re-applying,
ending from a day without deleting history, linking by hand on the employment's page, and a payroll run in
which a profile-activated fund starts paying in the period its entry moment says."""

from __future__ import annotations

import html
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from inleg.sandbox.core.models import (
    BenefitDeduction,
    EmployeeProfile,
    EmployeeProfileFund,
    Employment,
    EmploymentFund,
    EmploymentProfile,
    Fund,
    PayrollAdministration,
    PayrollPeriod,
    PayrollRun,
    RunStatus,
    Wage,
    WorkingHours,
)
from inleg.sandbox.payroll.periods import ensure_periods
from inleg.sandbox.payroll.profiles import (
    LinkError,
    active_year,
    apply_profile,
    end_link,
    link_by_hand,
    remove_profile_fund,
)
from inleg.sandbox.payroll.run import run_period
from inleg.sandbox.seed import USER_PASSWORD


def staff() -> Client:
    client = Client()
    assert client.login(username="beheerder", password=USER_PASSWORD)
    return client


@pytest.fixture
def job(seeded: Any) -> Employment:
    """One employment of 20001 without funds, 4000.00 a month full time, born 1980 (so age 21 long reached)."""
    admin = PayrollAdministration.objects.get(employer__employer_number=20001)
    employment = Employment.objects.filter(administration=admin).order_by("employee__employee_number").first()
    assert employment is not None
    Employment.objects.filter(administration=admin).exclude(pk=employment.pk).delete()
    EmploymentFund.objects.filter(employment=employment).delete()
    BenefitDeduction.objects.filter(employment=employment).delete()
    employment.start_date, employment.end_date = date(2022, 5, 1), None
    employment.save()
    Wage.objects.filter(employment=employment).delete()
    Wage.objects.create(employment=employment, start_date=date(2022, 5, 1), gross_wage=Decimal("4000.00"))
    WorkingHours.objects.filter(employment=employment).delete()
    WorkingHours.objects.create(employment=employment, start_date=date(2022, 5, 1), shift=admin.shifts.get(number=1))
    employment.employee.date_of_birth = date(1980, 6, 15)
    employment.employee.save()
    return employment


def approved(admin: PayrollAdministration, year: int, number: int, status: int = RunStatus.APPROVED) -> None:
    """A run of that period with the status, as the payroll tab leaves it (no results needed for the year rule)."""
    period = ensure_periods(admin, year)[number - 1]
    PayrollRun.objects.create(administration=admin, period=period, status=status)


def profile(admin: PayrollAdministration, *rows: tuple[int, bool], name: str = "Kantoor") -> EmployeeProfile:
    made = EmployeeProfile.objects.create(administration=admin, name=name)
    for number, retroactive in rows:
        EmployeeProfileFund.objects.create(profile=made, fund=admin.funds.get(number=number), retroactive=retroactive)
    return made


def spans(employment: Employment) -> list[tuple[int, date, date | None]]:
    return [(f.fund.number, f.start_date, f.end_date) for f in EmploymentFund.objects.filter(employment=employment)]


# -- the active payroll year --------------------------------------------------------------------------------------


def test_the_active_year_is_that_of_the_first_period_not_yet_approved(job: Employment) -> None:
    admin = job.administration
    PayrollPeriod.objects.filter(administration=admin).delete()
    assert active_year(admin) == admin.start_date.year == 2020  # no run, no periods: the administration's first year
    ensure_periods(admin, 2023)
    ensure_periods(admin, 2024)
    assert active_year(admin) == 2023  # no run yet: the first year with periods opened
    approved(admin, 2023, 12)  # the last period of 2023 approved: 2024 is next
    assert active_year(admin) == 2024
    approved(admin, 2024, 3)
    assert active_year(admin) == 2024
    approved(admin, 2025, 1, RunStatus.FAILED)  # failed and removed runs do not open a year
    approved(admin, 2025, 2, RunStatus.REMOVED)
    assert active_year(admin) == 2024
    approved(admin, 2025, 1, RunStatus.DONE)  # a finished run in 2025: the payroll is in 2025 now
    assert active_year(admin) == 2025


# -- the start-date rule -----------------------------------------------------------------------------------------
# Seed fund 1 has an entry moment (age 21, first of the month); fund 3 has none. Active year 2024 throughout.


@pytest.mark.parametrize(
    ("number", "retroactive", "start"),
    [
        (1, True, date(2024, 1, 1)),  # indication + entry moment + hired 2022: 01-01 of the active year
        (1, False, date(2022, 5, 1)),  # no indication: the hire date
        (3, True, date(2022, 5, 1)),  # no entry moment: the hire date ("wordt de indienstdatum ... gebruikt")
    ],
)
def test_hire_date_before_the_active_year(job: Employment, number: int, retroactive: bool, start: date) -> None:
    approved(job.administration, 2023, 12)
    done = apply_profile(job, profile(job.administration, (number, retroactive)))
    assert spans(job) == [(number, start, None)]
    assert [link.profile.name for link in done.created if link.profile] == ["Kantoor"]
    assert EmploymentProfile.objects.get(employment=job).profile.name == "Kantoor"


def test_hire_date_inside_the_active_year_is_the_start_even_with_the_indication(job: Employment) -> None:
    approved(job.administration, 2023, 12)
    job.start_date = date(2024, 3, 15)
    job.save()
    apply_profile(job, profile(job.administration, (1, True), (3, True)))
    assert spans(job) == [(1, date(2024, 3, 15), None), (3, date(2024, 3, 15), None)]


def test_a_leaver_is_linked_up_to_the_end_date_and_not_into_a_previous_year(job: Employment) -> None:
    admin = job.administration
    approved(admin, 2023, 12)
    job.end_date = date(2024, 6, 30)
    job.save()
    apply_profile(job, profile(admin, (1, True), (3, False)))
    assert spans(job) == [(1, date(2024, 1, 1), date(2024, 6, 30)), (3, date(2022, 5, 1), date(2024, 6, 30))]
    # Gone before the active year: with the indication the fund would start 01-01-2024, after the last day,
    # so there is no link (Loket does not apply it to 2023); without it the link is the employment's span.
    EmploymentFund.objects.filter(employment=job).delete()
    job.end_date = date(2023, 10, 31)
    job.save()
    done = apply_profile(job, profile(admin, (1, True), (3, False), name="Oud"))
    assert spans(job) == [(3, date(2022, 5, 1), date(2023, 10, 31))]
    assert "uit dienst" in done.skipped[0]
    assert "1 Pensioenfonds" in done.skipped[0]


def test_re_applying_is_idempotent_and_ends_links_with_the_employment(job: Employment) -> None:
    admin = job.administration
    kantoor = profile(admin, (1, False), (3, False))
    first = apply_profile(job, kantoor)
    assert len(first.created) == 2
    version = Employment.objects.get(pk=job.pk).version
    again = apply_profile(job, kantoor)
    assert (again.created, again.ended, len(again.kept)) == ([], [], 2)
    assert len(spans(job)) == 2
    assert Employment.objects.get(pk=job.pk).version == version  # nothing changed, so no new change number
    job.end_date = date(2024, 8, 31)  # beëindigd: the employment ends later on
    job.save()
    ended = apply_profile(job, kantoor)
    assert spans(job) == [(1, date(2022, 5, 1), date(2024, 8, 31)), (3, date(2022, 5, 1), date(2024, 8, 31))]
    assert len(ended.ended) == 2
    assert not ended.created


def test_removing_a_fund_from_the_profile_ends_its_links_and_keeps_history(job: Employment) -> None:
    admin = job.administration
    kantoor = profile(admin, (1, False), (3, False))
    apply_profile(job, kantoor)
    hand = link_by_hand(job, admin.funds.get(number=2), date(2024, 1, 1), None)[0]  # not the profile's to end
    row = kantoor.rows.get(fund__number=3)
    with pytest.raises(LinkError) as refused:
        remove_profile_fund(row, date(2021, 12, 31))  # before the link's start: it would erase it
    assert "Einddatum: “31-12-2021” ligt vóór de begindatum 01-05-2022" in refused.value.message
    assert kantoor.rows.filter(fund__number=3).exists()  # nothing half-done
    ended = remove_profile_fund(row, date(2024, 4, 30))
    assert [link.fund.number for link in ended] == [3]
    assert spans(job) == [
        (1, date(2022, 5, 1), None),
        (2, date(2024, 1, 1), None),
        (3, date(2022, 5, 1), date(2024, 4, 30)),
    ]
    assert EmploymentFund.objects.get(pk=hand.pk).end_date is None
    # Re-applying the profile (now without fund 3) changes nothing: the ended link stays ended.
    assert not apply_profile(job, kantoor).changed
    # Another profile without fund 1: its link ends on the day given, which is required.
    losse = profile(admin, name="Los")
    with pytest.raises(LinkError) as missing:
        apply_profile(job, losse)
    assert missing.value.field == "end_date"
    assert EmploymentProfile.objects.get(employment=job).profile == kantoor
    apply_profile(job, losse, date(2024, 9, 30))
    assert (1, date(2022, 5, 1), date(2024, 9, 30)) in spans(job)


def test_linking_by_hand_follows_the_chain_rules(job: Employment) -> None:
    admin = job.administration
    fund = admin.funds.get(number=1)
    first, _closed = link_by_hand(job, fund, date(2023, 1, 1), None)
    second, closed = link_by_hand(job, fund, date(2024, 7, 1), None)  # a new version closes the open one
    assert closed is not None
    assert closed.pk == first.pk
    assert spans(job) == [(1, date(2023, 1, 1), date(2024, 6, 30)), (1, date(2024, 7, 1), None)]
    with pytest.raises(LinkError) as overlap:
        link_by_hand(job, fund, date(2024, 3, 1), date(2024, 3, 31))
    assert "Begindatum: “01-03-2024” overlapt de koppeling aan fonds 1 Pensioenfonds van 01-01-2023 t/m 30-06-2024" in (
        overlap.value.message
    )
    with pytest.raises(LinkError) as early:
        link_by_hand(job, admin.funds.get(number=2), date(2021, 1, 1), None)
    assert early.value.field == "start_date"
    assert "datum in dienst 01-05-2022" in early.value.message
    assert end_link(second, date(2024, 12, 31)) is True
    assert end_link(second, date(2024, 12, 31)) is False


# -- the Classic pages ------------------------------------------------------------------------------------------


def test_profile_pages_save_whole_or_not_at_all(job: Employment) -> None:
    admin = job.administration
    client = staff()
    funds = {f.number: str(f.pk) for f in Fund.objects.filter(administration=admin)}
    data = {"name": "Kantoor", "rows-TOTAL_FORMS": "3", "rows-INITIAL_FORMS": "0", "rows-MIN_NUM_FORMS": "0",
            "rows-MAX_NUM_FORMS": "1000", "rows-0-fund": funds[1], "rows-0-retroactive": "true",
            "rows-1-fund": funds[1], "rows-1-retroactive": "false",
            "rows-2-fund": "", "rows-2-retroactive": "false"}  # fmt: skip
    answer = client.post(f"/classic/{admin.pk}/werknemerprofielen/toevoegen/", data)
    assert answer.status_code == 200
    assert "Fonds regel 2: “1 Pensioenfonds” staat al in dit profiel (regel 1)." in html.unescape(
        answer.content.decode()
    )
    assert not EmployeeProfile.objects.exists()  # nothing half-saved
    data["rows-1-fund"] = funds[3]
    answer = client.post(f"/classic/{admin.pk}/werknemerprofielen/toevoegen/", data)
    assert answer.status_code == 302
    made = EmployeeProfile.objects.get(name="Kantoor")
    assert [(r.fund.number, r.retroactive) for r in made.rows.all()] == [(1, True), (3, False)]
    again = client.post(f"/classic/{admin.pk}/werknemerprofielen/toevoegen/", {**data, "name": "kantoor"})
    assert "Naam: “kantoor” is al de naam van een ander profiel" in html.unescape(again.content.decode())
    listing = client.get(f"/classic/{admin.pk}/werknemerprofielen/").content.decode()
    assert "Kantoor" in listing
    assert "Actief verloningsjaar: 2020" in listing

    # Apply it on the employment's page, then take fund 3 out of the profile from 30-04-2024.
    page = f"/classic/{admin.pk}/dienstverbanden/{job.pk}/fondsen/"
    assert client.post(page, {"action": "profile", "profile": str(made.pk)}).status_code == 302
    assert spans(job) == [(1, date(2022, 5, 1), None), (3, date(2022, 5, 1), None)]  # active year 2020: hire date
    edit = f"/classic/{admin.pk}/werknemerprofielen/{made.pk}/"
    rows = {"rows-TOTAL_FORMS": "3", "rows-INITIAL_FORMS": "2", "rows-MIN_NUM_FORMS": "0", "rows-MAX_NUM_FORMS": "1000",
            "rows-0-fund": funds[1], "rows-0-retroactive": "true", "rows-1-fund": funds[3],
            "rows-1-retroactive": "false", "rows-1-remove": "on",
            "rows-2-fund": "", "rows-2-retroactive": "false"}  # fmt: skip
    refused = client.post(edit, {"name": "Kantoor", **rows})
    assert "Einddatum bij verwijderen is leeg, maar 1 dienstverband(en) heeft fonds 3 Sociaal fonds" in html.unescape(
        refused.content.decode()
    )
    assert made.rows.count() == 2
    assert client.post(edit, {"name": "Kantoor", "end_date": "30-04-2024", **rows}).status_code == 302
    assert spans(job) == [(1, date(2022, 5, 1), None), (3, date(2022, 5, 1), date(2024, 4, 30))]


def test_the_employment_page_links_by_hand_and_names_field_and_value(job: Employment) -> None:
    admin = job.administration
    client = staff()
    page = f"/classic/{admin.pk}/dienstverbanden/{job.pk}/fondsen/"
    fund = str(admin.funds.get(number=2).pk)
    bad = client.post(
        page, {"action": "link", "fund": fund, "start_date": "2024-01-01", "deviation_premium": "1,23456"}
    )
    text = html.unescape(bad.content.decode())
    assert "Afwijkend % premie: “1,23456” heeft te veel decimalen (ten hoogste 4)." in text
    assert not EmploymentFund.objects.filter(employment=job).exists()
    half = client.post(page, {"action": "link", "fund": fund, "start_date": "2024-01-01", "deviation_premium": "1,5"})
    assert "Afwijkend % afdracht is leeg; vul het in" in html.unescape(half.content.decode())
    bad_day = client.post(page, {"action": "link", "fund": fund, "start_date": "31-02-2024"})
    assert "Begindatum: “31-02-2024” is geen datum" in html.unescape(bad_day.content.decode())
    good = client.post(page, {"action": "link", "fund": fund, "start_date": "01-01-2024", "end_date": "",
                              "deviation_premium": "1,5", "deviation_total": "3"})  # fmt: skip
    assert good.status_code == 302
    link = EmploymentFund.objects.get(employment=job)
    assert (link.start_date, link.end_date, link.deviation_premium, link.deviation_total, link.profile) == (
        date(2024, 1, 1), None, Decimal("1.5"), Decimal("3"), None)  # fmt: skip
    shown = html.unescape(client.get(page).content.decode())
    assert "afwijking: premie 1,5000 %, afdracht 3,0000 %" in shown
    assert "handmatig" in shown
    assert "Wijzigingen die teruggaan tot in een voorgaand jaar worden niet herrekend." in shown
    ended = client.post(page, {"action": "end", "link": str(link.pk), "end_date": "2023-12-31"})
    assert "Einddatum: “31-12-2023” ligt vóór de begindatum 01-01-2024" in html.unescape(ended.content.decode())
    assert client.post(page, {"action": "end", "link": str(link.pk), "end_date": "2024-05-31"}).status_code == 302
    assert EmploymentFund.objects.get(pk=link.pk).end_date == date(2024, 5, 31)


# -- the payroll run -------------------------------------------------------------------------------------------


def test_a_profile_activated_fund_pays_from_the_period_its_entry_moment_gives(job: Employment) -> None:
    """Hired 01-05-2022, born 10-04-2003: fund 1 (entry: age 21, first of the month) applies from 01-04-2024."""
    admin = job.administration
    job.employee.date_of_birth = date(2003, 4, 10)
    job.employee.save()
    approved(admin, 2023, 12)  # active year 2024
    apply_profile(job, profile(admin, (1, True), (3, False)))
    # With the indication and an entry moment the link starts 01-01-2024 (hired before the active year); the
    # age is not written into the link: the engine starts participation on 01-04-2024 within it.
    assert spans(job) == [(1, date(2024, 1, 1), None), (3, date(2022, 5, 1), None)]
    lines = {}
    for number in (3, 4):
        run = run_period(admin, 2024, number)
        lines[number] = {(r.component_key, r.column): r.value for r in run.results.filter(employment=job)}
    # March: 20 years old, fund 1 does not apply; fund 3 (no entry moment, premium 0 %, total 1.1 %) does:
    # 1.1 % of 4000.00 = 44.00.
    assert (601, 1) not in lines[3]
    assert (701, 3) not in lines[3]
    assert lines[3][(703, 3)] == Decimal("44.00")
    # April: fund 1 from the 1st: 4000.00 less the franchise 17545.00 / 12 = 1462.08 gives 2537.92;
    # 7.5 % = 190.344 -> 190.34 premium, 22 % = 558.3424 -> 558.34 remittance.
    assert (lines[4][(601, 1)], lines[4][(701, 3)]) == (Decimal("190.34"), Decimal("558.34"))
    assert lines[4][(703, 3)] == Decimal("44.00")
