"""Reads of the rotation in the shapes the API and the portal show, each at a fixed number of
queries (the forecast reads the order, the terms, the periods and the chambers once)."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from chambers.models import Contact

from . import services
from .models import Rotation, Term, TermState


def term_list() -> QuerySet[Term]:
    return Term.objects.select_related("chamber", "president", "decision").order_by("start", "pk")


def _president(contact: Contact | None) -> dict[str, Any] | None:
    if contact is None:
        return None
    return {"id": contact.pk, "name": contact.name, "position": contact.position}


def forecast_rows(
    *, years: int | None = None, count: int | None = None, today: dt.date | None = None
) -> list[dict[str, Any]]:
    """The forecast as plain rows (slugs, countries, reasons): ``years`` ahead, or ``count``
    terms."""
    rotation = Rotation.current()
    if count is None:
        count = max(1, math.ceil((years or 10) * 12 / rotation.term_months))
    result = services.rotation_forecast(count=count, today=today)
    approved = {
        t.pk: t
        for t in Term.objects.filter(
            pk__in=[f.term_id for f in result.terms if f.term_id]
        ).select_related("president")
    }
    rows: list[dict[str, Any]] = []
    for term in result.terms:
        chamber = None if term.chamber_id is None else result.chambers.get(term.chamber_id)
        held = None if term.term_id is None else approved.get(term.term_id)
        rows.append(
            {
                "start": term.start,
                "end": term.end,
                "chamber": chamber.slug if chamber else None,
                "chamber_obj": chamber,
                "country": chamber.country.code if chamber else None,
                "approved": term.approved,
                "proposed": term.proposed,
                "president": _president(held.president) if held else None,
                "skipped": [
                    {
                        "chamber": result.chambers[s.chamber_id].slug,
                        "reason": s.reason,
                        "chamber_obj": result.chambers[s.chamber_id],
                    }
                    for s in term.skipped
                ],
            }
        )
    return rows


def troika(*, today: dt.date | None = None) -> dict[str, dict[str, Any] | None]:
    """Previous, current and next chair, in the forecast's row shape."""
    today = today or timezone.localdate()
    rotation = Rotation.current()
    current, upcoming = forecast_rows(count=2, today=today)
    previous_term = (
        term_list()
        .filter(state=TermState.APPROVED, end__lt=rotation.slot_start(today))
        .order_by("-start")
        .first()
    )
    previous = None
    if previous_term is not None:
        previous = {
            "start": previous_term.start,
            "end": previous_term.end,
            "chamber": previous_term.chamber.slug,
            "chamber_obj": previous_term.chamber,
            "country": previous_term.chamber.country.code,
            "approved": True,
            "proposed": False,
            "president": _president(previous_term.president),
            "skipped": [],
        }
    return {"previous": previous, "current": current, "next": upcoming}


def order_rows() -> dict[str, Any]:
    rotation = Rotation.current()
    places = rotation.places.select_related("chamber").order_by("position")
    return {
        "kind": rotation.order_kind,
        "decision": rotation.order_decision_id,
        "term_months": rotation.term_months,
        "chambers": [
            {
                "position": p.position,
                "chamber": p.chamber.slug,
                "country": p.chamber.country.code,
                "name": p.chamber.name,
            }
            for p in places
        ],
    }
