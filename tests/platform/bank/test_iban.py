"""The IBAN check: known IBANs pass, and mod-97 catches every changed digit and every swap of two neighbouring digits.

(Not every changed letter: a letter counts as two digits, so a letter turned into a digit can, rarely, keep the
remainder. The standard promises the guarantee for digits, and so does this test.)"""

from __future__ import annotations

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from inleg.platform.domain.bank.iban import LENGTHS, Iban, InvalidIban, check_digits

ALPHANUMERIC = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


@pytest.mark.parametrize(
    "text",
    [
        "NL91ABNA0417164300",
        "NL17INGB6893485813",
        "DE89370400440532013000",
        "BE68539007547034",
        "GB82WEST12345698765432",
    ],
)
def test_known_ibans_pass(text: str) -> None:
    assert Iban(text).value == text


def test_as_people_write_it() -> None:
    iban = Iban.parse(" nl91 abna 0417 1643 00 ")
    assert iban.value == "NL91ABNA0417164300"
    assert iban.grouped() == "NL91 ABNA 0417 1643 00"


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("NL91ABNA0417164301", "controlecijfers"),
        ("NL91ABNA041716430", "heeft 17 tekens; een NL-IBAN heeft er 18"),
        ("nl91abna0417164300", "is geen IBAN"),
        ("NL91 ABNA 0417 1643 00", "is geen IBAN"),
        ("", "is geen IBAN"),
    ],
)
def test_wrong_ibans_are_refused_with_the_field_and_the_value(text: str, words: str) -> None:
    with pytest.raises(InvalidIban) as caught:
        Iban(text)
    assert caught.value.field == "IBAN"
    assert caught.value.value == text
    assert words in str(caught.value)


countries = st.sampled_from(sorted(LENGTHS))


@st.composite
def ibans(draw: st.DrawFn) -> str:
    country = draw(countries)
    bban = draw(st.text(ALPHANUMERIC, min_size=LENGTHS[country] - 4, max_size=LENGTHS[country] - 4))
    return country + check_digits(country, bban) + bban


def _mod97(text: str) -> int:
    """The check as the standard words it, written out separately from the module's."""
    moved = text[4:] + text[:4]
    digits = "".join(str(ALPHANUMERIC.index(ch)) for ch in moved)
    return int(digits) % 97


@given(ibans())
def test_an_iban_with_computed_check_digits_passes(text: str) -> None:
    assert _mod97(text) == 1
    assert Iban(text).value == text


@given(ibans(), st.data())
def test_any_single_changed_digit_is_caught(text: str, data: st.DataObject) -> None:
    place = data.draw(st.integers(2, len(text) - 1))
    assume(text[place].isdigit())
    other = data.draw(st.sampled_from("0123456789"))
    assume(other != text[place])
    changed = text[:place] + other + text[place + 1 :]
    with pytest.raises(InvalidIban):
        Iban(changed)


@given(
    st.text("ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=4, max_size=4),
    st.text("0123456789", min_size=8, max_size=8),
    st.integers(0, 8),
    st.sampled_from([(a, b) for a in "0123456789" for b in "0123456789" if a != b]),
)
def test_a_swap_of_two_neighbouring_digits_of_the_account_is_caught(
    bank: str, rest: str, place: int, pair: tuple[str, str]
) -> None:
    account = rest[:place] + pair[0] + pair[1] + rest[place:]  # a Dutch account number: ten digits
    text = "NL" + check_digits("NL", bank + account) + bank + account
    assert Iban(text).value == text
    swapped = account[:place] + pair[1] + pair[0] + account[place + 2 :]
    with pytest.raises(InvalidIban):
        Iban("NL" + text[2:4] + bank + swapped)
