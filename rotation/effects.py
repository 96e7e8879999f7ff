"""The effects of rotation decisions, registered with the meetings app's effect registry:
``approve_term``, ``waive``, ``swap`` and ``set_order``. Applied inside the adoption's
transaction: a refused effect refuses the whole decision."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from chambers.models import Chamber, Contact
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
    start = serializers.DateField()
    end = serializers.DateField()
    president = serializers.PrimaryKeyRelatedField(
        queryset=Contact.objects.all(), required=False, allow_null=True
    )


class WaiveFields(serializers.Serializer):
    chamber = _chamber_field()
    start = serializers.DateField()


class SwapFields(serializers.Serializer):
    chamber_a = _chamber_field()
    chamber_b = _chamber_field()
    start_a = serializers.DateField()
    start_b = serializers.DateField()


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
