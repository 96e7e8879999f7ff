"""The audit trail: every change of a governance record says who, when, what and from where
(admin, portal, API, task), in the same transaction as the change; the secretariat reads it at
``/secretariat/audit/`` (filters, CSV) and nobody edits it."""

from __future__ import annotations

import csv
import io

import pytest
from django.contrib.auth import get_user_model

from chambers import services as chamber_services
from core.errors import DomainError
from core.models import AuditEntry
from meetings import services
from meetings.models import Invitation
from tests.factories import SYSTEM
from tests.query_counts import Pin, assert_expected_query_count
from tests.scenes import build_assembly, make_decision, make_meeting, set_order


def _entries(model: str, **filters):
    return list(AuditEntry.objects.filter(model=model, **filters).order_by("pk"))


def test_a_check_in_from_the_portal_is_recorded_with_its_person_and_surface(union):
    meeting = make_meeting(title="Board")
    staff = union.client("staff", api=False)
    response = staff.post(f"/meetings/{meeting.pk}/check-in/", {f"present-{union.home.pk}": "yes"})
    assert response.status_code == 302
    invitation = Invitation.objects.get(meeting=meeting, chamber=union.home)
    [entry] = _entries("meetings.invitation", object_id=str(invitation.pk), action="changed")
    assert (entry.surface, entry.user.username, entry.changes) == (
        "portal",
        "staff",
        {"present": [None, True]},
    )
    created = _entries("meetings.invitation", action="created")
    assert len(created) == 3  # home, other and the watcher, invited with the meeting


def test_an_api_write_by_a_token_names_the_token(union, settings):
    scene = build_assembly(union, document=False, rotation=False)
    client = union.client("write_token")
    response = client.patch(
        f"/api/v1/action-items/{scene.item.pk}/", {"progress": 40}, format="json"
    )
    assert response.status_code == 200, response.json()
    [entry] = _entries("meetings.actionitem", object_id=str(scene.item.pk), action="changed")
    assert entry.surface == "api" and entry.actor.startswith("token:") and entry.user is None
    assert entry.changes["progress"] == [0, 40]


def test_adoption_votes_and_the_term_it_approves_are_recorded(union):
    set_order([union.home, union.other, union.observer])
    meeting = make_meeting(kind="ga_ordinary", session_number=3, title="")
    services.attendance_check_in(
        actor=SYSTEM,
        meeting=meeting,
        entries=[services.CheckIn(chamber=c, present=True) for c in (union.home, union.other)],
    )
    decision = make_decision(
        meeting,
        kind="rotation",
        effects=[
            {"type": "approve_term", "chamber": "other", "start": "2031-01-01", "end": "2031-12-31"}
        ],
    )
    services.votes_record(
        actor=SYSTEM, decision=decision, votes=[(union.home, "for"), (union.other, "for")]
    )
    services.decision_adopt(actor=SYSTEM, decision=decision)
    assert len(_entries("meetings.vote", action="created")) == 2
    [adopted] = [
        e
        for e in _entries("meetings.decision", object_id=str(decision.pk))
        if "adopted_at" in e.changes
    ]
    assert adopted.changes["adopted_at"][0] is None and adopted.changes["adopted_at"][1]
    [term] = _entries("rotation.term", action="created")
    assert term.changes["chamber"] == [None, union.other.pk]
    [order] = [e for e in _entries("rotation.rotation") if "order" in e.changes]
    assert order.changes["order"] == [[], ["home", "other", "watcher"]]


def test_a_refused_change_leaves_no_entry(union):
    meeting = make_meeting(title="Board")
    decision = make_decision(meeting, title="Without quorum")
    before = AuditEntry.objects.count()
    with pytest.raises(DomainError):
        services.decision_adopt(actor=SYSTEM, decision=decision)
    assert AuditEntry.objects.count() == before


def test_making_a_user_staff_in_the_admin_is_recorded(union):
    user = get_user_model().objects.get(username="viewer")
    admin = union.client("staff", api=False)
    page = admin.get(f"/admin/auth/user/{user.pk}/change/")
    assert page.status_code == 200
    from tests.html_forms import read_form

    form = read_form(page.content.decode(), "user_form")
    form.set("is_staff", "on")
    response = admin.post(f"/admin/auth/user/{user.pk}/change/", form.for_post())
    assert response.status_code == 302
    [entry] = _entries("auth.user", object_id=str(user.pk), action="changed")
    assert entry.surface == "admin" and entry.changes == {"is_staff": [False, True]}


