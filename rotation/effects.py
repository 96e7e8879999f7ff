"""The effects of rotation decisions, registered with the meetings app's effect registry:
``approve_term``, ``waive``, ``swap`` and ``set_order``. Applied inside the adoption's
transaction: a refused effect refuses the whole decision."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from chambers.models import Chamber, Contact
from core import bounds
from meetings.effect_forms import (
    ChamberChoiceField,
    Choices,
    EffectForm,
    date_field,
    register_form,
)
from meetings.effects import EffectType, register

from . import services
from .models import OrderKind

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from core.access import Access
    from meetings.models import Decision

ROTATION = frozenset({"rotation"})


def _chamber_field() -> serializers.SlugRelatedField:
    return serializers.SlugRelatedField(slug_field="slug", queryset=Chamber.objects.all())


class ApproveTermFields(serializers.Serializer):
    chamber = _chamber_field()
    start = bounds.DateField()
    end = bounds.DateField()
    president: serializers.PrimaryKeyRelatedField[Contact] = serializers.PrimaryKeyRelatedField(
        queryset=Contact.objects.all(), required=False, allow_null=True
    )


class WaiveFields(serializers.Serializer):
    chamber = _chamber_field()
    start = bounds.DateField()


class SwapFields(serializers.Serializer):
    chamber_a = _chamber_field()
    chamber_b = _chamber_field()
    start_a = bounds.DateField()
    start_b = bounds.DateField()


class SetOrderFields(serializers.Serializer):
    kind = serializers.ChoiceField(choices=OrderKind.choices)
    chambers = serializers.ListField(child=_chamber_field(), allow_empty=False)


#: Each effect's fields, the service that applies it and its label.
SERVICES: dict[str, tuple[type[serializers.Serializer[Any]], Callable[..., Any], StrOrPromise]] = {
    "approve_term": (ApproveTermFields, services.term_approve, _("Approve a term")),
    "waive": (WaiveFields, services.term_waive, _("Waive a turn")),
    "swap": (SwapFields, services.turns_swap, _("Swap two turns")),
    "set_order": (SetOrderFields, services.order_set, _("Set the order")),
}


def _applier(service: Callable[..., Any]) -> Callable[..., Any]:
    """An effect applies its service with the decision as the record of why."""

    def apply(*, decision: Decision, actor: Access, **data: Any) -> Any:
        return service(actor=actor, decision=decision, **data)

    return apply


for name, (fields, service, label) in SERVICES.items():
    register(EffectType(name, ROTATION, fields, _applier(service), label))


# The same effects as forms, for the admin and the portal (meetings.effect_forms) -------------


@register_form
class ApproveTermForm(EffectForm):
    effect_type = "approve_term"
    chamber = ChamberChoiceField(label=_("Chamber"))
    start = date_field(_("Term starts"))
    end = date_field(_("Term ends"))
    president = forms.ChoiceField(
        label=_("President"),
        required=False,
        help_text=_("One of the chamber's contacts; may be named later."),
    )

    def __init__(self, *args: Any, choices: Choices, **kwargs: Any) -> None:
        super().__init__(*args, choices=choices, **kwargs)
        if choices.contacts is None:  # too many to list: the contact's number
            self.fields["president"] = forms.IntegerField(
                label=_("President"),
                required=False,
                min_value=1,
                help_text=_("The number of one of the chamber's contacts; may be named later."),
            )
        else:
            field = self.fields["president"]
            assert isinstance(field, forms.ChoiceField)
            field.choices = choices.contacts

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        president, chamber = cleaned.get("president"), cleaned.get("chamber")
        if (
            president
            and chamber
            and not Contact.objects.filter(pk=president, chamber__slug=chamber).exists()
        ):
            self.add_error("president", gettext("choose one of the chamber's contacts"))
        return cleaned

    def to_effect(self) -> dict[str, Any]:
        effect = super().to_effect()
        if "president" in effect:
            effect["president"] = int(effect["president"])
        return effect


@register_form
class WaiveForm(EffectForm):
    effect_type = "waive"
    chamber = ChamberChoiceField(label=_("Chamber"))
    start = date_field(_("Term starts"))


@register_form
class SwapForm(EffectForm):
    effect_type = "swap"
    chamber_a = ChamberChoiceField(label=_("First chamber"))
    start_a = date_field(_("Its term starts"))
    chamber_b = ChamberChoiceField(label=_("Second chamber"))
    start_b = date_field(_("Its term starts"))


#: How many places the order's form offers; a stored or posted order longer than that gets
#: ``ORDER_SPARE`` empty places after its own (for a chamber admitted since).
ORDER_PLACES = 60
ORDER_SPARE = 10


@register_form
class SetOrderForm(EffectForm):
    """The order as places 1, 2, 3...: one chamber chosen per place (places left empty are
    not part of the order)."""

    effect_type = "set_order"
    kind = forms.ChoiceField(label=_("Kind of order"), choices=[("", "—"), *OrderKind.choices])

    def __init__(self, *args: Any, choices: Choices, **kwargs: Any) -> None:
        super().__init__(*args, choices=choices, **kwargs)
        for place in range(1, self._places_shown(choices) + 1):
            field = ChamberChoiceField(
                label=_("Place %(place)s") % {"place": place}, required=False
            )
            field.offer(choices)
            self.fields[f"place_{place}"] = field

    def _places_shown(self, choices: Choices) -> int:
        """A place per chamber up to ``ORDER_PLACES``, or the stored order's and some spare,
        or as many as the posted page has: a form of 12,000 places is of no use to a person
        (a longer order comes from the API or a script), and a field per place for every
        chamber is what made the page quadratic."""
        prefix = f"{self.prefix}-place_" if self.prefix else "place_"
        posted = [k for k in (self.data or {}) if k.startswith(prefix)]
        given = [k for k in self.initial if k.startswith("place_")]
        wanted = max(ORDER_PLACES, len(posted), len(given) + ORDER_SPARE)
        return min(len(choices.chambers), wanted)

    @classmethod
    def initial_from(cls, effect: dict[str, Any]) -> dict[str, Any]:
        initial: dict[str, Any] = {"kind": effect.get("kind")}
        for place, slug in enumerate(effect.get("chambers", []), start=1):
            initial[f"place_{place}"] = slug
        return initial

    def _places(self) -> list[str]:
        names = sorted((n for n in self.fields if n.startswith("place_")), key=lambda n: int(n[6:]))
        return [self.cleaned_data[n] for n in names if self.cleaned_data.get(n)]

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        places = self._places()
        if not places:
            self.add_error("place_1", gettext("choose a chamber"))
        elif len(set(places)) != len(places):
            self.add_error(None, gettext("name each chamber once"))
        return cleaned

    def to_effect(self) -> dict[str, Any]:
        return {
            "type": self.effect_type,
            "kind": self.cleaned_data["kind"],
            "chambers": self._places(),
        }
