"""A payroll period computed with inleg.funds, approved, read over the API, and its excasso file."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
import xmlschema
from lxml import etree

from conftest import V2, Api, make_token
from inleg.sandbox.core.models import (
    BenefitDeduction,
    Employer,
    Employment,
    EmploymentFund,
    PayrollAdministration,
    PayrollComponent,
    PayrollResult,
    PayrollRun,
    RunStatus,
    SepaFile,
    Wage,
    WorkingHours,
)
from inleg.sandbox.payroll.run import PayrollError, approve_run, run_period
from inleg.sandbox.payroll.sepa import schema
from inleg.sandbox.seed import NET_DEDUCTION_KEY, PENSIFY_KEY


@pytest.fixture
def known(employer: Employer) -> Employment:
    """One employment with figures worked out by hand below; the others are removed from the run."""
    admin = PayrollAdministration.objects.get(employer=employer)
    employment = Employment.objects.filter(administration=admin).order_by("employee__employee_number").first()
    Employment.objects.filter(administration=admin).exclude(pk=employment.pk).delete()
    employment.start_date, employment.end_date = date(2020, 1, 1), None
    employment.save()
    Wage.objects.filter(employment=employment).delete()
    Wage.objects.create(employment=employment, start_date=date(2020, 1, 1), gross_wage=Decimal("4000.00"))
    WorkingHours.objects.filter(employment=employment).delete()
    WorkingHours.objects.create(employment=employment, start_date=date(2020, 1, 1), shift=admin.shifts.get(number=1))
    employee = employment.employee
    employee.date_of_birth = date(1980, 6, 15)
    employee.save()
    BenefitDeduction.objects.filter(employment=employment).delete()
    components = {c.key: c for c in PayrollComponent.objects.filter(administration=admin)}
    BenefitDeduction.objects.create(employment=employment, component=components[PENSIFY_KEY],
                                    start_date=date(2024, 1, 1), value=Decimal("100.00"))  # fmt: skip
    BenefitDeduction.objects.create(employment=employment, component=components[NET_DEDUCTION_KEY],
                                    start_date=date(2024, 1, 1), value=Decimal("25.00"))  # fmt: skip
    EmploymentFund.objects.filter(employment=employment).exclude(fund__number=1).delete()
    EmploymentFund.objects.filter(employment=employment).update(start_date=date(2020, 1, 1))
    return employment


def test_run_computes_premiums_withholds_net_and_pays_excasso(known: Employment) -> None:
    admin = known.administration
    run = approve_run(run_period(admin, 2024, 3))
    lines = {(r.component_key, r.column): r.value for r in run.results.filter(employment=known)}
    # Fund 1 (seed): premium 7.5 % and total 22 % of (salary - franchise/12); Pensify Inleg is excluded from the base.
    # franchise 17545.00 / 12 = 1462.08; base 4000.00 - 1462.08 = 2537.92
    # premium 2537.92 * 7.5 % = 190.344 -> 190.34; total 2537.92 * 22 % = 558.3424 -> 558.34
    assert lines[(10, 1)] == Decimal("4000.00")
    assert lines[(601, 1)] == Decimal("190.34")
    assert lines[(701, 3)] == Decimal("558.34")
    assert lines[(PENSIFY_KEY, 1)] == Decimal("100.00")  # paid gross
    assert lines[(PENSIFY_KEY, 2)] == Decimal("100.00")  # withheld again net
    assert lines[(NET_DEDUCTION_KEY, 2)] == Decimal("25.00")
    assert lines[(990, 5)] == Decimal("125.00")  # excasso: the gross contribution plus the employee's net amount
    assert lines[(257, 4)] == Decimal("4100.00")  # BRUTO: salary + Pensify Inleg
    assert lines[(265, 4)] == Decimal("3909.66")  # SV-wage: 4100.00 - premium 190.34
    sepa = SepaFile.objects.get(run=run)
    assert (sepa.payments, sepa.total) == (1, Decimal("125.00"))
    xmlschema.XMLSchema(schema().url).validate(sepa.xml)
    tree = etree.fromstring(sepa.xml.encode())
    ns = {"p": "urn:iso:std:iso:20022:tech:xsd:pain.001.001.03"}
    assert tree.findtext(".//p:CdtTrfTxInf/p:Amt/p:InstdAmt", namespaces=ns) == "125.00"
    assert tree.findtext(".//p:CdtrAcct/p:Id/p:IBAN", namespaces=ns) == known.employee.employer.pension_provider_iban
    employer_number, employee_number = known.employee.employer.employer_number, known.employee.employee_number
    token = f"PI1-{employer_number}-{employee_number}-{known.payroll_id}-202403"  # docs/excasso-reference.md
    assert tree.findtext(".//p:PmtId/p:EndToEndId", namespaces=ns) == token
    assert tree.findtext(".//p:RmtInf/p:Ustrd", namespaces=ns) == (
        f"{token} Pensioeninleg werkgever {employer_number} werknemer {employee_number} "
        f"dienstverband {known.payroll_id} periode 2024-03"
    )


def test_an_invalid_file_is_refused_by_the_schema() -> None:
    with pytest.raises(xmlschema.XMLSchemaValidationError):
        schema().validate(
            '<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.001.001.03"><CstmrCdtTrfInitn/></Document>'
        )


def test_results_via_api_only_after_approval_and_no_second_run(known: Employment) -> None:
    admin = known.administration
    api = Api(make_token("koppeling"))
    path = f"{V2}/payrolladministrations/{admin.pk}/payrollperiods/202403/payrollresults"
    run = run_period(admin, 2024, 3)
    assert api.get(path).json()["_embedded"] == []
    rerun = run_period(admin, 2024, 3)  # an unapproved run is replaced, not doubled
    assert rerun.sequence_number == run.sequence_number + 1
    # The lines worked out in the first test of this file, once each: salary, Pensify Inleg paid gross and
    # withheld net, the net deduction, fund 1's premium and remittance, the two totals and the excasso.
    expected = [(10, 1), (257, 4), (265, 4), (601, 1), (701, 3), (PENSIFY_KEY, 1), (PENSIFY_KEY, 2),
                (NET_DEDUCTION_KEY, 2), (990, 5)]  # fmt: skip
    assert sorted((r.component_key, r.column) for r in rerun.results.all()) == sorted(expected)
    run.refresh_from_db()
    assert run.status == RunStatus.REMOVED
    assert not run.results.exists()  # the replaced run keeps no lines
    assert PayrollResult.objects.count() == len(expected)
    approve_run(rerun)
    approve_run(rerun)  # approving twice changes nothing
    body = api.get(path, {"payrollComponents": f"{PENSIFY_KEY},990"}).json()
    assert body["messages"][0]["type"] == "Warning"
    assert "Wage tax" in body["messages"][0]["description"]
    lines = body["_embedded"][0]["payrollPeriods"][0]["payslipTypes"][0]["payrollComponentResults"]
    assert sorted((x["payrollComponent"]["key"], x["value"]) for x in lines) == [
        (PENSIFY_KEY, 100),
        (PENSIFY_KEY, 100),
        (990, 125),
    ]
    year = api.get(f"{V2}/employees/employments/{known.pk}/payrollperiodresults/year/2024").json()["content"]
    assert [p["payrollPeriod"]["periodNumber"] for p in year["payrollPeriods"]] == [3]
    with pytest.raises(PayrollError, match="is al goedgekeurd"):
        run_period(admin, 2024, 3)
    runs = api.get(f"{V2}/payrolladministrations/{admin.pk}/payrollruns", {"filter": "payrollRunStatus.key eq 9"})
    assert runs.json()["totalSize"] == 1


def test_bad_fund_settings_fail_the_run_with_the_engines_message(known: Employment, seeded: Any) -> None:
    fund = known.administration.funds.get(number=1)
    fund.settings = {**fund.settings, "recalc_unit": "fortnight"}
    fund.save()
    with pytest.raises(PayrollError, match="fortnight"):
        run_period(known.administration, 2024, 3)


def test_the_run_uses_the_batch_engine_which_agrees_with_the_scalar_one(seeded: Any) -> None:
    from inleg.funds import calculate_case
    from inleg.sandbox.payroll.periods import ensure_periods
    from inleg.sandbox.payroll.run import Computation

    admin = PayrollAdministration.objects.get(employer__employer_number=20001)
    case = Computation(admin, ensure_periods(admin, 2024)[5]).case()
    assert len(case["employments"]) >= 2
    assert {f["number"] for f in case["funds"]} == {1, 2, 3}
    scalar = calculate_case(case, periods=[6])["results"]
    batch = calculate_case(case, engine="batch", periods=[6])["results"]
    assert scalar == batch
    assert {row["period"] for row in batch} == {6}


def test_period_data_counts_in_the_run(known: Employment) -> None:
    from inleg.sandbox.core.models import PeriodInput

    PeriodInput.objects.create(
        employment=known, year=2024, period_number=3, components={"711": "30.00", "10": "500.00"}
    )
    run = run_period(known.administration, 2024, 3)
    lines = {(r.component_key, r.column): r.value for r in run.results.filter(employment=known)}
    assert lines[(711, 2)] == Decimal("30.00")  # Reiskosten: a net allowance, outside the gross totals
    assert lines[(10, 1)] == Decimal("4500.00")  # the period's extra salary adds to the fixed salary
    assert lines[(257, 4)] == Decimal("4600.00")
    # fund 1: (4500.00 - 1462.08) * 7.5 % = 227.844 -> 227.84
    assert lines[(601, 1)] == Decimal("227.84")


def test_a_run_with_nothing_to_pay_is_approved_without_a_file_or_an_iban(known: Employment) -> None:
    from inleg.sandbox.core.models import RunStatus

    BenefitDeduction.objects.filter(employment=known).delete()  # no excasso lines at all
    Employer.objects.filter(pk=known.employee.employer_id).update(pension_provider_iban="")
    run = approve_run(run_period(known.administration, 2024, 3))
    assert run.status == RunStatus.APPROVED
    assert not run.results.filter(component_key=990).exists()
    assert not SepaFile.objects.filter(run=run).exists()


def test_an_excasso_without_the_providers_iban_refuses_approval_by_name(
    known: Employment, capsys: pytest.CaptureFixture[str]
) -> None:
    import argparse

    from inleg.sandbox.commands import payroll
    from inleg.sandbox.core.models import PayrollRun, RunStatus

    employer = known.employee.employer
    Employer.objects.filter(pk=employer.pk).update(pension_provider_iban="")
    run = run_period(known.administration, 2024, 3)
    with pytest.raises(PayrollError, match=rf"werkgever {employer.employer_number} .*IBAN van de pensioenuitvoerder"):
        approve_run(run)
    run.refresh_from_db()
    assert run.status == RunStatus.DONE  # nothing half-applied: still gereed, no file
    assert run.approval_time is None
    assert not SepaFile.objects.exists()
    # the command says the same and fails
    args = argparse.Namespace(employer=employer.employer_number, year=2024, period=4, approve=True)
    assert payroll(args) == 2
    err = capsys.readouterr().err
    assert f"werkgever {employer.employer_number}" in err
    assert "IBAN" in err
    assert not PayrollRun.objects.filter(status=RunStatus.APPROVED).exists()


def test_excasso_pays_only_money_withheld(known: Employment) -> None:
    from django.core.exceptions import ValidationError

    pensify = PayrollComponent.objects.get(administration=known.administration, key=PENSIFY_KEY)
    pensify.withheld_net = False  # gross, not withheld net, yet marked for the excasso
    with pytest.raises(ValidationError) as refused:
        pensify.full_clean()
    assert "to_excasso" in refused.value.message_dict
    assert str(PENSIFY_KEY) in refused.value.message_dict["to_excasso"][0]
    pensify.withheld_net = True
    pensify.full_clean()  # withheld net: fine
    PayrollComponent.objects.get(administration=known.administration, key=NET_DEDUCTION_KEY).full_clean()  # net
    # data saved past clean() (an older database): the run still pays only the net deduction
    PayrollComponent.objects.filter(pk=pensify.pk).update(withheld_net=False)
    run = run_period(known.administration, 2024, 3)
    lines = {(r.component_key, r.column): r.value for r in run.results.filter(employment=known)}
    assert lines[(PENSIFY_KEY, 1)] == Decimal("100.00")
    assert (PENSIFY_KEY, 2) not in lines
    assert lines[(990, 5)] == Decimal("25.00")


def test_a_fund_chain_that_joins_up_with_the_same_terms_is_one_link(known: Employment) -> None:
    # Two records of fund 1 that join up (end 2024-01-31, next from 2024-02-01) compute as the one record did.
    [record] = EmploymentFund.objects.filter(employment=known, fund__number=1)
    record.end_date = date(2024, 1, 31)
    record.save()
    EmploymentFund.objects.create(employment=known, fund=record.fund, start_date=date(2024, 2, 1))
    run = run_period(known.administration, 2024, 3)
    lines = {(r.component_key, r.column): r.value for r in run.results.filter(employment=known)}
    assert lines[(601, 1)] == Decimal("190.34")  # as in the single-record test above


def test_a_fund_link_that_changes_terms_within_the_year_is_computed(known: Employment) -> None:
    # Two EmploymentFund records: the seed's terms in January, a deviation of 8 % / 20 % from 1 February. Each is
    # a dated link of its own; period 3 takes the terms of the link valid on its last day.
    [record] = EmploymentFund.objects.filter(employment=known, fund__number=1)
    record.end_date = date(2024, 1, 31)
    record.save()
    EmploymentFund.objects.create(
        employment=known,
        fund=record.fund,
        start_date=date(2024, 2, 1),
        deviation_premium=Decimal("8.0000"),
        deviation_total=Decimal("20.0000"),
    )
    january = run_period(known.administration, 2024, 1)
    march = run_period(known.administration, 2024, 3)
    before = {(r.component_key, r.column): r.value for r in january.results.filter(employment=known)}
    after = {(r.component_key, r.column): r.value for r in march.results.filter(employment=known)}
    # base 4000.00 - 17545.00 / 12 (1462.08) = 2537.92 in both months.
    assert before[(601, 1)] == Decimal("190.34")  # 2537.92 * 7.5 % = 190.344
    assert before[(701, 3)] == Decimal("558.34")  # 2537.92 * 22 % = 558.3424
    assert after[(601, 1)] == Decimal("203.03")  # 2537.92 * 8 % = 203.0336
    assert after[(701, 3)] == Decimal("507.58")  # 2537.92 * 20 % = 507.584
    assert not march.results.filter(corrects__isnull=False).exists()  # January's terms did not change


@pytest.mark.parametrize(
    ("components", "accepted"),
    [({"10": "4000.00"}, True), ({"10": 4000.1}, False), ({"10": "4000.001"}, False), ({"x": "1.00"}, False)],
)
def test_period_data_amounts_are_decimal_strings(known: Employment, components: Any, accepted: bool) -> None:
    from django.core.exceptions import ValidationError

    from inleg.sandbox.core.models import PeriodInput

    data = PeriodInput(employment=known, year=2024, period_number=3, components=components)
    if accepted:
        data.full_clean()
    else:
        with pytest.raises(ValidationError) as refused:
            data.full_clean()
        assert "components" in refused.value.message_dict


def test_the_periods_command_opens_payroll_years_once(known: Employment, capsys: pytest.CaptureFixture[str]) -> None:
    import argparse

    from inleg.sandbox.commands import periods
    from inleg.sandbox.core.models import PayrollPeriod

    number = known.employee.employer.employer_number
    admin = known.administration
    args = argparse.Namespace(employer=number, year=[2030, 2031])
    assert periods(args) == 0
    assert periods(args) == 0  # again: the same periods, none added
    made = PayrollPeriod.objects.filter(administration=admin, year__in=(2030, 2031))
    assert made.count() == 24  # a monthly administration: 12 a year
    assert made.get(year=2031, period_number=2).start_date == date(2031, 2, 1)
    assert periods(argparse.Namespace(employer=99999, year=[2030])) == 2
    assert "--employer: no employer with number 99999" in capsys.readouterr().err


def test_an_earlier_period_cannot_be_run_after_a_later_one(known: Employment) -> None:
    # Rerunning March after April would book a change to February twice: in March's rerun and again in May's
    # (May compares with April's case, made before the change). The change goes into the next run instead.
    admin = known.administration
    for number in (1, 2, 3, 4):
        run_period(admin, 2024, number)
    with pytest.raises(PayrollError) as refused:
        run_period(admin, 2024, 3)
    assert str(refused.value) == (
        "periode 2024-03 kan niet meer worden verloond: periode 2024-04 is al verloond. Een wijziging in "
        "periode 2024-03 wordt in de volgende verloning herrekend."
    )
    assert PayrollRun.objects.filter(administration=admin, period__period_number=3, status=RunStatus.DONE).count() == 1
    run_period(admin, 2024, 4)  # the latest period itself may be run again (it replaces its own run)
    run_period(admin, 2025, 1)  # a new year starts on its own
