"""Wages and working hours: linked chains in the seed and the models, the employer-wide actual lists, and the
payroll run's salary from them (figures worked out by hand in the comments)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from itertools import pairwise
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from conftest import V2, Api, make_token
from inleg.sandbox.core.models import (
    BenefitDeduction,
    Employer,
    EmployerLink,
    Employment,
    LoketUser,
    PayrollAdministration,
    PayrollComponent,
    Shift,
    Wage,
    WorkingHours,
    part_time_factor,
)
from inleg.sandbox.core.rights import Right
from inleg.sandbox.payroll.run import Computation, PayrollError, run_period
from inleg.sandbox.seed import PENSIFY_KEY, seed


def _linked(records: list[Any]) -> bool:
    return all(a.end_date is not None and b.start_date == a.end_date + timedelta(days=1)
               for a, b in pairwise(records))  # fmt: skip


def test_the_seed_gives_every_employment_linked_wage_and_hours_chains(db: Any) -> None:
    seed(employers=2, employees=60, rng_seed=5)
    shifts = {s.administration.employer.employer_number: s.full_time_hours_per_week for s in Shift.objects.all()}
    assert shifts == {20001: Decimal(40), 20002: Decimal(38)}
    several_wages = several_hours = 0
    for job in Employment.objects.prefetch_related("wages", "working_hours"):
        wages, hours = list(job.wages.all()), list(job.working_hours.all())
        for chain in (wages, hours):
            assert chain[0].start_date == job.start_date, job
            assert _linked(chain), job
            assert chain[-1].end_date == job.end_date, job  # open while employed, closed on the last day
        several_wages += len(wages) > 1
        several_hours += len(hours) > 1
        assert all(a.gross_wage < b.gross_wage for a, b in pairwise(wages))  # raises only
        # 2,500.00..7,500.00 at the start, then at most 11 raises (2016..2026) of at most 3.75 %
        assert all(Decimal("2500.00") <= w.gross_wage <= Decimal("7500") * Decimal("1.0375") ** 11 for w in wages)
    assert several_wages > 30  # most started years ago and had raises every 1 January
    assert several_hours >= 3  # some changed their hours
    factors = {h.part_time_factor for h in WorkingHours.objects.select_related("shift")}
    assert {Decimal("1.0000"), Decimal("0.8000"), Decimal("0.5000")} <= factors


def test_the_part_time_factor_is_hours_over_full_time_to_4_decimals_half_up() -> None:
    assert part_time_factor(Decimal("32"), Decimal("40")) == Decimal("0.8000")
    assert part_time_factor(Decimal("15.79"), Decimal("40")) == Decimal("0.3948")  # 0.39475 -> up
    assert part_time_factor(Decimal("15.81"), Decimal("40")) == Decimal("0.3953")  # 0.39525 -> up (not to even)
    assert part_time_factor(Decimal("15"), Decimal("38")) == Decimal("0.3947")  # 0.394736...
    assert part_time_factor(Decimal("46.67"), Decimal("40")) == Decimal("1.1668")  # 1.16675 -> up


# --- the linked chain in the models --------------------------------------------------------------


@pytest.fixture
def job(employment: Employment) -> Employment:
    """An employment from 2020-01-01 with one open wage and one open hours record."""
    Employment.objects.filter(pk=employment.pk).update(start_date=date(2020, 1, 1), end_date=None)
    employment.refresh_from_db()
    Wage.objects.filter(employment=employment).delete()
    WorkingHours.objects.filter(employment=employment).delete()
    Wage.objects.create(employment=employment, start_date=date(2020, 1, 1), gross_wage=Decimal("4000.00"))
    shift = Shift.objects.get(administration=employment.administration, number=1)
    WorkingHours.objects.create(employment=employment, shift=shift, start_date=date(2020, 1, 1))
    return employment


def test_a_new_wage_comes_at_the_end_and_closes_the_open_one(job: Employment) -> None:
    before = job.version
    later = Wage(employment=job, start_date=date(2024, 7, 1), gross_wage=Decimal("4200.00"))
    later.full_clean()
    later.save()
    first, second = job.wages.order_by("start_date")
    assert (first.end_date, second.end_date) == (date(2024, 6, 30), None)
    job.refresh_from_db()
    assert job.version > before  # the platform's change detection sees it


@pytest.mark.parametrize(
    ("start", "says"),
    [(date(2019, 12, 1), "datum in dienst"), (date(2020, 1, 1), "achter het laatste")],
)  # fmt: skip
def test_a_new_wage_before_the_last_or_the_employment_is_refused(job: Employment, start: date, says: str) -> None:
    with pytest.raises(ValidationError, match=says):
        Wage(employment=job, start_date=start, gross_wage=Decimal("1.00")).full_clean()


def test_a_gap_or_an_overlap_is_refused_by_naming_both_records(job: Employment) -> None:
    [first] = job.wages.all()
    first.end_date = date(2023, 12, 31)
    first.save()
    with pytest.raises(ValidationError, match="01-01-2024"):  # a gap after a closed record: start the day after
        Wage(employment=job, start_date=date(2024, 2, 1), gross_wage=Decimal("1.00")).full_clean()
    Wage.objects.create(employment=job, start_date=date(2024, 1, 1), gross_wage=Decimal("4100.00"))
    first.end_date = date(2023, 11, 30)  # a change that would open a gap
    with pytest.raises(ValidationError, match="sluit niet aan"):
        first.full_clean()


def test_working_hours_on_a_shift_of_another_administration_are_refused(job: Employment) -> None:
    other = PayrollAdministration.objects.exclude(pk=job.administration_id).first()
    record = WorkingHours(employment=job, shift=other.shifts.get(number=1), start_date=date(2025, 1, 1))
    with pytest.raises(ValidationError, match="andere salarisverwerkende administratie"):
        record.full_clean()


# --- the actual lists over the API ----------------------------------------------------------------


def test_actual_wages_and_hours_give_the_record_valid_on_the_reference_date(api: Api, job: Employment) -> None:
    Wage.objects.create(employment=job, start_date=date(2024, 7, 1), gross_wage=Decimal("4200.00"))
    shift = Shift.objects.get(administration=job.administration, number=1)
    WorkingHours.objects.create(employment=job, shift=shift, start_date=date(2024, 7, 1),
                                deviating_hours_per_week=Decimal("32.00"))  # fmt: skip
    employer = job.employee.employer
    wages = f"{V2}/{employer.pk}/actualwages"
    hours = f"{V2}/{employer.pk}/actualworkinghours"

    def one(path: str, day: str, key: str) -> dict[str, Any]:
        rows = [
            r for r in api.get(path, {"referenceDate": day}).json()["_embedded"] if r["employmentId"] == str(job.pk)
        ]
        assert len(rows) == 1
        return rows[0][key]  # type: ignore[no-any-return]

    june, july = one(wages, "2024-06-30", "wage"), one(wages, "2024-07-01", "wage")
    assert (june["grossWage"], june["endDate"], july["grossWage"], july["endDate"]) == (4000, "2024-06-30", 4200, None)
    assert july["isGrossWageFullTime"] is True
    assert july["grossWageType"]["key"] == 1
    assert july["payrollPeriodType"] == {"key": 1, "value": "Maand"}
    full, part = one(hours, "2024-06-30", "workingHours"), one(hours, "2024-07-01T00:00:00Z", "workingHours")
    assert full["deviatingHoursPerWeek"] is None
    assert full["aggregatedHoursPerWeek"] == 40
    assert part["deviatingHoursPerWeek"] == 32
    assert part["shift"] == {"shiftNumber": 1, "fullTimeHoursPerWeek": 40, "bonusPercentage": 0}
    assert b'"deviatingHoursPerWeek":32.00' in api.get(hours, {"referenceDate": "2024-07-01"}).content
    before_start = api.get(wages, {"referenceDate": "2019-12-31", "filter": f"employmentId eq '{job.pk}'"}).json()
    assert before_start["_embedded"] == []


def test_actual_lists_cover_the_whole_employer_over_pages(api: Api, employer: Employer) -> None:
    day = date(2025, 6, 1)
    expected = {
        str(w.employment_id)
        for w in Wage.objects.filter(employment__employee__employer=employer, start_date__lte=day)
        if w.end_date is None or w.end_date >= day
    }
    assert expected
    seen: list[str] = []
    page = 1
    while True:
        body = api.get(f"{V2}/{employer.pk}/actualwages", {"referenceDate": "2025-06-01", "pageSize": 2,
                                                           "pageNumber": page}).json()  # fmt: skip
        seen += [row["employmentId"] for row in body["_embedded"]]
        if body["currentPage"] >= body["totalPages"]:
            break
        page += 1
    assert body["totalSize"] == len(expected)
    assert sorted(seen) == sorted(expected)  # one record per employment, none twice


def test_today_is_the_default_reference_date(api: Api, job: Employment) -> None:
    today = timezone.localdate()
    _hours(job, today, "20")  # from today: the default shows it, yesterday's list does not
    path = f"{V2}/{job.employee.employer_id}/actualworkinghours"
    only = {"filter": f"employmentId eq '{job.pk}'"}
    [now] = api.get(path, only).json()["_embedded"]
    [before] = api.get(path, {**only, "referenceDate": (today - timedelta(days=1)).isoformat()}).json()["_embedded"]
    assert (now["workingHours"]["deviatingHoursPerWeek"], before["workingHours"]["deviatingHoursPerWeek"]) == (20, None)


@pytest.mark.parametrize(
    "operation", ["actualwages", "actualworkinghours", "employees/employments/actualbenefitsanddeductions"]
)
def test_a_bad_reference_date_is_400_naming_it(api: Api, employer: Employer, operation: str) -> None:
    response = api.get(f"{V2}/{employer.pk}/{operation}", {"referenceDate": "2024-02-30"})
    assert response.status_code == 400
    assert "referenceDate" in response.json()["messages"][0]["description"]
    assert "2024-02-30" in response.json()["messages"][0]["description"]


def test_wages_need_raadplegen_beloningen_and_hours_raadplegen_dienstverbanden(api: Api, employer: Employer) -> None:
    link = EmployerLink.objects.get(user=LoketUser.objects.get(username="beperkt"), employer=employer)
    link.rights = [Right.READ_EMPLOYMENTS, Right.READ_HRM]
    link.save()
    limited = Api(make_token("beperkt"))
    assert limited.get(f"{V2}/{employer.pk}/actualwages").status_code == 403
    assert limited.get(f"{V2}/{employer.pk}/employees/employments/actualbenefitsanddeductions").status_code == 403
    assert limited.get(f"{V2}/{employer.pk}/actualworkinghours").status_code == 200
    link.rights = [Right.READ_REWARDS]
    link.save()
    assert limited.get(f"{V2}/{employer.pk}/actualwages").status_code == 200
    assert limited.get(f"{V2}/{employer.pk}/actualworkinghours").status_code == 403
    other = Employer.objects.exclude(pk=employer.pk).first()
    assert api.get(f"{V2}/{other.pk}/actualwages").status_code == 403  # koppeling is not linked to it


def test_actual_benefits_are_those_valid_on_the_reference_date(api: Api, job: Employment) -> None:
    BenefitDeduction.objects.filter(employment=job).delete()
    pensify = PayrollComponent.objects.get(administration=job.administration, key=PENSIFY_KEY)
    BenefitDeduction.objects.create(employment=job, component=pensify, start_date=date(2024, 1, 1),
                                    end_date=date(2024, 12, 31), value=Decimal("50.00"))  # fmt: skip
    BenefitDeduction.objects.create(employment=job, component=pensify, start_date=date(2026, 1, 1),
                                    value=Decimal("75.00"))  # a future record: not "actual" in 2025  # fmt: skip
    path = f"{V2}/{job.employee.employer_id}/employees/employments/actualbenefitsanddeductions"

    def values(day: str) -> list[Any]:
        rows = api.get(path, {"referenceDate": day, "filter": f"employmentId eq '{job.pk}'"}).json()["_embedded"]
        return [(r["benefitsAndDeductions"]["payrollComponent"]["key"], r["benefitsAndDeductions"]["value"])
                for r in rows]  # fmt: skip

    assert values("2024-06-01") == [(PENSIFY_KEY, 50)]
    assert values("2025-06-01") == []
    assert values("2026-01-01") == [(PENSIFY_KEY, 75)]


# --- the payroll run's salary --------------------------------------------------------------------


@pytest.fixture
def alone(job: Employment) -> Employment:
    """The job as the only employment of its administration, without fixed values."""
    Employment.objects.filter(administration=job.administration).exclude(pk=job.pk).delete()
    BenefitDeduction.objects.filter(employment=job).delete()
    return job


def _salary(job: Employment, year: int = 2024, period: int = 3) -> Decimal:
    run = run_period(job.administration, year, period)
    return run.results.get(employment=job, component_key=10).value  # type: ignore[no-any-return]


def _hours(job: Employment, start: date, hours: str | None) -> None:
    shift = Shift.objects.get(administration=job.administration, number=1)
    WorkingHours.objects.create(employment=job, shift=shift, start_date=start,
                                deviating_hours_per_week=Decimal(hours) if hours else None)  # fmt: skip


def test_a_full_time_wage_is_scaled_by_the_part_time_factor(alone: Employment) -> None:
    _hours(alone, date(2024, 1, 1), "32")
    assert _salary(alone) == Decimal("3200.00")  # 4000.00 * 32/40
    case = Computation(alone.administration, alone.administration.periods.get(year=2024, period_number=3)).case()
    assert case["employments"][0]["part_time_factor"] == "0.8000"
    assert case["employments"][0]["norm_hours_per_week"] == "40.00"


def test_a_part_time_factor_with_rounding_reaches_the_salary(alone: Employment) -> None:
    _hours(alone, date(2024, 1, 1), "15.79")
    assert _salary(alone) == Decimal("1579.20")  # 4000.00 * 0.3948 (15.79/40 = 0.39475, half up)


def test_a_part_time_wage_is_paid_as_it_is(alone: Employment) -> None:
    Wage.objects.create(employment=alone, start_date=date(2024, 1, 1), gross_wage=Decimal("2500.00"),
                        is_full_time=False)  # fmt: skip
    _hours(alone, date(2024, 1, 1), "20")
    assert _salary(alone) == Decimal("2500.00")


def test_a_change_inside_the_period_counts_pro_rata_by_calendar_days(alone: Employment) -> None:
    Wage.objects.create(employment=alone, start_date=date(2024, 3, 16), gross_wage=Decimal("4400.00"))
    # March: 15 days at 4000.00 and 16 days at 4400.00: (60000 + 70400) / 31 = 4206.4516... -> 4206.45
    assert _salary(alone) == Decimal("4206.45")
    _hours(alone, date(2024, 3, 16), "20")
    # now 15 days at 4000.00 * 1 and 16 days at 4400.00 * 0.5: (60000 + 35200) / 31 = 3070.9677... -> 3070.97
    assert _salary(alone) == Decimal("3070.97")


def test_an_employment_that_starts_inside_the_period_is_paid_for_its_days(alone: Employment) -> None:
    Employment.objects.filter(pk=alone.pk).update(start_date=date(2024, 3, 11))
    Wage.objects.filter(employment=alone).update(start_date=date(2024, 3, 11))
    WorkingHours.objects.filter(employment=alone).update(start_date=date(2024, 3, 11))
    assert _salary(alone) == Decimal("2709.68")  # 4000.00 * 21/31 = 2709.677... -> 2709.68


def test_no_wage_is_no_salary_line(alone: Employment) -> None:
    Wage.objects.filter(employment=alone).delete()
    run = run_period(alone.administration, 2024, 3)
    assert not run.results.filter(employment=alone, component_key=10).exists()


def test_a_full_time_wage_without_working_hours_is_refused_by_name(alone: Employment) -> None:
    WorkingHours.objects.filter(employment=alone).delete()
    with pytest.raises(PayrollError, match=rf"dienstverband {alone.employee.employee_number} .*arbeidsuren"):
        run_period(alone.administration, 2024, 3)


def test_hours_that_change_within_the_year_give_each_period_its_own_factor(alone: Employment) -> None:
    _hours(alone, date(2024, 2, 1), "20")
    fund = alone.administration.funds.get(number=1)
    fund.settings = {**fund.settings, "recalc_unit": "pension_days"}  # looks back over the year: once refused
    fund.save()
    run = run_period(alone.administration, 2024, 3)
    assert run.results.get(employment=alone, component_key=10).value == Decimal("2000.00")  # 4000.00 * 20/40
    case = run.case
    assert case is not None
    [employment] = case["employments"]
    # March's hours on the employment; January, full time then, its own; February as March, nothing of its own.
    assert (employment["part_time_factor"], employment["norm_hours_per_week"]) == ("0.5000", "40.00")
    own = {p["period"]: (p.get("part_time_factor"), p.get("norm_hours_per_week")) for p in employment["periods"]}
    assert own == {1: ("1.0000", "40.00"), 2: (None, None), 3: (None, None)}
    # The exact premiums of such a fund: test_herrekening.test_pension_days_and_a_cumulative_fund_follow_each_....


def test_a_period_without_working_hours_is_refused_by_name(alone: Employment) -> None:
    # Hours only from 1 February: January (a part-time wage, so its salary needs no factor) has none for the funds,
    # and is named by its last day.
    Wage.objects.filter(employment=alone).update(is_full_time=False)
    WorkingHours.objects.filter(employment=alone).update(start_date=date(2024, 2, 1))
    with pytest.raises(PayrollError, match=rf"dienstverband {alone.employee.employee_number} heeft op 2024-01-31 geen"):
        run_period(alone.administration, 2024, 3)
