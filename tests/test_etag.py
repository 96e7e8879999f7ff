"""Optimistic concurrency on API v1: detail reads and writes carry an ETag; a write with a stale
``If-Match`` is 412 and changes nothing; a read with a current ``If-None-Match`` is 304."""

from __future__ import annotations

import hashlib
import threading
import time
from dataclasses import dataclass

import pytest
from django.db import connection

from chambers.api import views as chamber_views
from chambers.models import Chamber, Contact
from tests.conftest import requires_postgres
from tests.scenes import approve_term, make_action_item, make_meeting, make_priority


@dataclass
class Resource:
    """One patchable resource: who may write it, its URL, a change and the field it changes,
    and another writer's change."""

    role: str
    url: str
    change: dict
    field: str
    other_change: dict


@pytest.fixture
def resources(union) -> dict[str, Resource]:
    meeting = make_meeting(
        kind="board",
        title="Board",
        starts_at="2030-05-14T09:00:00+05:00",
        ends_at="2030-05-14T12:00:00+05:00",
        time_zone="Asia/Almaty",
    )
    item = make_action_item(make_priority(title="Trade"), union.home, title="Study")
    return {
        "chamber": Resource(
            "editor", "/api/v1/chambers/home/", {"city": "Almaty"}, "city", {"phone": "+7 1"}
        ),
        "contact": Resource(
            "editor",
            f"/api/v1/contacts/{union.home_contact.pk}/",
            {"position": "CEO"},
            "position",
            {"phone": "+7 2"},
        ),
        "meeting": Resource(
            "staff",
            f"/api/v1/meetings/{meeting.pk}/",
            {"title": "B2"},
            "title",
            {"venue_city": "X"},
        ),
        "action item": Resource(
            "write_token",
            f"/api/v1/action-items/{item.pk}/",
            {"progress": 40},
            "progress",
            {"progress": 10},
        ),
    }


RESOURCES = ["chamber", "contact", "meeting", "action item"]


def _etag(response) -> str:
    etag = response["ETag"]
    assert etag.startswith('"') and etag.endswith('"') and not etag.startswith("W/")
    return etag


@pytest.mark.parametrize("name", RESOURCES)
def test_read_carries_etag_of_its_body(resources, union, name):
    resource = resources[name]
    response = union.client(resource.role).get(resource.url)
    assert response.status_code == 200
    assert _etag(response) == f'"{hashlib.sha256(response.content).hexdigest()}"'


@pytest.mark.parametrize("name", RESOURCES)
def test_write_with_current_etag_succeeds_and_returns_the_next_one(resources, union, name):
    resource = resources[name]
    client = union.client(resource.role)
    etag = _etag(client.get(resource.url))
    response = client.patch(resource.url, resource.change, format="json", HTTP_IF_MATCH=etag)
    assert response.status_code == 200, response.content
    assert response.json()[resource.field] == resource.change[resource.field]
    new = _etag(response)
    assert new != etag
    assert _etag(client.get(resource.url)) == new  # what a GET now gives: chain the next write


@pytest.mark.parametrize("name", RESOURCES)
def test_write_with_stale_etag_is_412_and_changes_nothing(resources, union, name):
    resource = resources[name]
    client = union.client(resource.role)
    stale = _etag(client.get(resource.url))
    someone_else = client.patch(resource.url, resource.other_change, format="json")
    assert someone_else.status_code == 200
    before = client.get(resource.url).content
    response = client.patch(resource.url, resource.change, format="json", HTTP_IF_MATCH=stale)
    assert response.status_code == 412
    assert set(response.json()) == {"detail"}
    assert client.get(resource.url).content == before


@pytest.mark.parametrize(
    ("if_match", "status"),
    [
        ("*", 200),
        ('"nope", {etag}', 200),  # a list: any one matches
        ("W/{etag}", 412),  # If-Match compares strongly: a weak tag never matches
        ('"nope"', 412),
        ("garbage", 412),
    ],
)
def test_if_match_forms(union, if_match, status):
    client = union.client("editor")
    etag = _etag(client.get("/api/v1/chambers/home/"))
    header = if_match.format(etag=etag)
    response = client.patch(
        "/api/v1/chambers/home/", {"city": "Turkistan"}, format="json", HTTP_IF_MATCH=header
    )
    assert response.status_code == status
    assert Chamber.objects.get(slug="home").city == ("Turkistan" if status == 200 else "Capital")


def test_write_without_if_match_proceeds(union):
    response = union.client("editor").patch("/api/v1/chambers/home/", {"city": "Shymkent"})
    assert response.status_code == 200
    assert "ETag" in response


def test_precondition_checked_after_permissions(union):
    """Another chamber's object stays 404 whatever the If-Match: nothing about it leaks."""
    url = f"/api/v1/contacts/{union.other_contact.pk}/"
    response = union.client("editor").patch(url, {"position": "X"}, HTTP_IF_MATCH='"x"')
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("role", "url"),
    [
        ("anonymous", "/api/v1/chambers/home/"),
        ("viewer", "/api/v1/contacts/{contact}/"),
        ("anonymous", "/api/v1/rotation/terms/{term}/"),
    ],
)
def test_if_none_match_current_is_304(union, role, url):
    term = approve_term(union.home, 2030)
    url = url.format(contact=union.home_contact.pk, term=term.pk)
    client = union.client(role)
    etag = _etag(client.get(url))
    response = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304
    assert response.content == b""
    assert response["ETag"] == etag
    assert client.get(url, HTTP_IF_NONE_MATCH=f"W/{etag}").status_code == 304  # weak compare
    assert client.get(url, HTTP_IF_NONE_MATCH='"old"').status_code == 200


@requires_postgres
@pytest.mark.django_db(transaction=True)
def test_two_writers_with_one_etag_only_one_wins(union, monkeypatch):
    """Both read the same ETag. The first takes the row's lock and, while it holds it, the second
    checks its If-Match: it must wait for the lock and then see the first one's change (412),
    not compare against what it read before the lock."""
    url = "/api/v1/chambers/home/"
    etag = _etag(union.client("editor").get(url))
    first_inside = threading.Event()
    update = chamber_views.services.chamber_update

    def slow_update(**kwargs):
        chamber = update(**kwargs)
        if kwargs["data"].get("city_en") == "First":  # the plain city, in the request language
            first_inside.set()
            time.sleep(0.5)  # commit late, with the row locked
        return chamber

    monkeypatch.setattr(chamber_views.services, "chamber_update", slow_update)
    results: dict[str, int] = {}

    def write(city: str) -> None:
        try:
            if city == "Second":
                assert first_inside.wait(5)
            client = union.client("editor")
            response = client.patch(url, {"city": city}, format="json", HTTP_IF_MATCH=etag)
            results[city] = response.status_code
        finally:
            connection.close()

    threads = [threading.Thread(target=write, args=(city,)) for city in ("First", "Second")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert results == {"First": 200, "Second": 412}
    assert Chamber.objects.get(slug="home").city == "First"
    assert Contact.objects.filter(chamber__slug="home").exists()
