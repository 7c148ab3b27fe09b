"""The framework-free rules: which rights are missing, which component is recognised, what a sync changes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pytest

from inleg.platform.domain.components import How, eligible, pick, recognise
from inleg.platform.domain.rights import REQUIRED_RIGHTS, missing_rights
from inleg.platform.domain.sync import FieldChange, diff


def all_activities() -> set[str]:
    return {a for activities in REQUIRED_RIGHTS.values() for a in activities}


def test_the_five_rights_of_the_seed_in_its_order() -> None:
    assert list(REQUIRED_RIGHTS) == [
        "Beheer beloningen",
        "Beheer vaste gegevens salarisadministratie",
        "Raadplegen dienstverbanden",
        "Raadplegen beloningen",
        "Raadplegen HRM-gegevens",
    ]


def test_no_right_missing_when_every_activity_is_held_whatever_the_capitals() -> None:
    assert missing_rights(a.upper() for a in all_activities()) == []


def test_one_missing_activity_names_its_right() -> None:
    held = all_activities() - {"PutBenefitsAndDeductionsByBenefitsAndDeductionsId"}
    assert missing_rights(held) == ["Beheer beloningen"]


def test_nothing_held_names_all_five() -> None:
    assert missing_rights([]) == list(REQUIRED_RIGHTS)


@dataclass(frozen=True)
class C:
    key: int
    description: str
    can_hold_fixed_value: bool = True


CATALOGUE = [C(257, "BRUTO", False), C(10, "Salaris"), C(751, "Pensify Inleg"), C(831, "Netto inleg")]


def test_pensify_inleg_is_recognised_by_name_ignoring_case_and_spaces() -> None:
    choice = recognise(CATALOGUE, "  pensify   INLEG ")
    assert choice is not None
    assert (choice.key, choice.how) == (751, How.AUTOMATIC)


def test_no_recognition_without_the_name_or_when_it_is_ambiguous() -> None:
    assert recognise([C(10, "Salaris")], "Pensify Inleg") is None
    assert recognise([C(751, "Pensify Inleg"), C(752, "Pensify inleg")], "Pensify Inleg") is None
    assert recognise([C(751, "Pensify Inleg", False)], "Pensify Inleg") is None  # cannot hold a fixed value


def test_a_pick_must_be_an_eligible_component() -> None:
    assert [c.key for c in eligible(CATALOGUE)] == [10, 751, 831]
    assert pick(CATALOGUE, 831).how == How.MANUAL
    with pytest.raises(ValueError, match="component: 257 is not a component"):
        pick(CATALOGUE, 257)


def test_diff_sees_created_updated_unchanged_and_leavers() -> None:
    stored = {"a": {"end_date": None, "salary": Decimal("3000.00")}, "b": {"end_date": None, "salary": None}}
    incoming = {
        "a": {"end_date": date(2026, 10, 31), "salary": Decimal("3000.00")},
        "b": {"end_date": None, "salary": None},
        "c": {"end_date": None, "salary": Decimal("2500.00")},
    }
    result = diff(stored, incoming)
    assert result.created == ["c"]
    assert result.updated == {"a": [FieldChange("end_date", None, date(2026, 10, 31))]}
    assert result.unchanged == 1
    assert result.leavers() == ["a"]
    assert result.gone == []  # not a complete list: nothing can be called gone


def test_a_complete_list_reports_what_is_gone_and_the_same_data_changes_nothing() -> None:
    stored = {"a": {"x": 1}, "b": {"x": 2}}
    assert diff(stored, {"a": {"x": 1}}, complete=True).gone == ["b"]
    again = diff(stored, dict(stored))
    assert (again.created, again.updated, again.gone, again.unchanged) == ([], {}, [], 2)
