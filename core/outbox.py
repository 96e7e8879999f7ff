"""The outbox: rows that stand for work to do outside the database (an e-mail, an HTTP POST)
are written in the service's transaction; their tasks are published after it commits.

1. A service inserts the rows (a reminder, a webhook delivery) inside its transaction: if it
   rolls back, there is nothing to send.
2. :func:`publish`, called once the transaction commits, publishes one task per row,
   bounded (no retries, short socket timeouts): with the broker down the page still answers.
   Above ``PUBLISH_BATCH`` rows it publishes one message per batch of ids, and a worker
   publishes each row's (``core.tasks.publish_each``).
3. Each published row is stamped (``queued_at``); a row left unstamped, or stamped long ago and
   still unsent, is published again by its app's periodic scan. The task itself claims the row
   before acting on it, so a message delivered twice does the work once.

Reminders and webhooks both go through here.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable, Sequence
from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone

logger = logging.getLogger(__name__)

#: Until when (``time.monotonic()``) publishing is not even tried: the broker just failed to
#: answer. One request often publishes several times (webhook deliveries, then notices): each
#: would wait its own timeouts, so a write took 4.2 s with a broker that never answers.
_paused_until = 0.0


def _paused() -> bool:
    return time.monotonic() < _paused_until


def _pause() -> None:
    global _paused_until
    _paused_until = time.monotonic() + settings.BROKER_DOWN_PAUSE_SECONDS


def enqueue(task: Any, *args: Any) -> bool:
    """Publish one task now, without retrying: with the broker unreachable, log it and return
    False after a bounded wait (the transport's timeouts in settings) so that the page or
    command that asked answers anyway. Callers publish after commit and rely on a later scan
    or a repeated request, never on this message alone."""
    return enqueue_each(task, [args]) == 1


def enqueue_each(task: Any, calls: Iterable[Sequence[Any]]) -> int:
    """Publish ``task`` once per argument tuple, stopping at the first failure (the broker is
    down: trying the rest would only multiply the wait), and not at all for
    ``BROKER_DOWN_PAUSE_SECONDS`` after a failure. Returns how many were published.

    All on one producer (one connection and channel from the pool): the daily scan publishes
    thousands of reminders, and acquiring a producer per message was most of its time."""
    published = 0
    if _paused():
        logger.warning("Not queueing %s: the broker did not answer a moment ago.", task.name)
        return 0
    try:
        with task.app.producer_or_acquire() as producer:
            for args in calls:
                task.apply_async(args=tuple(args), retry=False, producer=producer)
                published += 1
    except Exception:  # kombu raises several kinds (OperationalError, OSError, ...)
        logger.exception("Could not queue %s; the broker is unreachable.", task.name)
        _pause()
    return published


def broker_reachable(task: Any) -> bool:
    """Whether the broker of ``task``'s app answers, within the same bounded wait as a publish
    (one attempt, the transport's timeouts)."""
    if _paused():
        return False
    try:
        with task.app.connection_for_write() as connection:
            connection.ensure_connection(max_retries=1, timeout=2)
    except Exception:
        logger.warning("The broker is unreachable.", exc_info=True)
        _pause()
        return False
    return True


def enqueue_after_commit(task: Any, *args: Any) -> None:
    """:func:`enqueue` once the current transaction commits (at once outside one)."""
    transaction.on_commit(lambda: enqueue(task, *args), robust=True)


#: Rows above which :func:`publish` sends one message per batch of this many ids, not one per
#: row: 11,021 reminders took 24 s to publish one by one (a Redis round trip each).
PUBLISH_BATCH = 500


def publish(
    task: Any, model: type[models.Model], ids: Sequence[int], *, stamp_field: str = "queued_at"
) -> int:
    """Publish ``task(pk)`` for each row of ``model`` in ``ids`` and stamp the rows that went
    out with the time. Returns how many were published; the rest stay unstamped for the
    periodic requeue."""
    if len(ids) > PUBLISH_BATCH:
        # Thousands of rows (the daily scan at 12,000 chambers): one message per batch of ids,
        # whose task, on a worker, publishes the rows' own messages (core.tasks.publish_each).
        # A row is stamped when its batch went out; one its batch failed to publish stays
        # unsent, and the periodic requeue publishes it again as any other.
        from .tasks import publish_each

        batches = [list(ids[i : i + PUBLISH_BATCH]) for i in range(0, len(ids), PUBLISH_BATCH)]
        sent = enqueue_each(publish_each, [(task.name, batch) for batch in batches])
        published = sum(len(batch) for batch in batches[:sent])
    else:
        published = enqueue_each(task, [(pk,) for pk in ids])
    if published:
        model._default_manager.filter(pk__in=list(ids[:published])).update(
            **{stamp_field: timezone.now()}
        )
    if published < len(ids):
        logger.warning(
            "%d %s stay unsent until the broker is back; the periodic requeue publishes them.",
            len(ids) - published,
            model._meta.verbose_name_plural,
        )
    return published
