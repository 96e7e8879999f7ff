"""The secretariat's worklist, ``/secretariat/``: each app's section (:mod:`core.pages`'s
registry) shows the right lines with the right links, nothing when all is in order, staff only,
and at a number of queries that does not grow with the rows (pinned in
``tests/query_counts.py``).

"Today" is 2026-10-15 (``timezone.localdate`` patched): the current term is 2026's, the next
2027's, and the General Assembly scene's meeting (May 2030) is still ahead.
"""

from __future__ import annotations

import datetime as dt
import re
from html import unescape

import pytest
from django.contrib.auth import get_user_model
from django.test import RequestFactory
from django.utils import timezone

from core.pages import Severity, WorklistLine, WorklistSection, worklist_for
from meetings.models import ActionItem, Meeting
from reminders.models import ReminderStatus
from tests.factories import (
    ActionItemFactory,
    BallotFactory,
    DeliveryFactory,
    InvitationFactory,
    MeetingFactory,
    ProcedureFactory,
    ReminderFactory,
    SubscriberFactory,
    bulk,
    bulk_rows,
    make_login,
)
from tests.query_counts import Pin, assert_expected_query_count
from tests.scenes import (
    Assembly,
    Union,
    answer,
    approve_term,
    build_assembly,
    make_action_item,
    make_meeting,
    make_priority,
    set_order,
)
from webhooks.models import DeliveryStatus

TODAY = dt.date(2026, 10, 15)


@pytest.fixture(autouse=True)
def today(monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: TODAY)


@pytest.fixture
def scene(union: Union) -> Assembly:
    return build_assembly(union, document=False)


def _page(union: Union) -> str:
    response = union.client("staff", api=False).get("/secretariat/")
    assert response.status_code == 200
    return response.content.decode()


def _section(html: str, key: str) -> str:
    """The HTML of one section of the page ("" when it is not shown)."""
    match = re.search(rf'<section class="worklist worklist-{key}[^"]*".*?</section>', html, re.S)
    return match.group(0) if match else ""


def _lines(section: str) -> list[tuple[str, str]]:
    """(link, text) of each line of a section."""
    return [
        (unescape(href), " ".join(unescape(text).split()))
        for href, text in re.findall(
            r'<li class="severity-\w+">.*?<a href="([^"]*)">(.*?)</a>', section, re.S
        )
    ]


# What the page shows ---------------------------------------------------------------------------


def test_unanswered_invitations_by_meeting_with_the_chambers_not_answered(union, scene):
    answer(scene.meeting, union.other, "attending")
    later = make_meeting(title="Board of June", days_from_now=400)
    for chamber in (union.home, union.other, union.observer):
        answer(later, chamber, "declined")  # all answered: not listed
    make_meeting(title="Cancelled board", days_from_now=200, status="cancelled")  # takes none
    past = make_meeting(title="Past board", days_from_now=-30, status="held")
    section = _section(_page(union), "invitations")
    assert _lines(section) == [
        (
            f"/meetings/{scene.meeting.pk}/#attendance",
            "Board of May (2030-05-14): 2 of 3 chambers have not answered: Home CCI, Watcher CCI",
        )
    ]
    assert "(2)" in section  # the count of unanswered invitations
    assert past.invitations.filter(response="pending").exists()  # past: not the secretariat's now


def test_a_meeting_close_at_hand_is_urgent(union, scene):
    soon = make_meeting(title="Board next week", days_from_now=7)
    lines = {line.text.split(" (")[0]: line for line in _section_of(union, "invitations").lines}
    assert lines["Board next week"].severity == Severity.DANGER
    assert lines["Board of May"].severity == Severity.WARNING
    assert soon.invitations.count() == 3


def _section_of(union: Union, key: str) -> WorklistSection:
    """One section as the registry gives it (its typed lines), for the staff login."""
    request = RequestFactory().get("/secretariat/")
    request.user = get_user_model().objects.get(username="staff")
    return {section.key: section for section in worklist_for(request)}[key]


