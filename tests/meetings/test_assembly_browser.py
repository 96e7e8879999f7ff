"""A whole General Assembly run by the secretariat in a real browser, from the admin and the
portal only, on the demo union (six full members, Hungary observing):

create the meeting at 10:00 in the host's zone (Asia/Almaty) in the admin, invite all from the
session workspace, check in the six full members, see the quorum met, build a rotation decision
with the effect form (Kyrgyzstan's chamber chairs in 2027), record the votes, adopt, and see the
approved term on the dashboard. The invitation and adoption e-mails arrive once each, sent by a
real worker through a real SMTP server (:mod:`tests.reminders.delivery`), in each recipient's
language.

Runs Debian's chromium through Playwright (``tests/chambers/test_browser.py``'s launch
arguments). Select or leave out with ``-m browser``.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import zoneinfo
from collections import Counter

import pytest
from django.core.management import call_command
from django.utils.translation import gettext as _
from django.utils.translation import override
from playwright.sync_api import Page, expect

from meetings.models import Meeting
from reminders.models import NOTICE_KINDS, Reminder, ReminderKind, ReminderRule, ReminderStatus
from reminders.tasks import send_reminder
from rotation.models import Term, TermState
from tests.chambers.test_browser import (  # noqa: F401 - the fixture is used by pytest
    TIMEOUT_MS,
    browser_type_launch_args,
)
from tests.reminders.conftest import default_rules, notice_rules  # noqa: F401 - fixtures
from tests.reminders.delivery import purge_queue, smtp, subject, worker  # noqa: F401

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = pytest.mark.browser

DEMO_PASSWORD = "demo-pass-2026"
MEMBERS = [
    "azerbaijan-cci",
    "atameken",
    "kyrgyzstan-cci",
    "tobb",
    "uzbekistan-cci",
    "turkmenistan-cci",
]


@pytest.fixture
def demo(transactional_db, notice_rules):  # noqa: F811 - the imported fixture
    """The demo union; of the reminder rules only the notices' (the scans the meeting's saves
    ask for would send the demo's other reminders too)."""
    call_command("load_demo", "--logins", stdout=io.StringIO())
    ReminderRule.objects.exclude(kind__in=NOTICE_KINDS).update(active=False)


def log_in(page: Page, base_url: str) -> None:
    page.set_default_timeout(TIMEOUT_MS * 2)
    page.goto(f"{base_url}/accounts/login/")
    form = page.locator("#login-form")
    form.locator("[name=username]").fill("secretariat")
    form.locator("[name=password]").fill(DEMO_PASSWORD)
    form.locator("button[type=submit]").click()
    expect(page.locator("header .who").first).to_have_text("secretariat")


def fits(page: Page) -> None:
    """Nothing wider than the window (the agenda row once made the page 2,200 px wide)."""
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"{page.url} is {width} px wide"


