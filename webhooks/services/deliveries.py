"""Deliveries: recorded for an event's subscribers inside the writing transaction, published
after commit through the outbox, attempted, retried, failed, requeued and resent."""

from __future__ import annotations

import datetime as dt
import json
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.access import Access, require_staff
from core.outbox import publish

from ..models import Attempt, Delivery, DeliveryStatus, EventType, Subscriber
from .transport import post_delivery

#: A pending delivery whose task was published this long ago and that is still pending lost
#: its message (a broker restarted without persistence): the periodic requeue publishes it
#: again. Longer than all retries of one task take (settings: 6 retries, 30 s doubling, capped).
REQUEUE_AFTER = dt.timedelta(hours=1)
#: A delivery never published (the broker was down at commit) is published by the periodic
#: requeue once it is this old; younger ones may still be on their after-commit way.
UNPUBLISHED_GRACE = dt.timedelta(minutes=2)


def _encode(envelope: dict[str, Any]) -> str:
    """The body as sent: compact, ASCII-only JSON (so its bytes do not depend on an encoding)."""
    return json.dumps(envelope, cls=DjangoJSONEncoder, separators=(",", ":"), ensure_ascii=True)


def webhooks_emit(event: str, payload: dict[str, Any] | Callable[[], dict[str, Any]]) -> list[int]:
    """Record ``event`` for each active subscriber of it and send after commit.

    Call it inside the writing service's transaction, after the change: if that transaction
    rolls back, no delivery exists and nothing is sent. ``payload`` (the event's ``data``) may
    be a callable, evaluated only when someone subscribes. Returns the new deliveries' ids.
    """
    if event not in EventType.values:
        raise ValueError(f"unknown webhook event {event!r}")
    # JSON containment is not portable (SQLite), and subscribers are few: filter here.
    subscribers = [s for s in Subscriber.objects.filter(active=True) if event in s.events]
    if not subscribers:
        return []
    # The same event reads the same to every receiver, whoever made the change: texts in the
    # union's default language (and by language where the payload gives their dicts).
    with translation.override(settings.LANGUAGE_CODE):
        data = payload() if callable(payload) else payload
    event_id = uuid.uuid4()
    envelope = {
        "id": str(event_id),
        "event": event,
        "occurred_at": timezone.now().isoformat(),
        "data": data,
    }
    body = _encode(envelope)
    envelope = json.loads(body)  # stored as sent (dates as strings)
    created = Delivery.objects.bulk_create(
        Delivery(subscriber=s, event=event, event_id=event_id, payload=envelope, body=body)
        for s in subscribers
    )
    ids = [d.pk for d in created]
    transaction.on_commit(lambda: deliveries_publish(ids), robust=True)
    return ids


def deliveries_publish(delivery_ids: list[int]) -> int:
    """Publish one send task per delivery (after commit) and stamp those that went out (the
    outbox, :mod:`core.outbox`); the periodic requeue publishes the rest."""
    from ..tasks import deliver_webhook  # the tasks module imports this one

    return publish(deliver_webhook, Delivery, delivery_ids)


def deliveries_requeue() -> int:
    """Publish again the pending deliveries whose task was lost or never published (the
    periodic ``redeliver_pending`` task). Returns how many were published."""
    now = timezone.now()
    ids = list(
        Delivery.objects.filter(status=DeliveryStatus.PENDING)
        .filter(
            Q(queued_at__isnull=True, created_at__lt=now - UNPUBLISHED_GRACE)
            | Q(queued_at__lt=now - REQUEUE_AFTER)
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    return deliveries_publish(ids) if ids else 0


@transaction.atomic
def deliveries_resend(*, actor: Access, deliveries: Iterable[Delivery]) -> int:
    """Staff send deliveries again (the admin's "Send again"), delivered ones included: the
    same body and event id, new attempts numbered after the earlier ones."""
    require_staff(actor)
    ids = list(
        Delivery.objects.select_for_update()
        .filter(pk__in=[d.pk for d in deliveries])
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    Delivery.objects.filter(pk__in=ids).update(
        status=DeliveryStatus.PENDING, delivered_at=None, queued_at=None
    )
    transaction.on_commit(lambda: deliveries_publish(ids), robust=True)
    return len(ids)


@dataclass(frozen=True)
class AttemptResult:
    """What one call of :func:`delivery_attempt` did. ``state`` is ``delivered`` (now or
    before), ``error`` (an attempt failed: retry), ``failed`` (not sendable: no retry),
    ``busy`` (another worker's attempt is under way) or ``missing``."""

    state: str
    error: str = ""

    @property
    def retry(self) -> bool:
        return self.state == "error"


def attempt_lease() -> dt.timedelta:
    """How long an attempt may be under way before it counts as interrupted: the POST is
    bounded by ``WEBHOOK_TIMEOUT`` (connect and read), with room for a slow worker."""
    return dt.timedelta(seconds=settings.WEBHOOK_TIMEOUT * 3 + 60)


def delivery_attempt(*, delivery_id: int) -> AttemptResult:
    """Make one attempt at sending a delivery, unless it is delivered or being attempted.

    Two short transactions around the POST, no lock held while the receiver answers:

    1. Under the delivery's lock, the attempt row is written (the claim) and committed. An
       attempt under way elsewhere makes this one ``busy``; one older than
       :func:`attempt_lease` was interrupted (its worker died) and is closed as such first.
    2. After the POST, the row is completed with the outcome (``WHERE finished_at IS NULL``)
       and a success marks the delivery delivered.

    Exactly one attempt row per POST, crashed ones included.
    """
    now = timezone.now()
    with transaction.atomic():
        delivery = (
            Delivery.objects.select_for_update(of=("self",))
            .select_related("subscriber")
            .filter(pk=delivery_id)
            .first()
        )
        if delivery is None:
            return AttemptResult("missing")
        if delivery.status == DeliveryStatus.DELIVERED:
            return AttemptResult("delivered")
        subscriber = delivery.subscriber
        if not subscriber.active:
            delivery.status = DeliveryStatus.FAILED
            delivery.save(update_fields=["status"])
            return AttemptResult("failed", _("The subscriber is inactive."))
        open_attempts = delivery.attempts.filter(finished_at__isnull=True)
        if open_attempts.filter(started_at__gte=now - attempt_lease()).exists():
            return AttemptResult("busy")
        open_attempts.update(
            finished_at=now,
            error=_("Interrupted: the worker stopped during this attempt; no answer recorded."),
        )
        number = (delivery.attempts.aggregate(last=Max("number"))["last"] or 0) + 1
        attempt = Attempt.objects.create(delivery=delivery, number=number, started_at=now)
    clock = time.monotonic()
    status_code, error = post_delivery(subscriber, delivery)
    success = status_code is not None and 200 <= status_code < 300
    with transaction.atomic():
        Attempt.objects.filter(pk=attempt.pk, finished_at__isnull=True).update(
            finished_at=timezone.now(),
            duration_ms=round((time.monotonic() - clock) * 1000),
            status_code=status_code,
            error=error,
            success=success,
        )
        if success:
            Delivery.objects.filter(pk=delivery.pk).update(
                status=DeliveryStatus.DELIVERED, delivered_at=timezone.now()
            )
            return AttemptResult("delivered")
    return AttemptResult("error", error or f"HTTP {status_code}")


def delivery_fail(*, delivery_id: int) -> bool:
    """After the last retry: a pending delivery becomes failed (staff may send it again)."""
    return bool(
        Delivery.objects.filter(pk=delivery_id, status=DeliveryStatus.PENDING).update(
            status=DeliveryStatus.FAILED
        )
    )
