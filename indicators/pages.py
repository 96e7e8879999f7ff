"""The indicators' parts of other apps' pages (:mod:`core.pages`): a chamber's trade figures on
its page, and each priority's targets with their progress on the priorities page."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from core.access import access_for_request

from . import display, selectors, services


def chamber_context(request: HttpRequest, *, chamber: Any) -> dict[str, Any]:
    """``trade``: the charts of the series its country reports (members see unpublished ones
    too); an empty list when it reports none."""
    access = access_for_request(request)
    series = list(
        selectors.with_values(
            selectors.series_visible(access).filter(reporter=chamber.country.code)
        )
    )
    return {"trade": display.charts_of(series, prefix=f"chamber-{chamber.pk}")}


def priorities_context(request: HttpRequest, *, priorities: Any) -> dict[str, Any]:
    """``targets``: by priority id, the progress toward each of its target indicators."""
    access = access_for_request(request)
    by_priority = selectors.targets_of([p.pk for p in priorities], access)
    latest = selectors.latest_values(t.series_id for ts in by_priority.values() for t in ts)
    return {
        "targets": {
            priority_id: [services.progress_of(t, latest.get(t.series_id)) for t in targets]
            for priority_id, targets in by_priority.items()
        }
    }
