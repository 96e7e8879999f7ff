"""The minutes: a draft generated from the record in every working language, saved versions,
publication to the members, and approval at a later session by an ``approve_minutes``
decision, which freezes the version (a second approval is refused; a correction is a new
version approved the same way). Members never see a draft."""

from __future__ import annotations

import pytest
from django.utils import translation

from core.errors import ConflictError, DomainError
from meetings import services
from meetings.models import MinutesVersion
from tests.factories import SYSTEM, make_chamber, make_contact
from tests.scenes import Union, adopt, attend, attend_all, make_decision, make_meeting, vote


@pytest.fixture
def held(union: Union):
    """A held Board meeting: home present with a delegate, other present, a third member
    absent, the observer present; an agenda of two items; a decision adopted by vote."""
    make_chamber(slug="third", short_name="Third CCI", country="TR")
    meeting = make_meeting(
        kind="board", title="Board of March", days_from_now=-60, status="held", host=union.home
    )
    services.agenda_item_add(
        actor=SYSTEM,
        meeting=meeting,
        data={"title_en": "Budget 2027", "title_kk": "2027 жылғы бюджет", "title_ru": "Бюджет"},
    )
    services.agenda_item_add(actor=SYSTEM, meeting=meeting, data={"title": "Trade fair"})
    delegate = make_contact(union.home, name="Aigerim Delegate")
    services.attendance_check_in(
        actor=SYSTEM,
        meeting=meeting,
        entries=[services.CheckIn(chamber=union.home, present=True, delegates=[delegate])],
    )
    attend(meeting, [union.other, union.observer])
    decision = make_decision(
        meeting, title_en="Joint trade fair", title_kk="Бірлескен жәрмеңке", method="vote"
    )
    vote(decision, [union.home], "for")
    adopt(decision)
    return meeting


def later_session(union: Union, days: float = 10):
    meeting = make_meeting(kind="board", title="Board of June", days_from_now=days)
    attend_all(meeting)
    return meeting


def approval(meeting, version: MinutesVersion):
    return make_decision(
        meeting,
        method="consensus",
        title="Minutes approved",
        effects=[{"type": "approve_minutes", "version": version.pk}],
    )


def test_the_draft_is_generated_from_the_record_in_every_language(union, held):
    services.minutes_draft_generate(actor=SYSTEM, meeting=held)
    held.refresh_from_db()
    with translation.override("en"):
        english = held.minutes
    assert "# Board of March" in english
    assert "1. Budget 2027" in english and "2. Trade fair" in english
    assert "- Home CCI: Aigerim Delegate" in english  # present, with its delegate
    assert "**Observers**" in english and "Watcher CCI" in english
    assert "**Absent**: Third CCI" in english
    assert "### Decision 1: Joint trade fair" in english
    assert "Votes: 1 for, 0 against, 0 abstaining." in english and "Home CCI: For" in english
    with translation.override("kk"):
        kazakh = held.minutes
    assert "2027 жылғы бюджет" in kazakh and "Бірлескен жәрмеңке" in kazakh
    with translation.override("ru"):
        assert "Бюджет" in held.minutes
    with pytest.raises(DomainError, match="replace") as refused:
        services.minutes_draft_generate(actor=SYSTEM, meeting=held)
    assert refused.value.field == "replace"
    services.minutes_draft_generate(actor=SYSTEM, meeting=held, replace=True)


def test_versions_are_numbered_kept_and_published(union, held):
    with pytest.raises(DomainError, match="empty"):
        services.minutes_version_save(actor=SYSTEM, meeting=held)
    services.meeting_update(actor=SYSTEM, meeting=held, data={"minutes_en": "We met."})
    first = services.minutes_version_save(actor=SYSTEM, meeting=held, note="First draft")
    assert (first.number, first.state, first.note) == (1, "draft", "First draft")
    with pytest.raises(DomainError, match="same as version 1"):
        services.minutes_version_save(actor=SYSTEM, meeting=held)
    services.meeting_update(actor=SYSTEM, meeting=held, data={"minutes_en": "We met twice."})
    second = services.minutes_version_save(actor=SYSTEM, meeting=held, publish=True)
    held.refresh_from_db()
    assert second.number == 2 and second.state == "published" and held.minutes_published
    with translation.override("en"):
        assert [v.text for v in held.minutes_versions.all()] == ["We met.", "We met twice."]
    with pytest.raises(DomainError, match="stay published") as refused:
        services.meeting_update(actor=SYSTEM, meeting=held, data={"minutes_published": False})
    assert refused.value.field == "minutes_published"