def test_tokens_issued_and_revoked_are_recorded(union):
    token, _key = chamber_services.token_issue(actor=SYSTEM, name="CRM sync", scope="read")
    chamber_services.token_revoke(actor=SYSTEM, token=token)
    chamber_services.token_revoke(actor=SYSTEM, token=token)  # a second revoke changes nothing
    actions = [e.action for e in _entries("chambers.apitoken", object_id=str(token.pk))]
    assert actions == ["created", "revoked"]
    assert all("key_hash" not in e.changes for e in _entries("chambers.apitoken"))


def test_an_entry_is_never_edited_or_deleted(union):
    make_meeting(title="Board")
    entry = AuditEntry.objects.first()
    entry.actor = "someone else"
    with pytest.raises(ValueError):
        entry.save()
    with pytest.raises(ValueError):
        entry.delete()


def test_the_secretariat_reads_filters_and_downloads_the_trail(union):
    meeting = make_meeting(title="Board of trade")
    staff = union.client("staff", api=False)
    page = staff.get("/secretariat/audit/", {"model": "meetings.meeting"})
    body = page.content.decode()
    assert page.status_code == 200 and "Board of trade" in body
    assert "Home CCI" not in body  # the invitations are another record type
    download = staff.get(
        "/secretariat/audit/",
        {"model": "meetings.meeting", "object_id": meeting.pk, "format": "csv"},
    )
    rows = list(csv.reader(io.StringIO(b"".join(download.streaming_content).decode())))
    assert rows[0][:4] == ["at", "actor", "surface", "action"]
    assert [r[3] for r in rows[1:]] == ["created"] and rows[1][6] == "Board of trade"
    assert staff.get("/secretariat/audit/", {"since": "not a date"}).status_code == 400


@pytest.mark.parametrize(("role", "status"), [("viewer", 403), ("editor", 403), ("anonymous", 302)])
def test_only_the_secretariat_reads_the_trail(union, role, status):
    assert union.client(role, api=False).get("/secretariat/audit/").status_code == status


#: The pins this module measures (tests/query_counts.py), at two sizes of the trail.
SIZES = [3, 60]
CASES = {Pin("portal:audit", "staff"): "/secretariat/audit/"}


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("pin", list(CASES), ids=str)
def test_the_trails_page_costs_the_same_whatever_its_length(
    union, django_assert_num_queries, pin, size
):
    for i in range(size):
        make_meeting(title=f"Meeting {i}", invite=False)
    staff = union.client(pin.caller, api=False)
    with assert_expected_query_count(django_assert_num_queries, pin, CASES[pin], size=size):
        response = staff.get(CASES[pin])
    assert response.status_code == 200 and f"Meeting {size - 1}" in response.content.decode()


def test_an_admin_pages_history_shows_its_audit_entries(union):
    meeting = make_meeting(title="Board of trade")
    services.meeting_update(actor=SYSTEM, meeting=meeting, data={"venue_city": "Baku"})
    staff = union.client("staff", api=False)
    page = staff.get(f"/admin/meetings/meeting/{meeting.pk}/history/").content.decode()
    assert 'id="audit-trail"' in page and "Baku" in page


def test_what_a_task_changes_is_recorded_as_the_tasks(union):
    from celery.signals import task_postrun, task_prerun

    class Task:
        name = "meetings.tasks.example"

    task_prerun.send(sender=None, task_id="t-1", task=Task())
    try:
        meeting = make_meeting(title="Set by a task", invite=False)
    finally:
        task_postrun.send(sender=None, task_id="t-1", task=Task())
    [entry] = _entries("meetings.meeting", object_id=str(meeting.pk))
    assert entry.surface == "task"  # and who: the actor the task gave the service
    later = make_meeting(title="Afterwards", invite=False)
    assert _entries("meetings.meeting", object_id=str(later.pk))[0].surface == "command"


def test_the_trail_says_what_happened_in_the_readers_language(union):
    make_meeting(title="Board of trade", invite=False)
    staff = union.client("staff", api=False)
    staff.cookies["django_language"] = "kk"
    page = staff.get("/secretariat/audit/").content.decode()
    assert "Қайдан" in page and "жасалды" in page and ">created<" not in page
