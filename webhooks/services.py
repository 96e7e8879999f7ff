"""Webhook writes: registering a subscriber, recording an event's deliveries, sending one.

Delivery is at least once, never silently zero times:

1. :func:`webhooks_emit` runs inside the writing service's transaction and inserts one
   :class:`~webhooks.models.Delivery` per subscriber of the event; the send tasks are
   published after commit, bounded (``enqueue_each``). A delivery the broker never got stays
   pending and the periodic :func:`deliveries_requeue` publishes it again.
2. :func:`delivery_attempt` locks the delivery, sends only if it is not yet delivered, and
   records the attempt (one :class:`~webhooks.models.Attempt` row) and the outcome in the same
   transaction: a duplicated or redelivered task waits for the lock, then finds it delivered.
3. The task retries a failed attempt with backoff and marks the delivery failed after the last.

A worker that dies after the receiver answered and before the commit sends again: receivers
ignore a repeated ``X-Union-Delivery`` id.

Signatures
----------
Every POST carries ``X-Union-Signature: t=<unix seconds>,v1=<hex>`` where ``<hex>`` is
HMAC-SHA256, keyed with the subscriber's secret, of ``f"{t}.".encode() + raw_body``. A receiver
checks it with :func:`verify_signature` (copy it: it needs only the standard library), on the
raw bytes of the request body, before parsing them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import http.client
import ipaddress
import json
import logging
import secrets
import socket
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from chambers.access import Access, require_staff
from config.errors import DomainError

from .models import Attempt, Delivery, DeliveryStatus, EventType, Subscriber

logger = logging.getLogger(__name__)

#: A pending delivery whose task was published this long ago and that is still pending lost
#: its message (a broker restarted without persistence): the periodic requeue publishes it
#: again. Longer than all retries of one task take (settings: 6 retries, 30 s doubling, capped).
REQUEUE_AFTER = dt.timedelta(hours=1)
#: A delivery never published (the broker was down at commit) is published by the periodic
#: requeue once it is this old; younger ones may still be on their after-commit way.
UNPUBLISHED_GRACE = dt.timedelta(minutes=2)
#: How much of a receiver's answer or an error is kept in the log.
ERROR_CHARS = 2000
SIGNATURE_HEADER = "X-Union-Signature"
USER_AGENT = "union-webhooks/1"


# Signatures ---------------------------------------------------------------------------------


def sign(secret: str, body: bytes, timestamp: int) -> str:
    """The ``X-Union-Signature`` header value for ``body`` sent at ``timestamp``."""
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def verify_signature(
    secret: str, header: str, body: bytes, tolerance: int = 300, now: float | None = None
) -> bool:
    """Whether ``header`` (``X-Union-Signature``) signs ``body`` (the raw request body, as
    received) with ``secret``, and was made within ``tolerance`` seconds of ``now``.

    The timestamp is signed together with the body, so an old request replayed later fails
    the tolerance check. The comparison takes constant time. For receivers to copy::

        import hashlib, hmac, time

        def verify_signature(secret, header, body, tolerance=300):
            fields = dict(p.split("=", 1) for p in header.split(",") if "=" in p)
            t, given = int(fields["t"]), fields["v1"]
            expected = hmac.new(secret.encode(), f"{t}.".encode() + body,
                                hashlib.sha256).hexdigest()
            return hmac.compare_digest(expected, given) and abs(time.time() - t) <= tolerance
    """
    try:
        fields = dict(part.strip().split("=", 1) for part in header.split(",") if "=" in part)
        timestamp = int(fields["t"])
        given = fields["v1"]
    except (KeyError, ValueError, AttributeError):
        return False
    if isinstance(body, str):
        body = body.encode()
    expected = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    if not hmac.compare_digest(expected.hexdigest(), given):
        return False
    current = time.time() if now is None else now
    return abs(current - timestamp) <= tolerance


# Addresses ----------------------------------------------------------------------------------


def _is_internal(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])  # drop an IPv6 scope (fe80::1%eth0)
    if isinstance(ip, ipaddress.IPv6Address):
        # An IPv4 address inside an IPv6 one is judged as IPv4: ::ffff:127.0.0.1 (mapped),
        # 2002:7f00:1:: (6to4) and Teredo's client address.
        embedded = ip.ipv4_mapped or ip.sixtofour or (ip.teredo[1] if ip.teredo else None)
        if embedded is not None and _is_internal(str(embedded)):
            return True
    return (
        ip.is_loopback
        or ip.is_private
        or ip.is_link_local
        or ip.is_reserved
        or ip.is_multicast
        or ip.is_unspecified
        or not ip.is_global  # shared address space (100.64/10) and the like
    )


def url_addresses(url: str) -> list[tuple[int, tuple]]:
    """Check a subscriber's URL and resolve its host: ``(family, sockaddr)`` for each address.

    Refused (``DomainError`` on field ``url``): a scheme other than http/https, credentials in
    the URL, a host that does not resolve and, unless ``WEBHOOKS_ALLOW_PRIVATE_URLS``, any
    address that is loopback, private, link-local, reserved, multicast or unspecified: a
    webhook must not become a way to make the server call its own network.
    """
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise DomainError(_("Use an http:// or https:// address."), field="url")
    if parts.username or parts.password:
        raise DomainError(
            _("Leave credentials out of the address; deliveries are signed with the secret."),
            field="url",
        )
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as exc:
        raise DomainError(_("The port is not valid."), field="url") from exc
    try:
        found = socket.getaddrinfo(parts.hostname, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise DomainError(
            _("The host %(host)s cannot be resolved.") % {"host": parts.hostname}, field="url"
        ) from exc
    addresses = [(family, sockaddr) for family, _type, _proto, _name, sockaddr in found]
    if not addresses:
        raise DomainError(
            _("The host %(host)s cannot be resolved.") % {"host": parts.hostname}, field="url"
        )
    if not settings.WEBHOOKS_ALLOW_PRIVATE_URLS:
        for _family, sockaddr in addresses:
            if _is_internal(sockaddr[0]):
                raise DomainError(
                    _("%(host)s points to an internal address (%(address)s); use a public one.")
                    % {"host": parts.hostname, "address": sockaddr[0]},
                    field="url",
                )
    return addresses


# Subscribers --------------------------------------------------------------------------------


def subscriber_check(subscriber: Subscriber) -> None:
    """Every rule of a subscriber (the admin's form calls this to show errors on fields)."""
    try:
        subscriber.full_clean(exclude=["secret"] if not subscriber.secret else None)
    except ValidationError as exc:
        field, errors = next(iter(exc.message_dict.items()))
        raise DomainError(errors[0], field=None if field == "__all__" else field) from exc
    url_addresses(subscriber.url)


@transaction.atomic
def subscriber_save(*, actor: Access, subscriber: Subscriber) -> Subscriber:
    """Create or change a subscriber; a blank secret is replaced by a generated one."""
    require_staff(actor)
    if not subscriber.secret:
        subscriber.secret = secrets.token_urlsafe(32)
    subscriber_check(subscriber)
    subscriber.save()
    return subscriber


# Emitting -----------------------------------------------------------------------------------


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
    transaction.on_commit(lambda: deliveries_publish(ids))
    return ids


def deliveries_publish(delivery_ids: list[int]) -> int:
    """Publish one send task per delivery (after commit) and stamp those that went out."""
    from config.celery_app import enqueue_each

    from .tasks import deliver_webhook

    published = enqueue_each(deliver_webhook, [(pk,) for pk in delivery_ids])
    if published:
        Delivery.objects.filter(pk__in=delivery_ids[:published]).update(queued_at=timezone.now())
    if published < len(delivery_ids):
        logger.warning(
            "%d webhook deliveries stay pending until the broker is back; "
            "the periodic requeue publishes them.",
            len(delivery_ids) - published,
        )
    return published


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
    transaction.on_commit(lambda: deliveries_publish(ids))
    return len(ids)


# Sending ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AttemptResult:
    """What one call of :func:`delivery_attempt` did. ``state`` is ``delivered`` (now or
    before), ``error`` (an attempt failed: retry), ``failed`` (not sendable: no retry) or
    ``missing``."""

    state: str
    error: str = ""

    @property
    def retry(self) -> bool:
        return self.state == "error"


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A redirect is an answer, not an instruction: following it would send the body to an
    address nobody checked. 3xx counts as a failed attempt."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


def _pinned_handlers(addresses: list[tuple[int, tuple]]) -> list[urllib.request.BaseHandler]:
    """HTTP(S) handlers that connect to the addresses checked a moment ago, never to a second
    resolution of the host name (DNS rebinding). TLS still verifies the certificate against the
    host name, which stays in the URL and the Host header."""

    def connect(address, timeout=socket._GLOBAL_DEFAULT_TIMEOUT, source_address=None, **kwargs):
        last: OSError | None = None
        for family, sockaddr in addresses:
            sock = socket.socket(family, socket.SOCK_STREAM)
            try:
                if timeout is not socket._GLOBAL_DEFAULT_TIMEOUT:
                    sock.settimeout(timeout)
                sock.connect(sockaddr)
                return sock
            except OSError as exc:
                sock.close()
                last = exc
        raise last or OSError("no address to connect to")

    def pinned(connection_class):
        def factory(host, **kwargs):
            conn = connection_class(host, **kwargs)
            conn._create_connection = connect
            return conn

        return factory

    class PinnedHTTPHandler(urllib.request.HTTPHandler):
        def http_open(self, req):
            return self.do_open(pinned(http.client.HTTPConnection), req)

    class PinnedHTTPSHandler(urllib.request.HTTPSHandler):
        def https_open(self, req):
            return self.do_open(
                pinned(http.client.HTTPSConnection),
                req,
                context=self._context,
            )

    return [PinnedHTTPHandler(), PinnedHTTPSHandler()]


def _post(subscriber: Subscriber, delivery: Delivery) -> tuple[int | None, str]:
    """One signed POST. Returns the response status (None without an answer) and an error."""
    try:
        addresses = url_addresses(subscriber.url)  # again: the name may point elsewhere now
    except DomainError as exc:
        return None, str(exc.message)
    body = delivery.body.encode()
    # The scheme is http or https: url_addresses refused anything else just above.
    request = urllib.request.Request(  # noqa: S310
        subscriber.url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json",
            "User-Agent": USER_AGENT,
            "X-Union-Event": delivery.event,
            "X-Union-Delivery": str(delivery.event_id),
            SIGNATURE_HEADER: sign(subscriber.secret, body, int(time.time())),
        },
    )
    opener = urllib.request.build_opener(
        urllib.request.ProxyHandler({}),  # no proxy from the environment: it would unpin
        _NoRedirects(),
        *_pinned_handlers(addresses),
    )
    try:
        with opener.open(request, timeout=settings.WEBHOOK_TIMEOUT) as response:
            response.read(ERROR_CHARS)
            return response.status, ""
    except urllib.error.HTTPError as exc:
        try:
            answer = exc.read(ERROR_CHARS).decode("utf-8", "replace")
        except OSError:
            answer = ""
        finally:
            exc.close()
        return exc.code, f"HTTP {exc.code} {exc.reason}: {answer}".strip()[:ERROR_CHARS]
    except (OSError, http.client.HTTPException, ValueError) as exc:
        reason = getattr(exc, "reason", None) or exc  # URLError wraps the socket's error
        return None, f"{type(reason).__name__}: {reason}"[:ERROR_CHARS]


