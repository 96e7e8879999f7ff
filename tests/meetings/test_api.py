"""Meetings API v1 wiring: filters, RSVP with delegates, attendance, votes, adoption (400 with
the reason, 409 when adopted already), effects, action items. Who may call what is in
tests/chambers/test_permissions.py."""

from __future__ import annotations

import datetime as dt

import pytest

from meetings.models import Decision, Invitation
from tests.factories import make_contact


def new_meeting(client, **data) -> dict:
    body = {
        "kind": "ga_ordinary",
        "session_number": 5,
        "starts_at": "2030-03-01T06:00:00Z",
        "ends_at": "2030-03-01T12:00:00Z",
        "time_zone": "Asia/Almaty",
        "host": "home",
        **data,
    }
    response = client.post("/api/v1/meetings/", body, format="json")
    assert response.status_code == 201, response.content
    return response.json()


def test_meeting_create_invites_members_and_observers_and_filters(union):
    staff = union.client("staff")
    meeting = new_meeting(staff)
    assert meeting["display_title"] == "V General Assembly"
    assert {a["chamber"] for a in meeting["attendance"]} == {"home", "other", "watcher"}
    assert {a["chamber"]: a["has_vote"] for a in meeting["attendance"]}["watcher"] is False
    new_meeting(staff, kind="board", session_number=None, starts_at="2031-01-01T06:00:00Z",
                ends_at="2031-01-01T08:00:00Z")  # fmt: skip
    viewer = union.client("viewer")
    assert viewer.get("/api/v1/meetings/?year=2030").json()["count"] == 1
    assert viewer.get("/api/v1/meetings/?kind=board").json()["count"] == 1
    assert viewer.get("/api/v1/meetings/?status=held").json()["count"] == 0
    bad = viewer.get("/api/v1/meetings/?kind=party")
    assert bad.status_code == 400 and "kind" in bad.json()


def test_meeting_bad_input_names_the_field_and_creates_nothing(union):
    staff = union.client("staff")
    response = staff.post(
        "/api/v1/meetings/",
        {"kind": "board", "starts_at": "2030-03-01T06:00:00Z", "ends_at": "2030-02-01T06:00:00Z"},
        format="json",
    )
    assert response.status_code == 400 and "ends_at" in response.json()
    response = staff.post("/api/v1/meetings/", {"kind": "board", "host": "nope"}, format="json")
    assert response.status_code == 400 and "host" in response.json()
    assert staff.get("/api/v1/meetings/").json()["count"] == 0


def test_rsvp_with_delegates_then_staff_see_it(union):
    meeting = new_meeting(union.client("staff"))
    jane = make_contact(union.home, name="Jane Delegate")
    editor = union.client("editor")
    response = editor.post(
        f"/api/v1/meetings/{meeting['id']}/rsvp/",
        {"status": "attending", "delegates": [jane.pk]},
        format="json",
    )
    assert response.status_code == 200, response.content
    detail = union.client("staff").get(f"/api/v1/meetings/{meeting['id']}/").json()
    home = next(a for a in detail["attendance"] if a["chamber"] == "home")
    assert home["status"] == "attending"
    assert [d["name"] for d in home["delegates"]] == ["Jane Delegate"]
    stranger = make_contact(union.other, name="Not Ours")
    bad = editor.post(
        f"/api/v1/meetings/{meeting['id']}/rsvp/",
        {"status": "attending", "delegates": [stranger.pk]},
        format="json",
    )
    assert bad.status_code == 400 and "delegates" in bad.json()
    invitation = Invitation.objects.get(meeting_id=meeting["id"], chamber=union.home)
    assert list(invitation.delegates.values_list("name", flat=True)) == ["Jane Delegate"]


@pytest.fixture
def voting(union):
    staff = union.client("staff")
    meeting = new_meeting(staff)
    for slug in ("home", "other", "watcher"):
        response = staff.post(
            f"/api/v1/meetings/{meeting['id']}/attendance/",
            {"chamber": slug, "present": True},
            format="json",
        )
        assert response.status_code == 200
    return staff, meeting


