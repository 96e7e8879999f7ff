"""The second factor (chambers/mfa.py): staff must enrol and give it when
``MFA_REQUIRED_FOR_STAFF`` is on, any login with a device must give it, recovery codes work
once, the API's tokens are not affected, and a password reset never gets round it."""

from __future__ import annotations

import base64
import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.test import Client
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from chambers import mfa
from tests.factories import ApiTokenFactory, UserFactory
from tests.test_settings import start

PASSWORD = "pass-word-2026"  # tests.factories.UserFactory's


@pytest.fixture
def required(settings):
    settings.MFA_REQUIRED_FOR_STAFF = True
    return settings


@pytest.fixture
def staff(db):
    return UserFactory(username="secretary", is_staff=True)


@pytest.fixture
def superuser(db):
    return UserFactory(username="root", is_staff=True, is_superuser=True, email="root@union.org")


@pytest.fixture
def member(db):
    return UserFactory(username="aigerim")


def log_in(username: str, client: Client | None = None) -> Client:
    client = client or Client()
    response = client.post("/accounts/login/", {"username": username, "password": PASSWORD})
    assert response.status_code == 302, response.content[:500]
    return client


def code(device: TOTPDevice, offset: int = 0) -> str:
    """The device's code now (``offset`` steps later: a code is accepted once per step)."""
    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift + offset)
    return f"{totp.token():0{device.digits}d}"


def enrol(client: Client, user) -> tuple[TOTPDevice, list[str]]:
    page = client.get("/accounts/mfa/setup/")
    assert page.status_code == 200
    secret = re.search(r'id="mfa-secret"[^>]*>([A-Z2-7 ]+)<', page.content.decode()).group(1)
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    assert base64.b32decode(secret.replace(" ", "") + "=" * (-len(secret.replace(" ", "")) % 8))
    assert base64.b32encode(device.bin_key).decode().rstrip("=") == secret.replace(" ", "")
    response = client.post("/accounts/mfa/setup/", {"code": code(device)})
    assert response.status_code == 200
    codes = re.findall(r"<li><code>([a-z0-9]+)</code></li>", response.content.decode())
    return device, codes


def test_setting_defaults_to_on_unless_debug_and_is_read_from_the_environment(monkeypatch):
    monkeypatch.delenv("MFA_REQUIRED_FOR_STAFF", raising=False)
    show = ("-c", "import django; django.setup(); from django.conf import settings; "
            "print(settings.MFA_REQUIRED_FOR_STAFF)")  # fmt: skip
    secret = {"SECRET_KEY": "x" * 50}
    assert start({"DEBUG": "true"}, *show).stdout.strip() == "False"
    assert start({"DEBUG": "false", **secret}, *show).stdout.strip() == "True"
    off = {"DEBUG": "false", "MFA_REQUIRED_FOR_STAFF": "false", **secret}
    assert start(off, *show).stdout.strip() == "False"
    bad = start({"DEBUG": "true", "MFA_REQUIRED_FOR_STAFF": "sometimes"})
    assert bad.returncode != 0 and "MFA_REQUIRED_FOR_STAFF" in bad.stderr


@pytest.mark.parametrize("path", ["/", "/secretariat/", "/admin/", "/accounts/password_change/"])
def test_staff_without_a_device_reach_only_enrolment(required, staff, path):
    client = log_in("secretary")
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/mfa/setup/?next=")


def test_what_an_unenrolled_staff_session_still_reaches(required, staff):
    client = log_in("secretary")
    assert client.get("/accounts/mfa/setup/").status_code == 200
    assert client.get("/favicon.ico").status_code == 302  # to the static icon, not enrolment
    assert client.post("/i18n/setlang/", {"language": "ru", "next": "/"})["Location"] == "/"
    assert client.post("/accounts/logout/").status_code == 302
    assert "_auth_user_id" not in client.session


def test_session_api_calls_of_an_unverified_staff_session_are_refused(required, staff):
    client = log_in("secretary")
    assert client.get("/api/v1/chambers/").status_code == 403


def test_api_tokens_are_not_affected(required, staff):
    ApiTokenFactory(key="known-token-key-0001", scope="read", chamber=None)
    client = log_in("secretary")  # an unverified staff session, and a token as well
    client.defaults["HTTP_AUTHORIZATION"] = "Token known-token-key-0001"
    assert client.get("/api/v1/meetings/").status_code == 200