def test_overdue_action_items_link_to_their_admin_page(union, scene):
    late = make_action_item(
        scene.priority, union.other, title="Customs study", due=dt.date(2026, 9, 1)
    )
    started = make_action_item(
        scene.priority, union.home, title="Survey", due=dt.date(2026, 10, 14), status="in_progress"
    )
    make_action_item(
        scene.priority, union.home, title="Done", due=dt.date(2026, 1, 1), status="done"
    )
    make_action_item(
        scene.priority, union.home, title="Dropped", due=dt.date(2026, 1, 1), status="cancelled"
    )
    make_action_item(scene.priority, union.home, title="Due today", due=TODAY)
    make_action_item(scene.priority, union.home, title="Undated")
    section = _section(_page(union), "overdue-action-items")
    assert _lines(section) == [
        (
            f"/admin/meetings/actionitem/{late.pk}/change/",
            "Customs study (Other CCI, Trade facilitation): due 2026-09-01, 44 days late",
        ),
        (
            f"/admin/meetings/actionitem/{started.pk}/change/",
            "Survey (Home CCI, Trade facilitation): due 2026-10-14, 1 day late",
        ),
    ]
    full = re.search(r'class="worklist-all" href="([^"]*)"', section).group(1)
    assert unescape(full) == (
        "/admin/meetings/actionitem/?status__in=open,in_progress&due__lt=2026-10-15"
    )
    # The filtered changelist lists exactly those two.
    changelist = union.client("staff", api=False).get(unescape(full)).content.decode()
    assert "Customs study" in changelist and "Survey" in changelist
    assert "Due today" not in changelist and "Dropped" not in changelist


def test_only_the_first_overdue_items_are_listed_with_the_count_of_all(union, scene):
    bulk(
        ActionItemFactory,
        12,
        priority=scene.priority,
        responsible=union.home,
        due=TODAY - dt.timedelta(days=3),
    )
    section = _section(_page(union), "overdue-action-items")
    assert len(_lines(section)) == 10
    assert "(12)" in section
    assert "and 2 more." in section


def test_the_rotation_shows_the_chairs_not_approved_and_the_days_left(union, scene):
    # The order is home, other, watcher (an observer, passed over); home holds 2030.
    section = _section(_page(union), "next-chair")
    lines = _lines(section)
    assert [link for link, _text in lines] == ["/rotation/", "/rotation/"]
    assert lines[0][1].startswith(
        "No chair is approved for the current term (2026-01-01 to 2026-12-31)"
    )
    assert lines[1][1].endswith(
        "to chair the next term (2027-01-01 to 2027-12-31); it is not approved. "
        "77 days left: the current term ends on 2026-12-31."
    )


def test_only_the_next_chair_once_the_current_term_is_approved(union, scene):
    approve_term(union.other, 2026)
    section = _section_of(union, "next-chair")
    assert section.title == "Next chair not approved"
    assert len(section.lines) == 1
    assert "Home CCI is forecast to chair the next term (2027-01-01" in section.lines[0].text
    assert section.lines[0].severity == Severity.WARNING  # 77 days: under 180, over 60


def test_minutes_not_published_link_to_the_meeting_in_the_admin(union, scene):
    bare = make_meeting(title="Board of March", days_from_now=-200, status="held")
    drafted = make_meeting(
        title="Board of April", days_from_now=-150, status="held", minutes="Draft minutes."
    )
    make_meeting(
        title="Board of May",
        days_from_now=-100,
        status="held",
        minutes="Minutes.",
        minutes_published=True,
    )
    section = _section(_page(union), "minutes")
    assert [(link, text.split(": ")[1]) for link, text in _lines(section)] == [
        (f"/admin/meetings/meeting/{bare.pk}/change/", "no minutes yet"),
        (f"/admin/meetings/meeting/{drafted.pk}/change/", "the minutes are drafted, not published"),
    ]
    full = unescape(re.search(r'class="worklist-all" href="([^"]*)"', section).group(1))
    assert full == "/admin/meetings/meeting/?status__exact=held&minutes_published__exact=0"
    changelist = union.client("staff", api=False).get(full).content.decode()
    assert "Board of March" in changelist and "Board of April" in changelist


def test_failed_reminders_and_deliveries_the_count_and_the_latest(union, scene):
    old, new = (
        ReminderFactory(status=ReminderStatus.FAILED, attempts=3, due_on=dt.date(2026, 9, d))
        for d in (1, 2)
    )
    ReminderFactory(status=ReminderStatus.SENT)
    receiver = SubscriberFactory(name="CRM")
    failed = DeliveryFactory(subscriber=receiver, status=DeliveryStatus.FAILED)
    DeliveryFactory(subscriber=receiver, status=DeliveryStatus.DELIVERED)
    html = _page(union)
    reminders = _section(html, "failed-reminders")
    assert [link for link, _text in _lines(reminders)] == [
        f"/admin/reminders/reminder/{new.pk}/change/",
        f"/admin/reminders/reminder/{old.pk}/change/",
    ]
    assert "due 2026-09-02: failed after 3 attempts" in _lines(reminders)[0][1]
    assert 'href="/admin/reminders/reminder/?status__exact=failed"' in reminders
    deliveries = _section(html, "failed-deliveries")
    assert [link for link, _text in _lines(deliveries)] == [
        f"/admin/webhooks/delivery/{failed.pk}/change/"
    ]
    assert "meeting.created to CRM" in _lines(deliveries)[0][1]
    assert 'href="/admin/webhooks/delivery/?status__exact=failed"' in deliveries