def test_publishing_through_the_meeting_saves_a_version(union, held):
    services.meeting_update(
        actor=SYSTEM, meeting=held, data={"minutes": "Done.", "minutes_published": True}
    )
    version = held.minutes_versions.get()
    assert version.is_published and version.number == 1
    # Publishing again with the same draft saves nothing new.
    services.meeting_update(actor=SYSTEM, meeting=held, data={"minutes_published": True})
    assert held.minutes_versions.count() == 1


def test_approval_at_a_later_session_freezes_the_version(union, held):
    services.meeting_update(actor=SYSTEM, meeting=held, data={"minutes_en": "We met."})
    version = services.minutes_version_save(actor=SYSTEM, meeting=held)
    session = later_session(union)
    with pytest.raises(DomainError, match="not published"):
        approval(session, version)  # the members have not seen it
    version = services.minutes_version_publish(actor=SYSTEM, version=version)
    decision = approval(session, version)
    racing = approval(session, version)  # recorded before the first is adopted
    adopt(decision)
    version.refresh_from_db()
    assert version.state == "approved" and version.approved_by == decision
    with pytest.raises(DomainError, match="approved already"):
        approval(session, version)  # refused when the decision is recorded
    with pytest.raises(DomainError, match="approved already"):
        adopt(racing)  # and on adoption: nothing changes
    racing.refresh_from_db()
    assert not racing.is_adopted
    version.refresh_from_db()
    assert version.approved_by == decision
    with pytest.raises(ConflictError, match="approved already"):  # the service's own check
        services.minutes_approve(actor=SYSTEM, decision=racing, version=version)


def test_a_correction_is_a_new_version_approved_the_same_way(union, held):
    services.meeting_update(actor=SYSTEM, meeting=held, data={"minutes_en": "We met."})
    first = services.minutes_version_save(actor=SYSTEM, meeting=held, publish=True)
    session = later_session(union)
    adopt(approval(session, first))
    services.meeting_update(actor=SYSTEM, meeting=held, data={"minutes_en": "We met, corrected."})
    correction = services.minutes_version_save(
        actor=SYSTEM, meeting=held, note="Correction", publish=True
    )
    adopt(approval(later_session(union, days=40), correction))
    first.refresh_from_db()
    correction.refresh_from_db()
    assert first.state == correction.state == "approved"
    with translation.override("en"):
        assert first.text == "We met."  # the approved record is unchanged
    older = MinutesVersion.objects.get(pk=first.pk)
    assert older.approved_by != correction.approved_by


def test_minutes_are_not_approved_at_their_own_meeting(union, held):
    services.meeting_update(actor=SYSTEM, meeting=held, data={"minutes_en": "We met."})
    version = services.minutes_version_save(actor=SYSTEM, meeting=held, publish=True)
    own = approval(held, version)
    with pytest.raises(DomainError, match="later session"):
        adopt(own)
    version.refresh_from_db()
    assert version.state == "published"


def test_a_ticked_box_does_not_publish_an_edited_draft(union, held):
    """The admin's form sends "minutes published" with every save: editing the draft of
    published minutes keeps the edit a draft until it is saved as a version."""
    services.meeting_update(
        actor=SYSTEM, meeting=held, data={"minutes_en": "We met.", "minutes_published": True}
    )
    services.meeting_update(
        actor=SYSTEM,
        meeting=held,
        data={"minutes_en": "A secret working draft.", "minutes_published": True},
    )
    assert [(v.number, v.state) for v in held.minutes_versions.all()] == [(1, "published")]
    assert held.minutes_for(is_staff=False) == "We met."


def test_a_bad_note_is_refused_naming_the_field(union, held):
    services.meeting_update(actor=SYSTEM, meeting=held, data={"minutes_en": "We met."})
    with pytest.raises(DomainError) as refused:
        services.minutes_version_save(actor=SYSTEM, meeting=held, note="two\nlines")
    assert refused.value.field == "note"
    assert not held.minutes_versions.exists()
