"""The Celery application. Tasks live in each app's ``tasks.py``; settings come from Django's
``CELERY_*`` settings, so the broker is chosen with ``CELERY_BROKER_URL``."""

import logging
import os

from celery import Celery

logger = logging.getLogger(__name__)

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("union")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


def enqueue(task, *args) -> bool:
    """Publish one task now, without retrying: with the broker unreachable, log it and return
    False after a bounded wait (the transport's timeouts in settings) so that the page or
    command that asked answers anyway. Callers publish after commit and rely on a later scan
    or a repeated request, never on this message alone."""
    return enqueue_each(task, [args]) == 1


def enqueue_each(task, calls) -> int:
    """Publish ``task`` once per argument tuple, stopping at the first failure (the broker is
    down: trying the rest would only multiply the wait). Returns how many were published."""
    published = 0
    for args in calls:
        try:
            task.apply_async(args=tuple(args), retry=False)
        except Exception:  # kombu raises several kinds (OperationalError, OSError, ...)
            logger.exception("Could not queue %s; the broker is unreachable.", task.name)
            break
        published += 1
    return published
