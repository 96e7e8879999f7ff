"""Query counts of the indicators' pages, API and admin lists, pinned in
``tests/query_counts.py``: a few series and values cost the same as many."""

from __future__ import annotations

import pytest

from tests.factories import (
    PriorityFactory,
    SeriesFactory,
    TargetFactory,
    ValueFactory,
    bulk_rows,
)
from tests.query_counts import Pin, assert_expected_query_count
from tests.scenes import Union

SIZES = [pytest.param(2, id="2-rows"), pytest.param(40, id="40-rows")]
CASES = {
    Pin("indicators:list", "anonymous"): ("/indicators/", False),
    Pin("indicators:list", "viewer"): ("/indicators/", False),
    Pin("indicators:detail", "anonymous"): ("/indicators/{series}/", False),
    Pin("indicator-list", "anonymous"): ("/api/v1/indicators/", True),
    Pin("indicator-list", "viewer"): ("/api/v1/indicators/", True),
    Pin("indicator-detail", "anonymous"): ("/api/v1/indicators/{series}/", True),
    Pin("admin:indicators_series_changelist", "staff"): ("/admin/indicators/series/", False),
    Pin("admin:indicators_target_changelist", "staff"): ("/admin/indicators/target/", False),
}


def grow(size: int):
    """``size`` published series with ``size`` yearly values each (straight into the tables),
    and a priority's target on each; the first series is returned."""
    series = bulk_rows(SeriesFactory, ({"unit": f"USD {i}"} for i in range(size)))
    bulk_rows(
        ValueFactory,
        (
            {"series": s, "value": 1000 + i * size + y}
            for i, s in enumerate(series)
            for y in range(size)
        ),
    )
    priority = PriorityFactory()
    bulk_rows(TargetFactory, ({"priority": priority, "series": s} for s in series))
    return series[0]


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("pin", list(CASES), ids=str)
def test_query_count_does_not_grow_with_rows(
    union: Union, django_assert_num_queries, pin: Pin, size: int
) -> None:
    first = grow(size)
    path, api = CASES[pin]
    url = path.format(series=first.pk)
    client = union.client(pin.caller, api=api)
    with assert_expected_query_count(django_assert_num_queries, pin, url, size=size):
        response = client.get(url)
    assert response.status_code == 200
