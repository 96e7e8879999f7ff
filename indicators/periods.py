"""The period of an indicator's value: a year, a quarter, a month, or a run of months (such as
January to October, the way ministries publish trade figures before the year is out).

A period is stored as its first and last day, so that any two can be compared and sorted; its
code is how files and the API write it: ``2025``, ``2025-Q3``, ``2025-03`` or
``2025-01/2025-10``. Its label is how a person reads it, in the active language.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from django.utils import dateformat
from django.utils.translation import gettext as _

YEAR, QUARTER, MONTH, RANGE = "year", "quarter", "month", "range"

_YEAR = re.compile(r"(\d{4})")
_QUARTER = re.compile(r"(\d{4})-?Q([1-4])", re.IGNORECASE)
_MONTH = re.compile(r"(\d{4})-(\d{2})")
_RANGE = re.compile(r"(\d{4})-(\d{2})\s*/\s*(\d{4})-(\d{2})")


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


@dataclass(frozen=True, order=True)
class Period:
    start: dt.date
    end: dt.date

    @property
    def kind(self) -> str:
        start, end = self.start, self.end
        if start.day != 1 or end != _month_end(end.year, end.month):
            return RANGE  # not month-aligned: only made by hand, never parsed
        months = (end.year - start.year) * 12 + end.month - start.month + 1
        if months == 12 and start.month == 1:
            return YEAR
        if months == 3 and start.month in (1, 4, 7, 10):
            return QUARTER
        if months == 1:
            return MONTH
        return RANGE

    @property
    def code(self) -> str:
        kind = self.kind
        if kind == YEAR:
            return f"{self.start.year}"
        if kind == QUARTER:
            return f"{self.start.year}-Q{(self.start.month - 1) // 3 + 1}"
        if kind == MONTH:
            return f"{self.start.year}-{self.start.month:02d}"
        return f"{self.start.year}-{self.start.month:02d}/{self.end.year}-{self.end.month:02d}"

    def label(self) -> str:
        """In the active language: 2025; Q3 2025; March 2025; January – October 2025."""
        kind = self.kind
        if kind == YEAR:
            return str(self.start.year)
        if kind == QUARTER:
            return _("Q%(quarter)d %(year)d") % {
                "quarter": (self.start.month - 1) // 3 + 1,
                "year": self.start.year,
            }
        if kind == MONTH:
            return dateformat.format(self.start, "F Y")
        first = "F" if self.start.year == self.end.year else "F Y"
        return _("%(start)s – %(end)s") % {
            "start": dateformat.format(self.start, first),
            "end": dateformat.format(self.end, "F Y"),
        }

    def __str__(self) -> str:
        return self.code


class PeriodError(ValueError):
    pass


def parse(text: object) -> Period:
    """A period from its code (:class:`PeriodError`, a ``ValueError``, with a message for the
    person who wrote it)."""
    value = str(text if text is not None else "").strip()
    if isinstance(text, float) and text.is_integer():
        value = str(int(text))  # a year typed in a spreadsheet cell
    try:
        period = _parsed(value)
    except ValueError:  # a month of 13, a year 0000: not a date
        period = None
    if period is None:
        raise PeriodError(
            _("Write the period as 2025, 2025-Q3, 2025-03 or 2025-01/2025-10 (January to October).")
        )
    if period.end < period.start:
        raise PeriodError(_("The period ends before it starts."))
    return period


def _parsed(value: str) -> Period | None:
    if match := _RANGE.fullmatch(value):
        y1, m1, y2, m2 = (int(group) for group in match.groups())
        return Period(dt.date(y1, m1, 1), _month_end(y2, m2))
    if match := _QUARTER.fullmatch(value):
        year, quarter = int(match.group(1)), int(match.group(2))
        return Period(dt.date(year, 3 * quarter - 2, 1), _month_end(year, 3 * quarter))
    if match := _MONTH.fullmatch(value):
        year, month = int(match.group(1)), int(match.group(2))
        return Period(dt.date(year, month, 1), _month_end(year, month))
    if match := _YEAR.fullmatch(value):
        year = int(match.group(1))
        return Period(dt.date(year, 1, 1), dt.date(year, 12, 31))
    return None
