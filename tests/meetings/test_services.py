"""Meetings services: quorum and majority, votes, adoption and its effects, RSVP, uploads."""

from __future__ import annotations

import datetime as dt
import threading
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from chambers.models import MembershipPeriod
from core.errors import ConflictError, DomainError, ForbiddenError
from meetings import services
from meetings.models import Decision, GovernanceRules, Invitation, Meeting, Priority, to_roman
from tests import scenes
from tests.conftest import requires_postgres
from tests.factories import SYSTEM, make_chamber, make_contact, make_login
from tests.scenes import attend, vote
from tests.scenes import make_decision as decision

D = dt.date
UTC = ZoneInfo("UTC")


def make_meeting(**data) -> Meeting:
    """A General Assembly on 2026-01-08 (session I unless told), UTC, untitled."""
    session = {
        "kind": "ga_ordinary",
        "session_number": 1,
        "title": "",
        "starts_at": dt.datetime(2026, 1, 8, 10, tzinfo=UTC),
        "ends_at": dt.datetime(2026, 1, 8, 18, tzinfo=UTC),
        "time_zone": "UTC",
    }
    return scenes.make_meeting(**{**session, **data})


@pytest.fixture
def assembly(db) -> dict:
    """Six full members, one observer, one suspended member; a General Assembly in 2026."""
    members = [make_chamber(slug=f"m{i}", short_name=f"M{i}") for i in range(6)]
    observer = make_chamber(slug="obs", short_name="OBS", status="observer")
    suspended = make_chamber(slug="sus", short_name="SUS", status="suspended")
    meeting = make_meeting()
    return {"members": members, "observer": observer, "suspended": suspended, "meeting": meeting}


def test_roman_numerals_and_title():
    assert [to_roman(n) for n in (1, 3, 4, 9, 14, 40, 1999)] == [
        "I", "III", "IV", "IX", "XIV", "XL", "MCMXCIX",
    ]  # fmt: skip
    meeting = Meeting(kind="ga_ordinary", session_number=3)
    assert meeting.display_title == "III General Assembly"


def test_creating_a_meeting_invites_members_and_observers_on_its_date(assembly):
    invited = set(assembly["meeting"].invitations.values_list("chamber__slug", flat=True))
    assert invited == {"m0", "m1", "m2", "m3", "m4", "m5", "obs"}  # not the suspended one


def test_quorum_counts_full_members_only(assembly):
    """Two thirds of 6 full members = 4. Observers and suspended members present do not count."""
    meeting, members = assembly["meeting"], assembly["members"]
    attend(meeting, [*members[:3], assembly["observer"], assembly["suspended"]])
    outcome = services.decision_outcome(decision(meeting, method="consensus"))
    assert (outcome.full_members, outcome.present_with_vote, outcome.quorum_needed) == (6, 3, 4)
    assert not outcome.has_quorum
    assert "No quorum" in outcome.reasons[0]
    attend(meeting, members[3:4])
    assert services.decision_outcome(decision(meeting, method="consensus")).adopted


@pytest.mark.parametrize(
    ("majority", "votes_for", "against", "abstain", "adopted"),
    [
        ("simple", 3, 2, 1, True),
        ("simple", 3, 3, 0, False),  # a tie fails
        ("simple", 2, 1, 3, True),  # abstentions count for quorum only
        ("two_thirds", 4, 2, 0, True),  # exactly two thirds
        ("two_thirds", 3, 2, 1, False),
        ("two_thirds", 0, 0, 6, False),  # nobody for
    ],
)
def test_majority(assembly, majority, votes_for, against, abstain, adopted):
    GovernanceRules.objects.update_or_create(pk=1, defaults={"majority_general": majority})
    meeting, members = assembly["meeting"], assembly["members"]
    attend(meeting, members)
    d = decision(meeting)
    vote(d, members[:votes_for], "for")
    vote(d, members[votes_for : votes_for + against], "against")
    vote(d, members[votes_for + against : votes_for + against + abstain], "abstain")
    outcome = services.decision_outcome(d)
    assert outcome.adopted is adopted
    if not adopted:
        assert "Not enough votes" in outcome.reasons[-1]


def test_quorum_setting_is_data(assembly):
    GovernanceRules.objects.update_or_create(
        pk=1, defaults={"quorum_numerator": 1, "quorum_denominator": 2}
    )
    attend(assembly["meeting"], assembly["members"][:3])
    assert services.decision_outcome(decision(assembly["meeting"], method="consensus")).adopted


