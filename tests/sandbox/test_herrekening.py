"""Fund versions and dated links in the payroll run, and the herrekening of periods already run (seed 004)."""

from __future__ import annotations

import html
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.test import Client
from test_payroll import known  # noqa: F401  (the fixture: one employment, 4000.00 a month, fund 1 of the seed)

from conftest import V2, Api, make_token
from inleg.sandbox.classic.fund_views import store
from inleg.sandbox.core.models import Employment, EmploymentFund, Fund, PayrollRun, Wage, WorkingHours
from inleg.sandbox.payroll.run import approve_run, run_period
from inleg.sandbox.seed import USER_PASSWORD

# The known employment (test_payroll.py): salary 4000.00 a month, fund 1 of the seed: premium 7.5 %, total 22 %
# of salary less the franchise 17545.00 / 12 = 1462.08, so a base of 4000.00 - 1462.08 = 2537.92 every month:
# premium 2537.92 * 7.5 % = 190.344 -> 190.34, total 2537.92 * 22 % = 558.3424 -> 558.34.
OLD_PREMIUM, OLD_TOTAL = Decimal("190.34"), Decimal("558.34")
# The new version: premium 8 %, total 24 %: 2537.92 * 8 % = 203.0336 -> 203.03, 2537.92 * 24 % = 609.1008 -> 609.10.
NEW_PREMIUM, NEW_TOTAL = Decimal("203.03"), Decimal("609.10")


def save_version(fund: Fund, valid_from: date, premium: str, total: str) -> None:
    """What the Fondsen screen stores for a save with "geldig vanaf" (classic/fund_views.store)."""
    settings = {**fund.settings, "number": fund.number, "name": fund.name}
    settings["premium"] = {**settings["premium"], "percentage": premium}
    settings["total"] = {**settings["total"], "percentage": total}
    store(fund.administration, fund, fund.number, settings, valid_from, None)


def with_versions(employment: Employment) -> Fund:
    """Fund 1 as the Fondsen screen holds it: its seed settings as a version from before the year."""
    fund = Fund.objects.get(administration=employment.administration, number=1)
    store(fund.administration, fund, 1, {**fund.settings, "number": 1, "name": fund.name}, date(2020, 1, 1), None)
    return fund


def lines_of(run: PayrollRun, employment: Employment) -> dict[tuple[int, int, int | None], Decimal]:
    return {(r.component_key, r.column, r.corrects): r.value for r in run.results.filter(employment=employment)}


def test_a_version_from_1_july_computes_the_first_half_old_and_the_second_new(known: Employment) -> None:  # noqa: F811
    fund = with_versions(known)
    save_version(fund, date(2024, 7, 1), "8.0000", "24.0000")
    admin = known.administration
    for number, premium, total in ((1, OLD_PREMIUM, OLD_TOTAL), (6, OLD_PREMIUM, OLD_TOTAL),
                                   (7, NEW_PREMIUM, NEW_TOTAL), (12, NEW_PREMIUM, NEW_TOTAL)):  # fmt: skip
        lines = lines_of(run_period(admin, 2024, number), known)
        assert (lines[(601, 1, None)], lines[(701, 3, None)]) == (premium, total), number
        # The version was saved before any run: nothing run earlier changes, so nothing is recalculated.
        assert not [key for key in lines if key[2] is not None], number


