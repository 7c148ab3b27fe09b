"""The payroll run of one period: gross components, fund premiums (inleg.funds), net withholdings, excasso.

Wage tax is not computed: the results carry no wage tax and no net wage, and the API says so.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models import DecimalField, Field
from django.utils import timezone
from django.utils.translation import gettext as _

from inleg.funds import Correction, FundError, batch, parse_case, recalculate
from inleg.funds.batch import AMOUNT
from inleg.funds.cases import VERSION_FIELDS
from inleg.funds.model import Case
from inleg.funds.population import from_case
from inleg.funds.recalculation import NotRecalculated
from inleg.sandbox.core.chains import overlaps
from inleg.sandbox.core.models import (
    NET_CATEGORIES,
    Fund,
    FundVersion,
    LoketUser,
    PayrollAdministration,
    PayrollComponent,
    PayrollPeriod,
    PayrollResult,
    PayrollRun,
    RunStatus,
)
from inleg.sandbox.payroll.changes import changed_employments, only
from inleg.sandbox.payroll.periods import ensure_periods
from inleg.sandbox.payroll.reading import BenefitRecord, LinkRecord, RunEmployment, read_run
from inleg.sandbox.payroll.salary import MissingHours, active_days, period_salary, valid_on

SALARY_KEY = 10
GROSS_TOTAL_KEY = 257
SV_TOTAL_KEY = 265
EXCASSO_KEY = 990
ENGINE_TOTALS = frozenset({257, 265, 543, 544, 545, 546, 547})
COL_GROSS, COL_NET, COL_EMPLOYER, COL_TOTALS, COL_EXCASSO = 1, 2, 3, 4, 5


class PayrollError(Exception):
    """A run that cannot be made; the message says why."""


@dataclass
class Line:
    key: int
    description: str
    category: int
    column: int
    value: Decimal
    costs_employer: bool = False
    corrects: int | None = None  # a herrekening line: the earlier period it corrects


def _valid_on(records: list[BenefitRecord], day: date) -> BenefitRecord | None:
    for record in records:
        if overlaps(record.start_date, record.end_date, day, day):
            return record
    return None


def _terms(
    record: LinkRecord,
) -> tuple[tuple[Decimal | None, Decimal | None], tuple[Decimal | None, Decimal | None]]:
    return (record.deviation_premium, record.deviation_total), (record.fixed_premium, record.fixed_total)


def _link(number: int, record: LinkRecord) -> dict[str, Any]:
    """One employment-fund record as a dated link of the case; the engine takes several per fund."""
    (deviation_premium, deviation_total), (fixed_premium, fixed_total) = _terms(record)
    return {
        "number": number,
        "start_date": record.start_date.isoformat(),
        "end_date": record.end_date.isoformat() if record.end_date else None,
        "deviation": {"premium": str(deviation_premium), "total": str(deviation_total)}
        if deviation_premium is not None
        else None,
        "fixed_contribution": {"premium": str(fixed_premium), "total": str(fixed_total)}
        if fixed_premium is not None
        else None,
    }


def _fund_key(number: int, kind: str) -> int:
    return (600 if kind == "premium" else 700) + number


class Computation:
    """Builds the fund case of a period from the sandbox's data and turns the engine's rows into results."""

    def __init__(
        self, admin: PayrollAdministration, period: PayrollPeriod, baseline: dict[str, Any] | None = None
    ) -> None:
        """``baseline`` is the last stored case of the year (the herrekening's): its employments that no longer
        run in the period but are still in the administration are taken as well, ``corrections_only``."""
        self.admin = admin
        self.period = period
        self.periods = ensure_periods(admin, period.year)[: period.period_number]
        self.year_start = self.periods[0].start_date
        self.components = {c.key: c for c in PayrollComponent.objects.filter(administration=admin)}
        self.components_by_id = {c.pk: c for c in self.components.values()}
        self.funds = {f.number: f for f in Fund.objects.filter(administration=admin)}
        self.fund_numbers = {f.pk: n for n, f in self.funds.items()}
        self.fund_versions: dict[Any, list[FundVersion]] = {}
        for version in FundVersion.objects.filter(fund__administration=admin, valid_from__lte=period.end_date).order_by(
            "valid_from"
        ):
            self.fund_versions.setdefault(version.fund_id, []).append(version)
        booked = {e["id"]: e for e in baseline["employments"]} if baseline is not None else {}
        data = read_run(admin, period.year, self.year_start, period.start_date, period.end_date, period.period_number,
                        booked)  # fmt: skip
        self.booked = {str(e.pk): booked[str(e.pk)] for e in data.employments if e.corrections_only}
        self.employments = data.employments
        self._current: dict[Any, dict[int, Decimal]] = {}  # the period's amounts per employment, once case() ran
        self.employment_funds = data.links
        self.wages = data.wages
        self.hours = data.hours
        self.inputs = data.inputs
        # Each employment's benefits and deductions per component, grouped once (a run asks for them nine times).
        self.benefits: dict[Any, list[list[BenefitRecord]]] = {}
        for employment_id, records in data.benefits.items():
            by_component: dict[int, list[BenefitRecord]] = {}
            for b in records:
                by_component.setdefault(b.component_id, []).append(b)
            self.benefits[employment_id] = list(by_component.values())

    # -- the case --------------------------------------------------------------------------------------
    def period_components(self, employment: RunEmployment, start: date, end: date, number: int) -> dict[int, Decimal]:
        amounts: dict[int, Decimal] = {}
        try:
            salary = period_salary(
                employment, self.wages.get(employment.pk, []), self.hours.get(employment.pk, []), start, end
            )
        except MissingHours as missing:
            raise self._no_hours(employment, missing.day) from None
        if salary:
            amounts[SALARY_KEY] = salary
        day = min(end, employment.end_date or end)
        for records in self.benefits.get(employment.pk, ()):
            record = _valid_on(records, day)
            if record is not None:
                key = self.components_by_id[record.component_id].key
                amounts[key] = amounts.get(key, Decimal(0)) + record.value
        return self._with_inputs(amounts, employment, number)

    def _with_inputs(self, amounts: dict[int, Decimal], employment: RunEmployment, number: int) -> dict[int, Decimal]:
        """The amounts with the period data of period ``number`` added (in place)."""
        data = self.inputs.get((employment.pk, number))
        if data is not None:
            for text, raw in data.components.items():
                key = int(text)
                amounts[key] = amounts.get(key, Decimal(0)) + Decimal(str(raw))
        return amounts

    def case(self) -> dict[str, Any]:
        components = {
            str(c.key): {"name": c.description, "sign": c.sign, "in_257": c.in_257, "in_265": c.in_265}
            for c in self.components.values()
            if c.key not in ENGINE_TOTALS
        }
        employments: list[dict[str, Any]] = []
        current = self.period.period_number
        for employment in self.employments:
            # A corrections-only employment has its periods of the year up to its end date (none of its own now).
            last_day = employment.end_date if employment.corrections_only else None
            run_periods = [p for p in self.periods if last_day is None or p.start_date <= last_day]
            periods = []
            # Each period's fixed values are its amounts without period data (worked out once per period, the
            # amounts then add the period data): the employment holds the current period's, an earlier period
            # whose fixed values differ (a raise since) carries its own, so a herrekening recomputes it with the
            # fixed values it had (the case format's per-period fixed data, ADR 0008 addendum).
            fixed_of: list[dict[int, Decimal]] = []
            for p in run_periods:
                fixed_amounts = self.period_components(employment, p.start_date, p.end_date, -1)
                amounts = self._with_inputs(dict(fixed_amounts), employment, p.period_number)
                if p.period_number == current:
                    self._current[employment.pk] = amounts  # kept for the result lines
                fixed_of.append(fixed_amounts)
                data = self.inputs.get((employment.pk, p.period_number))
                periods.append(
                    {
                        "period": p.period_number,
                        "components": {str(k): str(v) for k, v in amounts.items()},
                        "hours": str(data.hours) if data else "0.00",
                        "overtime_hours": str(data.overtime_hours) if data else "0.00",
                        "unpaid_days": data.unpaid_days if data else 0,
                    }
                )
            hours, own_hours = self.case_hours(employment)
            # The run's periods end with the current one; a corrections-only employment's with its last.
            fixed_amounts = fixed_of[-1] if fixed_of else {}
            for p, period, own_fixed in zip(run_periods, periods, fixed_of, strict=True):
                period.update(own_hours.get(p.period_number, {}))
                if own_fixed != fixed_amounts:
                    period["fixed"] = {str(k): str(v) for k, v in own_fixed.items()}
            fixed = {str(k): str(v) for k, v in fixed_amounts.items()}
            funds = self.case_funds(employment)
            employments.append(
                {
                    "id": str(employment.pk),
                    "birth_date": employment.date_of_birth.isoformat(),
                    "hire_date": employment.start_date.isoformat(),
                    "end_date": employment.end_date.isoformat() if employment.end_date else None,
                    **hours,
                    "fixed": fixed,
                    "funds": funds,
                    "periods": periods,
                }
            )
        numbers = sorted({f["number"] for e in employments for f in e["funds"]})
        return {
            "year": self.period.year,
            "frequency": self.admin.period_type,
            "components": components,
            "funds": [self.case_fund(n) for n in numbers],
            "employments": employments,
        }

    def _no_hours(self, employment: RunEmployment, day: date) -> PayrollError:
        return PayrollError(
            _(
                "dienstverband %(e)s heeft op %(d)s een voltijdloon maar geen arbeidsuren: de deeltijdfactor is "
                "onbekend; leg de arbeidsuren vast"
            )
            % {"e": employment.employee_number, "d": day.isoformat()}
        )

    def case_hours(self, employment: RunEmployment) -> tuple[dict[str, str], dict[int, dict[str, str]]]:
        """The case's part-time factor and norm hours: each period's, from the working hours on its last day.

        The employment holds the current period's; an earlier period whose factor or norm differs carries its
        own (the case format's per-period values, ADR 0008 addendum), so a herrekening recomputes each period
        with the hours it had and a fund that looks back over the year (cumulative, pension days) is exact.
        A period the employment does not run in needs none: no fund applies in it.
        """
        records = self.hours.get(employment.pk, [])
        by_period: dict[int, dict[str, str]] = {}
        for p in self.periods:
            days = active_days(employment, p.start_date, p.end_date)
            if days is None:
                continue
            record = valid_on(records, days[1])
            if record is None:
                raise PayrollError(
                    _(
                        "dienstverband %(e)s heeft op %(d)s geen arbeidsuren: de deeltijdfactor voor de fondsen is "
                        "onbekend; leg de arbeidsuren vast"
                    )
                    % {"e": employment.employee_number, "d": days[1].isoformat()}
                )
            by_period[p.period_number] = {
                "part_time_factor": str(record.part_time_factor),
                "norm_hours_per_week": str(record.full_time_hours),
            }
        if not employment.corrections_only:
            current = by_period[self.period.period_number]  # it runs in the period
        elif by_period:
            current = by_period[max(by_period)]  # its last period
        else:  # it runs in no period of the year now: no fund applies, the hours are those it was booked with
            booked = self.booked[str(employment.pk)]
            current = {key: booked[key] for key in ("part_time_factor", "norm_hours_per_week")}
        return current, {k: hours for k, hours in by_period.items() if hours != current}

    def case_funds(self, employment: RunEmployment) -> list[dict[str, Any]]:
        """Every record of the year (up to this period) of each fund as a dated link of its own (ADR 0008)."""
        numbers = self.fund_numbers
        records = sorted(self.employment_funds.get(employment.pk, []), key=lambda r: (numbers[r.fund_id], r.start_date))
        return [_link(numbers[record.fund_id], record) for record in records]

    def case_fund(self, number: int) -> dict[str, Any]:
        """A fund's settings on the year's first day, with the versions dated after it up to this period's end.

        The settings on 1 January are those of the latest version dated on or before it; a fund whose first
        version lies inside the year takes that version from 1 January (before it the fund was not defined,
        so no period before it can have been computed otherwise). A fund without versions (made outside the
        Fondsen screen) has its ``settings`` for the whole year.
        """
        fund = self.funds[number]
        versions = self.fund_versions.get(fund.pk, [])
        if not versions:
            return fund.case_fund()
        opening = [v for v in versions if v.valid_from <= self.year_start]
        first = opening[-1] if opening else versions[0]
        later = [v for v in versions if v.valid_from > max(self.year_start, first.valid_from)]
        return {
            **first.settings,
            "number": number,
            "name": first.name,
            "versions": [
                {"from": v.valid_from.isoformat(), "name": v.name,
                 **{k: v.settings[k] for k in VERSION_FIELDS if k in v.settings and k != "name"}}
                for v in later
            ],
        }  # fmt: skip

    def stored(self, case: dict[str, Any]) -> dict[str, Any]:
        """The case the run keeps as the next herrekening's baseline: without the corrections-only employments.

        Their periods are booked to what they are now by this run's corrections; keeping them would make every
        leaver of the year a part of every later run. The funds only they take part in go with them (the next
        run's case has none of them either, and a different fund list recomputes the whole year).
        """
        if not self.booked:
            return case
        employments = [e for e in case["employments"] if e["id"] not in self.booked]
        numbers = {f["number"] for e in employments for f in e["funds"]}
        return {**case, "funds": [f for f in case["funds"] if f["number"] in numbers], "employments": employments}

    # -- results ---------------------------------------------------------------------------------------
    def lines(
        self, employment: RunEmployment, fund_rows: Sequence[FundAmounts], corrections: Sequence[Correction] = ()
    ) -> list[Line]:
        """The result lines of one employment: its components, the premiums of the funds it takes part in
        (``fund_rows``, in the engine's order), the herrekening's corrections, and the totals."""
        p = self.period
        amounts = self._current.get(employment.pk)
        if employment.corrections_only:
            amounts = {}  # only the corrections of the periods it ran in, and the totals they make
        elif amounts is None:
            amounts = self.period_components(employment, p.start_date, p.end_date, p.period_number)
        lines: list[Line] = []
        total_257 = Decimal(0)
        total_265 = Decimal(0)
        excasso = Decimal(0)
        for key in sorted(amounts):
            value = amounts[key]
            c = self.components.get(key)
            if c is None:
                lines.append(Line(key, f"Component {key}"[:14], 2, COL_GROSS, value))
                continue
            column = COL_NET if c.category in NET_CATEGORIES else COL_GROSS
            lines.append(Line(key, c.description, c.category, column, value))
            total_257 += c.in_257 * value
            total_265 += c.in_265 * value
            withheld = c.withheld_net and column == COL_GROSS
            if withheld:
                lines.append(Line(key, c.description, 13, COL_NET, value))
            if c.to_excasso and (withheld or column == COL_NET):  # only money withheld (or net) is paid on
                excasso += value
        for number, premium_cents, total_cents in fund_rows:
            premium = Decimal(premium_cents).scaleb(-2)
            total = Decimal(total_cents).scaleb(-2)
            premium_component = self.components.get(_fund_key(number, "premium"))
            lines.append(Line(_fund_key(number, "premium"), f"Prem. fonds {number}", 40, COL_GROSS, premium))
            lines.append(Line(_fund_key(number, "total"), f"Afdr. fonds {number}", 40, COL_EMPLOYER, total, True))
            total_257, total_265 = _fund_totals(premium_component, premium, total_257, total_265)
        for correction in corrections:
            # Herrekening: the difference of an earlier period, booked now on the fund's own components.
            number = correction.fund
            premium = Decimal(correction.premium_amount).scaleb(-2)
            total = Decimal(correction.total_amount).scaleb(-2)
            if not premium and not total:
                continue  # only days or bases differ: no money moves
            premium_component = self.components.get(_fund_key(number, "premium"))
            lines.append(Line(_fund_key(number, "premium"), f"Prem. fonds {number}", 40, COL_GROSS, premium,
                              corrects=correction.corrects))  # fmt: skip
            lines.append(Line(_fund_key(number, "total"), f"Afdr. fonds {number}", 40, COL_EMPLOYER, total, True,
                              corrects=correction.corrects))  # fmt: skip
            total_257, total_265 = _fund_totals(premium_component, premium, total_257, total_265)
        lines.append(Line(GROSS_TOTAL_KEY, "BRUTO", 50, COL_TOTALS, total_257))
        lines.append(Line(SV_TOTAL_KEY, "V/H SOC.PLLOON", 50, COL_TOTALS, total_265))
        if excasso:
            lines.append(Line(EXCASSO_KEY, "Excasso pens.", 13, COL_EXCASSO, excasso))
        return lines


def _fund_totals(
    premium_component: PayrollComponent | None, premium: Decimal, total_257: Decimal, total_265: Decimal
) -> tuple[Decimal, Decimal]:
    """257 and 265 after a fund premium withheld (its component's counts; without one, SV-wage less the premium)."""
    if premium_component is not None:
        return total_257 + premium_component.in_257 * -premium, total_265 + premium_component.in_265 * premium
    return total_257, total_265 - premium


FundAmounts = tuple[int, int, int]  # a fund the employment takes part in: number, premium and total in cents


def calculate(case: Case, period: int) -> dict[str, list[FundAmounts]]:
    """Per employment, the funds it takes part in during ``period``, in the engine's order, with the premium and
    total in cents. The batch engine computes the whole population's year (cumulative funds and pension days
    need it); only the period's column is read, straight from the engine's arrays.
    """
    columns = batch.compute(from_case(case))
    k = period - 1
    participates = columns.participates[:, k].tolist()
    premiums = columns.sides[0, AMOUNT, :, k].tolist()
    totals = columns.sides[1, AMOUNT, :, k].tolist()
    ids = columns.ids
    by_employment: dict[str, list[FundAmounts]] = {}
    for employment, fund, takes_part, premium, total in zip(
        columns.link_employment.tolist(), columns.link_fund.tolist(), participates, premiums, totals, strict=True
    ):
        if takes_part:
            by_employment.setdefault(ids[employment], []).append((fund, premium, total))
    return by_employment


RESULT_FIELDS = (
    "run", "employment", "component_key", "description", "category", "column", "costs_employer", "value", "corrects"
)  # fmt: skip


def _stored(name: str) -> tuple[Field[Any, Any], str]:
    """A field of the result lines with its column (each of RESULT_FIELDS has one: the INSERT names them)."""
    field = PayrollResult._meta.get_field(name)
    if not isinstance(field, Field) or field.column is None:
        raise TypeError(f"PayrollResult.{name} has no column of its own")
    return field, field.column


def _insert_results(run: PayrollRun, rows: Iterable[tuple[RunEmployment, list[Line]]]) -> None:
    """Write result lines with one prepared INSERT (a million per run at a bureau; model instances cost too much).

    Each employment's key is made ready for the database once, not once per line.
    """
    db = connections[DEFAULT_DB_ALIAS]  # the connection itself: the proxy looks it up on every use
    fields = [_stored(name) for name in RESULT_FIELDS]
    table = db.ops.quote_name(PayrollResult._meta.db_table)
    columns = ", ".join(db.ops.quote_name(column) for _field, column in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {table} ({columns}) VALUES ({placeholders})"
    run_value = fields[0][0].get_db_prep_save(run.pk, db)
    employment_value = fields[1][0].get_db_prep_save
    # The amount as DecimalField.get_db_prep_save gives it for a Decimal, without its checks on every line.
    amount = fields[7][0]
    assert isinstance(amount, DecimalField)
    adapt, digits, places = db.ops.adapt_decimalfield_value, amount.max_digits, amount.decimal_places
    batch: list[tuple[Any, ...]] = []
    with db.cursor() as cursor:
        for employment, lines in rows:
            key = employment_value(employment.pk, db)
            batch.extend(
                (run_value, key, line.key, line.description, line.category, line.column, line.costs_employer,
                 adapt(line.value, digits, places), line.corrects)
                for line in lines
            )  # fmt: skip
            if len(batch) >= 20_000:
                cursor.executemany(sql, batch)
                batch.clear()
        if batch:
            cursor.executemany(sql, batch)


def run_period(admin: PayrollAdministration, year: int, number: int, user: LoketUser | None = None) -> PayrollRun:
    """Compute the period; an earlier unapproved run of it is replaced. An approved period is refused, and so
    is a period of the year after which a later period was already run."""
    periods = ensure_periods(admin, year)
    if not 1 <= number <= len(periods):
        raise PayrollError(
            _("periode %(n)s bestaat niet in %(y)s (%(c)s perioden)") % {"n": number, "y": year, "c": len(periods)}
        )
    period = periods[number - 1]
    if PayrollRun.objects.filter(period=period, status=RunStatus.APPROVED).exists():
        raise PayrollError(
            _("periode %(p)s van %(a)s is al goedgekeurd en kan niet opnieuw worden verloond")
            % {"p": f"{year}-{number:02d}", "a": admin.name}
        )
    later = (
        PayrollRun.objects.filter(
            administration=admin,
            period__year=year,
            period__period_number__gt=number,
            status__in=(RunStatus.DONE, RunStatus.APPROVED),
        )
        .select_related("period")
        .order_by("period__period_number")
        .first()
    )
    if later is not None:
        # A herrekening compares with the last run of the year; running an earlier period after a later one
        # would book the same correction twice (once now, again in the next period). Loket runs the periods in
        # order and books changes to earlier periods in the next run.
        raise PayrollError(
            _(
                "periode %(p)s kan niet meer worden verloond: periode %(l)s is al verloond. Een wijziging in "
                "periode %(p)s wordt in de volgende verloning herrekend."
            )
            % {"p": f"{year}-{number:02d}", "l": f"{year}-{later.period.period_number:02d}"}
        )
    last = _last_case(admin, period)
    computation = Computation(admin, period, last.case if last is not None else None)
    case = computation.case()
    try:
        parsed = parse_case(case)
        by_employment = calculate(parsed, number)
        herrekening = recalculation(admin, period, case, parsed, last)
        error = ""
    except FundError as problem:
        by_employment, error, herrekening = {}, str(problem), Herrekening()
    corrections: dict[str, list[Correction]] = {}
    for correction in herrekening.corrections:
        corrections.setdefault(correction.employment, []).append(correction)
    with transaction.atomic():
        earlier = list(PayrollRun.objects.select_for_update().filter(period=period).exclude(status=RunStatus.REMOVED))
        sequence = max((r.sequence_number for r in earlier), default=0) + 1
        for old in earlier:
            old.results.all().delete()
            old.status = RunStatus.REMOVED
            old.save(update_fields=["status"])
        run = PayrollRun.objects.create(
            administration=admin, period=period, sequence_number=sequence, requested_by=user, error=error
        )
        if error:
            run.status = RunStatus.FAILED
        else:
            lines = computation.lines
            _insert_results(
                run,
                (
                    (e, lines(e, () if e.corrections_only else by_employment.get(str(e.pk), ()),
                              corrections.get(str(e.pk), ())))
                    for e in computation.employments
                    # a leaver whose periods need no correction gets no payslip
                    if not e.corrections_only or str(e.pk) in corrections
                ),
            )  # fmt: skip
            run.status = RunStatus.DONE
            run.case = computation.stored(case)
            run.not_recalculated = herrekening.shown(computation.employments)
        run.processing_finished_time = timezone.now()
        run.save()
    if error:
        raise PayrollError(_("de fondsberekening weigert de verloning: %(e)s") % {"e": error})
    return run


@dataclass
class Herrekening:
    """What a run books for earlier periods of the year, and what it leaves alone (a previous year)."""

    corrections: Sequence[Correction] = ()
    not_recalculated: Sequence[NotRecalculated] = ()

    def shown(self, employments: list[RunEmployment]) -> list[dict[str, Any]]:
        """The changes not recalculated, per employee and in Dutch, as the Classic pages show them.

        The engine also lists employments the run no longer holds (they left before this period): they have
        nothing to recalculate, so only dates that lie before the payroll year are shown.
        """
        numbers = {str(e.pk): e.employee_number for e in employments}
        shown = []
        for note in self.not_recalculated:
            found = _NOTE_FIELD.fullmatch(note.field)
            if found is None or found["id"] not in numbers:
                continue
            shown.append({"employee": numbers[found["id"]], "field": _dutch_field(found["field"]), "value": note.value})
        return shown


_NOTE_FIELD = re.compile(r"employments\[(?P<id>[^\]]+)\]\.(?P<field>.+)")
_LINK_FIELD = re.compile(r"funds\[(?P<fund>\d+)\]\[\d+\]\.(?P<date>start_date|end_date)")


def _dutch_field(field: str) -> str:
    if field == "hire_date":
        return str(_("datum in dienst"))
    if field == "end_date":
        return str(_("datum uit dienst"))
    link = _LINK_FIELD.fullmatch(field)
    if link is not None:
        words = _("begindatum") if link["date"] == "start_date" else _("einddatum")
        return str(_("%(d)s van fonds %(f)s") % {"d": words, "f": link["fund"]})
    return field


def _runs_before(admin: PayrollAdministration, period: PayrollPeriod) -> Any:
    return PayrollRun.objects.filter(
        administration=admin,
        period__year=period.year,
        period__period_number__lt=period.period_number,
        status__in=(RunStatus.DONE, RunStatus.APPROVED),
    )


def _last_case(admin: PayrollAdministration, period: PayrollPeriod) -> PayrollRun | None:
    """The last earlier run of the year that kept its case: the herrekening's baseline."""
    last: PayrollRun | None = (
        _runs_before(admin, period).filter(case__isnull=False).order_by("-period__period_number", "-sequence_number")
    ).first()
    return last


def recalculation(
    admin: PayrollAdministration,
    period: PayrollPeriod,
    case: dict[str, Any],
    parsed: Case | None = None,
    last: PayrollRun | None = None,
) -> Herrekening:
    """Herrekening: the year as the last run of it computed it against the year as it stands now.

    Seed 004: a change to a fund or its base "kan bij de eerstvolgende salarisverwerking tot herrekeningen
    leiden". The last earlier run of the year kept its case; the engine recomputes both and gives, per
    employment, fund and earlier period, the difference booked now (ADR 0008). Only periods that were run
    are corrected: the sandbox lets a period be run without the ones before it, and what was never booked
    has nothing to correct.

    Only the employments whose input changed since the last run are recomputed (``changes``): the others
    have nothing to correct. ``parsed`` is ``case`` parsed already, if the caller has it; ``last`` the
    baseline run (``_last_case``), if the caller read it.

    An employment of the baseline that no longer runs in the period (an end date moved back before periods
    already run) is in ``case`` as corrections only (``Computation``): its periods after the end date are
    booked back.
    """
    runs = _runs_before(admin, period)
    if last is None:
        last = _last_case(admin, period)
    if last is None or last.case is None:
        return Herrekening()
    ran = set(runs.values_list("period__period_number", flat=True))
    after = parsed if parsed is not None else parse_case(case)
    before = last.case
    # Periods run after the last case (runs from before cases were kept) are corrected from the whole year.
    changed = (
        changed_employments(before, case, last.period.period_number) if max(ran) <= last.period.period_number else None
    )
    if changed is not None:
        if not changed:
            return Herrekening()
        before = only(before, changed)
        after = Case(after.year, after.frequency, after.components, after.funds,
                     tuple(e for e in after.employments if e.id in changed))  # fmt: skip
    found = recalculate(parse_case(before), after, period.period_number, engine="batch")
    return Herrekening(
        [c for c in found.corrections if c.corrects in ran],
        found.not_recalculated,
    )


def approve_run(run: PayrollRun, user: LoketUser | None = None) -> PayrollRun:
    """Approve a finished run and write its excasso; approving twice changes nothing."""
    from inleg.sandbox.payroll.sepa import MissingIban, SepaError, write_excasso

    with transaction.atomic():
        run = PayrollRun.objects.select_for_update().select_related("period", "administration__employer").get(pk=run.pk)
        if run.status == RunStatus.APPROVED:
            return run
        if run.status != RunStatus.DONE:
            raise PayrollError(
                _("verloning %(r)s heeft status %(s)s; alleen een gereede verloning wordt goedgekeurd")
                % {"r": run.pk, "s": run.get_status_display()}
            )
        run.status = RunStatus.APPROVED
        run.approval_time = timezone.now()
        run.approved_by = user
        run.save()
        try:
            write_excasso(run)
        except SepaError as problem:  # the approval is rolled back with it: the run stays gereed
            employer = run.administration.employer
            names = {"p": run.period, "w": f"{employer.employer_number} {employer.company_name}", "e": problem}
            if isinstance(problem, MissingIban):
                message = _(
                    "verloning %(p)s van werkgever %(w)s kan niet worden goedgekeurd: de excasso kan niet worden "
                    "gemaakt (%(e)s). Vul het IBAN van de pensioenuitvoerder in bij de werkgever."
                )
            else:
                message = _(
                    "verloning %(p)s van werkgever %(w)s kan niet worden goedgekeurd: de excasso kan niet worden "
                    "gemaakt (%(e)s)."
                )
            raise PayrollError(message % names) from problem
    return run
