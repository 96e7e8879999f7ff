"""Query counts pinned for the meetings API's lists and detail and the meetings portal pages.

Why: as in ``tests/chambers/test_queries.py``, an N+1 (a query per meeting, invitation, vote,
agenda item, action item or note) passes every functional test on a small union and only shows
once the union has held a few dozen meetings. Each request here runs with 3 and with 60 of
everything (meetings, decisions, priorities and action items, and on the meeting under test as
many invited chambers, delegates, agenda items, documents and decisions) and must cost the same,
exactly pinned number of queries. The comment by each number lists the queries.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.utils import timezone

from chambers.models import Chamber, Contact, MembershipPeriod, MembershipStatus
from meetings import services
from meetings.models import (
    ActionItem,
    AgendaItem,
    Decision,
    Invitation,
    Meeting,
    MeetingDocument,
    Priority,
    ProgressNote,
    Vote,
)
from tests.conftest import Union
from tests.factories import COUNTRIES, SYSTEM

SIZES = [pytest.param(3, id="3-rows"), pytest.param(60, id="60-rows")]
RESPONSES = ["attending", "declined", "pending"]
VOTES = ["for", "against", "abstain"]


def make_target(union: Union) -> Meeting:
    """The meeting whose detail is read: upcoming (editors get the answer form), through the
    service, so home, other and watcher are invited."""
    starts = timezone.now().replace(microsecond=0) + dt.timedelta(days=30)
    return services.meeting_create(
        actor=SYSTEM,
        data={
            "kind": "ga_ordinary",
            "session_number": 1,
            "starts_at": starts,
            "ends_at": starts + dt.timedelta(hours=8),
            "time_zone": "Asia/Almaty",
            "venue_city": "Astana",
            "venue_country": "KZ",
            "host": union.home,
        },
    )


def grow(union: Union, target: Meeting, size: int) -> None:
    """Give the union ``size`` of everything the meetings pages and endpoints list.

    ``bulk_create`` skips the services: this is volume, not behaviour. ``size`` new member
    chambers (each with a contact) are invited to ``target``, name their contact as delegate,
    present agenda items and vote; the home chamber names ``size`` delegates there (its editor's
    answer form offers them all); ``size`` other meetings (past and upcoming, alternately)
    invite home, other and watcher and have an agenda item and a decision with votes; ``size``
    priorities have two action items with two notes each.
    """
    now = timezone.now().replace(microsecond=0)
    since = dt.date(2020, 1, 1)
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
        MembershipPeriod(chamber=c, status=MembershipStatus.MEMBER, start=since) for c in chambers
    )
    contacts = Contact.objects.bulk_create(
        Contact(chamber=c, name=f"Delegate {i}", is_delegate=True, email=f"d{i}@x.org")
        for i, c in enumerate(chambers)
    )
    union_chambers = [union.home, union.other, union.observer]
    home_contacts = Contact.objects.bulk_create(
        Contact(chamber=union.home, name=f"Home delegate {i}", is_delegate=True)
        for i in range(size)
    )

    # The target meeting: many invited chambers with delegates, agenda items, documents and
    # decisions with votes.
    invitations = Invitation.objects.bulk_create(
        Invitation(meeting=target, chamber=c, response=RESPONSES[i % 3], present=True)
        for i, c in enumerate(chambers)
    )
    Invitation.delegates.through.objects.bulk_create(
        Invitation.delegates.through(invitation=inv, contact=contact)
        for inv, contact in zip(invitations, contacts, strict=True)
    )
    home_invitation = target.invitations.get(chamber=union.home)
    home_invitation.delegates.add(*home_contacts)
    priorities = Priority.objects.bulk_create(
        Priority(
            title=f"Priority {i}",
            period_start=dt.date(2026, 1, 1),
            period_end=dt.date(2026, 12, 31),
            status=Priority.Status.ACTIVE,
        )
        for i in range(size)
    )
    AgendaItem.objects.bulk_create(
        AgendaItem(
            meeting=target,
            position=i + 1,
            title=f"Item {i}",
            presenter=chambers[i],
            priority=priorities[i],
        )
        for i in range(size)
    )
    MeetingDocument.objects.bulk_create(
        MeetingDocument(
            meeting=target,
            title=f"Document {i}",
            file=f"meetings/{target.pk}/doc{i}.pdf",
            original_name=f"doc{i}.pdf",
            content_type="application/pdf",
            size=1000 + i,
        )
        for i in range(size)
    )
    decisions = Decision.objects.bulk_create(
        Decision(meeting=target, number=i + 1, kind="general", title=f"Draft {i}", method="vote")
        for i in range(size)
    )
    Vote.objects.bulk_create(
        Vote(decision=d, chamber=c, vote=VOTES[i % 3])
        for i, (d, c) in enumerate(zip(decisions, chambers, strict=True))
    )

    # Other meetings, past and upcoming, each with invitations, an agenda item and a decision.
    meetings = Meeting.objects.bulk_create(
        Meeting(
            kind="ga_ordinary" if i % 2 else "board",
            session_number=i + 2 if i % 2 else None,
            title=f"Meeting {i}",
            starts_at=now + dt.timedelta(days=(i + 1) * (1 if i % 2 else -1)),
            ends_at=now + dt.timedelta(days=(i + 1) * (1 if i % 2 else -1), hours=6),
            time_zone="Asia/Almaty",
            venue_city="Capital",
            venue_country=COUNTRIES[i % len(COUNTRIES)],
            host=chambers[i],
            status="planned" if i % 2 else "held",
            minutes=f"Minutes {i}",
            minutes_published=bool(i % 2),
        )
        for i in range(size)
    )
    invitations = Invitation.objects.bulk_create(
        Invitation(meeting=m, chamber=c, response=RESPONSES[j], present=j < 2)
        for m in meetings
        for j, c in enumerate(union_chambers)
    )
    Invitation.delegates.through.objects.bulk_create(
        Invitation.delegates.through(invitation=inv, contact=union.home_contact)
        for inv in invitations
        if inv.chamber_id == union.home.pk
    )
    AgendaItem.objects.bulk_create(
        AgendaItem(meeting=m, position=1, title="Opening", presenter=union.home) for m in meetings
    )
    decisions = Decision.objects.bulk_create(
        Decision(
            meeting=m,
            number=1,
            kind="priorities" if i % 2 else "general",
            title=f"Decision {i}",
            method="vote",
            # Some drafts, some adopted but unpublished; the last one public (the tests look
            # for it on the public register).
            adopted_at=now - dt.timedelta(days=i) if i % 3 or i == size - 1 else None,
            published=i % 2 == 1 or i == size - 1,
        )
        for i, m in enumerate(meetings)
    )
    Vote.objects.bulk_create(
        Vote(decision=d, chamber=c, vote=VOTES[(i + j) % 3])
        for i, d in enumerate(decisions)
        for j, c in enumerate([union.home, union.other])
    )

    # Priorities (adopted by a decision) with action items and their progress notes.
    for i, priority in enumerate(priorities):
        priority.decision = decisions[i]
    Priority.objects.bulk_update(priorities, ["decision"])
    items = ActionItem.objects.bulk_create(
        ActionItem(
            priority=p,
            title=f"Action {i}-{j}",
            responsible=union.home if j == 0 else chambers[i],
            due=dt.date(2026, 6, 30),
            status=["open", "in_progress", "done", "cancelled"][(i + j) % 4],
            progress=(i * 10 + j) % 101,
        )
        for i, p in enumerate(priorities)
        for j in range(2)
    )
    ProgressNote.objects.bulk_create(
        ProgressNote(
            action_item=item,
            date=dt.date(2026, 3, k + 1),
            text=f"Note {k}",
            progress=item.progress,
            author_label="tests",
        )
        for item in items
        for k in range(2)
    )


@dataclass(frozen=True)
class Case:
    """One request whose query count is pinned. ``path`` may name ``{meeting}`` (the target);
    ``shows`` is text of the last grown row (``{last}`` is its index), so the pin is known to
    cover a response that lists every row. API lists ask for a page of 200: all of them."""

    role: str
    path: str
    queries: int
    shows: str
    api: bool = True


# Session logins cost two queries before the view runs: the session row and the user. A member's
# request then reads the member login once (core.access caches it on the request): "login"
# below stands for these three. API lists paginate: a count, then the page.
ALL = "?limit=200"
CASES = {
    # login, 4 count, 5 the meetings with host and answer counts (annotations).
    "api-meeting-list": Case("viewer", f"/api/v1/meetings/{ALL}", 5, "Meeting {last}"),
    # login, 4 the meeting with its host, 5 agenda (presenter, priority), 6 invitations
    # (chamber), 7 delegates, 8 decisions, 9 their votes, 10 the votes' chambers, 11 documents,
    # 12 the chambers with a vote on the meeting's date. 8-10 are prefetched by
    # selectors.meeting_detail for the portal page; the API shows no decisions.
    "api-meeting-detail": Case("viewer", "/api/v1/meetings/{meeting}/", 12, "Delegate {last}"),
    # 1 count, 2 the decisions with their meeting, 3 votes, 4 the votes' chambers.
    "api-decision-list-anonymous": Case(
        "anonymous", f"/api/v1/decisions/{ALL}", 4, "Decision {last}"
    ),
    "api-decision-list-member": Case("viewer", f"/api/v1/decisions/{ALL}", 7, "Draft {last}"),
    # login, 4 count, 5 priorities with their decision and its meeting and the roll-up,
    # 6 action items with the responsible chamber, 7 their notes.
    "api-priority-list": Case("viewer", f"/api/v1/priorities/{ALL}", 7, "Action {last}-1"),
    # login, 4 count, 5 action items with priority and responsible chamber, 6 their notes.
    "api-action-item-list": Case("viewer", f"/api/v1/action-items/{ALL}", 6, "Action {last}-1"),
    # login, 4 the meetings with host and answer counts (split into upcoming and past in Python).
    "meetings-page": Case("viewer", "/meetings/", 4, "Meeting {last}", api=False),
    # login, 4-11 the meeting and its prefetches as in api-meeting-detail, 12 the voters.
    "meeting-page": Case("viewer", "/meetings/{meeting}/", 12, "Delegate {last}", api=False),
    # As meeting-page, and 13 the chamber's active contacts for the answer form.
    "meeting-page-editor": Case(
        "editor", "/meetings/{meeting}/", 13, "Home delegate {last}", api=False
    ),
    # 1 the decisions with their meeting, 2 votes, 3 the votes' chambers.
    "decisions-page-anonymous": Case("anonymous", "/decisions/", 3, "Decision {last}", api=False),
    # login, then as decisions-page-anonymous.
    "decisions-page-member": Case("viewer", "/decisions/", 6, "Draft {last}", api=False),
    # login, 4 priorities with decision, meeting and roll-up, 5 action items with the
    # responsible chamber, 6 their notes.
    "priorities-page": Case("viewer", "/priorities/", 6, "Action {last}-1", api=False),
    "priorities-page-editor": Case("editor", "/priorities/", 6, "Action {last}-1", api=False),
}


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("name", list(CASES))
def test_query_count_does_not_grow_with_rows(
    union: Union, django_assert_num_queries, name: str, size: int
) -> None:
    case = CASES[name]
    target = make_target(union)
    grow(union, target, size)
    client = union.client(case.role, api=case.api)
    url = case.path.format(meeting=target.pk)
    with django_assert_num_queries(case.queries, info=f"{name} with {size} rows"):
        response = client.get(url)
    assert response.status_code == 200, response.content[:300]
    assert case.shows.format(last=size - 1) in response.content.decode()
