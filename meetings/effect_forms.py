"""A decision's effects as forms, for people: one form per effect type, in words (a chamber
chosen by name, dates, the President among that chamber's contacts, priorities by title).

The stored and API shape stays the JSON of :mod:`meetings.effects` (slugs, ids, ISO dates):
each form reads an effect (:meth:`EffectForm.initial_from`) and writes one
(:meth:`EffectForm.to_effect`), and the registry's serializers validate it again, so a form
cannot let through what the API would refuse. :class:`EffectsField` puts the forms of a
decision's effects on a page (admin and portal): the effects it has, each editable and
removable, and a blank form of each type under "Add an effect", which works without a script.
Other apps register the forms of their effect types (:func:`register_form`).
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections import Counter
from collections.abc import Iterable
from functools import cached_property
from html import escape
from typing import Any, ClassVar

from django import forms
from django.template.loader import render_to_string
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chambers.models import STATUS_CHOICES, Chamber, Contact
from core.collation import collated_text, shown_text, sort_key

from .models import Priority

CHOOSE_CHAMBER = gettext_lazy("choose a chamber")


#: The id of the page's list of chambers, which every chamber field suggests from.
CHAMBER_LIST = "effect-chambers"
#: Above this many active contacts, the President is given by the contact's number (its id
#: in the administration and the API), not chosen from a list: 100,000 of them would make a
#: page of megabytes.
CONTACTS_LISTED = 2000


def typed(text: str) -> str:
    """A name as compared with what a person types: any case, and the Turkish dotted capital
    I the same as i ("İzmir", "izmir": ``casefold`` alone leaves a combining dot)."""
    return unicodedata.normalize(
        "NFC", unicodedata.normalize("NFD", text.casefold()).replace("\u0307", "")
    )


class Choices:
    """The lists the effect forms offer, each read once per page however many forms use it.

    Chambers are typed, with the page's one list of them as suggestions (``<datalist>``):
    a ``<select>`` per field repeated every chamber in every field, and the order's form has a
    field per place, which at 12,000 chambers was 144 million options (issue 16)."""

    @cached_property
    def chambers(self) -> list[tuple[str, str]]:
        rows = (
            Chamber.objects.annotate(shown=shown_text("name"))
            .order_by(collated_text("name"), "pk")
            .values_list("slug", "shown")
        )
        return list(rows)

    @cached_property
    def chamber_names(self) -> dict[str, str]:
        """A chamber's name by its slug, for the names that say one chamber: no other chamber
        has it, nor is it another's slug (such a name is typed as the slug)."""
        as_typed = [(slug, name, typed(name)) for slug, name in self.chambers]
        slugs = {typed(slug) for slug, _name in self.chambers}
        seen = Counter(key for _slug, _name, key in as_typed)
        return {
            slug: name
            for slug, name, key in as_typed
            if seen[key] == 1 and (key not in slugs or key == typed(slug))
        }

    @cached_property
    def chamber_slugs(self) -> dict[str, str]:
        """A chamber's slug by its slug or its unique name, as typed (:func:`typed`)."""
        found = {typed(name): slug for slug, name in self.chamber_names.items()}
        found.update((typed(slug), slug) for slug, _name in self.chambers)
        return found

    def chamber_list(self) -> SafeString:
        # Escaped by hand: format_html_join's per-value checks were most of its cost at
        # 12,000 chambers.
        options = "".join(
            f'<option value="{escape(slug)}">{escape(name)}</option>'
            for slug, name in self.chambers
        )
        listed = mark_safe(options)  # noqa: S308 (every value escaped above)
        return format_html('<datalist id="{}">{}</datalist>', CHAMBER_LIST, listed)

    @cached_property
    def contacts(self) -> list[tuple[str, Any]] | None:
        """Active contacts grouped by chamber (the President is one of the chamber's); None
        above ``CONTACTS_LISTED``."""
        # Read unsorted and at most one more than listed (sorting 100,000 to find out there
        # are too many took most of the time), then sorted in the reader's language.
        rows = list(
            Contact.objects.filter(active=True)
            .order_by()
            .values_list("pk", "name", "position", "chamber__name", "is_head")[
                : CONTACTS_LISTED + 1
            ]
        )
        if len(rows) > CONTACTS_LISTED:
            return None
        rows.sort(key=lambda r: (sort_key(r[3]), not r[4], sort_key(r[1]), r[0]))
        groups: dict[str, list[tuple[str, str]]] = {}
        for pk, name, position, chamber, _head in rows:
            label = f"{name} ({position})" if position else name
            groups.setdefault(chamber, []).append((str(pk), label))
        return [("", "—"), *groups.items()]

    @cached_property
    def priorities(self) -> list[tuple[str, str]]:
        rows = Priority.objects.order_by("-period_start", "title").values_list(
            "pk", "title", "period_start", "period_end"
        )
        return [(str(pk), f"{title} ({start.year}–{end.year})") for pk, title, start, end in rows]

    @cached_property
    def minutes_versions(self) -> list[tuple[str, str]]:
        """The versions of minutes not approved yet, the latest meetings first."""
        from .services import approvable_versions

        rows = approvable_versions().order_by("-meeting__starts_at", "-number")[:200]
        return [("", "—"), *((str(version.pk), str(version)) for version in rows)]


