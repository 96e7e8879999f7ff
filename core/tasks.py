"""The one retry style of the project's Celery tasks.

A task that fails for a reason that may pass (the mail server or a receiver is down) calls
:func:`retry_or_give_up`: it is retried with exponential backoff, capped below the broker's
visibility timeout (a countdown beyond it would make Redis deliver the waiting message a second
time), and after its last retry ``give_up`` records the failure for the next scan or for staff.
Tasks take ids, reload, and claim their row, so a retry or a redelivery does the work once.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from celery import current_app, shared_task
from django.conf import settings


def retry_delay(retries: int, base: float) -> float:
    """Seconds before retry number ``retries + 1``: ``base`` doubling, capped at
    ``TASK_RETRY_DELAY_MAX``."""
    return float(min(base * 2**retries, settings.TASK_RETRY_DELAY_MAX))


def retry_or_give_up(
    task: Any,
    exc: BaseException,
    *,
    max_retries: int,
    base_delay: float,
    give_up: Callable[[], Any],
) -> str:
    """Retry ``task`` (a bound task) after ``exc``, or, after ``max_retries`` retries, call
    ``give_up()`` and return ``"failed"``. Retrying raises Celery's ``Retry``."""
    retries = task.request.retries
    if retries >= max_retries:
        give_up()
        return "failed"
    raise task.retry(exc=exc, countdown=retry_delay(retries, base_delay))


@shared_task  # type: ignore[untyped-decorator]  # celery ships no types
def publish_each(task_name: str, ids: list[int]) -> int:
    """The second half of a batched publish (:func:`core.outbox.publish`): ``task_name``'s
    message for each row, from a worker, so that a scan of 12,000 reminders publishes 23
    messages itself. Returns how many went out (the rest are requeued by their scan)."""
    from .outbox import enqueue_each

    return enqueue_each(current_app.tasks[task_name], [(pk,) for pk in ids])
