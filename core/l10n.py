"""Dates and numbers as people of each working language write them, from CLDR (Babel): "1
января 2027 г.", "2027 ж. 1 қаңтар", "2027. január 1." Django's own formats cover only some of
the working languages (Kazakh e-mails came out in the English pattern, "Қаң. 1, 2027").

Used by the templates (``|ldate``, ``|ldatetime``, ``|lnumber`` in ``core.templatetags.translated``)
and the e-mails; the language is the active one (the reader's).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from babel import Locale, UnknownLocaleError
from babel.dates import format_date as _format_date
from babel.dates import format_datetime as _format_datetime
from babel.numbers import format_decimal
from django.conf import settings
from django.utils import timezone

from .translated import active_code


def locale(code: str | None = None) -> Locale:
    code = code or active_code()
    try:
        return Locale.parse(code.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return Locale.parse(settings.LANGUAGE_CODE)


def format_date(value: dt.date | None, style: str = "long", *, language: str | None = None) -> str:
    """A date in the reader's language: ``style`` is CLDR's (short, medium, long, full)."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return _format_date(value, style, locale=locale(language))


def format_datetime(
    value: dt.datetime | None, style: str = "medium", *, language: str | None = None
) -> str:
    """A moment in the reader's language, in the zone it is given in (or the current one)."""
    if value is None:
        return ""
    if timezone.is_aware(value):
        value = timezone.localtime(value, value.tzinfo)
    return _format_datetime(value, style, tzinfo=value.tzinfo, locale=locale(language))


def format_number(
    value: int | float | Decimal | None, *, language: str | None = None, exact: bool = False
) -> str:
    """A number with the reader's digit grouping and decimal sign (1 234,5 / 1,234.5); rounded
    to three decimals unless ``exact`` (every digit of a decimal that has them: an indicator's
    figure is shown as it was recorded)."""
    if value is None:
        return ""
    return format_decimal(value, locale=locale(language), decimal_quantization=not exact)
