"""Webhook services: the subscriber's address checks, the signature helper, and which
deliveries each writing service records (only for subscribers of that event, only on commit).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import time
import uuid
from zoneinfo import ZoneInfo

import pytest
from django.db import transaction

from chambers import services as chambers
from chambers.services import PeriodData
from core.access import Access
from core.errors import DomainError, ForbiddenError
from meetings import services as meetings
from rotation import services as rotation
from tests.factories import SYSTEM, make_chamber
from tests.webhooks.conftest import PUBLIC_IP, SECRET, subscribe
from webhooks import services
from webhooks.models import Delivery, DeliveryStatus, EventType, Subscriber

pytestmark = pytest.mark.django_db
D = dt.date
UTC = ZoneInfo("UTC")
VIEWER = Access(user=None, label="viewer", reads_all=True)


# Addresses ----------------------------------------------------------------------------------


@pytest.fixture
def strict(settings, public_dns):
    settings.WEBHOOKS_ALLOW_PRIVATE_URLS = False
    return public_dns


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/hook",
        "http://127.8.9.10:8000/hook",
        "http://10.1.2.3/hook",
        "http://192.168.1.20/hook",
        "http://172.16.0.1/hook",
        "http://169.254.169.254/latest/meta-data",
        "http://[::1]/hook",
        "http://[::ffff:127.0.0.1]/hook",
        "http://[2002:7f00:1::]/hook",  # 6to4 around 127.0.0.1
        "http://[2002:a9fe:a9fe::]/hook",  # 6to4 around 169.254.169.254
        "http://[fe80::1]/hook",
        "http://0.0.0.0/hook",
        "http://224.0.0.1/hook",
        "http://100.64.0.1/hook",
        "http://localhost:8000/hook",
    ],
)
def test_internal_addresses_are_refused(strict, url):
    with pytest.raises(DomainError) as err:
        subscribe(url, [EventType.MEETING_CREATED])
    assert err.value.field == "url"
    assert not Subscriber.objects.exists()


def test_a_host_name_resolving_to_an_internal_address_is_refused(strict):
    strict["intranet.example.org"] = "10.0.0.5"
    with pytest.raises(DomainError, match="internal address") as err:
        subscribe("https://intranet.example.org/hook", [EventType.MEETING_CREATED])
    assert err.value.field == "url"


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("ftp://example.org/hook", "valid URL"),
        ("file:///etc/passwd", "valid URL"),
        ("https://user:pw@example.org/hook", "credentials"),
    ],
)
def test_other_schemes_and_credentials_are_refused(strict, url, message):
    with pytest.raises(DomainError, match=message) as err:
        subscribe(url, [EventType.MEETING_CREATED])
    assert err.value.field == "url"


def test_a_public_host_is_accepted_and_a_blank_secret_generated(strict):
    subscriber = subscribe("https://example.org/hooks", [EventType.TERM_APPROVED], secret="")
    subscriber.refresh_from_db()
    assert subscriber.url == "https://example.org/hooks"
    assert len(subscriber.secret) >= 40  # token_urlsafe(32)
    other = subscribe("https://example.org/other", [EventType.TERM_APPROVED], secret="")
    assert other.secret != subscriber.secret
    assert services.url_addresses("https://example.org/")[0][1][0] == PUBLIC_IP


def test_internal_addresses_are_allowed_by_the_setting(settings):
    settings.WEBHOOKS_ALLOW_PRIVATE_URLS = True
    assert subscribe("http://127.0.0.1:9/hook", [EventType.MEETING_CREATED]).pk


def test_an_unresolvable_host_is_refused(settings):
    settings.WEBHOOKS_ALLOW_PRIVATE_URLS = True
    with pytest.raises(DomainError, match="cannot be resolved") as err:
        subscribe("https://no-such-host.invalid/hook", [EventType.MEETING_CREATED])
    assert err.value.field == "url"


@pytest.mark.parametrize(
    "events", [[], ["meeting.deleted"], ["meeting.created", "meeting.created"], "meeting.created"]
)
def test_events_must_be_known_types(events):
    with pytest.raises(DomainError) as err:
        subscribe("http://127.0.0.1:9/hook", events)
    assert err.value.field == "events"


def test_only_staff_register_subscribers():
    with pytest.raises(ForbiddenError):
        services.subscriber_save(
            actor=VIEWER,
            subscriber=Subscriber(name="x", url="http://127.0.0.1/", events=["term.approved"]),
        )
    assert not Subscriber.objects.exists()


# Signatures ---------------------------------------------------------------------------------


def test_verify_signature_accepts_the_signed_body_only():
    body = b'{"id":"1","event":"term.approved"}'
    now = int(time.time())
    header = services.sign(SECRET, body, now)
    digest = hmac.new(SECRET.encode(), f"{now}.".encode() + body, hashlib.sha256).hexdigest()
    assert header == f"t={now},v1={digest}"
    assert services.verify_signature(SECRET, header, body)
    assert not services.verify_signature(SECRET, header, body + b" ")
    assert not services.verify_signature("another secret", header, body)
    assert not services.verify_signature(SECRET, header.replace(f"t={now}", f"t={now + 1}"), body)
    old = services.sign(SECRET, body, now - 301)
    assert not services.verify_signature(SECRET, old, body)  # a replay, too late
    assert services.verify_signature(SECRET, old, body, tolerance=600)
    for broken in ["", "t=abc,v1=00", "v1=00", f"t={now}", "nonsense"]:
        assert not services.verify_signature(SECRET, broken, body)


# Emitting -----------------------------------------------------------------------------------


def meeting_data(**data) -> dict:
    return {
        "kind": "ga_ordinary",
        "session_number": 1,
        "starts_at": dt.datetime(2026, 5, 1, 10, tzinfo=UTC),
        "ends_at": dt.datetime(2026, 5, 1, 18, tzinfo=UTC),
        **data,
    }


@pytest.fixture
def subscribers(settings) -> dict[str, Subscriber]:
    """One subscriber per group of events, and an inactive one that wants everything."""
    settings.WEBHOOKS_ALLOW_PRIVATE_URLS = True
    url = "http://127.0.0.1:9/hook"
    return {
        "meetings": subscribe(url, [EventType.MEETING_CREATED, EventType.MEETING_UPDATED]),
        "decisions": subscribe(url, [EventType.DECISION_ADOPTED]),
        "terms": subscribe(url, [EventType.TERM_APPROVED]),
        "members": subscribe(url, [EventType.MEMBERSHIP_CHANGED]),
        "inactive": subscribe(url, EventType.values, active=False, name="Inactive receiver"),
    }


def new_deliveries(since: int) -> list[tuple[str, str]]:
    """(subscriber's group, event) of the deliveries made after pk ``since``."""
    return [
        (d.subscriber.name, d.event)
        for d in Delivery.objects.filter(pk__gt=since).select_related("subscriber").order_by("pk")
    ]


def last_pk() -> int:
    return Delivery.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def data_of(delivery: Delivery) -> dict:
    body = json.loads(delivery.body)
    assert body == delivery.payload
    assert body["id"] == str(delivery.event_id)
    assert body["event"] == delivery.event
    occurred = dt.datetime.fromisoformat(body["occurred_at"])
    assert occurred.utcoffset() is not None  # an instant, not a wall-clock time
    assert delivery.created_at - dt.timedelta(minutes=1) <= occurred <= delivery.created_at
    return body["data"]


def test_no_subscriber_no_delivery():
    meetings.meeting_create(actor=SYSTEM, data=meeting_data())
    assert not Delivery.objects.exists()


def test_meetings_created_and_updated_go_to_their_subscribers_only(subscribers):
    host = make_chamber(slug="host", country="KZ")
    start = last_pk()
    meeting = meetings.meeting_create(actor=SYSTEM, data=meeting_data(host=host))
    meetings.meeting_update(actor=SYSTEM, meeting=meeting, data={"venue_city": "Astana"})
    created, updated = Delivery.objects.filter(pk__gt=start).order_by("pk")
    assert (created.subscriber, created.event) == (subscribers["meetings"], "meeting.created")
    assert (updated.subscriber, updated.event) == (subscribers["meetings"], "meeting.updated")
    assert created.status == DeliveryStatus.PENDING and created.event_id != updated.event_id
    data = data_of(updated)["meeting"]
    assert data["id"] == meeting.pk
    assert data["venue_city"] == "Astana"
    assert data["host"] == {"id": host.pk, "slug": "host", "country": "KZ"}
    assert data["starts_at"] == "2026-05-01T10:00:00Z"
    assert data_of(created)["meeting"]["venue_city"] == ""


def test_adopting_an_admission_sends_the_decision_and_the_membership_change(subscribers):
    members = [make_chamber(slug=f"m{i}") for i in range(3)]
    newcomer = make_chamber(slug="new", status=None, country="HU")
    meeting = meetings.meeting_create(actor=SYSTEM, data=meeting_data())
    for chamber in members:
        meetings.attendance_record(actor=SYSTEM, meeting=meeting, chamber=chamber, present=True)
    decision = meetings.decision_create(
        actor=SYSTEM,
        meeting=meeting,
        data={
            "kind": "membership",
            "title": "Admission",
            "method": "consensus",
            "effects": [
                {"type": "admit", "chamber": "new", "status": "observer", "effective": "2026-05-02"}
            ],
        },
    )
    start = last_pk()
    meetings.decision_adopt(actor=SYSTEM, decision=decision)
    deliveries = {d.event: d for d in Delivery.objects.filter(pk__gt=start)}
    assert {e: d.subscriber for e, d in deliveries.items()} == {
        "membership.changed": subscribers["members"],
        "decision.adopted": subscribers["decisions"],
    }
    adopted = data_of(deliveries["decision.adopted"])
    assert adopted["decision"]["id"] == decision.pk
    assert adopted["decision"]["number"] == 1
    assert adopted["decision"]["effects"][0]["type"] == "admit"
    assert adopted["meeting"] == {
        "id": meeting.pk,
        "kind": "ga_ordinary",
        "session_number": 1,
        "starts_at": "2026-05-01T10:00:00Z",
    }
    changed = data_of(deliveries["membership.changed"])
    assert changed["chamber"] == {"id": newcomer.pk, "slug": "new", "country": "HU"}
    assert changed["status"] == "observer"
    assert changed["effective"] == "2026-05-02"
    assert changed["decision_id"] == decision.pk
    assert changed["periods"] == [
        {"status": "observer", "start": "2026-05-02", "end": None, "decision_id": decision.pk}
    ]


def test_a_status_change_and_a_periods_edit_send_membership_changed(subscribers):
    chamber = make_chamber(slug="kz", since=D(2019, 1, 1))
    start = last_pk()
    chambers.membership_change_status(
        actor=SYSTEM, chamber=chamber, status="former", effective=D(2025, 1, 1)
    )
    chambers.membership_periods_replace(
        actor=SYSTEM,
        chamber=chamber,
        periods=[PeriodData(status="observer", start=D(2018, 1, 1), end=None)],
    )
    left, edited = Delivery.objects.filter(pk__gt=start).order_by("pk")
    assert {left.subscriber, edited.subscriber} == {subscribers["members"]}
    assert data_of(left)["status"] == "former"
    assert data_of(left)["status_today"] == "former"
    assert data_of(left)["periods"][0]["end"] == "2024-12-31"
    assert data_of(edited)["status"] == "observer"
    assert data_of(edited)["effective"] is None
    assert [p["start"] for p in data_of(edited)["periods"]] == ["2018-01-01"]


def test_an_approved_term_goes_to_its_subscribers_only(subscribers):
    chamber = make_chamber(slug="kz", country="KZ")
    rotation.order_set(actor=SYSTEM, kind="agreed", chambers=[chamber])
    start = last_pk()
    term = rotation.term_approve(
        actor=SYSTEM, chamber=chamber, start=D(2027, 1, 1), end=D(2027, 12, 31)
    )
    (delivery,) = Delivery.objects.filter(pk__gt=start)
    assert (delivery.subscriber, delivery.event) == (subscribers["terms"], "term.approved")
    assert data_of(delivery)["term"] == {
        "id": term.pk,
        "chamber": {"id": chamber.pk, "slug": "kz", "country": "KZ"},
        "start": "2027-01-01",
        "end": "2027-12-31",
        "state": "approved",
        "president_id": None,
        "decision_id": None,
    }


def test_one_event_for_two_subscribers_shares_its_id_and_body(subscribers, settings):
    second = subscribe("http://127.0.0.1:9/other", [EventType.MEETING_CREATED])
    meetings.meeting_create(actor=SYSTEM, data=meeting_data())
    first, other = Delivery.objects.order_by("pk")
    assert {first.subscriber, other.subscriber} == {subscribers["meetings"], second}
    assert first.event_id == other.event_id and first.body == other.body


def test_a_rolled_back_change_records_and_publishes_nothing(
    subscribers, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks() as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        meetings.meeting_create(actor=SYSTEM, data=meeting_data())
        raise RuntimeError("the rest of the request failed")
    assert not Delivery.objects.exists()
    assert callbacks == []  # nothing to publish: the savepoint's callbacks went with it


def test_deliveries_are_published_after_commit(
    subscribers, monkeypatch, django_capture_on_commit_callbacks
):
    published: list[list[int]] = []
    monkeypatch.setattr(
        services.deliveries, "deliveries_publish", lambda ids: published.append(ids)
    )
    with django_capture_on_commit_callbacks(execute=True):
        meeting = meetings.meeting_create(actor=SYSTEM, data=meeting_data())
        assert published == []  # not before the commit
    (delivery,) = Delivery.objects.all()
    assert delivery.payload["data"]["meeting"]["id"] == meeting.pk
    assert published == [[delivery.pk]]


def test_publish_failure_leaves_deliveries_pending_for_the_requeue(subscribers, monkeypatch):
    from core import outbox

    monkeypatch.setattr(outbox, "enqueue_each", lambda task, args: 0)
    ids = services.webhooks_emit("term.approved", {"term": {"id": 1}})
    assert services.deliveries_publish(ids) == 0
    delivery = Delivery.objects.get(pk=ids[0])
    assert delivery.queued_at is None and delivery.status == DeliveryStatus.PENDING

    # Young rows may still be on their way; old ones are published again.
    assert services.deliveries_requeue() == 0
    Delivery.objects.filter(pk=delivery.pk).update(
        created_at=delivery.created_at - services.UNPUBLISHED_GRACE - dt.timedelta(seconds=1)
    )
    monkeypatch.setattr(outbox, "enqueue_each", lambda task, args: len(list(args)))
    assert services.deliveries_requeue() == 1
    delivery.refresh_from_db()
    assert delivery.queued_at is not None
    assert services.deliveries_requeue() == 0  # queued a moment ago: its task is on its way


def test_an_unknown_event_is_a_programming_error():
    with pytest.raises(ValueError, match="unknown webhook event"):
        services.webhooks_emit("meeting.deleted", {"id": uuid.uuid4()})
