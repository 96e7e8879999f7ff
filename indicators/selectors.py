"""Reads of indicators, scoped to the reader: the public sees the published series only,
members (and the secretariat) every series."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.db.models import Prefetch, QuerySet

from core.access import Access

from . import periods
from .models import Revision, Series, Target, Value


def series_visible(access: Access) -> QuerySet[Series]:
    queryset = Series.objects.all()
    return queryset if access.is_member else queryset.filter(published=True)


def series_filtered(access: Access, params: Mapping[str, Any]) -> QuerySet[Series]:
    """The visible series by ``reporter``, ``partner``, ``flow`` (a flow or a named
    indicator's key) and ``period`` (those with a value of that period); an unknown value of
    a filter matches nothing. A malformed period is ``PeriodError``."""
    queryset = series_visible(access)
    if reporter := str(params.get("reporter") or "").strip().upper():
        queryset = queryset.filter(reporter=reporter)
    if partner := str(params.get("partner") or "").strip():
        queryset = queryset.filter(
            partner=partner.lower() if partner.lower() in ("union", "world") else partner.upper()
        )
    if flow := str(params.get("flow") or "").strip().lower():
        queryset = queryset.filter(flow=flow) | queryset.filter(flow="indicator", key=flow)
    if text := str(params.get("period") or "").strip():
        period = periods.parse(text)
        queryset = queryset.filter(values__period_start=period.start, values__period_end=period.end)
    return queryset.distinct()


def with_values(queryset: QuerySet[Series], *, history: bool = False) -> QuerySet[Series]:
    """Each series with its values in period order (and each value's revisions)."""
    values = Value.objects.order_by("period_start", "period_end")
    if history:
        values = values.prefetch_related(
            Prefetch("revisions", queryset=Revision.objects.order_by("number"))
        )
    return queryset.prefetch_related(Prefetch("values", queryset=values))


def latest_values(series_ids: Iterable[int]) -> dict[int, Value]:
    """The value of the latest period of each series (one query)."""
    latest: dict[int, Value] = {}
    values = Value.objects.filter(series_id__in=list(series_ids)).order_by(
        "series_id", "-period_end", "-period_start"
    )
    for value in values:
        latest.setdefault(value.series_id, value)
    return latest


def targets_of(priority_ids: Iterable[int], access: Access) -> dict[int, list[Target]]:
    """The targets of these priorities whose series the reader may see, by priority."""
    visible = series_visible(access).values("pk")
    targets = (
        Target.objects.filter(priority_id__in=list(priority_ids), series__in=visible)
        .select_related("series")
        .order_by("priority_id", "pk")
    )
    found: dict[int, list[Target]] = {}
    for target in targets:
        found.setdefault(target.priority_id, []).append(target)
    return found
