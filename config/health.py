"""``/healthz``: whether this process can serve, for a load balancer or a process manager.

Three checks, each named in the answer: the database answers, the broker accepts a connection
(within ``HEALTHZ_BROKER_TIMEOUT`` seconds), and every migration is applied. 200 when all pass,
503 naming the parts that failed. No secrets: never a URL, a host or an error's text, which may
carry a password."""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

logger = logging.getLogger(__name__)


def database() -> None:
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def broker() -> None:
    from config.celery_app import app

    # The configured URL, read now (the settings, not the app's cached configuration).
    with app.connection_for_write(settings.CELERY_BROKER_URL) as connection:
        connection.ensure_connection(max_retries=0, timeout=settings.HEALTHZ_BROKER_TIMEOUT)


def migrations() -> None:
    connection = connections[DEFAULT_DB_ALIAS]
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if plan:
        raise RuntimeError(f"{len(plan)} migrations not applied")


CHECKS: dict[str, Callable[[], None]] = {
    "database": database,
    "broker": broker,
    "migrations": migrations,
}


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    results = {}
    for name, check in CHECKS.items():
        try:
            check()
        except Exception:
            logger.exception("Health check %s failed.", name)
            results[name] = "failing"
        else:
            results[name] = "ok"
    healthy = all(state == "ok" for state in results.values())
    return JsonResponse(
        {"status": "ok" if healthy else "failing", "checks": results},
        status=200 if healthy else 503,
    )
