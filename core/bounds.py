"""The bounds of what the system accepts, one place for all of them (issue 15).

- **Years**: every date and time is within :data:`YEARS` (1900 to 2200). Databases, calendar
  programs and date arithmetic (a day before 0001-01-01) have limits; a union's records do not
  need more. :func:`validate_year` is the model validator of every governance date, and
  :class:`DateField` / :class:`DateTimeField` the API's, so a refusal names the field before a
  service computes anything with the value.
- **Single-line text**: :func:`validate_single_line` refuses control characters (a newline in
  a name would become a header of an e-mail, an escape sequence a terminal's command).
- **JSON**: :func:`json_depth` measures the nesting of a body without parsing it; the API's
  parser (:class:`core.parsers.JSONParser`) refuses a body deeper than ``API_JSON_MAX_DEPTH`` or
  larger than ``API_JSON_MAX_BYTES``.
- **NUL bytes** anywhere in a request: :class:`core.middleware.RefuseNulBytes`.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

#: The first and last year of any date or time the system stores.
YEARS = (1900, 2200)

#: Unicode line and paragraph separators: no "Cc" category, but a line break all the same.
_LINE_BREAKS = frozenset("\u2028\u2029")


def year_refusal() -> str:
    first, last = YEARS
    return str(_("Give a date between the years %(first)s and %(last)s.")) % {
        "first": first,
        "last": last,
    }


def in_years(value: dt.date) -> bool:
    """Whether a date or time is within :data:`YEARS` (an aware time in UTC)."""
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        try:
            value = value.astimezone(dt.UTC)
        except (OverflowError, ValueError):
            return False
    first, last = YEARS
    return first <= value.year <= last


@deconstructible
class YearValidator:
    """A model field's validator: the date or time is within :data:`YEARS`."""

    code = "year_out_of_range"

    def __call__(self, value: Any) -> None:
        if isinstance(value, dt.date) and not in_years(value):
            raise ValidationError(year_refusal(), code=self.code)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, YearValidator)

    def __hash__(self) -> int:
        return hash(type(self))


validate_year = YearValidator()


def control_character(value: str) -> str | None:
    """The first control character of ``value`` (C0, DEL, C1, a line separator), or None."""
    for char in value:
        if char in _LINE_BREAKS or unicodedata.category(char) == "Cc":
            return char
    return None


@deconstructible
class SingleLineValidator:
    """A model field's validator: one line of text, without control characters (tabs and line
    breaks included)."""

    code = "control_character"

    def __call__(self, value: Any) -> None:
        if isinstance(value, str) and control_character(value) is not None:
            raise ValidationError(
                _("Write this on one line, without control characters."), code=self.code
            )

    def __eq__(self, other: object) -> bool:
        return isinstance(other, SingleLineValidator)

    def __hash__(self) -> int:
        return hash(type(self))


validate_single_line = SingleLineValidator()


# The API's fields ---------------------------------------------------------------------------


class DateField(serializers.DateField):
    """A date of the API, refused outside :data:`YEARS` (naming the field)."""

    def to_internal_value(self, value: Any) -> dt.date:
        parsed = super().to_internal_value(value)
        if not in_years(parsed):
            raise serializers.ValidationError(year_refusal(), code=YearValidator.code)
        return parsed


class DateTimeField(serializers.DateTimeField):
    """A time of the API, refused outside :data:`YEARS` (naming the field)."""

    def to_internal_value(self, value: Any) -> dt.datetime:
        parsed = super().to_internal_value(value)
        if not in_years(parsed):
            raise serializers.ValidationError(year_refusal(), code=YearValidator.code)
        return parsed


# JSON ---------------------------------------------------------------------------------------

#: A JSON string (its escapes included): brackets inside one do not nest.
_JSON_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"', re.DOTALL)
_BRACKETS = re.compile(rb"[\[\]{}]")


def json_depth(body: bytes) -> int:
    """How deeply a JSON text nests arrays and objects, without parsing it (linear time): a
    parser recurses once per level, and Python's stack ends long before a body's size does."""
    depth = deepest = 0
    for match in _BRACKETS.finditer(_JSON_STRING.sub(b'""', body)):
        if match.group() in (b"[", b"{"):
            depth += 1
            deepest = max(deepest, depth)
        else:
            depth -= 1
    return deepest


def nul_path(data: Any, path: tuple[str | int, ...] = ()) -> tuple[str | int, ...] | None:
    """Where a parsed JSON value holds a NUL character (in a key or a string), or None. Walks
    iteratively, for a body of any depth the parser let through."""
    stack: list[tuple[Any, tuple[str | int, ...]]] = [(data, path)]
    while stack:
        value, where = stack.pop()
        if isinstance(value, str):
            if "\x00" in value:
                return where
        elif isinstance(value, dict):
            for key, item in value.items():
                if "\x00" in key:
                    return (*where, key)
                stack.append((item, (*where, key)))
        elif isinstance(value, list):
            stack.extend((item, (*where, index)) for index, item in enumerate(value))
    return None
