"""The IBAN (ISO 13616): checked on construction by its length for the country and the mod-97 check digits.

Our own check rather than a library: it is ten lines, and the rules are fixed by the standard. The lengths are
those of the SEPA countries (the IBAN registry of SWIFT); a country outside that list is held to the general
form (15 to 34 characters), since the platform only ever meets euro accounts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from inleg.platform.domain.errors import DomainError

# SEPA countries and their IBAN lengths (SWIFT's IBAN registry).
LENGTHS = {
    "AD": 24, "AT": 20, "BE": 16, "BG": 22, "CH": 21, "CY": 28, "CZ": 24, "DE": 22, "DK": 18, "EE": 20,
    "ES": 24, "FI": 18, "FR": 27, "GB": 22, "GI": 23, "GR": 27, "HR": 21, "HU": 28, "IE": 22, "IS": 26,
    "IT": 27, "LI": 21, "LT": 20, "LU": 20, "LV": 21, "MC": 27, "MT": 31, "NL": 18, "NO": 15, "PL": 28,
    "PT": 25, "RO": 24, "SE": 24, "SI": 19, "SK": 24, "SM": 27, "VA": 22,
}  # fmt: skip
_FORM = re.compile(r"[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}")


class InvalidIban(DomainError):
    """Not an IBAN: wrong form, wrong length for its country, or check digits that do not match."""


def _remainder(text: str) -> int:
    """ISO 7064 mod 97-10 of the IBAN with its first four characters moved to the end, letters as 10..35."""
    rearranged = text[4:] + text[:4]
    return int("".join(str(int(ch, 36)) for ch in rearranged)) % 97


def check_digits(country: str, bban: str) -> str:
    """The two check digits that make ``country + digits + bban`` an IBAN."""
    return f"{98 - _remainder(country + '00' + bban):02d}"


@dataclass(frozen=True, slots=True)
class Iban:
    """An IBAN in its electronic form: capitals and digits, no spaces (``NL91ABNA0417164300``)."""

    value: str

    def __post_init__(self) -> None:
        if not isinstance(self.value, str) or _FORM.fullmatch(self.value) is None:
            raise InvalidIban("IBAN", self.value, "is geen IBAN (twee letters, twee cijfers, dan 11 tot 30 tekens)")
        expected = LENGTHS.get(self.value[:2])
        if expected is not None and len(self.value) != expected:
            raise InvalidIban(
                "IBAN", self.value, f"heeft {len(self.value)} tekens; een {self.value[:2]}-IBAN heeft er {expected}"
            )
        if _remainder(self.value) != 1:
            raise InvalidIban("IBAN", self.value, "heeft controlecijfers die niet kloppen (mod-97): een tikfout?")

    @classmethod
    def parse(cls, raw: str) -> Iban:
        """As people write it: spaces allowed, any case."""
        return cls("".join(raw.split()).upper())

    @property
    def country(self) -> str:
        return self.value[:2]

    def grouped(self) -> str:
        """In groups of four, as printed (``NL91 ABNA 0417 1643 00``)."""
        return " ".join(self.value[i : i + 4] for i in range(0, len(self.value), 4))

    def __str__(self) -> str:
        return self.value
