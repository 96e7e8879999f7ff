"""The client's address, as the lockout and the throttles count it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.http import HttpRequest

if TYPE_CHECKING:
    from rest_framework.request import Request


def client_ip(request: HttpRequest | Request) -> str:
    """The address of whoever opened the connection to the first of our proxies.

    With ``TRUSTED_PROXY_COUNT`` = 0 (the default) that is the socket's address
    (``REMOTE_ADDR``): ``X-Forwarded-For`` is the client's own word and is ignored. Behind N
    trusted proxies, each appending the address it was reached from, it is the N-th address
    from the right of ``X-Forwarded-For``; anything to its left was written by the client. A
    request with fewer hops than that did not come through the proxies: its socket address.
    """
    meta = request.META
    count: int = settings.TRUSTED_PROXY_COUNT
    if count > 0:
        forwarded = meta.get("HTTP_X_FORWARDED_FOR", "")
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if len(hops) >= count:
            return str(hops[-count])
    return str(meta.get("REMOTE_ADDR", ""))
