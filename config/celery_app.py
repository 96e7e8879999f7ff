"""The Celery application. Tasks live in each app's ``tasks.py``; settings come from Django's
``CELERY_*`` settings, so the broker is chosen with ``CELERY_BROKER_URL``. Publishing from the
services goes through :mod:`core.outbox`."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("union")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
