"""Claims of reminder rows on PostgreSQL: a scan or a staff retry that runs while a worker is
sending a reminder must leave it sent. Both used to read the rows, then update them by id
only: the update waited for the worker's lock and then flipped the row it had just sent back
to pending (and it went out again). The state is now part of the claim (docs/locking.md)."""

from __future__ import annotations

import datetime as dt
import importlib
import io
import threading

import pytest
from django.core.mail.backends.locmem import EmailBackend
from django.core.management import call_command
from django.db import connection

from core.access import SYSTEM
from reminders import services
from reminders.models import Reminder, ReminderRule, ReminderStatus
from tests.conftest import requires_postgres

pytestmark = [requires_postgres, pytest.mark.django_db(transaction=True)]

DEFAULTS = importlib.import_module("reminders.migrations.0002_default_rules").DEFAULTS
DAY = dt.date(2026, 11, 25)  # the demo's approval of the 2027 chair is due
SENDING = threading.Event()


class SlowBackend(EmailBackend):
    """The mail server answers after a second: the worker holds the reminder's row lock."""

    def send_messages(self, messages):
        SENDING.set()
        threading.Event().wait(1.0)
        return super().send_messages(messages)


@pytest.fixture
def due(settings, monkeypatch) -> Reminder:
    """The demo scanned once on DAY; one of its reminders failed once (sendable again)."""
    settings.EMAIL_BACKEND = f"{__name__}.SlowBackend"
    ReminderRule.objects.all().delete()
    for kind, offsets in DEFAULTS.items():
        for offset in offsets:
            ReminderRule.objects.create(kind=kind, offset_days=offset)
    call_command("load_demo", stdout=io.StringIO())
    monkeypatch.setattr(services, "reminders_publish", lambda ids: len(ids))
    assert services.reminders_scan(today=DAY).to_send
    reminder = Reminder.objects.order_by("pk").first()
    Reminder.objects.filter(pk=reminder.pk).update(status=ReminderStatus.FAILED, attempts=1)
    SENDING.clear()
    return reminder


def _while_sending(reminder: Reminder, action) -> object:
    """Run ``action`` while a worker is inside the mail server's answer for ``reminder``."""
    outcome: list[str] = []

    def send() -> None:
        try:
            outcome.append(services.reminder_send(reminder_id=reminder.pk))
        finally:
            connection.close()

    worker = threading.Thread(target=send)
    worker.start()
    assert SENDING.wait(10)
    result = action()
    worker.join(20)
    assert outcome == [ReminderStatus.SENT]
    return result


def test_a_retry_while_the_reminder_is_being_sent_leaves_it_sent(due):
    retried = _while_sending(due, lambda: services.reminders_retry(actor=SYSTEM, reminders=[due]))
    due.refresh_from_db()
    assert due.status == ReminderStatus.SENT
    assert retried == 0


def test_a_scan_while_the_reminder_is_being_sent_leaves_it_sent(due):
    _while_sending(due, lambda: services.reminders_scan(today=DAY))
    due.refresh_from_db()
    assert due.status == ReminderStatus.SENT
    assert due.sent_at is not None
