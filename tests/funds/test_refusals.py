"""Section 8 of funds.md: every refusal names the field and the value, and nothing is computed."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from inleg.funds import FundError, calculate_case
from inleg.funds import errors as e
from tests.funds.builders import case, employment, fund, threshold


def _thirty_six_funds() -> dict[str, Any]:
    return case([fund(number=n) for n in range(1, 36)] + [fund(number=35)])


def _with(path: list[Any], value: Any, data: dict[str, Any] | None = None) -> dict[str, Any]:
    data = data or case()
    target = data
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return data


REFUSALS = [
    (
        "unknown unit",
        _with(["funds", 0, "premium", "max_base"], threshold("100.00", "week")),
        e.UnknownChoice,
        "funds[0].premium.max_base.unit",
        "'week'",
    ),
    (
        "percentage with 5 decimals",
        _with(["funds", 0, "total", "percentage"], "12.00071"),
        e.TooManyDecimals,
        "funds[0].total.percentage",
        "'12.00071'",
    ),
    (
        "negative threshold",
        _with(["funds", 0, "premium", "franchise"], threshold("-1.00")),
        e.OutOfRange,
        "funds[0].premium.franchise.amount",
        "'-1.00'",
    ),
    (
        "overlapping table rows",
        case(
            [
                fund(
                    percentage_kind="age",
                    percentage_table=[
                        {"from": 21, "to": 40, "premium": "1.0000", "total": "2.0000"},
                        {"from": 35, "to": 50, "premium": "1.0000", "total": "2.0000"},
                    ],
                )
            ]
        ),
        e.OverlappingTable,
        "funds[0].percentage_table[1]",
        "'35..50'",
    ),
    (
        "257 as fixed data",
        _with(["funds", 0, "base"], [{"component": 257, "origin": "fixed"}]),
        e.ConflictingSettings,
        "funds[0].base[0].origin",
        "'fixed'",
    ),
    (
        "end date before hire date",
        case(employments=[employment(hire_date="2024-05-01", end_date="2024-04-30")]),
        e.InconsistentDates,
        "employments[0].end_date",
        "'2024-04-30'",
    ),
    ("fund number 0", case([fund(number=0)], [employment(funds=[])]), e.OutOfRange, "funds[0].number", "0"),
    ("fund number 36", case([fund(number=36)], [employment(funds=[])]), e.OutOfRange, "funds[0].number", "36"),
    (
        "deviation and fixed contribution",
        case(
            employments=[
                employment(
                    funds=[
                        {
                            "number": 1,
                            "deviation": {"premium": "1.0000", "total": "2.0000"},
                            "fixed_contribution": {"premium": "1.00", "total": "2.00"},
                        }
                    ]
                )
            ]
        ),
        e.ConflictingSettings,
        "employments[0].funds[0].fixed_contribution",
        "'premium'",
    ),
    (
        "norm of 0 hours with an hour unit",
        case(
            [fund(premium={"percentage": "1.0000", "franchise": threshold("9.24", "hour")})],
            [employment(norm_hours_per_week="0")],
        ),
        e.NormHoursRequired,
        "employments[0].norm_hours_per_week",
        "'0'",
    ),
    (
        "norm of 0 hours with the hours recalculation",
        case(
            [fund(recalc_unit="hours", total={"percentage": "1.0000", "max_base": threshold("5000.00")})],
            [employment(norm_hours_per_week="0.00")],
        ),
        e.NormHoursRequired,
        "employments[0].norm_hours_per_week",
        "'0.00'",
    ),
    (
        "a period's norm of 0 hours with an hour unit",
        case(
            [fund(premium={"percentage": "1.0000", "franchise": threshold("9.24", "hour")})],
            [
                employment(
                    periods=[
                        {"period": 1, "components": {}},
                        {"period": 7, "components": {}, "norm_hours_per_week": "0.0"},
                    ]
                )
            ],
        ),
        e.NormHoursRequired,
        "employments[0].periods[1].norm_hours_per_week",
        "'0.0'",
    ),
    (
        "a period's part-time factor with 5 decimals",
        case(employments=[employment(periods=[{"period": 3, "components": {}, "part_time_factor": "0.50001"}])]),
        e.TooManyDecimals,
        "employments[0].periods[0].part_time_factor",
        "'0.50001'",
    ),
    (
        "a negative part-time factor of a period",
        case(employments=[employment(periods=[{"period": 3, "components": {}, "part_time_factor": "-0.5000"}])]),
        e.OutOfRange,
        "employments[0].periods[0].part_time_factor",
        "'-0.5000'",
    ),
    (
        "a period's norm hours as a float",
        case(employments=[employment(periods=[{"period": 3, "components": {}, "norm_hours_per_week": 38.5}])]),
        e.WrongType,
        "employments[0].periods[0].norm_hours_per_week",
        "38.5",
    ),
    (
        "a period's fixed data with 3 decimals",
        case(employments=[employment(periods=[{"period": 3, "components": {}, "fixed": {"10": "3000.001"}}])]),
        e.TooManyDecimals,
        "employments[0].periods[0].fixed.10",
        "'3000.001'",
    ),
    (
        "a period's fixed data that is no map",
        case(employments=[employment(periods=[{"period": 3, "components": {}, "fixed": ["10", "3000.00"]}])]),
        e.WrongType,
        "employments[0].periods[0].fixed",
        "['10', '3000.00']",
    ),
    (
        "a period's fixed data on component 1000",
        case(employments=[employment(periods=[{"period": 3, "components": {}, "fixed": {"1000": "1.00"}}])]),
        e.OutOfRange,
        "employments[0].periods[0].fixed",
        "'1000'",
    ),
    ("a 36th fund", _thirty_six_funds(), e.TooManyFunds, "funds[35]", "36"),
    ("a missing field", _with(["funds", 0], {"number": 1}), e.MissingField, "funds[0].name", "None"),
    (
        "an unknown preset",
        case([{"number": 1, "preset": "abp-2099", "base": []}]),
        e.UnknownReference,
        "funds[0].preset",
        "'abp-2099'",
    ),
    (
        "a float for money",
        _with(["employments", 0, "periods", 0, "components", "10"], 3000.5),
        e.WrongType,
        "employments[0].periods[0].components.10",
        "3000.5",
    ),
    (
        "a linked fund the case does not define",
        case(employments=[employment(funds=[{"number": 9}])]),
        e.UnknownReference,
        "employments[0].funds[0].number",
        "9",
    ),
    (
        "a period outside the year",
        _with(["employments", 0, "periods", 0, "period"], 13),
        e.OutOfRange,
        "employments[0].periods[0].period",
        "13",
    ),
]


@pytest.mark.parametrize(("why", "data", "error", "field", "value"), REFUSALS, ids=[r[0] for r in REFUSALS])
def test_refusal_names_field_and_value(why: str, data: dict[str, Any], error: type, field: str, value: str) -> None:
    with pytest.raises(error) as raised:
        calculate_case(data)
    assert isinstance(raised.value, FundError)
    assert raised.value.field == field
    message = str(raised.value)
    assert message.startswith(f"{field}: ")
    assert value in message


def test_35_funds_are_allowed() -> None:
    data = case([fund(number=n) for n in range(1, 36)], [employment(funds=[{"number": 35}])])
    assert len(calculate_case(data)["results"]) == 12


def test_cli_refusal_goes_to_stderr_with_exit_2_and_nothing_on_stdout(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(REFUSALS[0][1]))
    done = subprocess.run(
        [sys.executable, "-m", "inleg.cli", "funds", "calc", str(path)], capture_output=True, text=True
    )
    assert done.returncode == 2
    assert done.stdout == ""
    assert "funds[0].premium.max_base.unit" in done.stderr
    assert "'week'" in done.stderr


def test_cli_refuses_broken_json_with_its_position(tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text('{"year": 2024,\n "frequency": }')
    done = subprocess.run(
        [sys.executable, "-m", "inleg.cli", "funds", "calc", str(path)], capture_output=True, text=True
    )
    assert (done.returncode, done.stdout) == (2, "")
    assert "line 2" in done.stderr


@pytest.mark.parametrize("command", [["calc"], ["bulk"]])
def test_cli_names_a_case_file_it_cannot_read(tmp_path: Path, command: list[str]) -> None:
    missing = tmp_path / "missing.json"
    extra = [str(tmp_path / "out.npz")] if command == ["bulk"] else []
    done = subprocess.run(
        [sys.executable, "-m", "inleg.cli", "funds", *command, str(missing), *extra], capture_output=True, text=True
    )
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == f"inleg: {missing}: cannot read the case (No such file or directory)\n"


def test_cli_prints_the_result_json_and_a_table(tmp_path: Path) -> None:
    path = tmp_path / "case.json"
    path.write_text(json.dumps(case()))
    done = subprocess.run(
        [sys.executable, "-m", "inleg.cli", "funds", "calc", str(path)], capture_output=True, text=True
    )
    assert done.returncode == 0
    assert json.loads(done.stdout)["results"][0]["premium"]["amount"] == "300.00"
    table = subprocess.run(
        [sys.executable, "-m", "inleg.cli", "funds", "calc", str(path), "--format", "table"],
        capture_output=True,
        text=True,
    )
    assert table.returncode == 0
    assert "Afdracht" in table.stdout
    assert "Totaal" in table.stdout
    assert "3600.00" in table.stdout  # 12 months of 300.00 premium


def test_cli_lists_presets_and_a_case_may_use_one(tmp_path: Path) -> None:
    listing = subprocess.run([sys.executable, "-m", "inleg.cli", "funds", "presets"], capture_output=True, text=True)
    assert "pfzw-op-2024" in listing.stdout
    data = case([{"number": 3, "preset": "pfzw-op-2024", "base": [{"component": 10, "origin": "calculated"}]}])
    data["employments"][0]["funds"] = [{"number": 3}]
    # PFZW 2024: (3,000 - 15,816 / 12) x 25.8 % = (3,000 - 1,318.00) x 0.258 = 433.96
    row = calculate_case(data)["results"][0]
    assert (row["total"]["franchise"], row["total"]["amount"]) == ("1318.00", "433.96")
