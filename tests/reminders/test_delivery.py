"""Delivery of reminders by a real Celery worker to a real (local) SMTP server.

The worker runs in a thread of this process on the configured broker (Redis in CI, kombu's
filesystem transport by default); an aiosmtpd server on 127.0.0.1 is where delivery is
observed. Covered: a due reminder reaches the mail server once and in the recipient's language;
a temporary SMTP failure is retried with backoff and still sends once; with the mail server
down the reminder is marked failed and the next scan delivers it; with the broker down the API
answers within seconds and the next scan delivers the reminder once the broker is back.
"""

from __future__ import annotations

import datetime as dt
import itertools
import logging
import os
import socket
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import kombu
import pytest
from celery.contrib.testing.worker import start_worker
from celery.signals import task_postrun, task_prerun
from django.conf import settings as django_settings
from rest_framework.test import APIClient

from chambers.models import Chamber
from config.celery_app import app as celery_app
from meetings import services as meetings
from reminders import services
from reminders.models import Reminder, ReminderKind, ReminderStatus
from reminders.tasks import retry_delay, scan_reminders, send_reminder
from tests.factories import SYSTEM, UserFactory, make_chamber, make_contact
from tests.reminders.smtp import Sink, free_port, parts

pytestmark = pytest.mark.django_db(transaction=True)

#: The demo union on this day: approval of the chair from 2027-01-01 is due (60 days before),
#: to the secretariat and to Atameken's and Kyrgyzstan's focal points, and one action is overdue.
DEMO_DAY = dt.date(2026, 11, 25)
DAY = dt.date(2026, 11, 25)
DEADLINE = 20.0  # seconds: generous for a loaded CI machine, never reached when things work
SEND = send_reminder.name
SCAN = scan_reminders.name
FOCAL = "focal@home.example"


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


# The data ------------------------------------------------------------------------------------


def small_union(*, staff: bool = False):
    """Two member chambers; Home's focal point reads Russian. A meeting planned 10 days after
    ``DAY`` (made by the caller) leaves exactly one reminder due on ``DAY``: the unanswered
    invitation, to that focal point. Staff have no address, so no staff reminders."""
    home = make_chamber(slug="home", short_name="Home CCI", country="KZ")
    other = make_chamber(slug="other", short_name="Other CCI", country="TR")
    make_contact(
        home,
        name="Aliya Focal",
        roles=["focal_point"],
        email=FOCAL,
        preferred_language="ru",
    )
    user = None
    if staff:
        user = UserFactory(username="staff", email="", is_staff=True, is_superuser=True)
    return home, other, user


def meeting_data(day: dt.date = DAY + dt.timedelta(days=10)) -> dict:
    starts = dt.datetime(day.year, day.month, day.day, 6, tzinfo=dt.UTC)
    return {
        "kind": "board",
        "title": "Board on trade corridors",
        "starts_at": starts,
        "ends_at": starts + dt.timedelta(hours=4),
        "time_zone": "Asia/Almaty",
    }


def subject(message) -> str:
    """The decoded subject. Django folds a long encoded subject onto the next line, which the
    parser gives back with a leading space."""
    return " ".join(str(message["Subject"]).split())


def only_reminder() -> Reminder:
    rows = list(Reminder.objects.all())
    assert len(rows) == 1, rows
    assert rows[0].kind == ReminderKind.INVITATION_UNANSWERED and rows[0].email == FOCAL
    return rows[0]


# A due reminder, delivered -------------------------------------------------------------------
#
# The tests publish, then run a worker until what they published is done, and read the
# database once it has stopped: SQLite's shared in-memory test database answers "database
# table is locked" to a second thread instead of waiting.


