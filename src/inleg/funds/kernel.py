"""The compiled fund kernel: every link of the funds it is given, period by period, in one pass.

``batch.compute`` hands it the funds whose settings hold for the whole year (one version), their
settings turned into integer arrays (``batch._FundTable``, ADR 0009). The loop reads like the scalar
oracle (``inleg.funds.scalar``): per link, per period, sections 3 to 7 of ``docs/funds.md`` in order.
numba compiles it to machine code, so nothing in between is stored: each input is read once and each
result written once, in the results' order.

Exactness (ADR 0001): every rounded value is ``div_half_up(numerator, denominator)`` on int64, and every
product that goes into one is bounded in float64 alongside it. A bound of 2**61 or more flags the fund
(``overflow``): ``batch`` then computes it again on its numpy path, whose products beyond int64 are
Python integers. Realistic payroll figures stay some six orders of magnitude below the bound.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

import numba
import numpy as np

from inleg.funds.population import I64, Bools

# What the kernel reads of a fund's settings, as integers (``batch._FundTable`` fills them), per fund slot.
# settings[f]: its fields.
UNIT, WITH_OVERTIME, CUMULATIVE, FRANCHISE_KIND, PERCENTAGE_KIND = range(5)
# Recalculation units (section 5), in the order of RecalcUnit; a threshold's period factor follows from it.
UNIT_PERIOD, UNIT_SV_DAYS, UNIT_CALENDAR_DAYS, UNIT_PENSION_DAYS, UNIT_HOURS = range(5)
# Table kinds (section 6); tables[f, FRANCHISE_TABLE or PERCENTAGE_TABLE] rows of (LOW, HIGH, PREMIUM, TOTAL).
KIND_FIXED, KIND_AGE, KIND_BIRTH_YEAR = range(3)
FRANCHISE_TABLE, PERCENTAGE_TABLE = range(2)
LOW, HIGH, PREMIUM, TOTAL = range(4)
# weights[f, origin]: (column, weight) pairs of the raw base (section 4) by origin.
CALCULATED, FIXED, ANNUAL = range(3)
# A threshold's period value (section 5) is amount * NUMERATOR [* norm] * period factor [* ptf]
# / (DENOMINATOR [* norm]): its fields in thresholds[f, side, threshold] (threshold MAX, FRANCHISE, MIN).
NUMERATOR, DENOMINATOR, NORM_ABOVE, NORM_BELOW, PART_TIME = range(5)

# The scales of inleg.funds.numbers, written here: numba's cache is checked against this file only, so a
# change made there alone would go unseen by a cached kernel (tests/funds/test_kernel.py compares them).
FACTOR_SCALE = 10_000  # part-time factor in ten-thousandths
PERCENT_SCALE = 10_000  # percentages in ten-thousandths of a percent
PERCENT_DENOMINATOR = 100 * PERCENT_SCALE
SAFE = float(2**61)  # |numerator| below this keeps 2 * numerator + denominator inside int64

# Result fields of a side (the order of batch's sides block); thresholds MAX, FRANCHISE, MIN the same.
MAX, FRANCHISE, MIN, BASE, PERCENTAGE, AMOUNT = range(6)


def _jit[F: Callable[..., Any]](function: F) -> F:
    # cache=True keeps the machine code next to this file (or in NUMBA_CACHE_DIR): a later process loads
    # it instead of compiling. error_model="numpy": no division here has a zero denominator, so no check.
    # inline="always": the helpers become part of the loop that calls them (no call, no reference counts).
    return cast(F, numba.njit(cache=True, nogil=True, error_model="numpy", inline="always")(function))


# --- section 1: rounding -----------------------------------------------------------------------------


@_jit
def div_half_up(numerator: int, denominator: int) -> int:
    """round_half_up(numerator / denominator) for a positive denominator (numbers.div_half_up)."""
    if numerator >= 0:
        return (2 * numerator + denominator) // (2 * denominator)
    return -((2 * -numerator + denominator) // (2 * denominator))


# --- section 2 and 6: dates, weekdays, ages -----------------------------------------------------------


@_jit
def weekdays_before(day: int) -> int:
    """Weekdays (SV-days) from Monday 1969-12-29 up to, not including, ``day`` (days since 1970-01-01)."""
    since_monday = day + 3
    return 5 * (since_monday // 7) + min(since_monday % 7, 5)


@_jit
def age_on(born_year: int, born_month: int, born_day: int, year: int, month: int, day: int) -> int:
    """Completed years on (year, month, day); 29 February counts as 1 March in other years (calendar.age_on)."""
    if born_month == 2 and born_day == 29 and not (year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)):
        born_month, born_day = 3, 1
    before = month < born_month or (month == born_month and day < born_day)
    return year - born_year - (1 if before else 0)


@_jit
def table_row(tables: I64, f: int, table: int, rows: int, key: int) -> int:
    """The first row of fund f's table whose range holds ``key``; -1 if none (scalar._lookup)."""
    for row in range(rows):
        if tables[f, table, row, LOW] <= key <= tables[f, table, row, HIGH]:
            return row
    return -1


