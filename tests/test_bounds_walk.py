"""Every write operation of API v1 (from its OpenAPI schema) walked with the values of issue 15:
NUL bytes, control characters, dates and times outside the years of :data:`core.bounds.YEARS`,
huge numbers, JSON nested too deep, a NUL in the query. No answer may be a server error, and a
400 must have saved nothing (the rows of every governance table are compared).

Each property of each request body gets each hostile value of its type, alone (``PATCH``) or in
place of a valid example (``POST``); hypothesis adds random text with control characters.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from typing import Any

import pytest
from django.apps import apps
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework.test import APIClient

from chambers import services as chamber_services
from tests.factories import SYSTEM
from tests.scenes import Assembly, kept_for_module
from tests.test_schema import schema

WRITES = ("post", "put", "patch")
SNAPSHOT_APPS = ("chambers", "meetings", "rotation")
#: Written by any authenticated request (the token's "last used"), not by the write itself.
UNSNAPSHOT = {"chambers.ApiToken"}

TEXT = ["a\x00b", "A\nB", "A\r\nBcc: x@example.com", "\x1b[2J", "A\u2028B", "\x85"]
DATES = ["0001-01-01", "1899-12-31", "2201-01-01", "9999-12-31", "2030-02-30"]
TIMES = [
    "9999-12-31T23:59:59-23:59",
    "0001-01-01T00:00:00+14:00",
    "2201-01-01T00:00:00Z",
    "2030-05-01T10:00:00\x00",
]
NUMBERS = [2**70, -(2**70), 1e308]
DEEP: Any = "deep"
for _level in range(40):
    DEEP = [DEEP]


def _resolve(node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        node = schema()["components"]["schemas"][node["$ref"].rsplit("/", 1)[-1]]
    if "allOf" in node:
        return _resolve(node["allOf"][0])
    return node


def hostile(prop: dict[str, Any]) -> list[Any]:
    """The hostile values for a property of this schema."""
    prop = _resolve(prop)
    kind, fmt = prop.get("type"), prop.get("format")
    if fmt == "date":
        return [*DATES, "a\x00b"]
    if fmt == "date-time":
        return [*TIMES, DATES[0]]
    if kind == "array":
        return [[value] for value in hostile(prop.get("items", {}))] + [DEEP]
    if kind == "object":
        names = list(prop.get("properties", {})) or ["x"]
        return [{names[0]: value} for value in TEXT[:2]] + [{"x\x00": 1}, DEEP]
    if kind in ("integer", "number"):
        return [*NUMBERS, "1\x00"]
    if kind == "boolean":
        return ["tr\x00ue"]
    return TEXT


def write_operations() -> list[tuple[str, str]]:
    return [
        (method, path)
        for path, item in schema()["paths"].items()
        for method in item
        if method in WRITES
    ]


def body_schema(method: str, path: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """The JSON body's properties and an example of a valid body (may be empty)."""
    request = schema()["paths"][path][method].get("requestBody", {})
    content = request.get("content", {}).get("application/json")
    if content is None:
        return {}, {}
    body = _resolve(content["schema"])
    example: dict[str, Any] = {}
    for value in content.get("examples", {}).values():
        if isinstance(value.get("value"), dict):
            example = value["value"]
            break
    return body.get("properties", {}), example


def snapshot() -> str:
    """A digest of every row of the governance tables."""
    digest = hashlib.sha256()
    for app in SNAPSHOT_APPS:
        for model in apps.get_app_config(app).get_models():
            if model._meta.label in UNSNAPSHOT:
                continue
            rows = model._default_manager.order_by("pk").values_list()
            digest.update(repr((model._meta.label, list(rows))).encode())
    return digest.hexdigest()


class Walker:
    def __init__(self, scene: Assembly, key: str) -> None:
        self.scene = scene
        self.client = APIClient()
        self.client.credentials(HTTP_AUTHORIZATION=f"Token {key}")

    def url(self, path: str) -> str:
        s, u = self.scene, self.scene.union
        ids = {
            "/api/v1/contacts/": u.home_contact.pk,
            "/api/v1/meetings/": s.meeting.pk,
            "/api/v1/decisions/": s.draft.pk,
            "/api/v1/priorities/": s.priority.pk,
            "/api/v1/action-items/": s.item.pk,
            "/api/v1/rotation/terms/": s.term.pk if s.term else 1,
        }
        number = next((pk for prefix, pk in ids.items() if path.startswith(prefix)), 1)
        return (
            path.replace("{slug}", u.home.slug)
            .replace("{id}", str(number))
            .replace("{dataset}", "chambers")
            .replace("{file_format}", "csv")
        )

    def send(self, method: str, url: str, body: Any, *, raw: str | None = None) -> None:
        """One request in a savepoint rolled back after it: no 5xx; a 400 changed nothing."""
        with transaction.atomic():
            before = snapshot()
            if raw is not None:
                response = self.client.generic(
                    method.upper(), url, raw, content_type="application/json"
                )
            else:
                response = getattr(self.client, method)(url, body, format="json")
            where = f"{method.upper()} {url} {body!r:.200} -> {response.status_code}"
            assert response.status_code < 500, where
            if response.status_code == 400:
                assert snapshot() == before, f"a refusal saved something: {where}"
                assert response.json(), where  # names the field (or says why)
            transaction.set_rollback(True)


@pytest.fixture(scope="module")
def walk_data(django_db_setup, django_db_blocker, tmp_path_factory) -> Iterator[Walker]:
    def build() -> Walker:
        from tests.scenes import build_assembly, build_union

        scene = build_assembly(build_union())
        key = chamber_services.token_issue(
            actor=SYSTEM, name="walk staff", scope="write", chamber=None
        )[1]
        return Walker(scene, key)

    with kept_for_module(django_db_blocker, tmp_path_factory.mktemp("media"), build) as data:
        yield data


@pytest.fixture
def walker(walk_data: Walker, db) -> Walker:
    return walk_data


@pytest.mark.parametrize(("method", "path"), write_operations())
def test_every_write_refuses_hostile_values_without_a_server_error(walker, method, path):
    url = walker.url(path)
    properties, example = body_schema(method, path)
    for name, prop in properties.items():
        if _resolve(prop).get("readOnly"):
            continue
        for value in hostile(prop):
            walker.send(method, url, {name: value})
            if example:
                walker.send(method, url, {**example, name: value})
    walker.send(method, url, None, raw="[" * 50_000 + "]" * 50_000)
    walker.send(method, url, None, raw='{"a": "\\u0000"}')
    walker.send(method, f"{url}?x=%00", {})


def test_the_walk_covers_the_write_operations():
    operations = write_operations()
    assert ("patch", "/api/v1/chambers/{slug}/") in operations
    assert ("post", "/api/v1/decisions/") in operations
    assert len(operations) >= 10


@pytest.mark.parametrize(("method", "path"), [("patch", "/api/v1/chambers/{slug}/")])
@settings(
    max_examples=40,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)
@given(
    field=st.sampled_from(["short_name", "city", "phone", "founded", "names"]),
    text=st.text(
        alphabet=st.characters(codec="utf-8", categories=["Cc", "Zl", "Zp", "L", "N"]),
        min_size=1,
        max_size=20,
    ),
)
def test_random_text_never_makes_a_server_error(walker, method, path, field, text):
    value: Any = {"en": text} if field == "names" else text
    walker.send(method, walker.url(path), {field: value})
