"""The portal's indicators: ``/indicators/`` (what the union publishes; members see every
series) with its charts and tables, and one series' page with each value's revisions."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from core.access import access_for_request
from core.pages import query_without

from . import display, periods, selectors
from .models import PARTNER_LABELS, Flow

#: Series per page of the list.
SERIES_PAGE = 50


@require_GET
def indicator_list(request: HttpRequest) -> HttpResponse:
    access = access_for_request(request)
    error = ""
    try:
        queryset = selectors.series_filtered(access, request.GET)
    except periods.PeriodError as exc:
        error, queryset = str(exc), selectors.series_visible(access).none()
    page = Paginator(selectors.with_values(queryset), SERIES_PAGE).get_page(request.GET.get("page"))
    series = list(page.object_list)
    visible = selectors.series_visible(access)
    return render(
        request,
        "indicators/indicator_list.html",
        {
            "page": page,
            "series": series,
            "charts": display.charts_of(series, prefix="indicators"),
            "reporters": sorted(
                {s.reporter for s in visible.only("reporter")}, key=lambda c: c.name
            ),
            "flows": Flow.choices,
            "partner_labels": PARTNER_LABELS,
            "filters": {
                k: request.GET.get(k, "") for k in ("reporter", "partner", "flow", "period")
            },
            "period_error": error,
            "query": query_without(request, "page"),
        },
    )


@require_GET
def indicator_detail(request: HttpRequest, pk: int) -> HttpResponse:
    access = access_for_request(request)
    series = get_object_or_404(
        selectors.with_values(selectors.series_visible(access), history=True), pk=pk
    )
    return render(
        request,
        "indicators/indicator_detail.html",
        {"series": series, "charts": display.charts_of([series], prefix=f"series-{series.pk}")},
    )
