"""The outcome of a written procedure (issue 13, work in progress), as property tests: any
voters, answers and rules."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from meetings.models import DecisionKind, GovernanceRules, Majority
from meetings.services.procedures import SILENCE, VOTE, procedure_outcome

KINDS = [k for k in DecisionKind.values if hasattr(GovernanceRules, f"majority_{k}")]


@st.composite
def procedures(draw):
    voters = draw(st.sets(st.integers(1, 30), max_size=12))
    others = draw(st.sets(st.integers(31, 40), max_size=3))  # chambers without a vote
    answering = (
        draw(st.sets(st.sampled_from(sorted(voters | others)), max_size=15))
        if (voters | others)
        else set()
    )
    mode = draw(st.sampled_from([VOTE, SILENCE]))
    choices = ["objection"] if mode == SILENCE else ["for", "against", "abstain"]
    answers = {chamber: draw(st.sampled_from(choices)) for chamber in answering}
    numerator = draw(st.integers(1, 5))
    rules = GovernanceRules(
        quorum_numerator=numerator,
        quorum_denominator=draw(st.integers(numerator, 6)),
        majority_general=draw(st.sampled_from(Majority.values)),
        majority_rotation=draw(st.sampled_from(Majority.values)),
    )
    return mode, draw(st.sampled_from(["general", "rotation"])), voters, answers, rules


@given(procedures())
def test_the_outcome_follows_the_rules(case):
    mode, kind, voters, answers, rules = case
    outcome = procedure_outcome(mode=mode, kind=kind, voters=voters, answers=answers, rules=rules)
    counted = {c: a for c, a in answers.items() if c in voters}
    assert outcome.answered == len(counted) <= len(voters)
    if not voters:
        assert not outcome.adopted
    elif mode == SILENCE:
        assert outcome.adopted == ("objection" not in counted.values())
    else:
        yes = list(counted.values()).count("for")
        no = list(counted.values()).count("against")
        quorum = len(counted) * rules.quorum_denominator >= len(voters) * rules.quorum_numerator
        majority = (
            3 * yes >= 2 * (yes + no) and yes + no > 0
            if rules.majority_for(kind) == Majority.TWO_THIRDS
            else yes > no
        )
        assert outcome.adopted == (quorum and majority)


@given(procedures())
def test_an_answer_from_a_chamber_without_a_vote_never_changes_the_outcome(case):
    mode, kind, voters, answers, rules = case
    alone = {c: a for c, a in answers.items() if c in voters}
    with_others = procedure_outcome(
        mode=mode, kind=kind, voters=voters, answers=answers, rules=rules
    )
    without = procedure_outcome(mode=mode, kind=kind, voters=voters, answers=alone, rules=rules)
    assert with_others == without
