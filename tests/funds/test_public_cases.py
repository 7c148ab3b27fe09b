"""Every public case (tests/funds/public-cases, copied from the project's shared cases) gives exactly its result."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from inleg.funds import calculate_case

HERE = Path(__file__).parent
PUBLIC = HERE / "public-cases"
CASES = sorted(p for p in PUBLIC.glob("*.json") if not p.name.endswith(".expected.json"))


def test_public_cases_are_found() -> None:
    assert len(CASES) >= 6


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.stem)
def test_case_gives_its_expected_result(case: Path) -> None:
    expected = json.loads(case.with_name(f"{case.stem}.expected.json").read_text())
    result = calculate_case(json.loads(case.read_text()))
    for got, want in zip(result["results"], expected["results"], strict=True):
        assert got == want


@pytest.mark.parametrize("engine", ["scalar", "batch"])
def test_both_engines_and_a_period_filter_through_the_json_api(engine: str) -> None:
    case = PUBLIC / "four-weeks.json"
    expected = json.loads(case.with_name("four-weeks.expected.json").read_text())["results"]
    data = json.loads(case.read_text())
    assert calculate_case(data, engine=engine)["results"] == expected
    only = calculate_case(data, engine=engine, periods={5})["results"]
    assert only == [row for row in expected if row["period"] == 5]
