"""One rule for a meeting's times: typed in the admin as 10:00 in Asia/Almaty, it is 10:00+05:00
in the API, 10:00 (Asia/Almaty) on the portal and 10:00 with TZID=Asia/Almaty in the feeds."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
from icalendar import Calendar

from meetings.models import Meeting
from tests.html_forms import errors_on, read_form

ALMATY = zoneinfo.ZoneInfo("Asia/Almaty")


def _enter_in_admin(union) -> Meeting:
    client = union.client("staff", api=False)
    form = read_form(client.get("/admin/meetings/meeting/add/").content.decode(), "meeting_form")
    for name, value in {
        "kind": "ga_ordinary",
        "session_number": "9",
        "starts_at_0": "2027-05-14",
        "starts_at_1": "10:00",
        "ends_at_0": "2027-05-14",
        "ends_at_1": "17:30",
        "time_zone": "Asia/Almaty",
        "venue_city": "Astana",
    }.items():
        form.set(name, value)
    response = client.post("/admin/meetings/meeting/add/", form.for_post())
    assert response.status_code == 302, errors_on(response.content.decode())
    return Meeting.objects.get(session_number=9)


def test_ten_in_almaty_everywhere(union):
    meeting = _enter_in_admin(union)
    assert meeting.starts_at == dt.datetime(2027, 5, 14, 10, tzinfo=ALMATY)

    api = union.client("viewer").get(f"/api/v1/meetings/{meeting.pk}/").json()
    assert (api["starts_at"], api["ends_at"]) == (
        "2027-05-14T10:00:00+05:00",
        "2027-05-14T17:30:00+05:00",
    )
    listed = union.client("viewer").get("/api/v1/meetings/").json()["results"]
    assert listed[0]["starts_at"] == "2027-05-14T10:00:00+05:00"

    page = union.client("viewer", api=False).get(f"/meetings/{meeting.pk}/").content.decode()
    assert "2027-05-14 10:00" in page and "Asia/Almaty" in page

    for url in (f"/meetings/{meeting.pk}.ics", "/meetings.ics"):
        feed = union.client("viewer", api=False).get(url).content
        [event] = Calendar.from_ical(feed).events
        assert event["DTSTART"].params["TZID"] == "Asia/Almaty"
        assert event["DTSTART"].to_ical() == b"20270514T100000"
        assert event.decoded("DTSTART") == dt.datetime(2027, 5, 14, 10, tzinfo=ALMATY)
        assert b"BEGIN:VTIMEZONE" in feed and b"TZID:Asia/Almaty" in feed


def test_an_api_time_without_offset_is_read_in_the_meetings_zone(union):
    staff = union.client("staff")
    created = staff.post(
        "/api/v1/meetings/",
        {
            "kind": "board",
            "starts_at": "2027-06-01T10:00:00",
            "ends_at": "2027-06-01T12:00:00",
            "time_zone": "Europe/Istanbul",
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    assert created.json()["starts_at"] == "2027-06-01T10:00:00+03:00"


@pytest.mark.parametrize(
    ("starts_at", "zone"),
    [
        ("0001-01-01T00:00:00", "Asia/Almaty"),  # year 0 in UTC
        ("9999-12-31T20:00:00", "Etc/GMT+12"),  # year 10000 in UTC
        ("0139-05-16T18:50:03-22:47", "UTC"),  # an offset PostgreSQL refuses
        ("1850-01-01T10:00:00", "UTC"),
    ],
)
def test_a_time_out_of_range_is_refused_and_nothing_breaks(union, starts_at, zone):
    staff = union.client("staff")
    response = staff.post(
        "/api/v1/meetings/",
        {
            "kind": "board",
            "starts_at": starts_at,
            "ends_at": "2030-01-01T10:00:00",
            "time_zone": zone,
        },
        format="json",
    )
    assert response.status_code == 400 and "starts_at" in response.json(), response.json()
    assert not Meeting.objects.exists()
    assert staff.get("/api/v1/meetings/").status_code == 200
