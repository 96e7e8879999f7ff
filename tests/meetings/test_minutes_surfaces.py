"""The minutes on the portal and the API: a member never sees a draft (page, version page,
API detail and list), the secretariat's workspace generates, saves and publishes, and the
Markdown of the minutes is rendered and sanitised (no raw HTML from a user reaches a page)."""

from __future__ import annotations

import pytest

from meetings import services
from meetings.models import Meeting
from tests.factories import SYSTEM
from tests.scenes import Union, make_meeting


@pytest.fixture
def meeting(union: Union) -> Meeting:
    """A held meeting: version 1 published, version 2 a draft, the working draft changed."""
    held = make_meeting(title="Board of March", days_from_now=-30, status="held")
    for text, publish in (("Minutes one.", True), ("Minutes two.", False)):
        services.meeting_update(actor=SYSTEM, meeting=held, data={"minutes_en": text})
        services.minutes_version_save(actor=SYSTEM, meeting=held, publish=publish)
    services.meeting_update(actor=SYSTEM, meeting=held, data={"minutes_en": "Minutes three."})
    return held


def test_a_member_never_sees_a_draft(union, meeting):
    viewer = union.client("viewer", api=False)
    page = viewer.get(f"/meetings/{meeting.pk}/").content.decode()
    assert "Minutes one." in page
    assert "Minutes two." not in page and "Minutes three." not in page
    assert "for approval at the next session" in page
    assert viewer.get(f"/meetings/{meeting.pk}/minutes/1/").status_code == 200
    assert viewer.get(f"/meetings/{meeting.pk}/minutes/2/").status_code == 404
    api = union.client("read_token")
    detail = api.get(f"/api/v1/meetings/{meeting.pk}/").json()
    assert detail["minutes"] == "Minutes one."
    assert detail["minutes_by_language"]["en"] == "Minutes one."  # never the draft's columns
    assert [v["number"] for v in detail["minutes_versions"]] == [1]
    listed = api.get(f"/api/v1/meetings/{meeting.pk}/minutes/").json()
    assert [(v["number"], v["state"], v["text"]) for v in listed] == [
        (1, "published", "Minutes one.")
    ]
    staff = union.client("staff").get(f"/api/v1/meetings/{meeting.pk}/minutes/").json()
    assert [(v["number"], v["state"]) for v in staff] == [(1, "published"), (2, "draft")]


def test_the_workspace_generates_saves_and_publishes(union, meeting):
    staff = union.client("staff", api=False)
    page = staff.get(f"/meetings/{meeting.pk}/").content.decode()
    assert "Minutes three." in page and "Not published: only the secretariat" in page
    refused = staff.post(f"/meetings/{meeting.pk}/minutes/generate/")
    assert refused.status_code == 400 and "replace" in refused.content.decode()
    generated = staff.post(f"/meetings/{meeting.pk}/minutes/generate/", {"replace": "1"})
    assert generated.status_code == 302
    page = staff.get(f"/meetings/{meeting.pk}/").content.decode()
    assert "<h3>Board of March</h3>" in page and "Attendance" in page  # under the h2
    saved = staff.post(f"/meetings/{meeting.pk}/minutes/versions/", {"note": "Generated"})
    assert saved.status_code == 302
    version = meeting.minutes_versions.get(number=3)
    assert version.note == "Generated" and version.state == "draft"
    assert staff.post(f"/meetings/{meeting.pk}/minutes/3/publish/").status_code == 302
    version.refresh_from_db()
    assert version.state == "published"
    again = staff.post(f"/meetings/{meeting.pk}/minutes/3/publish/")
    assert again.status_code == 409


def test_the_api_saves_and_generates_and_names_the_field(union, meeting):
    staff = union.client("staff")
    refused = staff.post(f"/api/v1/meetings/{meeting.pk}/minutes/generate/", {}, format="json")
    assert refused.status_code == 400 and "replace" in refused.json()
    created = staff.post(
        f"/api/v1/meetings/{meeting.pk}/minutes/", {"publish": True}, format="json"
    ).json()
    assert (created["number"], created["state"], created["text"]) == (
        3,
        "published",
        "Minutes three.",
    )
    unchanged = staff.post(f"/api/v1/meetings/{meeting.pk}/minutes/", {}, format="json")
    assert unchanged.status_code == 400 and "minutes" in unchanged.json()
    assert staff.post(f"/api/v1/meetings/{meeting.pk}/minutes/9/publish/").status_code == 404


def test_markdown_is_rendered_and_sanitised(union, meeting):
    text = (
        "## Opening\n\n**Agreed** by all. <script>alert(1)</script> "
        '<a href="javascript:alert(2)" onclick="x()">link</a> [site](https://example.org)'
    )
    services.meeting_update(actor=SYSTEM, meeting=meeting, data={"minutes_en": text})
    services.minutes_version_save(actor=SYSTEM, meeting=meeting, publish=True)
    page = union.client("viewer", api=False).get(f"/meetings/{meeting.pk}/").content.decode()
    assert "<h4>Opening</h4>" in page and "<strong>Agreed</strong>" in page
    assert "<script>alert(1)" not in page and "javascript:" not in page
    assert "onclick" not in page
    assert '<a href="https://example.org" rel="noopener noreferrer nofollow">site</a>' in page
