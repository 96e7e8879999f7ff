"""Query counts pinned for the webhook admin lists: the subscribers and the delivery log (with
each delivery's attempt count) cost the same with a few rows as with many."""

from __future__ import annotations

import uuid

import pytest
from django.test import Client
from django.utils import timezone

from tests.factories import make_login
from tests.webhooks.conftest import subscribe
from webhooks.models import Attempt, Delivery, EventType

pytestmark = pytest.mark.django_db


def grow(size: int) -> None:
    for i in range(size):
        subscriber = subscribe(
            f"http://127.0.0.1:9/hook-{i}", [EventType.MEETING_CREATED], name=f"Receiver {i}"
        )
        delivery = Delivery.objects.create(
            subscriber=subscriber,
            event=EventType.MEETING_CREATED,
            event_id=uuid.uuid4(),
            payload={"n": i},
            body="{}",
        )
        Attempt.objects.bulk_create(
            Attempt(
                delivery=delivery,
                number=n,
                started_at=timezone.now(),
                duration_ms=5,
                status_code=500,
                success=False,
            )
            for n in (1, 2)
        )


@pytest.mark.parametrize("size", [2, 40])
@pytest.mark.parametrize(
    ("url", "queries"),
    [
        # session, user, subscriber count (filtered and total), the page of subscribers
        ("/admin/webhooks/subscriber/", 5),
        # session, user, the subscriber filter's choices, delivery counts (filtered and
        # total), the page of deliveries with their subscribers and attempt counts, the date
        # hierarchy's range and its days
        ("/admin/webhooks/delivery/", 8),
    ],
)
def test_admin_lists_cost_the_same_at_any_size(django_assert_num_queries, size, url, queries):
    grow(size)
    client = Client()
    client.force_login(make_login(None, None, username="staff", staff=True))
    with django_assert_num_queries(queries):
        response = client.get(url)
    assert response.status_code == 200
    assert f"Receiver {size - 1}" in response.content.decode()
    assert response.context["cl"].result_count == size
