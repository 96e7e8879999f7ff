"""Shared fixtures: a small union and one caller for each role of the permission table.

Roles: ``anonymous``; ``viewer`` and ``editor`` of the home chamber; ``other_editor`` (editor of
another chamber); ``read_token`` and ``write_token`` of the home chamber; ``staff``.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.db import connection
from django.test import Client
from rest_framework.test import APIClient

from chambers import services
from chambers.models import Chamber, Contact, MembershipStatus
from tests.factories import SYSTEM, make_chamber, make_contact, make_login

ROLES = ["anonymous", "viewer", "editor", "other_editor", "read_token", "write_token", "staff"]


def on_postgres() -> bool:
    return connection.vendor == "postgresql"


#: Tests of PostgreSQL's own constraints; CI runs the suite on PostgreSQL (DATABASE_URL) too.
requires_postgres = pytest.mark.skipif(
    not on_postgres(), reason="needs PostgreSQL: set DATABASE_URL (CI does)"
)


@dataclass
class Union:
    home: Chamber
    other: Chamber
    observer: Chamber
    home_contact: Contact
    other_contact: Contact
    tokens: dict[str, str]

    def client(self, role: str, *, api: bool = True):
        """A client acting as ``role``: session login for people, a header for tokens."""
        client = APIClient() if api else Client()
        if role in ("read_token", "write_token"):
            if not api:
                raise ValueError("tokens are for the API")
            client.credentials(HTTP_AUTHORIZATION=f"Token {self.tokens[role]}")
        elif role != "anonymous":
            from django.contrib.auth import get_user_model

            client.force_login(get_user_model().objects.get(username=role))
        return client


@pytest.fixture
def union(db) -> Union:
    home = make_chamber(slug="home", short_name="Home CCI", country="KZ")
    other = make_chamber(slug="other", short_name="Other CCI", country="TR")
    observer = make_chamber(
        slug="watcher", short_name="Watcher CCI", country="HU", status=MembershipStatus.OBSERVER
    )
    make_login(home, "viewer", username="viewer")
    make_login(home, "editor", username="editor")
    make_login(other, "editor", username="other_editor")
    make_login(None, None, username="staff", staff=True)
    tokens = {
        "read_token": services.token_issue(actor=SYSTEM, name="r", scope="read", chamber=home)[1],
        "write_token": services.token_issue(actor=SYSTEM, name="w", scope="write", chamber=home)[1],
    }
    return Union(
        home=home,
        other=other,
        observer=observer,
        home_contact=make_contact(home, name="Home Head", roles=["head"]),
        other_contact=make_contact(other, name="Other Head", roles=["head"]),
        tokens=tokens,
    )
