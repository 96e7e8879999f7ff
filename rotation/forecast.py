"""Who chairs when: the forecast of the next terms.

Rule: terms tile time (see :class:`~rotation.models.Rotation`). A term that is approved (or
proposed by a swap) keeps its chamber. Any other term goes to the next chamber in the order after
the chamber whose turn the previous term used, skipping, with the reason, every chamber that is
not a full member on that term's first day or that waived that term. A skipped chamber keeps
its place: its turn comes again in the next cycle. A term approved out of turn does not move the
order on; the chamber holding it is passed over until then. Periods with no approved term are
forecast from the last approved one, whatever today is. The forecast is a pure function of the
data, so the same database always gives the same forecast.
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
    fixed_starts: dict[int, list[dt.date]] = {}
    for fixed_term in fixed:
        fixed_starts.setdefault(fixed_term.chamber_id, []).append(fixed_term.start)

    def cycle_end(start: dt.date) -> dt.date:
        for _step in range(max(len(order), 1)):
            start = next_start(start)
        return start

    def pick(start: dt.date, pointer: int, skipped: list[Skip] | None) -> int | None:
        """The index in the order of the next chamber that may chair from ``start``."""
        horizon = cycle_end(start)
        for step in range(1, len(order) + 1):  # an empty order forecasts vacant terms
            index = (pointer + step) % len(order)
            candidate = order[index]
            status = status_on(candidate, start)
            if (candidate, start) in waived:
                reason = "waived"
            elif status != "member":
                reason = status
            elif any(start < later < horizon for later in fixed_starts.get(candidate, [])):
                reason = "later"
            else:
                return index
            if skipped is not None:
                skipped.append(Skip(candidate, reason))
        return None

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
            # In turn (or a swap of turns), or the first term known: the order moves on to it.
            # A term approved out of turn leaves the order where it was.
            turn = position.get(held.turn_of)
            natural = pick(start, pointer, None)
            in_turn = natural is not None and order[natural] == held.turn_of
            if turn is not None and (in_turn or pointer == -1 or natural is None):
                pointer = turn
            start = next_start(start)
            continue
        term = ForecastTerm(start=start, end=end, chamber_id=None)
        index = pick(start, pointer, term.skipped)
        if index is not None:
            term.chamber_id = order[index]
            pointer = index
        terms.append(term)
        start = next_start(start)
    return terms
