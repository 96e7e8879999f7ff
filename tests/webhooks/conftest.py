"""Fixtures of the webhook tests: a real HTTP receiver on 127.0.0.1 and subscribers.

The receiver is ``http.server`` in a thread on a free port. It answers with the statuses it is
told to (then 200), and keeps every request's headers and raw body, so the tests check the
signature over the exact bytes that arrived.
"""

from __future__ import annotations

import http.server
import ipaddress
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest

from tests.factories import SYSTEM
from webhooks import services
from webhooks.models import Subscriber

SECRET = "test-secret-0123456789"
PUBLIC_IP = "93.184.215.14"  # example.org: a global address, never contacted


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class Receiver:
    """What the receiver got, and what it answers next (``statuses`` in order, then
    ``default``)."""

    port: int = 0
    statuses: list[int] = field(default_factory=list)
    default: int = 200
    delay: float = 0.0  # seconds before answering
    requests: list[Received] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hooks/union"

    def answer(self) -> int:
        with self.lock:
            return self.statuses.pop(0) if self.statuses else self.default

    def record(self, request: Received) -> None:
        with self.lock:
            self.requests.append(request)

    @property
    def received(self) -> list[Received]:
        with self.lock:
            return list(self.requests)


def _handler(receiver: Receiver) -> type[http.server.BaseHTTPRequestHandler]:
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            receiver.record(Received(self.path, dict(self.headers.items()), body))
            time.sleep(receiver.delay)
            status = receiver.answer()
            answer = b"ok" if status < 300 else b"receiver says no"
            self.send_response(status)
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, format, *args) -> None:  # quiet in the test output
            pass

    return Handler


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    state = Receiver()
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    state.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield state
    server.shutdown()
    server.server_close()


def free_port() -> int:
    """A port where nothing listens (bound, read, released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def subscribe(url: str, events: list[str], **fields) -> Subscriber:
    fields.setdefault("name", f"Receiver of {', '.join(events)}")
    fields.setdefault("secret", SECRET)
    return services.subscriber_save(
        actor=SYSTEM, subscriber=Subscriber(url=url, events=events, **fields)
    )


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


@pytest.fixture
def public_dns(monkeypatch) -> dict[str, str]:
    """Host names resolve to what the test says (``dns["host"] = "10.0.0.5"``), others to a
    public address; no network is needed."""
    names: dict[str, str] = {}
    real = socket.getaddrinfo

    def getaddrinfo(host, port, *args, **kwargs):
        if host == "localhost" or _is_ip(host):  # resolved for real, offline
            return real(host, port, *args, **kwargs)
        address = names.get(host, PUBLIC_IP)
        family = socket.AF_INET6 if ":" in address else socket.AF_INET
        sockaddr = (address, port, 0, 0) if family == socket.AF_INET6 else (address, port)
        return [(family, socket.SOCK_STREAM, 6, "", sockaddr)]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return names
