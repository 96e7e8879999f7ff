"""The site's routes and, under ``/bench-floor/``, the floor of each measured endpoint: the
same rows read with ``.values()`` and returned by ``JsonResponse``, nothing else. A page or
endpoint is measured against its floor in the same run, so the figure says what our code costs
above what the stack itself costs on this machine."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, JsonResponse
from django.urls import path
from django.utils import timezone

from chambers.models import Chamber, Contact
from config.urls import urlpatterns as site
from meetings.models import Decision, Meeting
from rotation.models import Term

CHAMBER = ("id", "slug", "name", "short_name", "country", "city")
CONTACT = ("id", "chamber_id", "name", "position", "email", "phone", "is_head", "active")
MEETING = ("id", "kind", "title", "starts_at", "ends_at", "venue_city", "status")
DECISION = ("id", "meeting_id", "number", "kind", "title", "method", "adopted_at")
TERM = ("id", "chamber_id", "start", "end", "state")


def _window() -> Any:
    return Meeting.objects.filter(starts_at__gte=timezone.now() - dt.timedelta(days=365))


FLOORS: dict[str, Callable[[HttpRequest], Any]] = {
    "chambers": lambda r: Chamber.objects.order_by("name").values(*CHAMBER)[:50],
    "chambers-all": lambda r: Chamber.objects.order_by("name").values(*CHAMBER),
    "contacts": lambda r: (
        Contact.objects.filter(chamber__slug=r.GET["chamber"])
        .order_by("name")
        .values(*CONTACT)[:50]
    ),
    "contacts-all": lambda r: Contact.objects.order_by("chamber_id", "name").values(*CONTACT),
    "meetings": lambda r: Meeting.objects.order_by("-starts_at").values(*MEETING)[:50],
    "meetings-window": lambda r: _window().order_by("starts_at").values(*MEETING),
    "decisions": lambda r: Decision.objects.order_by("-id").values(*DECISION)[:50],
    "terms": lambda r: Term.objects.order_by("-start").values(*TERM)[:100],
}


def floor(request: HttpRequest, name: str) -> JsonResponse:
    return JsonResponse({"results": list(FLOORS[name](request))})


urlpatterns = [path("bench-floor/<str:name>/", floor), *site]
