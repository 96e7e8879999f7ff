"""What each webhook event says: the ``data`` of its payload, built from the changed rows.

The writing services call these inside their transaction, after the change (imported lazily
there, so the apps do not import each other at load time). Field names are a contract with
integrators: add fields, never rename or remove one. No secrets, no translated text: ids,
slugs, codes and ISO dates. The data is built only when someone subscribes to the event.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from .models import EventType
from .services import webhooks_emit


def _chamber(chamber) -> dict[str, Any] | None:
    if chamber is None:
        return None
    return {"id": chamber.pk, "slug": chamber.slug, "country": str(chamber.country)}


def _meeting(meeting) -> dict[str, Any]:
    return {
        "id": meeting.pk,
        "kind": meeting.kind,
        "session_number": meeting.session_number,
        "title": meeting.title,
        "starts_at": meeting.starts_at,
        "ends_at": meeting.ends_at,
        "time_zone": meeting.time_zone,
        "format": meeting.format,
        "venue_city": meeting.venue_city,
        "venue_country": str(meeting.venue_country) or None,
        "host": _chamber(meeting.host),
        "status": meeting.status,
        "minutes_published": meeting.minutes_published,
    }


def meeting_saved(meeting, *, created: bool) -> None:
    """``meeting.created`` or ``meeting.updated``."""
    event = EventType.MEETING_CREATED if created else EventType.MEETING_UPDATED
    webhooks_emit(event, lambda: {"meeting": _meeting(meeting)})


def decision_adopted(decision) -> None:
    """``decision.adopted``: the decision, its meeting and the effects it applied."""

    def data() -> dict[str, Any]:
        meeting = decision.meeting
        return {
            "decision": {
                "id": decision.pk,
                "number": decision.number,
                "kind": decision.kind,
                "title": decision.title,
                "method": decision.method,
                "adopted_at": decision.adopted_at,
                "published": decision.published,
                "effects": decision.effects,
            },
            "meeting": {
                "id": meeting.pk,
                "kind": meeting.kind,
                "session_number": meeting.session_number,
                "starts_at": meeting.starts_at,
            },
        }

    webhooks_emit(EventType.DECISION_ADOPTED, data)


def term_approved(term) -> None:
    """``term.approved``: who chairs, from when to when, on which decision."""
    webhooks_emit(
        EventType.TERM_APPROVED,
        lambda: {
            "term": {
                "id": term.pk,
                "chamber": _chamber(term.chamber),
                "start": term.start,
                "end": term.end,
                "state": term.state,
                "president_id": term.president_id,
                "decision_id": term.decision_id,
            }
        },
    )


def membership_changed(
    chamber, *, status: str | None = None, effective=None, decision=None
) -> None:
    """``membership.changed``: the chamber's new status from ``effective`` (``former`` when it
    left) and the decision behind it, with its whole membership history as it now stands.
    When the history was edited as a whole (the admin's periods) ``effective`` is null and
    ``status`` is the status today."""
    from chambers.models import FORMER, MembershipPeriod

    def data() -> dict[str, Any]:
        periods = list(MembershipPeriod.objects.filter(chamber=chamber).order_by("start"))
        today = timezone.localdate()
        current = next(
            (p for p in periods if p.start <= today and (p.end is None or p.end >= today)), None
        )
        status_today = current.status if current else FORMER
        return {
            "chamber": _chamber(chamber),
            "status": status or status_today,
            "effective": effective,
            "decision_id": getattr(decision, "pk", None),
            "status_today": status_today,
            "periods": [
                {"status": p.status, "start": p.start, "end": p.end, "decision_id": p.decision_id}
                for p in periods
            ],
        }

    webhooks_emit(EventType.MEMBERSHIP_CHANGED, data)
