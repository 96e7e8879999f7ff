"""The session workspace: the secretariat runs a General Assembly from the meeting page, by
posting the page's own forms (:mod:`tests.html_forms`): invite all, check in, watch the quorum,
record votes on a decision built with the effect forms, adopt (or read why not), set the status.
Members keep the meeting page they had."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from meetings.models import Decision, Invitation, Meeting, MeetingStatus, Vote
from rotation.models import Term, TermState
from tests.factories import make_chamber, make_contact
from tests.html_forms import read_form
from tests.scenes import make_meeting, set_order


@pytest.fixture
def session(union) -> Meeting:
    """A General Assembly with only home invited (the others are to be invited all at once)."""
    set_order([union.home, union.other, union.observer])
    meeting = make_meeting(kind="ga_ordinary", session_number=5, title="", invite=False)
    return meeting


@pytest.fixture
def staff(union):
    return union.client("staff", api=False)


def _page(client, meeting):
    response = client.get(f"/meetings/{meeting.pk}/")
    assert response.status_code == 200
    return response.content.decode()


def _post_form(client, html, form_id, changes=None, *, expect=302):
    form = read_form(html, form_id)
    for name, value in (changes or {}).items():
        form.set(name, value)
    action = _action(html, form_id)
    response = client.post(action, form.for_post())
    assert response.status_code == expect, response.content.decode()[-3000:]
    return response


def _action(html: str, form_id: str) -> str:
    match = re.search(rf'<form[^>]*action="([^"]+)"[^>]*id="{form_id}"', html) or re.search(
        rf'<form[^>]*id="{form_id}"[^>]*action="([^"]+)"', html
    )
    assert match, f"no form {form_id}"
    return match.group(1)


def test_members_keep_the_meeting_page_staff_get_the_workspace(union, session, staff):
    member = union.client("viewer", api=False).get(f"/meetings/{session.pk}/").content.decode()
    assert 'id="check-in-form"' not in member and "Session workspace" not in member
    assert 'id="check-in-form"' in _page(staff, session)


def test_invite_all_then_check_in_until_the_quorum_is_met(union, session, staff):
    html = _page(staff, session)
    assert "3 member and observer chambers are not invited yet" in html
    _post_form(staff, html, "invite-all-form")
    assert set(session.invitations.values_list("chamber__slug", flat=True)) == {
        "home",
        "other",
        "watcher",
    }
    html = _page(staff, session)
    assert "No quorum yet" in html and "0 of 2 full members present, 2 needed." in html
    assert "2 more full members must be present." in html
    delegate = make_contact(union.home, name="Aigerim Sadykova")
    html = _page(staff, session)
    _post_form(
        staff,
        html,
        "check-in-form",
        {f"present-{union.home.pk}": "yes", f"delegates-{union.home.pk}": delegate.pk},
    )
    home = Invitation.objects.get(meeting=session, chamber=union.home)
    assert home.present is True and list(home.delegates.all()) == [delegate]
    html = _page(staff, session)
    assert "1 more full member must be present." in html and "Other CCI" in html
    _post_form(staff, html, "check-in-form", {f"present-{union.other.pk}": "yes"})
    html = _page(staff, session)
    assert "Quorum met" in html and "2 of 2 full members present, 2 needed." in html
    assert Invitation.objects.get(meeting=session, chamber=union.home).present is True


def test_a_rotation_decision_built_voted_and_adopted_from_the_page(union, session, staff):
    _post_form(staff, _page(staff, session), "invite-all-form")
    _post_form(
        staff,
        _page(staff, session),
        "check-in-form",
        {f"present-{union.home.pk}": "yes", f"present-{union.other.pk}": "yes"},
    )
    _post_form(
        staff,
        _page(staff, session),
        "decision-form",
        {
            "kind": "rotation",
            "title_en": "Chair for 2031",
            "method": "vote",
            "effects-new-approve_term-chamber": "other",
            "effects-new-approve_term-start": "2031-01-01",
            "effects-new-approve_term-end": "2031-12-31",
        },
    )
    decision = Decision.objects.get(meeting=session, title="Chair for 2031")
    html = _page(staff, session)
    assert "Approve a term: Other CCI, 2031-01-01 – 2031-12-31" in html
    # Adopting before the votes says why, and changes nothing.
    response = staff.post(f"/meetings/{session.pk}/decisions/{decision.pk}/adopt/")
    assert response.status_code == 400
    assert "Not enough votes" in response.content.decode()
    assert not Term.objects.filter(chamber=union.other).exists()
    html = _page(staff, session)
    assert f'action="/meetings/{session.pk}/decisions/{decision.pk}/votes/"' in html
    staff.post(
        f"/meetings/{session.pk}/decisions/{decision.pk}/votes/",
        {
            f"d{decision.pk}-vote-{union.home.pk}": "for",
            f"d{decision.pk}-vote-{union.other.pk}": "for",
        },
    )
    assert Vote.objects.filter(decision=decision).count() == 2
    assert "It can be adopted." in _page(staff, session)
    response = staff.post(f"/meetings/{session.pk}/decisions/{decision.pk}/adopt/")
    assert response.status_code == 302
    decision.refresh_from_db()
    assert decision.is_adopted
    term = Term.objects.get(chamber=union.other)
    assert (term.start, term.state) == (dt.date(2031, 1, 1), TermState.APPROVED)


def test_a_vote_of_a_chamber_without_a_vote_is_refused_on_the_page(union, session, staff):
    _post_form(staff, _page(staff, session), "invite-all-form")
    _post_form(
        staff,
        _page(staff, session),
        "check-in-form",
        {f"present-{union.home.pk}": "yes", f"present-{union.observer.pk}": "yes"},
    )
    decision = Decision.objects.create(
        meeting=session, number=1, kind="general", title="Statement", method="vote"
    )
    html = _page(staff, session)
    assert f'name="d{decision.pk}-vote-{union.observer.pk}"' not in html  # not offered
    response = staff.post(
        f"/meetings/{session.pk}/decisions/{decision.pk}/votes/",
        {f"d{decision.pk}-vote-{union.home.pk}": "for"},
    )
    assert response.status_code == 302
    again = staff.post(
        f"/meetings/{session.pk}/decisions/{decision.pk}/votes/",
        {f"d{decision.pk}-vote-{union.home.pk}": "against"},
    )
    # From a page opened before the first vote: the vote stands, the page says so (409).
    assert again.status_code == 409
    assert "already recorded" in again.content.decode()
    assert Vote.objects.get(decision=decision).vote == "for"
    assert f'name="d{decision.pk}-vote-{union.home.pk}"' not in _page(staff, session)


def test_a_decision_form_error_names_the_effect_and_keeps_the_page(union, session, staff):
    response = _post_form(
        staff,
        _page(staff, session),
        "decision-form",
        {
            "kind": "rotation",
            "title_en": "Chair",
            "method": "vote",
            "effects-new-waive-start": "2031-01-01",
        },
        expect=400,
    )
    assert "Effect 1, chamber: choose a chamber" in response.content.decode()
    assert not Decision.objects.filter(title="Chair").exists()


def test_the_status_is_set_from_the_page(union, session, staff):
    _post_form(staff, _page(staff, session), "status-form", {"status": "held"})
    session.refresh_from_db()
    assert session.status == MeetingStatus.HELD


def test_a_decision_of_another_meeting_is_not_found(union, session, staff):
    other = make_meeting(title="Other meeting")
    decision = Decision.objects.create(meeting=other, number=1, kind="general", title="Elsewhere")
    response = staff.post(f"/meetings/{session.pk}/decisions/{decision.pk}/adopt/")
    assert response.status_code == 404


def test_a_newcomer_admitted_later_is_offered_by_invite_all(union, session, staff):
    make_chamber(slug="newcomer", short_name="Newcomer CCI", country="UZ")
    html = _page(staff, session)
    assert "Newcomer CCI" in html
