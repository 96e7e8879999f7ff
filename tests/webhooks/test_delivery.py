"""Sending deliveries to a real HTTP receiver on 127.0.0.1.

Most tests run the send task eagerly (``apply``: its retries run at once, in this thread);
the last ones run a real Celery worker on the configured broker, as in production. Covered:
the signature over the exact bytes received, exactly one attempt row per POST, retries after a
failing receiver, failure after the last retry, no redirect followed, the address checked again
(and pinned) at send time, a resend from the admin's service.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import threading
import time
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.utils import timezone

from meetings import services as meetings
from tests import scenes
from tests.conftest import requires_postgres
from tests.factories import SYSTEM, make_chamber
from tests.reminders.test_delivery import purge_queue, worker  # noqa: F401 (a fixture)
from tests.webhooks.conftest import SECRET, free_port, subscribe
from webhooks import services
from webhooks.models import Attempt, Delivery, DeliveryStatus, EventType
from webhooks.tasks import deliver_webhook, retry_delay

UTC = ZoneInfo("UTC")
DELIVER = deliver_webhook.name


def make_meeting(**data):
    """A board meeting on 2026-05-01, UTC, no venue: its creation is the event delivered."""
    board = {
        "kind": "board",
        "title": "Board on corridors",
        "starts_at": dt.datetime(2026, 5, 1, 10, tzinfo=UTC),
        "ends_at": dt.datetime(2026, 5, 1, 18, tzinfo=UTC),
        "time_zone": "UTC",
        "venue_city": "",
        "venue_country": "",
    }
    return scenes.make_meeting(**{**board, **data})


def attempts(delivery: Delivery) -> list[tuple[int, int | None, bool]]:
    return [
        (a.number, a.status_code, a.success)
        for a in Attempt.objects.filter(delivery=delivery).order_by("number")
    ]


def check_signed(request, delivery: Delivery) -> None:
    """The request carries the delivery's body, byte for byte, signed with the secret."""
    headers = {k.lower(): v for k, v in request.headers.items()}
    assert request.body == delivery.body.encode()
    assert headers["content-type"] == "application/json"
    assert headers["x-union-event"] == delivery.event
    assert headers["x-union-delivery"] == str(delivery.event_id)
    signature = headers["x-union-signature"]
    assert services.verify_signature(SECRET, signature, request.body)
    # And by hand, as a receiver in another language would.
    fields = dict(part.split("=", 1) for part in signature.split(","))
    expected = hmac.new(
        SECRET.encode(), fields["t"].encode() + b"." + request.body, hashlib.sha256
    ).hexdigest()
    assert hmac.compare_digest(fields["v1"], expected)
    assert json.loads(request.body)["id"] == str(delivery.event_id)


# One attempt ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_delivery_reaches_the_receiver_signed_and_is_sent_once(receiver):
    subscribe(receiver.url, [EventType.MEETING_CREATED])
    meeting = make_meeting()
    delivery = Delivery.objects.get()

    receiver.delay = 0.05  # the receiver takes 50 ms to answer: the attempt's duration says so
    before = timezone.now()
    clock = time.monotonic()
    result = services.delivery_attempt(delivery_id=delivery.pk)
    elapsed_ms = (time.monotonic() - clock) * 1000
    assert result.state == "delivered"
    (request,) = receiver.received
    assert request.path == "/hooks/union"
    check_signed(request, delivery)
    assert json.loads(request.body)["data"]["meeting"]["id"] == meeting.pk
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.DELIVERED and delivery.delivered_at is not None
    (attempt,) = Attempt.objects.filter(delivery=delivery)
    assert (attempt.number, attempt.status_code, attempt.success, attempt.error) == (
        1,
        200,
        True,
        "",
    )
    assert 50 <= attempt.duration_ms <= elapsed_ms + 1  # the POST's own time, not the call's
    assert before <= attempt.started_at <= before + dt.timedelta(milliseconds=elapsed_ms)

    # A duplicated task finds it delivered: no second POST, no second row.
    assert deliver_webhook.apply(args=(delivery.pk,)).get() == "delivered"
    assert len(receiver.received) == 1
    assert Attempt.objects.count() == 1


