"""The bulk (columnar) input gives the same results as the JSON case, and refuses what the case format refuses.

Every check names the column, the row (and period) and the value; nothing is computed when one fails.
"""

from __future__ import annotations

import io
import json
import random
import subprocess
import sys
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from numpy.typing import NDArray

from inleg.funds import FundError, batch, calculate_case, parse_case, scalar
from inleg.funds import errors as e
from inleg.funds.bulk import bulk_of_case, population_of, read_bulk, result_columns, write_bulk, write_results
from inleg.funds.numbers import format_money
from inleg.funds.results import results_json
from tests.funds.builders import case, employment, fund, threshold
from tests.funds.strategies import cases

PUBLIC = Path(__file__).parent / "public-cases"
CASES = sorted(p for p in PUBLIC.glob("*.json") if not p.name.endswith(".expected.json"))
OURS = sorted(p for p in (Path(__file__).parent / "cases").glob("*.json") if not p.name.endswith(".expected.json"))

Arrays = dict[str, NDArray[Any]]


def _through_file(arrays: Arrays) -> Arrays:
    """Bulk arrays written to an .npz and read back, as a payroll would hand them over."""
    buffer = io.BytesIO()
    write_bulk(buffer, arrays)
    buffer.seek(0)
    with np.load(buffer, allow_pickle=False) as archive:
        return {name: archive[name] for name in archive.files}


def _bulk_results(data: dict[str, Any]) -> list[dict[str, Any]]:
    buffer = io.BytesIO()
    write_bulk(buffer, bulk_of_case(data))
    buffer.seek(0)
    return results_json(batch.compute(read_bulk(buffer)).to_rows())["results"]


# --- the same results as the JSON case ---------------------------------------------------------------


@pytest.mark.parametrize(
    "path", CASES + [p for p in OURS if "before" not in json.loads(p.read_text())], ids=lambda p: p.stem
)
def test_a_case_as_bulk_gives_the_case_results(path: Path) -> None:
    data = json.loads(path.read_text())
    expected_file = path.with_name(f"{path.stem}.expected.json")
    expected = calculate_case(data)["results"]
    if path.parent == PUBLIC:
        assert expected == json.loads(expected_file.read_text())["results"]
    assert _bulk_results(data) == expected


@given(cases(), st.randoms(use_true_random=False))
@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
def test_bulk_agrees_with_the_scalar_oracle_on_random_cases(data: dict[str, Any], shuffle: random.Random) -> None:
    expected = scalar.calculate(parse_case(data))
    arrays = bulk_of_case(data)
    order = list(range(arrays["employment_funds.number"].size))
    shuffle.shuffle(order)  # a bulk case's link rows come in any order
    for name in [n for n in arrays if n.startswith("employment_funds.")]:
        arrays[name] = arrays[name][order]
    got = batch.compute(population_of(_through_file(arrays))).to_rows()
    assert got == expected


def test_result_columns_hold_the_result_rows_in_order() -> None:
    data = json.loads((PUBLIC / "four-weeks.json").read_text())
    data["employments"].append(
        {**data["employments"][0], "id": "E9", "funds": list(reversed(data["employments"][0]["funds"]))}
    )
    columns = batch.compute(population_of(bulk_of_case(data)))
    rows = columns.to_rows()
    table = result_columns(columns)
    assert [str(table["employments.id"][i]) for i in table["employment"]] == [r.employment for r in rows]
    assert table["fund"].tolist() == [r.fund for r in rows]
    assert table["period"].tolist() == [r.period for r in rows]
    assert table["participates"].tolist() == [r.participates for r in rows]
    assert table["raw_base"].tolist() == [r.raw_base for r in rows]
    assert table["premium.amount"].tolist() == [r.premium.amount for r in rows]
    assert table["total.franchise"].tolist() == [r.total.franchise for r in rows]
    assert table["employer"].tolist() == [r.employer for r in rows]
    buffer = io.BytesIO()
    write_results(buffer, columns)
    buffer.seek(0)
    with np.load(buffer, allow_pickle=False) as written:
        assert written["employer"].tolist() == [r.employer for r in rows]


def test_links_in_any_order_and_a_later_link_give_the_case_order() -> None:
    data = case(
        [fund(number=1), fund(number=2)],
        [
            employment(
                funds=[
                    {"number": 2},
                    {"number": 1, "start_date": "2024-07-01", "deviation": {"premium": "5.0000", "total": "9.0000"}},
                    {"number": 1, "end_date": "2024-06-30"},
                ]
            ),
            employment(id="E2", funds=[{"number": 1}]),
        ],
    )
    arrays = bulk_of_case(data)
    for name in [n for n in arrays if n.startswith("employment_funds.")]:
        arrays[name] = arrays[name][::-1].copy()
    assert results_json(batch.compute(population_of(arrays)).to_rows())["results"] == calculate_case(data)["results"]


