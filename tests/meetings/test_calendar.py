"""The iCalendar feed of meetings and the one-meeting file: they parse, and say the right things."""

from __future__ import annotations

import datetime as dt

import pytest
from icalendar import Calendar

from meetings import services
from tests.factories import SYSTEM
from tests.scenes import make_meeting

STARTS = dt.datetime(2031, 1, 8, 4, 0, tzinfo=dt.UTC)  # 09:00 in Astana


@pytest.fixture
def assembly(union):
    meeting = make_meeting(
        kind="ga_ordinary",
        session_number=3,
        title="",
        starts_at=STARTS,
        ends_at=STARTS + dt.timedelta(hours=8),
        host=union.home,
    )
    services.agenda_item_add(actor=SYSTEM, meeting=meeting, data={"title": "Opening"})
    services.agenda_item_add(actor=SYSTEM, meeting=meeting, data={"title": "Chairmanship, 2027"})
    return meeting


def parse(response) -> Calendar:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(response.content)


def test_one_meeting_file(union, assembly):
    response = union.client("viewer", api=False).get(f"/meetings/{assembly.pk}.ics")
    assert response["Content-Disposition"] == f'attachment; filename="meeting-{assembly.pk}.ics"'
    calendar = parse(response)
    assert calendar["VERSION"] == "2.0" and calendar["PRODID"]
    [event] = calendar.events
    assert str(event["UID"]) == f"meeting-{assembly.pk}@testserver"
    assert str(event["SUMMARY"]) == "III General Assembly"
    assert event.decoded("DTSTART") == STARTS
    assert event.decoded("DTEND") == STARTS + dt.timedelta(hours=8)
    assert event["DTSTART"].to_ical() == b"20310108T090000"  # in the meeting's zone, named
    assert event["DTSTART"].params["TZID"] == "Asia/Almaty"
    assert str(event["LOCATION"]) == "Astana, Kazakhstan"
    assert str(event["STATUS"]) == "CONFIRMED"
    assert str(event["DESCRIPTION"]) == "Agenda:\n1. Opening\n2. Chairmanship, 2027"
    assert str(event["URL"]) == f"http://testserver/meetings/{assembly.pk}/"


def test_feed_has_one_event_per_meeting_with_its_status(union, assembly):
    postponed = make_meeting(title="Board", status="postponed", days_from_now=60)
    cancelled = make_meeting(
        title="Online working group",
        status="cancelled",
        format="online",
        venue_city="",
        venue_country="",
    )
    response = union.client("viewer", api=False).get("/meetings.ics")
    assert "attachment" not in response.get("Content-Disposition", "")
    events = {str(event["UID"]): event for event in parse(response).events}
    assert set(events) == {
        f"meeting-{meeting.pk}@testserver" for meeting in (assembly, postponed, cancelled)
    }
    assert str(events[f"meeting-{postponed.pk}@testserver"]["STATUS"]) == "TENTATIVE"
    online = events[f"meeting-{cancelled.pk}@testserver"]
    assert str(online["STATUS"]) == "CANCELLED"
    assert str(online["LOCATION"]) == "Online"
    assert "DESCRIPTION" not in online  # no agenda yet


def test_uid_stays_when_the_meeting_changes(union, assembly):
    client = union.client("viewer", api=False)
    before = parse(client.get(f"/meetings/{assembly.pk}.ics")).events[0]
    services.meeting_update(
        actor=SYSTEM, meeting=assembly, data={"status": "postponed", "venue_city": "Almaty"}
    )
    after = parse(client.get(f"/meetings/{assembly.pk}.ics")).events[0]
    assert str(after["UID"]) == str(before["UID"])
    assert str(after["LOCATION"]) == "Almaty, Kazakhstan"
    assert str(after["STATUS"]) == "TENTATIVE"


def test_calendar_is_for_members(union, assembly):
    response = union.client("anonymous", api=False).get("/meetings.ics")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert (
        union.client("anonymous", api=False).get(f"/meetings/{assembly.pk}.ics").status_code == 302
    )
    assert union.client("staff", api=False).get("/meetings.ics").status_code == 200
    assert union.client("viewer", api=False).get("/meetings/999999.ics").status_code == 404
