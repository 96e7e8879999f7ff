"""Query counts pinned for the reminders' pages: "my reminders", the secretariat's due list and
the admin's reminder log.

Why: as in ``tests/chambers/test_queries.py``, an N+1 (a query per reminder, per chamber, per
recipient, per meeting or per action item) passes every functional test on a small union and
only shows once reminders have gone out for a few years. Each request here runs with 5 and with
60 of everything (chambers with a focal point, log rows for each kind of recipient, overdue
action items, meetings with unanswered invitations or unpublished minutes) and must cost the
same, exactly pinned number of queries. The comment by each number lists the queries.

Today is frozen, so what falls due does not depend on the date the suite runs.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from chambers.models import Chamber, Contact, MembershipPeriod, MembershipStatus
from meetings.models import RSVP, ActionItem, Invitation, Meeting, MeetingStatus, Priority
from reminders import services
from reminders.models import Reminder, ReminderKind, ReminderStatus
from rotation import services as rotation_services
from tests.conftest import Union
from tests.factories import COUNTRIES, SYSTEM

TODAY = dt.date(2026, 11, 25)
SIZES = [pytest.param(5, id="5-rows"), pytest.param(60, id="60-rows")]
STATUSES = [ReminderStatus.PENDING, ReminderStatus.SENT, ReminderStatus.FAILED]
LANGUAGES = ["ru", "kk", "tr", "en"]


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
    aside; finally a scan records what is due today.
    """
    chambers = Chamber.objects.bulk_create(
        Chamber(
            slug=f"bulk-{i}",
            short_name=f"Bulk CCI {i}",
            name=f"Bulk Chamber of Commerce {i}",
            name_en=f"Bulk Chamber of Commerce {i}",
            country=COUNTRIES[i % len(COUNTRIES)],
            city="Capital",
        )
        for i in range(size)
    )
    MembershipPeriod.objects.bulk_create(
        MembershipPeriod(chamber=c, status=MembershipStatus.MEMBER, start=dt.date(2020, 1, 1))
        for c in chambers
    )
    focal = Contact.objects.bulk_create(
        Contact(
            chamber=c,
            name=f"Focal point {i}",
            is_focal_point=True,
            email=f"focal{i}@bulk.example",
            preferred_language=LANGUAGES[i % 4],
        )
        for i, c in enumerate(chambers)
    )
    home_contacts = Contact.objects.bulk_create(
        Contact(chamber=union.home, name=f"Home delegate {i}", email=f"home{i}@home.example")
        for i in range(size)
    )
    rotation_services.order_set(
        actor=SYSTEM, kind="agreed", chambers=[union.home, union.other, *chambers]
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


@dataclass(frozen=True)
class Case:
    """One page whose query count is pinned."""

    role: str
    path: str
    queries: int


# Session logins cost two queries before the view runs: the session row and the user. A
# member's request then reads the member login once (core.access caches it on the request).
CASES = {
    # 1 session, 2 user, 3 member login, 4 count (paginated), 5 the page of reminders with
    # chamber and contact joined.
    "mine-member": Case("viewer", "/reminders/", 5),
    # 1 session, 2 user, 3 count, 4 the page of reminders (staff have no member login).
    "mine-staff": Case("staff", "/reminders/", 4),
    # 1 session, 2 user; reminders.due.occurrences: 3 the active rules; 4 the rotation
    # settings, 5-9 the forecast (settings, order, terms, periods, chambers), 10 the chambers'
    # names (in_bulk, once); 11 the staff users' profiles, 12 the staff users, 13 the focal
    # points and heads; 14 the approved terms starting in the window (term started); 15 the
    # meetings in the window, 16 their unanswered invitations; 17 the overdue action items with
    # their chamber; 18 the log rows of everything found (each recipient's state).
    "due": Case("staff", "/reminders/due/", 18),
    # 1 session, 2 user, 3 the chambers (chamber filter), 4 filtered count, 5 full count (the
    # "N total" link), 6 the page of reminders with their chamber, 7 the first and last due
    # day, 8 the years (date hierarchy: the rows span several years, at either size).
    "admin-log": Case("staff", "/admin/reminders/reminder/", 8),
}


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("name", list(CASES))
def test_query_count_does_not_grow_with_rows(
    union: Union, django_assert_num_queries, name: str, size: int
) -> None:
    case = CASES[name]
    grow(union, size)
    client = union.client(case.role, api=False)
    with django_assert_num_queries(case.queries, info=f"{name} with {size} rows"):
        response = client.get(case.path)
    assert response.status_code == 200, response.content[:300]
    body = response.content.decode()
    # The response covers every row it should, so the pin is known to cover them.
    if name == "mine-member":
        page = response.context["page"]
        assert page.paginator.count == 2 * size  # the viewer's and the home contacts'
        assert {r.chamber_id for r in page.object_list if r.contact_id} == {union.home.pk}
        assert "Home delegate" in body and "Logged viewer" in body and "Logged aside" not in body
    elif name == "mine-staff":
        page = response.context["page"]
        # Its own rows, and the scan's: approval of the 2027 chair, the unpublished minutes.
        assert page.paginator.count == size + 1 + size
        assert "Logged staff" in body and "Logged viewer" not in body
    elif name == "due":
        rows = response.context["rows"]
        kinds = [due.kind for due, _recipients in rows]
        assert kinds.count(ReminderKind.INVITATION_UNANSWERED) == 2 * size  # 14 and 3 days
        assert kinds.count(ReminderKind.MINUTES_UNPUBLISHED) == size
        assert kinds.count(ReminderKind.ACTION_OVERDUE) >= size
        assert ReminderKind.APPROVAL_DUE in kinds
        assert f"focal{size - 1}@bulk.example" in body and f"Held meeting {size - 1}" in body
        states = {state for _due, recipients in rows for _r, state, _label in recipients}
        assert {"pending", ""} <= states  # today's rows were recorded by the scan
    else:
        assert response.context["cl"].result_count == Reminder.objects.count() > 5 * size
