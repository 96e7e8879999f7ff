"""Passkeys (chambers/passkeys.py) through the portal's JSON steps, answered by a software
authenticator with a real key pair (tests/chambers/softkey.py): a staff login enrols with a
passkey and gets recovery codes, the next login verifies with it, and the server refuses what a
browser of another site, a replayed answer, a copied key or another login's key would send."""

from __future__ import annotations

import json
import re

import pytest
from django.test import Client

from chambers.models import Passkey
from tests.chambers.softkey import SoftKey
from tests.factories import UserFactory

PASSWORD = "pass-word-2026"  # tests.factories.UserFactory's
BASE = "/accounts/mfa/passkeys"


@pytest.fixture(autouse=True)
def required(settings):
    settings.MFA_REQUIRED_FOR_STAFF = True
    settings.WEBAUTHN_RP_ID = "localhost"


@pytest.fixture
def staff(db):
    return UserFactory(username="secretary", is_staff=True)


def log_in(username: str) -> Client:
    client = Client()
    response = client.post("/accounts/login/", {"username": username, "password": PASSWORD})
    assert response.status_code == 302
    return client


def post(client: Client, step: str, body: dict | None = None, next_url: str = ""):
    url = f"{BASE}/{step}/" + (f"?next={next_url}" if next_url else "")
    return client.post(url, json.dumps(body or {}), content_type="application/json")


def register(client: Client, key: SoftKey, name: str = "Office laptop", next_url: str = ""):
    options = post(client, "register/begin").json()
    return post(
        client, "register/finish", {"name": name, "credential": key.create(options)}, next_url
    )


def authenticate(client: Client, key: SoftKey, **kwargs):
    options = post(client, "auth/begin").json()
    return post(client, "auth/finish", {"credential": key.get(options, **kwargs)}, "/admin/")


def test_staff_enrol_with_a_passkey_get_recovery_codes_and_verify_with_it_next_time(staff):
    client = log_in("secretary")
    assert client.get("/admin/").url.startswith("/accounts/mfa/setup/")
    key = SoftKey()
    options = post(client, "register/begin").json()["publicKey"]
    assert options["rp"]["id"] == "localhost" and options["user"]["name"] == "secretary"

    added = register(client, key, next_url="/admin/")
    assert added.status_code == 200, added.content
    shown = client.get(added.json()["redirect"])
    codes = re.findall(r"<li><code>([^<]+)</code>", shown.content.decode())
    assert len(codes) == 10  # a lost passkey must not lock the login out
    assert client.get(added.json()["redirect"]).status_code == 302  # shown once
    assert client.get("/admin/").status_code == 200
    (passkey,) = Passkey.objects.filter(user=staff)
    assert passkey.name == "Office laptop" and bytes(passkey.credential_id) == key.credential_id

    # The next login must give it before anything else.
    again = log_in("secretary")
    assert again.get("/admin/").url.startswith("/accounts/mfa/verify/")
    verify_page = again.get("/accounts/mfa/verify/?next=/admin/").content.decode()
    assert 'id="passkey-verify-form"' in verify_page
    answer = authenticate(again, key)
    assert answer.status_code == 200 and answer.json() == {"redirect": "/admin/"}
    assert again.get("/admin/").status_code == 200
    passkey.refresh_from_db()
    assert passkey.sign_count == 1 and passkey.last_used_at is not None

    # A recovery code works instead (the passkey left at home).
    third = log_in("secretary")
    third.post("/accounts/mfa/verify/", {"code": codes[0], "next": "/admin/"})
    assert third.get("/admin/").status_code == 200


def test_an_answer_made_for_another_site_is_refused(staff):
    client = log_in("secretary")
    phished = SoftKey(origin="https://union-login.example")
    refused = register(client, phished)
    assert refused.status_code == 400 and "origin" in refused.json()["detail"].lower()
    assert not Passkey.objects.exists()


def test_an_answer_is_good_for_one_challenge_only(staff):
    client = log_in("secretary")
    key = SoftKey()
    options = post(client, "register/begin").json()
    answer = key.create(options)
    assert post(client, "register/finish", {"name": "A", "credential": answer}).status_code == 200
    replay = post(client, "register/finish", {"name": "B", "credential": answer})
    assert replay.status_code == 400 and "expired" in replay.json()["detail"]
    assert Passkey.objects.count() == 1


def test_a_counter_that_does_not_grow_is_a_copied_key_and_refused(staff):
    key = SoftKey()
    register(log_in("secretary"), key)
    first = log_in("secretary")
    assert authenticate(first, key).status_code == 200
    copy = log_in("secretary")
    refused = authenticate(copy, key, counter=1)  # the same counter as the last use
    assert refused.status_code == 400 and "copied" in refused.json()["detail"]
    assert copy.get("/admin/").url.startswith("/accounts/mfa/verify/")


def test_another_logins_passkey_does_not_verify_this_one(staff):
    mine, theirs = SoftKey(), SoftKey()
    register(log_in("secretary"), mine)
    other = UserFactory(username="other", is_staff=True)
    register(log_in("other"), theirs)
    client = log_in("secretary")
    refused = authenticate(client, theirs)
    assert refused.status_code == 400
    assert client.get("/admin/").url.startswith("/accounts/mfa/verify/")
    # Nor can one remove another's passkey: it is not found.
    their_key = Passkey.objects.get(user=other)
    assert authenticate(client, mine).status_code == 200
    assert client.post(f"{BASE}/{their_key.pk}/remove/").status_code == 404
    assert Passkey.objects.filter(pk=their_key.pk).exists()


def test_a_passkey_is_added_and_removed_from_the_overview(staff):
    client = log_in("secretary")
    key = SoftKey()
    register(client, key)
    overview = client.get("/accounts/mfa/").content.decode()
    assert "Office laptop" in overview and 'id="passkey-register-form"' in overview
    second = SoftKey()
    options = post(client, "register/begin").json()
    # The browser is told which keys the login has already (so one is not added twice).
    excluded = [c["id"] for c in options["publicKey"]["excludeCredentials"]]
    assert len(excluded) == 1
    added = post(
        client, "register/finish", {"name": "Blue key", "credential": second.create(options)}
    )
    assert added.json() == {"redirect": "/accounts/mfa/"}  # no new recovery codes: not the first
    blue = Passkey.objects.get(name="Blue key")
    assert client.post(f"{BASE}/{blue.pk}/remove/").status_code == 302
    assert list(Passkey.objects.values_list("name", flat=True)) == ["Office laptop"]


def test_the_steps_refuse_what_is_not_a_browsers_answer(staff):
    client = log_in("secretary")
    assert post(client, "auth/begin").status_code == 400  # no passkey to offer
    post(client, "register/begin")
    garbled = post(client, "register/finish", {"name": "x", "credential": {"id": "!"}})
    assert garbled.status_code == 400 and garbled.json()["detail"]
    not_json = client.post(f"{BASE}/register/finish/", "credential=1", content_type="text/plain")
    assert not_json.status_code == 400
