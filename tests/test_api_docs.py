"""The API docs' introduction (SPECTACULAR_SETTINGS["DESCRIPTION"]) covers every part of the
API: one section per part, served in the schema's ``info.description``."""

from __future__ import annotations

import pytest
import yaml

SECTIONS = [
    "Chambers",
    "Memberships and status",
    "Contacts",
    "Meetings",
    "Invitations, RSVP and attendance",
    "Decisions",
    "Votes and adoption",
    "Priorities and action items",
    "Rotation",
    "Exports",
    "Imports",
    "Webhooks",
    "Authentication",
    "Pagination",
    "ETags and If-Match",
    "Errors",
    "Languages",
]
#: A few facts each section must state, so that a heading alone does not pass.
FACTS = [
    "in the meeting's own zone",
    "/rsvp/",
    "/attendance/",
    "/adopt/",
    "`overdue`",
    "/api/v1/rotation/forecast/",
    "/api/v1/rotation/order/",
    "csv,xlsx",
    "/api/v1/imports/",
    "X-Union-Signature",
    "Authorization: Token <key>",
    "`limit`",
    "If-Match",
    "409",
    "Accept-Language",
]


@pytest.fixture(scope="module")
def description(django_db_blocker) -> str:
    from django.test import Client

    with django_db_blocker.unblock():
        response = Client().get("/api/schema/")
    assert response.status_code == 200
    return yaml.safe_load(response.content)["info"]["description"]


@pytest.mark.parametrize("heading", SECTIONS)
def test_the_description_has_a_section_for(description: str, heading: str) -> None:
    assert f"\n## {heading}\n" in f"\n{description}\n", heading


@pytest.mark.parametrize("fact", FACTS)
def test_the_description_says(description: str, fact: str) -> None:
    assert fact in description
