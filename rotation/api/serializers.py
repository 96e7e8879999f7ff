"""Serializers of the rotation API."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiExample, extend_schema_serializer
from rest_framework import serializers

from chambers.models import Chamber

from ..models import Term


class PresidentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    position = serializers.CharField()


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "The current term",
            value={
                "id": 9,
                "chamber": "atameken",
                "country": "KZ",
                "start": "2026-01-01",
                "end": "2026-12-31",
                "state": "approved",
                "phase": "current",
                "president": {"id": 12, "name": "Raimbek Batalov", "position": "Chairman"},
                "decision": 87,
                "handover_date": "2025-12-10",
                "handover_meeting": 40,
            },
            response_only=True,
        )
    ]
)
class TermSerializer(serializers.ModelSerializer):
    chamber: serializers.SlugRelatedField[Chamber] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True
    )
    country = serializers.CharField(source="chamber.country.code", read_only=True)
    phase = serializers.ChoiceField(choices=["past", "current", "upcoming"], read_only=True)
    president = PresidentSerializer(read_only=True, allow_null=True)
    decision = serializers.SerializerMethodField()

    class Meta:
        model = Term
        fields = [
            "id",
            "chamber",
            "country",
            "start",
            "end",
            "state",
            "phase",
            "president",
            "decision",
            "handover_date",
            "handover_meeting",
        ]
        read_only_fields = fields

    def get_decision(self, term: Term) -> int | None:
        """The register's rule: the public sees adopted, published decisions; members all."""
        decision = term.decision
        if decision is None:
            return None
        if self.context.get("is_member") or (decision.is_adopted and decision.published):
            return decision.pk
        return None


class SkipSerializer(serializers.Serializer):
    chamber = serializers.CharField(help_text=_("Slug of the chamber passed over."))
    reason = serializers.ChoiceField(choices=["observer", "suspended", "former", "waived", "later"])


class ForecastTermSerializer(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField()
    chamber = serializers.CharField(allow_null=True, help_text=_("Null when no chamber may chair."))
    country = serializers.CharField(allow_null=True)
    approved = serializers.BooleanField()
    proposed = serializers.BooleanField(help_text=_("Agreed by a swap, not yet approved."))
    unrecorded = serializers.BooleanField(
        help_text=_(
            "The term has passed (it lies before the current one) and no approved term is "
            "recorded for it: the chamber is whose turn it was."
        )
    )
    state = serializers.ChoiceField(
        choices=["approved", "proposed", "forecast", "not_recorded"],
        help_text=_(
            "approved; proposed (by a swap); not_recorded (passed without an approved term); "
            "forecast."
        ),
    )
    president = PresidentSerializer(allow_null=True)
    skipped = SkipSerializer(many=True)


class TroikaSerializer(serializers.Serializer):
    previous = ForecastTermSerializer(allow_null=True)
    current = ForecastTermSerializer(allow_null=True)
    next = ForecastTermSerializer(allow_null=True)


class ForecastQuerySerializer(serializers.Serializer):
    years = serializers.IntegerField(min_value=1, max_value=100, default=10)


class OrderPlaceSerializer(serializers.Serializer):
    position = serializers.IntegerField()
    chamber = serializers.CharField()
    country = serializers.CharField()
    name = serializers.CharField()


class OrderSerializer(serializers.Serializer):
    kind = serializers.CharField()
    decision = serializers.IntegerField(allow_null=True)
    term_months = serializers.IntegerField()
    chambers = OrderPlaceSerializer(many=True)
