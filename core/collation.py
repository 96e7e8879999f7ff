"""Sorting as people of each working language read (CLDR collation, ICU): in Kazakh Ә after А
and Қ after К, in Turkish and Azerbaijani ı before i, in Hungarian "cs" after "c". Code-point
order put Қазақстан after Түркия, and Әзербайжан and Өзбекстан last.

- In the database: :func:`collated` orders by a column under the language's collation,
  PostgreSQL's ICU collations (``kk-x-icu``...) or, on SQLite, a collation of the same name
  registered on every connection from PyICU (:func:`register_sqlite`), so pages that paginate
  sort in the database on both. :class:`Lowered` is the case-folding a search needs, on both.
- In Python: :func:`sort_key` (lists that are not queries: countries, choices). django-countries'
  own sort key (Unicode's default order, without a language's rules) is replaced by it
  (:func:`patch_countries`), so every country list, the forms' and the admin's, follows the
  reader's language.
"""

from __future__ import annotations

import functools
from typing import Any

import icu
from django.db.models import CharField, Expression, F, Func
from django.db.models.functions import Coalesce, Collate

from .translated import active_code, codes


@functools.lru_cache(maxsize=32)
def collator(code: str) -> Any:
    instance = icu.Collator.createInstance(icu.Locale(code))
    instance.setStrength(icu.Collator.TERTIARY)
    return instance


def sort_key(text: object, code: str | None = None) -> bytes:
    """What to sort ``text`` by in the language ``code`` (the active one by default)."""
    return bytes(collator(code or active_code()).getSortKey(str(text)))


def _sqlite_name(code: str) -> str:
    return f"lang_{code}"


def _postgresql_name(code: str) -> str:
    return f"{code}-x-icu"


class LanguageCollate(Collate):
    """``expression COLLATE`` the language's collation, named as the database names it."""

    def __init__(self, expression: Any, code: str) -> None:
        self.code = code
        super().__init__(expression, _sqlite_name(code))

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        self.collation = _postgresql_name(self.code)
        return super().as_sql(compiler, connection, **extra)


def collated(field: str | Expression, code: str | None = None) -> LanguageCollate:
    """``order_by(collated("name_kk"))``: the column in the language's order."""
    expression = F(field) if isinstance(field, str) else field
    return LanguageCollate(expression, code or active_code())


def register_sqlite(sender: Any, connection: Any, **kwargs: Any) -> None:
    """``connection_created``: every working language's collation on a SQLite connection."""
    if connection.vendor != "sqlite":
        return
    for code in codes():
        ordering = collator(code)

        def compare(a: str, b: str, ordering: Any = ordering) -> int:
            return int(ordering.compare(a, b))

        connection.connection.create_collation(_sqlite_name(code), compare)
    # SQLite's own lower() and LIKE fold ASCII letters only: "атамекен" never found "Атамекен".
    connection.connection.create_function(
        "union_lower", 1, lambda text: None if text is None else text.lower(), deterministic=True
    )


class Lowered(Func):
    """``lower(expression)`` for a search in any script: PostgreSQL's ``lower`` folds every
    letter; on SQLite it is Python's ``str.lower`` (registered by :func:`register_sqlite`).
    Compare with ``text.lower()``: ``Contains(Lowered(F("name")), text.lower())``."""

    function = "LOWER"
    output_field = CharField()

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return super().as_sql(compiler, connection, function="union_lower", **extra)


def patch_countries() -> None:
    """django-countries sorts its lists with a module-level key (Unicode's default order): use
    the reader's language's instead. Its lists are cached per language, so this costs one sort
    per language and process."""
    import django_countries

    def key(item: tuple[str, Any]) -> bytes:
        return sort_key(item[1])

    django_countries.sort_key = key


def shown_text(name: str, code: str | None = None) -> Coalesce:
    """A translated text as the reader sees it (their language's column, else the fallback
    chain's, core.translated), computed in the query: read with ``values_list`` it skips
    modeltranslation's fallback in Python, row by row (12,000 chambers' names: 300 ms to
    about 20)."""
    from django.conf import settings
    from django.db.models import Value
    from django.db.models.functions import NullIf

    from .translated import column

    code = code or active_code()
    chain = dict.fromkeys([code, *settings.MODELTRANSLATION_FALLBACK_LANGUAGES])
    columns = [NullIf(F(column(name, c)), Value("")) for c in chain]
    return Coalesce(*columns, Value(""), output_field=CharField())


def collated_text(name: str, code: str | None = None) -> LanguageCollate:
    """``order_by(collated_text("short_name"))``: a translated text as the reader sees it
    (:func:`shown_text`) in their language's order."""
    code = code or active_code()
    return LanguageCollate(shown_text(name, code), code)
