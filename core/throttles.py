"""Rate limits: fixed windows counted in the cache (Redis when ``CACHE_URL`` names it, so every
gunicorn worker counts together; the process's memory by default).

:class:`ScopedRateThrottle` is the API's one throttle class: reads (``GET``, ``HEAD``,
``OPTIONS``) count in the ``read`` scope unless the view names its own ``throttle_scope``
(exports, imports); each caller counts apart: a token by its id, a person by their id, anyone
else by their address (:func:`core.net.client_ip`). :func:`hit` is the same counter for pages
outside DRF (the password reset).
"""

from __future__ import annotations

import math
import time
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest
from rest_framework.throttling import BaseThrottle

from core.net import client_ip

if TYPE_CHECKING:  # DRF imports this module while it loads its views
    from rest_framework.request import Request
    from rest_framework.views import APIView

_PERIODS = {"s": 1, "sec": 1, "m": 60, "min": 60, "h": 3600, "hour": 3600, "d": 86400, "day": 86400}

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


def parse_rate(rate: str) -> tuple[int, int]:
    """``"600/min"`` -> (600, 60). The period is s, min, hour or day (or their first letter)."""
    number, _, period = rate.partition("/")
    if period not in _PERIODS:
        raise ValueError(f"{rate!r} is not a rate (use e.g. 600/min, 20/min or 5/hour)")
    return int(number), _PERIODS[period]


def hit(scope: str, ident: str, rate: str) -> float | None:
    """Count one request of ``ident`` in ``scope``; the seconds to wait when over the rate, else
    None. Atomic in Redis (``add`` then ``incr``), so concurrent workers never both pass."""
    limit, period = parse_rate(rate)
    now = time.time()
    window = int(now // period)
    key = f"throttle:{scope}:{ident}:{window}"
    cache = caches[settings.THROTTLE_CACHE]
    cache.add(key, 0, timeout=period + 1)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=period + 1)
        count = 1
    if count <= limit:
        return None
    return max(1.0, (window + 1) * period - now)


def caller_ident(request: HttpRequest | Request) -> str:
    """A token by its id, a person by theirs, anyone else by their address."""
    auth = getattr(request, "auth", None)
    token_id = getattr(auth, "pk", None)
    if token_id is not None:
        return f"token:{token_id}"
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and user.pk is not None:
        return f"user:{user.pk}"
    return f"ip:{client_ip(request)}"


class ScopedRateThrottle(BaseThrottle):
    """The rate of the view's ``throttle_scope``, or of ``read`` for reads; writes without a
    scope are not throttled here (each is checked and locked by its service)."""

    def __init__(self) -> None:
        self.wait_seconds: float | None = None

    def allow_request(self, request: Request, view: APIView) -> bool:
        scope: str | None = getattr(view, "throttle_scope", None)
        if scope is None and request.method in SAFE_METHODS:
            scope = "read"
        framework: dict[str, Any] = getattr(settings, "REST_FRAMEWORK", {})
        rates: dict[str, str] = framework.get("DEFAULT_THROTTLE_RATES", {})
        rate = rates.get(scope) if scope else None
        if not rate:
            return True
        self.wait_seconds = hit(scope or "", caller_ident(request), rate)
        return self.wait_seconds is None

    def wait(self) -> float | None:
        return None if self.wait_seconds is None else math.ceil(self.wait_seconds)
