"""Calendar feeds at scale (issue 16): a window of meetings (the last year and everything
planned), not every meeting ever, and 304 when the client already has the feed."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from meetings import services as meeting_services
from meetings.models import Meeting
from tests.calendars import issue, uids
from tests.factories import SYSTEM
from tests.scenes import make_meeting

pytestmark = pytest.mark.django_db


def fetch(key, **headers):
    """The feed as a calendar program polls it: no login."""
    return Client().get(f"/calendar/{key}.ics", **headers)


@pytest.fixture
def meetings(union):
    now = timezone.now()
    recent = make_meeting(title="Last spring", starts_at=now - dt.timedelta(days=200))
    old = make_meeting(title="Long ago", starts_at=now - dt.timedelta(days=800))
    Meeting.objects.filter(pk__in=[recent.pk, old.pk]).update(status="held")
    postponed = make_meeting(title="Postponed", starts_at=now - dt.timedelta(days=900))
    Meeting.objects.filter(pk=postponed.pk).update(status="postponed")
    ahead = make_meeting(title="Ahead", days_from_now=20)
    return {"recent": recent, "old": old, "postponed": postponed, "ahead": ahead}


def test_the_feeds_carry_the_last_year_and_what_is_planned(union, meetings):
    from django.contrib.auth import get_user_model

    want = {f"meeting-{meetings[k].pk}@testserver" for k in ("recent", "postponed", "ahead")}
    members = union.client("viewer", api=False).get("/meetings.ics")
    assert {u for u in uids(members) if u.startswith("meeting-")} == want
    key = issue(get_user_model().objects.get(username="staff"))
    personal = fetch(key)
    assert {u for u in uids(personal) if u.startswith("meeting-")} == want
    again = fetch(key, HTTP_IF_NONE_MATCH=personal["ETag"])
    assert again.status_code == 304


def test_a_client_that_has_the_feed_gets_304_until_it_changes(union, meetings):
    client = union.client("viewer", api=False)
    first = client.get("/meetings.ics")
    etag = first["ETag"]
    again = client.get("/meetings.ics", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again.content == b""
    meeting_services.meeting_update(
        actor=SYSTEM, meeting=meetings["ahead"], data={"venue_city": "Bishkek"}
    )
    changed = client.get("/meetings.ics", HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and changed["ETag"] != etag
