"""The iCalendar feed of the approved terms: public, it parses, and each term is an all-day event
from its first day to the day after its last."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from icalendar import Calendar

from chambers.models import Chamber
from rotation import services
from rotation.models import Term
from tests.factories import SYSTEM


@pytest.fixture
def demo(db, monkeypatch):
    """The demo, seen from mid-2026 (Kazakhstan chairing) whatever the real date."""
    from django.utils import timezone

    call_command("load_demo")
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: dt.date(2026, 6, 1))


def feed() -> Calendar:
    response = Client().get("/rotation.ics")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert "attachment" not in response.get("Content-Disposition", "")
    return Calendar.from_ical(response.content)


def test_feed_has_both_approved_terms(demo):
    before = timezone.now().replace(microsecond=0)
    calendar = feed()
    after = timezone.now()
    assert calendar["VERSION"] == "2.0" and calendar["PRODID"]
    assert str(calendar["X-WR-CALNAME"]) == "Chairmanship of the union"
    events = {str(event["UID"]): event for event in calendar.events}
    azerbaijan = Term.objects.get(chamber__slug="azerbaijan-cci")
    kazakhstan = Term.objects.get(chamber__slug="atameken")
    assert set(events) == {f"term-{azerbaijan.pk}@testserver", f"term-{kazakhstan.pk}@testserver"}

    kz = events[f"term-{kazakhstan.pk}@testserver"]
    assert str(kz["SUMMARY"]) == "Chairmanship: Atameken (Kazakhstan)"
    assert kz.decoded("DTSTART") == dt.date(2026, 1, 1)
    assert kz.decoded("DTEND") == dt.date(2027, 1, 1)  # all-day DTEND is exclusive
    assert kz["DTSTART"].to_ical() == b"20260101" and kz["DTSTART"].params["VALUE"] == "DATE"
    assert str(kz["DESCRIPTION"]) == "President: Raimbek Batalov, Chairman of the Presidium"
    assert str(kz["URL"]) == f"http://testserver/rotation/terms/{kazakhstan.pk}/"
    assert str(kz["TRANSP"]) == "TRANSPARENT" and str(kz["STATUS"]) == "CONFIRMED"
    # DTSTAMP: when the feed was made, in UTC (RFC 5545 requires it on every event).
    assert kz["DTSTAMP"].to_ical().endswith(b"Z")
    assert before <= kz.decoded("DTSTAMP") <= after

    az = events[f"term-{azerbaijan.pk}@testserver"]
    assert str(az["SUMMARY"]) == "Chairmanship: ACCI (Azerbaijan)"
    assert "DESCRIPTION" not in az  # no President recorded for 2025


def test_waived_and_proposed_terms_are_not_in_the_feed(demo):
    services.term_waive(
        actor=SYSTEM, chamber=Chamber.objects.get(slug="kyrgyzstan-cci"), start=dt.date(2027, 1, 1)
    )
    services.turns_swap(
        actor=SYSTEM,
        chamber_a=Chamber.objects.get(slug="turkmenistan-cci"),
        chamber_b=Chamber.objects.get(slug="uzbekistan-cci"),
        start_a=dt.date(2028, 1, 1),
        start_b=dt.date(2029, 1, 1),
    )
    starts = sorted(event.decoded("DTSTART") for event in feed().events)
    assert starts == [dt.date(2025, 1, 1), dt.date(2026, 1, 1)]


def test_uid_stays_when_the_term_changes(demo):
    term = Term.objects.get(chamber__slug="atameken")
    before = {str(e["UID"]) for e in feed().events}
    services.handover_record(actor=SYSTEM, term=term, date=dt.date(2026, 1, 9))
    assert {str(e["UID"]) for e in feed().events} == before