@pytest.mark.django_db
def test_a_failing_receiver_is_retried_and_each_attempt_logged_once(receiver):
    subscribe(receiver.url, [EventType.MEETING_CREATED])
    make_meeting()
    delivery = Delivery.objects.get()
    receiver.statuses = [500]

    assert deliver_webhook.apply(args=(delivery.pk,)).get() == "delivered"
    assert attempts(delivery) == [(1, 500, False), (2, 200, True)]
    first, second = Attempt.objects.filter(delivery=delivery).order_by("number")
    assert "500" in first.error and "receiver says no" in first.error
    assert second.error == ""
    assert len(receiver.received) == 2
    for request in receiver.received:  # the same event, the same bytes, each signed
        check_signed(request, delivery)
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.DELIVERED


@pytest.mark.django_db
def test_a_receiver_always_failing_leaves_the_delivery_failed_after_the_retries(receiver, settings):
    subscribe(receiver.url, [EventType.MEETING_CREATED])
    make_meeting()
    delivery = Delivery.objects.get()
    receiver.default = 503

    assert deliver_webhook.apply(args=(delivery.pk,)).get() == "failed"
    retries = settings.WEBHOOK_SEND_RETRIES
    assert attempts(delivery) == [(n, 503, False) for n in range(1, retries + 2)]
    assert len(receiver.received) == retries + 1
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.FAILED and delivery.delivered_at is None


@pytest.mark.django_db
def test_no_answer_is_logged_without_a_status_code():
    subscribe(f"http://127.0.0.1:{free_port()}/hook", [EventType.MEETING_CREATED])
    make_meeting()
    delivery = Delivery.objects.get()
    assert services.delivery_attempt(delivery_id=delivery.pk).retry
    (attempt,) = Attempt.objects.all()
    assert attempt.status_code is None and not attempt.success
    assert "refused" in attempt.error.lower()


@pytest.mark.django_db
def test_a_redirect_is_a_failed_attempt_not_followed(receiver):
    subscribe(receiver.url, [EventType.MEETING_CREATED])
    make_meeting()
    delivery = Delivery.objects.get()
    receiver.statuses = [302]
    assert services.delivery_attempt(delivery_id=delivery.pk).retry
    assert attempts(delivery) == [(1, 302, False)]
    assert len(receiver.received) == 1


def test_the_backoff_doubles_up_to_the_cap(settings):
    settings.WEBHOOK_RETRY_DELAY = 30
    settings.TASK_RETRY_DELAY_MAX = 600
    assert [retry_delay(n) for n in range(7)] == [30, 60, 120, 240, 480, 600, 600]


# The address at send time -------------------------------------------------------------------


@pytest.mark.django_db
def test_a_host_that_now_points_inside_is_not_contacted(receiver, settings, public_dns):
    settings.WEBHOOKS_ALLOW_PRIVATE_URLS = False
    subscribe(f"http://hooks.example.org:{receiver.port}/hook", [EventType.MEETING_CREATED])
    make_meeting()
    delivery = Delivery.objects.get()
    public_dns["hooks.example.org"] = "127.0.0.1"  # DNS rebinding after the check

    assert services.delivery_attempt(delivery_id=delivery.pk).retry
    assert receiver.received == []
    (attempt,) = Attempt.objects.all()
    assert attempt.status_code is None and "internal address" in attempt.error


@pytest.mark.django_db
def test_the_connection_goes_to_the_address_that_was_checked(receiver, public_dns):
    """The name is resolved once per attempt, and that address is used: urllib does not
    resolve it a second time (which a rebinding DNS server could answer differently)."""
    public_dns["hooks.example.org"] = "127.0.0.1"
    subscribe(f"http://hooks.example.org:{receiver.port}/hook", [EventType.MEETING_CREATED])
    make_meeting()
    delivery = Delivery.objects.get()
    assert services.delivery_attempt(delivery_id=delivery.pk).state == "delivered"
    (request,) = receiver.received
    assert request.headers["Host"] == f"hooks.example.org:{receiver.port}"
    check_signed(request, delivery)


@pytest.mark.django_db
def test_an_inactive_subscriber_gets_nothing(receiver):
    subscriber = subscribe(receiver.url, [EventType.MEETING_CREATED])
    make_meeting()
    delivery = Delivery.objects.get()
    subscriber.active = False
    services.subscriber_save(actor=SYSTEM, subscriber=subscriber)
    assert deliver_webhook.apply(args=(delivery.pk,)).get() == "failed"
    assert receiver.received == [] and not Attempt.objects.exists()