def test_a_change_dated_in_march_saved_after_the_june_run_is_recalculated_in_july(known: Employment) -> None:  # noqa: F811
    fund = with_versions(known)
    admin = known.administration
    for number in range(1, 7):
        approve_run(run_period(admin, 2024, number))
    save_version(fund, date(2024, 3, 1), "8.0000", "24.0000")
    july = run_period(admin, 2024, 7)
    lines = lines_of(july, known)
    assert (lines[(601, 1, None)], lines[(701, 3, None)]) == (NEW_PREMIUM, NEW_TOTAL)
    # March to June were booked at 190.34 / 558.34 and come to 203.03 / 609.10 now: July books the difference
    # per period, 203.03 - 190.34 = 12.69 premium and 609.10 - 558.34 = 50.76 remittance, naming the period.
    # January and February keep the old version (it holds until 1 March): no lines for them.
    corrections = {key: value for key, value in lines.items() if key[2] is not None}
    assert corrections == {
        **{(601, 1, p): Decimal("12.69") for p in (3, 4, 5, 6)},
        **{(701, 3, p): Decimal("50.76") for p in (3, 4, 5, 6)},
    }
    # The SV-wage of July takes the premiums withheld: 4100.00 (salary + Pensify Inleg) - 203.03 - 4 * 12.69
    # = 3846.21; BRUTO does not count fund premiums: 4100.00.
    assert lines[(265, 4, None)] == Decimal("3846.21")
    assert lines[(257, 4, None)] == Decimal("4100.00")
    # A second July run (the first replaced) books the same corrections, not twice as much.
    again = lines_of(run_period(admin, 2024, 7), known)
    assert {k: v for k, v in again.items() if k[2] is not None} == corrections
    # August has nothing left to correct: July's run kept the case with the March version.
    august = lines_of(run_period(admin, 2024, 8), known)
    assert not [key for key in august if key[2] is not None]
    assert (august[(601, 1, None)], august[(701, 3, None)]) == (NEW_PREMIUM, NEW_TOTAL)


def test_correction_lines_are_the_funds_own_components_in_the_api(known: Employment) -> None:  # noqa: F811
    fund = with_versions(known)
    admin = known.administration
    approve_run(run_period(admin, 2024, 1))
    save_version(fund, date(2024, 1, 1), "8.0000", "24.0000")
    approve_run(run_period(admin, 2024, 2))
    api = Api(make_token("koppeling"))
    body = api.get(f"{V2}/payrolladministrations/{admin.pk}/payrollperiods/202402/payrollresults",
                   {"payrollComponents": "601,701"}).json()  # fmt: skip
    lines = body["_embedded"][0]["payrollPeriods"][0]["payslipTypes"][0]["payrollComponentResults"]
    # February's own lines and January's correction (12.69 / 50.76, worked out above) on the same components:
    # the description has no field naming the corrected period (sandbox README).
    assert sorted((x["payrollComponent"]["key"], x["payrollComponent"]["value"], x["value"]) for x in lines) == [
        (601, "Prem. fonds 1", 12.69),
        (601, "Prem. fonds 1", 203.03),
        (701, "Afdr. fonds 1", 50.76),
        (701, "Afdr. fonds 1", 609.1),
    ]


def test_an_employment_fund_moved_into_the_previous_year_is_recalculated_only_for_this_year(
    known: Employment,  # noqa: F811
) -> None:
    admin = known.administration
    [link] = EmploymentFund.objects.filter(employment=known, fund__number=1)
    link.start_date = date(2024, 3, 1)
    link.save()
    for number in (1, 2, 3):
        run_period(admin, 2024, number)
    link.start_date = date(2023, 11, 1)  # the fund applied since November last year, it turns out
    link.save()
    april = run_period(admin, 2024, 4)
    lines = lines_of(april, known)
    # January and February had no fund 1 and now have it: each gets its whole premium and remittance.
    assert {k: v for k, v in lines.items() if k[2] is not None} == {
        (601, 1, 1): OLD_PREMIUM, (601, 1, 2): OLD_PREMIUM, (701, 3, 1): OLD_TOTAL, (701, 3, 2): OLD_TOTAL,
    }  # fmt: skip
    # November and December 2023 are not recalculated, and the pages say so.
    number = known.employee.employee_number
    assert april.not_recalculated == [{"employee": number, "field": "begindatum van fonds 1", "value": "2023-11-01"}]
    client = Client()
    assert client.login(username="beheerder", password=USER_PASSWORD)
    for page in (f"/classic/{admin.pk}/verloning/{april.pk}/", f"/classic/{admin.pk}/fondsen/"):
        text = html.unescape(client.get(page).content.decode())
        assert "Loket kan deze fondsen niet met terugwerkende kracht toepassen voor een voorgaand jaar" in text
        assert f"Werknemer {number}: begindatum van fonds 1 2023-11-01" in text
    results = html.unescape(client.get(f"/classic/{admin.pk}/verloning/{april.pk}/").content.decode())
    assert "corrigeert periode 1" in results
    assert "corrigeert periode 2" in results


