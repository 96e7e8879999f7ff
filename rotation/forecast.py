"""Who chairs when: the forecast of the next terms.

Rule: terms tile time (see :class:`~rotation.models.Rotation`). A term that is approved (or
proposed by a swap) keeps its chamber. Any other term goes to the next chamber in the order after
the chamber whose turn the previous term used, skipping, with the reason, every chamber that is
not a full member on that term's first day or that waived that term. A skipped chamber keeps
its place: its turn comes again in the next cycle. A term approved out of turn does not move the
order on; the chamber holding it is passed over until then. Periods with no approved term are
forecast from the last approved one, whatever today is. The forecast is a pure function of the
data, so the same database always gives the same forecast.

Whatever today is: the chain of turns starts at the first approved term (:func:`chain_start`),
not at today's term, and runs through every period since, so a past period that ended without
a recorded approval keeps the chamber whose turn it was (it is ``unrecorded``), and the
current and later terms do not shift when the calendar moves on. Only a union with no approved
term before the current one starts its cycle at the head of the order on the current term.

Bounds: no term of the forecast starts before :data:`FIRST_START` or after :data:`LAST_START`
(the years 1900 to 2200 that every date of the rotation is kept in), so no date computation
can pass ``date.max``, however long the order is.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

#: The first and last day a forecast term may start on (terms outside are not forecast).
FIRST_START = dt.date(1900, 1, 1)
LAST_START = dt.date(2200, 12, 31)

SKIP_REASONS = {
    "observer": _("observer"),
    "suspended": _("suspended"),
    "former": _("not a member"),
    "waived": _("waived its turn"),
    "later": _("holds a term approved later in this cycle"),
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
    #: It lies before the current term and no approved term is recorded for it: it passed
    #: without a recorded approval (the chamber is whose turn it was).
    unrecorded: bool = False


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
    current_start: dt.date | None = None,
    last_start: dt.date = LAST_START,
) -> list[ForecastTerm]:
    """The terms from the one starting ``first_start`` up to ``count`` terms from the current
    one (the one ending on or after ``current_start``; default ``first_start``), none starting
    after ``last_start``.

    ``order``: chamber ids in rotation order. ``fixed``: approved/proposed terms keyed by their
    start. ``status_on(chamber_id, day)``: ``member``, ``observer``, ``suspended`` or ``former``.
    ``waived``: (chamber id, term start) pairs. ``last_turn_of``: whose turn the term before
    ``first_start`` used (None: the cycle starts at the head of the order). Terms ending before
    ``current_start`` that are not approved are ``unrecorded``.
    """
    current_start = current_start or first_start
    by_start = {term.start: term for term in fixed}
    position = {chamber_id: index for index, chamber_id in enumerate(order)}
    pointer = position.get(last_turn_of, -1) if last_turn_of is not None else -1
    fixed_starts: dict[int, list[dt.date]] = {}
    for fixed_term in fixed:
        fixed_starts.setdefault(fixed_term.chamber_id, []).append(fixed_term.start)

    horizons: dict[dt.date, dt.date] = {}

    def cycle_end(start: dt.date) -> dt.date:
        """The start of the term one cycle (``len(order)`` terms) after ``start``, or the first
        start after ``last_start`` if that comes sooner: a long order never passes the bound."""
        if start not in horizons:
            end = start
            for _step in range(max(len(order), 1)):
                end = next_start(end)
                if end > last_start:
                    break
            horizons[start] = end
        return horizons[start]

    def later(candidate: int, start: dt.date) -> bool:
        """The candidate holds a fixed term later in the cycle from ``start``."""
        starts = fixed_starts.get(candidate)
        if not starts or not any(start < day for day in starts):
            return False  # most candidates: no need to find the cycle's end
        horizon = cycle_end(start)
        return any(start < day < horizon for day in starts)

    def pick(start: dt.date, pointer: int, skipped: list[Skip] | None) -> int | None:
        """The index in the order of the next chamber that may chair from ``start``."""
        for step in range(1, len(order) + 1):  # an empty order forecasts vacant terms
            index = (pointer + step) % len(order)
            candidate = order[index]
            status = status_on(candidate, start)
            if (candidate, start) in waived:
                reason = "waived"
            elif status != "member":
                reason = status
            elif later(candidate, start):
                reason = "later"
            else:
                return index
            if skipped is not None:
                skipped.append(Skip(candidate, reason))
        return None

    terms: list[ForecastTerm] = []
    start = first_start
    ahead = 0  # terms from the current one on
    while ahead < count and start <= last_start:
        after = next_start(start)
        held = by_start.get(start)
        if held is not None:
            term = ForecastTerm(
                start=start,
                end=held.end,
                chamber_id=held.chamber_id,
                approved=held.approved,
                proposed=not held.approved,
                term_id=held.term_id,
            )
            # In turn (or a swap of turns), or the first term known: the order moves on to it.
            # A term approved out of turn leaves the order where it was.
            turn = position.get(held.turn_of)
            natural = pick(start, pointer, None)
            in_turn = natural is not None and order[natural] == held.turn_of
            if turn is not None and (in_turn or pointer == -1 or natural is None):
                pointer = turn
            while after <= held.end:  # a term cut by earlier settings: on to the next start
                after = next_start(after)
        else:
            term = ForecastTerm(start=start, end=after - dt.timedelta(days=1), chamber_id=None)
            index = pick(start, pointer, term.skipped)
            if index is not None:
                term.chamber_id = order[index]
                pointer = index
        if term.end < current_start:
            term.unrecorded = not term.approved
        else:
            ahead += 1
        terms.append(term)
        start = after
    return terms


def on_grid(
    term: FixedTerm,
    slot_start: Callable[[dt.date], dt.date],
    next_start: Callable[[dt.date], dt.date],
) -> bool:
    """The term is one of the periods the rotation's settings cut time into today."""
    return slot_start(term.start) == term.start and next_start(
        term.start
    ) == term.end + dt.timedelta(days=1)


def chain_start(
    *,
    fixed: Sequence[FixedTerm],
    current_start: dt.date,
    slot_start: Callable[[dt.date], dt.date],
    next_start: Callable[[dt.date], dt.date],
) -> dt.date:
    """Where the chain of turns that leads to the current term starts, from the data alone.

    The first approved term (within the bounds) that starts before ``current_start``, or the
    last one cut by earlier settings (the forecast cannot step through a change of the cut, so
    it starts again there). With no approved term before, ``current_start``: the cycle starts
    at the head of the order on the current term.
    """
    past = sorted(
        (t for t in fixed if t.approved and FIRST_START <= t.start < current_start),
        key=lambda t: t.start,
    )
    if not past:
        return current_start
    cut_before = [t for t in past if not on_grid(t, slot_start, next_start)]
    return (cut_before[-1] if cut_before else past[0]).start
