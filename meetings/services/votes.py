"""Who votes at a meeting, recording a vote, the count (quorum, majority, outcome) and the
adoption that rests on it.

The one way votes are counted (:func:`tally`): the adoption, the API and the portal use it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Set
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chambers.models import Chamber, MembershipStatus
from chambers.selectors import chamber_ids_with_status
from core.access import Access, require_staff
from core.errors import ConflictError, DomainError
from core.events import emit

from .. import effects as effect_registry
from ..events import DecisionAdopted
from ..models import (
    Decision,
    DecisionMethod,
    GovernanceRules,
    Invitation,
    Majority,
    Meeting,
    Vote,
    VoteChoice,
)
from .decisions import lock_open_decision


def meeting_voters(meeting: Meeting) -> set[int]:
    """The chambers with a vote at a meeting: the full members on its date (observers and
    suspended members attend without one). One query; the API, portal and services use it."""
    return set(chamber_ids_with_status(statuses=[MembershipStatus.MEMBER], on=meeting.date))


@dataclass(frozen=True)
class Tally:
    """A decision's votes counted: for, against, abstaining."""

    votes_for: int
    against: int
    abstain: int

    @property
    def cast(self) -> int:
        """Votes for and against: what a majority is counted on (abstentions are not)."""
        return self.votes_for + self.against


def tally(votes: Iterable[Vote], counted: Set[int] | None = None) -> Tally:
    """Count ``votes`` (of the chambers in ``counted`` only, when given)."""
    choices = [v.vote for v in votes if counted is None or v.chamber_id in counted]
    return Tally(
        votes_for=choices.count(VoteChoice.FOR),
        against=choices.count(VoteChoice.AGAINST),
        abstain=choices.count(VoteChoice.ABSTAIN),
    )


@transaction.atomic
def vote_record(*, actor: Access, decision: Decision, chamber: Chamber, vote: str) -> Vote:
    """Record one chamber's vote; a second vote of the same chamber is refused (409), also
    when two arrive at once (the database's unique constraint). Locks the meeting, then the
    decision (docs/locking.md): attendance cannot change while the vote is checked."""
    require_staff(actor)
    Meeting.objects.select_for_update().get(pk=decision.meeting_id)
    decision = lock_open_decision(decision)
    if decision.method != DecisionMethod.VOTE:
        raise DomainError(_("This decision is taken by consensus, not by vote."), field="vote")
    if vote not in VoteChoice.values:
        raise DomainError(_("Vote for, against or abstain."), field="vote")
    if chamber.pk not in meeting_voters(decision.meeting):
        raise DomainError(
            _("%(chamber)s has no vote at this meeting (not a full member on its date).")
            % {"chamber": chamber.short_name},
            field="chamber",
        )
    if not Invitation.objects.filter(
        meeting=decision.meeting, chamber=chamber, present=True
    ).exists():
        raise DomainError(
            _("%(chamber)s is not recorded as present.") % {"chamber": chamber.short_name},
            field="chamber",
        )
    if Vote.objects.filter(decision=decision, chamber=chamber).exists():
        raise ConflictError(_("This chamber's vote is already recorded."), field="chamber")
    record = Vote(decision=decision, chamber=chamber, vote=vote)
    try:
        with transaction.atomic():
            record.save()
    except IntegrityError as exc:
        raise ConflictError(_("This chamber's vote is already recorded."), field="chamber") from exc
    return record


@transaction.atomic
def votes_record(
    *, actor: Access, decision: Decision, votes: list[tuple[Chamber, str]]
) -> list[Vote]:
    """Several chambers' votes on one decision (a session's show of hands), all or none."""
    return [
        vote_record(actor=actor, decision=decision, chamber=chamber, vote=choice)
        for chamber, choice in votes
    ]


@dataclass(frozen=True)
class Quorum:
    """Who counts at a meeting now: the full members on its date, those of them present, the
    quorum they need, and the full members not (yet) recorded present."""

    members: frozenset[int]
    present: frozenset[int]  # every chamber recorded present (observers too)
    needed: int

    @property
    def voters(self) -> frozenset[int]:
        """Full members present: the chambers whose votes count."""
        return self.members & self.present

    @property
    def met(self) -> bool:
        return bool(self.members) and len(self.voters) >= self.needed

    @property
    def missing(self) -> int:
        """How many more full members must be present for the quorum."""
        return max(self.needed - len(self.voters), 0)

    @property
    def absent_members(self) -> frozenset[int]:
        return self.members - self.present


