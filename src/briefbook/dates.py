"""Turn a day written YYYY-MM-DD (on the command line, in a meeting file) into a date, or a
ValueError that says why it is not one; and a date into the words the papers print."""

from __future__ import annotations

import calendar
import datetime as dt
import re

_MONTHS = (
    "January February March April May June July August September October November December"
).split()
_WEEKDAYS = "Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split()
EXAMPLE = "2026-11-26"


def parse_day(value: str) -> dt.date:
    """YYYY-MM-DD and nothing else (Python would also take 20261126 and 2026-W48-4), and a
    day that exists: 2026-02-30 is refused with the reason, not moved to March."""
    found = re.fullmatch(r"([0-9]{4})-([0-9]{2})-([0-9]{2})", value)
    if found is None:
        raise ValueError(f"expected a date such as {EXAMPLE}, found '{value}'")
    year, month, day = (int(part) for part in found.groups())
    if year == 0:
        why = "there is no year 0"
    elif not 1 <= month <= 12:
        why = f"there is no month {month}"
    else:
        days = calendar.monthrange(year, month)[1]
        if 1 <= day <= days:
            return dt.date(year, month, day)
        why = f"{_MONTHS[month - 1]} {year} has {days} days"
    raise ValueError(
        f"'{value}' is not a day of the calendar ({why}); expected a date such as {EXAMPLE}"
    )


def day_words(date: dt.date, weekday: bool = False) -> str:
    """'December 3, 2026', or with `weekday` 'Thursday, December 3, 2026' (in English, on
    any machine: not the locale's names)."""
    words = f"{_MONTHS[date.month - 1]} {date.day}, {date.year}"
    return f"{_WEEKDAYS[date.weekday()]}, {words}" if weekday else words
