"""Query counts of the reminders' pages ("my reminders", the secretariat's due list) and the
reminders admin (the log and the rules), pinned in ``tests/query_counts.py``.

Each request runs with 5 and with 60 of everything (chambers with a focal point, log rows for
each kind of recipient, overdue action items, meetings with unanswered invitations or
unpublished minutes, inactive rules) and must cost the same, pinned number of queries.

Today is frozen, so what falls due does not depend on the date the suite runs.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from chambers.models import Contact
from meetings.models import RSVP, ActionItem, Invitation, Meeting, MeetingStatus, Priority
from reminders import services
from reminders.models import Reminder, ReminderKind, ReminderRule, ReminderStatus
from tests.conftest import Union
from tests.factories import ReminderRuleFactory, bulk_rows
from tests.query_counts import Pin, assert_expected_query_count
from tests.scenes import bulk_chambers, set_order

TODAY = dt.date(2026, 11, 25)
SIZES = [pytest.param(5, id="5-rows"), pytest.param(60, id="60-rows")]
STATUSES = [ReminderStatus.PENDING, ReminderStatus.SENT, ReminderStatus.FAILED]
LANGUAGES = ["ru", "kk", "tr", "en"]


@pytest.fixture(autouse=True)
def rules(default_rules) -> None:
    """The default rules, made here: a transactional test's flush removes the rows of the data
    migration, and this module's counts must not depend on whether one ran before it."""


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch) -> dt.date:
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: TODAY)
    return TODAY


def at(day: dt.date, hour: int = 9) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=dt.UTC)


def grow(union: Union, size: int) -> None:
    """Give the union ``size`` of everything the reminders' pages list.

    ``bulk_create`` skips the services: this is volume, not behaviour. ``size`` new member
    chambers, each with a focal point with an address, join the rotation's agreed order (so
    the approval of the 2027 chair falls due to the secretariat and two chambers); each new
    chamber owns an overdue action item and is invited, without answering, to one of ``size``
    meetings in the next weeks; ``size`` held meetings have unpublished minutes. The log has
    ``size`` rows to the home chamber's contacts (each a different one), to the viewer, to the
    staff user and to the new chambers' focal points, each status in turn, and ``size`` set
    aside; ``size`` inactive rules are listed in the admin; finally a scan records what is due
    today.
    """
    chambers, focal = bulk_chambers(
        size,
        contact=lambda i: {
            "name": f"Focal point {i}",
            "is_focal_point": True,
            "email": f"focal{i}@bulk.example",
            "preferred_language": LANGUAGES[i % 4],
        },
    )
    home_contacts = Contact.objects.bulk_create(
        Contact(chamber=union.home, name=f"Home delegate {i}", email=f"home{i}@home.example")
        for i in range(size)
    )
    set_order([union.home, union.other, *chambers])
    # Inactive rules: listed in the admin, never due.
    bulk_rows(
        ReminderRuleFactory,
        (
            {"kind": ReminderKind.ACTION_OVERDUE, "offset_days": 1000 + i, "active": False}
            for i in range(size)
        ),
    )

    priority = Priority.objects.create(
        title="Trade", period_start=dt.date(2026, 1, 1), period_end=dt.date(2027, 12, 31)
    )
    ActionItem.objects.bulk_create(
        ActionItem(
            priority=priority,
            title=f"Overdue action {i}",
            responsible=c,
            due=TODAY - dt.timedelta(days=i % 20),
            status=ActionItem.Status.OPEN if i % 2 else ActionItem.Status.IN_PROGRESS,
        )
        for i, c in enumerate(chambers)
    )
    planned = Meeting.objects.bulk_create(
        Meeting(
            kind="board",
            title=f"Planned meeting {i}",
            starts_at=at(TODAY + dt.timedelta(days=5 + i % 25)),
            ends_at=at(TODAY + dt.timedelta(days=5 + i % 25), 17),
            time_zone="UTC",
            status=MeetingStatus.PLANNED,
        )
        for i in range(size)
    )
    Invitation.objects.bulk_create(
        Invitation(meeting=m, chamber=c, response=RSVP.PENDING)
        for m, c in zip(planned, chambers, strict=True)
    )
    Meeting.objects.bulk_create(
        Meeting(
            kind="board",
            title=f"Held meeting {i}",
            starts_at=at(TODAY - dt.timedelta(days=14 + i % 20)),
            ends_at=at(TODAY - dt.timedelta(days=14 + i % 20), 17),
            time_zone="UTC",
            status=MeetingStatus.HELD,
            minutes_published=False,
        )
        for i in range(size)
    )

    # The scan first: it sets aside unsent rows that are not due, as the made-up ones below.
    services.reminders_scan(today=TODAY)
    users = get_user_model().objects.in_bulk(["viewer", "staff"], field_name="username")

    def row(i: int, label: str, *, user=None, contact=None, **fields) -> Reminder:
        return Reminder(
            kind=ReminderKind.ACTION_OVERDUE,
            subject=f"test:{label}:{i}",
            offset_days=1,
            recipient=f"user:{user.pk}" if user else f"contact:{contact.pk}",
            user=user,
            contact=contact,
            chamber_id=contact.chamber_id if contact else None,
            email=user.email if user else contact.email,
            language=LANGUAGES[i % 4],
            due_on=dt.date(2024 + i % 3, 1 + i % 12, 1 + i % 28),
            title=f"Logged {label} {i}",
            **{"status": STATUSES[i % 3], **fields},
        )

    Reminder.objects.bulk_create(
        [
            *(row(i, "home", contact=c) for i, c in enumerate(home_contacts)),
            *(row(i, "viewer", user=users["viewer"]) for i in range(size)),
            *(row(i, "staff", user=users["staff"]) for i in range(size)),
            *(row(i, "bulk", contact=c) for i, c in enumerate(focal)),
            *(
                row(i, "aside", contact=union.home_contact, status=ReminderStatus.SKIPPED)
                for i in range(size)
            ),
        ]
    )