def test_decision_vote_adopt_and_effects(union, voting):
    staff, meeting = voting
    effects = [
        {
            "type": "change_status",
            "chamber": "watcher",
            "status": "member",
            "effective": "2030-04-01",
        }
    ]
    created = staff.post(
        "/api/v1/decisions/",
        {"meeting": meeting["id"], "kind": "membership", "title": "Admit the watcher",
         "method": "vote", "effects": effects},
        format="json",
    )  # fmt: skip
    assert created.status_code == 201, created.content
    decision = created.json()
    assert decision["number"] == 1 and decision["effects"] == effects
    votes = f"/api/v1/decisions/{decision['id']}/votes/"
    assert staff.post(votes, {"chamber": "home", "vote": "for"}, format="json").status_code == 201
    observer = staff.post(votes, {"chamber": "watcher", "vote": "for"}, format="json")
    assert observer.status_code == 400 and "chamber" in observer.json()
    again = staff.post(votes, {"chamber": "home", "vote": "against"}, format="json")
    assert again.status_code == 409
    adopt = f"/api/v1/decisions/{decision['id']}/adopt/"
    staff.post(votes, {"chamber": "other", "vote": "against"}, format="json")
    refused = staff.post(adopt)  # two thirds of the votes cast needed: 1 for, 1 against
    assert refused.status_code == 400
    assert "Not enough votes" in refused.json()["detail"]
    assert not Decision.objects.get(pk=decision["id"]).is_adopted


def test_adoption_applies_effects_and_a_second_adoption_is_409(union, voting):
    staff, meeting = voting
    created = staff.post(
        "/api/v1/decisions/",
        {"meeting": meeting["id"], "kind": "membership", "title": "Admit", "method": "consensus",
         "effects": [{"type": "change_status", "chamber": "watcher", "status": "member",
                      "effective": "2030-04-01"}]},
        format="json",
    ).json()  # fmt: skip
    adopted = staff.post(f"/api/v1/decisions/{created['id']}/adopt/")
    assert adopted.status_code == 200 and adopted.json()["adopted"] is True
    assert union.observer.status_on(dt.date(2030, 4, 1)) == "member"
    assert staff.post(f"/api/v1/decisions/{created['id']}/adopt/").status_code == 409


@pytest.mark.parametrize(
    ("effects", "kind"),
    [
        ([{"type": []}], "membership"),
        ([{"type": "teleport"}], "membership"),
        ("not a list", "membership"),
        ([{"type": "change_status", "chamber": "home"}], "general"),
    ],
)
def test_bad_effects_are_400_naming_effects(union, voting, effects, kind):
    staff, meeting = voting
    response = staff.post(
        "/api/v1/decisions/",
        {
            "meeting": meeting["id"],
            "kind": kind,
            "title": "X",
            "method": "vote",
            "effects": effects,
        },
        format="json",
    )
    assert response.status_code == 400, response.content
    assert "effects" in response.json()
    assert not Decision.objects.exists()


def test_decision_filters_and_public_register(union, voting):
    staff, meeting = voting
    for kind in ("general", "membership"):
        staff.post(
            "/api/v1/decisions/",
            {"meeting": meeting["id"], "kind": kind, "title": kind, "method": "consensus"},
            format="json",
        )
    member = union.client("viewer")
    assert member.get("/api/v1/decisions/?kind=general").json()["count"] == 1
    assert member.get(f"/api/v1/decisions/?meeting={meeting['id']}").json()["count"] == 2
    assert member.get("/api/v1/decisions/?year=2031").json()["count"] == 0
    assert union.client("anonymous").get("/api/v1/decisions/").json()["count"] == 0  # drafts


def test_action_item_progress_by_the_responsible_editor(union):
    from meetings import services
    from tests.factories import SYSTEM

    priority = services.priority_create(
        actor=SYSTEM,
        data={
            "title": "Trade",
            "period_start": dt.date(2030, 1, 1),
            "period_end": dt.date(2030, 12, 31),
        },
    )
    item = services.action_item_create(
        actor=SYSTEM, priority=priority, data={"title": "Survey", "responsible": union.home}
    )
    editor = union.client("editor")
    response = editor.patch(
        f"/api/v1/action-items/{item.pk}/", {"progress": 60, "note": "Half done"}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["progress"] == 60
    assert response.json()["notes"][0]["text"] == "Half done"
    bad = editor.patch(f"/api/v1/action-items/{item.pk}/", {"status": "finished"}, format="json")
    assert bad.status_code == 400 and "status" in bad.json()
    priorities = union.client("viewer").get("/api/v1/priorities/").json()["results"]
    assert priorities[0]["progress"] == 60


def test_a_time_without_offset_is_the_meetings_local_time(union):
    staff = union.client("staff")
    meeting = new_meeting(
        staff,
        starts_at="2030-05-01T10:00:00",
        ends_at="2030-05-01T12:00:00",
        time_zone="Asia/Almaty",
    )
    assert meeting["starts_at"] == "2030-05-01T10:00:00+05:00"  # shown in Astana's zone
    patched = staff.patch(
        f"/api/v1/meetings/{meeting['id']}/",
        {"ends_at": "2030-05-01T13:30:00+05:00"},
        format="json",
    )
    assert patched.json()["ends_at"] == "2030-05-01T13:30:00+05:00"
