"""Query counts pinned for the calendar feed and the subscription page.

Why: as in ``tests/meetings/test_queries.py``, an N+1 (a query per meeting's agenda, per term's
chamber or President) passes every functional test on a small union and only shows once the
union has held a few dozen meetings. Each request runs with 3 and with 60 meetings (each with
two agenda items) and approved terms and must cost the same, exactly pinned number of queries.
The comment by each number lists the queries.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from chambers.models import Chamber
from meetings.models import AgendaItem, Invitation, Meeting
from rotation.models import Rotation, Term, TermState
from tests.calendars import fetch, issue, parse
from tests.conftest import Union

SIZES = [pytest.param(3, id="3-rows"), pytest.param(60, id="60-rows")]


def grow(union: Union, size: int) -> None:
    """``size`` meetings inviting home, other and watcher, each with two agenda items, and
    ``size`` approved terms (one a year from 2030, the chambers in turn, home's head as the
    President of home's). ``bulk_create`` skips the services: this is volume, not behaviour."""
    now = timezone.now().replace(microsecond=0)
    meetings = Meeting.objects.bulk_create(
        Meeting(
            kind="working_group",
            title=f"Meeting {i}",
            starts_at=now + dt.timedelta(days=i - size // 2),
            ends_at=now + dt.timedelta(days=i - size // 2, hours=4),
            time_zone="Asia/Almaty",
            venue_city="Astana",
            venue_country="KZ",
            status=["planned", "held", "postponed", "cancelled"][i % 4],
        )
        for i in range(size)
    )
    chambers: list[Chamber] = [union.home, union.other, union.observer]
    Invitation.objects.bulk_create(
        Invitation(meeting=m, chamber=c) for m in meetings for c in chambers
    )
    AgendaItem.objects.bulk_create(
        AgendaItem(meeting=m, position=j + 1, title=f"Item {i}-{j}")
        for i, m in enumerate(meetings)
        for j in range(2)
    )
    rotation = Rotation.current()
    Term.objects.bulk_create(
        Term(
            rotation=rotation,
            chamber=chambers[i % 3],
            in_place_of=chambers[i % 3],
            start=dt.date(2030 + i, 1, 1),
            end=dt.date(2030 + i, 12, 31),
            state=TermState.APPROVED,
            president=union.home_contact if i % 3 == 0 else None,
        )
        for i in range(size)
    )


@dataclass(frozen=True)
class Case:
    """A login's feed: ``queries`` pinned, ``events`` how many VEVENTs for ``size`` rows."""

    role: str
    queries: int
    meetings: bool  # the feed holds the grown meetings (else only the terms)


# The feed is fetched without a session: no session or user rows are read. "key" below is
# 1 the subscription with its user by the key's hash, 2 the conditional update of last use.
CASES = {
    # key, 3 the member login with its chamber's status today, 4 the invited meetings,
    # 5 their agendas, 6 the approved terms with chamber, President and decision.
    "member": Case("viewer", 6, meetings=True),
    # key, 3 every meeting, 4 their agendas, 5 the approved terms (staff: no member login).
    "staff": Case("staff", 5, meetings=True),
    # key, 3 the member login (its chamber has left, so no meeting query), 4 the terms.
    "former": Case("viewer", 4, meetings=False),
}


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("name", list(CASES))
def test_feed_query_count_does_not_grow_with_rows(
    union: Union, django_assert_num_queries, name: str, size: int
) -> None:
    case = CASES[name]
    key = issue(get_user_model().objects.get(username=case.role))
    grow(union, size)
    if name == "former":
        # The home chamber's periods end (not through the service: grown terms are home's).
        union.home.periods.update(end=dt.date(2020, 1, 1))
    with django_assert_num_queries(case.queries, info=f"{name} with {size} rows"):
        response = fetch(key)
    events = parse(response).events
    assert len(events) == size * (2 if case.meetings else 1)
    if case.meetings:
        assert any(f"Item {size - 1}-1" in str(e.get("DESCRIPTION", "")) for e in events)


@pytest.mark.parametrize("size", SIZES)
def test_subscription_page_query_count(union: Union, django_assert_num_queries, size: int) -> None:
    """1 the session, 2 the user, 3 the active subscription, 4 the member login (the menu of
    base.html asks for the caller's access). Old (revoked) subscriptions add no queries."""
    user = get_user_model().objects.get(username="viewer")
    for _ in range(size):
        issue(user)
    client = union.client("viewer", api=False)
    with django_assert_num_queries(4):
        response = client.get("/calendar/")
    assert response.status_code == 200


@pytest.mark.parametrize("size", SIZES)
def test_admin_list_query_count(union: Union, django_assert_num_queries, size: int) -> None:
    """1 the session, 2 the user, 3-4 the counts (filtered and total), 5 the page of
    subscriptions with their users: the same for any number of rows."""
    for i in range(size):
        issue(get_user_model().objects.create_user(username=f"subscriber-{i}"))
    client = union.client("staff", api=False)
    with django_assert_num_queries(5):
        response = client.get("/admin/calendars/calendarsubscription/")
    assert response.status_code == 200
    assert response.context["cl"].result_count == size
    assert f"subscriber-{size - 1}" in response.content.decode()