@_jit
def age_in_period(test_days: I64, f: int, table: int, k: int, by: int, bm: int, bd: int) -> int:
    """Completed years on the day fund f's table measures the age in period k (its leeftijdstoets)."""
    return age_on(by, bm, bd, test_days[f, table, k, 0], test_days[f, table, k, 1], test_days[f, table, k, 2])


@_jit
def apply_thresholds(
    base: int, maximum: int, franchise: int, minimum: int, max_used: bool, franchise_used: bool, min_used: bool
) -> int:
    """Steps 1-3: max (before franchise), franchise, then min (after franchise) for a positive base."""
    b1 = min(base, maximum) if max_used else base
    b2 = max(b1 - franchise, 0) if franchise_used else b1
    return max(b2, minimum) if min_used and base > 0 else b2


# --- section 5: a threshold to the period -------------------------------------------------------------


@_jit
def period_value(amount: int, terms: I64, f: int, s: int, t: int, norm: int, factor: int, ptf: int) -> tuple[int, bool]:
    """Threshold ``t`` of side ``s`` per time unit to the year, then to the period, rounded once.

    ``factor``: the period's SV-days, calendar days, pension days or hours (1 for period recalculation).
    Also returns whether a product could have left int64 (then the value is void).
    """
    numerator = amount * terms[f, s, t, NUMERATOR]
    bound = abs(float(amount)) * terms[f, s, t, NUMERATOR]
    denominator = terms[f, s, t, DENOMINATOR]
    if terms[f, s, t, NORM_ABOVE]:
        numerator *= norm
        bound *= abs(norm)
    numerator *= factor
    bound *= abs(factor)
    if terms[f, s, t, PART_TIME]:
        numerator *= ptf
        bound *= abs(ptf)
    if terms[f, s, t, NORM_BELOW]:
        denominator *= norm if norm != 0 else 1
    overflow = bound >= SAFE or float(denominator) >= SAFE
    if denominator == 1:
        return numerator, overflow
    return div_half_up(numerator, denominator), overflow


@_jit
def threshold_in_period(
    amount: int, link_values: I64, varies: bool, terms: I64, f: int, s: int, t: int, norm: int, factor: int, ptf: int
) -> tuple[int, bool]:
    """A threshold's period value: 0 when unused, the link's own when it is the same in every period."""
    if amount == 0:
        return 0, False
    if not varies:
        return link_values[s, t], False
    return period_value(amount, terms, f, s, t, norm, factor, ptf)


# --- the links --------------------------------------------------------------------------------------


