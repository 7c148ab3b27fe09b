"""The explanation's figures and the jaarruimte estimate. Expected values computed by hand from the formula
(30% × (premiegrondslag − AOW-franchise) − 6,27 × A) and the 2025 box 1 brackets; the maximum jaarruimte
(€ 35.797,50) is also the figure the source quotes for 2025."""

from __future__ import annotations

import json
from decimal import Decimal

from inleg.platform.app import jaarruimte

D = Decimal


def test_every_figure_has_a_value_a_year_and_a_source_with_an_address() -> None:
    raw = json.loads(jaarruimte.FIGURES.read_text(encoding="utf-8"))["figures"]
    assert {"jaarruimte_percentage", "jaarruimte_aow_franchise", "maximum_premiegrondslag_income"} <= set(raw)
    for key, figure in raw.items():
        assert D(figure["value"]) > 0, key
        assert isinstance(figure["year"], int), key
        assert 2020 <= figure["year"] <= 2100, key
        assert "https://" in figure["source"], key
    loaded = jaarruimte.figures()
    assert loaded["jaarruimte_percentage"].value == D(30)
    assert loaded["jaarruimte_percentage"].year == 2025


def test_the_jaarruimte_by_the_formula() -> None:
    assert jaarruimte.jaarruimte(D(50000)) == (D("31525.00"), D("9457.50"))
    assert jaarruimte.jaarruimte(D(50000), D(1000)) == (D("31525.00"), D("3187.50"))  # 9457,50 − 6,27 × 1000
    assert jaarruimte.jaarruimte(D(200000)) == (D("119325.00"), D("35797.50"))  # capped at 137.800
    assert jaarruimte.jaarruimte(D(15000)) == (D("0.00"), D("0.00"))  # below the franchise
    assert jaarruimte.jaarruimte(D(50000), D(5000))[1] == D("0.00")  # never negative


def test_the_tax_back_counts_each_bracket_the_deduction_crosses() -> None:
    within = jaarruimte.estimate(D(50000), D(3000))
    assert (within.deduction, within.tax_back) == (D("3000.00"), D("1124.40"))  # 3000 × 37,48%
    # 40.000 − 3.000 crosses 38.441: 1.441 × 35,82% + 1.559 × 37,48% = 516,1662 + 584,3132
    crossing = jaarruimte.estimate(D(40000), D(3000))
    assert crossing.tax_back == D("1100.48")
    # More deposited than the jaarruimte: only the jaarruimte is deducted (457,50 × 35,82% = 163,8765).
    capped = jaarruimte.estimate(D(20000), D(3000))
    assert (capped.jaarruimte, capped.deduction, capped.tax_back) == (D("457.50"), D("457.50"), D("163.88"))
