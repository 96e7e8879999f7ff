"""Query counts of the meetings API's lists and details, the meetings portal pages and the
meetings admin, pinned in ``tests/query_counts.py``.

Each request runs with 3 and with 60 of everything (meetings, decisions, priorities and action
items, and on the meeting under test as many invited chambers, delegates, agenda items,
documents and decisions; on the first draft, priority and action item as many votes, items and
notes) and must cost the same, pinned number of queries.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.utils import timezone

from chambers.models import Contact
from meetings.models import (
    ActionItem,
    AgendaItem,
    Ballot,
    BallotChange,
    Decision,
    Invitation,
    Meeting,
    MeetingDocument,
    MinutesVersion,
    Priority,
    Procedure,
    ProgressNote,
    Vote,
)
from tests.conftest import Union
from tests.factories import COUNTRIES, GovernanceRulesFactory, ProgressNoteFactory, bulk_rows
from tests.query_counts import Pin, assert_expected_query_count
from tests.scenes import bulk_chambers, make_meeting

SIZES = [pytest.param(3, id="3-rows"), pytest.param(60, id="60-rows")]
RESPONSES = ["attending", "declined", "pending"]
VOTES = ["for", "against", "abstain"]


def make_target(union: Union) -> Meeting:
    """The meeting whose detail is read: upcoming (editors get the answer form), through the
    service, so home, other and watcher are invited."""
    return make_meeting(kind="ga_ordinary", session_number=1, title="", hours=8, host=union.home)


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
    chambers, contacts = bulk_chambers(
        size,
        contact=lambda i: {"name": f"Delegate {i}", "is_delegate": True, "email": f"d{i}@x.org"},
    )
    union_chambers = [union.home, union.other, union.observer]
    home_contacts = Contact.objects.bulk_create(
        Contact(chamber=union.home, name=f"Home delegate {i}", is_delegate=True)
        for i in range(size)
    )

    # The target meeting: many versions of its minutes (all published, each approved by a
    # decision of its own), many invited chambers with delegates, agenda items, documents and
    # decisions with votes.
    MinutesVersion.objects.bulk_create(
        MinutesVersion(
            meeting=target, number=i + 1, text=f"Text {i}", note=f"Note {i}", published_at=now
        )
        for i in range(size)
    )
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
    decisions_of_target = Decision.objects.bulk_create(
        Decision(
            meeting=target,
            number=i + 1,
            kind="general",
            title=f"Draft {i}",
            method="vote",
            dated_at=target.starts_at,  # what Decision.save keeps (bulk_create skips it)
        )
        for i in range(size)
    )
    Vote.objects.bulk_create(
        # Every third vote cast by proxy (the holder named on the vote).
        Vote(decision=d, chamber=c, vote=VOTES[i % 3], proxy_holder=union.home if i % 3 else None)
        for i, (d, c) in enumerate(zip(decisions_of_target, chambers, strict=True))
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
            dated_at=m.starts_at,  # what Decision.save keeps (bulk_create skips it)
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

    # The first draft, priority and action item, read one by one: as many votes (every new
    # chamber), items and notes as everything else.
    first_draft = decisions_of_target[0]
    Vote.objects.bulk_create(
        Vote(decision=first_draft, chamber=c, vote=VOTES[i % 3])
        for i, c in enumerate(chambers[1:], start=1)
    )
    more = ActionItem.objects.bulk_create(
        ActionItem(priority=priorities[0], title=f"More {i}", responsible=chambers[i])
        for i in range(size)
    )
    ProgressNote.objects.bulk_create(
        ProgressNote(
            action_item=first_item(priorities[0]),
            date=dt.date(2026, 4, 1),
            text=f"Report {i}",
            progress=i % 101,
        )
        for i in range(size)
    )
    bulk_rows(ProgressNoteFactory, ({"action_item": item} for item in more))
    GovernanceRulesFactory()
    grow_procedures(union, chambers, size, now)


def grow_procedures(union: Union, chambers: list, size: int, now: dt.datetime) -> None:
    """``size`` decisions between sessions, each under written procedure with every chamber a
    voter and an answer given twice (two versions); the last one closed, adopted and published
    (the public sees it). The first ("Between 0") is the one read on its own."""
    decisions = Decision.objects.bulk_create(
        Decision(
            meeting=None,
            year=now.year,
            number=i + 1,
            kind="general",
            title=f"Between {i}",
            method="vote",
            adopted_at=now if i == size - 1 else None,
            published=i == size - 1,
            dated_at=now if i == size - 1 else None,
        )
        for i in range(size)
    )
    procedures = Procedure.objects.bulk_create(
        Procedure(
            decision=d,
            mode="vote" if i % 2 == 0 else "silence",
            state="closed" if i == size - 1 else "open",
            opened_at=now - dt.timedelta(days=1),
            opened_on=(now - dt.timedelta(days=1)).date(),
            closes_at=now + dt.timedelta(days=i + 1),
            closed_at=now if i == size - 1 else None,
            adopted=True if i == size - 1 else None,
        )
        for i, d in enumerate(decisions)
    )
    voters = [union.home, union.other, *chambers]
    Procedure.voters.through.objects.bulk_create(
        Procedure.voters.through(procedure=p, chamber=c) for p in procedures for c in voters
    )
    ballots = Ballot.objects.bulk_create(
        Ballot(
            procedure=p,
            chamber=c,
            answer=VOTES[j % 3] if p.mode == "vote" else "no_objection",
            recorded_at=now,
        )
        for p in procedures
        for j, c in enumerate(voters)
    )
    BallotChange.objects.bulk_create(
        BallotChange(ballot=b, answer=b.answer, recorded_at=now) for b in ballots for _ in range(2)
    )


def first_item(priority: Priority) -> ActionItem:
    """The priority's first action item (the home chamber's: its editors may report on it)."""
    return priority.action_items.order_by("pk").first()


@dataclass(frozen=True)
class Case:
    """One request of a pin. ``path`` may name ``{meeting}`` (the target), ``{decision}``,
    ``{priority}`` and ``{item}`` (the first draft, priority and action item: the ones grown
    most); ``shows`` is text of the last grown row (``{last}`` is its index), so the pin is known
    to cover a response that lists every row (None for admin lists, which page by 100). API
    lists ask for a page of 200: all of them."""

    path: str
    shows: str | None
    api: bool = True


ALL = "?limit=200"
CASES = {
    Pin("meeting-list", "viewer"): Case(f"/api/v1/meetings/{ALL}", "Meeting {last}"),
    Pin("meeting-detail", "viewer"): Case("/api/v1/meetings/{meeting}/", "Delegate {last}"),
    Pin("meeting-minutes", "viewer"): Case("/api/v1/meetings/{meeting}/minutes/", "Note {last}"),
    # Documents of record (PDF: compressed, so no text to look for).
    Pin("meeting-agenda-pack", "viewer"): Case("/api/v1/meetings/{meeting}/agenda-pack.pdf", None),
    Pin("meetings:agenda-pack", "viewer"): Case("/meetings/{meeting}/agenda-pack.pdf", None, False),
    Pin("meeting-minutes-pdf", "viewer"): Case("/api/v1/meetings/{meeting}/minutes.pdf", None),
    Pin("decision-extract", "viewer"): Case("/api/v1/decisions/{adopted}/extract.pdf", None),
    Pin("decision-list", "anonymous"): Case(f"/api/v1/decisions/{ALL}", "Decision {last}"),
    Pin("decision-list", "viewer"): Case(f"/api/v1/decisions/{ALL}", "Draft {last}"),
    Pin("decision-detail", "viewer"): Case("/api/v1/decisions/{decision}/", "bulk-{last}"),
    Pin("priority-list", "viewer"): Case(f"/api/v1/priorities/{ALL}", "Action {last}-1"),
    Pin("priority-detail", "viewer"): Case("/api/v1/priorities/{priority}/", "More {last}"),
    Pin("action-item-list", "viewer"): Case(f"/api/v1/action-items/{ALL}", "Action {last}-1"),
    Pin("action-item-detail", "viewer"): Case("/api/v1/action-items/{item}/", "Report {last}"),
    Pin("meetings:meetings", "viewer"): Case("/meetings/", "Meeting {last}", api=False),
    Pin("meetings:meeting", "viewer"): Case("/meetings/{meeting}/", "Delegate {last}", False),
    Pin("meetings:meeting", "editor"): Case("/meetings/{meeting}/", "Home delegate {last}", False),
    Pin("meetings:meeting", "staff"): Case("/meetings/{meeting}/", "Delegate {last}", False),
    Pin("meetings:minutes-version", "viewer"): Case(
        "/meetings/{meeting}/minutes/1/", "Note {last}", api=False
    ),
    Pin("meetings:minutes-version", "staff"): Case(
        "/meetings/{meeting}/minutes/1/", "Note {last}", api=False
    ),
    Pin("meetings:meetings-ics", "viewer"): Case("/meetings.ics", "Meeting {last}", api=False),
    Pin("meetings:meeting-ics", "viewer"): Case("/meetings/{meeting}.ics", "Item {last}", False),
    Pin("meetings:decisions", "anonymous"): Case("/decisions/", "Decision {last}", api=False),
    # Members see the undated ones first (drafts and open procedures): a page of those.
    Pin("meetings:decisions", "viewer"): Case("/decisions/", "Between 1<", api=False),
    Pin("meetings:priorities", "viewer"): Case("/priorities/", "Action {last}-1", api=False),
    Pin("meetings:priorities", "editor"): Case("/priorities/", "Action {last}-1", api=False),
    Pin("meetings:action-item", "editor"): Case("/action-items/{item}/", "Report {last}", False),
    Pin("procedure-list", "viewer"): Case(f"/api/v1/procedures/{ALL}", "Between {last}"),
    Pin("procedure-list", "anonymous"): Case(f"/api/v1/procedures/{ALL}", "Between {last}"),
    Pin("procedure-detail", "viewer"): Case("/api/v1/procedures/{procedure}/", "bulk-{last}"),
    Pin("meetings:procedure", "viewer"): Case(
        "/decisions/{between}/procedure/", "Bulk CCI {last}", api=False
    ),
    Pin("meetings:procedure", "editor"): Case(
        "/decisions/{between}/procedure/", "Bulk CCI {last}", api=False
    ),
    Pin("meetings:procedure", "staff"): Case(
        "/decisions/{between}/procedure/", "Bulk CCI {last}", api=False
    ),
    Pin("meetings:decision-new", "staff"): Case("/decisions/new/", None, api=False),
    Pin("admin:meetings_meeting_changelist", "staff"): Case(
        "/admin/meetings/meeting/", None, api=False
    ),
    Pin("admin:meetings_decision_changelist", "staff"): Case(
        "/admin/meetings/decision/", None, api=False
    ),
    Pin("admin:meetings_priority_changelist", "staff"): Case(
        "/admin/meetings/priority/", None, api=False
    ),
    Pin("admin:meetings_actionitem_changelist", "staff"): Case(
        "/admin/meetings/actionitem/", None, api=False
    ),
    Pin("admin:meetings_procedure_changelist", "staff"): Case(
        "/admin/meetings/procedure/", None, api=False
    ),
    Pin("admin:meetings_governancerules_changelist", "staff"): Case(
        "/admin/meetings/governancerules/", "Governance rules", api=False
    ),
}


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("pin", list(CASES), ids=str)
def test_query_count_does_not_grow_with_rows(
    union: Union, django_assert_num_queries, pin: Pin, size: int, settings
) -> None:
    # The agenda pack typeset in the request, whatever the number of documents (above the
    # limit it is a worker's: tests/meetings/test_records.py).
    settings.AGENDA_PACK_INLINE_DOCUMENTS = 10_000
    case = CASES[pin]
    target = make_target(union)
    grow(union, target, size)
    client = union.client(pin.caller, api=case.api)
    first = target.decisions.order_by("number").first()
    priority = Priority.objects.get(title="Priority 0")
    between = Decision.objects.get(title="Between 0")
    adopted = Decision.objects.get(title=f"Decision {size - 1}")  # adopted and published
    url = case.path.format(
        adopted=adopted.pk,
        meeting=target.pk,
        decision=first.pk,
        priority=priority.pk,
        item=first_item(priority).pk,
        between=between.pk,
        procedure=between.procedures.get().pk,
    )
    with assert_expected_query_count(django_assert_num_queries, pin, url, size=size):
        response = client.get(url)
    assert response.status_code == 200, response.content[:300]
    if case.shows:
        assert case.shows.format(last=size - 1) in response.content.decode()
