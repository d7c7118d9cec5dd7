"""Calendar arithmetic as the texts use it: whole months and whole years elapsed."""

from __future__ import annotations

import re
from datetime import date, datetime

from policyrules.errors import Invalid

_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def parse_iso_date(value: object) -> date:
    """Accept a ``date`` or exactly ``YYYY-MM-DD``; anything else is a ValueError (:class:`Invalid`)."""
    if isinstance(value, datetime):
        raise Invalid("value.datetime", value=value.isoformat())
    if isinstance(value, date):
        return value
    if isinstance(value, str) and _ISO.match(value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise Invalid("value.no_such_day", value=value) from None
    raise Invalid("value.not_date", value=value)


def as_of_date(value: object = None) -> date:
    """The day a question is asked: today when none is given, else as :func:`parse_iso_date` reads it.

    Every interface (Python, command line, HTTP) reads ``as_of`` through this one function, so a bad date
    gets the same words everywhere; each wraps the ValueError in its own error type.
    """
    return date.today() if value is None else parse_iso_date(value)


def months_between(start: date, end: date) -> int:
    """Whole months from ``start`` to ``end``: 2023-01-31 → 2023-02-28 is 0, → 2023-03-01 is 1.

    A month is complete on the same day-of-month (满一个月); if that day does not
    exist in the end month, the month completes on the next day.
    """
    months = (end.year - start.year) * 12 + (end.month - start.month)
    if end.day < start.day:
        months -= 1
    return months


def years_between(start: date, end: date) -> int:
    return months_between(start, end) // 12


def days_between(start: date, end: date) -> int:
    return (end - start).days


def add_months(day: date, months: int) -> date:
    """``day`` plus whole months; a day-of-month the target month lacks moves to the next day (as months_between)."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    try:
        return date(year, month, day.day)
    except ValueError:
        # 2023-01-31 + 1 month: February has no 31st; the month completes on 03-01.
        first_next = date(year + (month == 12), month % 12 + 1, 1)
        return first_next


def add_years(day: date, years: int) -> date:
    return add_months(day, 12 * years)


def add_days(day: date, days: int) -> date:
    return date.fromordinal(day.toordinal() + days)
