"""Signing and verifying a delivery's body: ``X-Union-Signature: t=<unix seconds>,v1=<hex>``
where ``<hex>`` is HMAC-SHA256, keyed with the subscriber's secret, of ``f"{t}.".encode() +
raw_body``."""

from __future__ import annotations

import hashlib
import hmac
import time

SIGNATURE_HEADER = "X-Union-Signature"


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
