"""The demo union (FACTS.md) and the token command."""

from __future__ import annotations

from io import StringIO

from django.contrib.auth import get_user_model
from django.core.management import call_command
from rest_framework.test import APIClient

from chambers.models import ApiToken, Chamber, Contact, MemberLogin, MembershipPeriod


def load(*args: str) -> str:
    out = StringIO()
    call_command("load_demo", *args, stdout=out)
    return out.getvalue()


def test_load_demo_reproduces_the_union_and_is_idempotent(db):
    load("--logins")
    counts = (Chamber.objects.count(), MembershipPeriod.objects.count(), Contact.objects.count())
    load("--logins")
    assert counts == (
        Chamber.objects.count(),
        MembershipPeriod.objects.count(),
        Contact.objects.count(),
    )
    statuses = {c.country.code: c.status for c in Chamber.objects.with_status()}
    assert statuses == {
        "AZ": "member",
        "KZ": "member",
        "KG": "member",
        "TR": "member",
        "UZ": "member",
        "TM": "member",
        "HU": "observer",
    }
    atameken = Chamber.objects.get(country="KZ")
    assert "Atameken" in atameken.name_en
    head = atameken.contacts.get(is_head=True)
    assert (head.name, head.position) == ("Raimbek Batalov", "Chairman of the Presidium")


def test_demo_logins(db):
    assert "demo-pass-2026" in load("--logins")
    users = get_user_model().objects
    assert users.get(username="secretariat").is_staff
    assert users.get(username="secretariat").check_password("demo-pass-2026")
    roles = {m.user.username: (m.chamber.country.code, m.role) for m in MemberLogin.objects.all()}
    assert roles == {"atameken": ("KZ", "editor"), "tobb": ("TR", "viewer")}


def test_load_demo_without_logins_creates_none(db):
    load()
    assert not get_user_model().objects.exists()


def test_issue_token_prints_key_last_and_it_works(db):
    load()
    out = StringIO()
    call_command("issue_token", "website", "--scope", "write", "--chamber", "atameken", stdout=out)
    key = out.getvalue().strip().splitlines()[-1]
    token = ApiToken.objects.get(name="website")
    assert token.chamber.slug == "atameken"
    assert key not in token.key_hash
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    response = client.patch("/api/v1/chambers/atameken/", {"city": "Astana"}, format="json")
    assert response.status_code == 200
    assert client.patch("/api/v1/chambers/tobb/", {"city": "X"}, format="json").status_code == 404
