"""Issue 15, "access and abuse": each observed defect as a test.

The lockout counts the client's address from TRUSTED_PROXY_COUNT proxies, and per user name
across addresses and per address across user names; the API's throttles (reads, exports,
imports) and the password reset's rate answer 429 with Retry-After; the password reset never
says it sent what it could not queue; headers (CSP, Permissions-Policy, Cache-Control), the
staff's idle timeout, and secrets masked in the logs.
"""

from __future__ import annotations

import io
import logging
import re
import time

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client

from core import logfilters, outbox
from core.net import client_ip
from tests.factories import UserFactory

LOGIN = "/accounts/login/"
RESET = "/accounts/password_reset/"


@pytest.fixture
def member(db):
    return UserFactory(username="aigerim", email="aigerim@example.kz")


def _fail_login(client: Client, username: str, **meta: str):
    return client.post(LOGIN, {"username": username, "password": "wrong"}, **meta)


# Lockout -------------------------------------------------------------------------------------


def test_a_forwarded_for_header_written_by_the_client_does_not_dodge_the_lockout(member, settings):
    """Behind one proxy, the client's own X-Forwarded-For hops are ignored: the proxy's is
    counted. (Before: the last hop was taken, 12 rotating headers never locked.)"""
    settings.BEHIND_PROXY = True
    settings.TRUSTED_PROXY_COUNT = 1
    client = Client()
    statuses = []
    for i in range(12):
        # The client writes a new address each time; the proxy appends the one it saw.
        forwarded = f"198.51.100.{i}, 203.0.113.7"
        response = _fail_login(
            client, f"user{i}", HTTP_X_FORWARDED_FOR=forwarded, REMOTE_ADDR="127.0.0.1"
        )
        statuses.append(response.status_code)
    assert 429 in statuses, statuses
    assert statuses.index(429) == settings.AXES_FAILURE_LIMIT - 1


