"""Decisions between sessions, through the services: opening, answers and their history, the
close (exactly once, never early), effects applied or refused, withdrawal, and proxies at a
session."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone

from chambers.models import MembershipStatus
from core.access import SYSTEM, access_for_user
from core.errors import ConflictError, DomainError, ForbiddenError
from core.events import Phase, bus
from meetings import selectors, services
from meetings.events import DecisionAdopted, ProcedureClosed, ProcedureOpened
from meetings.models import (
    RSVP,
    BallotChange,
    Decision,
    GovernanceRules,
    Priority,
    Procedure,
    ProcedureState,
    Vote,
)
from tests.factories import make_chamber
from tests.scenes import attend, make_meeting, make_priority

pytestmark = pytest.mark.django_db


def _user(username):
    from django.contrib.auth import get_user_model

    return access_for_user(get_user_model().objects.get(username=username))


def between_sessions(**data) -> Decision:
    fields = {"kind": "general", "title": "Statement on trade", **data}
    return services.decision_create(actor=SYSTEM, meeting=None, data=fields)


def open_now(decision, *, mode="vote", hours=48, **data):
    closes_at = timezone.now() + dt.timedelta(hours=hours)
    return services.procedure_open(
        actor=SYSTEM, decision=decision, mode=mode, closes_at=closes_at, data=data
    )


def answer(decision, chamber, choice, **kwargs):
    actor = kwargs.pop("actor", SYSTEM)
    if actor is SYSTEM:
        kwargs.setdefault("received_on", timezone.localdate())
    return services.ballot_cast(
        actor=actor, decision=decision, chamber=chamber, answer=choice, **kwargs
    )


def after_deadline(procedure):
    return procedure.closes_at + dt.timedelta(seconds=1)


@pytest.fixture
def events():
    seen = []

    def keep(event):
        seen.append(event)

    for kind in (ProcedureOpened, ProcedureClosed, DecisionAdopted):
        bus.subscribe(kind, keep, phase=Phase.IN_TRANSACTION)
    yield seen
    for kind in (ProcedureOpened, ProcedureClosed, DecisionAdopted):
        bus.unsubscribe(kind, keep)


def test_a_decision_between_sessions_is_numbered_per_year(union):
    first, second = between_sessions(), between_sessions(title="Budget line")
    year = timezone.localdate().year
    assert (first.year, first.number, second.number) == (year, 1, 2)
    assert second.reference == f"Decision {year}/2 between sessions"
    assert second.meeting is None


def test_membership_decisions_are_reserved_to_a_session(union):
    with pytest.raises(DomainError) as refused:
        between_sessions(kind="membership")
    assert refused.value.field == "kind"
    rules = GovernanceRules.current()
    rules.procedure_membership = True
    rules.save()
    assert between_sessions(kind="membership").kind == "membership"


def test_a_meeting_may_refer_a_decision_to_written_procedure(union):
    meeting = make_meeting(kind="ga_ordinary", session_number=3)
    decision = services.decision_create(
        actor=SYSTEM, meeting=meeting, data={"kind": "rotation", "title": "Next chair"}
    )
    procedure = open_now(decision)
    assert procedure.decision.meeting_id == meeting.pk


def test_the_voters_are_the_full_members_on_the_opening_day(union, events):
    decision = between_sessions()
    procedure = open_now(decision, letter="Dear colleagues")
    voters = set(procedure.voters.values_list("slug", flat=True))
    assert voters == {"home", "other"}  # the observer has no vote
    assert procedure.letter == "Dear colleagues"
    assert [type(e) for e in events] == [ProcedureOpened]
    late = make_chamber(slug="late", short_name="Late CCI", country="UZ")
    with pytest.raises(DomainError) as refused:
        answer(decision, late, "for")
    assert refused.value.field == "chamber"


@pytest.mark.parametrize(
    ("closes_at", "field"),
    [
        (timezone.now() - dt.timedelta(minutes=1), "closes_at"),
        (dt.datetime(2031, 1, 1, 12, 0), "closes_at"),  # no time zone
        (dt.datetime(2400, 1, 1, tzinfo=dt.UTC), "closes_at"),
    ],
)
def test_a_deadline_must_be_in_the_future_with_its_zone(union, closes_at, field):
    decision = between_sessions()
    with pytest.raises(DomainError) as refused:
        services.procedure_open(actor=SYSTEM, decision=decision, mode="vote", closes_at=closes_at)
    assert refused.value.field == field
    assert not Procedure.objects.exists()


def test_a_decision_under_procedure_does_not_change_and_opens_once(union):
    decision = between_sessions()
    open_now(decision)
    with pytest.raises(ConflictError):
        open_now(decision)
    with pytest.raises(ConflictError):
        services.decision_update(actor=SYSTEM, decision=decision, data={"title": "Other"})


def test_an_editor_answers_for_its_own_chamber_only_and_changes_are_kept(union):
    decision = between_sessions()
    open_now(decision)
    editor = _user("editor")
    answer(decision, union.home, "against", actor=editor)
    ballot = answer(decision, union.home, "for", actor=editor)
    assert ballot.answer == "for"
    history = list(BallotChange.objects.filter(ballot=ballot).values_list("answer", flat=True))
    assert history == ["against", "for"]
    with pytest.raises(ForbiddenError):
        answer(decision, union.other, "for", actor=editor)
    with pytest.raises(DomainError) as paper:
        answer(decision, union.home, "for", actor=editor, received_on=timezone.localdate())
    assert paper.value.field == "received_on"


def test_an_observer_never_answers(union):
    from tests.factories import make_login

    make_login(union.observer, "editor", username="observer_editor")
    decision = between_sessions()
    open_now(decision)
    with pytest.raises(ForbiddenError):
        answer(decision, union.observer, "for", actor=_user("observer_editor"))


def test_staff_record_a_paper_answer_with_the_day_received(union):
    decision = between_sessions()
    open_now(decision)
    with pytest.raises(DomainError) as missing:
        services.ballot_cast(actor=SYSTEM, decision=decision, chamber=union.home, answer="for")
    assert missing.value.field == "received_on"
    ballot = answer(decision, union.home, "abstain")
    assert ballot.received_on == timezone.localdate()


def test_silence_takes_objections_with_a_reason(union):
    decision = between_sessions()
    open_now(decision, mode="silence")
    with pytest.raises(DomainError) as wrong:
        answer(decision, union.home, "for")
    assert wrong.value.field == "vote"
    with pytest.raises(DomainError) as reasonless:
        answer(decision, union.home, "objection")
    assert reasonless.value.field == "reason"
    assert answer(decision, union.home, "objection", reason="Not consulted").reason


def test_silence_is_adopted_at_the_deadline_unless_someone_objects(union, events):
    adopted, objected = between_sessions(), between_sessions(title="Second")
    first, second = open_now(adopted, mode="silence"), open_now(objected, mode="silence")
    answer(objected, union.other, "objection", reason="Budget")
    closed = services.procedures_close_due(now=after_deadline(first))
    assert {p.pk for p in closed} == {first.pk, second.pk}
    adopted.refresh_from_db()
    objected.refresh_from_db()
    assert adopted.adopted_at == first.closes_at  # taken at its deadline
    assert objected.adopted_at is None
    second.refresh_from_db()
    assert second.adopted is False
    assert services.outcome_of(second).reasons == ["Silence broken: 1 objection."]
    assert [type(e).__name__ for e in events].count("DecisionAdopted") == 1


def test_it_never_closes_before_its_deadline_and_closes_once(union, events):
    decision = between_sessions()
    procedure = open_now(decision)
    answer(decision, union.home, "for")
    assert services.procedures_close_due() == []
    assert services.procedure_close(actor=None, decision=decision) is None
    later = after_deadline(procedure)
    assert len(services.procedures_close_due(now=later)) == 1
    assert services.procedures_close_due(now=later) == []
    assert services.procedure_close(actor=None, decision=decision, now=later) is None
    with pytest.raises(ConflictError):
        services.procedure_close(actor=SYSTEM, decision=decision, now=later)
    procedure.refresh_from_db()
    assert procedure.state == ProcedureState.CLOSED and procedure.closed_by is None
    # 1 of 2 voters answered: the default quorum of 2/3 needs 2.
    assert procedure.adopted is False
    assert "No quorum" in services.outcome_of(procedure).reasons[0]
    assert [type(e).__name__ for e in events] == ["ProcedureOpened", "ProcedureClosed"]


def test_an_answer_after_the_deadline_is_refused(union, monkeypatch):
    decision = between_sessions()
    procedure = open_now(decision)
    monkeypatch.setattr(timezone, "now", lambda: after_deadline(procedure))
    with pytest.raises(ConflictError):
        answer(decision, union.home, "for", received_on=timezone.localdate())


def test_staff_close_early_only_when_everyone_answered(union):
    decision = between_sessions()
    open_now(decision)
    answer(decision, union.home, "for")
    with pytest.raises(DomainError):
        services.procedure_close(actor=SYSTEM, decision=decision)
    answer(decision, union.other, "for")
    procedure = services.procedure_close(actor=SYSTEM, decision=decision)
    assert procedure.adopted is True
    decision.refresh_from_db()
    assert decision.is_adopted


def test_the_effects_apply_with_the_outcome(union):
    priority = make_priority()
    decision = between_sessions(
        kind="priorities", effects=[{"type": "activate_priorities", "priorities": [priority.pk]}]
    )
    open_now(decision)
    answer(decision, union.home, "for")
    answer(decision, union.other, "for")
    services.procedure_close(actor=SYSTEM, decision=decision)
    priority.refresh_from_db()
    assert priority.status == Priority.Status.ACTIVE and priority.decision_id == decision.pk


def test_an_effect_refused_leaves_nothing_applied_and_says_why(union):
    first, second = make_priority(), make_priority(title="Second")
    decision = between_sessions(
        kind="priorities",
        effects=[{"type": "activate_priorities", "priorities": [first.pk, second.pk]}],
    )
    open_now(decision)
    answer(decision, union.home, "for")
    answer(decision, union.other, "for")
    # Meanwhile the second priority is activated by another decision: the effect is refused.
    Priority.objects.filter(pk=second.pk).update(status=Priority.Status.DROPPED)
    procedure = services.procedure_close(actor=SYSTEM, decision=decision)
    assert procedure.adopted is False and procedure.refusal
    decision.refresh_from_db()
    first.refresh_from_db()
    assert decision.adopted_at is None
    assert first.status == Priority.Status.PROPOSED


def test_a_withdrawn_procedure_counts_nothing_and_may_be_put_again(union, events):
    decision = between_sessions()
    open_now(decision)
    answer(decision, union.home, "for")
    withdrawn = services.procedure_withdraw(actor=SYSTEM, decision=decision)
    assert withdrawn.state == ProcedureState.WITHDRAWN
    with pytest.raises(ConflictError):
        answer(decision, union.home, "for")
    services.decision_update(actor=SYSTEM, decision=decision, data={"title": "Amended"})
    again = open_now(decision)
    assert again.ballots.count() == 0
    assert selectors.current_procedure(decision) == again


def test_the_command_closes_what_is_due(union, monkeypatch, capsys):
    decision = between_sessions()
    procedure = open_now(decision, mode="silence")
    monkeypatch.setattr(timezone, "now", lambda: after_deadline(procedure))
    call_command("close_procedures")
    out = capsys.readouterr().out
    assert f"{decision.reference}: adopted" in out
    assert "1 procedure closed." in out


def test_a_session_does_not_vote_a_decision_between_sessions(union):
    decision = between_sessions()
    with pytest.raises(DomainError):
        services.decision_adopt(actor=SYSTEM, decision=decision)


# Proxies at a session ------------------------------------------------------------------------


@pytest.fixture
def session(union):
    third = make_chamber(slug="third", short_name="Third CCI", country="AZ")
    meeting = make_meeting()
    editors = {}
    from tests.factories import make_login

    make_login(third, "editor", username="third_editor")
    editors["home"], editors["other"], editors["third"] = (
        _user("editor"),
        _user("other_editor"),
        _user("third_editor"),
    )
    return meeting, third, editors


def respond(meeting, chamber, actor, response, proxy=None):
    return services.invitation_respond(
        actor=actor, meeting=meeting, chamber=chamber, response=response, proxy=proxy
    )


def test_an_absent_member_votes_through_its_proxy(union, session):
    meeting, third, editors = session
    respond(meeting, union.other, editors["other"], RSVP.ATTENDING)
    respond(meeting, union.home, editors["home"], RSVP.DECLINED, proxy=union.other)
    attend(meeting, [union.other, third])
    decision = services.decision_create(
        actor=SYSTEM, meeting=meeting, data={"kind": "general", "title": "T", "method": "vote"}
    )
    services.vote_record(actor=SYSTEM, decision=decision, chamber=union.home, vote="for")
    vote = Vote.objects.get(decision=decision, chamber=union.home)
    assert vote.proxy_holder_id == union.other.pk
    quorum = services.meeting_quorum(meeting)
    assert quorum.proxies == {union.home.pk: union.other.pk}
    assert quorum.counted == 2  # proxies do not count toward the quorum by default
    rules = GovernanceRules.current()
    rules.proxies_count_for_quorum = True
    rules.save()
    assert services.meeting_quorum(meeting).counted == 3


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("attending", "attends votes itself"),
        ("holder_absent", "has not said it attends"),
        ("holder_observer", "not a full member"),
        ("cap", "already holds 1 proxy"),
        ("none_allowed", "allow no proxies"),
    ],
)
def test_proxy_refusals_name_the_reason(union, session, case, message):
    meeting, third, editors = session
    respond(meeting, union.other, editors["other"], RSVP.ATTENDING)
    response, holder = RSVP.DECLINED, union.other
    if case == "attending":
        response = RSVP.ATTENDING
    elif case == "holder_absent":
        holder = third
    elif case == "holder_observer":
        holder = union.observer
    elif case == "cap":
        respond(meeting, third, editors["third"], RSVP.DECLINED, proxy=union.other)
    elif case == "none_allowed":
        GovernanceRules.objects.update_or_create(pk=1, defaults={"proxies_per_holder": 0})
    with pytest.raises(DomainError) as refused:
        respond(meeting, union.home, editors["home"], response, proxy=holder)
    assert refused.value.field == "proxy"
    assert message in refused.value.message


def test_a_suspended_member_gives_no_proxy(union, session):
    meeting, third, editors = session
    from chambers import services as chamber_services

    respond(meeting, union.other, editors["other"], RSVP.ATTENDING)
    chamber_services.membership_change_status(
        actor=SYSTEM,
        chamber=third,
        status=MembershipStatus.SUSPENDED,
        effective=timezone.localdate(),
    )
    with pytest.raises(DomainError) as refused:
        respond(meeting, third, editors["third"], RSVP.DECLINED, proxy=union.other)
    assert "full member" in refused.value.message


# The next General Assembly's agenda ---------------------------------------------------------


def test_the_next_session_lists_the_decisions_taken_by_written_procedure(
    union, django_capture_on_commit_callbacks
):
    held = make_meeting(kind="ga_ordinary", session_number=4, days_from_now=-100)
    held.status = "held"
    held.save()
    adopted = between_sessions(title="Statement on transit")
    procedure = open_now(adopted, mode="silence")
    with django_capture_on_commit_callbacks(execute=True):
        services.procedures_close_due(now=after_deadline(procedure))
    # The session is created after the close: its agenda gets the item at once.
    nxt = make_meeting(kind="ga_ordinary", session_number=5, days_from_now=60)
    item = nxt.agenda.get(source="procedures")
    assert item.title == "Decisions taken by written procedure since the last session"
    assert adopted.reference in item.description and "adopted" in item.description
    # In every working language, each in its own words.
    assert item.title_ru and item.title_kk and item.title_ru != item.title
    # Another procedure closes: the next session's item is brought up to date, not doubled.
    second = between_sessions(title="Budget line")
    other = open_now(second)
    with django_capture_on_commit_callbacks(execute=True):
        services.procedures_close_due(now=after_deadline(other))
    item.refresh_from_db()
    assert "Budget line" in item.description and "not adopted" in item.description
    assert nxt.agenda.filter(source="procedures").count() == 1


def test_a_session_without_procedures_since_the_last_gets_no_item(union):
    meeting = make_meeting(kind="ga_ordinary", session_number=6, days_from_now=60)
    assert not meeting.agenda.filter(source="procedures").exists()


def test_the_deadline_is_shown_in_the_zone_it_was_set_in(union):
    import zoneinfo

    decision = between_sessions()
    astana = zoneinfo.ZoneInfo("Asia/Almaty")
    closes_at = (
        (timezone.now() + dt.timedelta(days=3))
        .astimezone(astana)
        .replace(hour=18, minute=0, second=0, microsecond=0)
    )
    procedure = services.procedure_open(
        actor=SYSTEM, decision=decision, mode="vote", closes_at=closes_at
    )
    assert procedure.time_zone == "Asia/Almaty"
    assert procedure.local_closes_at.hour == 18
    with pytest.raises(DomainError) as refused:
        services.procedure_open(
            actor=SYSTEM,
            decision=between_sessions(),
            mode="vote",
            closes_at=closes_at,
            time_zone="Mars/Olympus",
        )
    assert refused.value.field == "time_zone"


def test_proxies_count_within_the_cap_as_it_stands(union, session):
    meeting, third, editors = session
    rules = GovernanceRules.current()
    rules.proxies_per_holder = 2
    rules.save()
    respond(meeting, union.other, editors["other"], RSVP.ATTENDING)
    respond(meeting, union.home, editors["home"], RSVP.DECLINED, proxy=union.other)
    respond(meeting, third, editors["third"], RSVP.DECLINED, proxy=union.other)
    attend(meeting, [union.other])
    assert len(services.meeting_quorum(meeting).proxies) == 2
    rules.proxies_per_holder = 1
    rules.save()
    assert list(services.meeting_quorum(meeting).proxies) == [min(union.home.pk, third.pk)]
    rules.proxies_per_holder = 0
    rules.save()
    assert services.meeting_quorum(meeting).proxies == {}
    decision = services.decision_create(
        actor=SYSTEM, meeting=meeting, data={"kind": "general", "title": "T", "method": "vote"}
    )
    with pytest.raises(DomainError):
        services.vote_record(actor=SYSTEM, decision=decision, chamber=union.home, vote="for")
