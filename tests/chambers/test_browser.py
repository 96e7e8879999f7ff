"""In a real browser: a chamber's editor logs in, changes the chamber's website and reads the
public page in Kazakh.

Runs Debian's chromium (``apt-get install chromium``) through Playwright; Playwright's own browser
download is not used. Select or leave out with ``-m browser`` / ``-m "not browser"``.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.factories import make_chamber, make_login

# The live server's teardown flushes the database from the test's thread, which Playwright's
# event loop makes look async to Django.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
PASSWORD = "Steppe-eagle-2026"
TIMEOUT_MS = 5_000


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Launch Debian's chromium instead of a Playwright download."""
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} is missing: apt-get install chromium"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return {
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM),
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-quic",
        ],
    }


@pytest.fixture
def atameken(transactional_db):
    """Kazakhstan's chamber and its editor ``atameken``, who can log in with ``PASSWORD``."""
    chamber = make_chamber(
        slug="atameken",
        short_name="Atameken",
        name_en="National Chamber of Entrepreneurs of the Republic of Kazakhstan Atameken",
        country="KZ",
        city="Astana",
        website="https://old.atameken.example.org",
    )
    user = make_login(chamber, "editor", username="atameken")
    user.set_password(PASSWORD)
    user.save(update_fields=["password"])
    return chamber


def test_editor_changes_the_website_and_reads_the_page_in_kazakh(page: Page, live_server, atameken):
    page.set_default_timeout(TIMEOUT_MS)
    new_website = "https://atameken.example.kz"

    page.goto(f"{live_server.url}/accounts/login/")
    login_form = page.locator("#login-form")
    login_form.locator("[name=username]").fill("atameken")
    login_form.locator("[name=password]").fill(PASSWORD)
    login_form.locator("button[type=submit]").click()
    expect(page.locator("header .who")).to_have_text("atameken")

    page.locator("header nav").get_by_role("link", name="My chamber").click()
    expect(page).to_have_url(re.compile(r"/my-chamber/$"))
    profile = page.locator("#profile-form")
    expect(profile.locator("[name=website]")).to_have_value("https://old.atameken.example.org")
    profile.locator("[name=website]").fill(new_website)
    profile.locator("button[type=submit]").click()
    expect(page.locator(".messages")).to_contain_text("The chamber's profile was saved.")
    expect(profile.locator("[name=website]")).to_have_value(new_website)

    page.goto(f"{live_server.url}/chambers/{atameken.slug}/")
    expect(page.locator("dd.website")).to_have_text(new_website)
    expect(page.locator("dd.website a")).to_have_attribute("href", new_website)

    # The select submits its form on change; the server redirects back to this page.
    with page.expect_navigation():
        page.locator("#language-select").select_option("kk")
    expect(page).to_have_url(re.compile(rf"/chambers/{atameken.slug}/$"))
    expect(page.locator("html")).to_have_attribute("lang", "kk")
    nav = page.locator("header nav")
    expect(nav.get_by_role("link", name="Мүшелер")).to_be_visible()
    expect(nav.get_by_role("link", name="Менің палатам")).to_be_visible()
    expect(page.locator("dl.profile")).to_contain_text("Қысқа атауы")
    expect(page.locator("dd.website")).to_have_text(new_website)
    expect(page.locator("#language-select")).to_have_value("kk")
