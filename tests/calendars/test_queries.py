"""Query counts of the calendar feed, the subscription page and the subscriptions admin, pinned
in ``tests/query_counts.py``.

Each request runs with 3 and with 60 meetings (each with two agenda items) and approved terms
(or subscriptions) and must cost the same, pinned number of queries.
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
from tests.query_counts import Pin, assert_expected_query_count

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
class Feed:
    """A login's feed: ``meetings`` says whether it holds the grown meetings (else only the
    terms)."""

    meetings: bool


FEEDS = {
    Pin("calendars:feed", "viewer"): Feed(meetings=True),
    Pin("calendars:feed", "staff"): Feed(meetings=True),
    Pin("calendars:feed", "viewer", "former chamber"): Feed(meetings=False),
}
PAGE = Pin("calendars:subscription", "viewer")
ADMIN = Pin("admin:calendars_calendarsubscription_changelist", "staff")
CASES = {**FEEDS, PAGE: "/calendar/", ADMIN: "/admin/calendars/calendarsubscription/"}


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("pin", list(FEEDS), ids=str)
def test_feed_query_count_does_not_grow_with_rows(
    union: Union, django_assert_num_queries, pin: Pin, size: int
) -> None:
    feed = FEEDS[pin]
    key = issue(get_user_model().objects.get(username=pin.caller))
    grow(union, size)
    if pin.scene == "former chamber":
        # The home chamber's periods end (not through the service: grown terms are home's).
        union.home.periods.update(end=dt.date(2020, 1, 1))
    with assert_expected_query_count(
        django_assert_num_queries, pin, f"/calendar/{key}.ics", size=size
    ):
        response = fetch(key)
    events = parse(response).events
    assert len(events) == size * (2 if feed.meetings else 1)
    if feed.meetings:
        assert any(f"Item {size - 1}-1" in str(e.get("DESCRIPTION", "")) for e in events)


@pytest.mark.parametrize("size", SIZES)
def test_subscription_page_query_count(union: Union, django_assert_num_queries, size: int) -> None:
    """Old (revoked) subscriptions add no queries."""
    user = get_user_model().objects.get(username="viewer")
    for _ in range(size):
        issue(user)
    client = union.client(PAGE.caller, api=False)
    with assert_expected_query_count(django_assert_num_queries, PAGE, CASES[PAGE], size=size):
        response = client.get(CASES[PAGE])
    assert response.status_code == 200


@pytest.mark.parametrize("size", SIZES)
def test_admin_list_query_count(union: Union, django_assert_num_queries, size: int) -> None:
    for i in range(size):
        issue(get_user_model().objects.create_user(username=f"subscriber-{i}"))
    client = union.client(ADMIN.caller, api=False)
    with assert_expected_query_count(django_assert_num_queries, ADMIN, CASES[ADMIN], size=size):
        response = client.get(CASES[ADMIN])
    assert response.status_code == 200
    assert response.context["cl"].result_count == size
    assert f"subscriber-{size - 1}" in response.content.decode()
