"""``{{ decision|tr:"title" }}``: a text the secretariat wrote, in the reader's language; where
it has not been translated into it yet, in the union's default language (or the first that has
it), marked with its ``lang`` and a title saying so (core.translated.shown). A field that is not
translated is shown as it is."""

from __future__ import annotations

from typing import Any

from django import template
from django.conf import settings
from django.utils.html import format_html
from django.utils.translation import gettext as _
from modeltranslation.translator import NotRegistered, translator

from core import l10n, markup
from core.country_names import names_in
from core.translated import active_code, shown

register = template.Library()


def _translated(obj: Any, name: str) -> bool:
    try:
        return name in translator.get_options_for_model(type(obj)).all_fields
    except NotRegistered:
        return False


@register.filter
def markdown(obj: Any, name: str) -> Any:
    """``{{ version|markdown:"text" }}``: a translated Markdown text rendered and sanitised
    (core.markup), in a ``div`` marked with its language when it is not the reader's. Its
    headings go two levels down: the text sits in a section of the page (h2)."""
    if obj is None:
        return ""
    text = shown(obj, name)
    html = markup.render(text.text, heading_shift=2)
    if not text.fallback:
        return html
    language = dict(settings.LANGUAGES).get(text.language, text.language)
    return format_html(
        '<div lang="{}" class="fallback" title="{}">{}</div>',
        text.language,
        _("Not translated yet: shown in %(language)s") % {"language": language},
        html,
    )


@register.filter
def tr(obj: Any, name: str) -> Any:
    if obj is None:
        return ""
    if not _translated(obj, name):
        if isinstance(obj, dict):
            return obj.get(name, "")
        return getattr(obj, name, "")
    text = shown(obj, name)
    if not text.fallback:
        return text.text
    language = dict(settings.LANGUAGES).get(text.language, text.language)
    return format_html(
        '<span lang="{}" class="fallback" title="{}">{}</span>',
        text.language,
        _("Not translated yet: shown in %(language)s") % {"language": language},
        text.text,
    )


@register.filter
def country_name(country: Any) -> str:
    """A django-countries ``Country`` (or a code) by its name in the active language, from
    :func:`core.country_names.names_in` (cached per language)."""
    code = getattr(country, "code", country) or ""
    if not code:
        return ""
    return names_in(active_code()).get(str(code)) or str(getattr(country, "name", code))


@register.filter
def ldate(value: Any, style: str = "long") -> str:
    """``{{ meeting.starts_at|ldate }}``: the date in the reader's language (CLDR, Babel)."""
    return l10n.format_date(value, style) if value else ""


@register.filter
def ldatetime(value: Any, style: str = "medium") -> str:
    return l10n.format_datetime(value, style) if value else ""


@register.filter
def lnumber(value: Any, exact: str = "") -> str:
    """A number in the reader's language; ``|lnumber:"exact"`` keeps every decimal."""
    if value is None or value == "":
        return ""
    return l10n.format_number(value, exact=exact == "exact")


@register.filter
def field_label(name: str, model_label: str) -> str:
    """A recorded field's name as its model names it in the reader's language ("status" is
    "Статус" in Russian); the name itself when the model or field is gone."""
    from django.apps import apps
    from django.core.exceptions import FieldDoesNotExist
    from django.utils.text import capfirst

    try:
        field = apps.get_model(model_label)._meta.get_field(name)
    except (LookupError, ValueError, FieldDoesNotExist):
        # Not a column: a snapshot's key (the rotation's "order"), in words if we have them.
        return str(capfirst(_(name)))
    return str(capfirst(getattr(field, "verbose_name", name)))


@register.filter
def item(mapping: Any, key: Any) -> Any:
    """``mapping[key]`` or None: what another app's page context holds by object (the
    indicators' targets by priority id)."""
    return mapping.get(key) if hasattr(mapping, "get") else None
