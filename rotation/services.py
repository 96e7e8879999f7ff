"""Every write to the rotation: the order, approved and waived terms, swaps. Called by the
rotation decisions' effects (``effects.py``) inside the adoption's transaction, so a refused
effect refuses the whole decision; and by the admin for settings and handovers.

Every write takes the rotation's row lock first (``docs/locking.md``); membership changes take
it too, through the guard in ``guards.py``, so eligibility checked here cannot change before
commit."""

from __future__ import annotations

import dataclasses
import datetime as dt
import threading
from collections import OrderedDict
from collections.abc import Hashable
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Min, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, override

from chambers.models import FORMER, Chamber, Contact, MembershipPeriod
from chambers.selectors import membership_timeline
from core import audit
from core.access import Access, require_staff
from core.errors import ConflictError, DomainError
from core.events import emit
from core.services import model_update

from . import forecast as engine
from .events import TermApproved
from .guards import lock_rotation
from .models import OrderKind, Rotation, RotationPlace, Term, TermState

STATUS_WORDS = {
    "observer": gettext_lazy("an observer"),
    "suspended": gettext_lazy("suspended"),
    FORMER: gettext_lazy("not a member"),
}


def _lock_rotation() -> Rotation:
    """Every write to the rotation takes its row lock first: two decisions adopted at once are
    serialised, and the second sees the first's terms (a taken period is then 409)."""
    return lock_rotation()


def _save_term(term: Term) -> Term:
    try:
        with transaction.atomic():
            term.save()
    except IntegrityError as exc:  # PostgreSQL's exclusion constraint: a concurrent approval
        raise ConflictError(
            _("Another decision approved a term for this period at the same time.")
        ) from exc
    return term


# Reads the engine needs ------------------------------------------------------------------------


def order_ids(rotation: Rotation) -> list[int]:
    return list(rotation.places.order_by("position").values_list("chamber_id", flat=True))


@dataclass
class Forecast:
    """``terms``: from the current term on. ``past``: the chain of terms that leads to it, from
    the first approved term (approved ones, and the unrecorded ones that passed without an
    approval). ``previous``: the term just before the current one, if the chain has it."""

    terms: list[engine.ForecastTerm]
    chambers: dict[int, Chamber]
    past: list[engine.ForecastTerm] = dataclasses.field(default_factory=list)

    @property
    def previous(self) -> engine.ForecastTerm | None:
        return self.past[-1] if self.past else None

    @property
    def unrecorded(self) -> list[engine.ForecastTerm]:
        return [term for term in self.past if term.unrecorded]


def rotation_forecast(*, count: int, today: dt.date | None = None) -> Forecast:
    """The next ``count`` terms from the current one (approved, proposed or forecast), and the
    past terms since the first approved one (``Forecast.past``).

    The same data gives the same chamber for every period whatever ``today`` is: the chain of
    turns starts at the first approved term (``forecast.chain_start``), never at today's term.
    Terms outside the years 1900 to 2200 are not forecast, so fewer than ``count`` terms come
    back near the end of 2200.

    Outside a transaction the terms are kept per process by the rotation's ``revision`` (which
    every write the forecast depends on renews, ``guards.lock_rotation``), the day and
    ``count``: the dashboard, ``rotation/current`` and the forecast of a union of 12,000
    chambers then read one row, not the whole order. Inside a transaction they are always
    computed: its own writes may not be committed, or may come after the read. The chambers
    are read every time (a name may change without touching the rotation)."""
    rotation = Rotation.current()
    today = today or timezone.localdate()
    key = (rotation.revision, today, count)
    kept = None if transaction.get_connection().in_atomic_block else _kept.get(key)
    if kept is None:
        kept = _forecast_terms(rotation, today=today, count=count)
        if not transaction.get_connection().in_atomic_block:
            _kept.put(key, kept)
    # Copies: the kept terms are shared by every later read of this process.
    past, terms = ([dataclasses.replace(t, skipped=list(t.skipped)) for t in part] for part in kept)
    # Only the chambers the forecast names (chairs and those passed over), not the whole order.
    named = {t.chamber_id for t in (*past, *terms) if t.chamber_id is not None}
    named.update(skip.chamber_id for t in (*past, *terms) for skip in t.skipped)
    return Forecast(
        terms=list(terms), chambers=Chamber.objects.in_bulk(sorted(named)), past=list(past)
    )


