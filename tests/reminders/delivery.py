"""A real Celery worker and a real (local) SMTP server for delivery tests, shared by the
reminders' and notices' delivery tests (the ``worker`` and ``smtp`` fixtures are in this
folder's conftest).

The worker runs in a thread of this process on the configured broker (Redis in CI, kombu's
filesystem transport by default); an aiosmtpd server on 127.0.0.1 is where delivery is
observed. Read the database once the worker has stopped: SQLite's shared in-memory test
database answers "database table is locked" to a second thread instead of waiting.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import kombu
import pytest
from celery.contrib.testing.worker import start_worker
from celery.signals import task_postrun, task_prerun

from config.celery_app import app as celery_app
from tests.reminders.smtp import Sink, free_port

DEADLINE = 20.0  # seconds: generous for a loaded CI machine, never reached when things work


# Waiting -------------------------------------------------------------------------------------


def wait_until(predicate: Callable[[], object], what: str, timeout: float = DEADLINE):
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(0.05)


class TaskRuns:
    """What the worker ran, from Celery's own signals (the worker is in this process): each
    attempt's start, and its end with the state (SUCCESS, RETRY, FAILURE) and return value."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.started: list[tuple[str, str, tuple, float]] = []
        self.ended: list[tuple[str, str, tuple, str, object]] = []

    def on_prerun(self, sender=None, task_id=None, task=None, args=None, **kwargs) -> None:
        with self._lock:
            self.started.append((task.name, task_id, tuple(args or ()), time.monotonic()))

    def on_postrun(
        self, sender=None, task_id=None, task=None, args=None, retval=None, state=None, **kwargs
    ) -> None:
        with self._lock:
            self.ended.append((task.name, task_id, tuple(args or ()), state, retval))

    def results(self, name: str) -> list[tuple[tuple, object]]:
        """``(args, return value)`` of the finished (not retried) runs of task ``name``."""
        with self._lock:
            return [(a, r) for n, _, a, s, r in self.ended if n == name and s == "SUCCESS"]

    def states(self, name: str) -> list[str]:
        with self._lock:
            return [s for n, _, _, s, _ in self.ended if n == name]

    def starts(self, name: str) -> list[float]:
        with self._lock:
            return [t for n, _, _, t in self.started if n == name]

    def result_of(self, task_id: str, timeout: float = DEADLINE):
        def done():
            with self._lock:
                return [(r,) for _, i, _, s, r in self.ended if i == task_id and s == "SUCCESS"]

        return wait_until(done, f"task {task_id}", timeout)[0][0]

    def wait_results(self, name: str, count: int, timeout: float = DEADLINE) -> list:
        found = wait_until(
            lambda: len(self.results(name)) >= count and self.results(name),
            f"{count} finished {name}",
            timeout,
        )
        return [retval for _, retval in found]


def purge_queue() -> int:
    """Drop messages other tests left in the broker (scans published after their commits):
    this module's counts are of what its own tests publish."""
    return celery_app.control.purge()


@pytest.fixture
def worker(monkeypatch) -> Callable[[], contextmanager]:
    """``with worker() as runs:`` a real worker on the configured broker.

    The worker's loop waits up to 2 s for a message before it looks whether it should stop,
    and once more after (celery/worker/loops.py, ``synloop``): 4 s per stop. Its waits are
    capped here so that it stops within a fraction of a second; delivery is unchanged."""
    drain_events = kombu.Connection.drain_events

    def drain_briefly(self, **kwargs):
        kwargs["timeout"] = min(kwargs.get("timeout") or 0.25, 0.25)
        return drain_events(self, **kwargs)

    monkeypatch.setattr(kombu.Connection, "drain_events", drain_briefly)

    @contextmanager
    def run() -> Iterator[TaskRuns]:
        runs = TaskRuns()
        task_prerun.connect(runs.on_prerun, weak=False)
        task_postrun.connect(runs.on_postrun, weak=False)
        try:
            with start_worker(
                celery_app, pool="solo", perform_ping_check=False, shutdown_timeout=10
            ):
                yield runs
        finally:
            task_prerun.disconnect(runs.on_prerun)
            task_postrun.disconnect(runs.on_postrun)

    return run


# The mail server -----------------------------------------------------------------------------


class MailServer:
    """Django sends through SMTP to ``port``; ``start()`` puts a sink there (and it is stopped
    at the end of the test). Until then nothing listens on the port."""

    def __init__(self) -> None:
        self.port = free_port()
        self._sinks: list[Sink] = []

    def start(self, **options) -> Sink:
        sink = Sink(self.port, **options).start()
        self._sinks.append(sink)
        return sink

    def stop(self) -> None:
        for sink in self._sinks:
            sink.stop()


@pytest.fixture
def smtp(settings) -> Iterator[MailServer]:
    server = MailServer()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = server.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 5
    mail_log = logging.getLogger("mail.log")  # aiosmtpd logs every command at INFO
    level = mail_log.level
    mail_log.setLevel(logging.WARNING)
    yield server
    server.stop()
    mail_log.setLevel(level)


def subject(message) -> str:
    """The decoded subject. Django folds a long encoded subject onto the next line, which the
    parser gives back with a leading space."""
    return " ".join(str(message["Subject"]).split())