def test_nothing_when_all_is_in_order(union):
    set_order([union.home, union.other])
    approve_term(union.home, 2026)
    approve_term(union.other, 2027)
    meeting = make_meeting(title="Board of June", days_from_now=60)
    for chamber in (union.home, union.other, union.observer):
        answer(meeting, chamber, "attending")
    make_meeting(
        title="Held", days_from_now=-60, status="held", minutes="M.", minutes_published=True
    )
    priority = make_priority()
    make_action_item(priority, union.home, due=dt.date(2026, 12, 1))
    make_action_item(priority, union.home, due=dt.date(2026, 1, 1), status="done")
    ReminderFactory(status=ReminderStatus.SENT)
    DeliveryFactory(status=DeliveryStatus.DELIVERED)
    html = _page(union)
    assert "All is in order: nothing needs the secretariat now." in html
    assert '<section class="worklist' not in html


def test_sections_come_in_their_order_and_lines_are_marked_by_severity(union, scene):
    make_action_item(scene.priority, union.other, title="Late", due=dt.date(2026, 1, 1))
    ReminderFactory(status=ReminderStatus.FAILED)
    html = _page(union)
    keys = re.findall(r'<section class="worklist worklist-([\w-]+)', html)
    assert keys == ["invitations", "overdue-action-items", "next-chair", "failed-reminders"]
    assert '<span class="tag severity-label">Urgent</span>' in _section(html, "failed-reminders")


def test_the_page_speaks_the_readers_language(union, scene):
    client = union.client("staff", api=False)
    client.cookies["django_language"] = "ru"
    html = client.get("/secretariat/").content.decode()
    assert "Приглашения без ответа" in html


def test_a_section_counts_its_hidden_rows():
    line = WorklistLine(text="x", url="/")
    assert WorklistSection("k", "t", (line, line), count=5, url="/").hidden == 3
    grouped = WorklistLine(text="m", url="/", count=4)
    assert WorklistSection("k", "t", (grouped,), count=4, url="/").hidden == 0


# Who may see it --------------------------------------------------------------------------------


def test_only_the_secretariat_sees_the_page_and_its_link(union):
    assert (
        union.client("anonymous", api=False)
        .get("/secretariat/")["Location"]
        .startswith("/accounts/login/?next=/secretariat/")
    )
    for role in ("viewer", "editor", "other_editor"):
        client = union.client(role, api=False)
        assert client.get("/secretariat/").status_code == 403
        assert 'href="/secretariat/"' not in client.get("/").content.decode()
    assert 'href="/secretariat/"' in union.client("staff", api=False).get("/").content.decode()


def test_a_login_without_a_chamber_is_refused(union, client):
    make_login(None, None, username="nobody")
    client.force_login(get_user_model().objects.get(username="nobody"))
    assert client.get("/secretariat/").status_code == 403


# Query counts ----------------------------------------------------------------------------------

SIZES = [pytest.param(1, id="1-of-each"), pytest.param(30, id="30-of-each")]
CASES = {Pin("portal:secretariat", "staff"): "/secretariat/"}


def grow(union: Union, scene: Assembly, size: int) -> None:
    """``size`` of every row the worklist lists: meetings with unanswered invitations, overdue
    action items, held meetings with unpublished minutes, failed reminders and deliveries."""
    start = timezone.now() + dt.timedelta(days=90)
    upcoming = bulk(MeetingFactory, size, starts_at=start)
    bulk_rows(InvitationFactory, ({"meeting": m, "chamber": union.home} for m in upcoming))
    bulk(MeetingFactory, size, status="held", starts_at=start - dt.timedelta(days=400))
    bulk(ActionItemFactory, size, priority=scene.priority, responsible=union.other)  # due 2026-06
    bulk(ReminderFactory, size, status=ReminderStatus.FAILED, contact=union.home_contact)
    bulk(DeliveryFactory, size, subscriber=SubscriberFactory(), status=DeliveryStatus.FAILED)
    for procedure in ProcedureFactory.create_batch(size):  # open, one voter of two answered
        procedure.voters.add(union.home, union.other)
        BallotFactory(procedure=procedure, chamber=union.home)
    assert ActionItem.objects.overdue().count() == size
    assert Meeting.objects.filter(status="held").count() == size


@pytest.mark.parametrize("size", SIZES)
def test_query_count_does_not_grow_with_rows(union, scene, django_assert_num_queries, size):
    grow(union, scene, size)
    for pin, path in CASES.items():
        client = union.client(pin.caller, api=False)
        with assert_expected_query_count(django_assert_num_queries, pin, path, size=size):
            response = client.get(path)
        assert response.status_code == 200
        assert response.content.decode().count('<section class="worklist') == 7