def test_a_run_before_any_change_says_nothing_about_earlier_years(known: Employment, seeded: Any) -> None:  # noqa: F811
    admin = known.administration
    run_period(admin, 2024, 1)
    second = run_period(admin, 2024, 2)
    assert second.not_recalculated == []
    assert not second.results.filter(corrects__isnull=False).exists()


# --- hours that change within the year (ADR 0008, addendum: each period its own part-time factor) -----------


def half_time_from(employment: Employment, day: date) -> None:
    """The working hours chain: full time (40 hours) until the day before, 20 of the shift's 40 hours from it."""
    first = WorkingHours.objects.get(employment=employment)
    shift = first.shift
    WorkingHours.objects.create(employment=employment, start_date=day, shift=shift,
                                deviating_hours_per_week=shift.full_time_hours_per_week / 2)  # fmt: skip
    assert WorkingHours.objects.get(pk=first.pk).end_date == day - timedelta(days=1)  # the chain closed it


# Half time from July: the full-time wage 4000.00 becomes a salary of 2000.00, and fund 1's thresholds with
# PT-herrekening are halved: franchise 17545.00 / 12 * 0.5 = 731.041 -> 731.04, base 2000.00 - 731.04 = 1268.96:
# premium 7.5 % = 95.172 -> 95.17, total 22 % = 279.1712 -> 279.17 (max 137800.00 / 12 * 0.5 = 5741.67 does
# not bind).
HALF_PREMIUM, HALF_TOTAL = Decimal("95.17"), Decimal("279.17")


def test_going_part_time_in_july_recalculates_nothing_before_july(known: Employment) -> None:  # noqa: F811
    admin = known.administration
    for number in range(1, 7):
        approve_run(run_period(admin, 2024, number))
    half_time_from(known, date(2024, 7, 1))
    lines = lines_of(run_period(admin, 2024, 7), known)
    assert (lines[(10, 1, None)], lines[(601, 1, None)], lines[(701, 3, None)]) == (
        Decimal("2000.00"), HALF_PREMIUM, HALF_TOTAL
    )  # fmt: skip
    # January to June were full time and are recomputed so: nothing changed, nothing is booked for them.
    # (With one factor for the year they were recomputed at half time: franchise 731.04 instead of 1462.08,
    # +54.83 premium and +160.83 remittance for each.)
    assert not [key for key in lines if key[2] is not None]


def test_hours_changed_from_april_after_the_june_run_are_recalculated_in_july(known: Employment) -> None:  # noqa: F811
    admin = known.administration
    for number in range(1, 7):
        approve_run(run_period(admin, 2024, number))
    half_time_from(known, date(2024, 4, 1))  # entered after June was run, dated from 1 April
    lines = lines_of(run_period(admin, 2024, 7), known)
    assert (lines[(601, 1, None)], lines[(701, 3, None)]) == (HALF_PREMIUM, HALF_TOTAL)
    # April to June were booked full time at 190.34 / 558.34 and come to 95.17 / 279.17 at half time now:
    # July books 95.17 - 190.34 = -95.17 premium and 279.17 - 558.34 = -279.17 remittance for each of them.
    # January to March keep full time: no lines for them.
    corrections = {key: value for key, value in lines.items() if key[2] is not None}
    assert corrections == {
        **{(601, 1, p): Decimal("-95.17") for p in (4, 5, 6)},
        **{(701, 3, p): Decimal("-279.17") for p in (4, 5, 6)},
    }
    # SV-wage of July: salary 2000.00 + Pensify Inleg 100.00 - premium 95.17 + 3 * 95.17 (the premiums given
    # back) = 2290.34.
    assert lines[(265, 4, None)] == Decimal("2290.34")


