"""Portal pages of the rotation: the timeline with the forecast and the order, one term's page,
and the iCalendar feed of the approved terms.

All three are public: who chairs the union, and when, is no secret; the forecast and the order
are shown to members only (as in the API). A term's approving decision
is named only where the register of decisions would show it (adopted and published, or to a
member), and the handover meeting links to its page only for members, who may open it. Reads go
through :mod:`rotation.selectors`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse
from django.http.request import split_domain_port
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET
from django_countries import countries

from chambers.models import Chamber
from core.access import access_for_request
from core.pages import query_without

from . import calendar, selectors
from .forecast import SKIP_REASONS
from .models import OrderKind, TermState

#: How far ahead the rotation page forecasts.
FORECAST_YEARS = 10

#: How a term is drawn on the timeline, in words (the legend and each block).
KIND_LABELS = {
    "past": _("Past"),
    "current": _("Current"),
    "approved": _("Approved, upcoming"),
    "proposed": _("Proposed"),
    "forecast": _("Forecast"),
    "unrecorded": _("Not recorded"),
    "vacant": _("No eligible chamber"),
}

PHASE_LABELS = {"past": _("Past"), "current": _("Current"), "upcoming": _("Upcoming")}


@dataclass(frozen=True)
class Skipped:
    """A chamber passed over for a term, with the reason in words."""

    chamber: Chamber
    reason: str


@dataclass(frozen=True)
class TimelineTerm:
    """One block of the timeline and one row of the forecast table."""

    start: dt.date
    end: dt.date
    chamber: Chamber | None
    kind: str  # a key of KIND_LABELS
    approved: bool
    proposed: bool = False
    term_id: int | None = None  # the recorded term, for a link to its page
    president: dict | None = None  # name and position
    skipped: tuple[Skipped, ...] = ()

    @property
    def kind_label(self) -> str:
        return str(KIND_LABELS[self.kind])

    @property
    def status_label(self) -> str:
        if self.kind == "unrecorded":
            return str(KIND_LABELS["unrecorded"])
        if self.chamber is None:
            return str(KIND_LABELS["vacant"])
        if self.approved:
            return str(_("Approved"))
        return str(KIND_LABELS["proposed" if self.proposed else "forecast"])


def _kind(row: dict, today: dt.date) -> str:
    if row["unrecorded"]:  # it passed without an approved term: whose turn it was
        return "unrecorded"
    if row["chamber_obj"] is None:
        return "vacant"
    if row["start"] <= today <= row["end"]:
        return "current"
    if row["approved"]:
        return "approved"
    return "proposed" if row["proposed"] else "forecast"


def _timeline(today: dt.date) -> list[TimelineTerm]:
    """The approved terms before the current one and the past terms that passed without one
    (not recorded), in time order, then the forecast from the current one."""
    recorded = list(
        selectors.term_list().filter(state__in=[TermState.APPROVED, TermState.PROPOSED])
    )
    rows = selectors.forecast_rows(years=FORECAST_YEARS, today=today)
    ahead = [row for row in rows if not row["unrecorded"]]
    first = ahead[0]["start"] if ahead else dt.date.max
    past = [
        TimelineTerm(
            start=term.start,
            end=term.end,
            chamber=term.chamber,
            kind="past",
            approved=True,
            term_id=term.pk,
            president=(
                {"name": term.president.name, "position": term.president.position}
                if term.president
                else None
            ),
        )
        for term in recorded
        if term.state == TermState.APPROVED and term.start < first
    ]
    # A forecast row of an approved or proposed term is that recorded term: link its page.
    recorded_ids = {(term.start, term.chamber.slug): term.pk for term in recorded}
    forecast = [
        TimelineTerm(
            start=row["start"],
            end=row["end"],
            chamber=row["chamber_obj"],
            kind=_kind(row, today),
            approved=row["approved"],
            proposed=row["proposed"],
            term_id=(
                recorded_ids.get((row["start"], row["chamber"]))
                if row["approved"] or row["proposed"]
                else None
            ),
            president=row["president"],
            skipped=tuple(
                Skipped(chamber=skip["chamber_obj"], reason=str(SKIP_REASONS[skip["reason"]]))
                for skip in row["skipped"]
            ),
        )
        for row in rows
    ]
    return sorted(past + forecast, key=lambda term: term.start)


@require_GET
def rotation_overview(request: HttpRequest) -> HttpResponse:
    """The timeline of past, current and forecast terms, the forecast with every skip
    explained, and the order."""
    today = timezone.localdate()
    is_member = access_for_request(request).is_member
    timeline = _timeline(today)
    if not is_member:  # the public sees the approved terms; the forecast is for members
        timeline = [term for term in timeline if term.approved]
    order, rows, page = selectors.order_page(request.GET.get("order"))
    places = [{**place, "country_name": countries.name(place["country"])} for place in rows]
    context = {
        "timeline": timeline,
        "forecast": [term for term in timeline if term.kind != "past"],
        "legend": [(kind, KIND_LABELS[kind]) for kind in KIND_LABELS],
        "years": FORECAST_YEARS,
        "order_kind": OrderKind(order["kind"]).label,
        "term_months": order["term_months"],
        "places": places,
        "order_page": page,
        "order_query": query_without(request, "order"),
        "is_member": is_member,
    }
    return render(request, "rotation/rotation.html", context)


@require_GET
def term_detail(request: HttpRequest, pk: int) -> HttpResponse:
    access = access_for_request(request)
    term = get_object_or_404(
        selectors.term_list().select_related(
            "in_place_of", "decision__meeting", "handover_meeting"
        ),
        pk=pk,
    )
    decision = term.decision
    # The register's rule: the public sees adopted, published decisions; members see all.
    visible = decision is not None and (
        access.is_member or (decision.is_adopted and decision.published)
    )
    context = {
        "term": term,
        "phase_label": PHASE_LABELS[term.phase],
        "decision": decision if visible else None,
        "decision_hidden": decision is not None and not visible,
        "is_member": access.is_member,
    }
    return render(request, "rotation/term_detail.html", context)


@require_GET
def rotation_ics(request: HttpRequest) -> HttpResponse:
    """The approved terms as an iCalendar feed (public, like the terms of the API)."""
    domain, _port = split_domain_port(request.get_host())
    body = calendar.build_calendar(
        selectors.term_list().filter(state=TermState.APPROVED),
        domain=domain,
        stamp=timezone.now(),
        url_for=lambda term: request.build_absolute_uri(reverse("rotation:term", args=[term.pk])),
    )
    return HttpResponse(body, content_type="text/calendar; charset=utf-8")
