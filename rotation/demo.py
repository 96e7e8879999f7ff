"""The demo union's rotation. The order is alphabetical by English country name (an assumption
of the demo, consistent with the source: Azerbaijan 2025, Hungary skipped as an observer,
Kazakhstan 2026). The 2026 term is approved by the III General Assembly's decision (see
``meetings/demo.py``); here: the order, the 2025 term and the handover of 2026-01-08."""

from __future__ import annotations

import datetime as dt

from chambers.models import Chamber
from core.access import Access

from . import services
from .models import Rotation, Term, TermState


def load_before_meetings(actor: Access) -> None:
    rotation = Rotation.current()
    if not rotation.places.exists():
        services.order_set(actor=actor, kind="alphabetical", chambers=list(Chamber.objects.all()))
    if not rotation.terms.filter(start=dt.date(2025, 1, 1)).exists():
        services.term_approve(
            actor=actor,
            chamber=Chamber.objects.get(slug="azerbaijan-cci"),
            start=dt.date(2025, 1, 1),
            end=dt.date(2025, 12, 31),
        )


def load_after_meetings(actor: Access) -> None:
    from meetings.models import Meeting

    term = Term.objects.filter(start=dt.date(2026, 1, 1), state=TermState.APPROVED).first()
    meeting = Meeting.objects.filter(kind="ga_ordinary", session_number=3).first()
    if term is not None and term.handover_date is None and meeting is not None:
        services.handover_record(actor=actor, term=term, date=dt.date(2026, 1, 8), meeting=meeting)