def test_a_due_reminder_reaches_the_mail_server_once_in_the_recipients_language(demo, smtp, worker):
    sink = smtp.start()
    purge_queue()
    scan = scan_reminders.delay(DEMO_DAY.isoformat())
    with worker() as runs:
        queued = runs.result_of(scan.id)
        assert queued >= 3
        assert runs.wait_results(SEND, queued) == [ReminderStatus.SENT] * queued

    rows = list(Reminder.objects.order_by("pk"))
    messages = sink.messages
    assert len(messages) == queued == len(rows)
    assert all(row.status == ReminderStatus.SENT and row.attempts == 1 for row in rows)
    # One e-mail per log row, each to its row's address, under its row's subject.
    assert Counter((m["To"], subject(m)) for m in messages) == Counter(
        (row.email, row.title) for row in rows
    )
    assert sum(1 for row in rows if row.kind == ReminderKind.APPROVAL_DUE) == 3

    atameken = Chamber.objects.get(slug="atameken")
    row = Reminder.objects.get(
        kind=ReminderKind.APPROVAL_DUE, email="international@atameken.example"
    )
    assert row.language == "kk"
    (message,) = sink.to("international@atameken.example")
    text, html = parts(message)
    # The chamber's Kazakh name, decoded from the transfer encoding, in both parts.
    assert "«Атамекен»" in text
    assert atameken.name_kk in text and atameken.name_kk in html
    assert atameken.name_ru not in text and atameken.name_en not in text
    assert '<html lang="kk">' in html
    # The Russian-speaking focal point of the other chamber gets Atameken's Russian name.
    (russian,) = sink.to("international@kyrgyzstan-cci.example")
    assert atameken.name_ru in parts(russian)[0]

    # Nothing more: a second scan queues nothing, a repeated send finds the row sent.
    second = scan_reminders.delay(DEMO_DAY.isoformat())
    again = send_reminder.delay(row.pk)
    with worker() as runs:
        assert runs.result_of(second.id) == 0
        assert runs.result_of(again.id) == ReminderStatus.SENT
        assert runs.results(SEND) == [((row.pk,), ReminderStatus.SENT)]
    assert len(sink.messages) == queued
    row.refresh_from_db()
    assert row.attempts == 1


# A temporary SMTP failure ----------------------------------------------------------------------


@pytest.mark.parametrize("fail_at", ["DATA", "RCPT"])
def test_a_send_retried_after_a_temporary_smtp_failure_sends_once(
    fail_at, default_rules, smtp, worker
):
    small_union()
    meetings.meeting_create(actor=SYSTEM, data=meeting_data())
    sink = smtp.start(fail_first=1, fail_at=fail_at)
    purge_queue()
    services.reminders_scan(today=DAY)
    with worker() as runs:
        assert runs.wait_results(SEND, 1) == [ReminderStatus.SENT]
    assert runs.states(SEND) == ["RETRY", "SUCCESS"]
    first, second = runs.starts(SEND)
    assert second - first >= retry_delay(0) - 0.05  # backed off before trying again

    assert sink.refused == 1
    assert [m["To"] for m in sink.messages] == [FOCAL]
    row = only_reminder()
    assert row.status == ReminderStatus.SENT
    assert row.attempts == 2
    assert row.last_error == ""


# The mail server down ------------------------------------------------------------------------


def test_with_the_mail_server_down_the_reminder_fails_then_the_next_scan_sends_it(
    default_rules, smtp, worker
):
    small_union()
    meetings.meeting_create(actor=SYSTEM, data=meeting_data())
    retries = django_settings.REMINDER_SEND_RETRIES
    purge_queue()
    services.reminders_scan(today=DAY)  # nothing listens on the SMTP port
    with worker() as runs:
        assert runs.wait_results(SEND, 1) == [ReminderStatus.FAILED]
    assert runs.states(SEND) == ["RETRY"] * retries + ["SUCCESS"]
    starts = runs.starts(SEND)
    gaps = [b - a for a, b in itertools.pairwise(starts)]
    assert all(gap >= retry_delay(n) - 0.05 for n, gap in enumerate(gaps)), gaps
    row = only_reminder()
    assert row.status == ReminderStatus.FAILED
    assert row.attempts == retries + 1
    assert "refused" in row.last_error.lower()
    assert row.sent_at is None

    sink = smtp.start()  # the server is back; the next scan queues the failed reminder
    assert services.reminders_scan(today=DAY).to_send == [row.pk]
    with worker() as runs:
        assert runs.wait_results(SEND, 1) == [ReminderStatus.SENT]

    assert [m["To"] for m in sink.messages] == [FOCAL]
    row.refresh_from_db()
    assert row.status == ReminderStatus.SENT
    assert row.attempts == retries + 2


# The broker down -----------------------------------------------------------------------------


@contextmanager
def broker_at(url: str, transport_options: dict) -> Iterator[None]:
    """Point publishing at ``url`` and back. Celery reads CELERY_BROKER_URL from the environment
    before its configuration (CI sets it), and caches the connection and producer pools."""
    saved_env = os.environ.get("CELERY_BROKER_URL")
    saved_url = celery_app.conf.broker_url
    saved_options = celery_app.conf.broker_transport_options

    def reset_pools() -> None:
        celery_app._pool = None
        celery_app.amqp._producer_pool = None

    os.environ["CELERY_BROKER_URL"] = url
    celery_app.conf.broker_url = url
    celery_app.conf.broker_transport_options = transport_options
    reset_pools()
    try:
        yield
    finally:
        if saved_env is None:
            os.environ.pop("CELERY_BROKER_URL", None)
        else:
            os.environ["CELERY_BROKER_URL"] = saved_env
        celery_app.conf.broker_url = saved_url
        celery_app.conf.broker_transport_options = saved_options
        reset_pools()


