"""Sandbox records in the JSON shapes of the official description (only the fields the sandbox keeps)."""

from __future__ import annotations

from datetime import date
from typing import Any

from inleg.sandbox.core.models import (
    CATEGORIES,
    COLUMNS,
    DEDUCTION_OR_PAYMENT,
    BenefitDeduction,
    Employee,
    Employer,
    Employment,
    EmploymentFund,
    LoketUser,
    PayrollAdministration,
    PayrollComponent,
    PayrollPeriod,
    PayrollRun,
    Provider,
    Shift,
    Wage,
    WorkingHours,
)

NL = {"key": 1, "value": "Nederland", "isoCode": "NL"}
# The description's keys: "montly (key 1), 4-weekly (key 3) or weekly basis (key 4)".
PERIOD_TYPES = {"month": {"key": 1, "value": "Maand"}, "four_weeks": {"key": 3, "value": "4 weken"}}


def lookup(key: int | None, table: dict[int, str]) -> dict[str, Any] | None:
    return None if key is None else {"key": key, "value": table[key]}


def provider(p: Provider) -> dict[str, Any]:
    return {"id": p.id, "name": p.name}


def user(u: LoketUser) -> dict[str, Any]:
    return {
        "personalDetails": {
            "firstName": u.first_name or None,
            "initials": u.initials or (f"{u.first_name[:1]}." if u.first_name else "X."),
            "lastName": u.last_name,
            "prefix": u.prefix or None,
        },
        "contactInformation": {"emailAddress": u.email, "phoneNumber": None, "placeOfEmployment": None},
        "photo": None,
        "user": {"userSpecifiedRole": {"key": 1, "value": u.role}, "userCustomSpecifiedRole": None},
    }


def _address(street: str, number: int, postal_code: str, city: str) -> dict[str, Any]:
    return {
        "street": street,
        "houseNumber": number,
        "houseNumberAddition": None,
        "postalCode": postal_code,
        "city": city,
        "location": None,
        "furtherIndication": None,
        "country": NL,
    }


def employer(e: Employer) -> dict[str, Any]:
    return {
        "id": e.id,
        "employerNumber": e.employer_number,
        "companyName": e.company_name,
        "chamberOfCommerceNumber": e.chamber_of_commerce_number or None,
        "address": {**_address(e.street, e.house_number, e.postal_code, e.city), "province": None},
        "deviatingPostalAddress": None,
        "contact": None,
        "contactInformation": None,
        "legalForm": None,
        "sbi": None,
        "branch": None,
        "providerSettings": {
            "administrationNumber": None,
            "groupCode": None,
            "parentEmployerForConsolidatedOverviews": None,
            "sendEmailWhenSalarySlipIsAvailable": False,
        },
        "employerLogo": None,
        "providerLogo": None,
    }


def aow_date(born: date) -> date:
    # Sandbox simplification: AOW at 67 years and 3 months (the statutory age depends on the birth year).
    month = born.month + 3
    year = born.year + 67 + (month - 1) // 12
    month = (month - 1) % 12 + 1
    day = min(born.day, 28)
    return date(year, month, day)


def employee(e: Employee, version: str) -> dict[str, Any]:
    contact: dict[str, Any] = {
        "emailAddress": e.email or None,
        "phoneNumber": None,
        "mobilePhoneNumber": None,
        "faxNumber": None,
    }
    if version >= "2021-03-29":
        contact.update({"businessEmailAddress": None, "businessPhoneNumber": None, "businessMobilePhoneNumber": None})
    return {
        "id": e.id,
        "employeeNumber": e.employee_number,
        "personalDetails": {
            "firstName": e.first_name or None,
            "initials": e.initials,
            "prefix": e.prefix or None,
            "lastName": e.last_name,
            "lastNamePartner": None,
            "prefixPartner": None,
            "formattedName": e.formatted_name,
            "dateOfBirth": e.date_of_birth,
            "placeOfBirth": None,
            "dateOfDeath": None,
            "aowDate": aow_date(e.date_of_birth),
            "photo": None,
            "gender": {"key": e.gender, "value": "Man" if e.gender == 1 else "Vrouw"},
            "nationality": None,
            "civilStatus": None,
            "title": None,
            "howToFormatLastName": {"key": 1, "value": "Eigen naam"},
        },
        "contactInformation": contact,
        "address": None,
        "deviatingPostalAddress": None,
        "identityDocument": None,
        "travel": {"travelDistanceToWork": None},
        "exclusionFromAbsenceStatus": False,
        "statusEmployeeSelfService": None,
        "revokeEmployeeSelfServiceAccessOn": None,
    }