def meeting_quorum(meeting: Meeting, rules: GovernanceRules | None = None) -> Quorum:
    """The quorum of a meeting as attendance stands (two queries): the check-in page and the
    count of every decision read it from here."""
    rules = rules or GovernanceRules.current()
    members = frozenset(meeting_voters(meeting))
    present = frozenset(
        Invitation.objects.filter(meeting=meeting, present=True).values_list(
            "chamber_id", flat=True
        )
    )
    needed = rules.quorum_of(len(members)) if members else 1
    return Quorum(members=members, present=present, needed=needed)


@dataclass
class Outcome:
    """How a decision stands: quorum, the count, and why it cannot be adopted (if so)."""

    full_members: int
    present_with_vote: int
    quorum_needed: int
    votes_for: int = 0
    votes_against: int = 0
    abstentions: int = 0
    majority: str = Majority.SIMPLE
    reasons: list[str] = field(default_factory=list)

    @property
    def has_quorum(self) -> bool:
        return self.full_members > 0 and self.present_with_vote >= self.quorum_needed

    @property
    def adopted(self) -> bool:
        return not self.reasons


def decision_outcome(decision: Decision) -> Outcome:
    """Compute, from attendance, membership on the meeting date and votes, whether the decision
    may be adopted, and if not, why. Majorities count the votes for and against; abstentions
    count towards the quorum only. A tie fails."""
    rules = GovernanceRules.current()
    return decision_outcome_at(decision, meeting_quorum(decision.meeting, rules), rules)


def decision_outcome_at(decision: Decision, quorum: Quorum, rules: GovernanceRules) -> Outcome:
    """:func:`decision_outcome` with the meeting's quorum already read (a page of several
    decisions reads it once)."""
    voters = quorum.voters
    outcome = Outcome(
        full_members=len(quorum.members),
        present_with_vote=len(voters),
        quorum_needed=quorum.needed,
        majority=rules.majority_for(decision.kind),
    )
    if not outcome.has_quorum:
        outcome.reasons.append(
            _("No quorum: %(present)s of %(members)s full members present, %(needed)s needed.")
            % {
                "present": outcome.present_with_vote,
                "members": outcome.full_members,
                "needed": outcome.quorum_needed,
            }
        )
    votes = list(decision.votes.all())
    for vote in votes:
        if vote.chamber_id not in voters:
            outcome.reasons.append(
                _("%(chamber)s voted without a vote at this meeting.")
                % {"chamber": vote.chamber.short_name}
            )
    count = tally(votes, voters)
    outcome.votes_for, outcome.votes_against = count.votes_for, count.against
    outcome.abstentions = count.abstain
    if decision.method == DecisionMethod.CONSENSUS:
        if outcome.votes_against:
            outcome.reasons.append(_("No consensus: a chamber objected."))
        return outcome
    if outcome.majority == Majority.TWO_THIRDS:
        passed = count.cast > 0 and 3 * count.votes_for >= 2 * count.cast
    else:
        passed = count.votes_for > count.against
    if not passed:
        outcome.reasons.append(
            _("Not enough votes: %(for)s for, %(against)s against (%(rule)s needed).")
            % {
                "for": outcome.votes_for,
                "against": outcome.votes_against,
                "rule": Majority(outcome.majority).label,
            }
        )
    return outcome


@transaction.atomic
def decision_adopt(
    *, actor: Access, decision: Decision, adopted_at: dt.datetime | None = None
) -> Decision:
    """Adopt a decision and apply its effects in the same transaction: a failing effect, or a
    failed quorum or majority, leaves no trace. A second adoption is refused (409).

    Locks, in the order of ``docs/locking.md``: the meeting (attendance recorded meanwhile
    must not change the count), the decision, then whatever the effects' services take."""
    require_staff(actor)
    Meeting.objects.select_for_update().get(pk=decision.meeting_id)
    decision = lock_open_decision(decision)
    outcome = decision_outcome(decision)
    if not outcome.adopted:
        raise DomainError(" ".join(outcome.reasons))
    decision.adopted_at = adopted_at or timezone.now()
    decision.save(update_fields=["adopted_at"])
    effect_registry.apply_effects(decision, actor)
    emit(DecisionAdopted(decision=decision))
    return decision
