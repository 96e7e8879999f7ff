"""API v1 for chambers and contacts: reads through selectors, writes through services."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import SAFE_METHODS, AllowAny, BasePermission
from rest_framework.request import Request
from rest_framework.response import Response

from core.access import access_for_request
from core.api import ConditionalMixin
from core.collation import collated_text
from core.permissions import CanWrite, IsMember, IsSecretariat

from .. import selectors, services
from ..filters import ChamberFilter
from ..models import Chamber, Contact
from .serializers import (
    ChamberCreateSerializer,
    ChamberPatchSerializer,
    ChamberSerializer,
    ContactSerializer,
    MembershipPeriodSerializer,
    StatusChangeSerializer,
)

if TYPE_CHECKING:
    from ..models import ChamberWithStatus


@extend_schema_view(
    list=extend_schema(
        summary="List chambers",
        description="Public. Filter by `country` (ISO alpha-2), `status` (today's) and `q`.",
        responses={200: ChamberSerializer(many=True)},
    ),
    retrieve=extend_schema(summary="One chamber", responses={200: ChamberSerializer}),
)
class ChamberViewSet(
    ConditionalMixin[Chamber],
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet[Chamber],
):
    """Chambers by slug. Anyone reads; the secretariat creates; a chamber's editor edits it."""

    lookup_field = "slug"
    serializer_class = ChamberSerializer
    filterset_class = ChamberFilter
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_permissions(self) -> list[BasePermission]:
        if self.action in ("list", "retrieve"):
            return [AllowAny()]
        if self.action in ("create", "change_status"):
            return [IsSecretariat()]
        safe = self.request.method in SAFE_METHODS
        if self.action == "memberships" or (self.action == "contacts" and safe):
            return [IsMember()]
        return [CanWrite()]

    def get_queryset(self) -> QuerySet[ChamberWithStatus]:
        writes = self.request.method not in SAFE_METHODS
        if writes and self.action != "create":
            return selectors.chamber_list_writable(access=access_for_request(self.request))
        return selectors.chamber_list().order_by(
            collated_text("short_name"), "slug"
        )  # stable pages

    def get_filterset_class(self) -> type[ChamberFilter] | None:
        return ChamberFilter if self.action == "list" else None

    def _reloaded(self, chamber: Chamber) -> Chamber:
        return selectors.chamber_list().get(pk=chamber.pk)

    def represent(self, chamber: Chamber) -> dict:
        return ChamberSerializer(
            self._reloaded(chamber), context=self.get_serializer_context()
        ).data

    @extend_schema(
        summary="Add a chamber (secretariat)",
        request=ChamberCreateSerializer,
        responses={201: ChamberSerializer},
    )
    def create(self, request: Request) -> Response:
        serializer = ChamberCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.to_service_data()
        chamber = services.chamber_create(actor=access_for_request(request), **data)
        body = ChamberSerializer(self._reloaded(chamber), context={"request": request}).data
        return Response(body, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Edit a chamber's profile (its editor or the secretariat)",
        request=ChamberPatchSerializer,
        responses={200: ChamberSerializer},
    )
    def partial_update(self, request: Request, slug: str) -> Response:
        with transaction.atomic():
            chamber = self.get_locked_object()
            serializer = ChamberPatchSerializer(data=request.data, partial=True)
            serializer.is_valid(raise_exception=True)
            chamber = services.chamber_update(
                actor=access_for_request(request),
                chamber=chamber,
                data=serializer.to_service_data(),
            )
        return Response(self.represent(chamber))

    @extend_schema(
        summary="Membership history (members)",
        responses={200: MembershipPeriodSerializer(many=True)},
    )
    @action(detail=True, methods=["get"], filterset_class=None)
    def memberships(self, request: Request, slug: str) -> Response:
        chamber = self.get_object()
        # DRF paginates any queryset; the stubs type paginate_queryset for the viewset's model.
        page = self.paginate_queryset(selectors.chamber_periods(chamber=chamber))  # type: ignore[arg-type]
        return self.get_paginated_response(MembershipPeriodSerializer(page, many=True).data)

    @extend_schema(
        summary="Change membership status (secretariat)",
        description="Closes the open period the day before `effective` and opens the next.",
        request=StatusChangeSerializer,
        responses={200: ChamberSerializer},
    )
    @action(detail=True, methods=["post"], url_path="status", filterset_class=None)
    def change_status(self, request: Request, slug: str) -> Response:
        chamber = self.get_object()
        serializer = StatusChangeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.membership_change_status(
            actor=access_for_request(request), chamber=chamber, **serializer.validated_data
        )
        return Response(
            ChamberSerializer(self._reloaded(chamber), context={"request": request}).data
        )

    @extend_schema(
        methods=["GET"],
        summary="A chamber's contacts (members)",
        responses={200: ContactSerializer(many=True)},
    )
    @extend_schema(
        methods=["POST"],
        summary="Add a contact (the chamber's editor or the secretariat)",
        request=ContactSerializer,
        responses={201: ContactSerializer},
    )
    @action(detail=True, methods=["get", "post"], filterset_class=None)
    def contacts(self, request: Request, slug: str) -> Response:
        chamber = self.get_object()
        if request.method in SAFE_METHODS:
            # As in memberships: the stubs type paginate_queryset for the viewset's model.
            page = self.paginate_queryset(selectors.chamber_contacts(chamber=chamber))  # type: ignore[arg-type]
            return self.get_paginated_response(ContactSerializer(page, many=True).data)
        serializer = ContactSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        contact = services.contact_create(
            actor=access_for_request(request), chamber=chamber, data=serializer.validated_data
        )
        return Response(ContactSerializer(contact).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    retrieve=extend_schema(summary="One contact (members)", responses={200: ContactSerializer}),
    partial_update=extend_schema(
        summary="Edit a contact (its chamber's editor or the secretariat)",
        responses={200: ContactSerializer},
    ),
    destroy=extend_schema(
        summary="Remove a contact (its chamber's editor or the secretariat)",
        responses={204: None},
    ),
)
class ContactViewSet(
    ConditionalMixin[Contact],
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet[Contact],
):
    serializer_class = ContactSerializer
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]  # post: erase

    def get_permissions(self) -> list[BasePermission]:
        if self.action in ("personal_data", "erase"):
            return [IsSecretariat()]
        return [IsMember()] if self.action == "retrieve" else [CanWrite()]

    @staticmethod
    def _contact_id(pk: str) -> int:
        if not pk.isdigit():
            raise Http404
        return int(pk)

    @extend_schema(
        summary="Everything held about a contact (the secretariat), also one since removed",
        responses={200: OpenApiTypes.OBJECT},
    )
    @action(detail=True, methods=["get"], url_path="personal-data")
    def personal_data(self, request: Request, pk: str) -> Response:
        data = services.personal_data(
            actor=access_for_request(request), contact_id=self._contact_id(pk)
        )
        response = Response(data)
        response["Content-Disposition"] = f'attachment; filename="contact-{pk}.json"'
        return response

    @extend_schema(
        summary="Erase a contact's name, e-mail and phone everywhere (the secretariat)",
        request=None,
        responses={200: OpenApiTypes.OBJECT},
    )
    @action(detail=True, methods=["post"])
    def erase(self, request: Request, pk: str) -> Response:
        changed = services.contact_erase(
            actor=access_for_request(request), contact_id=self._contact_id(pk)
        )
        return Response({"contact": int(pk), "erased": changed})

    def get_queryset(self) -> QuerySet[Contact]:
        if self.action == "retrieve":
            return Contact.objects.select_related("chamber")
        return selectors.contact_list_writable(access=access_for_request(self.request))

    def partial_update(self, request: Request, pk: str) -> Response:
        with transaction.atomic():
            contact = self.get_locked_object()
            serializer = ContactSerializer(contact, data=request.data, partial=True)
            serializer.is_valid(raise_exception=True)
            contact = services.contact_update(
                actor=access_for_request(request), contact=contact, data=serializer.validated_data
            )
        return Response(self.represent(contact))

    def destroy(self, request: Request, pk: str) -> Response:
        services.contact_delete(actor=access_for_request(request), contact=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)