CASES = {
    Pin("reminders:mine", "viewer"): "/reminders/",
    Pin("reminders:mine", "staff"): "/reminders/",
    Pin("reminders:due", "staff"): "/reminders/due/",
    Pin("admin:reminders_reminder_changelist", "staff"): "/admin/reminders/reminder/",
    Pin("admin:reminders_reminderrule_changelist", "staff"): "/admin/reminders/reminderrule/",
}


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("pin", list(CASES), ids=str)
def test_query_count_does_not_grow_with_rows(
    union: Union, django_assert_num_queries, pin: Pin, size: int
) -> None:
    grow(union, size)
    client = union.client(pin.caller, api=False)
    path = CASES[pin]
    with assert_expected_query_count(django_assert_num_queries, pin, path, size=size):
        response = client.get(path)
    assert response.status_code == 200, response.content[:300]
    body = response.content.decode()
    # The response covers every row it should, so the pin is known to cover them.
    if pin == Pin("reminders:mine", "viewer"):
        page = response.context["page"]
        assert page.paginator.count == 2 * size  # the viewer's and the home contacts'
        assert {r.chamber_id for r in page.object_list if r.contact_id} == {union.home.pk}
        assert "Home delegate" in body and "Logged viewer" in body and "Logged aside" not in body
    elif pin == Pin("reminders:mine", "staff"):
        page = response.context["page"]
        # Its own rows, and the scan's: approval of the 2027 chair, the unpublished minutes.
        assert page.paginator.count == size + 1 + size
        assert "Logged staff" in body and "Logged viewer" not in body
    elif pin.view == "reminders:due":
        rows = response.context["rows"]
        kinds = [due.kind for due, _recipients in rows]
        assert kinds.count(ReminderKind.INVITATION_UNANSWERED) == 2 * size  # 14 and 3 days
        assert kinds.count(ReminderKind.MINUTES_UNPUBLISHED) == size
        assert kinds.count(ReminderKind.ACTION_OVERDUE) >= size
        assert ReminderKind.APPROVAL_DUE in kinds
        assert f"focal{size - 1}@bulk.example" in body and f"Held meeting {size - 1}" in body
        states = {state for _due, recipients in rows for _r, state, _label in recipients}
        assert {"pending", ""} <= states  # today's rows were recorded by the scan
    elif pin.view == "admin:reminders_reminderrule_changelist":
        assert response.context["cl"].result_count == ReminderRule.objects.count() > size
    else:
        assert response.context["cl"].result_count == Reminder.objects.count() > 5 * size
