"""Who chairs when: the forecast of the next terms.

Rule: terms tile time (see :class:`~rotation.models.Rotation`). A term that is approved (or
proposed by a swap) keeps its chamber. Any other term goes to the next chamber in the order after
the chamber whose turn the previous term used, skipping, with the reason, every chamber that is
not a full member on that term's first day or that waived that term. A skipped chamber keeps
its place: its turn comes again in the next cycle. The forecast is a pure function of the data,
so the same database always gives the same forecast.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

SKIP_REASONS = {
    "observer": _("observer"),
    "suspended": _("suspended"),
    "former": _("not a member"),
    "waived": _("waived its turn"),
}


@dataclass(frozen=True)
class Skip:
    chamber_id: int
    reason: str  # a key of SKIP_REASONS


@dataclass(frozen=True)
class FixedTerm:
    """A term the forecast must respect: approved, or proposed by a swap."""

    start: dt.date
    end: dt.date
    chamber_id: int
    turn_of: int  # whose place in the order the term uses (the chamber itself, or a swap partner)
    approved: bool
    term_id: int | None = None


@dataclass
class ForecastTerm:
    start: dt.date
    end: dt.date
    chamber_id: int | None  # None: no eligible chamber at all
    approved: bool = False
    proposed: bool = False
    term_id: int | None = None
    skipped: list[Skip] = field(default_factory=list)


def forecast(
    *,
    order: Sequence[int],
    first_start: dt.date,
    count: int,
    next_start: Callable[[dt.date], dt.date],
    fixed: Sequence[FixedTerm],
    status_on: Callable[[int, dt.date], str],
    waived: set[tuple[int, dt.date]],
    last_turn_of: int | None,
) -> list[ForecastTerm]:
    """``count`` terms from the one starting ``first_start``.

    ``order``: chamber ids in rotation order. ``fixed``: approved/proposed terms keyed by their
    start. ``status_on(chamber_id, day)``: ``member``, ``observer``, ``suspended`` or ``former``.
    ``waived``: (chamber id, term start) pairs. ``last_turn_of``: whose turn the term before
    ``first_start`` used (None: the cycle starts at the head of the order).
    """
    by_start = {term.start: term for term in fixed}
    position = {chamber_id: index for index, chamber_id in enumerate(order)}
    pointer = position.get(last_turn_of, -1) if last_turn_of is not None else -1
    terms: list[ForecastTerm] = []
    start = first_start
    for _index in range(count):
        end = next_start(start) - dt.timedelta(days=1)
        held = by_start.get(start)
        if held is not None:
            terms.append(
                ForecastTerm(
                    start=start,
                    end=held.end,
                    chamber_id=held.chamber_id,
                    approved=held.approved,
                    proposed=not held.approved,
                    term_id=held.term_id,
                )
            )
            pointer = position.get(held.turn_of, pointer)
            start = next_start(start)
            continue
        term = ForecastTerm(start=start, end=end, chamber_id=None)
        for step in range(1, len(order) + 1):  # an empty order forecasts vacant terms
            candidate = order[(pointer + step) % len(order)]
            status = status_on(candidate, start)
            if (candidate, start) in waived:
                term.skipped.append(Skip(candidate, "waived"))
            elif status != "member":
                term.skipped.append(Skip(candidate, status))
            else:
                term.chamber_id = candidate
                pointer = (pointer + step) % len(order)
                break
        terms.append(term)
        start = next_start(start)
    return terms
