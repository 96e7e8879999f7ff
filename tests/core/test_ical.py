"""The iCalendar writer (core.ical): what it writes, ``icalendar``'s parser reads back as it
was given, in any script, with every line within 75 octets."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st
from icalendar import Calendar

from core import ical

# Text of any script, with the characters TEXT escapes and line breaks (no other controls).
texts = st.text(
    st.characters(blacklist_categories=["Cs", "Cc"]) | st.sampled_from([";", ",", "\\", "\n"]),
    max_size=300,
)


def _one(event: ical.Component) -> tuple[bytes, object]:
    body = ical.calendar("Feed, of; the \\ union", "-//test//EN", [event])
    [parsed] = Calendar.from_ical(body).events
    return body, parsed


@given(summary=texts, place=texts)
def test_any_text_is_read_back_as_written_and_lines_stay_short(summary, place):
    event = ical.event()
    event.raw("UID", "meeting-1@example.org")
    event.text("SUMMARY", summary)
    event.text("LOCATION", place)
    body, parsed = _one(event)
    assert str(parsed["SUMMARY"]) == summary
    assert str(parsed["LOCATION"]) == place
    assert all(len(line) <= 75 for line in body.split(b"\r\n"))
    assert b"\n" not in body.replace(b"\r\n", b"")  # every line ends CRLF


def test_times_dates_and_zones():
    event = ical.event()
    almaty = dt.datetime(2027, 5, 14, 10, 0, tzinfo=ZoneInfo("Asia/Almaty"))
    event.time("DTSTART", almaty)
    event.time("DTEND", dt.datetime(2027, 5, 14, 12, 0, tzinfo=ZoneInfo("UTC")))
    event.utc("DTSTAMP", almaty)
    event.date("DUE", dt.date(2027, 1, 1))
    body, parsed = _one(event)
    assert b"DTSTART;TZID=Asia/Almaty:20270514T100000\r\n" in body
    assert parsed["DTSTART"].dt == almaty
    assert parsed["DTEND"].to_ical() == b"20270514T120000Z"
    assert parsed["DTSTAMP"].to_ical() == b"20270514T050000Z"
    assert parsed["DUE"].dt == dt.date(2027, 1, 1)
    calendar = Calendar.from_ical(body)
    assert [tz["TZID"] for tz in calendar.timezones] == ["Asia/Almaty"]  # defined once
    assert b"X-WR-CALNAME:Feed\\, of\\; the \\\\ union\r\n" in body  # TEXT, escaped


def test_a_fold_never_splits_a_character_or_an_escape():
    line = "SUMMARY:" + "қ" * 40 + "\\," * 40
    folded = ical.fold(line)
    parts = folded.split("\r\n ")
    assert "".join(parts) == line
    assert all(len(part.encode()) <= 74 for part in parts[1:])
    assert len(parts[0].encode()) <= 75
    assert not any(part.endswith("\\") for part in parts[:-1])