class _Kept:
    """The last few forecasts of this process (read only once kept; see rotation_forecast)."""

    size = 32

    def __init__(self) -> None:
        self._items: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> Any:
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
            return self._items.get(key)

    def put(self, key: Hashable, value: Any) -> None:
        with self._lock:
            self._items[key] = value
            while len(self._items) > self.size:
                self._items.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()


_kept = _Kept()


def _forecast_terms(
    rotation: Rotation, *, today: dt.date, count: int
) -> tuple[tuple[engine.ForecastTerm, ...], tuple[engine.ForecastTerm, ...]]:
    """The forecast's past terms and terms from the current one, computed from the data."""
    current = _bounded(rotation.slot_start(today))
    order = order_ids(rotation)
    terms = list(
        rotation.terms.filter(state__in=[TermState.APPROVED, TermState.PROPOSED, TermState.WAIVED])
    )

    def next_start(day: dt.date) -> dt.date:
        """The start of the term after the one starting ``day`` (the first on today's cut
        after ``day``'s term, for a term cut by earlier settings)."""
        return rotation.next_start(rotation.slot_start(day))

    fixed = [
        engine.FixedTerm(
            start=t.start,
            end=t.end,
            chamber_id=t.chamber_id,
            turn_of=t.in_place_of_id or t.chamber_id,
            approved=t.state == TermState.APPROVED,
            term_id=t.pk,
        )
        for t in terms
        if t.state != TermState.WAIVED and engine.FIRST_START <= t.start <= engine.LAST_START
    ]
    first = engine.chain_start(
        fixed=fixed, current_start=current, slot_start=rotation.slot_start, next_start=next_start
    )
    result = engine.forecast(
        order=order,
        first_start=first,
        count=count,
        next_start=next_start,
        fixed=[t for t in fixed if t.start >= first],
        status_on=membership_timeline(order=order, since=first).status_on,
        waived={(t.chamber_id, t.start) for t in terms if t.state == TermState.WAIVED},
        last_turn_of=None,
        current_start=current,
    )
    past = tuple(term for term in result if term.end < current)
    return past, tuple(result[len(past) :])


def _bounded(day: dt.date) -> dt.date:
    return min(max(day, engine.FIRST_START), engine.LAST_START)


def _forecast_at(start: dt.date) -> engine.ForecastTerm:
    rotation = Rotation.current()
    today = timezone.localdate()
    count = 1
    cursor = rotation.slot_start(today)
    while cursor < start and count < 1000:
        cursor = rotation.next_start(cursor)
        count += 1
    if cursor != start:
        raise DomainError(
            _("%(date)s is not the first day of a term.") % {"date": start}, field="start"
        )
    return rotation_forecast(count=count, today=today).terms[-1]


# Writes ----------------------------------------------------------------------------------------


def _check_term_period(rotation: Rotation, start: dt.date, end: dt.date) -> None:
    """Terms tile the timeline: a term is exactly one of the rotation's periods."""
    try:
        rotation.slot_end(rotation.slot_start(start))
    except (ValueError, OverflowError) as exc:
        raise DomainError(_("This date is out of range."), field="start") from exc
    if rotation.slot_start(start) != start:
        raise DomainError(
            _("A term starts on the first day of a rotation period (%(date)s is not).")
            % {"date": start.isoformat()},
            field="start",
        )
    if end != rotation.slot_end(start):
        raise DomainError(
            _("A term starting %(start)s ends on %(end)s.")
            % {"start": start.isoformat(), "end": rotation.slot_end(start).isoformat()},
            field="end",
        )


def _check_eligible(chamber: Chamber, day: dt.date) -> None:
    """Only a full member in good standing on the term's first day may chair."""
    status = chamber.status_on(day)
    if status != "member":
        raise DomainError(
            _("%(chamber)s cannot chair from %(date)s: it is %(status)s then.")
            % {
                "chamber": chamber.short_name,
                "date": day.isoformat(),
                "status": STATUS_WORDS[status],
            },
            field="chamber",
        )


