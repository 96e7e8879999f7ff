"""The Celery application. Tasks live in each app's ``tasks.py``; settings come from Django's
``CELERY_*`` settings, so the broker is chosen with ``CELERY_BROKER_URL``. Publishing from the
services goes through :mod:`core.outbox`."""

import os

from celery import Celery, signals
from kombu.transport import TRANSPORT_ALIASES

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
# The embedded broker (filesystem://) writes each message whole before a worker can see it.
TRANSPORT_ALIASES["filesystem"] = "core.broker:Transport"

app = Celery("union")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@signals.worker_init.connect
def refuse_weak_secrets(**kwargs: object) -> None:
    """Celery runs Django's checks at a worker's start but only prints them: a weak or
    placeholder SECRET_KEY stops the worker (core.E001), as it stops gunicorn."""
    from django.core.exceptions import ImproperlyConfigured

    from core.checks import refuse_weak_secrets as refuse

    try:
        refuse()
    except ImproperlyConfigured as exc:  # Celery logs and ignores a receiver's exception
        raise SystemExit(f"ImproperlyConfigured: {exc}") from exc
