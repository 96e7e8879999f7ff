"""The rule "a chamber holding a chairmanship term stays a full member" lives once, in the
rotation's guard, and every surface that changes a status goes through it: the API, the admin's
membership-period inline, an import and a decision's effect, all with the same message."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from chambers.models import Chamber
from core.access import SYSTEM
from core.errors import DomainError
from core.guards import membership_guards
from meetings import services as meetings
from rotation import services as rotation
from rotation.models import Rotation
from tests.chambers.test_admin import _chamber_form


def _message(chamber: Chamber, start: dt.date) -> str:
    return (
        f"{chamber.short_name} holds the chairmanship term from {start.isoformat()}; "
        "a decision must reassign it first."
    )


@pytest.fixture
def chair(union):
    """``union.home`` holds the approved term that starts after today's."""
    rotation.order_set(actor=SYSTEM, kind="agreed", chambers=[union.home, union.other])
    current = Rotation.current()
    start = current.next_start(current.slot_start(timezone.localdate()))
    term = rotation.term_approve(
        actor=SYSTEM, chamber=union.home, start=start, end=current.slot_end(start)
    )
    return term


def _suspend_by_api(union, today: dt.date) -> str:
    response = union.client("staff").post(
        "/api/v1/chambers/home/status/",
        {"status": "suspended", "effective": today.isoformat()},
        format="json",
    )
    assert response.status_code == 400, response.content
    return response.json()["status"][0]


def _suspend_by_admin(union, today: dt.date) -> str:
    period = union.home.periods.get()
    data = _chamber_form(
        union.home,
        [
            (period.pk, "member", period.start.isoformat(), (today - dt.timedelta(1)).isoformat()),
            (None, "suspended", today.isoformat(), ""),
        ],
        city="Changed with the refused periods",
    )
    response = union.client("staff", api=False).post(
        f"/admin/chambers/chamber/{union.home.pk}/change/", data
    )
    assert response.status_code == 200  # the form again, with the refusal
    errors = response.context["errors"]
    assert len(errors) == 1
    union.home.refresh_from_db()
    assert union.home.city != "Changed with the refused periods"  # the whole save undone
    return str(errors[0][0])


def _suspend_by_import(union, today: dt.date) -> str:
    upload = SimpleUploadedFile("chambers.csv", b"slug,new_status\r\nhome,suspended\r\n")
    response = union.client("staff").post(
        "/api/v1/imports/chambers/", {"file": upload, "dry_run": "false"}, format="multipart"
    )
    assert response.status_code == 400, response.content
    [error] = response.json()["errors"]
    assert (error["row"], error["field"]) == (2, "new_status")
    return error["message"]


def _suspend_by_decision(union, today: dt.date) -> str:
    starts = dt.datetime.combine(today, dt.time(10), tzinfo=ZoneInfo("UTC"))
    meeting = meetings.meeting_create(
        actor=SYSTEM,
        data={"kind": "ga_ordinary", "session_number": 1, "starts_at": starts, "ends_at": starts},
    )
    for chamber in (union.home, union.other):
        meetings.attendance_record(actor=SYSTEM, meeting=meeting, chamber=chamber, present=True)
    decision = meetings.decision_create(
        actor=SYSTEM,
        meeting=meeting,
        data={
            "kind": "membership",
            "title": "Suspension",
            "method": "consensus",
            "effects": [
                {
                    "type": "change_status",
                    "chamber": "home",
                    "status": "suspended",
                    "effective": today.isoformat(),
                }
            ],
        },
    )
    with pytest.raises(DomainError) as refused:
        meetings.decision_adopt(actor=SYSTEM, decision=decision)
    decision.refresh_from_db()
    assert decision.adopted_at is None
    return str(refused.value.message)


@pytest.mark.parametrize(
    "surface", [_suspend_by_api, _suspend_by_admin, _suspend_by_import, _suspend_by_decision]
)
def test_a_chamber_holding_a_term_cannot_be_suspended_from_any_surface(union, chair, surface):
    today = timezone.localdate()
    assert surface(union, today) == _message(union.home, chair.start)
    assert union.home.status_on(today) == "member"
    assert union.home.status_on(chair.start) == "member"


def test_a_refused_save_keeps_the_upload_for_the_form_and_stores_no_file(union, chair, settings):
    import io
    from pathlib import Path

    from PIL import Image

    png = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(png, "PNG")
    today = timezone.localdate()
    period = union.home.periods.get()
    data = _chamber_form(
        union.home,
        [
            (period.pk, "member", period.start.isoformat(), (today - dt.timedelta(1)).isoformat()),
            (None, "suspended", today.isoformat(), ""),
        ],
    )
    data["logo"] = SimpleUploadedFile("logo.png", png.getvalue(), content_type="image/png")
    response = union.client("staff", api=False).post(
        f"/admin/chambers/chamber/{union.home.pk}/change/", data
    )
    assert response.status_code == 200
    assert [str(e[0]) for e in response.context["errors"]] == [_message(union.home, chair.start)]
    logos = Path(settings.MEDIA_ROOT) / "logos"
    assert not logos.exists() or not any(logos.iterdir())
    union.home.refresh_from_db()
    assert not union.home.logo


def test_the_inline_lets_staff_edit_stretches_the_term_does_not_cover(union, chair):
    period = union.home.periods.get()
    data = _chamber_form(
        union.home,
        [
            (period.pk, "member", "2019-01-01", "2019-12-31"),
            (None, "suspended", "2020-01-01", "2020-06-30"),
            (None, "member", "2020-07-01", ""),
        ],
    )
    response = union.client("staff", api=False).post(
        f"/admin/chambers/chamber/{union.home.pk}/change/", data
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert union.home.status_on(dt.date(2020, 3, 1)) == "suspended"


def test_the_inline_refuses_ending_the_membership_before_the_term(union, chair):
    period = union.home.periods.get()
    last_day = (chair.start - dt.timedelta(days=1)).isoformat()
    data = _chamber_form(union.home, [(period.pk, "member", "2019-01-01", last_day)])
    response = union.client("staff", api=False).post(
        f"/admin/chambers/chamber/{union.home.pk}/change/", data
    )
    assert response.status_code == 200
    assert _message(union.home, chair.start) in response.content.decode()
    assert union.home.periods.get().end is None


def test_without_the_rotations_guard_the_same_suspension_passes(union, chair):
    """The rule is the guard's, not a copy in the chambers app: unregistered, nothing refuses."""
    from rotation.guards import HOLDS_TERM

    membership_guards.unregister(HOLDS_TERM.name)
    try:
        response = union.client("staff").post(
            "/api/v1/chambers/home/status/",
            {"status": "suspended", "effective": timezone.localdate().isoformat()},
            format="json",
        )
    finally:
        membership_guards.register(HOLDS_TERM)
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "suspended"
