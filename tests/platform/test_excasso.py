"""The excasso reference as the platform reads it, checked against the example of docs/excasso-reference.md.

A pure test (no database, no Django), run in the platform's session.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from inleg.platform.domain.excasso import (
    END_TO_END_ID_MAX,
    ExcassoReference,
    MalformedReference,
    parse_reference,
    reference_of_payment,
)

DOC = Path(__file__).resolve().parents[2] / "docs" / "excasso-reference.md"


def documented_example() -> dict[str, str]:
    """The ``name: value`` lines of the text block under "## Example" in the document."""
    text = DOC.read_text(encoding="utf-8")
    block = re.search(r"^## Example\n.*?^```text\n(.*?)^```", text, re.DOTALL | re.MULTILINE)
    assert block, f"{DOC}: no text block under '## Example'"
    return dict(line.split(": ", 1) for line in block.group(1).splitlines() if line.strip())


def test_the_documented_example_reads_as_documented() -> None:
    example = documented_example()
    expected = ExcassoReference(
        employer_number=int(example["employer number"]),
        employee_number=int(example["employee number"]),
        payroll_id=int(example["payroll id"]),
        year=int(example["year"]),
        period=int(example["period"]),
    )
    assert parse_reference(example["EndToEndId"]) == expected
    assert expected.format() == example["EndToEndId"]
    assert reference_of_payment(example["EndToEndId"], example["Ustrd"]) == expected
    assert reference_of_payment(None, example["Ustrd"]) == expected  # a bank that dropped the EndToEndId
    assert reference_of_payment("NOTPROVIDED", example["Ustrd"]) == expected
    assert reference_of_payment(example["EndToEndId"], None) == expected
    assert len(example["EndToEndId"]) <= 35
    assert len(example["Ustrd"]) <= 140
    assert expected.payroll_period_id == int(example["year"]) * 100 + int(example["period"])


@pytest.mark.parametrize(
    ("end_to_end_id", "remittance", "reason"),
    [
        (None, None, "neither"),
        ("NOTPROVIDED", "", "neither"),
        ("20001-17-23-202511", None, "not of the form"),  # the sandbox's reference before this contract
        ("PI1-20001-17-23-2025-11", None, "not of the form"),
        ("PI1-20001-017-23-202511", None, "not of the form"),  # a leading zero: not the number Loket wrote
        ("PI1-20001-0-23-202511", None, "not of the form"),
        ("PI1-20001-17-23-202500", None, "period: 0"),
        ("PI1-20001-17-23-202554", None, "period: 54"),
        ("PI1-20001-17-23-189912", None, "year: 1899"),
        ("PI2-20001-17-23-202511", None, "not of the form"),  # a later format: not read as this one
        ("PI1-20001-17-23-202511", "PI1-20001-17-24-202511 Pensioeninleg", "the Ustrd PI1-20001-17-24-202511"),
        ("PI1-20001-17-23-202511", "Pensioeninleg werkgever 20001", "not of the form"),
        ("PI1-1234567890-1234567890-123-202511", None, "longer than 35"),
        ("PI1-1234567-1234567-123456789-202511", None, "longer than 35"),
        ("PI1-20001-17-23-202511 extra", None, "not of the form"),
    ],
)
def test_a_malformed_reference_is_refused_with_the_reason(
    end_to_end_id: str | None, remittance: str | None, reason: str
) -> None:
    with pytest.raises(MalformedReference) as refused:
        reference_of_payment(end_to_end_id, remittance)
    assert reason in refused.value.reason


def test_capitals_and_surrounding_spaces_do_not_matter() -> None:
    assert parse_reference(" pi1-20001-17-23-202511 ") == ExcassoReference(20001, 17, 23, 2025, 11)


def test_a_reference_that_does_not_fit_cannot_be_made() -> None:
    with pytest.raises(ValueError, match="22 digits"):
        ExcassoReference(1234567, 1234567, 123456789, 2025, 1)  # 23 digits: 36 characters
    assert len(ExcassoReference(1234567, 1234567, 12345678, 2025, 1).format()) == END_TO_END_ID_MAX  # 22 digits
    with pytest.raises(ValueError, match="employee_number"):
        ExcassoReference(20001, 0, 23, 2025, 1)


# Numbers up to 7, 7 and 8 digits: together the 22 that fit in an EndToEndId (larger ones are refused above).
references = st.builds(
    ExcassoReference,
    employer_number=st.integers(1, 9_999_999),
    employee_number=st.integers(1, 9_999_999),
    payroll_id=st.integers(1, 99_999_999),
    year=st.integers(1900, 2100),
    period=st.integers(1, 53),
)


@given(references)
def test_format_then_parse_gives_the_reference_back(reference: ExcassoReference) -> None:
    token = reference.format()
    assert len(token) <= END_TO_END_ID_MAX
    assert re.fullmatch(r"[A-Z0-9-]+", token)  # no slash, nothing a bank would change
    assert parse_reference(token) == reference
    words = f"{token} Pensioeninleg werkgever {reference.employer_number} periode {reference.year}"
    assert reference_of_payment(token, words) == reference


@given(
    st.from_regex(
        r"PI1-[1-9][0-9]{0,6}-[1-9][0-9]{0,6}-[1-9][0-9]{0,6}-(19|20)[0-9]{2}(0[1-9]|[1-4][0-9]|5[0-3])", fullmatch=True
    )
)
def test_every_token_that_reads_is_written_back_the_same(token: str) -> None:
    assert parse_reference(token).format() == token  # the one way to write a reference: no two tokens per payment
