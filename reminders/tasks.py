"""Celery tasks of the reminders app: the daily scan and the send of one reminder.

Tasks take ids and reload; they acknowledge late (settings), so a worker lost mid-task leaves
the message to be delivered again, and the log row makes that redelivery harmless.
"""

from __future__ import annotations

import datetime as dt
import logging
import smtplib
from typing import Any

from celery import shared_task
from django.conf import settings
from django.core.mail import BadHeaderError

from core import tasks

from . import services
from .models import ReminderStatus

logger = logging.getLogger(__name__)


@shared_task
def scan_reminders(on: str | None = None) -> int:
    """Record and queue what is due today (or on ``on``, an ISO date); returns how many
    reminders were queued."""
    today = dt.date.fromisoformat(on) if on else None
    return len(services.reminders_scan(today=today).to_send)


def retry_delay(retries: int) -> float:
    """Exponential backoff of a reminder's send (see :mod:`core.tasks`)."""
    return tasks.retry_delay(retries, settings.REMINDER_RETRY_DELAY)


#: Failures of a send that are the message's, not the mail server's: never retried.
PERMANENT = (BadHeaderError, ValueError, UnicodeError, LookupError)


@shared_task(bind=True, max_retries=None, reject_on_worker_lost=True)
def send_reminder(self: Any, reminder_id: int) -> str:
    """Send one reminder; on a mail-server failure retry with backoff, and after the last
    retry mark it failed for the next scan to pick up."""
    try:
        return services.reminder_send(reminder_id=reminder_id)
    except PERMANENT as exc:
        # Retrying cannot help (a header the mail library refuses, an address it cannot
        # encode): recorded as failed with the reason, for staff to see and send again.
        error = f"{type(exc).__name__}: {exc}"
        services.reminder_record_failure(reminder_id=reminder_id, error=error, final=True)
        logger.exception("Reminder %s cannot be sent", reminder_id)
        return ReminderStatus.FAILED
    except (smtplib.SMTPException, OSError) as exc:
        error = f"{type(exc).__name__}: {exc}"
        final = self.request.retries >= settings.REMINDER_SEND_RETRIES
        services.reminder_record_failure(reminder_id=reminder_id, error=error, final=final)
        return tasks.retry_or_give_up(
            self,
            exc,
            max_retries=settings.REMINDER_SEND_RETRIES,
            base_delay=settings.REMINDER_RETRY_DELAY,
            give_up=lambda: None,  # recorded as failed just above
        )
    except Exception as exc:
        # A fault of ours (a template, a query): failed with the reason rather than left
        # claimed until the lease runs out; the traceback goes to the task's log.
        error = f"{type(exc).__name__}: {exc}"
        services.reminder_record_failure(reminder_id=reminder_id, error=error, final=True)
        raise