def test_links_of_one_fund_may_follow_each_other_but_not_share_a_day() -> None:
    def two_links(second_start: str) -> dict[str, Any]:
        links = [{"number": 1, "end_date": "2024-04-30"}, {"number": 1, "start_date": second_start}]
        return case(employments=[employment(funds=links)])

    following = two_links("2024-05-01")
    assert _bulk_results(following) == calculate_case(following)["results"]
    with pytest.raises(e.DuplicateEntry) as raised:
        population_of(
            bulk_of_case(following) | {"employment_funds.start_date": np.array(["NaT", "2024-04-30"], "M8[D]")}
        )
    assert (raised.value.field, raised.value.value) == ("employment_funds.start_date[1]", "2024-04-30")


def test_columns_left_out_take_the_case_formats_defaults() -> None:
    data = case(employments=[employment(periods=[{"period": 3, "components": {"10": "3000.00"}}])])
    arrays = bulk_of_case(data)
    for name in [
        "employments.end_date",
        "periods.hours",
        "periods.overtime_hours",
        "periods.unpaid_days",
        "employment_funds.start_date",
        "employment_funds.end_date",
        "employment_funds.has_deviation",
        "employment_funds.deviation.premium",
        "employment_funds.deviation.total",
        "employment_funds.has_fixed_contribution",
        "employment_funds.fixed_contribution.premium",
        "employment_funds.fixed_contribution.total",
    ]:
        del arrays[name]
    assert results_json(batch.compute(population_of(arrays)).to_rows())["results"] == calculate_case(data)["results"]


def test_a_period_s_own_factor_and_norm_travel_through_bulk() -> None:
    # Full time for January-June and half time from July: the bulk carries every period's factor, and a
    # period column left out means every period has the employment's (the first employment has no own values).
    data = case(
        [fund(premium={"percentage": "10.0000", "franchise": threshold("12000.00", part_time=True)})],
        [employment(id="E1", funds=[{"number": 1}])],
    )
    for period in data["employments"][0]["periods"][6:]:
        period["part_time_factor"] = "0.5000"
    arrays = bulk_of_case(data)
    assert arrays["periods.part_time_factor"].tolist() == [[10000] * 6 + [5000] * 6]
    rows = _bulk_results(data)
    assert rows == calculate_case(data)["results"]
    # By hand: the franchise 12000.00 a year is 1000.00 a month at full time, 500.00 at half time; premium
    # 10 % of 3000.00 - 1000.00 = 200.00 in January-June, of 3000.00 - 500.00 = 250.00 from July.
    assert [row["premium"]["amount"] for row in rows] == ["200.00"] * 6 + ["250.00"] * 6


def test_a_period_s_own_fixed_data_travels_through_bulk() -> None:
    # A raise in July written as the sandbox writes it: the employment holds July's fixed data, January-June
    # their own; the bulk carries every period's value per component (a component only one period's map
    # names is 0 in the others), and without periods of their own no periods.fixed column at all.
    fixed_fund = fund(base=[{"component": 10, "origin": "fixed"}])
    data = case(
        [fixed_fund],
        [employment(id="E1", fixed={"10": "3300.00"}), employment(id="E2", fixed={"10": "2000.00"})],
    )
    assert not any(name.startswith("periods.fixed.") for name in bulk_of_case(data))
    for period in data["employments"][0]["periods"][:6]:
        period["fixed"] = {"10": "3000.00", "30": "1.00"}
    arrays = bulk_of_case(data)
    assert arrays["periods.fixed.10"].tolist() == [[300000] * 6 + [330000] * 6, [200000] * 12]
    assert arrays["periods.fixed.30"].tolist() == [[100] * 6 + [0] * 6, [0] * 12]
    rows = _bulk_results(data)
    assert rows == calculate_case(data)["results"]
    # By hand: 10 % of the fixed salary: 300.00 in January-June, 330.00 from July; E2 200.00 all year.
    assert [row["premium"]["amount"] for row in rows] == ["300.00"] * 6 + ["330.00"] * 6 + ["200.00"] * 12