def test_chamber_without_a_vote_cannot_vote(assembly):
    meeting = assembly["meeting"]
    attend(meeting, [assembly["observer"], assembly["suspended"], assembly["members"][0]])
    d = decision(meeting)
    for chamber in (assembly["observer"], assembly["suspended"]):
        with pytest.raises(DomainError, match="no vote") as err:
            services.vote_record(actor=SYSTEM, decision=d, chamber=chamber, vote="for")
        assert err.value.field == "chamber"
    with pytest.raises(DomainError, match="not recorded as present"):
        services.vote_record(actor=SYSTEM, decision=d, chamber=assembly["members"][1], vote="for")
    assert not d.votes.exists()


def test_a_vote_taken_away_by_suspension_refuses_adoption(assembly):
    """A chamber suspended with effect on the meeting date loses its vote: a vote it cast
    before the change makes the adoption refuse, saying why."""
    meeting, members = assembly["meeting"], assembly["members"]
    attend(meeting, members)
    d = decision(meeting)
    vote(d, members, "for")
    from chambers import services as chamber_services

    MembershipPeriod.objects.filter(chamber=members[0]).update(start=D(2019, 1, 1))
    chamber_services.membership_change_status(
        actor=SYSTEM, chamber=members[0], status="suspended", effective=D(2026, 1, 1)
    )
    with pytest.raises(DomainError, match="voted without a vote"):
        services.decision_adopt(actor=SYSTEM, decision=d)


def test_second_vote_of_a_chamber_is_a_conflict(assembly):
    meeting, members = assembly["meeting"], assembly["members"]
    attend(meeting, members)
    d = decision(meeting)
    vote(d, members[:1], "for")
    with pytest.raises(ConflictError):
        vote(d, members[:1], "against")
    assert d.votes.get().vote == "for"


