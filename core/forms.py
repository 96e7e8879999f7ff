"""Forms and domain errors: a service's refusal shown where the person looks."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.forms import BaseForm
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from .errors import DomainError
from .translated import active_code, codes, column, values


def add_domain_error(form: BaseForm, exc: DomainError) -> None:
    """Show a service's refusal on the form: on its field when the form has it, else at the
    top of the form."""
    field = exc.field if exc.field in form.fields else None
    form.add_error(field, str(exc.message))


class TranslationsWidget(forms.MultiWidget):
    """One translated text's inputs, one per working language, side by side in one group:
    each labelled with its language and marked with ``lang`` (spelling, screen readers). The
    sub-inputs are named ``<field>_<code>`` (``title_kk``), as the model's columns are."""

    template_name = "core/widgets/translations.html"

    class Media:
        css = {"all": ["core/translations.css"]}

    def __init__(self, *, textarea: bool = False, attrs: dict[str, Any] | None = None) -> None:
        def one() -> forms.Widget:
            return forms.Textarea(attrs={"rows": 3}) if textarea else forms.TextInput()

        super().__init__({code: one() for code in codes()}, attrs)

    def value_from_datadict(self, data: Any, files: Any, name: str) -> list[str]:
        if name in data and not any(f"{name}_{code}" in data for code in codes()):
            # A plain ``title`` (a script, an older form): the text in the active language.
            return [data[name] if code == active_code() else "" for code in codes()]
        values: list[str] = super().value_from_datadict(data, files, name)
        return values

    def decompress(self, value: Any) -> list[str]:
        if isinstance(value, dict):
            return [value.get(code, "") or "" for code in codes()]
        return [""] * len(codes())

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context: dict[str, Any] = super().get_context(name, value, attrs)
        names = dict(settings.LANGUAGES)
        base_id = (attrs or {}).get("id") or self.attrs.get("id")
        for code, sub in zip(codes(), context["widget"]["subwidgets"], strict=True):
            if base_id:  # id_title_kk, as the input's name (MultiWidget numbers them)
                sub["attrs"]["id"] = f"{base_id}_{code}"
            sub["attrs"]["lang"] = code
            sub["language"] = code
            sub["language_name"] = names[code]
        return context


class TranslationsFormField(forms.MultiValueField):
    """A translated text in every working language: its value is ``{code: text}``. Each
    language is checked like the model field (length, validators); a text the model requires
    needs one language at least (the others fall back to it, core.translated)."""

    widget = TranslationsWidget

    def __init__(self, model_field: Any, **kwargs: Any) -> None:
        fields = [
            forms.CharField(
                max_length=model_field.max_length,
                required=False,
                validators=list(model_field.validators),
                strip=True,
            )
            for _code in codes()
        ]
        self.required_one = not model_field.blank
        textarea = model_field.get_internal_type() == "TextField"
        kwargs.setdefault("label", capfirst(model_field.verbose_name))
        kwargs.setdefault("help_text", model_field.help_text)
        super().__init__(
            fields=fields,
            widget=TranslationsWidget(textarea=textarea),
            require_all_fields=False,
            required=False,
            **kwargs,
        )

    def compress(self, data_list: list[str]) -> dict[str, str]:
        data_list = list(data_list) or [""] * len(codes())
        return {code: (text or "").strip() for code, text in zip(codes(), data_list, strict=True)}

    def clean(self, value: Any) -> dict[str, str]:
        texts: dict[str, str] = super().clean(value)
        if self.required_one and not any(texts.values()):
            raise ValidationError(_("Give it in one language at least."), code="required")
        return texts


def form_values(form: BaseForm, names: Iterable[str]) -> dict[str, Any]:
    """The cleaned values of ``names`` as the services take them: a translated text's
    ``{code: text}`` becomes its columns (``title_en``, ``title_kk``...)."""
    data: dict[str, Any] = {}
    for name in names:
        if name not in form.cleaned_data:
            continue
        value = form.cleaned_data[name]
        if isinstance(form.fields.get(name), TranslationsFormField):
            data.update({column(name, code): text for code, text in value.items()})
        else:
            data[name] = value
    return data


class TranslatedFormMixin:
    """A model form whose ``translated`` texts are edited in every working language at once
    (:class:`TranslationsFormField`, in place of the model's one-language field). Saving goes
    through the services with :func:`form_values`; the model's own validation (``_post_clean``)
    sees each language's column."""

    translated: tuple[str, ...] = ()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model = self._meta.model  # type: ignore[attr-defined]
        fields = self.fields  # type: ignore[attr-defined]
        instance = getattr(self, "instance", None)
        for name in self.translated:
            if name not in fields:
                continue
            old = fields[name]
            fields[name] = TranslationsFormField(
                model._meta.get_field(name), label=old.label, help_text=old.help_text
            )
            if instance is not None:
                self.initial[name] = values(instance, name)  # type: ignore[attr-defined]
            self._accept_plain(name)

    def _accept_plain(self, name: str) -> None:
        """A post with the plain ``title`` and no language boxes (a script, an older form) is
        the text in the active language; the other languages stay as they were."""
        data = getattr(self, "data", None)
        prefixed = self.add_prefix(name)  # type: ignore[attr-defined]
        if not data or prefixed not in data:
            return
        columns = [f"{prefixed}_{code}" for code in codes()]
        if any(c in data for c in columns):
            return
        kept = self.initial.get(name) or {}  # type: ignore[attr-defined]
        data = data.copy()
        for code, key in zip(codes(), columns, strict=True):
            data[key] = data[prefixed] if code == active_code() else kept.get(code, "")
        self.data = data

    def _post_clean(self) -> None:
        cleaned = self.cleaned_data  # type: ignore[attr-defined]
        held: dict[str, Any] = {}
        for name in self.translated:
            texts = cleaned.get(name)
            if isinstance(texts, dict):
                held[name] = cleaned.pop(name)
                for code, text in texts.items():
                    setattr(self.instance, column(name, code), text)  # type: ignore[attr-defined]
        try:
            super()._post_clean()  # type: ignore[misc]
        finally:
            cleaned.update(held)