def test_an_employment_without_funds_and_an_empty_bulk() -> None:
    data = case(employments=[employment(funds=[]), employment(id="E2")])
    assert _bulk_results(data) == calculate_case(data)["results"]
    empty = case(employments=[])
    assert _bulk_results(empty) == []


# --- refusals: one per check ---------------------------------------------------------------------------


def _valid() -> Arrays:
    return bulk_of_case(
        case(
            [fund(), fund(number=2, premium={"percentage": "1.0000", "max_base": threshold("40.00", "hour")})],
            [
                employment(funds=[{"number": 1}, {"number": 2}]),
                employment(id="E2", funds=[{"number": 1, "start_date": "2024-03-01"}]),
            ],
        )
    )


def _set(name: str, value: Any) -> Callable[[Arrays], None]:
    def change(arrays: Arrays) -> None:
        arrays[name] = np.asarray(value)

    return change


def _at(name: str, index: tuple[int, ...] | int, value: Any) -> Callable[[Arrays], None]:
    def change(arrays: Arrays) -> None:
        column = arrays[name].copy()
        column[index] = value
        arrays[name] = column

    return change


def _drop(name: str) -> Callable[[Arrays], None]:
    def change(arrays: Arrays) -> None:
        del arrays[name]

    return change


def _both(*changes: Callable[[Arrays], None]) -> Callable[[Arrays], None]:
    def apply(arrays: Arrays) -> None:
        for change in changes:
            change(arrays)

    return apply


def _header(change: Callable[[dict[str, Any]], None]) -> Callable[[Arrays], None]:
    def apply(arrays: Arrays) -> None:
        data = json.loads(str(arrays["case"]))
        change(data)
        arrays["case"] = np.array(json.dumps(data))

    return apply


