"""The API's indicators: a series with its latest value (the list) or every value with its
revisions (one series). Values are exact decimals written as strings (``"7900000000"``,
``"9.5"``), never floats."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from ..models import Revision, Series, Value
from ..services import plain


class RevisionSerializer(serializers.ModelSerializer):
    value = serializers.SerializerMethodField(method_name="value_text")

    class Meta:
        model = Revision
        fields = ["number", "value", "source_name", "source_url", "recorded_at", "recorded_by"]
        read_only_fields = fields

    def value_text(self, revision: Revision) -> str:
        return plain(revision.value)


class ValueSerializer(serializers.ModelSerializer):
    period = serializers.SerializerMethodField()
    period_label = serializers.SerializerMethodField()
    value = serializers.SerializerMethodField(method_name="value_text")
    revisions = RevisionSerializer(many=True, read_only=True)

    class Meta:
        model = Value
        fields = [
            "period", "period_label", "period_start", "period_end", "value", "source_name",
            "source_url", "revision", "recorded_at", "revisions",
        ]  # fmt: skip
        read_only_fields = fields

    def get_period(self, value: Value) -> str:
        return value.period.code

    def get_period_label(self, value: Value) -> str:
        return value.period.label()

    def value_text(self, value: Value) -> str:
        return plain(value.value)


class SeriesSerializer(serializers.ModelSerializer):
    reporter = serializers.SerializerMethodField()
    reporter_name = serializers.SerializerMethodField()
    partner_name = serializers.CharField(source="partner_label", read_only=True)
    name = serializers.CharField(source="what", read_only=True)
    title = serializers.CharField(read_only=True)
    latest = serializers.SerializerMethodField()

    class Meta:
        model = Series
        fields = [
            "id", "reporter", "reporter_name", "partner", "partner_name", "flow", "key", "name",
            "unit", "title", "published", "latest",
        ]  # fmt: skip
        read_only_fields = fields

    def get_reporter(self, series: Series) -> str:
        return str(series.reporter.code)

    def get_reporter_name(self, series: Series) -> str:
        return str(series.reporter.name)

    def get_latest(self, series: Series) -> dict[str, Any] | None:
        last = series.latest
        if last is None:
            return None
        return {"period": last.period.code, "value": plain(last.value)}


class SeriesDetailSerializer(SeriesSerializer):
    values = ValueSerializer(many=True, read_only=True)

    class Meta(SeriesSerializer.Meta):
        fields = [*SeriesSerializer.Meta.fields, "values"]
        read_only_fields = fields