def employment(m: Employment) -> dict[str, Any]:
    e = m.employee
    a = m.administration
    return {
        "id": m.id,
        "startDate": m.start_date,
        "endDate": m.end_date,
        "historicalStartDate": None,
        "payrollId": m.payroll_id,
        "employee": {
            "id": e.id,
            "employeeNumber": e.employee_number,
            "firstName": e.first_name or None,
            "initials": e.initials,
            "prefix": e.prefix or None,
            "lastName": e.last_name,
            "lastNamePartner": None,
            "prefixPartner": None,
            "formattedName": e.formatted_name,
            "dateOfBirth": e.date_of_birth,
            "photo": None,
        },
        "payrollAdministration": {
            "id": a.id,
            "name": a.name,
            "description": a.description or a.name[:50],
            "clientNumber": a.client_number,
        },
        "nonPayrollAdministration": None,
        "employmentDurationType": {"key": 1, "value": "Onbepaalde tijd"},
        "employmentContractType": None,
        "typeOfEmployee": {"key": 1, "value": "Werknemer"},
        "employmentCategoryType": {"key": 1, "value": "Normaal"},
        "incomeRelationshipNumber": 1,
        "isDirectorAndMajorShareholder": False,
        "isOnCallEmployment": False,
        "isAnonymousEmployee": False,
        "calculateWorkingHours": False,
        "endOfEmploymentReason": None,
        "cancellationPeriodTimeUnit": None,
        "commissionUntilDate": None,
    }


def administration(a: PayrollAdministration) -> dict[str, Any]:
    return {
        "id": a.id,
        "name": a.name,
        "description": a.description or a.name[:50],
        "shortName": None,
        "clientNumber": a.client_number,
        "payrollTaxesNumber": a.payroll_taxes_number or None,
        "cao": {"key": 0, "value": "Geen cao"},
        "claTaxReturnCBSCode": None,
        "loonmodel": {"key": 1, "value": a.wage_model},
        "payrollPeriodType": PERIOD_TYPES[a.period_type],
        "startDate": a.start_date,
        "endDate": None,
        "groupCode": 0,
        "groupClassification": None,
        "administrationNumber": None,
        "address": _address(a.employer.street, a.employer.house_number, a.employer.postal_code, a.employer.city),
        "contact": None,
    }


def component_ref(c: PayrollComponent) -> dict[str, Any]:
    return {
        "key": c.key,
        "description": c.description,
        "category": lookup(c.category, CATEGORIES),
        "deductionOrPayment": lookup(c.deduction_or_payment, DEDUCTION_OR_PAYMENT),
    }


def component(c: PayrollComponent) -> dict[str, Any]:
    return {
        **component_ref(c),
        "canBeSupplemented": c.can_be_supplemented,
        "isCollectiveMutationPossible": False,
    }


def benefit(b: BenefitDeduction) -> dict[str, Any]:
    return {
        "id": b.id,
        "startDate": b.start_date,
        "endDate": b.end_date,
        "value": b.value,
        "payrollComponent": component_ref(b.component),
    }


def employment_fund(f: EmploymentFund) -> dict[str, Any]:
    deviations = None
    if f.deviation_premium is not None:
        deviations = {
            "employmentContributionPercentage": f.deviation_premium,
            "totalContributionPercentage": f.deviation_total,
        }
    fixed = None
    if f.fixed_premium is not None:
        fixed = {"employmentContribution": f.fixed_premium, "totalContribution": f.fixed_total}
    return {
        "id": f.id,
        "startDate": f.start_date,
        "endDate": f.end_date,
        "fund": {"key": f.fund.number, "description": f.fund.name},
        "deviations": deviations,
        "fixedContribution": fixed,
    }


RUN_STATUS_VALUES = {0: "Staat klaar voor verloning", 1: "Verloning gereed", 5: "Verwijderd door gebruiker",
                     7: "Fout tijdens verloning", 9: "Verloning goedgekeurd"}  # fmt: skip


def _person(u: LoketUser | None) -> dict[str, Any] | None:
    if u is None:
        return None
    initials = u.initials or ((u.first_name[:1] + ".") if u.first_name else "X.")
    name = " ".join(p for p in (initials, u.prefix, u.last_name or u.username) if p)
    return {"id": u.id, "initials": initials, "prefix": u.prefix or None, "lastName": (u.last_name or u.username)[:25],
            "formattedName": name}  # fmt: skip