NAT = np.datetime64("NaT", "D")
REFUSALS: list[tuple[str, Callable[[Arrays], None], type[FundError], str, Any]] = [
    ("no header", _drop("case"), e.MissingField, "case", None),
    ("a header that is not JSON", _set("case", "{year: 2024"), e.WrongType, "case", "{year: 2024"),
    ("a header of bytes", _set("case", np.frombuffer(b"{}", np.uint8)), e.WrongType, "case", "uint8"),
    (
        "the header's rules are the case's",
        _header(lambda d: d["funds"][0]["premium"].update(max_base=threshold("1.00", "week"))),
        e.UnknownChoice,
        "funds[0].premium.max_base.unit",
        "week",
    ),
    ("a header year out of range", _header(lambda d: d.update(year=1800)), e.OutOfRange, "year", 1800),
    (
        "employments in the header",
        _header(lambda d: d.update(employments=[])),
        e.UnknownField,
        "case.employments",
        "...",
    ),
    ("an unknown column", _set("employments.birthdate", np.zeros(2)), e.UnknownField, "employments.birthdate", "..."),
    ("no ids", _drop("employments.id"), e.MissingField, "employments.id", None),
    ("ids that are numbers", _set("employments.id", np.array([1, 2])), e.WrongType, "employments.id", "int64"),
    ("the same id twice", _at("employments.id", 1, "E1"), e.DuplicateEntry, "employments.id[1]", "E1"),
    ("no birth dates", _drop("employments.birth_date"), e.MissingField, "employments.birth_date", None),
    ("a missing birth date", _at("employments.birth_date", 1, NAT), e.MissingField, "employments.birth_date[1]", None),
    (
        "dates as text",
        _set("employments.hire_date", np.array(["2015-01-01", "2015-01-01"])),
        e.WrongType,
        "employments.hire_date",
        "<U10",
    ),
    (
        "a date beyond year 9999",
        _at("employments.hire_date", 0, np.datetime64("10000-01-01")),
        e.OutOfRange,
        "employments.hire_date[0]",
        "10000-01-01",
    ),
    (
        "an end before the hire date",
        _at("employments.end_date", 1, np.datetime64("2014-12-31")),
        e.InconsistentDates,
        "employments.end_date[1]",
        "2014-12-31",
    ),
    (
        "a column of the wrong length",
        _set("employments.part_time_factor", np.array([10000])),
        e.WrongType,
        "employments.part_time_factor",
        "shape (1,)",
    ),
    (
        "a factor as a float",
        _set("employments.part_time_factor", np.array([1.0, 1.0])),
        e.WrongType,
        "employments.part_time_factor",
        "float64",
    ),
    (
        "a negative factor",
        _at("employments.part_time_factor", 1, -1),
        e.OutOfRange,
        "employments.part_time_factor[1]",
        -1,
    ),
    (
        "a factor beyond int64",
        _set("employments.part_time_factor", np.array([1, 2**63], np.uint64)),
        e.OutOfRange,
        "employments.part_time_factor[1]",
        2**63,
    ),
    (
        "no norm hours",
        _drop("employments.norm_hours_per_week"),
        e.MissingField,
        "employments.norm_hours_per_week",
        None,
    ),
    (
        "a norm of 0 where a fund divides by it",
        _at("employments.norm_hours_per_week", 0, 0),
        e.NormHoursRequired,
        "employments.norm_hours_per_week[0]",
        0,
    ),
    (
        "a period's own norm of 0 where a fund divides by it",
        _both(
            _set("periods.norm_hours_per_week", np.full((2, 12), 400000, np.int64)),
            _set("periods.part_time_factor", np.full((2, 12), 10000, np.int64)),
            _at("periods.norm_hours_per_week", (0, 6), 0),
        ),
        e.NormHoursRequired,
        "periods.norm_hours_per_week[0, period 7]",
        0,
    ),
    (
        "a period's part-time factor below 0",
        _set("periods.part_time_factor", np.full((2, 12), -1, np.int64)),
        e.OutOfRange,
        "periods.part_time_factor[0, period 1]",
        -1,
    ),
    (
        "an employment's fixed value without its periods column where periods carry their own",
        _both(
            _set("employments.fixed.10", np.array([300000, 0], np.int64)),
            _set("periods.fixed.30", np.zeros((2, 12), np.int64)),
        ),
        e.MissingField,
        "periods.fixed.10",
        None,
    ),
    (
        "a period's fixed values for one period each",
        _set("periods.fixed.10", np.zeros(2, np.int64)),
        e.WrongType,
        "periods.fixed.10",
        "shape (2,)",
    ),
    (
        "a component number beyond 999",
        _set("employments.fixed.1000", np.zeros(2, np.int64)),
        e.OutOfRange,
        "employments.fixed.1000",
        "1000",
    ),
    (
        "a component that is no number",
        _set("periods.components.salaris", np.zeros((2, 12), np.int64)),
        e.OutOfRange,
        "periods.components.salaris",
        "salaris",
    ),
    (
        "a period column of one period too few",
        _set("periods.components.10", np.zeros((2, 11), np.int64)),
        e.WrongType,
        "periods.components.10",
        "shape (2, 11)",
    ),
    (
        "an amount as a float",
        _set("periods.components.10", np.zeros((2, 12))),
        e.WrongType,
        "periods.components.10",
        "float64",
    ),
    ("negative hours", _at("periods.hours", (1, 2), -100), e.OutOfRange, "periods.hours[1, period 3]", -100),
    (
        "negative overtime",
        _at("periods.overtime_hours", (0, 11), -1),
        e.OutOfRange,
        "periods.overtime_hours[0, period 12]",
        -1,
    ),
    (
        "negative unpaid days",
        _at("periods.unpaid_days", (0, 0), -2),
        e.OutOfRange,
        "periods.unpaid_days[0, period 1]",
        -2,
    ),
    ("no fund numbers", _drop("employment_funds.number"), e.MissingField, "employment_funds.number", None),
    ("no link employments", _drop("employment_funds.employment"), e.MissingField, "employment_funds.employment", None),
    (
        "a link to no employment",
        _at("employment_funds.employment", 2, 2),
        e.UnknownReference,
        "employment_funds.employment[2]",
        2,
    ),
    ("a fund number beyond 35", _at("employment_funds.number", 0, 36), e.OutOfRange, "employment_funds.number[0]", 36),
    ("a fund number 0", _at("employment_funds.number", 1, 0), e.OutOfRange, "employment_funds.number[1]", 0),
    (
        "a fund the case lacks",
        _at("employment_funds.number", 2, 7),
        e.UnknownReference,
        "employment_funds.number[2]",
        7,
    ),
    (
        "a link ending before it starts",
        _at("employment_funds.end_date", 2, np.datetime64("2024-02-01")),
        e.InconsistentDates,
        "employment_funds.end_date[2]",
        "2024-02-01",
    ),
    (
        "a deviation and a fixed contribution",
        _both(_at("employment_funds.has_deviation", 0, True), _at("employment_funds.has_fixed_contribution", 0, True)),
        e.ConflictingSettings,
        "employment_funds.has_fixed_contribution[0]",
        True,
    ),
    (
        "a deviation value without its flag",
        _at("employment_funds.deviation.total", 1, 50000),
        e.ConflictingSettings,
        "employment_funds.deviation.total[1]",
        50000,
    ),
    (
        "a flag without its values",
        _drop("employment_funds.fixed_contribution.total"),
        e.MissingField,
        "employment_funds.fixed_contribution.total",
        None,
    ),
    (
        "a negative fixed contribution",
        _at("employment_funds.fixed_contribution.premium", 1, -500),
        e.OutOfRange,
        "employment_funds.fixed_contribution.premium[1]",
        -500,
    ),
    (
        "a flag that is no bool",
        _set("employment_funds.has_deviation", np.zeros(3, np.int64)),
        e.WrongType,
        "employment_funds.has_deviation",
        "int64",
    ),
    (
        "one fund linked twice on overlapping dates",
        _both(_at("employment_funds.number", 1, 1), _at("employment_funds.start_date", 1, np.datetime64("2024-06-01"))),
        e.DuplicateEntry,
        "employment_funds.start_date[1]",
        "2024-06-01",
    ),
]