def test_enrolment_then_the_admin_and_the_next_login_asks_for_a_code(required, staff):
    client = log_in("secretary")
    device, codes = enrol(client, staff)
    assert len(codes) == mfa.RECOVERY_CODE_COUNT == len(set(codes))
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/admin/").status_code == 200  # verified by the enrolment

    client = log_in("secretary", Client())
    response = client.get("/admin/")
    assert response["Location"].startswith("/accounts/mfa/verify/?next=/admin/")
    wrong = client.post("/accounts/mfa/verify/", {"code": "000000", "next": "/admin/"})
    assert wrong.status_code == 200 and b"not right" in wrong.content
    # The failure above slows the next try down (django-otp's throttling): not this test's point.
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0)
    right = client.post("/accounts/mfa/verify/", {"code": code(device, 1), "next": "/admin/"})
    assert right.status_code == 302 and right["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_a_recovery_code_works_once(required, staff):
    _device, codes = enrol(log_in("secretary"), staff)
    first = log_in("secretary", Client())
    assert first.post("/accounts/mfa/verify/", {"code": codes[0]}).status_code == 302
    assert first.get("/secretariat/").status_code == 200
    assert StaticToken.objects.filter(device__user=staff).count() == len(codes) - 1

    again = log_in("secretary", Client())
    refused = again.post("/accounts/mfa/verify/", {"code": codes[0]})
    assert refused.status_code == 200 and b"not right" in refused.content
    assert again.get("/secretariat/").status_code == 302


def test_new_recovery_codes_replace_the_old_ones(required, staff):
    client = log_in("secretary")
    _device, old = enrol(client, staff)
    response = client.post("/accounts/mfa/recovery-codes/")
    new = re.findall(r"<li><code>([a-z0-9]+)</code></li>", response.content.decode())
    assert len(new) == mfa.RECOVERY_CODE_COUNT and not set(new) & set(old)
    assert set(StaticToken.objects.values_list("token", flat=True)) == set(new)


def test_a_password_alone_cannot_add_a_device_to_a_login_that_has_one(required, staff):
    enrol(log_in("secretary"), staff)
    attacker = log_in("secretary", Client())
    for path in ("/accounts/mfa/setup/", "/accounts/mfa/"):
        response = attacker.get(path)
        assert response["Location"].startswith("/accounts/mfa/verify/"), path
    assert attacker.post("/accounts/mfa/remove/")["Location"].startswith("/accounts/mfa/verify/")
    assert TOTPDevice.objects.filter(user=staff).count() == 1


def test_the_admins_login_page_is_no_way_round(required, staff):
    client = Client()
    response = client.post(
        "/admin/login/?next=/admin/", {"username": "secretary", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert client.get("/admin/")["Location"].startswith("/accounts/mfa/setup/")


def test_members_are_not_required_but_may_enrol(required, member):
    client = log_in("aigerim")
    assert client.get("/accounts/mfa/").status_code == 200
    assert b'href="/accounts/mfa/"' in client.get("/reminders/").content  # in the header
    enrol(client, member)
    # Once enrolled, their login asks for the code too.
    again = log_in("aigerim", Client())
    assert again.get("/reminders/")["Location"].startswith("/accounts/mfa/verify/")


def test_with_the_setting_off_a_device_is_still_asked_for(settings, staff):
    settings.MFA_REQUIRED_FOR_STAFF = False
    client = log_in("secretary")
    assert client.get("/admin/").status_code == 200
    enrol(client, staff)
    again = log_in("secretary", Client())
    assert again.get("/admin/")["Location"].startswith("/accounts/mfa/verify/")


def test_removing_the_second_factor(required, member):
    client = log_in("aigerim")
    enrol(client, member)
    assert client.post("/accounts/mfa/remove/")["Location"] == "/accounts/mfa/"
    assert not mfa.has_device(member)
    assert log_in("aigerim", Client()).get("/reminders/").status_code == 200


def test_the_qr_code_is_inline_svg_made_on_the_server(required, staff):
    page = log_in("secretary").get("/accounts/mfa/setup/").content.decode()
    assert "<svg" in page
    figure = page.split('class="mfa-qr"', 1)[1].split("</figure>", 1)[0]
    assert "<path" in figure and "src=" not in figure and "<script" not in figure


def _reset_link(user) -> str:
    user.refresh_from_db()  # the token covers the last login
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    return f"/accounts/reset/{uid}/{default_token_generator.make_token(user)}/"


def _reset(client: Client, user, **extra: str):
    form = client.get(_reset_link(user), follow=True)
    assert form.status_code == 200
    data = {"new_password1": "brand-new-pass-2026", "new_password2": "brand-new-pass-2026"}
    return client.post(form.redirect_chain[-1][0], {**data, **extra}), form


def test_a_reset_of_a_login_with_a_device_needs_its_code(required, superuser):
    device, codes = enrol(log_in("root"), superuser)
    client = Client()
    refused, form = _reset(client, superuser)
    assert b'name="code"' in form.content
    assert refused.status_code == 200
    superuser.refresh_from_db()
    assert superuser.check_password(PASSWORD)

    done, _form = _reset(Client(), superuser, code=codes[0])
    assert done.status_code == 302
    superuser.refresh_from_db()
    assert superuser.check_password("brand-new-pass-2026")
    # The reset logs nobody in; the next login asks for the code again.
    client = Client()
    client.post("/accounts/login/", {"username": "root", "password": "brand-new-pass-2026"})
    assert client.get("/admin/")["Location"].startswith("/accounts/mfa/verify/")
    assert device.pk


def test_a_superuser_without_a_device_cannot_reset_by_email_alone(required, superuser):
    refused, _form = _reset(Client(), superuser)
    assert refused.status_code == 200 and b"superuser" in refused.content
    assert get_user_model().objects.get(pk=superuser.pk).check_password(PASSWORD)


def test_a_member_without_a_device_resets_as_before(required, member):
    done, form = _reset(Client(), member)
    assert b'name="code"' not in form.content
    assert done.status_code == 302


def test_a_reset_link_of_no_user_says_it_is_invalid(required, db):
    response = Client().get("/accounts/reset/OTk5OTk/bad-token/")
    assert response.status_code == 200 and b"invalid" in response.content
