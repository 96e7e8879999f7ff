"""Country names the union prefers, per language: data, not code (``COUNTRY_NAMES``). The union
writes "Кыргызстан" in Russian, where Django's and django-countries' Russian say "Киргизия".

Read by the settings into django-countries' ``COUNTRIES_OVERRIDE``: each named country's name
becomes lazy, resolved in the reader's language, the preferred name where there is one and the
usual translation otherwise. Light on purpose (no models): the settings import it.
"""

from __future__ import annotations

import functools
from typing import Any

from django.utils.functional import lazy


def preferred(names: dict[str, dict[str, str]]) -> dict[str, Any]:
    """``COUNTRIES_OVERRIDE`` for ``{language: {code: name}}``."""
    from django_countries.data import COUNTRIES

    def resolve(code: str) -> str:
        from django.utils.translation import get_language, gettext

        language = (get_language() or "").split("-")[0]
        override = names.get(language, {}).get(code)
        return override or gettext(str(COUNTRIES[code]))

    codes = {code for per_language in names.values() for code in per_language}
    return {code: lazy(resolve, str)(code) for code in sorted(codes) if code in COUNTRIES}


@functools.lru_cache(maxsize=32)
def names_in(language: str) -> dict[str, str]:
    """Every country's name in ``language`` (the preferred ones included), computed once per
    language and process: django-countries resolves a name through gettext on each read,
    which a page of 150 chambers paid 150 times (and the chambers' directory per country
    sorted)."""
    from django.utils import translation
    from django_countries import countries

    with translation.override(language):
        return {code: str(name) for code, name in countries}