@_jit
def compute_links(
    fund_slot: I64,
    employment: I64,
    first_day: I64,
    last_day: I64,
    link_start: I64,
    link_end: I64,
    has_deviation: Bools,
    deviation: I64,
    has_fixed: Bools,
    fixed_contribution: I64,
    born: I64,
    part_time_factor: I64,
    norm_hours: I64,
    fixed: I64,
    amounts: I64,
    hours_worked: I64,
    overtime: I64,
    unpaid: I64,
    period_start: I64,
    period_end: I64,
    sv_year: int,
    cal_year: int,
    settings: I64,
    weights: I64,
    weight_counts: I64,
    thresholds: I64,
    threshold_amounts: I64,
    percentages: I64,
    tables: I64,
    table_rows: I64,
    test_days: I64,
    participates: Bools,
    sv_days: I64,
    calendar_days: I64,
    pension_days: I64,
    hours: I64,
    raw_base: I64,
    sides: I64,
    overflow: Bools,
) -> None:
    """Sections 3 to 7 for every link whose fund has a slot (``fund_slot`` >= 0), in the results' order.

    Per link: ``employment``, its fund's span before the link's own dates (``first_day``/``last_day``: hire,
    entry, end, exit; section 3) and its dated terms by rank (``link_start`` .. ``fixed_contribution``:
    (ranks, links)). Per employment and period: ``part_time_factor``, ``norm_hours``, ``amounts`` and the
    other period inputs; ``fixed`` per employment, period (or one period for the whole year) and column. Per
    fund slot the settings above. ``overflow[f]`` is set when a product of fund ``f`` could have left int64:
    its results are then void.
    """
    n_periods = period_start.size
    ranks = link_start.shape[0]
    link_values = np.zeros((2, 3), np.int64)  # thresholds that are the same in every period of a link
    link_franchise = np.zeros(2, np.int64)
    # Cumulatief (section 7): per side the year to date of the calculated periods, and what they took.
    ytd_base = np.zeros(2, np.int64)
    ytd_max = np.zeros(2, np.int64)
    ytd_franchise = np.zeros(2, np.int64)
    ytd_min = np.zeros(2, np.int64)
    ytd_b3 = np.zeros(2, np.int64)
    ytd_amount = np.zeros(2, np.int64)
    for i in range(fund_slot.size):
        f = fund_slot[i]
        if f < 0:
            continue  # a fund on the numpy path
        e = employment[i]
        unit, cumulative = settings[f, UNIT], settings[f, CUMULATIVE] != 0
        franchise_kind, percentage_kind = settings[f, FRANCHISE_KIND], settings[f, PERCENTAGE_KIND]
        # A period's own part-time factor and norm hours (per employment and period); the link's thresholds
        # are the same in every period only when these are.
        ptf, norm = part_time_factor[e, 0], norm_hours[e, 0]
        steady = True
        for k in range(1, n_periods):
            if part_time_factor[e, k] != ptf or norm_hours[e, k] != norm:
                steady = False
                break
        by, bm, bd = born[e, 0], born[e, 1], born[e, 2]
        too_large = False
        # Section 4: the fixed components of the base, worked out once when the employment's fixed data is the
        # same in every period (``fixed`` holds one period for the year, or each period's own).
        per_period_fixed = False
        for k in range(1, fixed.shape[1]):
            for c in range(fixed.shape[2]):
                if fixed[e, k, c] != fixed[e, 0, c]:
                    per_period_fixed = True
                    break
            if per_period_fixed:
                break
        fixed_part = 0
        for c in range(weight_counts[f, FIXED]):
            fixed_part += weights[f, FIXED, 1, c] * fixed[e, 0, weights[f, FIXED, 0, c]]
        # With period recalculation a threshold depends on the link only, unless read from an age table.
        constant = unit == UNIT_PERIOD and steady
        franchise_varies = not constant or franchise_kind == KIND_AGE
        for s in range(2):
            ytd_base[s] = ytd_max[s] = ytd_franchise[s] = ytd_min[s] = ytd_b3[s] = ytd_amount[s] = 0
            link_franchise[s] = threshold_amounts[f, s, FRANCHISE]
            if franchise_kind == KIND_BIRTH_YEAR:
                found = table_row(tables, f, FRANCHISE_TABLE, table_rows[f, FRANCHISE_TABLE], by)
                link_franchise[s] = 0 if found < 0 else tables[f, FRANCHISE_TABLE, found, PREMIUM + s]
            if constant:
                for t in range(3):
                    amount = link_franchise[s] if t == FRANCHISE else threshold_amounts[f, s, t]
                    if amount != 0 and not (t == FRANCHISE and franchise_kind == KIND_AGE):
                        value, beyond = period_value(amount, thresholds, f, s, t, norm, 1, ptf)
                        link_values[s, t] = value
                        too_large |= beyond
        counted = 0  # the year's sum so far of each period's factor times its SV-days
        pension_so_far = 0
        for k in range(n_periods):
            ptf, norm = part_time_factor[e, k], norm_hours[e, k]
            # Section 3: the days on which a link of the fund applies in the period; the period takes the
            # terms of the link valid on the last of them.
            part = False
            cal = 0
            weekdays = 0
            rank = 0
            last = -(2**62)
            for r in range(ranks):
                lo = max(first_day[i], link_start[r, i], period_start[k])
                hi = min(last_day[i], link_end[r, i], period_end[k])
                if lo <= hi:
                    part = True
                    cal += hi - lo + 1
                    weekdays += weekdays_before(hi + 1) - weekdays_before(lo)
                    if hi > last:
                        rank, last = r, hi
            if not part:
                continue  # the results were zeros already
            sv = max(weekdays - unpaid[e, k], 0)
            counted += ptf * sv
            # Pensioendagen: ceil(the sum so far of each period's factor times its SV-days) less what earlier
            # periods counted (ADR 0008's addendum; ptf * SV-days so far when the factor holds all year).
            pension_total = -(-counted // FACTOR_SCALE)
            pension = pension_total - pension_so_far
            pension_so_far = pension_total
            worked = hours_worked[e, k] + (overtime[e, k] if settings[f, WITH_OVERTIME] else 0)
            participates[i, k] = True
            sv_days[i, k] = sv
            calendar_days[i, k] = cal
            pension_days[i, k] = pension
            hours[i, k] = worked

            # Section 4: the raw base, the weighted sum of the amount columns (257/265 folded into the weights).
            kf = k if per_period_fixed else 0  # the period of ``fixed`` that holds this period's
            if per_period_fixed:
                fixed_part = 0
                for c in range(weight_counts[f, FIXED]):
                    fixed_part += weights[f, FIXED, 1, c] * fixed[e, k, weights[f, FIXED, 0, c]]
            raw = fixed_part
            for c in range(weight_counts[f, CALCULATED]):
                raw += weights[f, CALCULATED, 1, c] * amounts[e, k, weights[f, CALCULATED, 0, c]]
            for c in range(weight_counts[f, ANNUAL]):
                # JAAR GRSL: the annual base's share of the year, without part-time scaling.
                annual = fixed[e, kf, weights[f, ANNUAL, 0, c]]
                if unit == UNIT_PERIOD:
                    share = div_half_up(annual, n_periods)
                else:
                    days, days_year = (cal, cal_year) if unit == UNIT_CALENDAR_DAYS else (sv, sv_year)
                    too_large |= abs(float(annual)) * days >= SAFE
                    share = div_half_up(annual * days, days_year)
                raw += weights[f, ANNUAL, 1, c] * share
            raw_base[i, k] = raw

            if has_fixed[rank, i]:
                # Section 6: a fixed contribution skips the calculation (and the year to date).
                sides[0, AMOUNT, i, k] = fixed_contribution[rank, i, 0]
                sides[1, AMOUNT, i, k] = fixed_contribution[rank, i, 1]
                continue
            # Section 5: the period's share of the year by the fund's recalculation unit.
            if unit == UNIT_SV_DAYS:
                factor = sv
            elif unit == UNIT_CALENDAR_DAYS:
                factor = cal
            elif unit == UNIT_PENSION_DAYS:
                factor = pension
            elif unit == UNIT_HOURS:
                factor = worked
            else:
                factor = 1
            for s in range(2):
                # Section 6: a franchise table replaces the franchise amount, a percentage table the percentage.
                franchise_amount = link_franchise[s]
                if franchise_kind == KIND_AGE:
                    key = age_in_period(test_days, f, FRANCHISE_TABLE, k, by, bm, bd)
                    found = table_row(tables, f, FRANCHISE_TABLE, table_rows[f, FRANCHISE_TABLE], key)
                    franchise_amount = 0 if found < 0 else tables[f, FRANCHISE_TABLE, found, PREMIUM + s]
                maximum, beyond_max = threshold_in_period(
                    threshold_amounts[f, s, MAX], link_values, not constant, thresholds, f, s, MAX, norm, factor, ptf
                )
                franchise, beyond_franchise = threshold_in_period(
                    franchise_amount, link_values, franchise_varies, thresholds, f, s, FRANCHISE, norm, factor, ptf
                )
                minimum, beyond_min = threshold_in_period(
                    threshold_amounts[f, s, MIN], link_values, not constant, thresholds, f, s, MIN, norm, factor, ptf
                )
                too_large |= beyond_max | beyond_franchise | beyond_min
                max_used = threshold_amounts[f, s, MAX] != 0
                franchise_used = franchise_amount != 0
                min_used = threshold_amounts[f, s, MIN] != 0
                if has_deviation[rank, i]:
                    percentage = deviation[rank, i, s]
                elif percentage_kind == KIND_FIXED:
                    percentage = percentages[f, s]
                else:
                    key = by
                    if percentage_kind == KIND_AGE:
                        key = age_in_period(test_days, f, PERCENTAGE_TABLE, k, by, bm, bd)
                    found = table_row(tables, f, PERCENTAGE_TABLE, table_rows[f, PERCENTAGE_TABLE], key)
                    percentage = 0 if found < 0 else tables[f, PERCENTAGE_TABLE, found, PREMIUM + s]
                # Section 7: through the thresholds, then the percentage; cumulatief over the year to date.
                if cumulative:
                    ytd_base[s] += raw
                    ytd_max[s] += maximum
                    ytd_franchise[s] += franchise
                    ytd_min[s] += minimum
                    b3 = apply_thresholds(
                        ytd_base[s], ytd_max[s], ytd_franchise[s], ytd_min[s], max_used, franchise_used, min_used
                    )
                else:
                    b3 = apply_thresholds(raw, maximum, franchise, minimum, max_used, franchise_used, min_used)
                too_large |= abs(float(b3)) * abs(percentage) >= SAFE
                amount = div_half_up(b3 * percentage, PERCENT_DENOMINATOR)
                sides[s, MAX, i, k] = maximum
                sides[s, FRANCHISE, i, k] = franchise
                sides[s, MIN, i, k] = minimum
                sides[s, PERCENTAGE, i, k] = percentage
                if cumulative:
                    # The period takes the year to date less what the earlier calculated periods took.
                    sides[s, BASE, i, k] = b3 - ytd_b3[s]
                    sides[s, AMOUNT, i, k] = amount - ytd_amount[s]
                    ytd_b3[s], ytd_amount[s] = b3, amount
                else:
                    sides[s, BASE, i, k] = b3
                    sides[s, AMOUNT, i, k] = amount
        if too_large:
            overflow[f] = True


def loaded_from_cache() -> bool:
    """Whether this process loaded the kernel's machine code from numba's cache instead of compiling it."""
    return bool(cast(Any, compute_links).stats.cache_hits)
