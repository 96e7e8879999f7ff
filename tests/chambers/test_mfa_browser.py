"""In a real browser, with ``MFA_REQUIRED_FOR_STAFF`` on: a member of the secretariat logs in, is
sent to enrol, reads the key off the page (as an authenticator app scans it), confirms with the
app's code, sees the recovery codes and reaches the admin; logs out; logs in again and must give
a code; a recovery code works once. Runs Debian's chromium (see tests/chambers/test_browser.py).
"""

from __future__ import annotations

import base64
import os
import re

import pytest
from django_otp.oath import TOTP
from playwright.sync_api import Page, expect

from tests.chambers.test_browser import (  # noqa: F401 - the fixture is used by pytest
    TIMEOUT_MS,
    browser_type_launch_args,
)
from tests.factories import UserFactory

# The live server's teardown flushes the database from the test's thread, which Playwright's
# event loop makes look async to Django.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = pytest.mark.browser

PASSWORD = "Steppe-eagle-2026"


@pytest.fixture
def secretary(transactional_db, settings):
    """A member of the secretariat with no second factor yet, and the setting on (the middleware
    reads it on every request, so the live server sees it)."""
    settings.MFA_REQUIRED_FOR_STAFF = True
    user = UserFactory(username="secretary", is_staff=True, is_superuser=True)
    user.set_password(PASSWORD)
    user.save(update_fields=["password"])
    return user


def app_code(secret: str, steps_ahead: int = 0) -> str:
    """What an authenticator app shows for the key (a step ahead: a code counts once)."""
    raw = secret.replace(" ", "")
    key = base64.b32decode(raw + "=" * (-len(raw) % 8))
    return f"{TOTP(key, drift=steps_ahead).token():06d}"


def log_in(page: Page, base_url: str, next_path: str = "/admin/") -> None:
    page.goto(f"{base_url}/accounts/login/?next={next_path}")
    form = page.locator("#login-form")
    form.locator("[name=username]").fill("secretary")
    form.locator("[name=password]").fill(PASSWORD)
    form.locator("button[type=submit]").click()


def log_out(page: Page) -> None:
    button = page.locator("header").get_by_role("button", name="Log out")
    if not button.is_visible():  # on a phone the header's links fold into its menu
        page.locator("header details.menu > summary").click()
    button.click()
    expect(page.locator("header")).to_contain_text("Log in")


def test_staff_enrol_then_give_a_code_or_a_recovery_code(page: Page, live_server, secretary):
    page.set_default_timeout(TIMEOUT_MS)
    page.set_viewport_size({"width": 390, "height": 844})
    base = live_server.url

    # Sent to enrolment, and nothing else opens until it is done.
    log_in(page, base)
    expect(page).to_have_url(re.compile(r"/accounts/mfa/setup/\?next="))
    expect(page.locator(".mfa-qr svg")).to_be_visible()
    secret = page.locator("#mfa-secret").inner_text()
    page.goto(f"{base}/secretariat/")
    expect(page).to_have_url(re.compile(r"/accounts/mfa/setup/\?next=/secretariat/"))
    assert page.locator("#mfa-secret").inner_text() == secret  # the same key until confirmed

    # Confirm with the app's code: the recovery codes are shown once.
    form = page.locator("#mfa-setup-form")
    form.locator("[name=code]").fill(app_code(secret))
    form.locator("button[type=submit]").click()
    codes = page.locator("#mfa-recovery-codes li code").all_inner_texts()
    assert len(codes) == 10
    page.locator("#mfa-continue").click()
    expect(page).to_have_url(f"{base}/secretariat/")
    page.goto(f"{base}/admin/")
    expect(page).to_have_url(f"{base}/admin/")
    expect(page.locator("#site-name")).to_be_visible()

    # The next login asks for the code before the admin.
    page.goto(f"{base}/")
    log_out(page)
    log_in(page, base)
    expect(page).to_have_url(re.compile(r"/accounts/mfa/verify/\?next=/admin/"))
    verify = page.locator("#mfa-verify-form")
    verify.locator("[name=code]").fill(app_code(secret, steps_ahead=1))
    verify.locator("button[type=submit]").click()
    expect(page).to_have_url(f"{base}/admin/")

    # A recovery code instead of the app's: once.
    page.goto(f"{base}/")
    log_out(page)
    log_in(page, base)
    verify.locator("[name=code]").fill(codes[0])
    verify.locator("button[type=submit]").click()
    expect(page).to_have_url(f"{base}/admin/")
    page.goto(f"{base}/")
    log_out(page)
    log_in(page, base)
    verify.locator("[name=code]").fill(codes[0])
    verify.locator("button[type=submit]").click()
    expect(page.locator("#mfa-verify-form .error")).to_contain_text("not right")
    page.goto(f"{base}/admin/")
    expect(page).to_have_url(re.compile(r"/accounts/mfa/verify/"))


def test_staff_enrol_with_a_passkey_then_sign_in_with_it(page: Page, live_server, secretary):
    """Chromium's virtual authenticator (DevTools' WebAuthn domain) plays the laptop's passkey:
    the page's script asks the browser, the browser signs, the server checks."""
    page.set_default_timeout(TIMEOUT_MS)
    page.set_viewport_size({"width": 390, "height": 844})
    base = live_server.url.replace("127.0.0.1", "localhost")  # WebAuthn needs a host name
    devtools = page.context.new_cdp_session(page)
    devtools.send("WebAuthn.enable")
    devtools.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )

    log_in(page, base)
    expect(page).to_have_url(re.compile(r"/accounts/mfa/setup/\?next="))
    form = page.locator("#passkey-register-form")
    expect(form).to_be_visible()  # shown by the script, the browser having WebAuthn
    form.locator("[name=name]").fill("Office laptop")
    form.get_by_role("button", name="Add a passkey").click()
    expect(page.locator("#mfa-recovery-codes li code")).to_have_count(10)
    page.locator("#mfa-continue").click()
    expect(page).to_have_url(f"{base}/admin/")
    page.goto(f"{base}/accounts/mfa/")
    expect(page.locator("#passkeys")).to_contain_text("Office laptop")

    page.goto(f"{base}/")
    log_out(page)
    log_in(page, base)
    expect(page).to_have_url(re.compile(r"/accounts/mfa/verify/\?next=/admin/"))
    page.get_by_role("button", name="Use a passkey").click()
    expect(page).to_have_url(f"{base}/admin/")
    expect(page.locator("#site-name")).to_be_visible()
