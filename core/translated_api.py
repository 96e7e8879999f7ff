"""The API's side of :mod:`core.translated`: each translated text as today's field in the
request's language (``title``) plus the dict of every working language beside it (``titles``);
either is accepted on write."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.translated import active_code, codes, column, values


def _schema() -> dict[str, Any]:
    return {
        "type": "object",
        "description": "The text in each working language (blank where it has none).",
        "properties": {code: {"type": "string"} for code in codes()},
        "additionalProperties": False,
    }


@extend_schema_field(_schema())
class TranslationsField(serializers.Field):  # type: ignore[type-arg]
    """``{"en": "...", "kk": "..."}`` of one translated model field (``source="*"``): reads
    every language's column, writes the columns given (a language left out is unchanged; a
    blank value clears it). Each value is checked by the model field's own length and
    validators (single line, for titles)."""

    def __init__(self, *, name: str, model_field: Any, **kwargs: Any) -> None:
        self.name = name
        self.model_field = model_field
        kwargs.setdefault("required", False)
        super().__init__(source="*", **kwargs)

    def to_representation(self, instance: Any) -> dict[str, str]:
        return values(instance, self.name)

    def to_internal_value(self, data: Any) -> dict[str, str]:
        if not isinstance(data, Mapping):
            raise serializers.ValidationError(
                _('Give an object of texts by language, e.g. {"en": "..."}.')
            )
        unknown = sorted(str(key) for key in data if key not in codes())
        if unknown:
            raise serializers.ValidationError(
                _("Not a working language: %(codes)s. Use %(known)s.")
                % {"codes": ", ".join(unknown), "known": ", ".join(codes())}
            )
        errors: dict[str, list[str]] = {}
        out: dict[str, str] = {}
        for code, value in data.items():
            if value is None:
                value = ""
            if not isinstance(value, str):
                errors[code] = [str(_("Not a valid string."))]
                continue
            value = value.strip()
            try:
                self._check(value)
            except DjangoValidationError as exc:
                errors[code] = [str(message) for message in exc.messages]
                continue
            out[column(self.name, code)] = value
        if errors:
            raise serializers.ValidationError(errors)
        return out

    def _check(self, value: str) -> None:
        if not value:
            return
        limit = getattr(self.model_field, "max_length", None)
        if limit and len(value) > limit:
            raise DjangoValidationError(
                _("Ensure this field has no more than %(limit)d characters.") % {"limit": limit}
            )
        for validator in self.model_field.validators:
            validator(value)


class TranslatedSerializerMixin:
    """A (model) serializer whose ``translated`` texts come with their dict of languages:
    ``translated = {"title": "titles"}`` adds ``titles`` after ``title``. On write, a plain
    ``title`` is the text in the request's language; ``titles`` gives any languages, and wins
    for a language it names. What the service receives are the columns (``title_kk``);
    "required" is the model's to say (any one language will do)."""

    translated: ClassVar[dict[str, str]] = {}

    def get_fields(self) -> dict[str, serializers.Field]:  # type: ignore[type-arg]
        fields = super().get_fields()  # type: ignore[misc]
        model = getattr(getattr(self, "Meta", None), "model", None)
        ordered: dict[str, serializers.Field] = {}  # type: ignore[type-arg]
        for name, field in fields.items():
            ordered[name] = field
            plural = self.translated.get(name)
            if plural is None:
                continue
            if not field.read_only:
                field.required = False
            model_field = getattr(field, "model_field", None)
            if model_field is None and model is not None:
                model_field = model._meta.get_field(name)
            ordered[plural] = TranslationsField(
                name=name, model_field=model_field, read_only=field.read_only
            )
        return ordered

    def to_internal_value(self, data: Any) -> dict[str, Any]:
        attrs: dict[str, Any] = super().to_internal_value(data)  # type: ignore[misc]
        code = active_code()
        for name in self.translated:
            if name not in attrs:
                continue
            value = attrs.pop(name)
            # The dict wins for a language it names: a body read from GET (``name`` as the
            # reader's language shows it, perhaps a fallback, with ``names``) writes back as is.
            attrs.setdefault(column(name, code), "" if value is None else value)
        return attrs


class PlainTextField(serializers.CharField):
    """A translated text in the request's language, on a plain serializer: checked like the
    model field (its length and validators). Pair it with :class:`TranslatedSerializerMixin`."""

    def __init__(self, *, model_field: Any, **kwargs: Any) -> None:
        self.model_field = model_field
        kwargs.setdefault("max_length", model_field.max_length)
        kwargs.setdefault("required", False)
        kwargs.setdefault("allow_blank", True)
        kwargs.setdefault("validators", list(model_field.validators))
        super().__init__(**kwargs)


def plain_field(model: Any, name: str, **kwargs: Any) -> PlainTextField:
    """The text of ``model.name`` in the request's language, for a plain serializer."""
    return PlainTextField(model_field=model._meta.get_field(name), **kwargs)
