"""A worker killed while the mail server or a webhook receiver is answering (``kill -9``
during the send). The probe saw the reminder reach the mail server twice and the webhook's
crashed attempt vanish from the attempts log: the send held a row lock in a transaction that
the crash rolled back, so the redelivered task found nothing done.

The kill is played by a ``BaseException`` raised once the message has reached the other side,
which unwinds the worker's transactions as the process's death would. Sends now claim their row
before they start (committed): the redelivered task finds it claimed and does not send again;
once the claim's lease has passed, the send is recorded as interrupted and goes again, with
the same ``Message-ID`` (and, for webhooks, the same ``X-Union-Delivery``).
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.utils import timezone

from reminders import services as reminders
from reminders.models import Reminder, ReminderKind, ReminderStatus
from tests.factories import ReminderFactory
from tests.reminders.conftest import default_rules, demo  # noqa: F401 (fixtures)
from tests.webhooks.conftest import receiver, subscribe  # noqa: F401 (a fixture)
from tests.webhooks.test_delivery import make_meeting
from webhooks import services as webhooks
from webhooks.models import Attempt, Delivery, DeliveryStatus, EventType
from webhooks.services import deliveries


class WorkerKilled(BaseException):
    """The worker process dies: nothing after this line runs, no handler sees it."""


class DyingMailServer(EmailBackend):
    """The mail server receives the message, and the worker dies before it hears the reply."""

    def send_messages(self, messages):
        super().send_messages(messages)
        raise WorkerKilled


@pytest.fixture
def reminder(db) -> Reminder:
    return ReminderFactory(
        kind=ReminderKind.ACTION_OVERDUE, context={"action": 0, "due": "2026-11-01"}
    )


def _killed_during_send(reminder_id: int, settings) -> None:
    backend = settings.EMAIL_BACKEND
    settings.EMAIL_BACKEND = f"{__name__}.DyingMailServer"
    with pytest.raises(WorkerKilled):
        reminders.reminder_send(reminder_id=reminder_id)
    settings.EMAIL_BACKEND = backend


def test_a_reminder_redelivered_after_the_worker_died_mid_send_is_not_sent_again(
    reminder, settings
):
    _killed_during_send(reminder.pk, settings)
    assert len(mail.outbox) == 1
    # The broker hands the unacknowledged task to the next worker.
    assert reminders.reminder_send(reminder_id=reminder.pk) == ReminderStatus.SENDING
    assert len(mail.outbox) == 1
    reminder.refresh_from_db()
    assert reminder.status == ReminderStatus.SENDING and reminder.claimed_at is not None


def test_an_interrupted_send_is_recorded_then_sent_again_as_the_same_message(reminder, settings):
    _killed_during_send(reminder.pk, settings)
    # Within the lease the claim stands: a scan or staff's "send again" leaves it alone.
    assert reminders.reminders_release_interrupted() == 0
    Reminder.objects.filter(pk=reminder.pk).update(
        claimed_at=timezone.now() - reminders.claim_lease() - dt.timedelta(seconds=1)
    )
    assert reminders.reminders_release_interrupted() == 1
    reminder.refresh_from_db()
    assert reminder.status == ReminderStatus.FAILED
    assert reminder.last_error.startswith("Interrupted")
    assert reminders.reminder_send(reminder_id=reminder.pk) == ReminderStatus.SENT
    first, second = (m.extra_headers["Message-ID"] for m in mail.outbox)
    assert first == second


def test_the_scan_records_an_interrupted_send(demo, settings, monkeypatch):  # noqa: F811
    monkeypatch.setattr(reminders, "reminders_publish", lambda ids: len(ids))
    day = dt.date(2026, 11, 25)  # the demo's approval of the 2027 chair is due
    queued = reminders.reminders_scan(today=day).to_send
    _killed_during_send(queued[0], settings)
    again = reminders.reminders_scan(today=day)
    assert queued[0] not in again.to_send  # being sent: not queued a second time
    assert "being sent" in {line.state for line in again.lines}
    Reminder.objects.filter(pk=queued[0]).update(
        claimed_at=timezone.now() - reminders.claim_lease() - dt.timedelta(minutes=1),
        queued_at=None,
    )
    later = reminders.reminders_scan(today=day)
    assert queued[0] in later.to_send
    row = Reminder.objects.get(pk=queued[0])
    assert row.status == ReminderStatus.PENDING and row.last_error.startswith("Interrupted")


# Webhooks ------------------------------------------------------------------------------------


@pytest.fixture
def delivery(db, receiver) -> Delivery:  # noqa: F811
    subscribe(receiver.url, [EventType.MEETING_CREATED])
    make_meeting()
    return Delivery.objects.get()


def test_a_webhook_attempt_killed_mid_request_is_in_the_log_and_not_repeated_at_once(
    delivery,
    receiver,  # noqa: F811
    monkeypatch,
):
    real = deliveries.post_delivery

    def answered_then_killed(subscriber, row):
        real(subscriber, row)
        raise WorkerKilled

    monkeypatch.setattr(deliveries, "post_delivery", answered_then_killed)
    with pytest.raises(WorkerKilled):
        webhooks.delivery_attempt(delivery_id=delivery.pk)
    monkeypatch.setattr(deliveries, "post_delivery", real)
    (crashed,) = Attempt.objects.filter(delivery=delivery)
    assert crashed.number == 1 and crashed.finished_at is None and not crashed.success

    # The redelivered task finds the attempt under way: nothing is sent.
    assert webhooks.delivery_attempt(delivery_id=delivery.pk).state == "busy"
    assert len(receiver.received) == 1

    # Once its lease has passed (the periodic requeue publishes it again) it is closed as
    # interrupted and the delivery goes again, with the same event id.
    Attempt.objects.filter(pk=crashed.pk).update(
        started_at=timezone.now() - deliveries.attempt_lease() - dt.timedelta(seconds=1)
    )
    assert webhooks.delivery_attempt(delivery_id=delivery.pk).state == "delivered"
    log = list(Attempt.objects.filter(delivery=delivery).order_by("number"))
    assert [(a.number, a.status_code, a.success) for a in log] == [(1, None, False), (2, 200, True)]
    assert log[0].finished_at is not None and log[0].error.startswith("Interrupted")
    first, second = (
        {k.lower(): v for k, v in r.headers.items()}["x-union-delivery"] for r in receiver.received
    )
    assert first == second == str(delivery.event_id)
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.DELIVERED