def test_without_trusted_proxies_the_header_is_ignored(member, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    client = Client()
    for i in range(settings.AXES_FAILURE_LIMIT):
        response = _fail_login(client, f"user{i}", HTTP_X_FORWARDED_FOR=f"198.51.100.{i}")
    assert response.status_code == 429


@pytest.mark.parametrize(
    ("count", "forwarded", "expected"),
    [
        (0, "1.1.1.1", "10.0.0.9"),
        (1, "6.6.6.6, 1.1.1.1", "1.1.1.1"),
        (2, "6.6.6.6, 1.1.1.1, 10.0.0.2", "1.1.1.1"),
        (2, "1.1.1.1", "10.0.0.9"),  # fewer hops than proxies: not through them
        (1, "", "10.0.0.9"),
    ],
)
def test_client_ip_from_trusted_proxies(rf, settings, count, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = count
    request = rf.get("/", HTTP_X_FORWARDED_FOR=forwarded, REMOTE_ADDR="10.0.0.9")
    assert client_ip(request) == expected


def test_many_user_names_from_one_address_are_locked_out(db):
    """30 user names from one address: locked after AXES_FAILURE_LIMIT, whatever the name."""
    client = Client()
    statuses = [
        _fail_login(client, f"name{i}", REMOTE_ADDR="10.1.1.1").status_code for i in range(30)
    ]
    assert statuses[: settings.AXES_FAILURE_LIMIT - 1] == [200] * (settings.AXES_FAILURE_LIMIT - 1)
    assert set(statuses[settings.AXES_FAILURE_LIMIT - 1 :]) == {429}


def test_one_user_name_from_many_addresses_is_locked_out(member):
    client = Client()
    for i in range(settings.AXES_FAILURE_LIMIT):
        response = _fail_login(client, "aigerim", REMOTE_ADDR=f"10.2.0.{i}")
    assert response.status_code == 429
    response = client.post(
        LOGIN, {"username": "aigerim", "password": "pass-word-2026"}, REMOTE_ADDR="10.9.9.9"
    )
    assert response.status_code == 429


# Throttles -----------------------------------------------------------------------------------


def test_exports_are_throttled_per_token_with_retry_after(union):
    client = union.client("read_token")
    statuses = [client.get("/api/v1/exports/contacts.csv").status_code for _ in range(21)]
    assert statuses[:20] == [200] * 20
    response = client.get("/api/v1/exports/contacts.csv")
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 60
    # Other callers and the token's reads are not held up by its exports.
    assert union.client("viewer").get("/api/v1/exports/contacts.csv").status_code == 200
    assert client.get("/api/v1/chambers/").status_code == 200


def test_reads_are_throttled_per_address(db, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {
            **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
            "read": "3/min",
        },
    }
    client = Client()
    statuses = [client.get("/api/v1/chambers/").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    assert client.get("/api/v1/chambers/", REMOTE_ADDR="10.3.3.3").status_code == 200


def test_default_rates():
    rates = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]
    assert rates == {"read": "600/min", "export": "20/min", "import": "20/min"}
    assert settings.PASSWORD_RESET_RATE == "5/hour"


# Password reset ------------------------------------------------------------------------------


def test_password_reset_is_limited_per_address(db):
    client = Client()
    statuses = [
        client.post(RESET, {"email": f"n{i}@example.org"}, REMOTE_ADDR="10.4.4.4").status_code
        for i in range(6)
    ]
    assert statuses == [302] * 5 + [429]
    response = client.post(RESET, {"email": "x@example.org"}, REMOTE_ADDR="10.4.4.4")
    assert response.status_code == 429 and int(response["Retry-After"]) > 0


def test_password_reset_is_limited_per_email_across_addresses(member):
    client = Client()
    statuses = [
        client.post(RESET, {"email": "Aigerim@example.kz"}, REMOTE_ADDR=f"10.5.0.{i}").status_code
        for i in range(6)
    ]
    assert statuses == [302] * 5 + [429]


@pytest.mark.django_db(transaction=True)
def test_password_reset_with_the_broker_down_does_not_claim_it_was_sent(monkeypatch):
    UserFactory(username="aigerim", email="aigerim@example.kz")
    from chambers.tasks import send_password_reset

    def broker_down(*args, **kwargs):
        raise OSError("connection refused")

    monkeypatch.setattr(send_password_reset, "apply_async", broker_down)
    mail.outbox.clear()
    response = Client().post(RESET, {"email": "aigerim@example.kz"})
    assert response.status_code == 503
    text = response.content.decode()
    assert "could not be sent" in text and "nothing was sent" in text
    assert mail.outbox == []


def test_password_reset_for_an_unknown_address_with_the_broker_down_looks_the_same(db, monkeypatch):
    """No telling which addresses have a login: the broker is tried for unknown ones too."""
    monkeypatch.setattr(outbox, "broker_reachable", lambda task: False)
    monkeypatch.setattr("chambers.forms.broker_reachable", lambda task: False)
    response = Client().post(RESET, {"email": "nobody@example.org"})
    assert response.status_code == 503


# Headers and sessions ------------------------------------------------------------------------


PORTAL_PAGES = ["/", "/decisions/", "/rotation/", "/accounts/login/", RESET]


@pytest.mark.parametrize("path", PORTAL_PAGES)
def test_portal_pages_have_a_strict_csp_and_no_inline_script(db, path):
    response = Client().get(path)
    assert response.status_code == 200
    policy = response["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";") if d.strip())
    assert directives["script-src"] == "'self'"
    assert directives["default-src"] == "'self'"
    assert "unsafe-inline" not in policy
    html = response.content.decode()
    for script in re.findall(r"<script\b[^>]*>", html):
        assert "src=" in script, script
    assert not re.search(r"<[^>]+\son[a-z]+\s*=", html), "an inline event handler"
    assert "Permissions-Policy" in response and "camera=()" in response["Permissions-Policy"]


def test_staff_pages_have_no_inline_script(union):
    client = union.client("staff", api=False)
    for path in ("/", "/secretariat/", "/calendar/", "/reminders/due/"):
        html = client.get(path).content.decode()
        assert not re.search(r"<[^>]+\son[a-z]+\s*=", html), path
        assert all("src=" in s for s in re.findall(r"<script\b[^>]*>", html)), path


def test_the_admin_has_its_own_allowances(union):
    response = union.client("staff", api=False).get("/admin/")
    policy = response["Content-Security-Policy"]
    assert "style-src 'self' 'unsafe-inline'" in policy
    assert "script-src 'self'" in policy and "script-src 'self' 'unsafe" not in policy


@pytest.mark.parametrize("role", ["viewer", "read_token", "staff"])
def test_authenticated_api_answers_are_not_cached(union, role):
    response = union.client(role).get("/api/v1/chambers/")
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"


def test_public_api_answers_may_be_cached(union):
    response = union.client("anonymous").get("/api/v1/chambers/")
    assert "no-store" not in response.get("Cache-Control", "")


def test_staff_sessions_end_after_idle_minutes(union, settings, monkeypatch):
    settings.STAFF_SESSION_IDLE_MINUTES = 30
    client = union.client("staff", api=False)
    assert client.get("/secretariat/").status_code == 200
    now = time.time()
    monkeypatch.setattr(time, "time", lambda: now + 29 * 60)
    assert client.get("/secretariat/").status_code == 200  # still active: the clock restarts
    monkeypatch.setattr(time, "time", lambda: now + 29 * 60 + 31 * 60)
    response = client.get("/secretariat/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert "_auth_user_id" not in client.session


def test_member_sessions_have_no_idle_timeout(union, monkeypatch):
    client = union.client("viewer", api=False)
    assert client.get("/meetings/").status_code == 200
    now = time.time()
    monkeypatch.setattr(time, "time", lambda: now + 3 * 3600)
    assert client.get("/meetings/").status_code == 200


# Logs ----------------------------------------------------------------------------------------


def test_feed_keys_are_masked_in_the_request_log(db):
    handler = next(
        h
        for h in logging.getLogger().handlers
        if any(isinstance(f, logfilters.MaskSecrets) for f in h.filters)
    )
    stream = io.StringIO()
    old = handler.setStream(stream)
    try:
        key = "k3yS3cr3tValue0123456789abcdef"
        assert Client().get(f"/calendar/{key}.ics").status_code == 404
    finally:
        handler.setStream(old)
    logged = stream.getvalue()
    assert "/calendar/****.ics" in logged
    assert key not in logged


def test_gunicorn_access_log_masks_feed_keys_and_tokens():
    import importlib.util
    from pathlib import Path

    from gunicorn.config import Config

    spec = importlib.util.spec_from_file_location(
        "gunicorn_conf", Path(settings.BASE_DIR) / "gunicorn.conf.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.bind == "127.0.0.1:8000"
    logger = module.MaskingLogger(Config())
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    logger.access_log.addHandler(handler)
    logger.access_log.setLevel(logging.INFO)
    atoms = {"r": "GET /calendar/AbCdEf0123456789xyz.ics?token=s3cr3t HTTP/1.1", "s": "200"}
    logger.access_log.info('"%(r)s" %(s)s', atoms)
    line = stream.getvalue()
    assert line.strip() == '"GET /calendar/****.ics?token=**** HTTP/1.1" 200'


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("GET /calendar/abc123XYZ.ics", "GET /calendar/****.ics"),
        ("Authorization: Token 0123456789abcdef", "Authorization: Token ****"),
        ("/api/v1/x/?a=1&password=hunter2&b=2", "/api/v1/x/?a=1&password=****&b=2"),
        ("/accounts/reset/MQ/c0ffee-1234abcd/", "/accounts/reset/MQ/****/"),
        ("nothing secret here", "nothing secret here"),
    ],
)
def test_mask(text, masked):
    assert logfilters.mask(text) == masked