@requires_postgres
@pytest.mark.django_db(transaction=True)
def test_one_vote_per_chamber_under_concurrent_requests():
    members = [make_chamber(slug=f"c{i}", short_name=f"C{i}") for i in range(3)]
    meeting = make_meeting()
    attend(meeting, members)
    d = decision(meeting)
    barrier = threading.Barrier(4)
    outcomes: list[str] = []

    def cast(choice: str) -> None:
        barrier.wait()
        try:
            services.vote_record(actor=SYSTEM, decision=d, chamber=members[0], vote=choice)
            outcomes.append("recorded")
        except ConflictError:
            outcomes.append("conflict")
        finally:
            connection.close()

    threads = [
        threading.Thread(target=cast, args=(c,)) for c in ("for", "against", "for", "abstain")
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["conflict", "conflict", "conflict", "recorded"]
    assert d.votes.count() == 1


def test_membership_decision_applies_its_effect_with_the_decision_as_basis(assembly):
    meeting, members = assembly["meeting"], assembly["members"]
    attend(meeting, members)
    d = decision(
        meeting,
        kind="membership",
        method="consensus",
        effects=[
            {
                "type": "change_status",
                "chamber": "obs",
                "status": "member",
                "effective": "2026-03-01",
            }
        ],
    )
    services.decision_adopt(actor=SYSTEM, decision=d)
    observer = assembly["observer"]
    assert observer.status_on(D(2026, 3, 1)) == "member"
    period = observer.periods.get(start=D(2026, 3, 1))
    assert period.decision == d
    assert period.basis == "I General Assembly, decision 1"


def test_failing_effect_rolls_the_adoption_back(assembly):
    """The second effect fails (the chamber is already a member then): the first effect and
    the adoption itself leave no trace."""
    meeting, members = assembly["meeting"], assembly["members"]
    attend(meeting, members)
    effects = [
        {"type": "change_status", "chamber": "obs", "status": "member", "effective": "2026-03-01"},
        {"type": "admit", "chamber": "m0", "status": "member", "effective": "2026-03-01"},
    ]
    d = decision(meeting, kind="membership", method="consensus", effects=effects)
    periods_before = list(MembershipPeriod.objects.values_list("pk", "chamber_id", "start", "end"))
    with pytest.raises(DomainError, match="already in the union"):
        services.decision_adopt(actor=SYSTEM, decision=d)
    d.refresh_from_db()
    assert not d.is_adopted
    assert (
        list(MembershipPeriod.objects.values_list("pk", "chamber_id", "start", "end"))
        == periods_before
    )


def test_priorities_decision_activates_its_priorities(assembly):
    meeting = assembly["meeting"]
    attend(meeting, assembly["members"])
    priority = services.priority_create(
        actor=SYSTEM,
        data={"title": "Trade", "period_start": D(2026, 1, 1), "period_end": D(2026, 12, 31)},
    )
    d = decision(
        meeting,
        kind="priorities",
        method="consensus",
        effects=[{"type": "activate_priorities", "priorities": [priority.pk]}],
    )
    services.decision_adopt(actor=SYSTEM, decision=d)
    priority.refresh_from_db()
    assert (priority.status, priority.decision) == (Priority.Status.ACTIVE, d)


@pytest.mark.parametrize(
    ("kind", "effects", "message"),
    [
        ("general", [{"type": "change_status"}], "is not for a decision of this kind"),
        ("membership", [{"type": "teleport"}], "unknown type"),
        ("membership", [{"chamber": "x"}], "needs a type"),
        ("membership", {"type": "change_status"}, "list"),
        (
            "membership",
            [
                {
                    "type": "change_status",
                    "chamber": "nope",
                    "status": "member",
                    "effective": "2026-01-01",
                }
            ],
            "chamber",
        ),
        (
            "membership",
            [
                {
                    "type": "change_status",
                    "chamber": "obs",
                    "status": "king",
                    "effective": "2026-01-01",
                }
            ],
            "status",
        ),
        ("priorities", [{"type": "activate_priorities", "priorities": []}], "priorities"),
    ],
)
def test_bad_effects_refused_when_recorded(assembly, kind, effects, message):
    with pytest.raises(DomainError, match=message) as err:
        decision(assembly["meeting"], kind=kind, method="consensus", effects=effects)
    assert err.value.field == "effects"
    assert not Decision.objects.exists()


def test_adopted_decisions_are_immutable_and_adopt_once(assembly):
    meeting = assembly["meeting"]
    attend(meeting, assembly["members"])
    d = decision(meeting, method="consensus")
    services.decision_adopt(actor=SYSTEM, decision=d)
    with pytest.raises(ConflictError):
        services.decision_adopt(actor=SYSTEM, decision=d)
    with pytest.raises(ConflictError):
        services.decision_update(actor=SYSTEM, decision=d, data={"title": "Rewritten"})
    d.refresh_from_db()
    assert d.title == "On something"
    services.decision_publish(actor=SYSTEM, decision=d, published=True)
    d.refresh_from_db()
    assert d.published and d.title == "On something"


def test_decisions_are_numbered_per_meeting(assembly):
    other = make_meeting(session_number=2)
    numbers = [decision(assembly["meeting"]).number, decision(assembly["meeting"]).number]
    assert numbers == [1, 2]
    assert decision(other).number == 1


def test_rsvp_with_delegates(assembly):
    home = assembly["members"][0]
    editor = make_login(home, "editor", username="ed")
    from core.access import access_for_user

    actor = access_for_user(editor)
    jane = make_contact(home, name="Jane")
    stranger = make_contact(assembly["members"][1], name="Stranger")
    meeting = make_meeting(session_number=9, status="planned")
    services.invitation_respond(
        actor=actor, meeting=meeting, chamber=home, response="attending", delegates=[jane]
    )
    invitation = Invitation.objects.get(meeting=meeting, chamber=home)
    assert invitation.response == "attending"
    assert list(invitation.delegates.all()) == [jane]
    with pytest.raises(DomainError) as err:
        services.invitation_respond(
            actor=actor, meeting=meeting, chamber=home, response="attending", delegates=[stranger]
        )
    assert err.value.field == "delegates"
    assert list(invitation.delegates.all()) == [jane]
    with pytest.raises(ForbiddenError):
        services.invitation_respond(
            actor=actor, meeting=meeting, chamber=assembly["members"][1], response="declined"
        )


def _pdf(size: int = 100) -> bytes:
    return b"%PDF-1.4\n" + b"0" * size + b"\n%%EOF\n"


def test_document_upload_checks_content_and_size(assembly, settings, tmp_path):
    settings.DOCUMENTS_ROOT = tmp_path
    meeting = assembly["meeting"]
    upload = SimpleUploadedFile("agenda.PDF", _pdf(), content_type="text/plain")
    document = services.document_add(actor=SYSTEM, meeting=meeting, title="Agenda", upload=upload)
    assert document.content_type == "application/pdf"
    assert document.original_name == "agenda.PDF"  # kept as data, not as the stored name
    assert document.file.name.startswith(f"meetings/{meeting.pk}/")
    assert "agenda" not in document.file.name and document.file.name.endswith(".pdf")
    fake = SimpleUploadedFile(
        "minutes.pdf", b"MZ\x90\x00 this is an executable", content_type="application/pdf"
    )
    with pytest.raises(DomainError, match="not accepted") as err:
        services.document_add(actor=SYSTEM, meeting=meeting, title="Bad", upload=fake)
    assert err.value.field == "file"
    settings.MEETING_DOCUMENT_MAX_BYTES = 1024
    big = SimpleUploadedFile("big.pdf", _pdf(2048))
    with pytest.raises(DomainError, match="larger than"):
        services.document_add(actor=SYSTEM, meeting=meeting, title="Big", upload=big)
    assert meeting.documents.count() == 1
    assert [p.name for p in (tmp_path / "meetings" / str(meeting.pk)).iterdir()] == [
        document.file.name.rsplit("/", 1)[-1]
    ]


def test_action_item_update_by_responsible_editor_with_note(assembly):
    home, other = assembly["members"][:2]
    priority = services.priority_create(
        actor=SYSTEM,
        data={"title": "T", "period_start": D(2026, 1, 1), "period_end": D(2026, 12, 31)},
    )
    item = services.action_item_create(
        actor=SYSTEM, priority=priority, data={"title": "Do", "responsible": home}
    )
    from core.access import access_for_user

    editor = access_for_user(make_login(home, "editor", username="ed2"))
    services.action_item_update(
        actor=editor, item=item, data={"status": "in_progress", "progress": 30}, note="Started"
    )
    item.refresh_from_db()
    assert (item.status, item.progress) == ("in_progress", 30)
    note = item.notes.get()
    assert (note.text, note.progress, note.author.username) == ("Started", 30, "ed2")
    with pytest.raises(ForbiddenError):
        services.action_item_update(actor=editor, item=item, data={"title": "Renamed"})
    outsider = access_for_user(make_login(other, "editor", username="ed3"))
    with pytest.raises(ForbiddenError):
        services.action_item_update(actor=outsider, item=item, data={"progress": 90})
    with pytest.raises(DomainError) as err:
        services.action_item_update(actor=editor, item=item, data={"progress": 150})
    assert err.value.field == "progress"


def test_agenda_reorder(assembly):
    meeting = assembly["meeting"]
    items = [
        services.agenda_item_add(actor=SYSTEM, meeting=meeting, data={"title": t}) for t in "ABC"
    ]
    services.agenda_reorder(
        actor=SYSTEM, meeting=meeting, item_ids=[items[2].pk, items[0].pk, items[1].pk]
    )
    assert list(meeting.agenda.values_list("title", flat=True)) == ["C", "A", "B"]
    with pytest.raises(DomainError):
        services.agenda_reorder(actor=SYSTEM, meeting=meeting, item_ids=[items[0].pk])


def test_meeting_bad_input(assembly):
    with pytest.raises(DomainError) as err:
        make_meeting(session_number=2, time_zone="Mars/Olympus")
    assert err.value.field == "time_zone"
    with pytest.raises(DomainError):
        make_meeting(session_number=1)  # session I exists already
    with pytest.raises(DomainError):
        make_meeting(session_number=4, ends_at=dt.datetime(2025, 1, 1, tzinfo=UTC))
    assert Meeting.objects.count() == 1


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"ends_at": dt.datetime(2025, 1, 1, tzinfo=UTC)}, "ends_at"),
        ({"kind": "board", "session_number": 5}, "session_number"),
        ({"time_zone": "Mars/Olympus"}, "time_zone"),
        ({"kind": "tea_party"}, "kind"),
    ],
)
def test_bad_meeting_input_names_the_field(db, data, field):
    with pytest.raises(DomainError) as err:
        make_meeting(**{"session_number": 7, **data})
    assert err.value.field == field
    assert not Meeting.objects.exists()
