"""Celery tasks of the webhooks app: the send of one delivery, and the periodic requeue.

Tasks take ids and reload; they acknowledge late (settings), so a worker lost mid-task leaves
the message to be delivered again, and the delivery's lock and status make that harmless.
"""

from __future__ import annotations

from typing import Any

from celery import shared_task
from django.conf import settings

from core import tasks

from . import services


class WebhookAttemptFailed(Exception):
    """An attempt got no 2xx answer; the task retries (the error is in the attempt's row)."""


def retry_delay(retries: int) -> float:
    """Exponential backoff of a delivery's attempts (see :mod:`core.tasks`)."""
    return tasks.retry_delay(retries, settings.WEBHOOK_RETRY_DELAY)


@shared_task(bind=True, max_retries=None, reject_on_worker_lost=True)
def deliver_webhook(self: Any, delivery_id: int) -> str:
    """Send one delivery; on a non-2xx answer or a network error retry with backoff, and after
    ``WEBHOOK_SEND_RETRIES`` retries mark it failed (staff may send it again)."""
    result = services.delivery_attempt(delivery_id=delivery_id)
    if not result.retry:
        return result.state
    return tasks.retry_or_give_up(
        self,
        WebhookAttemptFailed(result.error),
        max_retries=settings.WEBHOOK_SEND_RETRIES,
        base_delay=settings.WEBHOOK_RETRY_DELAY,
        give_up=lambda: services.delivery_fail(delivery_id=delivery_id),
    )


@shared_task
def redeliver_pending() -> int:
    """Publish again the deliveries left pending by a broker outage or a lost message
    (the beat schedule runs it every few minutes); returns how many were published."""
    return services.deliveries_requeue()
