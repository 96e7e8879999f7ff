"""A send that can never succeed is recorded as failed with its reason at once (it stayed
pending forever, with no error, when a header was refused), and every copy of one reminder
carries the same ``Message-ID``, so a duplicate after a worker died mid-send is one message."""

from __future__ import annotations

import pytest
from django.core import mail

from reminders import messages, services
from reminders.models import Reminder, ReminderKind, ReminderStatus
from reminders.tasks import send_reminder
from tests.factories import ReminderFactory


@pytest.fixture
def reminder(db) -> Reminder:
    return ReminderFactory(
        kind=ReminderKind.ACTION_OVERDUE, context={"action": 0, "due": "2026-11-01"}
    )


def test_a_header_the_mail_library_refuses_is_a_failure_with_its_reason(reminder, monkeypatch):
    real = messages.compose

    def with_a_newline(row):
        message = real(row)
        message.subject = "Overdue:\nBcc: everyone@example.org"
        return message

    monkeypatch.setattr(services, "compose", with_a_newline)
    result = send_reminder.apply(args=[reminder.pk]).get()
    reminder.refresh_from_db()
    assert result == ReminderStatus.FAILED
    assert reminder.status == ReminderStatus.FAILED and reminder.attempts == 1
    assert reminder.last_error.startswith("BadHeaderError")
    assert mail.outbox == []


def test_every_copy_of_a_reminder_has_the_same_message_id(reminder, settings):
    settings.PORTAL_URL = "https://union.example"
    services.reminder_send(reminder_id=reminder.pk)
    Reminder.objects.filter(pk=reminder.pk).update(status=ReminderStatus.PENDING)  # sent again
    services.reminder_send(reminder_id=reminder.pk)
    ids = [m.extra_headers["Message-ID"] for m in mail.outbox]
    assert len(ids) == 2 and ids[0] == ids[1]
    assert ids[0] == f"<reminder-{reminder.pk}.action_overdue.{reminder.offset_days}@union.example>"
    assert mail.outbox[0].message()["Message-ID"] == ids[0]