@requires_postgres
@pytest.mark.django_db(transaction=True)
def test_two_tasks_for_one_delivery_send_it_once(receiver):
    """The second finds the first's attempt under way (its claim), or the delivery delivered."""
    subscribe(receiver.url, [EventType.MEETING_CREATED])
    make_meeting()
    delivery = Delivery.objects.get()
    receiver.delay = 0.5
    results: list[str] = []

    def attempt() -> None:
        try:
            results.append(services.delivery_attempt(delivery_id=delivery.pk).state)
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert "delivered" in results and set(results) <= {"delivered", "busy"}
    assert len(receiver.received) == 1
    assert attempts(delivery) == [(1, 200, True)]


# Resend ---------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_resend_makes_new_attempts_with_the_same_event(
    receiver, monkeypatch, django_capture_on_commit_callbacks
):
    subscribe(receiver.url, [EventType.MEETING_CREATED])
    make_meeting()
    delivery = Delivery.objects.get()
    receiver.default = 500
    assert deliver_webhook.apply(args=(delivery.pk,)).get() == "failed"
    failed_attempts = len(attempts(delivery))

    published: list[list[int]] = []
    monkeypatch.setattr(services.deliveries, "deliveries_publish", published.append)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.deliveries_resend(actor=SYSTEM, deliveries=[delivery]) == 1
    assert published == [[delivery.pk]]
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.PENDING

    receiver.default = 200
    assert deliver_webhook.apply(args=(delivery.pk,)).get() == "delivered"
    assert attempts(delivery)[-1] == (failed_attempts + 1, 200, True)
    assert {r.headers["X-Union-Delivery"] for r in receiver.received} == {str(delivery.event_id)}


# A real worker ------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_worker_delivers_an_adopted_decision(receiver, worker):  # noqa: F811
    """Published after commit by the adopting service, sent by a real worker, retried once
    after the receiver failed. The database is read after the worker stopped (SQLite)."""
    members = [make_chamber(slug=f"m{i}") for i in range(2)]
    meeting = make_meeting(kind="ga_ordinary", session_number=1)
    for chamber in members:
        meetings.attendance_record(actor=SYSTEM, meeting=meeting, chamber=chamber, present=True)
    decision = meetings.decision_create(
        actor=SYSTEM,
        meeting=meeting,
        data={"kind": "general", "title": "Trade corridors", "method": "consensus"},
    )
    subscribe(receiver.url, [EventType.DECISION_ADOPTED])
    receiver.statuses = [500]
    purge_queue()
    meetings.decision_adopt(actor=SYSTEM, decision=decision)  # commits, then publishes

    with worker() as runs:
        assert runs.wait_results(DELIVER, 1) == ["delivered"]
    assert runs.states(DELIVER) == ["RETRY", "SUCCESS"]
    first, second = runs.starts(DELIVER)
    assert second - first >= retry_delay(0) - 0.05  # backed off before trying again

    delivery = Delivery.objects.get()
    assert delivery.status == DeliveryStatus.DELIVERED and delivery.queued_at is not None
    assert attempts(delivery) == [(1, 500, False), (2, 200, True)]
    assert len(receiver.received) == 2
    check_signed(receiver.received[-1], delivery)
    assert json.loads(receiver.received[-1].body)["data"]["decision"]["id"] == decision.pk


@pytest.mark.django_db(transaction=True)
def test_a_worker_marks_a_delivery_failed_after_the_retries(receiver, worker, settings):  # noqa: F811
    subscribe(receiver.url, [EventType.MEETING_CREATED])
    receiver.default = 500
    purge_queue()
    make_meeting()

    with worker() as runs:
        assert runs.wait_results(DELIVER, 1) == ["failed"]
    retries = settings.WEBHOOK_SEND_RETRIES
    assert runs.states(DELIVER) == ["RETRY"] * retries + ["SUCCESS"]
    delivery = Delivery.objects.get()
    assert delivery.status == DeliveryStatus.FAILED
    assert attempts(delivery) == [(n, 500, False) for n in range(1, retries + 2)]