@transaction.atomic
def term_approve(
    *,
    actor: Access,
    chamber: Chamber,
    start: dt.date,
    end: dt.date,
    president: Contact | None = None,
    decision: Any = None,
) -> Term:
    """Approve a chamber's term (a rotation decision's effect)."""
    require_staff(actor)
    rotation = _lock_rotation()
    _check_term_period(rotation, start, end)
    _check_eligible(chamber, start)
    if president is not None and president.chamber_id != chamber.pk:
        raise DomainError(
            _("The President must be a contact of the chairing chamber."), field="president"
        )
    clash = rotation.terms.filter(state=TermState.APPROVED, start__lte=end, end__gte=start).first()
    if clash is not None:
        # 409, like the constraint's answer to a concurrent approval: the period is taken.
        raise ConflictError(
            _("%(chamber)s already holds an approved term from %(start)s.")
            % {"chamber": clash.chamber.short_name, "start": clash.start.isoformat()},
            field="start",
        )
    proposed = rotation.terms.filter(state=TermState.PROPOSED, start=start).first()
    if proposed is not None and proposed.chamber_id == chamber.pk:  # a swap, now approved
        proposed.state, proposed.president, proposed.decision = (
            TermState.APPROVED,
            president,
            decision,
        )
        return _announce_approval(_save_term(proposed))
    if proposed is not None:  # approving another chamber undoes the swap, both halves
        undone = rotation.terms.filter(
            Q(state=TermState.PROPOSED, decision=proposed.decision, decision__isnull=False)
            | Q(pk=proposed.pk)
        )
        for term in undone:  # the audit trail's signals do not see a queryset's update
            audit.record(term, "changed", {"state": [term.state, TermState.CANCELLED]}, actor=actor)
        undone.update(state=TermState.CANCELLED)
    term = Term(
        rotation=rotation,
        chamber=chamber,
        in_place_of=chamber,
        start=start,
        end=end,
        state=TermState.APPROVED,
        president=president,
        decision=decision,
    )
    return _announce_approval(_save_term(term))


def _announce_approval(term: Term) -> Term:
    """Tell the subscribers (webhooks) that the term is approved."""
    emit(TermApproved(term=term))
    return term


@transaction.atomic
def term_waive(*, actor: Access, chamber: Chamber, start: dt.date, decision: Any = None) -> Term:
    """A chamber declines its forecast turn; the next eligible chamber takes it."""
    require_staff(actor)
    rotation = _lock_rotation()
    expected = _forecast_at(start)
    if expected.approved:
        raise DomainError(_("That term is already approved."), field="start")
    if expected.chamber_id != chamber.pk:
        raise DomainError(
            _("It is not %(chamber)s's turn from %(date)s.")
            % {"chamber": chamber.short_name, "date": start.isoformat()},
            field="chamber",
        )
    term = Term(
        rotation=rotation,
        chamber=chamber,
        in_place_of=chamber,
        start=start,
        end=rotation.slot_end(start),
        state=TermState.WAIVED,
        decision=decision,
    )
    term.save()
    return term


@transaction.atomic
def turns_swap(
    *,
    actor: Access,
    chamber_a: Chamber,
    chamber_b: Chamber,
    start_a: dt.date,
    start_b: dt.date,
    decision: Any = None,
) -> list[Term]:
    """Two chambers exchange their forecast turns: b chairs from start_a, a from start_b."""
    require_staff(actor)
    if chamber_a.pk == chamber_b.pk or start_a == start_b:
        raise DomainError(_("A swap needs two chambers and two terms."), field="chamber_b")
    rotation = _lock_rotation()
    if rotation.terms.filter(state=TermState.PROPOSED, start__in=[start_a, start_b]).exists():
        raise DomainError(_("One of these turns is already swapped."), field="start_a")
    for chamber, start, field in ((chamber_a, start_a, "start_a"), (chamber_b, start_b, "start_b")):
        expected = _forecast_at(start)
        if expected.approved:
            raise DomainError(_("That term is already approved."), field=field)
        if expected.chamber_id != chamber.pk:
            raise DomainError(
                _("It is not %(chamber)s's turn from %(date)s.")
                % {"chamber": chamber.short_name, "date": start.isoformat()},
                field=field,
            )
    _check_eligible(chamber_b, start_a)
    _check_eligible(chamber_a, start_b)
    terms = []
    for chamber, turn_of, start in (
        (chamber_b, chamber_a, start_a),
        (chamber_a, chamber_b, start_b),
    ):
        terms.append(
            Term.objects.create(
                rotation=rotation,
                chamber=chamber,
                in_place_of=turn_of,
                start=start,
                end=rotation.slot_end(start),
                state=TermState.PROPOSED,
                decision=decision,
            )
        )
    return terms


