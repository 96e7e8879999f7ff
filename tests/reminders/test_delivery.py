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
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest
from django.conf import settings as django_settings
from rest_framework.test import APIClient

from chambers.models import Chamber
from config.celery_app import app as celery_app
from meetings import services as meetings
from reminders import services
from reminders.models import Reminder, ReminderKind, ReminderStatus
from reminders.tasks import retry_delay, scan_reminders, send_reminder
from tests.factories import SYSTEM, UserFactory, make_chamber, make_contact
from tests.reminders import delivery
from tests.reminders.delivery import purge_queue, subject
from tests.reminders.smtp import free_port, parts

pytestmark = pytest.mark.django_db(transaction=True)

#: The demo union on this day: approval of the chair from 2027-01-01 is due (60 days before),
#: to the secretariat and to Atameken's and Kyrgyzstan's focal points, and one action is overdue.
DEMO_DAY = dt.date(2026, 11, 25)
DAY = dt.date(2026, 11, 25)
SEND = send_reminder.name
SCAN = scan_reminders.name
FOCAL = "focal@home.example"
#: The worker fixture lives in tests/reminders/delivery.py (this folder's conftest offers it);
#: named here too for the modules that import it from here (tests/webhooks/test_delivery.py).
worker = delivery.worker


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


def test_a_large_scan_publishes_batches_and_each_reminder_is_sent_once(
    demo, smtp, worker, monkeypatch
):
    """Above ``PUBLISH_BATCH`` rows the scan publishes one message per batch of ids and a
    worker publishes each row's: every reminder still reaches the mail server once."""
    from core import outbox
    from core.tasks import publish_each

    monkeypatch.setattr(outbox, "PUBLISH_BATCH", 2)
    sink = smtp.start()
    purge_queue()
    scan = scan_reminders.delay(DEMO_DAY.isoformat())
    with worker() as runs:
        queued = runs.result_of(scan.id)
        assert queued >= 3
        batches = runs.wait_results(publish_each.name, -(-queued // 2))
        assert sum(batches) == queued
        assert runs.wait_results(SEND, queued) == [ReminderStatus.SENT] * queued
    rows = list(Reminder.objects.all())
    assert len(sink.messages) == queued == len(rows)
    assert all(row.status == ReminderStatus.SENT and row.attempts == 1 for row in rows)


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
