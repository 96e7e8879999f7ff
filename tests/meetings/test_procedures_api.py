"""Written procedures over the API and their webhooks: what an integrator sends and reads."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from core.access import SYSTEM
from meetings import services
from tests.scenes import make_meeting, make_written
from webhooks.models import Delivery, EventType, Subscriber

pytestmark = pytest.mark.django_db


def _draft(client, **data):
    body = {"kind": "general", "title": "Statement on transit", "method": "vote", **data}
    response = client.post("/api/v1/decisions/", body, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["meeting"] is None and response.json()["year"]
    return response.json()["id"]


def test_staff_open_a_procedure_on_a_draft_between_sessions(union):
    staff = union.client("staff")
    decision = _draft(staff)
    response = staff.post(
        f"/api/v1/decisions/{decision}/procedure/",
        {
            "mode": "vote",
            "closes_at": "2030-03-15T18:00:00+05:00",
            "letters": {"en": "Please answer", "kk": "Жауап беріңіз"},
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["voters"] == ["home", "other"]  # the observer has no vote
    closes_at = dt.datetime.fromisoformat(body["closes_at"].replace("Z", "+00:00"))
    assert closes_at == dt.datetime(2030, 3, 15, 13, 0, tzinfo=dt.UTC)  # 18:00 in Astana
    assert body["letters"]["kk"] == "Жауап беріңіз" and body["state"] == "open"
    again = staff.post(
        f"/api/v1/decisions/{decision}/procedure/",
        {"mode": "vote", "closes_at": "2030-03-15T18:00:00+05:00"},
        format="json",
    )
    assert again.status_code == 409


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"mode": "vote", "closes_at": "2030-03-15T18:00:00"}, "closes_at"),  # no zone
        ({"mode": "vote", "closes_at": "2020-03-15T18:00:00+05:00"}, "closes_at"),  # past
        ({"mode": "vote", "closes_at": "2900-03-15T18:00:00+05:00"}, "closes_at"),
        ({"mode": "referendum", "closes_at": "2030-03-15T18:00:00+05:00"}, "mode"),
    ],
)
def test_bad_openings_name_the_field_and_change_nothing(union, body, field):
    staff = union.client("staff")
    decision = _draft(staff)
    response = staff.post(f"/api/v1/decisions/{decision}/procedure/", body, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert staff.get(f"/api/v1/decisions/{decision}/").json()["procedure"] is None


def test_a_membership_draft_between_sessions_is_refused(union):
    response = union.client("staff").post(
        "/api/v1/decisions/",
        {"kind": "membership", "title": "Admission", "method": "vote"},
        format="json",
    )
    assert response.status_code == 400 and "kind" in response.json()


def test_an_editor_answers_changes_and_every_version_is_kept(union):
    decision = make_written()
    editor = union.client("editor")
    url = f"/api/v1/decisions/{decision.pk}/ballot/"
    first = editor.post(url, {"vote": "against"}, format="json")
    assert first.status_code == 201 and first.json()["chamber"] == "home"
    second = editor.post(url, {"vote": "for"}, format="json")
    assert second.status_code == 200 and second.json()["changes"] == 2
    other = editor.post(url, {"vote": "for", "chamber": "other"}, format="json")
    assert other.status_code == 403
    procedure = union.client("viewer").get(f"/api/v1/decisions/{decision.pk}/").json()["procedure"]
    assert procedure["answers"] == [
        {
            "chamber": "home",
            "answer": "for",
            "reason": "",
            "received_on": None,
            "recorded_at": procedure["answers"][0]["recorded_at"],
            "changes": 2,
        }
    ]
    assert procedure["outcome"]["answered"] == 1 and procedure["outcome"]["adopted"] is False


def test_silence_objection_as_a_boolean_with_its_reason(union):
    decision = make_written(mode="silence")
    editor = union.client("editor")
    url = f"/api/v1/decisions/{decision.pk}/ballot/"
    missing = editor.post(url, {"objection": True}, format="json")
    assert missing.status_code == 400 and "reason" in missing.json()
    objected = editor.post(url, {"objection": True, "reason": "Not consulted"}, format="json")
    assert objected.status_code == 201 and objected.json()["answer"] == "objection"
    withdrawn = editor.post(url, {"objection": False}, format="json")
    assert withdrawn.json()["answer"] == "no_objection"
    vote = editor.post(url, {"vote": "for"}, format="json")
    assert vote.status_code == 400 and "vote" in vote.json()


def test_staff_close_early_and_the_public_sees_the_outcome_only(union):
    decision = make_written(published=True)
    for role in ("editor", "other_editor"):
        union.client(role).post(
            f"/api/v1/decisions/{decision.pk}/ballot/", {"vote": "for"}, format="json"
        )
    closed = union.client("staff").post(f"/api/v1/decisions/{decision.pk}/procedure/close/")
    assert closed.status_code == 200 and closed.json()["adopted"] is True
    public = union.client("anonymous").get("/api/v1/procedures/").json()["results"]
    assert [p["decision"] for p in public] == [decision.pk]
    assert public[0]["answers"] is None and public[0]["outcome"]["votes_for"] == 2
    again = union.client("staff").post(f"/api/v1/decisions/{decision.pk}/procedure/close/")
    assert again.status_code == 409


def test_procedures_filter_by_state_mode_and_year(union):
    open_one = make_written(title="Open")
    silent = make_written(title="Silent", mode="silence")
    services.procedure_withdraw(actor=SYSTEM, decision=silent)
    viewer = union.client("viewer")

    def ids(query):
        response = viewer.get(f"/api/v1/procedures/{query}")
        assert response.status_code == 200, response.content
        return {p["decision"] for p in response.json()["results"]}

    assert ids("?state=open") == {open_one.pk}
    assert ids("?mode=silence") == {silent.pk}
    year = (timezone.now() + dt.timedelta(days=30)).year
    assert ids(f"?year={year}") == {open_one.pk, silent.pk}
    assert ids(f"?year={year + 5}") == set()
    assert viewer.get("/api/v1/procedures/?state=maybe").status_code == 400


def test_webhooks_tell_the_opening_and_the_close(union, settings):
    settings.WEBHOOKS_ALLOW_PRIVATE_URLS = True
    from webhooks import services as webhook_services

    webhook_services.subscriber_save(
        actor=SYSTEM,
        subscriber=Subscriber(
            name="Procedures",
            url="http://127.0.0.1:9/hook",
            secret="s" * 32,
            events=[EventType.PROCEDURE_OPENED, EventType.PROCEDURE_CLOSED],
        ),
    )
    decision = make_written()
    services.procedure_withdraw(actor=SYSTEM, decision=decision)
    events = [
        (d.event, d.payload["data"]["procedure"]["state"]) for d in Delivery.objects.order_by("pk")
    ]
    assert events == [("procedure.opened", "open"), ("procedure.closed", "withdrawn")]
    data = Delivery.objects.first().payload["data"]
    assert data["meeting"] is None and data["procedure"]["voters"] == ["home", "other"]


def test_an_absent_member_gives_its_proxy_over_the_api(union):
    meeting = make_meeting()
    union.client("other_editor").post(
        f"/api/v1/meetings/{meeting.pk}/rsvp/", {"status": "attending"}, format="json"
    )
    response = union.client("editor").post(
        f"/api/v1/meetings/{meeting.pk}/rsvp/",
        {"status": "declined", "proxy": "other"},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["proxy"] == "other"
    refused = union.client("editor").post(
        f"/api/v1/meetings/{meeting.pk}/rsvp/",
        {"status": "attending", "proxy": "other"},
        format="json",
    )
    assert refused.status_code == 400 and "proxy" in refused.json()


def test_a_meeting_filter_too_large_for_the_database_is_a_400(union):
    response = union.client("staff").get("/api/v1/decisions/?meeting=2.06e%2B37")
    assert response.status_code == 400 and "meeting" in response.json()


def test_an_observer_never_answers_over_the_api(union):
    from rest_framework.test import APIClient

    from tests.factories import make_login

    client = APIClient()
    client.force_login(make_login(union.observer, "editor", username="watcher_editor"))
    decision = make_written()
    response = client.post(
        f"/api/v1/decisions/{decision.pk}/ballot/", {"vote": "for"}, format="json"
    )
    assert response.status_code == 403
    assert not decision.procedures.get().ballots.exists()


# Found in review ----------------------------------------------------------------------------


def test_a_withdrawn_procedure_counts_nothing_in_the_api(union):
    decision = make_written()
    union.client("editor").post(
        f"/api/v1/decisions/{decision.pk}/ballot/", {"vote": "for"}, format="json"
    )
    withdrawn = union.client("staff").post(f"/api/v1/decisions/{decision.pk}/procedure/withdraw/")
    assert withdrawn.json()["state"] == "withdrawn" and withdrawn.json()["outcome"] is None


def test_the_public_never_sees_a_procedure_that_did_not_adopt_its_decision(union):
    from tests.scenes import adopt, attend, make_decision, vote

    meeting = make_meeting()
    decision = make_decision(meeting, title="Referred, then voted", published=True)
    services.procedure_open(
        actor=SYSTEM,
        decision=decision,
        mode="vote",
        closes_at=timezone.now() + dt.timedelta(days=3),
    )
    services.ballot_cast(
        actor=SYSTEM,
        decision=decision,
        chamber=union.home,
        answer="against",
        received_on=timezone.localdate(),
    )
    services.procedure_withdraw(actor=SYSTEM, decision=decision)
    attend(meeting, [union.home, union.other])
    vote(decision, [union.home, union.other], "for")
    adopt(decision)
    anonymous = union.client("anonymous")
    assert anonymous.get("/api/v1/procedures/").json()["results"] == []
    assert anonymous.get(f"/api/v1/decisions/{decision.pk}/").json()["procedure"] is None
    # The register shows the session's count, not the earlier procedure.
    page = union.client("viewer", api=False).get("/decisions/").content.decode()
    assert "2 for, 0 against, 0 abstaining" in page and "withdrawn" not in page


def test_the_deadline_comes_back_with_the_offset_of_its_zone(union):
    staff = union.client("staff")
    decision = _draft(staff)
    response = staff.post(
        f"/api/v1/decisions/{decision}/procedure/",
        {"mode": "vote", "closes_at": "2030-03-15T18:00:00+05:00", "time_zone": "Asia/Almaty"},
        format="json",
    )
    assert response.json()["closes_at"] == "2030-03-15T18:00:00+05:00"
    assert response.json()["time_zone"] == "Asia/Almaty"


def test_the_admin_shows_a_procedure_and_never_saves_it(union):
    decision = make_written()
    procedure = decision.procedures.get()
    client = union.client("staff", api=False)
    url = f"/admin/meetings/procedure/{procedure.pk}/change/"
    assert client.get(url).status_code == 200
    assert client.post(url, {"state": "closed"}).status_code == 403
    procedure.refresh_from_db()
    assert procedure.state == "open"


def test_a_term_approved_by_written_procedure_links_to_it(union):
    from tests.scenes import set_order

    set_order([union.home, union.other])
    decision = services.decision_create(
        actor=SYSTEM,
        meeting=None,
        data={
            "kind": "rotation",
            "title": "Chair for 2031",
            "effects": [
                {
                    "type": "approve_term",
                    "chamber": "home",
                    "start": "2031-01-01",
                    "end": "2031-12-31",
                }
            ],
        },
    )
    procedure = services.procedure_open(
        actor=SYSTEM,
        decision=decision,
        mode="silence",
        closes_at=timezone.now() + dt.timedelta(days=1),
    )
    closed = services.procedure_close(
        actor=None, decision=decision, now=procedure.closes_at + dt.timedelta(seconds=1)
    )
    assert closed.adopted, closed.refusal
    from rotation.models import Term

    term = Term.objects.get(decision=decision)
    page = union.client("viewer", api=False).get(f"/rotation/terms/{term.pk}/")
    assert page.status_code == 200
    assert f"/decisions/{decision.pk}/procedure/" in page.content.decode()