def test_pension_days_and_a_cumulative_fund_follow_each_periods_factor(known: Employment) -> None:  # noqa: F811
    fund = Fund.objects.get(administration=known.administration, number=1)
    fund.settings = {**fund.settings, "recalc_unit": "pension_days", "cumulative": True}
    fund.save()
    half_time_from(known, date(2024, 2, 1))
    admin = known.administration
    # SV-days 2024: January 23, February 21, March 21; SV_YEAR 262. Factor 1 in January, 0.5 from February.
    # Pension days: 1 * 23 = 23 -> 23; + 0.5 * 21 = 33.5 -> 34; + 10.5 = 44 -> 44: per period 23, 11, 10.
    # Franchise 17545.00 * d / 262: 403535 / 262 = 1540.209 -> 1540.21; 192995 / 262 = 736.622 -> 736.62;
    # 175450 / 262 = 669.656 -> 669.66 (pension days reflect part-time: no PT-herrekening on top).
    # Max 137800.00 * d / 262: 3169400 / 262 = 12096.946 -> 12096.95, 5785.50, 5259.54; it does not bind.
    # Year to date: salary 4000.00, 6000.00, 8000.00; franchise 1540.21, 2276.83, 2946.49;
    # base 2459.79, 3723.17, 5053.51.
    # Premium 7.5 %: 184.48425 -> 184.48; 279.23775 -> 279.24; 379.01325 -> 379.01: per period 184.48, 94.76, 99.77.
    # Total 22 %: 541.1538 -> 541.15; 819.0974 -> 819.10; 1111.7722 -> 1111.77: per period 541.15, 277.95, 292.67.
    want = {1: ("184.48", "541.15"), 2: ("94.76", "277.95"), 3: ("99.77", "292.67")}
    for number, (premium, total) in want.items():
        lines = lines_of(approve_run(run_period(admin, 2024, number)), known)
        assert (lines[(601, 1, None)], lines[(701, 3, None)]) == (Decimal(premium), Decimal(total)), number
        assert not [key for key in lines if key[2] is not None], number  # January stays as it was booked


# --- fixed data that changes within the year (ADR 0008, addendum: each period its own fixed data) ----------


def raise_from(employment: Employment, day: date, gross_wage: str) -> None:
    """The wage chain: the first wage until the day before, the new one from it."""
    first = Wage.objects.get(employment=employment)
    Wage.objects.create(employment=employment, start_date=day, gross_wage=Decimal(gross_wage))
    assert Wage.objects.get(pk=first.pk).end_date == day - timedelta(days=1)  # the chain closed it


def test_a_raise_in_july_with_the_salary_from_the_fixed_data_recalculates_nothing_before_july(
    known: Employment,  # noqa: F811
) -> None:
    fund = Fund.objects.get(administration=known.administration, number=1)
    base = [{**entry, "origin": "fixed"} if entry["component"] == 10 else entry for entry in fund.settings["base"]]
    fund.settings = {**fund.settings, "base": base}  # the salary (10) with origin "fixed" (Herkomst vast)
    fund.save()
    admin = known.administration
    for number in range(1, 7):
        lines = lines_of(approve_run(run_period(admin, 2024, number)), known)
        assert (lines[(601, 1, None)], lines[(701, 3, None)]) == (OLD_PREMIUM, OLD_TOTAL), number
    raise_from(known, date(2024, 7, 1), "4400.00")
    lines = lines_of(run_period(admin, 2024, 7), known)
    # July's fixed salary 4400.00: base 4400.00 - 1462.08 = 2937.92; premium 7.5 % = 220.344 -> 220.34, total
    # 22 % = 646.3424 -> 646.34 (max 137800.00 / 12 = 11483.33 does not bind).
    assert (lines[(10, 1, None)], lines[(601, 1, None)], lines[(701, 3, None)]) == (
        Decimal("4400.00"), Decimal("220.34"), Decimal("646.34")
    )  # fmt: skip
    # January to June had a fixed salary of 4000.00 and are recomputed with it: nothing is booked for them.
    # (With July's fixed data for the whole year they were recomputed at 4400.00: 7.5 % of 400.00 = +30.00
    # premium and 22 % = +88.00 remittance for each.)
    assert not [key for key in lines if key[2] is not None]


# --- an end date entered late, before periods already run (correctieloonstrook) ----------------------------


