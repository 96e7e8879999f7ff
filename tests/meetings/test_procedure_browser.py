"""In a real browser: the secretariat puts a draft decision between sessions to written
procedure from the screens; ``atameken``, the editor of Kazakhstan's chamber, answers it (and
changes its answer), TOBB's answer is recorded on paper, and once the procedure closes at its
deadline the editor sees the outcome on the same page, at 390 px too.

Runs Debian's chromium through Playwright, as ``tests/chambers/test_browser.py`` does. Select
or leave out with ``-m browser``.
"""

from __future__ import annotations

import datetime as dt
import os
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from core.access import SYSTEM
from meetings import services
from meetings.models import Procedure, ProcedureState
from tests.chambers.test_browser import (  # noqa: F401 - the fixture is used by pytest
    PASSWORD,
    browser_type_launch_args,
)
from tests.factories import make_chamber, make_login
from tests.meetings.test_browser import log_in

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = pytest.mark.browser


@pytest.fixture
def union_of_two(transactional_db):
    atameken = make_chamber(slug="atameken", short_name="Atameken", country="KZ", city="Astana")
    make_chamber(slug="tobb", short_name="TOBB", country="TR", city="Ankara")
    for username, chamber in (("atameken", atameken), ("secretariat", None)):
        user = make_login(chamber, "editor" if chamber else None, username=username)
        user.is_staff = user.is_superuser = chamber is None
        user.set_password(PASSWORD)
        user.save()
    draft = services.decision_create(
        actor=SYSTEM,
        meeting=None,
        data={
            "kind": "general",
            "title": "Statement on the transit corridor",
            "text": "The union supports the Middle Corridor.",
            "method": "vote",
        },
    )
    return draft


def test_an_editor_answers_and_sees_the_outcome_after_the_close(
    page: Page, live_server, union_of_two
):
    draft = union_of_two
    url = f"{live_server.url}/decisions/{draft.pk}/procedure/"

    # The secretariat opens it: a deadline in Astana's time, a letter.
    log_in(page, live_server.url, "secretariat")
    page.goto(url)
    form = page.locator("#open-form")
    form.get_by_label("Written procedure (vote)").check()
    deadline = (timezone.now() + dt.timedelta(days=7)).astimezone(dt.UTC)
    form.locator("[name=closes_at]").fill(deadline.strftime("%Y-%m-%dT%H:%M"))
    form.locator("[name=time_zone]").fill("Asia/Almaty")
    form.locator("[name=letter_en]").fill("Dear colleagues, please answer within a week.")
    form.get_by_role("button", name="Open the procedure").click()
    expect(page.locator(".procedure-state")).to_contain_text("Open")
    wall = deadline.strftime("%H:%M")  # typed as Astana's time: shown as typed, zone named
    expect(page.locator(".deadline")).to_contain_text(f"{wall} (Asia/Almaty)")
    # TOBB answered by letter: the secretariat records it.
    paper = page.locator("#ballot-form")
    paper.locator("[name=paper-chamber]").select_option(label="TOBB")
    paper.get_by_label("For").check()
    paper.locator("[name=paper-received_on]").fill(timezone.localdate().isoformat())
    paper.get_by_role("button", name="Save the answer").click()
    expect(page.locator("#answer-tobb .answer")).to_have_text("For")
    page.context.clear_cookies()

    # The editor answers against, then changes to for: both versions are listed.
    log_in(page, live_server.url, "atameken")
    page.goto(url)
    expect(page.locator(".letter")).to_contain_text("please answer within a week")
    answer = page.locator("#ballot-form")
    answer.get_by_label("Against").check()
    answer.get_by_role("button", name="Save the answer").click()
    expect(page.locator("#answer-atameken .answer")).to_have_text("Against")
    page.locator("#ballot-form").get_by_label("For").check()
    page.locator("#ballot-form").get_by_role("button", name="Save the answer").click()
    expect(page.locator("#own-history + ol li")).to_have_count(2)
    expect(page.locator("#answer-atameken .answer")).to_have_text("For")

    # The deadline passes; the beat's task closes it (here called as the beat would).
    procedure = Procedure.objects.get(decision=draft)
    Procedure.objects.filter(pk=procedure.pk).update(
        opened_at=timezone.now() - dt.timedelta(days=8),
        closes_at=timezone.now() - dt.timedelta(seconds=1),
    )
    assert [p.pk for p in services.procedures_close_due()] == [procedure.pk]
    assert Procedure.objects.get(pk=procedure.pk).state == ProcedureState.CLOSED

    page.reload()
    expect(page.locator(".procedure-state")).to_contain_text("Closed")
    expect(page.locator(".outcome")).to_contain_text("Adopted.")
    expect(page.locator(".outcome")).to_contain_text("2 for, 0 against, 0 abstaining")
    expect(page.locator("#ballot-form")).to_have_count(0)  # no answer after the close
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"{page.url} is {width} px wide"
    page.goto(f"{live_server.url}/decisions/")
    expect(page.locator(f"#decision-{draft.pk}")).to_contain_text(
        re.compile("Written procedure \\(vote\\), closed")
    )