@transaction.atomic
def order_set(
    *, actor: Access, kind: str, chambers: list[Chamber], decision: Any = None
) -> Rotation:
    """Replace the order. ``alphabetical`` and ``accession`` orders are computed (``chambers``
    then only says who is in the rotation); an ``agreed`` order is taken as given."""
    require_staff(actor)
    rotation = _lock_rotation()  # first: the accession dates below are read under it
    if kind not in OrderKind.values:
        raise DomainError(_("Unknown kind of order."), field="kind")
    if len({c.pk for c in chambers}) != len(chambers) or not chambers:
        raise DomainError(_("Name each chamber of the order once."), field="chambers")
    if kind == OrderKind.ALPHABETICAL:
        with override("en"):  # by the English name, whatever the caller's language
            chambers = sorted(chambers, key=lambda c: (alphabetical_key(c.country.name), c.slug))
    elif kind == OrderKind.ACCESSION:
        first = dict(
            MembershipPeriod.objects.filter(chamber__in=chambers)
            .order_by()  # the default ordering's columns would split the groups
            .values("chamber_id")
            .annotate(first=Min("start"))
            .values_list("chamber_id", "first")
        )
        chambers = sorted(chambers, key=lambda c: (first.get(c.pk, dt.date.max), c.short_name))
    rotation.places.all().delete()
    RotationPlace.objects.bulk_create(
        RotationPlace(rotation=rotation, position=i, chamber=c) for i, c in enumerate(chambers, 1)
    )
    rotation.order_kind = kind
    rotation.order_decision = decision
    rotation.save(update_fields=["order_kind", "order_decision"])
    return rotation


def alphabetical_key(name: str) -> str:
    """Sort as a person would: accents and case do not count (Türkiye between Tunisia and
    Turkmenistan)."""
    import unicodedata

    decomposed = unicodedata.normalize("NFKD", str(name))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


@transaction.atomic
def handover_record(
    *, actor: Access, term: Term, date: dt.date | None, meeting: Any = None
) -> Term:
    """Record when (and at which meeting) the chair passed to this term's chamber."""
    require_staff(actor)
    term = Term.objects.select_for_update().get(pk=term.pk)
    model_update(
        instance=term,
        fields=("handover_date", "handover_meeting"),
        data={"handover_date": date, "handover_meeting": meeting},
        actor=actor,
    )
    return term


@transaction.atomic
def rotation_settings_update(
    *, actor: Access, rotation: Rotation, data: dict[str, Any]
) -> Rotation:
    """Change how time is cut into terms. Refused while an approved or proposed term lies
    ahead that the new cut would not fit (terms must tile the timeline)."""
    require_staff(actor)
    rotation = _lock_rotation()
    # Validated before the values are used to cut time; a refusal below undoes the save.
    model_update(
        instance=rotation,
        fields=("term_months", "start_month", "start_day", "anchor_year"),
        data=data,
        actor=actor,
    )
    ahead = Term.objects.filter(
        rotation=rotation,
        state__in=[TermState.APPROVED, TermState.PROPOSED],
        end__gte=timezone.localdate(),
    )
    for term in ahead:
        if (
            rotation.slot_start(term.start) != term.start
            or rotation.slot_end(term.start) != term.end
        ):
            raise DomainError(
                _("The term of %(chamber)s from %(start)s would no longer fit these settings.")
                % {"chamber": term.chamber.short_name, "start": term.start.isoformat()},
                field="term_months",
            )
    return rotation