def test_an_end_date_moved_back_to_april_after_the_june_run_reverses_may_and_june_in_july(
    known: Employment,  # noqa: F811
) -> None:
    admin = known.administration
    for number in range(1, 7):
        lines = lines_of(approve_run(run_period(admin, 2024, number)), known)
        assert (lines[(601, 1, None)], lines[(701, 3, None)]) == (OLD_PREMIUM, OLD_TOTAL), number
    known.end_date = date(2024, 4, 30)  # uit dienst per 30 April, entered after June was run and approved
    known.save()
    july = run_period(admin, 2024, 7)
    lines = lines_of(july, known)
    # May and June were booked at 190.34 / 558.34 and the employment no longer runs in them: July gives both back
    # per period, 0.00 - 190.34 = -190.34 premium and 0.00 - 558.34 = -558.34 remittance. January to April stay.
    corrections = {key: value for key, value in lines.items() if key[2] is not None}
    assert corrections == {
        **{(601, 1, p): -OLD_PREMIUM for p in (5, 6)},
        **{(701, 3, p): -OLD_TOTAL for p in (5, 6)},
    }
    # Nothing of July's own: no salary, no Pensify Inleg, no premium of July, no excasso. The totals are what the
    # corrections imply: BRUTO does not count fund premiums (0.00); the SV-wage takes the premiums given back,
    # 2 * 190.34 = 380.68.
    own = {key: value for key, value in lines.items() if key[2] is None}
    assert own == {(257, 4, None): Decimal("0.00"), (265, 4, None): Decimal("380.68")}
    assert july.not_recalculated == []
    # A second July run (the first replaced) books the same, not twice as much.
    rerun = run_period(admin, 2024, 7)
    assert lines_of(rerun, known) == lines
    # The API and the results page show them as other corrections.
    approve_run(rerun)
    api = Api(make_token("koppeling"))
    body = api.get(f"{V2}/payrolladministrations/{admin.pk}/payrollperiods/202407/payrollresults",
                   {"payrollComponents": "601,701"}).json()  # fmt: skip
    [employment] = body["_embedded"]
    assert employment["employmentId"] == str(known.pk)
    api_lines = employment["payrollPeriods"][0]["payslipTypes"][0]["payrollComponentResults"]
    assert sorted((x["payrollComponent"]["key"], x["value"]) for x in api_lines) == [
        (601, -190.34), (601, -190.34), (701, -558.34), (701, -558.34)
    ]  # fmt: skip
    client = Client()
    assert client.login(username="beheerder", password=USER_PASSWORD)
    page = html.unescape(client.get(f"/classic/{admin.pk}/verloning/{rerun.pk}/").content.decode())
    assert "corrigeert periode 5" in page
    assert "corrigeert periode 6" in page
    # August has nothing left to correct for it: July's run booked May and June away.
    august = run_period(admin, 2024, 8)
    assert not august.results.filter(employment=known).exists()


def test_an_end_date_moved_into_the_previous_year_reverses_the_year_run_and_says_so(known: Employment) -> None:  # noqa: F811
    admin = known.administration
    for number in (1, 2, 3):
        approve_run(run_period(admin, 2024, number))
    known.end_date = date(2023, 12, 31)  # it turns out the employee left at the end of last year
    known.save()
    april = run_period(admin, 2024, 4)
    # January to March were booked at 190.34 / 558.34 each and the employment ran in none of them: all given back.
    assert {k: v for k, v in lines_of(april, known).items() if k[2] is not None} == {
        **{(601, 1, p): -OLD_PREMIUM for p in (1, 2, 3)},
        **{(701, 3, p): -OLD_TOTAL for p in (1, 2, 3)},
    }
    # What the end date changes in 2023 is not recalculated, and the run says so.
    number = known.employee.employee_number
    assert april.not_recalculated == [{"employee": number, "field": "datum uit dienst", "value": "2023-12-31"}]


def test_a_leaver_whose_end_date_was_entered_in_time_gets_no_payslip(known: Employment) -> None:  # noqa: F811
    admin = known.administration
    known.end_date = date(2024, 4, 30)
    known.save()
    for number in (1, 2, 3, 4):
        approve_run(run_period(admin, 2024, number))
    # May: the employment is in April's case but ran up to its end date as booked: nothing to correct, no lines.
    may = run_period(admin, 2024, 5)
    assert not may.results.filter(employment=known).exists()
    assert may.case is not None
    assert may.case["employments"] == []