def run(r: PayrollRun) -> dict[str, Any]:
    return {
        "id": r.id,
        "payrollPeriod": {"year": r.period.year, "periodNumber": r.period.period_number},
        "payrollRunStatus": {"key": r.status, "value": RUN_STATUS_VALUES[r.status]},
        "methodOfCreation": {"key": 1, "value": "Handmatig"},
        "requestTime": r.request_time,
        "requestedBy": _person(r.requested_by)
        or {"id": r.id, "initials": "S.", "prefix": None, "lastName": "Sandbox", "formattedName": "S. Sandbox"},
        "processingFinishedTime": r.processing_finished_time,
        "approvalTime": r.approval_time,
        "approvedBy": _person(r.approved_by),
        "availableForEmployeeDate": r.approval_time.date() if r.approval_time else None,
        "removeTime": None,
        "removedBy": None,
        "sequenceNumber": r.sequence_number,
        "sequenceNumberApproved": r.sequence_number if r.status == 9 else None,
        "errorsAndWarnings": {"hasErrors": False, "hasWarnings": True},
        "sendEmailToEmployee": False,
        "textPaySlip": None,
        "textPayment": None,
        "textTariffPaySlip": None,
    }


def period(p: PayrollPeriod, runs: list[PayrollRun]) -> dict[str, Any]:
    return {
        "id": p.loket_id,
        "year": p.year,
        "periodNumber": p.period_number,
        "startDate": p.start_date,
        "endDate": p.end_date,
        "testYear": False,
        "payrollPeriodType": PERIOD_TYPES[p.administration.period_type],
        "automaticProcessing": None,
        "payrollRuns": [
            {
                "id": r.id,
                "sequenceNumber": r.sequence_number,
                "sequenceNumberApproved": r.sequence_number if r.status == 9 else None,
                "payrollRunStatus": {"key": r.status, "value": RUN_STATUS_VALUES[r.status]},
                "journalRuns": [],
            }
            for r in runs
        ],
    }


def period_results(p: PayrollPeriod, results: list[Any], with_hours_flags: bool) -> dict[str, Any]:
    lines = []
    for res in results:
        component = {
            "key": res.component_key,
            "value": res.description,
            "category": lookup(res.category, CATEGORIES),
            "column": lookup(res.column, COLUMNS),
            "costsEmployer": {"key": 1, "value": "+"} if res.costs_employer else None,
        }
        if with_hours_flags:
            component.update({"countAsNormHours": False, "hoursIndication": res.category == 1})
        lines.append({"payrollComponent": component, "value": res.value, "valueSpecialTariff": 0})
    return {
        "payrollPeriod": {
            "year": p.year,
            "periodNumber": p.period_number,
            "periodStartDate": p.start_date,
            "periodEndDate": p.end_date,
            "testYear": False,
        },
        "payslipTypes": [{"payslipType": {"key": 1, "value": "Normaal strook"}, "payrollComponentResults": lines}],
    }


# grossWageType: "1 (meaning periodic wage)", "2 (hourly wage)"; the sandbox has periodic wages only.
PERIODIC_WAGE = {"key": 1, "value": "Periodeloon"}


def wage(w: Wage, period_type: str) -> dict[str, Any]:
    return {
        "id": w.id,
        "startDate": w.start_date,
        "endDate": w.end_date,
        "grossWage": w.gross_wage,
        "grossWageType": PERIODIC_WAGE,
        "isGrossWageFullTime": w.is_full_time,
        "netWage": None,
        "netWageType": None,
        "employerCosts": None,
        "employerCostsType": None,
        "payScale": None,
        "payGrade": None,
        "applyPayGrade": False,
        "payrollPeriodType": PERIOD_TYPES[period_type],
    }


def shift(s: Shift) -> dict[str, Any]:
    return {
        "shiftNumber": s.number,
        "fullTimeHoursPerWeek": s.full_time_hours_per_week,
        "bonusPercentage": s.bonus_percentage,
    }


def working_hours(h: WorkingHours) -> dict[str, Any]:
    return {
        "id": h.id,
        "startDate": h.start_date,
        "endDate": h.end_date,
        "shift": shift(h.shift),
        "shiftRateSickLeave": shift(h.shift),  # the sandbox pays sick leave on the working shift
        "deviatingHoursPerWeek": h.deviating_hours_per_week,
        "deviatingSvDaysPerPeriod": None,
        "aggregatedHoursPerWeek": h.hours_per_week,
        "averageHoursPerWeek": None,
        "averageParttimeFactor": None,
        "flexibleHoursContract": None,
        "contractCode": None,
        "regularWorkPattern": False,
        "workPattern": None,
        "calculateUsingWorkPattern": {
            "leaveHours": False,
            "hoursBrokenPeriod": False,
            "hoursRegularPeriod": False,
            "daysDailyRate": False,
            "deviatingDaysAndHours": False,
        },
    }
