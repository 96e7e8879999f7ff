"""The OpenAPI schema builds without warnings and documents what integrations rely on."""

from __future__ import annotations

from django.core.management import call_command


def test_schema_builds_without_warnings(tmp_path):
    target = tmp_path / "schema.yaml"
    # --fail-on-warn turns any drf-spectacular warning or error into a failure.
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    text = target.read_text()
    for path in (
        "/api/v1/chambers/",
        "/api/v1/chambers/{slug}/",
        "/api/v1/chambers/{slug}/memberships/",
        "/api/v1/chambers/{slug}/status/",
        "/api/v1/chambers/{slug}/contacts/",
        "/api/v1/contacts/{id}/",
    ):
        assert f"{path}:" in text
    assert "tokenAuth" in text


def test_schema_and_docs_served(client):
    assert client.get("/api/schema/").status_code == 200
    docs = client.get("/api/docs/")
    assert docs.status_code == 200
    assert b"cdn" not in docs.content.lower()
