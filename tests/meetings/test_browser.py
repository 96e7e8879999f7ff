"""In a real browser: ``atameken``, the editor of Kazakhstan's chamber, answers an invitation
naming two delegates among the chamber's contacts; the secretariat, logged in separately, sees
the answer and the delegates on the meeting page.

Runs Debian's chromium through Playwright, as ``tests/chambers/test_browser.py`` does (its
``browser_type_launch_args`` fixture is reused). Select or leave out with ``-m browser``.
"""

from __future__ import annotations

import os
import re

import pytest
from playwright.sync_api import Browser, Page, expect

from meetings.models import RSVP, Invitation
from tests.chambers.test_browser import (  # noqa: F401 - the fixture is used by pytest
    PASSWORD,
    TIMEOUT_MS,
    browser_type_launch_args,
)
from tests.factories import make_chamber, make_contact, make_login
from tests.scenes import make_meeting

# The live server's teardown flushes the database from the test's thread, which Playwright's
# event loop makes look async to Django.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = pytest.mark.browser


@pytest.fixture
def invited(transactional_db):
    """Kazakhstan's chamber with three contacts (one retired), its editor ``atameken``, the
    secretariat's ``secretariat`` login, and an upcoming General Assembly inviting it."""
    atameken = make_chamber(slug="atameken", short_name="Atameken", country="KZ", city="Astana")
    make_chamber(slug="tobb", short_name="TOBB", country="TR", city="Ankara")
    for name in ("Aigerim Sadykova", "Nurlan Bekov", "Dana Omarova"):
        make_contact(atameken, name=name)
    make_contact(atameken, name="Retired Delegate", active=False)
    for username, chamber in (("atameken", atameken), ("secretariat", None)):
        user = make_login(chamber, "editor" if chamber else None, username=username)
        user.is_staff = user.is_superuser = chamber is None
        user.set_password(PASSWORD)
        user.save()
    meeting = make_meeting(kind="ga_ordinary", session_number=4, title="", host=atameken)
    return meeting


def log_in(page: Page, base_url: str, username: str) -> None:
    page.set_default_timeout(TIMEOUT_MS)
    page.goto(f"{base_url}/accounts/login/")
    form = page.locator("#login-form")
    form.locator("[name=username]").fill(username)
    form.locator("[name=password]").fill(PASSWORD)
    form.locator("button[type=submit]").click()
    expect(page.locator("header .who")).to_have_text(username)


def test_editor_answers_with_delegates_and_staff_see_it(
    page: Page, browser: Browser, live_server, invited
):
    meeting_url = f"{live_server.url}/meetings/{invited.pk}/"

    log_in(page, live_server.url, "atameken")
    page.locator("header nav").get_by_role("link", name="Meetings").click()
    page.get_by_role("link", name="IV General Assembly").click()
    expect(page).to_have_url(re.compile(rf"/meetings/{invited.pk}/$"))
    rsvp = page.locator("#rsvp-form")
    expect(rsvp.get_by_label("Retired Delegate")).to_have_count(0)  # only active contacts
    rsvp.get_by_label("Attending").check()
    rsvp.get_by_label("Aigerim Sadykova").check()
    rsvp.get_by_label("Nurlan Bekov").check()
    rsvp.locator("button[type=submit]").click()
    expect(page.locator(".messages")).to_contain_text("Your chamber's answer was saved.")
    expect(page.locator(".current-answer")).to_have_text("Attending")
    expect(rsvp.get_by_label("Aigerim Sadykova")).to_be_checked()
    expect(rsvp.get_by_label("Dana Omarova")).not_to_be_checked()

    invitation = Invitation.objects.get(meeting=invited, chamber__slug="atameken")
    assert invitation.response == RSVP.ATTENDING
    assert sorted(c.name for c in invitation.delegates.all()) == [
        "Aigerim Sadykova",
        "Nurlan Bekov",
    ]

    # The secretariat in a browser context of its own (no shared cookies).
    staff_context = browser.new_context()
    try:
        staff = staff_context.new_page()
        log_in(staff, live_server.url, "secretariat")
        staff.goto(meeting_url)
        row = staff.locator("#check-in-atameken")  # the session workspace
        expect(row.locator(".answer")).to_have_text("Attending")
        expect(row.locator(".delegates")).to_have_text("Aigerim Sadykova, Nurlan Bekov")
        expect(staff.locator("#check-in-tobb .answer")).to_have_text("No answer yet")
        expect(staff.locator("#rsvp-form")).to_have_count(0)  # staff record, they do not answer
    finally:
        staff_context.close()
