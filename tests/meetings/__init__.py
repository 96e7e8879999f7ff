"""Tests of the meetings app. Builders shared by its portal, calendar and browser tests make rows
through the services, as the secretariat would."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from meetings import services
from meetings.models import Meeting
from tests.factories import SYSTEM


def make_meeting(*, days_from_now: float = 30, hours: float = 6, **data: Any) -> Meeting:
    """A meeting (inviting every member and observer on its date) starting ``days_from_now``."""
    starts = timezone.now().replace(microsecond=0) + dt.timedelta(days=days_from_now)
    fields: dict[str, Any] = {
        "kind": "ga_extraordinary",
        "title": "Board meeting",
        "starts_at": starts,
        "ends_at": starts + dt.timedelta(hours=hours),
        "time_zone": "Asia/Almaty",
        "venue_city": "Astana",
        "venue_country": "KZ",
    }
    fields.update(data)
    return services.meeting_create(actor=SYSTEM, data=fields)