def test_a_general_assembly_from_the_screens(demo, live_server, page: Page, smtp, worker):  # noqa: F811
    sink = smtp.start()
    purge_queue()
    base = live_server.url
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, base)

    # The admin: a new session at 10:00 in Almaty, hosted by Atameken, nobody invited yet.
    page.goto(f"{base}/admin/meetings/meeting/add/")
    page.select_option("#id_kind", "ga_ordinary")
    page.fill("#id_session_number", "9")
    page.fill("#id_title_en", "Astana session")
    page.fill("#id_starts_at_0", "2026-12-15")
    page.fill("#id_starts_at_1", "10:00")
    page.fill("#id_ends_at_0", "2026-12-15")
    page.fill("#id_ends_at_1", "17:00")
    page.fill("#id_time_zone", "Asia/Almaty")
    page.fill("#id_venue_city", "Astana")
    page.select_option("#id_host", label="Atameken")
    page.click("input[name=_continue]")
    expect(page.locator(".messagelist")).to_contain_text("was added successfully")
    meeting = Meeting.objects.get(session_number=9)
    assert meeting.starts_at == dt.datetime(
        2026, 12, 15, 10, tzinfo=zoneinfo.ZoneInfo("Asia/Almaty")
    )
    assert not meeting.invitations.exists()
    fits(page)

    # The portal's session workspace: invite all, then check in the six full members.
    page.goto(f"{base}/meetings/{meeting.pk}/")
    expect(page.locator(".when")).to_contain_text("2026-12-15 10:00")
    expect(page.locator(".when")).to_contain_text("Asia/Almaty")
    page.click("#invite-all-form button")
    expect(page.locator(".messages")).to_contain_text("7 chambers invited.")
    expect(page.locator("#quorum")).to_contain_text("No quorum yet")
    for slug in MEMBERS:
        page.locator(f"#check-in-{slug}").get_by_label("Present").check()
    # Counted live before saving (the page's script), as the officer ticks the boxes.
    expect(page.locator("#quorum-preview")).to_contain_text("6 of 6 full members are present")
    expect(page.locator("#quorum-preview")).to_contain_text("the quorum is met")
    page.click("#check-in-form button[type=submit]")
    expect(page.locator(".messages")).to_contain_text("Attendance saved.")
    expect(page.locator("#quorum")).to_contain_text("Quorum met")
    expect(page.locator("#quorum")).to_contain_text("6 of 6 full members present, 4 needed.")

    # A rotation decision built with the effect form: Kyrgyzstan's chamber chairs in 2027.
    form = page.locator("#decision-form")
    form.locator("[name=kind]").select_option("rotation")
    form.locator("[name=title_en]").fill("Chairmanship in 2027")
    form.locator("[name=method]").select_option("vote")
    form.locator("summary", has_text="Approve a term").click()
    # Typed by name, as the page's list of chambers suggests it.
    form.locator("[name=effects-new-approve_term-chamber]").fill(
        "Chamber of Commerce and Industry of the Kyrgyz Republic"
    )
    form.locator("[name=effects-new-approve_term-start]").fill("2027-01-01")
    form.locator("[name=effects-new-approve_term-end]").fill("2027-12-31")
    form.locator("button[type=submit]").click()
    panel = page.locator("#decision-1")
    expect(panel).to_contain_text("Approve a term: CCI KR, 2027-01-01 – 2027-12-31")

    # Adopting before the votes is refused, with the reason.
    panel.locator(".adopt-form button").click()
    expect(page.locator("#decision-1 .errors")).to_contain_text("Not enough votes")

    # The votes, then the adoption.
    panel = page.locator("#decision-1")
    for select in panel.locator(".votes-form select").all():
        select.select_option("for")
    panel.locator(".votes-form button").click()
    expect(page.locator(".messages")).to_contain_text("Votes recorded.")
    expect(page.locator("#decision-1 .outcome")).to_contain_text("It can be adopted.")
    page.locator("#decision-1 .adopt-form button").click()
    expect(page.locator(".messages")).to_contain_text("adopted.")
    fits(page)

    term = Term.objects.get(start=dt.date(2027, 1, 1))
    assert term.state == TermState.APPROVED and term.chamber.slug == "kyrgyzstan-cci"

    # The dashboard shows the approved term as the next chair.
    page.goto(f"{base}/")
    expect(page.locator("#troika-next")).to_contain_text("CCI KR")
    expect(page.locator("#troika-next .tag-forecast")).to_have_count(0)

    # The e-mails, sent by a worker: the invitation and the adoption, once each, to every
    # member's and the observer's focal point, each in the recipient's language.
    decision = meeting.decisions.get()
    ours = Reminder.objects.filter(subject__in=[f"meeting:{meeting.pk}", f"decision:{decision.pk}"])
    expected_sends = ours.count()  # read before the worker starts (SQLite: one thread at a time)
    with worker() as runs:
        runs.wait_results(send_reminder.name, expected_sends)
    rows = list(ours.select_related("chamber"))
    kinds = Counter(r.kind for r in rows)
    assert kinds == {ReminderKind.INVITATION: 7, ReminderKind.DECISION_ADOPTED: 7}, kinds
    assert {r.chamber.slug for r in rows} == {*MEMBERS, "mkik"}
    assert len({r.language for r in rows}) > 1, "the demo's people read several languages"
    assert all(r.status == ReminderStatus.SENT and r.attempts == 1 for r in rows)
    for row in rows:
        with override(row.language):
            if row.kind == ReminderKind.INVITATION:
                expected = _("Invitation: %(meeting)s, %(date)s") % {
                    "meeting": str(meeting.display_title),
                    "date": "2026-12-15",
                }
            else:
                expected = _("Decision adopted: %(title)s") % {"title": "Chairmanship in 2027"}
        (message,) = [m for m in sink.to(row.email) if subject(m) == expected]
        html = message.get_body(preferencelist=("html",)).get_content()
        assert f'<html lang="{row.language}">' in html
    assert len(sink.messages) == len(rows)  # once each: nothing else, nothing twice
