"""One signed HTTP POST of a delivery to the address checked a moment ago (pinned against
DNS rebinding), with no proxy and no redirects; the answer's status or the error."""

from __future__ import annotations

import http.client
import socket
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from typing import IO, Any, Final

from django.conf import settings

from core.errors import DomainError

from ..models import Delivery, Subscriber
from .addresses import Address, url_addresses
from .signing import SIGNATURE_HEADER, sign

#: How much of a receiver's answer or an error is kept in the log.
ERROR_CHARS = 2000
USER_AGENT = "union-webhooks/1"
#: The socket module's "no timeout given" sentinel (private, so not in typeshed).
_DEFAULT_TIMEOUT: Final[Any] = socket._GLOBAL_DEFAULT_TIMEOUT  # type: ignore[attr-defined]


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A redirect is an answer, not an instruction: following it would send the body to an
    address nobody checked. 3xx counts as a failed attempt."""

    def redirect_request(
        self,
        req: urllib.request.Request,
        fp: IO[bytes],
        code: int,
        msg: str,
        headers: http.client.HTTPMessage,
        newurl: str,
    ) -> urllib.request.Request | None:
        return None


def _pinned_handlers(addresses: list[Address]) -> list[urllib.request.BaseHandler]:
    """HTTP(S) handlers that connect to the addresses checked a moment ago, never to a second
    resolution of the host name (DNS rebinding). TLS still verifies the certificate against the
    host name, which stays in the URL and the Host header."""

    def connect(
        address: tuple[str, int],
        timeout: float | None = _DEFAULT_TIMEOUT,
        source_address: tuple[str, int] | None = None,
        **kwargs: Any,
    ) -> socket.socket:
        last: OSError | None = None
        for family, sockaddr in addresses:
            sock = socket.socket(family, socket.SOCK_STREAM)
            try:
                if timeout is not _DEFAULT_TIMEOUT:
                    sock.settimeout(timeout)
                sock.connect(sockaddr)
                return sock
            except OSError as exc:
                sock.close()
                last = exc
        raise last or OSError("no address to connect to")

    def pinned(
        connection_class: type[http.client.HTTPConnection],
    ) -> Callable[..., http.client.HTTPConnection]:
        def factory(host: str, **kwargs: Any) -> http.client.HTTPConnection:
            conn = connection_class(host, **kwargs)
            # Set by HTTPConnection.__init__ (private, so not in typeshed); connect() calls it.
            conn._create_connection = connect  # type: ignore[attr-defined]
            return conn

        return factory

    class PinnedHTTPHandler(urllib.request.HTTPHandler):
        def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
            return self.do_open(pinned(http.client.HTTPConnection), req)

    class PinnedHTTPSHandler(urllib.request.HTTPSHandler):
        def https_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
            return self.do_open(
                pinned(http.client.HTTPSConnection),
                req,
                context=self._context,  # type: ignore[attr-defined]  # set in __init__, private
            )

    return [PinnedHTTPHandler(), PinnedHTTPSHandler()]


def post_delivery(subscriber: Subscriber, delivery: Delivery) -> tuple[int | None, str]:
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
