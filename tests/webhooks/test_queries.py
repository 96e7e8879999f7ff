"""Query counts of the webhook admin lists, pinned in ``tests/query_counts.py``: the
subscribers and the delivery log (with each delivery's attempt count) cost the same with a few
rows as with many."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.factories import (
    AttemptFactory,
    DeliveryFactory,
    SubscriberFactory,
    bulk_rows,
    make_login,
)
from tests.query_counts import Pin, assert_expected_query_count

pytestmark = pytest.mark.django_db

SIZES = [pytest.param(2, id="2-rows"), pytest.param(40, id="40-rows")]
CASES = {
    Pin("admin:webhooks_subscriber_changelist", "staff"): "/admin/webhooks/subscriber/",
    Pin("admin:webhooks_delivery_changelist", "staff"): "/admin/webhooks/delivery/",
}


def grow(size: int) -> None:
    """``size`` subscribers, each with a delivery that failed twice (straight into the tables:
    the services' address checks and sending are tested elsewhere)."""
    subscribers = bulk_rows(
        SubscriberFactory,
        ({"name": f"Receiver {i}", "url": f"http://127.0.0.1:9/hook-{i}"} for i in range(size)),
    )
    deliveries = bulk_rows(DeliveryFactory, ({"subscriber": s} for s in subscribers))
    bulk_rows(AttemptFactory, ({"delivery": d, "number": n} for d in deliveries for n in (1, 2)))


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("pin", list(CASES), ids=str)
def test_admin_lists_cost_the_same_at_any_size(django_assert_num_queries, pin: Pin, size: int):
    grow(size)
    client = Client()
    client.force_login(make_login(None, None, username=pin.caller, staff=True))
    with assert_expected_query_count(django_assert_num_queries, pin, CASES[pin], size=size):
        response = client.get(CASES[pin])
    assert response.status_code == 200
    assert f"Receiver {size - 1}" in response.content.decode()
    assert response.context["cl"].result_count == size