@contextmanager
def dead_broker(mode: str) -> Iterator[int]:
    """A Redis URL where no broker answers: ``refused`` (nothing listens) or ``silent`` (the
    connection is accepted by the kernel, but nothing ever replies)."""
    options = {"max_retries": 0, "socket_connect_timeout": 2, "socket_timeout": 2}
    if mode == "refused":
        port = free_port()
        with broker_at(f"redis://127.0.0.1:{port}/0", options):
            yield port
        return
    with socket.socket() as hole:
        hole.bind(("127.0.0.1", 0))
        hole.listen(16)  # never accepted, never answered
        port = hole.getsockname()[1]
        with broker_at(f"redis://127.0.0.1:{port}/0", options):
            yield port


def timed(call: Callable[[], object]) -> tuple[object, float]:
    start = time.monotonic()
    result = call()
    return result, time.monotonic() - start


@pytest.mark.parametrize("mode", ["refused", "silent"])
def test_with_the_broker_down_the_api_answers_and_the_next_scan_sends(
    mode, default_rules, smtp, worker, caplog
):
    _home, _other, staff_user = small_union(staff=True)
    api = APIClient()
    api.force_login(staff_user)
    sink = smtp.start()
    home_uri = celery_app.amqp.producer_pool.connections.connection.as_uri()

    with caplog.at_level(logging.WARNING), dead_broker(mode) as port:
        # The reset took: publishing now goes to the dead port.
        uri = celery_app.amqp.producer_pool.connections.connection.as_uri()
        assert uri.endswith(f"127.0.0.1:{port}/0"), uri

        body = {
            **{k: v.isoformat() if isinstance(v, dt.datetime) else v
               for k, v in meeting_data().items()},
            "host": "home",
        }  # fmt: skip
        created, seconds = timed(lambda: api.post("/api/v1/meetings/", body, format="json"))
        assert created.status_code == 201, created.content
        assert seconds < 5, f"creating a meeting took {seconds:.1f} s with the broker down"
        meeting = created.json()["id"]
        for slug in ("home", "other"):
            present = api.post(
                f"/api/v1/meetings/{meeting}/attendance/",
                {"chamber": slug, "present": True},
                format="json",
            )
            assert present.status_code == 200, present.content
        decision = api.post(
            "/api/v1/decisions/",
            {"meeting": meeting, "kind": "general", "title": "Trade corridors",
             "method": "consensus"},
            format="json",
        )  # fmt: skip
        assert decision.status_code == 201, decision.content
        adopted, seconds = timed(
            lambda: api.post(f"/api/v1/decisions/{decision.json()['id']}/adopt/")
        )
        assert adopted.status_code == 200, adopted.content
        assert seconds < 5, f"adopting a decision took {seconds:.1f} s with the broker down"
        # Neither scan they asked for reached a worker: nothing is recorded yet.
        assert not Reminder.objects.exists()

        # A scan run meanwhile (the admin's "send due reminders now") records the reminder
        # and cannot queue it: the row waits, unsent and not marked queued.
        recorded, seconds = timed(lambda: services.reminders_scan(today=DAY))
        assert seconds < 5, f"a scan took {seconds:.1f} s with the broker down"
        row = only_reminder()
        assert recorded.to_send == [row.pk]
        assert row.status == ReminderStatus.PENDING
        assert row.queued_at is None and row.sent_at is None

    # Each publish was refused by the broker and logged: two scans, then the send.
    failures = [r.getMessage() for r in caplog.records if "Could not queue" in r.getMessage()]
    assert failures == [
        f"Could not queue {SCAN}; the broker is unreachable.",
        f"Could not queue {SCAN}; the broker is unreachable.",
        f"Could not queue {SEND}; the broker is unreachable.",
    ], [r.getMessage() for r in caplog.records]
    assert any("stay unsent until the broker is back" in r.getMessage() for r in caplog.records)
    assert celery_app.amqp.producer_pool.connections.connection.as_uri() == home_uri

    purge_queue()  # the broker is back: the next scan sends the reminder
    scan = scan_reminders.delay(DAY.isoformat())
    with worker() as runs:
        assert runs.result_of(scan.id) == 1
        assert runs.wait_results(SEND, 1) == [ReminderStatus.SENT]

    assert [m["To"] for m in sink.messages] == [FOCAL]
    row.refresh_from_db()
    assert row.status == ReminderStatus.SENT and row.attempts == 1
    assert only_reminder() == row
