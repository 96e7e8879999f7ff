"""API v1 for the rotation: terms, the troika, the forecast and the order."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny, BasePermission
from rest_framework.request import Request
from rest_framework.response import Response

from core.access import access_for_request
from core.api import ConditionalMixin
from core.permissions import IsMember

from .. import selectors
from ..models import Term
from .serializers import (
    ForecastQuerySerializer,
    ForecastTermSerializer,
    OrderSerializer,
    TermSerializer,
    TroikaSerializer,
)


@extend_schema_view(
    list=extend_schema(
        summary="Terms of the chairmanship (public)",
        responses={200: TermSerializer(many=True)},
    ),
    retrieve=extend_schema(summary="One term (public)", responses={200: TermSerializer}),
)
class TermViewSet(
    ConditionalMixin[Term],
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet[Term],
):
    serializer_class = TermSerializer
    permission_classes = [AllowAny]
    queryset = selectors.term_list()

    def get_serializer_context(self) -> dict:
        access = access_for_request(self.request)
        return {**super().get_serializer_context(), "is_member": access.is_member}


class RotationViewSet(viewsets.GenericViewSet):
    """The rotation as a whole: who chairs now, who will, and in what order."""

    pagination_class = None
    filter_backends: list = []

    def get_permissions(self) -> list[BasePermission]:
        # The public sees who chairs now (and the terms); the forecast and order are for members.
        return [AllowAny()] if self.action == "current" else [IsMember()]

    @extend_schema(
        summary="The troika: previous, current and next chair (public)",
        responses={200: TroikaSerializer},
    )
    @action(detail=False, methods=["get"])
    def current(self, request: Request) -> Response:
        return Response(TroikaSerializer(selectors.troika()).data)

    @extend_schema(
        summary="The forecast of the next terms (members)",
        parameters=[
            OpenApiParameter("years", int, description="How far ahead, 1 to 100 (default 10).")
        ],
        responses={200: ForecastTermSerializer(many=True)},
    )
    @action(detail=False, methods=["get"])
    def forecast(self, request: Request) -> Response:
        query = ForecastQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        rows = selectors.forecast_rows(years=query.validated_data["years"])
        return Response(ForecastTermSerializer(rows, many=True).data)

    @extend_schema(
        summary="The rotation order (members)",
        responses={200: OrderSerializer},
    )
    @action(detail=False, methods=["get"])
    def order(self, request: Request) -> Response:
        return Response(OrderSerializer(selectors.order_rows()).data)
