"""API v1 of indicators: ``GET /api/v1/indicators/`` (filters ``reporter``, ``partner``,
``flow``, ``period``) and ``GET /api/v1/indicators/{id}/`` with every value and its revisions.
The public reads the published series; members and tokens read all."""

from __future__ import annotations

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny

from core.access import access_for_request
from core.api import ConditionalMixin
from core.schema import errors

from .. import periods, selectors
from ..models import Series
from .serializers import SeriesDetailSerializer, SeriesSerializer

FILTERS = [
    OpenApiParameter("reporter", str, description="The reporter's ISO code, e.g. `KZ`."),
    OpenApiParameter("partner", str, description="A country's ISO code, `union` or `world`."),
    OpenApiParameter(
        "flow",
        str,
        description="`exports`, `imports`, `turnover`, `balance`, or a named indicator's key "
        "(`intra-union-share`).",
    ),
    OpenApiParameter(
        "period",
        str,
        description="Series with a value of this period: `2025`, `2025-Q3`, `2025-03` or "
        "`2025-01/2025-10`.",
    ),
]


@extend_schema_view(
    list=extend_schema(
        summary="Indicator series (public: published ones; members: all)",
        parameters=FILTERS,
        responses={200: SeriesSerializer(many=True), **errors(400)},
        tags=["indicators"],
    ),
    retrieve=extend_schema(
        summary="One series with every value and its revisions",
        responses={200: SeriesDetailSerializer, **errors(404)},
        tags=["indicators"],
    ),
)
class IndicatorViewSet(
    ConditionalMixin[Series],
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet[Series],
):
    permission_classes = [AllowAny]

    def get_queryset(self) -> QuerySet[Series]:
        access = access_for_request(self.request)
        if self.action == "list":
            try:
                queryset = selectors.series_filtered(access, self.request.query_params)
            except periods.PeriodError as exc:
                raise ValidationError({"period": [str(exc)]}) from exc
            return selectors.with_values(queryset).order_by("reporter", "flow", "key", "pk")
        return selectors.with_values(selectors.series_visible(access), history=True)

    def get_serializer_class(self) -> type[SeriesSerializer]:
        return SeriesSerializer if self.action == "list" else SeriesDetailSerializer
