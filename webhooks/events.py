"""What each webhook event says: the ``data`` of its payload, built from the changed rows.

These are subscribers of the domain events (:mod:`core.events`), run inside the emitting
service's transaction, so a delivery exists exactly when the change commits. Field names are a
contract with integrators: add fields, never rename or remove one. No secrets, no translated
text: ids, slugs, codes and ISO dates. The data is built only when someone subscribes to the
event.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from chambers.events import MembershipChanged
from chambers.models import Chamber, MembershipTimeline
from chambers.selectors import chamber_periods
from core.events import Phase, subscribe
from core.translated import values as translated_values
from indicators.events import IndicatorRevised
from indicators.services import plain
from meetings.events import (
    DecisionAdopted,
    MeetingCreated,
    MeetingUpdated,
    ProcedureClosed,
    ProcedureOpened,
)
from meetings.models import Decision, Meeting, Procedure
from rotation.events import TermApproved

from .models import EventType
from .services import webhooks_emit


def _chamber(chamber: Chamber | None) -> dict[str, Any] | None:
    if chamber is None:
        return None
    return {"id": chamber.pk, "slug": chamber.slug, "country": str(chamber.country)}


def _meeting(meeting: Meeting) -> dict[str, Any]:
    return {
        "id": meeting.pk,
        "kind": meeting.kind,
        "session_number": meeting.session_number,
        "title": meeting.title,
        "titles": translated_values(meeting, "title"),
        "starts_at": meeting.local_starts_at,
        "ends_at": meeting.local_ends_at,
        "time_zone": meeting.time_zone,
        "format": meeting.format,
        "venue_city": meeting.venue_city,
        "venue_country": str(meeting.venue_country) or None,
        "host": _chamber(meeting.host),
        "status": meeting.status,
        "minutes_published": meeting.minutes_published,
    }


def meeting_saved(event: MeetingCreated | MeetingUpdated) -> None:
    """``meeting.created`` or ``meeting.updated``."""
    webhooks_emit(event.name, lambda: {"meeting": _meeting(event.meeting)})


def _decision(decision: Decision) -> dict[str, Any]:
    return {
        "id": decision.pk,
        "number": decision.number,
        "year": decision.year,
        "kind": decision.kind,
        "title": decision.title,
        "titles": translated_values(decision, "title"),
        "method": decision.method,
        "adopted_at": decision.adopted_at,
        "published": decision.published,
        "effects": decision.effects,
    }


def _decision_meeting(decision: Decision) -> dict[str, Any] | None:
    """The meeting a decision belongs to, briefly; ``None`` for one between sessions."""
    meeting = decision.meeting
    if meeting is None:
        return None
    return {
        "id": meeting.pk,
        "kind": meeting.kind,
        "session_number": meeting.session_number,
        "starts_at": meeting.local_starts_at,
    }


def decision_adopted(event: DecisionAdopted) -> None:
    """``decision.adopted``: the decision, its meeting (null between sessions) and the effects
    it applied; ``procedure_id`` when a written procedure adopted it."""
    decision = event.decision

    def data() -> dict[str, Any]:
        procedure = (
            decision.procedures.filter(state="closed", adopted=True)
            .values_list("pk", flat=True)
            .first()
        )
        return {
            "decision": _decision(decision),
            "meeting": _decision_meeting(decision),
            "procedure_id": procedure,
        }

    webhooks_emit(EventType.DECISION_ADOPTED, data)


def _procedure(procedure: Procedure) -> dict[str, Any]:
    return {
        "id": procedure.pk,
        "mode": procedure.mode,
        "state": procedure.state,
        "opened_at": procedure.opened_at,
        "closes_at": procedure.closes_at,
        "closed_at": procedure.closed_at,
        "voters": sorted(procedure.voters.values_list("slug", flat=True)),
        "adopted": procedure.adopted,
        "outcome": procedure.outcome or None,
        "effects_refused": procedure.refusal or None,
    }


def procedure_event(event: ProcedureOpened | ProcedureClosed) -> None:
    """``procedure.opened`` and ``procedure.closed`` (also when withdrawn: ``state`` says so):
    the procedure, its decision and the meeting that referred it (if any)."""
    procedure = event.procedure

    def data() -> dict[str, Any]:
        decision = procedure.decision
        return {
            "procedure": _procedure(procedure),
            "decision": _decision(decision),
            "meeting": _decision_meeting(decision),
        }

    webhooks_emit(event.name, data)


def term_approved(event: TermApproved) -> None:
    """``term.approved``: who chairs, from when to when, on which decision."""
    term = event.term
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


def membership_changed(event: MembershipChanged) -> None:
    """``membership.changed``: the chamber's new status from ``effective`` (``former`` when it
    left) and the decision behind it, with its whole membership history as it now stands.
    When the history was edited as a whole (the admin's periods) ``effective`` is null and
    ``status`` is the status today."""
    chamber = event.chamber

    def data() -> dict[str, Any]:
        periods = list(chamber_periods(chamber=chamber))
        today = timezone.localdate()
        timeline = MembershipTimeline((chamber.pk, p.start, p.end, p.status) for p in periods)
        status_today = timeline.status_on(chamber.pk, today)
        return {
            "chamber": _chamber(chamber),
            "status": event.status or status_today,
            "effective": event.effective,
            "decision_id": getattr(event.decision, "pk", None),
            "status_today": status_today,
            "periods": [
                {"status": p.status, "start": p.start, "end": p.end, "decision_id": p.decision_id}
                for p in periods
            ],
        }

    webhooks_emit(EventType.MEMBERSHIP_CHANGED, data)


def indicator_revised(event: IndicatorRevised) -> None:
    """``indicator.revised``: a figure recorded for a period (``previous`` null) or revised,
    with its series; values are exact decimals as strings."""
    value = event.value

    def data() -> dict[str, Any]:
        series = value.series
        return {
            "series": {
                "id": series.pk,
                "reporter": series.reporter.code,
                "partner": series.partner,
                "flow": series.flow,
                "key": series.key,
                "unit": series.unit,
                "published": series.published,
            },
            "period": value.period.code,
            "value": plain(value.value),
            "previous": plain(event.previous) if event.previous is not None else None,
            "revision": value.revision,
            "source_name": value.source_name,
            "source_url": value.source_url,
        }

    webhooks_emit(EventType.INDICATOR_REVISED, data)


def subscribe_all() -> None:
    """Subscribe the payload builders to the domain events (``WebhooksConfig.ready``)."""
    subscribe(MeetingCreated, meeting_saved, phase=Phase.IN_TRANSACTION)
    subscribe(MeetingUpdated, meeting_saved, phase=Phase.IN_TRANSACTION)
    subscribe(DecisionAdopted, decision_adopted, phase=Phase.IN_TRANSACTION)
    subscribe(TermApproved, term_approved, phase=Phase.IN_TRANSACTION)
    subscribe(ProcedureOpened, procedure_event, phase=Phase.IN_TRANSACTION)
    subscribe(ProcedureClosed, procedure_event, phase=Phase.IN_TRANSACTION)
    subscribe(MembershipChanged, membership_changed, phase=Phase.IN_TRANSACTION)
    subscribe(IndicatorRevised, indicator_revised, phase=Phase.IN_TRANSACTION)
