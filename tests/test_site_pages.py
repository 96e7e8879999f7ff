"""What every portal page shares: the favicon, and the 405 page for a POST-only address opened
in the browser (``core.middleware.MethodNotAllowedPage``)."""

from __future__ import annotations

import pytest
from django.contrib.staticfiles import finders
from django.test import Client

from tests.scenes import Union, make_meeting


def test_pages_link_the_svg_icon(client: Client, db) -> None:
    html = client.get("/").content.decode()
    assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in html


def test_favicon_ico_is_sent_to_the_icon(client: Client, db) -> None:
    response = client.get("/favicon.ico")
    assert response.status_code == 302 and response["Location"] == "/static/favicon.svg"
    icon = finders.find("favicon.svg")
    assert icon, "static/favicon.svg is missing"
    with open(icon, encoding="utf-8") as svg:
        assert svg.read().startswith("<svg xmlns=")


@pytest.fixture
def meeting(union: Union):
    return make_meeting()


@pytest.mark.parametrize("role", ["anonymous", "viewer", "editor", "staff"])
def test_get_of_a_post_only_page_answers_405_with_a_page(union: Union, meeting, role) -> None:
    client = union.client(role, api=False)
    response = client.get(f"/meetings/{meeting.pk}/rsvp/")
    assert response.status_code == 405
    assert response["Allow"] == "POST"
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    assert "<h1>Not a page to open</h1>" in html
    assert "It answers only: POST." in html
    assert '<header class="site-header">' in html  # the portal's page, with its navigation
    if role != "anonymous":
        assert f'<span class="who">{role}</span>' in html


def test_the_405_page_speaks_the_visitors_language(union: Union) -> None:
    client = union.client("viewer", api=False)
    client.cookies["django_language"] = "kk"
    response = client.get("/calendar/issue/")
    assert response.status_code == 405 and response["Allow"] == "POST"
    assert '<html lang="kk">' in response.content.decode()
    assert "Not a page to open" not in response.content.decode()


def test_logout_by_get_keeps_its_allow_header(client: Client, db) -> None:
    response = client.get("/accounts/logout/")
    assert response.status_code == 405
    assert response["Allow"] == "POST, OPTIONS"
    assert "It answers only: POST, OPTIONS." in response.content.decode()


def test_api_405s_are_left_as_the_api_made_them(union: Union) -> None:
    response = union.client("staff").put(f"/api/v1/chambers/{union.home.slug}/", {})
    assert response.status_code == 405
    assert response["Content-Type"] == "application/json"
    assert "detail" in response.json()


def test_head_of_a_post_only_page_stays_bare(union: Union, meeting) -> None:
    response = union.client("viewer", api=False).head(f"/meetings/{meeting.pk}/rsvp/")
    assert response.status_code == 405 and response["Allow"] == "POST"
    assert response.content == b""


def test_a_405_is_logged_once(union: Union, meeting, caplog) -> None:
    with caplog.at_level("WARNING", logger="django.request"):
        union.client("viewer", api=False).get(f"/meetings/{meeting.pk}/rsvp/")
    assert [r.getMessage() for r in caplog.records if r.name == "django.request"] == [
        f"Method Not Allowed (GET): /meetings/{meeting.pk}/rsvp/"
    ]