def delivery_attempt(*, delivery_id: int) -> AttemptResult:
    """Make one attempt at sending a delivery, unless it is already delivered.

    The row lock is held while the receiver answers (bounded by ``WEBHOOK_TIMEOUT``): a second
    task for the same delivery waits, then finds it delivered. Exactly one attempt row is
    written per POST, in the transaction that records the outcome.
    """
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
        number = (delivery.attempts.aggregate(last=Max("number"))["last"] or 0) + 1
        started_at = timezone.now()
        clock = time.monotonic()
        status_code, error = _post(subscriber, delivery)
        success = status_code is not None and 200 <= status_code < 300
        Attempt.objects.create(
            delivery=delivery,
            number=number,
            started_at=started_at,
            duration_ms=round((time.monotonic() - clock) * 1000),
            status_code=status_code,
            error=error,
            success=success,
        )
        if success:
            delivery.status = DeliveryStatus.DELIVERED
            delivery.delivered_at = timezone.now()
            delivery.save(update_fields=["status", "delivered_at"])
            return AttemptResult("delivered")
    return AttemptResult("error", error or f"HTTP {status_code}")


def delivery_fail(*, delivery_id: int) -> bool:
    """After the last retry: a pending delivery becomes failed (staff may send it again)."""
    return bool(
        Delivery.objects.filter(pk=delivery_id, status=DeliveryStatus.PENDING).update(
            status=DeliveryStatus.FAILED
        )
    )
