"""``/healthz``: 200 with every part ok; 503 naming the part that fails, and no secret."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_a_healthy_process_answers_200(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "checks": {"database": "ok", "broker": "ok", "migrations": "ok"},
    }
    assert "no-cache" in response["Cache-Control"]


def test_a_broker_that_does_not_answer_is_named_and_no_secret_shown(client, settings):
    settings.CELERY_BROKER_URL = "redis://:s3cret-password@127.0.0.1:1/0"  # nothing on port 1
    settings.HEALTHZ_BROKER_TIMEOUT = 0.5
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"] == {
        "database": "ok",
        "broker": "failing",
        "migrations": "ok",
    }
    assert b"s3cret" not in response.content and b"127.0.0.1" not in response.content


def test_unapplied_migrations_are_a_503(client, monkeypatch):
    from django.db.migrations.executor import MigrationExecutor

    monkeypatch.setattr(MigrationExecutor, "migration_plan", lambda self, targets: [("x", False)])
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["migrations"] == "failing"
