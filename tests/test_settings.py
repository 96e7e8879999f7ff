"""Configuration from the environment: malformed values stop start-up with a message naming the
variable, and production values pass ``check --deploy`` without warnings."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def start(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    # Drop what config/test_settings.py put into this process's environment.
    dropped = ("DJANGO_", "DEBUG", "SECRET_KEY", "SECURE_", "SESSION_COOKIE", "CSRF_", "ALLOWED_")
    clean = {k: v for k, v in os.environ.items() if not k.startswith(dropped)}
    clean.update({"DJANGO_SETTINGS_MODULE": "config.settings", **env})
    command = args or ("-c", "import django; django.setup()")
    return subprocess.run(  # noqa: S603  our own interpreter and manage.py
        [sys.executable, *command], cwd=ROOT, env=clean, capture_output=True, text=True, timeout=60
    )


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({"DEBUG": "maybe"}, "DEBUG"),
        ({"DEBUG": "false"}, "SECRET_KEY"),
        ({"DEBUG": "true", "DATABASE_URL": "nonsense://x"}, "DATABASE_URL"),
        ({"DEBUG": "true", "CONN_MAX_AGE": "forever"}, "CONN_MAX_AGE"),
        ({"DEBUG": "true", "EMAIL_URL": "pigeon"}, "EMAIL_URL"),
        ({"DEBUG": "true", "SECURE_SSL_REDIRECT": "perhaps"}, "SECURE_SSL_REDIRECT"),
        ({"DEBUG": "true", "AXES_FAILURE_LIMIT": "many"}, "AXES_FAILURE_LIMIT"),
        ({"DEBUG": "true", "CELERY_BROKER_URL": "nonsense"}, "CELERY_BROKER_URL"),
        ({"DEBUG": "true", "LOG_LEVEL": "LOUD"}, "LOG_LEVEL"),
        ({"DEBUG": "true", "REMINDERS_SCAN_AT": "7am"}, "REMINDERS_SCAN_AT"),
        ({"DEBUG": "true", "REMINDERS_SCAN_AT": "25:00"}, "REMINDERS_SCAN_AT"),
        ({"DEBUG": "true", "REMINDERS_LATE_DAYS": "a month"}, "REMINDERS_LATE_DAYS"),
        ({"DEBUG": "true", "EMAIL_TIMEOUT": "soon"}, "EMAIL_TIMEOUT"),
        ({"DEBUG": "true", "PORTAL_URL": "not a url"}, "PORTAL_URL"),
        ({"DEBUG": "true", "TRUSTED_PROXY_COUNT": "two"}, "TRUSTED_PROXY_COUNT"),
        ({"DEBUG": "true", "TRUSTED_PROXY_COUNT": "-1"}, "TRUSTED_PROXY_COUNT"),
        ({"DEBUG": "true", "CACHE_URL": "nonsense://x"}, "CACHE_URL"),
    ],
)
def test_malformed_value_fails_at_start_up_naming_it(env, named):
    result = start(env)
    assert result.returncode != 0
    last = result.stderr.strip().splitlines()[-1]
    assert "ImproperlyConfigured" in last and named in last, result.stderr[-2000:]


def test_embedded_defaults_start():
    assert start({"DEBUG": "true"}).returncode == 0


def test_production_values_pass_check_deploy():
    env = {
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "union.example.org",
    }
    result = start(env, "manage.py", "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    "key",
    ["abc", "change-me-" + "x" * 50, "django-insecure-" + secrets.token_urlsafe(10), "a" * 60],
)
def test_a_weak_secret_key_fails_check_deploy_and_start_up(key):
    """A 3-character or placeholder SECRET_KEY was accepted in production."""
    env = {"DEBUG": "false", "SECRET_KEY": key, "ALLOWED_HOSTS": "union.example.org"}
    result = start(env, "manage.py", "check", "--deploy")
    assert result.returncode != 0
    assert "core.E001" in result.stderr and "SECRET_KEY is weak" in result.stderr
    # gunicorn runs no checks: the WSGI module refuses to load.
    serving = start(env, "-c", "import config.wsgi")
    assert serving.returncode != 0 and "core.E001" in serving.stderr
    # Nor does a Celery worker (Celery only prints the checks).
    worker = start(
        {**env, "CELERY_BROKER_URL": "memory://"},
        "-m",
        "celery",
        "-A",
        "config",
        "worker",
        "--pool",
        "solo",
        "--without-mingle",
        "--without-gossip",
        "--without-heartbeat",
    )
    assert worker.returncode != 0 and "core.E001" in worker.stdout + worker.stderr


def test_production_values_load_the_wsgi_application():
    env = {"DEBUG": "false", "SECRET_KEY": secrets.token_urlsafe(50), "ALLOWED_HOSTS": "x.org"}
    assert start(env, "-c", "import config.wsgi").returncode == 0


def test_offline_commands_need_no_secret_but_serving_does():
    """`makemigrations --check` works on a bare checkout; anything that serves still refuses."""
    offline = start({"DEBUG": "false"}, "manage.py", "makemigrations", "--check", "--dry-run")
    assert offline.returncode == 0, offline.stderr[-2000:]
    serving = start({"DEBUG": "false"}, "manage.py", "check")
    assert serving.returncode != 0 and "SECRET_KEY" in serving.stderr


def test_reminder_scan_time_and_retry_bound_come_from_settings():
    """Beat runs the scan at REMINDERS_SCAN_AT; a retry never waits as long as the broker's
    visibility timeout (Redis would deliver the waiting message again)."""
    result = start(
        {"DEBUG": "true", "REMINDERS_SCAN_AT": "06:45", "CELERY_BROKER_URL": "redis://x:6379/0"},
        "-c",
        "import django; django.setup(); from django.conf import settings as s; "
        "e = s.CELERY_BEAT_SCHEDULE['scan-reminders']; "
        "print(e['task'], sorted(e['schedule'].hour), sorted(e['schedule'].minute), "
        "s.TASK_RETRY_DELAY_MAX < s.CELERY_BROKER_TRANSPORT_OPTIONS['visibility_timeout'])",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["reminders.tasks.scan_reminders", "[6]", "[45]", "True"]