class ChamberChoiceField(forms.CharField):
    """A chamber typed by name or slug, suggested from the page's list; its value is the slug
    the effect stores; a stored slug is shown by the chamber's name. The form gives it the
    page's :class:`Choices` (:meth:`offer`)."""

    default_error_messages = {"required": CHOOSE_CHAMBER, "invalid": CHOOSE_CHAMBER}

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault(
            "widget", forms.TextInput(attrs={"list": CHAMBER_LIST, "autocomplete": "off"})
        )
        super().__init__(**kwargs)
        self.slugs: dict[str, str] = {}
        self.names: dict[str, str] = {}

    def offer(self, choices: Choices) -> None:
        self.slugs, self.names = choices.chamber_slugs, choices.chamber_names

    def prepare_value(self, value: Any) -> Any:
        return self.names.get(value, value)

    def to_python(self, value: Any) -> str:
        text = super().to_python(value)
        if not text:
            return ""
        if (slug := self.slugs.get(typed(text))) is None:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return slug


class EffectForm(forms.Form):
    """The form of one effect type. Subclasses declare the fields under the names the effect's
    JSON uses; chamber fields hold slugs, contact and priority fields ids."""

    effect_type: ClassVar[str]
    chamber_fields: ClassVar[tuple[str, ...]] = ()

    def __init__(self, *args: Any, choices: Choices, **kwargs: Any) -> None:
        # No "required" in the page: the blank forms of "Add an effect" are left empty, and
        # the browser would refuse to send the decision's form (the server checks instead).
        kwargs.setdefault("use_required_attribute", False)
        super().__init__(*args, **kwargs)
        self.choices = choices
        for field in self.fields.values():
            if isinstance(field, ChamberChoiceField):
                field.offer(choices)

    @classmethod
    def initial_from(cls, effect: dict[str, Any]) -> dict[str, Any]:
        """The form's initial values from a stored effect."""
        return {k: v for k, v in effect.items() if k != "type"}

    def to_effect(self) -> dict[str, Any]:
        """The effect as stored and as the API takes it."""
        data: dict[str, Any] = {"type": self.effect_type}
        for name, value in self.cleaned_data.items():
            if value in (None, "", []):
                continue
            data[name] = value.isoformat() if isinstance(value, dt.date) else value
        return data


def date_field(label: Any) -> forms.DateField:
    return forms.DateField(label=label, widget=forms.DateInput(attrs={"type": "date"}))


