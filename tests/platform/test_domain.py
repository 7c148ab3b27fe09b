"""The framework-free rules: which rights are missing, which component is recognised, what a sync changes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pytest

from inleg.platform.domain.components import (
    Choice,
    Fit,
    How,
    Purpose,
    Reason,
    Refused,
    Unknown,
    Verdict,
    judge,
    pick,
    recognise,
    suitable,
)
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
    """A catalogue entry: category and deductionOrPayment keys as the official description numbers them."""

    key: int
    description: str
    category_key: int | None = 7
    deduction_or_payment_key: int | None = 2


# The sandbox's catalogue (src/inleg/sandbox/seed.py), written out by hand from the description's numbers.
HOURS = C(1, "Uren gewerkt", 1, None)
SALARY = C(10, "Salaris", 2, 2)
GROSS = C(257, "BRUTO", 50, None)
TRAVEL = C(711, "Reiskosten", 9, 2)  # Netto vergoeding
STAFF = C(820, "Inh. personeel", 12, 1)  # Bruto inhouding
FUND = C(601, "Prem. fonds 1", 40, 1)
PENSIFY = C(751, "Pensify Inleg", 7, 2)  # Bruto vergoeding volgens tabel, a payment
NET = C(831, "Netto inleg", 13, 1)  # Netto inhouding
CATALOGUE = [HOURS, SALARY, GROSS, TRAVEL, STAFF, FUND, PENSIFY, NET]
GROSS_PURPOSE, NET_PURPOSE = Purpose.EMPLOYER_GROSS, Purpose.EMPLOYEE_NET


def test_pensify_inleg_is_recognised_by_name_ignoring_case_and_spaces() -> None:
    choice = recognise(CATALOGUE, "  pensify   INLEG ", GROSS_PURPOSE)
    assert choice is not None
    assert (choice.key, choice.how) == (751, How.AUTOMATIC)
    net = recognise(CATALOGUE, "Netto inleg", NET_PURPOSE)
    assert net is not None
    assert net.key == 831


def test_no_recognition_without_the_name_when_ambiguous_or_of_the_wrong_kind() -> None:
    assert recognise([SALARY], "Pensify Inleg", GROSS_PURPOSE) is None
    assert recognise([PENSIFY, C(752, "Pensify inleg")], "Pensify Inleg", GROSS_PURPOSE) is None
    assert recognise([C(751, "Pensify Inleg", 7, None)], "Pensify Inleg", GROSS_PURPOSE) is None  # no fixed value
    # The name does not make a salary, a deduction or a net payment into the gross contribution.
    assert recognise([C(10, "Pensify Inleg", 2, 2)], "Pensify Inleg", GROSS_PURPOSE) is None
    assert recognise([C(822, "Pensify Inleg", 12, 1)], "Pensify Inleg", GROSS_PURPOSE) is None
    assert recognise([C(901, "Pensify Inleg", 9, 2)], "Pensify Inleg", GROSS_PURPOSE) is None
    assert recognise([PENSIFY], "Pensify Inleg", NET_PURPOSE) is None  # a payment is not the net deduction


def test_only_what_suits_the_purpose_is_offered() -> None:
    assert [c.key for c in suitable(CATALOGUE, GROSS_PURPOSE)] == [751]
    assert [c.key for c in suitable(CATALOGUE, NET_PURPOSE)] == [831]
    assert suitable([HOURS, SALARY, GROSS, TRAVEL, STAFF, FUND], GROSS_PURPOSE) == []  # nothing to preselect


@pytest.mark.parametrize(
    ("component", "purpose", "fit", "reason"),
    [
        (PENSIFY, GROSS_PURPOSE, Fit.SUITABLE, Reason.FITS),
        (NET, NET_PURPOSE, Fit.SUITABLE, Reason.FITS),
        (SALARY, GROSS_PURPOSE, Fit.WRONG, Reason.NOT_A_BENEFIT),
        (SALARY, NET_PURPOSE, Fit.WRONG, Reason.NOT_A_BENEFIT),
        (FUND, NET_PURPOSE, Fit.WRONG, Reason.NOT_A_BENEFIT),
        (HOURS, GROSS_PURPOSE, Fit.WRONG, Reason.NO_FIXED_VALUE),
        (GROSS, NET_PURPOSE, Fit.WRONG, Reason.NO_FIXED_VALUE),
        (NET, GROSS_PURPOSE, Fit.WRONG, Reason.WRONG_DIRECTION),
        (PENSIFY, NET_PURPOSE, Fit.WRONG, Reason.WRONG_DIRECTION),
        (TRAVEL, GROSS_PURPOSE, Fit.UNUSUAL, Reason.OTHER_CATEGORY),  # a net payment: paid net, not gross
        (STAFF, NET_PURPOSE, Fit.UNUSUAL, Reason.OTHER_CATEGORY),  # a gross deduction
        (C(900, "Zonder categorie", None, 2), GROSS_PURPOSE, Fit.UNUSUAL, Reason.OTHER_CATEGORY),
    ],
)
def test_judge_by_category_and_direction(component: C, purpose: Purpose, fit: Fit, reason: Reason) -> None:
    assert judge(component, purpose) == Verdict(fit, reason)


def test_a_pick_of_a_suitable_free_component_is_taken() -> None:
    assert pick(CATALOGUE, 751, GROSS_PURPOSE) == Choice(751, "Pensify Inleg", How.MANUAL)


@pytest.mark.parametrize(
    ("key", "purpose", "reason"),
    [
        (10, GROSS_PURPOSE, Reason.NOT_A_BENEFIT),  # the salary: contributions written onto the salary
        (257, GROSS_PURPOSE, Reason.NO_FIXED_VALUE),
        (831, GROSS_PURPOSE, Reason.WRONG_DIRECTION),
        (711, GROSS_PURPOSE, Reason.UNCONFIRMED),  # unusual: only when confirmed
        (820, NET_PURPOSE, Reason.UNCONFIRMED),
    ],
)
def test_a_pick_of_the_wrong_kind_is_refused(key: int, purpose: Purpose, reason: Reason) -> None:
    with pytest.raises(Refused) as refused:
        pick(CATALOGUE, key, purpose)
    assert (refused.value.key, refused.value.reason) == (key, reason)


def test_confirmation_takes_an_unusual_component_but_never_a_wrong_one() -> None:
    assert pick(CATALOGUE, 711, GROSS_PURPOSE, confirmed=True).key == 711
    with pytest.raises(Refused) as refused:
        pick(CATALOGUE, 10, GROSS_PURPOSE, confirmed=True)
    assert refused.value.reason == Reason.NOT_A_BENEFIT


def test_a_component_holding_other_values_is_refused_with_their_number_even_when_confirmed() -> None:
    with pytest.raises(Refused) as refused:
        pick(CATALOGUE, 751, GROSS_PURPOSE, in_use=3)
    assert (refused.value.reason, refused.value.in_use) == (Reason.IN_USE, 3)
    with pytest.raises(Refused):
        pick(CATALOGUE, 711, GROSS_PURPOSE, in_use=1, confirmed=True)


def test_one_component_cannot_serve_both_purposes() -> None:
    with pytest.raises(Refused) as refused:
        pick(CATALOGUE, 711, GROSS_PURPOSE, confirmed=True, other_key=711)
    assert refused.value.reason == Reason.OTHER_PURPOSE


def test_a_key_not_in_the_catalogue_is_unknown() -> None:
    with pytest.raises(Unknown, match="component: 999 is not a component"):
        pick(CATALOGUE, 999, GROSS_PURPOSE)


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
