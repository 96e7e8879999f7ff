"""Webhook writes: registering a subscriber, recording an event's deliveries, sending one.
One module a subject: ``signing``, ``addresses``, ``transport``, ``subscribers`` and
``deliveries``; the public names are importable from here.

Delivery is at least once, never silently zero times:

1. :func:`webhooks_emit` runs inside the writing service's transaction and inserts one
   :class:`~webhooks.models.Delivery` per subscriber of the event; the send tasks are
   published after commit, bounded (``enqueue_each``). A delivery the broker never got stays
   pending and the periodic :func:`deliveries_requeue` publishes it again.
2. :func:`delivery_attempt` claims the delivery by writing its attempt row (one
   :class:`~webhooks.models.Attempt`) under the delivery's lock and committing it before the
   POST, then completes the row with the outcome: a duplicated or redelivered task finds the
   attempt under way (``busy``) or the delivery delivered, and does nothing.
3. The task retries a failed attempt with backoff and marks the delivery failed after the last.

A worker killed during the POST leaves its attempt open in the log; the periodic requeue sends
the delivery again once the attempt's lease has passed, closing it as interrupted. The
receiver may then get it twice: receivers ignore a repeated ``X-Union-Delivery`` id.

Signatures
----------
Every POST carries ``X-Union-Signature: t=<unix seconds>,v1=<hex>`` where ``<hex>`` is
HMAC-SHA256, keyed with the subscriber's secret, of ``f"{t}.".encode() + raw_body``. A receiver
checks it with :func:`verify_signature` (copy it: it needs only the standard library), on the
raw bytes of the request body, before parsing them.
"""

from .addresses import url_addresses
from .deliveries import (
    REQUEUE_AFTER,
    UNPUBLISHED_GRACE,
    AttemptResult,
    deliveries_publish,
    deliveries_requeue,
    deliveries_resend,
    delivery_attempt,
    delivery_fail,
    webhooks_emit,
)
from .signing import SIGNATURE_HEADER, sign, verify_signature
from .subscribers import subscriber_check, subscriber_save
from .transport import ERROR_CHARS, USER_AGENT, post_delivery

__all__ = [
    "ERROR_CHARS",
    "REQUEUE_AFTER",
    "SIGNATURE_HEADER",
    "UNPUBLISHED_GRACE",
    "USER_AGENT",
    "AttemptResult",
    "deliveries_publish",
    "deliveries_requeue",
    "deliveries_resend",
    "delivery_attempt",
    "delivery_fail",
    "post_delivery",
    "sign",
    "subscriber_check",
    "subscriber_save",
    "url_addresses",
    "verify_signature",
    "webhooks_emit",
]
