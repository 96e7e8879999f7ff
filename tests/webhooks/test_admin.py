"""The secretariat's webhook admin: subscribers saved through the service (events as
checkboxes, the address checked, the secret generated then read-only), and the read-only
delivery log with its attempts, filters and "Send again"."""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages
from django.test import Client

from tests.factories import make_chamber, make_login
from tests.webhooks.conftest import subscribe
from webhooks import services
from webhooks.models import Attempt, Delivery, DeliveryStatus, EventType, Subscriber

pytestmark = pytest.mark.django_db
SUBSCRIBERS = "/admin/webhooks/subscriber/"
DELIVERIES = "/admin/webhooks/delivery/"


@pytest.fixture
def staff() -> Client:
    client = Client()
    client.force_login(make_login(None, None, username="staff", staff=True))
    return client


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_staff_add_a_subscriber_with_events_as_checkboxes(staff):
    page = staff.get(f"{SUBSCRIBERS}add/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'type="checkbox" name="events" value="decision.adopted"' in html
    response = staff.post(
        f"{SUBSCRIBERS}add/",
        {
            "name": "CRM",
            "url": "http://127.0.0.1:8765/hooks",
            "secret": "",
            "events": ["decision.adopted", "term.approved"],
            "active": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    subscriber = Subscriber.objects.get()
    assert subscriber.events == ["decision.adopted", "term.approved"]
    assert len(subscriber.secret) >= 40

    change = staff.get(f"{SUBSCRIBERS}{subscriber.pk}/change/").content.decode()
    assert subscriber.secret in change  # shown, for the receiver's copy
    assert 'name="secret"' not in change  # but not editable
    response = staff.post(
        f"{SUBSCRIBERS}{subscriber.pk}/change/",
        {"name": "CRM", "url": subscriber.url, "events": ["term.approved"], "secret": "x"},
    )
    assert response.status_code == 302
    subscriber.refresh_from_db()
    assert subscriber.events == ["term.approved"] and not subscriber.active
    assert subscriber.secret != "x"


def test_an_internal_address_is_a_form_error(staff, settings):
    settings.WEBHOOKS_ALLOW_PRIVATE_URLS = False
    response = staff.post(
        f"{SUBSCRIBERS}add/",
        {"name": "CRM", "url": "http://10.0.0.7/hooks", "events": ["term.approved"]},
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "internal address" in errors["url"][0]
    assert not Subscriber.objects.exists()


def test_events_are_required(staff):
    response = staff.post(
        f"{SUBSCRIBERS}add/", {"name": "CRM", "url": "http://127.0.0.1:9/", "events": []}
    )
    assert response.status_code == 200
    assert "events" in response.context["adminform"].form.errors


@pytest.fixture
def deliveries(db):
    subscriber = subscribe("http://127.0.0.1:9/hook", EventType.values, name="ERP")
    make_chamber(slug="kz")  # membership.changed
    delivered = Delivery.objects.get()
    Attempt.objects.create(
        delivery=delivered,
        number=1,
        started_at=delivered.created_at,
        duration_ms=12,
        status_code=502,
        error="HTTP 502 Bad Gateway: upstream down",
    )
    Attempt.objects.create(
        delivery=delivered,
        number=2,
        started_at=delivered.created_at,
        duration_ms=8,
        status_code=200,
        success=True,
    )
    Delivery.objects.filter(pk=delivered.pk).update(status=DeliveryStatus.DELIVERED)
    (pending,) = services.webhooks_emit("term.approved", {"term": {"id": 1}})
    return subscriber, delivered, Delivery.objects.get(pk=pending)


def test_the_log_lists_filters_and_shows_attempts(staff, deliveries):
    subscriber, delivered, pending = deliveries
    listing = staff.get(DELIVERIES)
    assert listing.status_code == 200
    assert [d.pk for d in listing.context["cl"].result_list] == [pending.pk, delivered.pk]
    for query in (
        "status=delivered",
        "event=membership.changed",
        f"subscriber__id__exact={subscriber.pk}",
    ):
        filtered = staff.get(f"{DELIVERIES}?{query}")
        assert filtered.status_code == 200
    only = staff.get(f"{DELIVERIES}?status=pending").context["cl"].result_list
    assert [d.pk for d in only] == [pending.pk]

    page = staff.get(f"{DELIVERIES}{delivered.pk}/change/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "HTTP 502 Bad Gateway: upstream down" in html
    assert str(delivered.event_id) in html
    assert 'name="_save"' not in html  # read-only


def test_send_again_requeues_the_selected(
    staff, deliveries, monkeypatch, django_capture_on_commit_callbacks
):
    _subscriber, delivered, pending = deliveries
    published: list[list[int]] = []
    monkeypatch.setattr(services.deliveries, "deliveries_publish", published.append)
    with django_capture_on_commit_callbacks(execute=True):
        response = staff.post(
            DELIVERIES,
            {"action": "send_again", "_selected_action": [delivered.pk, pending.pk]},
        )
    assert response.status_code == 302
    assert messages_of(response) == ["2 deliveries queued."]
    assert published == [sorted([delivered.pk, pending.pk])]
    delivered.refresh_from_db()
    assert delivered.status == DeliveryStatus.PENDING and delivered.delivered_at is None
    assert delivered.attempts.count() == 2  # the log stays; new attempts follow


@pytest.mark.parametrize("username", ["anonymous", "member"])
def test_only_staff_see_the_webhook_admin(username):
    client = Client()
    if username == "member":
        client.force_login(make_login(make_chamber(slug="home"), "editor", username="member"))
    for url in (SUBSCRIBERS, DELIVERIES):
        assert client.get(url).status_code == 302  # to the admin's login
