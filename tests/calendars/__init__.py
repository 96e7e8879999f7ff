"""Tests of the calendar subscriptions: the portal page, the services and the secret feed."""

from __future__ import annotations

import datetime as dt

from django.test import Client
from django.utils import timezone
from icalendar import Calendar

from calendars import services
from chambers.models import Chamber
from core.access import access_for_user
from rotation.models import Term, TermState
from tests.factories import TermFactory


def issue(user) -> str:
    """A new secret key for ``user``, issued through the service as the user would."""
    return services.subscription_issue(actor=access_for_user(user))[1]


def fetch(key: str):
    """The feed as a calendar program fetches it: no login."""
    return Client().get(f"/calendar/{key}.ics")


def parse(response) -> Calendar:
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(response.content)


def uids(response) -> set[str]:
    return {str(event["UID"]) for event in parse(response).events}


def make_term(chamber: Chamber, year: int, state: str = TermState.APPROVED) -> Term:
    """A term straight into the table (volume, not behaviour: tests/rotation test approvals)."""
    return TermFactory(chamber=chamber, year=year, state=state)


def now() -> dt.datetime:
    return timezone.now()
