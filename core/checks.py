"""System checks of the production secrets: run by ``manage.py check`` (and ``--deploy``), by
Celery's workers at start-up, and by ``config/wsgi.py`` before gunicorn serves a request."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, register

#: Words of keys copied from an example or a test, never a real secret.
PLACEHOLDERS = (
    "changeme",
    "change-me",
    "change_me",
    "replace-me",
    "replaceme",
    "placeholder",
    "your-secret",
    "secret-key",
    "insecure",
    "not-for-production",
    "example",
    "test-only",
    "xxxxx",
    "...",
)
MIN_LENGTH = 50
MIN_DISTINCT = 5

TAG = "secrets"


def secret_key_problem(key: str) -> str | None:
    """Why ``key`` is not fit for production, or None."""
    if len(key) < MIN_LENGTH:
        return f"it has {len(key)} characters (at least {MIN_LENGTH} are needed)"
    if len(set(key)) < MIN_DISTINCT:
        return f"it has fewer than {MIN_DISTINCT} different characters"
    lowered = key.lower()
    for word in PLACEHOLDERS:
        if word in lowered:
            return f"it looks like a placeholder (contains {word!r})"
    return None


@register(TAG, deploy=False)
def check_secret_key(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    if settings.DEBUG:
        return []
    problem = secret_key_problem(settings.SECRET_KEY)
    if problem is None:
        return []
    return [
        Error(
            f"SECRET_KEY is weak: {problem}.",
            hint="Generate one with: python -c 'import secrets; print(secrets.token_urlsafe(50))'",
            id="core.E001",
        )
    ]


def refuse_weak_secrets() -> None:
    """Raise at start-up when a secrets check fails (gunicorn runs no system checks)."""
    from django.core.checks import run_checks
    from django.core.exceptions import ImproperlyConfigured

    errors = [message for message in run_checks(tags=[TAG]) if message.is_serious()]
    if errors:
        raise ImproperlyConfigured("; ".join(f"{e.id}: {e.msg} {e.hint}" for e in errors))