@pytest.mark.parametrize(("change", "error", "field", "value"), [r[1:] for r in REFUSALS], ids=[r[0] for r in REFUSALS])
def test_a_bulk_refusal_names_the_column_row_and_value(
    change: Callable[[Arrays], None], error: type[FundError], field: str, value: Any
) -> None:
    arrays = _valid()
    population_of(arrays)  # valid as built
    change(arrays)
    with pytest.raises(error) as raised:
        population_of(arrays)
    assert raised.value.field == field
    assert raised.value.value == value


def test_a_file_that_is_no_bulk_case_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "payroll.npz"
    path.write_bytes(b"employment;fund\nE1;1\n")
    with pytest.raises(e.WrongType) as raised:
        read_bulk(path)
    assert raised.value.field == "bulk"
    one_array = tmp_path / "hours.npy"
    np.save(one_array, np.zeros((2, 12), np.int64))
    with pytest.raises(e.WrongType, match=r"expected an \.npz of named arrays"):
        read_bulk(one_array)


def test_an_array_that_needs_pickle_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "payroll.npz"
    np.savez(path, **{**_valid(), "employments.id": np.array(["E1", None], dtype=object)})
    with pytest.raises(e.WrongType) as raised:
        read_bulk(path)
    assert raised.value.field == "bulk"


def _inleg(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "inleg.cli", "funds", *args], capture_output=True, text=True)


def test_the_command_writes_a_bulk_case_and_computes_it_into_result_columns(tmp_path: Path) -> None:
    source = PUBLIC / "monthly-basic.json"
    bulk, results = tmp_path / "payroll.npz", tmp_path / "results.npz"
    assert _inleg("bulk", str(source), str(bulk)).returncode == 0
    done = _inleg("calc-bulk", str(bulk), str(results))
    assert done.returncode == 0, done.stderr
    expected = json.loads(source.with_name("monthly-basic.expected.json").read_text())["results"]
    with np.load(results, allow_pickle=False) as written:
        assert [format_money(int(c)) for c in written["premium.amount"]] == [r["premium"]["amount"] for r in expected]
        assert written["period"].tolist() == [r["period"] for r in expected]
    premium = sum(Decimal(r["premium"]["amount"]) for r in expected)
    assert f"premie {premium:.2f}" in done.stdout


def test_the_command_refuses_a_bad_bulk_case_with_exit_2(tmp_path: Path) -> None:
    bulk = tmp_path / "payroll.npz"
    write_bulk(bulk, _valid() | {"periods.hours": np.full((2, 12), -1, np.int64)})
    done = _inleg("calc-bulk", str(bulk), str(tmp_path / "results.npz"))
    assert (done.returncode, done.stdout) == (2, "")
    assert "periods.hours[0, period 1]: must not be negative (value: -1)" in done.stderr
    assert not (tmp_path / "results.npz").exists()


def test_columns_in_fortran_order_or_narrower_integers_are_read_as_the_engine_needs() -> None:
    data = json.loads((PUBLIC / "four-weeks.json").read_text())
    arrays = bulk_of_case(data)
    arrays["periods.hours"] = np.asfortranarray(arrays["periods.hours"])
    arrays["periods.unpaid_days"] = arrays["periods.unpaid_days"].astype(np.uint8)
    population = population_of(_through_file(arrays))
    assert population.hours.flags.c_contiguous
    assert population.unpaid.dtype == np.int64
    assert results_json(batch.compute(population).to_rows())["results"] == calculate_case(data)["results"]
