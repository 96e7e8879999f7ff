"""Texts the secretariat writes, in every working language (settings.LANGUAGES).

The columns are django-modeltranslation's (``title_en``, ``title_kk``...; registered in each app's
``translation.py``); the plain attribute (``decision.title``) reads the active language and falls
back to the union's default language, then to any language that has the text
(``MODELTRANSLATION_FALLBACK_LANGUAGES``). This module is what the surfaces share:

- :func:`codes` and :func:`expand`: the working languages, and a service's list of writable
  fields with the language columns of its translated ones;
- :mod:`core.translated_api` (``TranslationsField``, ``TranslatedSerializerMixin``): the API
  shows each text as today's field in the request's language (``title``) plus a dict of every
  language beside it (``titles``), and accepts either on write: a plain value is the value in
  the request's language (``Accept-Language`` or ``?lang=``);
- :func:`shown`: a text as a page shows it, with the language it is really in, so a fallback is
  marked (``{% translated obj "title" %}`` in :mod:`core.templatetags.translated`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils.translation import get_language


def codes() -> list[str]:
    """The working languages' codes, the union's default first as settings list them."""
    return [code for code, _name in settings.LANGUAGES]


def active_code() -> str:
    """The active language as one of the working languages (``kk-KZ`` is ``kk``)."""
    language = (get_language() or settings.LANGUAGE_CODE).lower()
    known = codes()
    if language in known:
        return language
    base = language.split("-")[0]
    return base if base in known else settings.LANGUAGE_CODE


def column(name: str, code: str) -> str:
    return f"{name}_{code.replace('-', '_')}"


def expand(
    fields: Iterable[str], translated: Iterable[str], *, plain: bool = True
) -> tuple[str, ...]:
    """``fields`` with, after each of the ``translated`` ones, its column in every language:
    what a service accepts (a form or the API may give a text in several languages at once; a
    plain ``title`` is the active language's). ``plain=False``: the columns only, in place of
    the plain name (what a form shows: every language side by side)."""
    chosen = set(translated)
    out: list[str] = []
    for name in fields:
        if name not in chosen or plain:
            out.append(name)
        if name in chosen:
            out.extend(column(name, code) for code in codes())
    return tuple(out)


def values(instance: Any, name: str) -> dict[str, str]:
    """Every language's text of ``name`` (blank where there is none: no fallback here)."""
    return {code: getattr(instance, column(name, code), None) or "" for code in codes()}


@dataclass(frozen=True)
class Shown:
    """A text as a page shows it: ``language`` is the one it is written in, ``fallback`` says
    it is not the reader's (the page marks it, with ``lang``)."""

    text: str
    language: str
    fallback: bool

    def __str__(self) -> str:
        return self.text


def shown(instance: Any, name: str) -> Shown:
    """The text of ``name`` in the active language, else in the first language of the fallback
    chain that has it."""
    wanted = active_code()
    chain = [wanted, *settings.MODELTRANSLATION_FALLBACK_LANGUAGES]
    for code in dict.fromkeys(chain):
        text = getattr(instance, column(name, code), None)
        if text:
            return Shown(text, code, code != wanted)
    return Shown("", wanted, False)


def in_languages(
    name: str, english: str, translations: dict[str, dict[str, str]]
) -> dict[str, str]:
    """The columns of ``name`` for a text written in English and its known translations
    (``translations[english]``: ``{code: text}``), blank elsewhere: what a service takes to
    store a text in every working language at once (the demo's data)."""
    texts = texts_by_language(english, translations)
    return {column(name, code): text for code, text in texts.items()}


def texts_by_language(english: str, translations: dict[str, dict[str, str]]) -> dict[str, str]:
    """``{code: text}`` in every working language of an English text and its translations."""
    return by_language(**{"en": english, **translations.get(english, {})})


def by_language(**texts: str) -> dict[str, str]:
    """``{code: text}`` in every working language: ``texts``, blank in the others (the API's
    dict of a translated text)."""
    return {code: texts.get(code, "") for code in codes()}
