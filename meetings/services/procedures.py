"""Decisions between sessions: written procedure and silence procedure.

A procedure puts a draft decision to the chambers that are full members on the opening day
(its voters, recorded with it). In ``vote`` mode each answers for, against or abstain by the
deadline; in ``silence`` mode the decision is adopted at the deadline unless a voter objects.
The outcome is counted like a session's: the governance rules' quorum, here as the share of
voters who answered, and the majority of the decision's kind
(:func:`.votes.majority_refusal`, the one majority rule).

Locks (docs/locking.md): opening, withdrawing and closing take the decision's row, then the
procedure's; an answer takes only the procedure's row, re-read after the lock, so an answer
either commits before the close (and is counted) or finds the procedure closed or its deadline
passed (and is refused with 409). The close is a conditional change of an open procedure under
that lock: whatever the number of beats, workers and retries, one of them closes it and applies
the effects; the others find it closed and do nothing.
"""

from __future__ import annotations

import datetime as dt
import logging
import zoneinfo
from collections.abc import Collection, Mapping
from dataclasses import asdict, dataclass
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from chambers.models import Chamber, MembershipStatus
from chambers.selectors import chamber_ids_with_status
from core import bounds
from core.access import SYSTEM, Access, require_staff
from core.errors import ConflictError, DomainError, ForbiddenError
from core.events import emit
from core.translated import expand

from .. import effects as effect_registry
from ..events import DecisionAdopted, ProcedureClosed, ProcedureOpened
from ..models import (
    MODE_ANSWERS,
    Ballot,
    BallotAnswer,
    BallotChange,
    Decision,
    GovernanceRules,
    Majority,
    Procedure,
    ProcedureMode,
    ProcedureState,
)
from .decisions import lock_unadopted, require_procedure_allowed
from .votes import majority_refusal

logger = logging.getLogger(__name__)

VOTE, SILENCE = ProcedureMode.VOTE.value, ProcedureMode.SILENCE.value
#: What staff write when they open a procedure: the letter in each language too (``letter_kk``).
PROCEDURE_WRITABLE = expand(("letter",), ("letter",))


