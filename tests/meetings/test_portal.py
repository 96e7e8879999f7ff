"""Portal pages of meetings, decisions and priorities: who sees what, and the two forms (an
invitation's answer with delegates, an action item's progress) going through the services."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from meetings import services
from meetings.models import RSVP, ActionItem, Decision, Invitation, Meeting, Priority
from tests.conftest import Union
from tests.factories import SYSTEM, make_chamber, make_contact, make_login
from tests.query_counts import Pin, assert_expected_query_count
from tests.scenes import (
    PDF,
    attend,
    make_action_item,
    make_decision,
    make_meeting,
    make_priority,
    vote,
)


@dataclass
class Scene:
    """An upcoming General Assembly, a held board meeting with decisions, and priorities."""

    assembly: Meeting
    held: Meeting
    adopted: Decision  # adopted by vote and published: public
    unpublished: Decision  # adopted, not published
    draft: Decision
    priority: Priority
    home_item: ActionItem
    other_item: ActionItem


@pytest.fixture
def scene(union: Union) -> Scene:
    assembly = make_meeting(
        kind="ga_ordinary", session_number=3, title="", host=union.home, days_from_now=20
    )
    services.agenda_item_add(
        actor=SYSTEM,
        meeting=assembly,
        data={"title": "Chairmanship for 2027", "presenter": union.home},
    )
    services.agenda_item_add(actor=SYSTEM, meeting=assembly, data={"title": "Budget"})
    held = make_meeting(title="Board of March", days_from_now=-300, status="held")
    attend(held, [union.home, union.other])
    adopted = make_decision(held, title="Joint trade fair", published=True)
    vote(adopted, [union.home], "for")
    vote(adopted, [union.other], "abstain")
    unpublished = make_decision(held, title="Secretariat budget", method="consensus")
    draft = make_decision(held, kind="membership", title="Admit Uzbekistan", method="consensus")
    priority = make_priority(
        title="Digital trade", period_start=dt.date(2026, 1, 1), period_end=dt.date(2026, 12, 31)
    )
    home_item = make_action_item(priority, union.home, title="E-invoicing survey", progress=40)
    other_item = make_action_item(priority, union.other, title="Customs workshop", progress=80)
    return Scene(assembly, held, adopted, unpublished, draft, priority, home_item, other_item)


def adopt(decision: Decision, *, publish: bool = False) -> None:
    services.decision_adopt(actor=SYSTEM, decision=decision)
    if publish:
        services.decision_publish(actor=SYSTEM, decision=decision, published=True)


# Who may open the pages ---------------------------------------------------------------------

MEMBER_PAGES = [
    "/meetings/",
    "/meetings/{assembly}/",
    "/meetings.ics",
    "/meetings/{assembly}.ics",
    "/priorities/",
    "/action-items/{home_item}/",
]


def page_url(template: str, scene: Scene) -> str:
    return template.format(assembly=scene.assembly.pk, home_item=scene.home_item.pk)


@pytest.mark.parametrize("template", MEMBER_PAGES)
def test_members_pages_send_the_public_to_the_login_page(union, scene, template):
    url = page_url(template, scene)
    response = union.client("anonymous", api=False).get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


@pytest.mark.parametrize("template", MEMBER_PAGES)
def test_a_login_without_a_chamber_is_refused(union, scene, client, template):
    client.force_login(make_login(None, None, username="nobody"))
    assert client.get(page_url(template, scene)).status_code == 403


def test_navigation_shows_members_links_to_members_only(union, scene):
    public = union.client("anonymous", api=False).get("/").content.decode()
    assert 'href="/decisions/"' in public
    assert 'href="/meetings/"' not in public and 'href="/priorities/"' not in public
    member = union.client("viewer", api=False).get("/").content.decode()
    assert 'href="/meetings/"' in member and 'href="/priorities/"' in member


# Meetings -----------------------------------------------------------------------------------


def test_meeting_list_splits_upcoming_and_past(union, scene):
    response = union.client("viewer", api=False).get("/meetings/")
    assert response.status_code == 200
    body = response.content.decode()
    upcoming, past = body.split("Past meetings")
    assert "III General Assembly" in upcoming and "Board of March" in past
    assert "0 of 3" in upcoming  # nobody answered; home, other and the observer are invited


def test_meeting_dates_are_shown_in_the_meetings_time_zone(union):
    # 04:00 UTC is 09:00 in Astana (UTC+5).
    starts = dt.datetime(2031, 1, 8, 4, 0, tzinfo=dt.UTC)
    meeting = make_meeting(starts_at=starts, ends_at=starts + dt.timedelta(hours=8))
    body = union.client("viewer", api=False).get(f"/meetings/{meeting.pk}/").content.decode()
    assert "2031-01-08 09:00</time>–<time" in body and "17:00</time>" in body
    assert "Asia/Almaty" in body


def test_meeting_page_shows_agenda_attendance_and_voting_rights(union, scene):
    client = union.client("viewer", api=False)
    response = client.get(f"/meetings/{scene.assembly.pk}/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Chairmanship for 2027" in body and "presented by Home CCI" in body
    rows = {
        row.chamber.slug: row.chamber_id in response.context["voters"]
        for row in response.context["invitations"]
    }
    assert rows == {"home": True, "other": True, "watcher": False}  # the observer has no vote
    assert "Without a vote" in body
    assert "rsvp-form" not in body  # a viewer cannot answer


def test_meeting_page_lists_decisions_with_votes(union, scene):
    adopt(scene.adopted)
    body = union.client("viewer", api=False).get(f"/meetings/{scene.held.pk}/").content.decode()
    assert "Joint trade fair" in body and "Admit Uzbekistan" in body
    assert "1 for, 0 against, 1 abstaining" in body
    assert "Home CCI: For" in body and "Other CCI: Abstain" in body
    assert "Adopted on" in body and "Draft" in body


def test_minutes_are_shown_once_published_and_to_staff_before(union, scene):
    services.meeting_update(actor=SYSTEM, meeting=scene.held, data={"minutes": "We met."})
    url = f"/meetings/{scene.held.pk}/"
    member = union.client("viewer", api=False).get(url).content.decode()
    assert "We met." not in member and "not published yet" in member
    staff = union.client("staff", api=False).get(url).content.decode()
    assert "We met." in staff and "Not published: only the secretariat" in staff
    services.meeting_update(actor=SYSTEM, meeting=scene.held, data={"minutes_published": True})
    member = union.client("viewer", api=False).get(url).content.decode()
    assert "We met." in member and "Not published" not in member


# Answering an invitation --------------------------------------------------------------------


def invitation(meeting: Meeting, chamber) -> Invitation:
    return Invitation.objects.get(meeting=meeting, chamber=chamber)


def test_editor_answers_attending_with_delegates(union, scene):
    second = make_contact(union.home, name="Aigerim Delegate")
    retired = make_contact(union.home, name="Retired Delegate", active=False)
    client = union.client("editor", api=False)
    page = client.get(f"/meetings/{scene.assembly.pk}/")
    offered = set(page.context["rsvp_form"].fields["delegates"].queryset)
    assert offered == {union.home_contact, second}  # active contacts of the home chamber only
    assert retired not in offered

    response = client.post(
        f"/meetings/{scene.assembly.pk}/rsvp/",
        {"response": "attending", "delegates": [union.home_contact.pk, second.pk]},
    )
    assert response.status_code == 302
    assert response["Location"] == f"/meetings/{scene.assembly.pk}/#rsvp"
    saved = invitation(scene.assembly, union.home)
    assert saved.response == RSVP.ATTENDING and saved.responded_at is not None
    assert set(saved.delegates.all()) == {union.home_contact, second}

    page = client.get(response["Location"]).content.decode()
    assert "Your chamber&#x27;s answer was saved." in page
    assert "Aigerim Delegate" in page and "1 of 3" not in page  # the detail page has no counts


def test_delegates_of_another_chamber_are_a_form_error_and_change_nothing(union, scene):
    client = union.client("editor", api=False)
    response = client.post(
        f"/meetings/{scene.assembly.pk}/rsvp/",
        {"response": "attending", "delegates": [union.other_contact.pk]},
    )
    assert response.status_code == 400
    assert "delegates" in response.context["rsvp_form"].errors
    unchanged = invitation(scene.assembly, union.home)
    assert unchanged.response == RSVP.PENDING and not unchanged.delegates.exists()


def test_a_rule_of_the_service_is_a_form_error(union, scene):
    client = union.client("editor", api=False)
    response = client.post(
        f"/meetings/{scene.assembly.pk}/rsvp/",
        {"response": "declined", "delegates": [union.home_contact.pk]},
    )
    assert response.status_code == 400
    assert response.context["rsvp_form"].errors["delegates"] == [
        "A chamber that declines names no delegates."
    ]
    assert invitation(scene.assembly, union.home).response == RSVP.PENDING


def test_a_held_meeting_takes_no_more_answers(union, scene):
    client = union.client("editor", api=False)
    page = client.get(f"/meetings/{scene.held.pk}/").content.decode()
    assert "rsvp-form" not in page and "no longer open for answers" in page
    response = client.post(f"/meetings/{scene.held.pk}/rsvp/", {"response": "declined"})
    assert response.status_code == 400
    assert invitation(scene.held, union.home).response == RSVP.PENDING


@pytest.mark.parametrize("role", ["viewer", "staff"])
def test_only_a_chambers_editor_answers(union, scene, role):
    response = union.client(role, api=False).post(
        f"/meetings/{scene.assembly.pk}/rsvp/", {"response": "attending"}
    )
    assert response.status_code == 403
    assert invitation(scene.assembly, union.home).response == RSVP.PENDING


def test_a_chamber_that_is_not_invited_cannot_answer(union, scene, client):
    # Admitted after the meeting was called: a member, but not invited.
    newcomer = make_chamber(slug="newcomer", short_name="New CCI")
    client.force_login(make_login(newcomer, "editor", username="newcomer"))
    page = client.get(f"/meetings/{scene.assembly.pk}/").content.decode()
    assert "rsvp-form" not in page
    response = client.post(f"/meetings/{scene.assembly.pk}/rsvp/", {"response": "attending"})
    assert response.status_code == 400
    assert "This chamber is not invited to the meeting." in response.content.decode()
    assert not Invitation.objects.filter(chamber=newcomer).exists()


# Documents ----------------------------------------------------------------------------------


@pytest.fixture
def document(scene, settings, tmp_path):
    settings.DOCUMENTS_ROOT = tmp_path
    upload = SimpleUploadedFile("Agenda 2026.pdf", PDF, content_type="text/html")
    return services.document_add(
        actor=SYSTEM, meeting=scene.assembly, title="Draft agenda", upload=upload
    )


def test_document_is_downloaded_as_an_attachment(union, scene, document):
    client = union.client("viewer", api=False)
    page = client.get(f"/meetings/{scene.assembly.pk}/").content.decode()
    url = f"/meetings/{scene.assembly.pk}/documents/{document.pk}/"
    assert f'href="{url}"' in page
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"  # checked by content, not as uploaded
    assert response["Content-Disposition"] == 'attachment; filename="Agenda 2026.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == PDF
    assert not document.file.name.endswith("Agenda 2026.pdf")  # stored under a generated name


def test_document_download_is_for_members_and_its_own_meeting(union, scene, document):
    url = f"/meetings/{scene.assembly.pk}/documents/{document.pk}/"
    assert union.client("anonymous", api=False).get(url).status_code == 302
    wrong_meeting = f"/meetings/{scene.held.pk}/documents/{document.pk}/"
    assert union.client("viewer", api=False).get(wrong_meeting).status_code == 404


# The decisions register ---------------------------------------------------------------------


def test_public_register_shows_adopted_published_decisions_only(union, scene):
    adopt(scene.adopted)
    adopt(scene.unpublished)
    response = union.client("anonymous", api=False).get("/decisions/")
    assert response.status_code == 200
    titles = {decision.title for decision, _tally, _procedure in response.context["decisions"]}
    assert titles == {"Joint trade fair"}
    assert f'href="/meetings/{scene.held.pk}/' not in response.content.decode()


def test_members_see_every_decision_in_the_register(union, scene):
    adopt(scene.adopted)
    response = union.client("viewer", api=False).get("/decisions/")
    titles = {decision.title for decision, _tally, _procedure in response.context["decisions"]}
    assert titles == {"Joint trade fair", "Secretariat budget", "Admit Uzbekistan"}
    assert f'href="/meetings/{scene.held.pk}/#decision-1"' in response.content.decode()


def test_register_filters_by_kind_and_year(union, scene):
    client = union.client("viewer", api=False)
    response = client.get("/decisions/", {"kind": "membership"})
    assert [d.title for d, _t, _p in response.context["decisions"]] == ["Admit Uzbekistan"]
    year = scene.held.starts_at.year
    response = client.get("/decisions/", {"year": year})
    assert len(response.context["decisions"]) == 3
    response = client.get("/decisions/", {"year": year + 5})
    assert response.context["decisions"] == []


@pytest.mark.parametrize(
    ("params", "field"),
    [({"year": "last"}, "year"), ({"kind": "secret"}, "kind"), ({"year": "99999999"}, "year")],
)
def test_register_refuses_a_bad_filter_with_a_form_error(union, scene, params, field):
    response = union.client("viewer", api=False).get("/decisions/", params)
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert len(response.context["decisions"]) == 3  # the bad filter is left out


# Priorities and action items ----------------------------------------------------------------


def test_priorities_show_progress_and_the_rollup(union, scene):
    response = union.client("viewer", api=False).get("/priorities/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Digital trade" in body and "E-invoicing survey" in body
    assert '<progress max="100" value="40"' in body and '<progress max="100" value="60"' in body
    assert "/action-items/" not in body  # a viewer updates nothing


def test_editors_see_update_links_on_their_own_chambers_items(union, scene):
    body = union.client("editor", api=False).get("/priorities/").content.decode()
    assert f'href="/action-items/{scene.home_item.pk}/"' in body
    assert f'href="/action-items/{scene.other_item.pk}/"' not in body
    staff = union.client("staff", api=False).get("/priorities/").content.decode()
    assert f'href="/action-items/{scene.other_item.pk}/"' in staff


def test_editor_reports_progress_with_a_note(union, scene):
    client = union.client("editor", api=False)
    url = f"/action-items/{scene.home_item.pk}/"
    assert client.get(url).status_code == 200
    response = client.post(
        url, {"status": "in_progress", "progress": "55", "note": "Survey sent to 40 firms."}
    )
    assert response.status_code == 302
    assert response["Location"] == f"/priorities/#action-item-{scene.home_item.pk}"
    scene.home_item.refresh_from_db()
    assert (scene.home_item.status, scene.home_item.progress) == ("in_progress", 55)
    note = scene.home_item.notes.get()
    assert (note.text, note.progress, note.author_label) == (
        "Survey sent to 40 firms.",
        55,
        "editor",
    )


def test_marking_an_item_done_completes_its_progress(union, scene):
    client = union.client("editor", api=False)
    response = client.post(
        f"/action-items/{scene.home_item.pk}/", {"status": "done", "progress": "40"}
    )
    assert response.status_code == 302
    scene.home_item.refresh_from_db()
    assert (scene.home_item.status, scene.home_item.progress) == ("done", 100)


def test_bad_progress_is_a_form_error(union, scene):
    response = union.client("editor", api=False).post(
        f"/action-items/{scene.home_item.pk}/", {"status": "open", "progress": "150"}
    )
    assert response.status_code == 400
    assert "progress" in response.context["form"].errors
    scene.home_item.refresh_from_db()
    assert scene.home_item.progress == 40


def test_another_chambers_item_is_404_and_a_viewer_gets_403(union, scene):
    editor = union.client("editor", api=False)
    other = f"/action-items/{scene.other_item.pk}/"
    assert editor.get(other).status_code == 404
    assert editor.post(other, {"status": "done", "progress": "100"}).status_code == 404
    viewer = union.client("viewer", api=False)
    own = f"/action-items/{scene.home_item.pk}/"
    assert viewer.get(own).status_code == 403
    assert viewer.post(own, {"status": "done", "progress": "100"}).status_code == 403
    assert viewer.get(other).status_code == 404
    scene.other_item.refresh_from_db()
    scene.home_item.refresh_from_db()
    assert scene.other_item.status == scene.home_item.status == "open"


def test_staff_update_any_chambers_item(union, scene):
    response = union.client("staff", api=False).post(
        f"/action-items/{scene.other_item.pk}/", {"status": "in_progress", "progress": "90"}
    )
    assert response.status_code == 302
    scene.other_item.refresh_from_db()
    assert scene.other_item.progress == 90


# Query counts -------------------------------------------------------------------------------


def grow(union: Union, rows: int) -> Meeting:
    """``rows`` meetings (half past, half upcoming), each with a decision adopted by vote and
    published; on the last one ``rows`` agenda items, ``rows`` more decisions with two votes each
    and ``rows`` delegates; ``rows`` priorities with an action item and a note each. Everything
    goes through the services; returns the last meeting."""
    meetings = [
        make_meeting(title=f"Meeting {i}", days_from_now=(i - rows // 2) * 7) for i in range(rows)
    ]
    for i, meeting in enumerate(meetings):
        attend(meeting, [union.home, union.other])
        decision = make_decision(meeting, title=f"Decision {i}", published=True)
        vote(decision, [union.home, union.other], "for")
        adopt(decision)
    last = meetings[-1]
    for i in range(rows):
        services.agenda_item_add(
            actor=SYSTEM, meeting=last, data={"title": f"Item {i}", "presenter": union.home}
        )
        vote(make_decision(last, title=f"More {i}"), [union.home, union.other], "for")
    delegates = [make_contact(union.home, name=f"Delegate {i}") for i in range(rows)]
    services.invitation_respond(
        actor=SYSTEM, meeting=last, chamber=union.home, response="attending", delegates=delegates
    )
    for i in range(rows):
        priority = make_priority(
            title=f"Priority {i}",
            period_start=dt.date(2026, 1, 1),
            period_end=dt.date(2026, 12, 31),
        )
        item = make_action_item(priority, union.home, title=f"Action {i}")
        services.action_item_update(actor=SYSTEM, item=item, data={"progress": i}, note="Going.")
    # A published decision between sessions adopted by silence procedure, one chamber having
    # answered (the public sees it with its procedure).
    between = services.decision_create(
        actor=SYSTEM,
        meeting=None,
        data={"kind": "general", "title": "Between sessions", "published": True},
    )
    procedure = services.procedure_open(
        actor=SYSTEM,
        decision=between,
        mode="silence",
        closes_at=timezone.now() + dt.timedelta(days=10),
    )
    services.ballot_cast(
        actor=SYSTEM,
        decision=between,
        chamber=union.home,
        answer="no_objection",
        received_on=timezone.localdate(),
    )
    later = procedure.closes_at + dt.timedelta(seconds=1)
    assert services.procedure_close(actor=None, decision=between, now=later) is not None
    return last


# The pins of tests/query_counts.py that these pages' set-up (through the services) measures
# too: the paths they are requested at.
CASES = {
    Pin("meetings:meetings", "viewer"): "/meetings/",
    Pin("meetings:meeting", "editor"): "/meetings/{last}/",
    Pin("meetings:decisions", "viewer"): "/decisions/",
    Pin("meetings:decisions", "anonymous"): "/decisions/",
    Pin("meetings:priorities", "editor"): "/priorities/",
    Pin("meetings:meetings-ics", "viewer"): "/meetings.ics",
}
SIZES = [pytest.param(3, id="3-rows"), pytest.param(30, id="30-rows")]


@pytest.mark.parametrize("rows", SIZES)
def test_query_count_does_not_grow_with_rows(union, django_assert_num_queries, rows):
    last = grow(union, rows)  # once for every page: growing the union is the slow part
    for pin, path in CASES.items():
        client = union.client(pin.caller, api=False)
        url = path.format(last=last.pk)
        with assert_expected_query_count(django_assert_num_queries, pin, url, size=rows):
            response = client.get(url)
        assert response.status_code == 200, (pin, response.content[:300])


def test_the_register_and_the_meetings_are_paged(union, client):
    """120 published decisions and 120 past meetings: pages of 50 that together list each once,
    the latest first; the upcoming meetings have pages of their own."""
    import re

    from tests.factories import DecisionFactory, MeetingFactory, bulk_rows

    start = dt.datetime(2001, 3, 1, 9, tzinfo=dt.UTC)
    meetings = bulk_rows(
        MeetingFactory,
        (
            {"starts_at": start + dt.timedelta(days=i), "ends_at": start + dt.timedelta(days=i)}
            for i in range(120)
        ),
    )
    bulk_rows(
        DecisionFactory,
        ({"meeting": m, "number": 1, "adopted_at": m.ends_at, "published": True} for m in meetings),
    )
    pages = [client.get("/decisions/", {"page": n}).content.decode() for n in (1, 2, 3)]
    ids = [int(i) for page in pages for i in re.findall(r'<tr id="decision-(\d+)"', page)]
    published = Decision.objects.filter(published=True, adopted_at__isnull=False)
    assert len(ids) == published.count() and len(set(ids)) == len(ids)
    dated = {d.pk: d.dated for d in published.select_related("meeting")}
    assert [dated[i] for i in ids] == sorted((dated[i] for i in ids), reverse=True)
    assert len(re.findall(r'<tr id="decision-', pages[0])) == 50
    assert 'rel="next"' in pages[0] and 'rel="prev"' in pages[1]
    # A filter is kept from page to page.
    assert "year=2001&amp;page=2" in client.get("/decisions/", {"year": 2001}).content.decode()

    viewer = union.client("viewer", api=False)
    first = viewer.get("/meetings/").content.decode()
    second = viewer.get("/meetings/", {"page": 2}).content.decode()
    seen = re.findall(r'href="/meetings/(\d+)/"', first + second)
    past = Meeting.objects.filter(ends_at__lt=timezone.now())
    assert len(set(seen) & {str(m.pk) for m in past}) == 100  # two pages of 50 past meetings
