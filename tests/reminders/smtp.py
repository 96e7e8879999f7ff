"""A local SMTP server for delivery tests: aiosmtpd on 127.0.0.1, keeping what it accepts.

``Sink(port, fail_first=1, fail_at="DATA")`` answers the first DATA (or RCPT) with a 451
temporary failure and accepts afterwards, as a greylisting or overloaded server does.
"""

from __future__ import annotations

import email
import email.policy
import socket
import threading
from email.message import EmailMessage

from aiosmtpd.controller import Controller

TEMPORARY_FAILURE = "451 4.3.0 Temporary failure, try again later"


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on (at the time of asking)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Sink:
    """The handler and the server: ``messages`` are the accepted e-mails, parsed."""

    def __init__(self, port: int, *, fail_first: int = 0, fail_at: str = "DATA") -> None:
        if fail_at not in ("DATA", "RCPT"):
            raise ValueError(fail_at)
        self.port = port
        self.fail_at = fail_at
        self._failures_left = fail_first
        self.refused = 0  # commands answered with the temporary failure
        self._lock = threading.Lock()
        self._messages: list[EmailMessage] = []
        self._controller = Controller(self, hostname="127.0.0.1", port=port, ready_timeout=5)

    # aiosmtpd hooks ----------------------------------------------------------------------

    def _fail_now(self, stage: str) -> bool:
        with self._lock:
            if stage == self.fail_at and self._failures_left:
                self._failures_left -= 1
                self.refused += 1
                return True
        return False

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self._fail_now("RCPT"):
            return TEMPORARY_FAILURE
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self._fail_now("DATA"):
            return TEMPORARY_FAILURE
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self._lock:
            self._messages.append(message)
        return "250 Message accepted for delivery"

    # the test's side ---------------------------------------------------------------------

    @property
    def messages(self) -> list[EmailMessage]:
        with self._lock:
            return list(self._messages)

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if m["To"] == address]

    def start(self) -> Sink:
        self._controller.start()
        return self

    def stop(self) -> None:
        self._controller.stop()


def parts(message: EmailMessage) -> tuple[str, str]:
    """The decoded plain-text and HTML bodies of a multipart/alternative reminder."""
    assert message.get_content_type() == "multipart/alternative", message.get_content_type()
    text = message.get_body(preferencelist=("plain",))
    html = message.get_body(preferencelist=("html",))
    assert text is not None and html is not None
    return text.get_content(), html.get_content()
