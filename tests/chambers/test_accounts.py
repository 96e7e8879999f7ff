"""Logins: lockout after repeated failures, password change, and password reset whose e-mail a
real Celery worker sends (on Redis in CI, on the filesystem broker by default)."""

from __future__ import annotations

import re
import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client

from config.celery_app import app as celery_app
from tests.factories import UserFactory


@pytest.fixture
def member(db):
    return UserFactory(username="aigerim", email="aigerim@example.kz")


def test_repeated_failed_logins_lock_out(member):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = client.post(
            "/accounts/login/", {"username": "aigerim", "password": "wrong"}, REMOTE_ADDR="10.0.0.1"
        )
    assert response.status_code == 429
    # Even the right password is refused while locked out.
    response = client.post(
        "/accounts/login/",
        {"username": "aigerim", "password": "pass-word-2026"},
        REMOTE_ADDR="10.0.0.1",
    )
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_login_and_logout(member):
    client = Client()
    response = client.post(
        "/accounts/login/", {"username": "aigerim", "password": "pass-word-2026"}
    )
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(member.pk)
    assert client.post("/accounts/logout/").status_code == 302
    assert "_auth_user_id" not in client.session


def test_password_change(member):
    client = Client()
    client.force_login(member)
    response = client.post(
        "/accounts/password_change/",
        {
            "old_password": "pass-word-2026",
            "new_password1": "another-long-pass-77",
            "new_password2": "another-long-pass-77",
        },
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.check_password("another-long-pass-77")


@pytest.mark.django_db(transaction=True)
def test_password_reset_mail_sent_by_a_real_worker_in_the_users_language():
    UserFactory(username="aigerim", email="aigerim@example.kz")
    mail.outbox.clear()
    celery_app.control.purge()  # messages other tests left in the queue are not this test's
    with start_worker(celery_app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        response = Client().post(
            "/accounts/password_reset/",
            {"email": "aigerim@example.kz"},
            HTTP_ACCEPT_LANGUAGE="ru",
        )
        assert response.status_code == 302
        deadline = time.monotonic() + 20
        while not mail.outbox and time.monotonic() < deadline:
            time.sleep(0.1)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["aigerim@example.kz"]
    # Rendered in the language the request asked for, by the worker.
    assert message.subject != "Password reset on the union's secretariat portal"
    assert re.search("[а-яА-Я]", message.subject)
    link = re.search(r"https?://[^/]+(/accounts/reset/\S+)", message.body).group(1)
    client = Client()
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    response = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "brand-new-pass-2026", "new_password2": "brand-new-pass-2026"},
    )
    assert response.status_code == 302
    user = get_user_model().objects.get(username="aigerim")
    assert user.check_password("brand-new-pass-2026")


def test_password_reset_for_unknown_address_sends_nothing_and_looks_the_same(db):
    mail.outbox.clear()
    response = Client().post("/accounts/password_reset/", {"email": "nobody@example.org"})
    assert response.status_code == 302
    assert mail.outbox == []
