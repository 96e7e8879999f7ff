"""Reads of the rotation in the shapes the API and the portal show, each at a fixed number of
queries (the forecast reads the order, the terms, the periods and the chambers once)."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.utils import timezone

from chambers.models import Contact

from . import services
from .forecast import ForecastTerm
from .models import Rotation, RotationPlace, Term


def term_list() -> QuerySet[Term]:
    return Term.objects.select_related("chamber", "president", "decision").order_by("start", "pk")


def _president(contact: Contact | None) -> dict[str, Any] | None:
    if contact is None:
        return None
    return {"id": contact.pk, "name": contact.name, "position": contact.position}


def _state(term: ForecastTerm) -> str:
    """The term in one word: approved, proposed (by a swap), not_recorded (it passed without
    an approved term) or forecast."""
    if term.approved:
        return "approved"
    if term.unrecorded:
        return "not_recorded"
    return "proposed" if term.proposed else "forecast"


def _rows(result: services.Forecast, terms: list[ForecastTerm]) -> list[dict[str, Any]]:
    """Forecast terms as plain rows (slugs, countries, reasons), the recorded ones with their
    President (one query)."""
    approved = {
        t.pk: t
        for t in Term.objects.filter(pk__in=[f.term_id for f in terms if f.term_id]).select_related(
            "president"
        )
    }
    rows: list[dict[str, Any]] = []
    for term in terms:
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
                "unrecorded": term.unrecorded,
                "state": _state(term),
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


def forecast_rows(
    *, years: int | None = None, count: int | None = None, today: dt.date | None = None
) -> list[dict[str, Any]]:
    """The forecast as plain rows: the past terms that passed without a recorded approval
    (``unrecorded``, oldest first), then ``years`` ahead from the current term, or ``count``
    terms."""
    rotation = Rotation.current()
    if count is None:
        count = max(1, math.ceil((years or 10) * 12 / rotation.term_months))
    result = services.rotation_forecast(count=count, today=today)
    return _rows(result, [*result.unrecorded, *result.terms])


def troika(*, today: dt.date | None = None) -> dict[str, dict[str, Any] | None]:
    """Previous, current and next chair, in the forecast's row shape. The previous one is the
    term just before the current one: approved, or unrecorded (it passed without an approved
    term; ``state`` says which); None when nothing leads to the current term."""
    result = services.rotation_forecast(count=2, today=today or timezone.localdate())
    previous = result.previous
    shown = [term for term in (previous, *result.terms[:2]) if term is not None]
    rows = iter(_rows(result, shown))
    return {
        "previous": next(rows) if previous is not None else None,
        "current": next(rows, None),
        "next": next(rows, None),
    }


def _place(place: RotationPlace) -> dict[str, Any]:
    return {
        "position": place.position,
        "chamber": place.chamber.slug,
        "country": place.chamber.country.code,
        "name": place.chamber.name,
    }


def _order(rotation: Rotation) -> dict[str, Any]:
    return {
        "kind": rotation.order_kind,
        "decision": rotation.order_decision_id,
        "term_months": rotation.term_months,
    }


def order_rows() -> dict[str, Any]:
    """The order as the API gives it: the settings and every place."""
    rotation = Rotation.current()
    places = rotation.places.select_related("chamber").order_by("position")
    return {**_order(rotation), "chambers": [_place(p) for p in places]}


#: Places of the order on a page of the rotation page.
ORDER_PAGE = 100


def order_page(
    number: str | None = None,
) -> tuple[dict[str, Any], list[dict[str, Any]], Page[RotationPlace]]:
    """The order's settings, a page of its places as rows and the page (a count and the page:
    an order of 12,000 chambers is not one table)."""
    rotation = Rotation.current()
    places = rotation.places.select_related("chamber").order_by("position")
    page = Paginator(places, ORDER_PAGE).get_page(number)
    return _order(rotation), [_place(p) for p in page], page