class ChangeStatusForm(EffectForm):
    effect_type = "change_status"
    chamber = ChamberChoiceField(label=gettext_lazy("Chamber"))
    status = forms.ChoiceField(
        label=gettext_lazy("New status"), choices=[("", "—"), *STATUS_CHOICES]
    )
    effective = date_field(gettext_lazy("From"))


class AdmitForm(ChangeStatusForm):
    effect_type = "admit"


class ActivatePrioritiesForm(EffectForm):
    effect_type = "activate_priorities"
    priorities = forms.MultipleChoiceField(
        label=gettext_lazy("Priorities"), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, choices: Choices, **kwargs: Any) -> None:
        super().__init__(*args, choices=choices, **kwargs)
        field = self.fields["priorities"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = choices.priorities

    @classmethod
    def initial_from(cls, effect: dict[str, Any]) -> dict[str, Any]:
        return {"priorities": [str(pk) for pk in effect.get("priorities", [])]}

    def to_effect(self) -> dict[str, Any]:
        return {
            "type": self.effect_type,
            "priorities": [int(pk) for pk in self.cleaned_data["priorities"]],
        }


class ApproveMinutesForm(EffectForm):
    effect_type = "approve_minutes"
    version = forms.ChoiceField(label=gettext_lazy("Minutes"))

    def __init__(self, *args: Any, choices: Choices, **kwargs: Any) -> None:
        super().__init__(*args, choices=choices, **kwargs)
        field = self.fields["version"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = choices.minutes_versions

    @classmethod
    def initial_from(cls, effect: dict[str, Any]) -> dict[str, Any]:
        return {"version": str(effect.get("version", ""))}

    def to_effect(self) -> dict[str, Any]:
        return {"type": self.effect_type, "version": int(self.cleaned_data["version"])}


#: Effect type -> its form.
FORMS: dict[str, type[EffectForm]] = {}


def register_form(form: type[EffectForm]) -> type[EffectForm]:
    FORMS[form.effect_type] = form
    return form


for _form in (ChangeStatusForm, AdmitForm, ActivatePrioritiesForm, ApproveMinutesForm):
    register_form(_form)


class EffectRow:
    """One effect on the page: its number, type, form and whether it is to be removed."""

    def __init__(self, number: int, effect_type: str, form: EffectForm, *, new: bool) -> None:
        self.number, self.effect_type, self.form, self.new = number, effect_type, form, new
        self.removed = False

    @property
    def label(self) -> str:
        from .effects import REGISTRY

        effect = REGISTRY.get(self.effect_type)
        return str(effect.label) if effect and effect.label else self.effect_type


class EffectsValue:
    """What the page posted: the effects kept (their forms) and the new ones filled in;
    ``count`` is the number of kept rows the page had (their prefixes are 0 to count - 1)."""

    def __init__(self, rows: list[EffectRow], count: int) -> None:
        self.rows, self.count = rows, count


class EffectsWidget(forms.Widget):
    """Renders the effect forms; reads them back from the posted data."""

    template_name = "meetings/_effects_widget.html"

    def __init__(self, kinds: Iterable[str] | None = None, attrs: Any = None) -> None:
        super().__init__(attrs)
        self.kinds = set(kinds) if kinds is not None else None

    def _types(self) -> list[str]:
        from .effects import REGISTRY

        return [
            name
            for name in FORMS
            if name in REGISTRY and (self.kinds is None or REGISTRY[name].kinds & self.kinds)
        ]

    def value_from_datadict(self, data: Any, files: Any, name: str) -> EffectsValue | None:
        if f"{name}-count" not in data:
            return None
        choices = Choices()
        rows: list[EffectRow] = []
        try:
            count = min(int(data.get(f"{name}-count", 0)), 100)
        except (TypeError, ValueError):
            count = 0
        for index in range(count):
            prefix = f"{name}-{index}"
            effect_type = data.get(f"{prefix}-type")
            if effect_type not in FORMS:
                continue
            row = EffectRow(
                len(rows) + 1,
                effect_type,
                FORMS[effect_type](data, prefix=prefix, choices=choices),
                new=False,
            )
            row.removed = bool(data.get(f"{prefix}-remove"))
            rows.append(row)
        for effect_type in self._types():
            form = FORMS[effect_type](data, prefix=f"{name}-new-{effect_type}", choices=choices)
            if form.has_changed():
                rows.append(EffectRow(len(rows) + 1, effect_type, form, new=True))
        return EffectsValue(rows, count)

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return f"{name}-count" not in data

    def get_context(self, name: str, value: Any, attrs: Any) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        choices = Choices()
        filled: dict[str, EffectRow] = {}
        if isinstance(value, EffectsValue):  # the page comes back: what was posted, as posted
            kept = [row for row in value.rows if not row.new]
            filled = {row.effect_type: row for row in value.rows if row.new}
            count = value.count
        else:
            effects = [e for e in _effects_list(value) if e.get("type") in FORMS]
            kept = [
                EffectRow(
                    number,
                    effect["type"],
                    FORMS[effect["type"]](
                        prefix=f"{name}-{number - 1}",
                        initial=FORMS[effect["type"]].initial_from(effect),
                        choices=choices,
                    ),
                    new=False,
                )
                for number, effect in enumerate(effects, start=1)
            ]
            count = len(kept)
        blanks = [
            filled.get(effect_type)
            or EffectRow(
                0,
                effect_type,
                FORMS[effect_type](prefix=f"{name}-new-{effect_type}", choices=choices),
                new=True,
            )
            for effect_type in self._types()
        ]
        context["widget"].update(
            {"rows": kept, "blanks": blanks, "count": count, "chambers": choices.chamber_list()}
        )
        return context

    def render(self, name: str, value: Any, attrs: Any = None, renderer: Any = None) -> SafeString:
        context = self.get_context(name, value, attrs)
        return SafeString(render_to_string(self.template_name, context))


def _effects_list(value: Any) -> list[dict[str, Any]]:
    if isinstance(value, str):
        import json

        try:
            value = json.loads(value)
        except ValueError:
            return []
    return [e for e in value or [] if isinstance(e, dict)]


class EffectsField(forms.Field):
    """A decision's effects edited as forms; cleans to the list of effect objects (JSON), or
    names the effect and the field in words: "Effect 1, chamber: choose a chamber"."""

    widget = EffectsWidget

    def __init__(self, *, kinds: Iterable[str] | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        super().__init__(widget=EffectsWidget(kinds), **kwargs)

    def prepare_value(self, value: Any) -> Any:
        return value

    def to_python(self, value: Any) -> list[dict[str, Any]] | EffectsValue:
        if value is None:
            return []
        if isinstance(value, EffectsValue):
            return value
        return _effects_list(value)

    def validate(self, value: Any) -> None:
        """Each kept or added effect's form must be valid."""
        if not isinstance(value, EffectsValue):
            return
        messages = []
        number = 0
        for row in value.rows:
            if row.removed:
                continue
            number += 1
            if row.form.is_valid():
                continue
            for field_name, errors in row.form.errors.items():
                field = row.form.fields.get(field_name)
                label = str(field.label) if field is not None and field.label else field_name
                for error in errors:
                    messages.append(
                        _("Effect %(number)s, %(field)s: %(error)s")
                        % {"number": number, "field": label.lower(), "error": error}
                    )
        if messages:
            raise forms.ValidationError(messages)

    def clean(self, value: Any) -> list[dict[str, Any]]:
        value = self.to_python(value)
        self.validate(value)
        if isinstance(value, EffectsValue):
            return [row.form.to_effect() for row in value.rows if not row.removed]
        return value

    def has_changed(self, initial: Any, data: Any) -> bool:
        try:
            return _effects_list(initial) != self.clean(data)
        except forms.ValidationError:
            return True
