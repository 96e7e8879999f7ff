"""The meetings admin: saves, adoption and votes go through the services; refusals are shown,
never a server error."""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile

from meetings import services
from meetings.models import Decision, Meeting
from tests.factories import SYSTEM
from tests.scenes import make_meeting


def _meeting(union) -> Meeting:
    """The IV General Assembly, 2026-06-01 (home, other and watcher invited)."""
    return make_meeting(
        kind="ga_ordinary",
        session_number=4,
        title="",
        starts_at=dt.datetime(2026, 6, 1, 9, tzinfo=dt.UTC),
        ends_at=dt.datetime(2026, 6, 1, 17, tzinfo=dt.UTC),
        time_zone="UTC",
    )


def _inline_management(prefix: str, total: int = 0, initial: int = 0) -> dict:
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def test_adopt_action_reports_the_reason_or_adopts(union):
    meeting = _meeting(union)
    decision = services.decision_create(
        actor=SYSTEM, meeting=meeting, data={"kind": "general", "title": "T", "method": "consensus"}
    )
    client = union.client("staff", api=False)
    url = "/admin/meetings/decision/"
    response = client.post(url, {"action": "adopt", "_selected_action": [decision.pk]}, follow=True)
    assert "No quorum" in response.content.decode()
    for chamber in (union.home, union.other):
        services.attendance_record(actor=SYSTEM, meeting=meeting, chamber=chamber, present=True)
    client.post(url, {"action": "adopt", "_selected_action": [decision.pk]})
    decision.refresh_from_db()
    assert decision.is_adopted
    page = client.get(f"/admin/meetings/decision/{decision.pk}/change/")
    assert page.status_code == 200 and 'name="title"' not in page.content.decode()  # read-only


def test_observer_vote_in_admin_is_refused_with_a_message(union):
    meeting = _meeting(union)
    for chamber in (union.home, union.observer):
        services.attendance_record(actor=SYSTEM, meeting=meeting, chamber=chamber, present=True)
    decision = services.decision_create(
        actor=SYSTEM, meeting=meeting, data={"kind": "general", "title": "T", "method": "vote"}
    )
    data = {
        "meeting": meeting.pk,
        "kind": "general",
        "title": "T",
        "text": "",
        "method": "vote",
        "effects": "[]",
        **_inline_management("votes", total=1),
        "votes-0-chamber": union.observer.pk,
        "votes-0-vote": "for",
        "votes-0-decision": decision.pk,
    }
    client = union.client("staff", api=False)
    response = client.post(f"/admin/meetings/decision/{decision.pk}/change/", data, follow=True)
    assert response.status_code == 200
    assert "Vote not recorded" in response.content.decode()
    assert not Decision.objects.get(pk=decision.pk).votes.exists()


def test_document_upload_in_admin_checks_content(union, settings, tmp_path):
    settings.DOCUMENTS_ROOT = tmp_path
    meeting = _meeting(union)
    client = union.client("staff", api=False)
    data = {
        "kind": "ga_ordinary",
        "session_number": 4,
        "title": "",
        "starts_at_0": "2026-06-01",
        "starts_at_1": "09:00:00",
        "ends_at_0": "2026-06-01",
        "ends_at_1": "17:00:00",
        "time_zone": "UTC",
        "format": "in_person",
        "status": "planned",
        "venue_city": "",
        "venue_country": "",
        "minutes": "",
        **_inline_management("agenda"),
        **_inline_management("invitations"),
        **_inline_management("documents", total=1),
        "documents-0-title": "Agenda",
        "documents-0-file": SimpleUploadedFile("agenda.pdf", b"MZ not a pdf"),
    }
    invitations = list(meeting.invitations.all())
    data.update(_inline_management("invitations", total=len(invitations), initial=len(invitations)))
    for i, invitation in enumerate(invitations):
        data[f"invitations-{i}-id"] = invitation.pk
        data[f"invitations-{i}-meeting"] = meeting.pk
        data[f"invitations-{i}-chamber"] = invitation.chamber_id
        data[f"invitations-{i}-present"] = "unknown"
    response = client.post(f"/admin/meetings/meeting/{meeting.pk}/change/", data)
    assert response.status_code == 200
    assert "not accepted" in response.content.decode()
    assert not meeting.documents.exists()
