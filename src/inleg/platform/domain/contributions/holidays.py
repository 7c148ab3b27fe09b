"""Dutch public holidays as the Algemene termijnenwet counts them, for counting working days.

Article 3: New Year's Day, Easter Monday, Ascension Day, Whit Monday, Christmas Day and Boxing Day, the day
the King's birthday is celebrated and 5 May (first paragraph), and Good Friday (second paragraph). Days the
government adds by decree for a few years at a time (third paragraph, such as the Friday after Ascension) are
not counted: they are not known from a rule. Whether an office is closed on a day is a matter of its cao, not of
this law; counting every one of these days as a day off can only make a cut-off earlier, never later, which is
the safe side for a payroll administrator who needs the time.

Koningsdag is 27 April, or 26 April when 27 April is a Sunday (Wet viering Koningsdag, since 2014). Earlier
years had Koninginnedag under other rules; they are refused rather than guessed.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import cache

from inleg.platform.domain.contributions.errors import UnsupportedYear

FIRST_YEAR = 2014


def easter_sunday(year: int) -> date:
    """Easter Sunday of the Gregorian calendar (the anonymous algorithm published by Meeus)."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    l_ = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * l_) // 451
    month, day = divmod(h + l_ - 7 * m + 114, 31)
    return date(year, month, day + 1)


def kings_day(year: int) -> date:
    day = date(year, 4, 27)
    return day - timedelta(days=1) if day.weekday() == 6 else day


@cache
def public_holidays(year: int) -> frozenset[date]:
    """The Algemene termijnenwet's holidays of ``year`` (all of them, also those on a weekend)."""
    if year < FIRST_YEAR:
        raise UnsupportedYear("year", year, f"lies before {FIRST_YEAR}; its public holidays are not known here")
    easter = easter_sunday(year)
    return frozenset(
        {
            date(year, 1, 1),
            easter - timedelta(days=2),  # Good Friday
            easter + timedelta(days=1),  # Easter Monday
            kings_day(year),
            date(year, 5, 5),
            easter + timedelta(days=39),  # Ascension Day
            easter + timedelta(days=50),  # Whit Monday
            date(year, 12, 25),
            date(year, 12, 26),
        }
    )


def is_working_day(day: date) -> bool:
    """Monday to Friday, and not a public holiday."""
    return day.weekday() < 5 and day not in public_holidays(day.year)


def working_days_after(day: date, through: date) -> int:
    """How many working days lie after ``day`` up to and including ``through`` (0 when ``through <= day``)."""
    count = 0
    current = day + timedelta(days=1)
    while current <= through:
        if is_working_day(current):
            count += 1
        current += timedelta(days=1)
    return count
