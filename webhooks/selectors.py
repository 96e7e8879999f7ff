"""Reads of the webhooks' deliveries for pages."""

from __future__ import annotations

from django.db.models import QuerySet

from .models import Delivery, DeliveryStatus


def deliveries_failed() -> QuerySet[Delivery]:
    """Deliveries that failed after their last retry, the latest first, with their
    subscriber."""
    return (
        Delivery.objects.filter(status=DeliveryStatus.FAILED)
        .select_related("subscriber")
        .order_by("-created_at", "-pk")
    )
