"""The effects of rotation decisions, registered with the meetings app's effect registry:
``approve_term``, ``waive``, ``swap`` and ``set_order``. Applied inside the adoption's
transaction: a refused effect refuses the whole decision."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from chambers.models import Chamber, Contact
from meetings.effects import EffectType, register

from . import services
from .models import OrderKind

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


register(
    EffectType(
        "approve_term",
        ROTATION,
        ApproveTermFields,
        lambda *, decision, actor, **data: services.term_approve(
            actor=actor, decision=decision, **data
        ),
        _("Approve a term"),
    )
)
register(
    EffectType(
        "waive",
        ROTATION,
        WaiveFields,
        lambda *, decision, actor, **data: services.term_waive(
            actor=actor, decision=decision, **data
        ),
        _("Waive a turn"),
    )
)
register(
    EffectType(
        "swap",
        ROTATION,
        SwapFields,
        lambda *, decision, actor, **data: services.turns_swap(
            actor=actor, decision=decision, **data
        ),
        _("Swap two turns"),
    )
)
register(
    EffectType(
        "set_order",
        ROTATION,
        SetOrderFields,
        lambda *, decision, actor, **data: services.order_set(
            actor=actor, decision=decision, **data
        ),
        _("Set the order"),
    )
)
