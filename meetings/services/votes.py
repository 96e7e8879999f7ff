"""Who votes at a meeting, recording a vote, the count (quorum, majority, outcome) and the
adoption that rests on it.

The one way votes are counted (:func:`tally`): the adoption, the API and the portal use it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Set
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.db.models import Q
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


def require_session(decision: Decision) -> int:
    """A decision between sessions is voted in writing (its procedure), not at a meeting;
    returns the meeting's id."""
    if decision.meeting_id is None:
        raise DomainError(
            _("This decision belongs to no meeting: it is taken by written procedure.")
        )
    return decision.meeting_id


@transaction.atomic
def vote_record(*, actor: Access, decision: Decision, chamber: Chamber, vote: str) -> Vote:
    """Record one chamber's vote; a second vote of the same chamber is refused (409), also
    when two arrive at once (the database's unique constraint). A full member absent that gave
    its proxy to a member present votes through it: the vote names the holder. Locks the
    meeting, then the decision (docs/locking.md): attendance cannot change while the vote is
    checked."""
    require_staff(actor)
    Meeting.objects.select_for_update().get(pk=require_session(decision))
    decision = lock_open_decision(decision)
    if decision.method != DecisionMethod.VOTE:
        raise DomainError(_("This decision is taken by consensus, not by vote."), field="vote")
    if vote not in VoteChoice.values:
        raise DomainError(_("Vote for, against or abstain."), field="vote")
    meeting = decision.meeting
    assert meeting is not None  # require_session
    quorum = meeting_quorum(meeting)
    if chamber.pk not in quorum.members:
        raise DomainError(
            _("%(chamber)s has no vote at this meeting (not a full member on its date).")
            % {"chamber": chamber.short_name},
            field="chamber",
        )
    if chamber.pk not in quorum.voters:
        raise DomainError(
            _("%(chamber)s is not recorded as present.") % {"chamber": chamber.short_name},
            field="chamber",
        )
    if Vote.objects.filter(decision=decision, chamber=chamber).exists():
        raise ConflictError(_("This chamber's vote is already recorded."), field="chamber")
    record = Vote(
        decision=decision,
        chamber=chamber,
        vote=vote,
        proxy_holder_id=quorum.proxies.get(chamber.pk),
    )
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
    proxies of absent full members held by members present, the quorum they need, and the
    full members not (yet) recorded present."""

    members: frozenset[int]
    present: frozenset[int]  # every chamber recorded present (observers too)
    needed: int
    #: giver -> holder: an absent full member's vote, cast by a full member present.
    proxies: Mapping[int, int] = field(default_factory=dict)
    proxies_count: bool = False  # whether proxies count toward the quorum (governance rules)

    @property
    def voters(self) -> frozenset[int]:
        """The chambers whose votes count: full members present, and those voting by proxy."""
        return (self.members & self.present) | frozenset(self.proxies)

    @property
    def counted(self) -> int:
        """How many count toward the quorum: the full members present (and the proxies, when
        the rules say so)."""
        present = len(self.members & self.present)
        return present + (len(self.proxies) if self.proxies_count else 0)

    @property
    def met(self) -> bool:
        return bool(self.members) and self.counted >= self.needed

    @property
    def missing(self) -> int:
        """How many more full members must be present for the quorum."""
        return max(self.needed - self.counted, 0)

    @property
    def absent_members(self) -> frozenset[int]:
        return self.members - self.present


def meeting_quorum(meeting: Meeting, rules: GovernanceRules | None = None) -> Quorum:
    """The quorum of a meeting as attendance stands (three queries): the check-in page and
    the count of every decision read it from here."""
    rows = (
        Invitation.objects.filter(meeting=meeting)
        .filter(Q(present=True) | Q(proxy_holder__isnull=False))
        .values_list("chamber_id", "present", "proxy_holder_id")
    )
    return quorum_of(meeting_voters(meeting), rows, rules or GovernanceRules.current())


def quorum_of(
    members: Iterable[int],
    attendance: Iterable[tuple[int, bool | None, int | None]],
    rules: GovernanceRules,
) -> Quorum:
    """The quorum from the full members and ``(chamber, present, proxy holder)`` rows (a
    page passes its prefetched invitations). A proxy counts when its giver is a full member
    not present and its holder a full member present, at most ``proxies_per_holder`` per
    holder (by chamber id: the same ones on every page)."""
    members = frozenset(members)
    rows = sorted(attendance, key=lambda row: row[0])  # the same proxies whatever the order
    present = frozenset(chamber for chamber, here, _holder in rows if here)
    proxies: dict[int, int] = {}
    held: dict[int, int] = {}
    for giver, here, holder in rows:
        if holder is None or here or giver not in members:
            continue
        if holder not in members or holder not in present:
            continue
        # The rules as they stand: a cap lowered after the proxies were given counts fewer.
        if held.get(holder, 0) >= rules.proxies_per_holder:
            continue
        held[holder] = held.get(holder, 0) + 1
        proxies[giver] = holder
    needed = rules.quorum_of(len(members)) if members else 1
    return Quorum(
        members=members,
        present=present,
        needed=needed,
        proxies=proxies,
        proxies_count=rules.proxies_count_for_quorum,
    )


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
    require_session(decision)
    assert decision.meeting is not None
    rules = GovernanceRules.current()
    return decision_outcome_at(decision, meeting_quorum(decision.meeting, rules), rules)


def decision_outcome_at(decision: Decision, quorum: Quorum, rules: GovernanceRules) -> Outcome:
    """:func:`decision_outcome` with the meeting's quorum already read (a page of several
    decisions reads it once)."""
    voters = quorum.voters
    outcome = Outcome(
        full_members=len(quorum.members),
        present_with_vote=quorum.counted,
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
    if refused := majority_refusal(outcome.majority, count.votes_for, count.against):
        outcome.reasons.append(refused)
    return outcome


def majority_refusal(majority: str, votes_for: int, against: int) -> str:
    """Why ``votes_for`` against ``against`` do not make ``majority`` ("" when they do): the one
    majority rule of a session and of a written procedure. Abstentions are not counted; a tie
    fails; two thirds are of the votes cast, never rounded."""
    cast = votes_for + against
    if majority == Majority.TWO_THIRDS:
        passed = cast > 0 and 3 * votes_for >= 2 * cast
    else:
        passed = votes_for > against
    if passed:
        return ""
    return _("Not enough votes: %(for)s for, %(against)s against (%(rule)s needed).") % {
        "for": votes_for,
        "against": against,
        "rule": Majority(majority).label,
    }


@transaction.atomic
def decision_adopt(
    *, actor: Access, decision: Decision, adopted_at: dt.datetime | None = None
) -> Decision:
    """Adopt a decision and apply its effects in the same transaction: a failing effect, or a
    failed quorum or majority, leaves no trace. A second adoption is refused (409).

    Locks, in the order of ``docs/locking.md``: the meeting (attendance recorded meanwhile
    must not change the count), the decision, then whatever the effects' services take."""
    require_staff(actor)
    Meeting.objects.select_for_update().get(pk=require_session(decision))
    decision = lock_open_decision(decision)
    outcome = decision_outcome(decision)
    if not outcome.adopted:
        raise DomainError(" ".join(outcome.reasons))
    decision.adopted_at = adopted_at or timezone.now()
    decision.save(update_fields=["adopted_at"])
    effect_registry.apply_effects(decision, actor)
    emit(DecisionAdopted(decision=decision))
    return decision