@dataclass
class ProcedureOutcome:
    """How a procedure stands (or stood at its close): who answered and the count. The reasons
    it is not adopted are worded from these figures in the reader's language, so the record
    kept at the close (:meth:`as_record`) reads in any language."""

    mode: str
    voters: int
    answered: int
    quorum_needed: int
    votes_for: int = 0
    votes_against: int = 0
    abstentions: int = 0
    objections: int = 0
    majority: str = Majority.SIMPLE

    @property
    def reasons(self) -> list[str]:
        if not self.voters:
            return [_("The procedure has no voters.")]
        if self.mode == SILENCE:
            if not self.objections:
                return []
            return [
                ngettext(
                    "Silence broken: %(count)s objection.",
                    "Silence broken: %(count)s objections.",
                    self.objections,
                )
                % {"count": self.objections}
            ]
        reasons = []
        if self.answered < self.quorum_needed:
            reasons.append(
                _("No quorum: %(answered)s of %(voters)s voters answered, %(needed)s needed.")
                % {"answered": self.answered, "voters": self.voters, "needed": self.quorum_needed}
            )
        if refused := majority_refusal(self.majority, self.votes_for, self.votes_against):
            reasons.append(refused)
        return reasons

    @property
    def adopted(self) -> bool:
        return not self.reasons

    def as_record(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_record(cls, record: Mapping[str, Any]) -> ProcedureOutcome:
        return cls(**{name: record[name] for name in cls.__dataclass_fields__ if name in record})


def procedure_outcome(
    *,
    mode: str,
    kind: str,
    voters: Collection[int],
    answers: Mapping[int, str],
    rules: GovernanceRules,
) -> ProcedureOutcome:
    """The outcome of a procedure from its voters (chamber ids) and their answers. Answers of
    chambers that are not voters never count. In silence mode nobody needs to answer: silence
    is consent, and one objection stops the decision. In vote mode the quorum is the rules'
    share of the voters having answered, and the majority is counted on the votes for and
    against (abstentions count toward the quorum only; a tie fails)."""
    counted = [answer for chamber, answer in answers.items() if chamber in voters]
    return ProcedureOutcome(
        mode=mode,
        voters=len(voters),
        answered=len(counted),
        quorum_needed=rules.quorum_of(len(voters)) if voters else 1,
        votes_for=counted.count(BallotAnswer.FOR),
        votes_against=counted.count(BallotAnswer.AGAINST),
        abstentions=counted.count(BallotAnswer.ABSTAIN),
        objections=counted.count(BallotAnswer.OBJECTION),
        majority=rules.majority_for(kind),
    )


def outcome_of(procedure: Procedure, rules: GovernanceRules | None = None) -> ProcedureOutcome:
    """The record kept at the close, or, while open, the count so far (from the prefetched
    ``voters`` and ``ballots`` when there are)."""
    if procedure.state == ProcedureState.CLOSED and procedure.outcome:
        return ProcedureOutcome.from_record(procedure.outcome)
    return procedure_outcome(
        mode=procedure.mode,
        kind=procedure.decision.kind,
        voters={c.pk for c in procedure.voters.all()},
        answers={b.chamber_id: b.answer for b in procedure.ballots.all()},
        rules=rules or GovernanceRules.current(),
    )


def _open_procedure(decision: Decision, *, lock: bool) -> Procedure | None:
    qs = Procedure.objects.filter(decision=decision, state=ProcedureState.OPEN)
    if lock:
        qs = qs.select_for_update()
    return qs.first()


@transaction.atomic
def procedure_open(
    *,
    actor: Access,
    decision: Decision,
    mode: str,
    closes_at: dt.datetime,
    data: Mapping[str, Any] | None = None,
    time_zone: str | None = None,
) -> Procedure:
    """Put a draft decision to written (``vote``) or silence procedure until ``closes_at``.

    The deadline is shown in ``time_zone`` (default: the zone ``closes_at`` names, else the
    union's). The voters are the full members on the opening day (the union's day). Refused:
    an adopted decision (409), one already under procedure (409), a kind reserved to a
    session, a deadline not in the future, effects that no longer validate."""
    require_staff(actor)
    if mode not in MODE_ANSWERS:
        raise DomainError(_("Choose the mode: vote or silence."), field="mode")
    if not isinstance(closes_at, dt.datetime) or timezone.is_naive(closes_at):
        raise DomainError(_("Give the deadline with its time zone."), field="closes_at")
    if not bounds.in_years(closes_at):
        raise DomainError(bounds.year_refusal(), field="closes_at")
    now = timezone.now()
    if closes_at <= now:
        raise DomainError(_("The deadline must be in the future."), field="closes_at")
    if time_zone is None:
        named = getattr(closes_at.tzinfo, "key", None)
        time_zone = named if isinstance(named, str) else settings.TIME_ZONE
    if time_zone not in zoneinfo.available_timezones():
        raise DomainError(
            _("Unknown time zone; use an IANA name such as Asia/Almaty."), field="time_zone"
        )
    decision = lock_unadopted(decision)
    if _open_procedure(decision, lock=True) is not None:
        raise ConflictError(_("This decision is already under written procedure."))
    rules = GovernanceRules.current()
    require_procedure_allowed(decision.kind, rules)
    effect_registry.validate_effects(decision.kind, decision.effects)
    opened_on = timezone.localdate(now)
    voters = chamber_ids_with_status(statuses=[MembershipStatus.MEMBER], on=opened_on)
    if not voters:
        raise DomainError(_("No chamber is a full member today: nobody could answer."))
    fields = {name: value for name, value in (data or {}).items() if name in PROCEDURE_WRITABLE}
    procedure = Procedure(
        decision=decision,
        mode=mode,
        closes_at=closes_at,
        time_zone=time_zone,
        opened_at=now,
        opened_on=opened_on,
        opened_by=actor.person,
        **fields,
    )
    try:
        with transaction.atomic():
            procedure.save()
    except IntegrityError as exc:
        raise ConflictError(_("This decision is already under written procedure.")) from exc
    procedure.voters.set(voters)
    emit(ProcedureOpened(procedure=procedure))
    return procedure


def _answer(mode: str, answer: str, reason: str) -> str:
    allowed = MODE_ANSWERS[ProcedureMode(mode)]
    if answer not in allowed:
        if mode == SILENCE:
            message = _("In a silence procedure, object (with a reason) or say you do not.")
        else:
            message = _("Vote for, against or abstain.")
        raise DomainError(message, field="vote")
    if answer == BallotAnswer.OBJECTION and not reason.strip():
        raise DomainError(_("Say why your chamber objects."), field="reason")
    return answer


@transaction.atomic
def ballot_cast(
    *,
    actor: Access,
    decision: Decision,
    chamber: Chamber,
    answer: str,
    reason: str = "",
    received_on: dt.date | None = None,
) -> Ballot:
    """A voting chamber's answer, or its change, until the deadline; every version is kept.

    An editor answers for its own chamber; the secretariat records an answer received on
    paper, naming the chamber and the day it arrived. A chamber that is not a voter (an
    observer, a member admitted after the opening) never answers."""
    if not actor.is_staff:
        if not actor.can_edit_chamber(chamber):
            raise ForbiddenError(_("Only the chamber's editors may answer for it."))
        if received_on is not None:
            raise DomainError(
                _("Only the secretariat records answers received on paper."), field="received_on"
            )
    elif received_on is None:
        raise DomainError(_("Give the day the answer was received on paper."), field="received_on")
    procedure = _open_procedure(decision, lock=True)  # the procedure's row (docs/locking.md)
    if procedure is None:
        raise ConflictError(_("This decision is not under written procedure now."))
    now = timezone.now()
    if not procedure.takes_answers(now):
        raise ConflictError(_("The deadline has passed: the answer was not counted."))
    if not procedure.voters.filter(pk=chamber.pk).exists():
        message = _("%(chamber)s has no vote in this procedure (not a full member when it opened).")
        error = message % {"chamber": chamber.short_name}
        if actor.is_staff:
            raise DomainError(error, field="chamber")
        raise ForbiddenError(error)
    if received_on is not None and not (
        procedure.opened_on <= received_on <= timezone.localdate(now)
    ):
        raise DomainError(
            _("The day received is between the opening and today."), field="received_on"
        )
    answer = _answer(procedure.mode, answer, reason)
    reason = reason.strip()
    values = {
        "answer": answer,
        "reason": reason,
        "received_on": received_on,
        "recorded_by": actor.person,
        "recorded_at": now,
    }
    ballot = Ballot.objects.filter(procedure=procedure, chamber=chamber).first()
    if ballot is None:
        ballot = Ballot(procedure=procedure, chamber=chamber, **values)
        try:
            with transaction.atomic():
                ballot.save()
        except IntegrityError as exc:
            raise ConflictError(_("This chamber has already answered."), field="chamber") from exc
    else:
        for name, value in values.items():
            setattr(ballot, name, value)
        ballot.save(update_fields=list(values))
    BallotChange.objects.create(ballot=ballot, **values)
    return ballot


@transaction.atomic
def procedure_close(
    *, actor: Access | None, decision: Decision, now: dt.datetime | None = None
) -> Procedure | None:
    """Close the decision's procedure, count it and, if adopted, apply the effects in the same
    transaction; an effect refused leaves the decision unadopted with the reason recorded.

    ``actor=None`` is the automatic close (the beat, ``close_procedures``): it does nothing
    before the deadline, or when the procedure is already closed, and returns ``None`` then.
    Staff close early only once every voter has answered; closing a closed procedure is 409."""
    if actor is not None:
        require_staff(actor)
    now = now or timezone.now()
    try:
        decision = lock_unadopted(decision)
    except ConflictError:
        if actor is None:
            return None
        raise
    procedure = _open_procedure(decision, lock=True)
    if procedure is None:
        if actor is None:
            return None
        raise ConflictError(_("This decision is not under written procedure now."))
    procedure.decision = decision  # the locked row
    outcome = outcome_of(procedure)
    if now < procedure.closes_at:
        if actor is None:
            return None
        if outcome.answered < outcome.voters:
            raise DomainError(
                _(
                    "Not every voter has answered (%(answered)s of %(voters)s): it closes at "
                    "the deadline."
                )
                % {"answered": outcome.answered, "voters": outcome.voters}
            )
        closed_at = now
    else:
        closed_at = procedure.closes_at  # taken at its deadline, whenever the beat runs
    procedure.state = ProcedureState.CLOSED
    procedure.closed_at = now
    procedure.closed_by = actor.person if actor else None
    procedure.outcome = outcome.as_record()
    procedure.adopted = outcome.adopted
    if outcome.adopted:
        try:
            with transaction.atomic():
                decision.adopted_at = closed_at
                decision.save(update_fields=["adopted_at"])
                effect_registry.apply_effects(decision, actor or SYSTEM)
        except DomainError as exc:
            decision.adopted_at = None
            procedure.adopted = False
            procedure.refusal = exc.message
    procedure.save(
        update_fields=["state", "closed_at", "closed_by", "outcome", "adopted", "refusal"]
    )
    if procedure.adopted:
        emit(DecisionAdopted(decision=decision))
    emit(ProcedureClosed(procedure=procedure))
    return procedure


@transaction.atomic
def procedure_withdraw(*, actor: Access, decision: Decision) -> Procedure:
    """Withdraw an open procedure: nothing is counted; the draft may be put again later."""
    require_staff(actor)
    decision = lock_unadopted(decision)
    procedure = _open_procedure(decision, lock=True)
    if procedure is None:
        raise ConflictError(_("This decision is not under written procedure now."))
    procedure.state = ProcedureState.WITHDRAWN
    procedure.closed_at = timezone.now()
    procedure.closed_by = actor.person
    procedure.save(update_fields=["state", "closed_at", "closed_by"])
    emit(ProcedureClosed(procedure=procedure))
    return procedure


def procedures_due(now: dt.datetime | None = None) -> QuerySet[Procedure]:
    return Procedure.objects.filter(state=ProcedureState.OPEN, closes_at__lte=now or timezone.now())


def procedures_close_due(*, now: dt.datetime | None = None) -> list[Procedure]:
    """Close every procedure whose deadline has passed, each in its own transaction (one that
    fails is logged and the others still close). Run by the beat every minute and by
    ``close_procedures``; safe to run any number of times at once."""
    closed = []
    for procedure in procedures_due(now).select_related("decision").order_by("closes_at", "pk"):
        try:
            done = procedure_close(actor=None, decision=procedure.decision, now=now)
        except Exception:
            logger.exception("Closing written procedure %s failed.", procedure.pk)
            continue
        if done is not None:
            closed.append(done)
    return closed
