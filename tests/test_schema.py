"""The OpenAPI schema builds without warnings, and every operation documents the statuses it
really answers, with the bodies it really sends.

The schema is built by drf-spectacular's generator, as ``/api/schema/`` serves it. Each of its
operations is sent real requests,
each made to provoke one answer, against the General Assembly scene of :mod:`tests.scenes`:

- every caller of conftest's union, and a login that belongs to no chamber, with a valid body;
- an unknown or revoked token (the API answers 401 on any route);
- an unknown object in the path (404);
- a malformed value of each query parameter, and a malformed body in the content type the
  operation documents (400);
- the secretariat's valid write while the database refuses it, as it refuses the loser of a
  race on a constraint (409);
- a stale ``If-Match`` on a write (412), a current ``If-None-Match`` on a read (304).

Whatever status comes back must be documented for the operation, an error's body must match
its documented schema, and 403 is documented exactly when some caller really gets it. Nothing
here repeats how :mod:`core.schema` decides: the requests decide.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterator
from contextlib import nullcontext
from dataclasses import dataclass, field
from typing import Any

import jsonschema
import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.test import override_settings
from django.utils import timezone
from rest_framework.test import APIClient

from core.access import SYSTEM
from meetings import services as meeting_services
from tests.factories import make_login
from tests.scenes import (
    ROLES,
    Assembly,
    build_assembly,
    build_union,
    kept_for_module,
    make_series,
    make_written,
)

# The schema ---------------------------------------------------------------------------------


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


SCHEMA: dict = {}


def schema() -> dict:
    """The schema as drf-spectacular's generator builds it for /api/schema/ (built once)."""
    if not SCHEMA:
        from drf_spectacular.generators import SchemaGenerator

        SCHEMA.update(SchemaGenerator().get_schema(request=None, public=True))
    return SCHEMA


def operations() -> list[tuple[str, str]]:
    return [
        (method.upper(), path)
        for path, item in schema()["paths"].items()
        for method in item
        if method in ("get", "post", "put", "patch", "delete")
    ]


def test_main_resources_have_examples() -> None:
    paths = schema()["paths"]
    for path, method, code in (
        ("/api/v1/chambers/{slug}/", "get", "200"),
        ("/api/v1/contacts/{id}/", "get", "200"),
        ("/api/v1/meetings/{id}/", "get", "200"),
        ("/api/v1/decisions/{id}/", "get", "200"),
        ("/api/v1/rotation/terms/{id}/", "get", "200"),
    ):
        assert paths[path][method]["responses"][code]["content"]["application/json"]["examples"]
    for path in ("/api/v1/chambers/", "/api/v1/meetings/", "/api/v1/decisions/"):
        assert paths[path]["post"]["requestBody"]["content"]["application/json"]["examples"]


# The requests -------------------------------------------------------------------------------


def _csv(rows: list[list[str]]) -> SimpleUploadedFile:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return SimpleUploadedFile("import.csv", buffer.getvalue().encode(), "text/csv")


#: A valid body of every write, as the secretariat sends it. Strings may name ``{meeting}``.
#: Files are made anew for each request (a sent file is read to its end).
BODIES: dict[tuple[str, str], Callable[[], Any] | None] = {
    ("POST", "/api/v1/chambers/"): lambda: {
        "slug": "new-cci",
        "names": {"en": "New Chamber of Commerce"},
        "short_name": "New CCI",
        "country": "AZ",
    },
    ("PATCH", "/api/v1/chambers/{slug}/"): lambda: {"city": "Almaty"},
    ("POST", "/api/v1/chambers/{slug}/contacts/"): lambda: {
        "name": "Nora Focal",
        "roles": ["focal_point"],
    },
    ("POST", "/api/v1/chambers/{slug}/status/"): lambda: {
        "status": "suspended",
        "effective": "2099-01-01",
        "basis": "GA 2099/1",
    },
    ("PATCH", "/api/v1/contacts/{id}/"): lambda: {"position": "Adviser"},
    ("DELETE", "/api/v1/contacts/{id}/"): None,
    ("POST", "/api/v1/contacts/{id}/erase/"): None,
    ("POST", "/api/v1/meetings/"): lambda: {
        "kind": "working_group",
        "title": "Working group on digital trade",
        "starts_at": "2030-09-01T10:00:00+05:00",
        "ends_at": "2030-09-01T16:00:00+05:00",
        "time_zone": "Asia/Almaty",
    },
    ("PATCH", "/api/v1/meetings/{id}/"): lambda: {"venue_city": "Almaty"},
    ("POST", "/api/v1/meetings/{id}/rsvp/"): lambda: {"status": "attending", "chamber": "home"},
    ("POST", "/api/v1/meetings/{id}/attendance/"): lambda: {"chamber": "home", "present": False},
    ("POST", "/api/v1/meetings/{id}/minutes/"): lambda: {"note": "Third", "publish": True},
    ("POST", "/api/v1/meetings/{id}/minutes/generate/"): lambda: {"replace": True},
    ("POST", "/api/v1/meetings/{id}/minutes/{number}/publish/"): None,
    ("POST", "/api/v1/decisions/"): lambda: {
        "meeting": "{meeting}",
        "kind": "general",
        "title": "Joint trade fair",
        "method": "consensus",
    },
    ("POST", "/api/v1/decisions/{id}/adopt/"): None,
    ("POST", "/api/v1/decisions/{id}/votes/"): lambda: {"chamber": "other", "vote": "against"},
    ("POST", "/api/v1/decisions/{id}/procedure/"): lambda: {
        "mode": "silence",
        "closes_at": "2030-01-15T18:00:00+05:00",
        "letters": {"en": "Please answer by 15 January."},
    },
    ("POST", "/api/v1/decisions/{id}/procedure/withdraw/"): None,
    ("POST", "/api/v1/decisions/{id}/procedure/close/"): None,
    ("POST", "/api/v1/decisions/{id}/ballot/"): lambda: {
        "chamber": "other",
        "vote": "against",
        "received_on": "{today}",
    },
    ("PATCH", "/api/v1/action-items/{id}/"): lambda: {"status": "in_progress", "progress": 40},
    ("POST", "/api/v1/imports/chambers/"): lambda: {
        "file": _csv([["slug", "short_name", "name_en", "country"], ["uz", "UZ", "UZ CCI", "UZ"]])
    },
    ("POST", "/api/v1/imports/contacts/"): lambda: {
        "file": _csv([["chamber", "name", "roles"], ["home", "Nora Focal", "focal_point"]])
    },
    ("POST", "/api/v1/imports/indicators/"): lambda: {
        "file": _csv(
            [
                ["reporter", "partner", "flow", "unit", "period", "value", "source_name"],
                ["KZ", "TR", "exports", "USD", "2025", "4100000000", "Statistics agency"],
            ]
        )
    },
}
#: Paths on the decision under written procedure (every voter has answered: staff may close).
ON_PROCEDURE = (
    "/api/v1/decisions/{id}/procedure/withdraw/",
    "/api/v1/decisions/{id}/procedure/close/",
    "/api/v1/decisions/{id}/ballot/",
)
#: Ids in the path of each resource: the scene's objects (decisions: the adoptable draft).
REAL = {
    # An extract is of an adopted decision: the published one.
    "/api/v1/decisions/{id}/extract.pdf": lambda s: s.decision.pk,
    "/api/v1/contacts/": lambda s: s.union.home_contact.pk,
    "/api/v1/meetings/": lambda s: s.meeting.pk,
    "/api/v1/decisions/": lambda s: s.draft.pk,
    "/api/v1/priorities/": lambda s: s.priority.pk,
    "/api/v1/action-items/": lambda s: s.item.pk,
    "/api/v1/rotation/terms/": lambda s: s.term.pk,
    "/api/v1/exports/files/": lambda s: s.public_export.pk,
    "/api/v1/indicators/": lambda s: _published_series(),
}


def _published_series() -> int:
    from indicators.models import Series

    return Series.objects.get(published=True).pk


WRITES = ("POST", "PUT", "PATCH", "DELETE")
BAD_VALUE = "-1x"  # no count, offset, year, number of years, country or choice


@dataclass
class Scene:
    assembly: Assembly
    loner: Any  # a login of no chamber, not staff
    written: Any  # a decision between sessions under written procedure, answered by all voters


def _written(union) -> Any:
    decision = make_written(title="Statement")
    for chamber in (union.home, union.other):
        meeting_services.ballot_cast(
            actor=SYSTEM,
            decision=decision,
            chamber=chamber,
            answer="for",
            received_on=timezone.localdate(),
        )
    return decision


@pytest.fixture(scope="module")
def shared(django_db_setup, django_db_blocker, tmp_path_factory) -> Iterator[Scene]:
    def build() -> Scene:
        union = build_union()
        scene = build_assembly(union)
        make_series(hidden=False)
        return Scene(scene, make_login(None, None, username="loner"), _written(union))

    with kept_for_module(django_db_blocker, tmp_path_factory.mktemp("media"), build) as scene:
        yield scene


@pytest.fixture
def scene(shared: Scene, db) -> Scene:
    return shared


@dataclass
class Operation:
    method: str
    path: str
    spec: dict
    scene: Scene
    seen: dict[int, list[str]] = field(default_factory=dict)  # status -> the probes that got it
    sent: list = field(default_factory=list)  # every response

    def url(self, *, unknown: bool = False, query: str = "") -> str:
        s, url = self.scene.assembly, self.path
        if unknown:
            url = url.replace("{slug}", "no-such-chamber").replace("{id}", "999999")
            url = url.replace("{file_format}", "pdf").replace("{number}", "999")
        else:
            url = url.replace("{slug}", s.union.home.slug).replace("{file_format}", "csv")
            url = url.replace("{number}", "2")  # the scene's draft version of the minutes
            if self.path in ON_PROCEDURE:
                url = url.replace("{id}", str(self.scene.written.pk))
            if self.path.startswith("/api/v1/procedures/"):
                url = url.replace("{id}", str(self.scene.written.procedures.get().pk))
            for prefix, pk in REAL.items():
                if url.startswith(prefix):
                    url = url.replace("{id}", str(pk(s)))
        return url + query

    def client(self, role: str) -> APIClient:
        if role == "loner":
            client = APIClient()
            client.force_login(self.scene.loner)
            return client
        if role == "bad_token":
            client = APIClient()
            client.credentials(HTTP_AUTHORIZATION="Token not-a-token")
            return client
        return self.scene.assembly.union.client(role)

    def body(self) -> Any:
        make = BODIES[self.method, self.path] if self.method in WRITES else None
        data = make() if make else None
        if isinstance(data, dict):
            meeting = str(self.scene.assembly.meeting.pk)
            data = {k: meeting if v == "{meeting}" else v for k, v in data.items()}
            today = timezone.localdate().isoformat()
            data = {k: today if v == "{today}" else v for k, v in data.items()}
        return data

    @property
    def content_types(self) -> list[str]:
        return list(self.spec.get("requestBody", {}).get("content", {}))

    def send(self, probe: str, role: str, *, url: str | None = None, raw: bytes | None = None,
             data: Any = "valid", refused: bool = False, **headers: str):  # fmt: skip
        """One request, in a savepoint rolled back after it; its status is recorded."""
        client = self.client(role)
        url = url or self.url()
        data = self.body() if data == "valid" else data
        send = getattr(client, self.method.lower())
        refusing = connection.execute_wrapper(_refuse_writes) if refused else nullcontext()
        with transaction.atomic(), refusing:
            if raw is not None:
                response = client.generic(
                    self.method, url, raw, content_type="application/json", **headers
                )
            elif data is None:
                response = send(url, **headers)
            elif "application/json" in self.content_types:
                response = send(url, data, format="json", **headers)
            else:
                response = send(url, data, format="multipart", **headers)
            transaction.set_rollback(True)
        self.seen.setdefault(response.status_code, []).append(f"{probe} ({role})")
        self.sent.append(response)
        return response


def _refuse_writes(execute, sql, params, many, context):
    """The database refusing every change of the request's data, as it refuses the loser of a
    race on a unique or exclusion constraint."""
    verb = sql.lstrip().split(None, 1)[0].upper()
    if verb in ("INSERT", "UPDATE", "DELETE") and "django_session" not in sql:
        raise IntegrityError("refused by the test, as a lost race would be")
    return execute(sql, params, many, context)


def _json_schema(node: Any) -> Any:
    """OpenAPI 3.0's schema objects as JSON Schema: ``nullable: true`` also admits null."""
    if isinstance(node, list):
        return [_json_schema(item) for item in node]
    if not isinstance(node, dict):
        return node
    converted = {key: _json_schema(value) for key, value in node.items() if key != "nullable"}
    if node.get("nullable"):
        return {"anyOf": [converted, {"type": "null"}]}
    return converted


def _documented_body(op: Operation, status: int, response) -> None:
    """An error's body matches the schema documented for its status."""
    documented = op.spec["responses"][str(status)]
    content = documented.get("content", {}).get("application/json")
    if status == 304:
        assert response.content == b"", f"{op.method} {op.path}: a 304 has no body"
        return
    assert content, f"{op.method} {op.path} {status}: no JSON body documented"
    body = json.loads(response.content)
    root = _json_schema({"components": schema()["components"], **content["schema"]})
    try:
        jsonschema.validate(body, root)
    except jsonschema.ValidationError as err:
        raise AssertionError(
            f"{op.method} {op.path} {status}: the body {body!r} is not the documented one: "
            f"{err.message}"
        ) from None


def _probe(op: Operation) -> None:
    is_write = op.method in WRITES
    responses: dict[str, Any] = {}

    # Every caller, with a valid body.
    for role in (*ROLES, "loner"):
        responses[role] = op.send("a valid request", role)
    assert 200 <= responses["staff"].status_code < 300, (
        f"{op.method} {op.path}: the secretariat's valid request got "
        f"{responses['staff'].status_code}: {responses['staff'].content[:300]!r}"
    )

    # An unknown token: 401 on any route, public ones too.
    bad_token = op.send("an unknown token", "bad_token")
    assert bad_token.status_code == 401, (op.method, op.path, bad_token.status_code)

    # An unknown object in the path.
    if "{" in op.path:
        unknown = op.send("an unknown object", "staff", url=op.url(unknown=True))
        assert unknown.status_code == 404, (op.method, op.path, unknown.status_code)

    # Malformed query parameters: at least one of them is refused with 400.
    query = [p["name"] for p in op.spec.get("parameters", []) if p["in"] == "query"]
    if query:
        statuses = {
            op.send(
                f"?{name}={BAD_VALUE}", "staff", url=op.url(query=f"?{name}={BAD_VALUE}")
            ).status_code
            for name in query
        }
        assert 400 in statuses, f"{op.method} {op.path}: no malformed parameter got 400"

    # A malformed body, in a content type the operation takes.
    if is_write and op.content_types:
        if "application/json" in op.content_types:
            bad = op.send("a malformed JSON body", "staff", raw=b'{"')
        else:
            bad = op.send("a body without its fields", "staff", data={"unexpected": "x"})
        assert bad.status_code == 400, (op.method, op.path, bad.status_code, bad.content[:200])

    # The secretariat's valid write, refused by the database as a lost race is.
    if is_write:
        lost = op.send("a write that loses a race", "staff", refused=True)
        assert lost.status_code == 409, (op.method, op.path, lost.status_code, lost.content[:200])

    # Conditional requests.
    if op.method in ("PATCH", "PUT"):
        stale = op.send("a stale If-Match", "staff", HTTP_IF_MATCH='"stale"')
        if stale.status_code == 412:
            assert "If-Match" in _header_parameters(op), f"{op.method} {op.path}: If-Match"
    if op.method == "GET":
        etag = responses["staff"].headers.get("ETag")
        if etag:
            documented = op.spec["responses"]["200"].get("headers", {})
            assert "ETag" in documented, f"GET {op.path} sends an ETag it does not document"
            again = op.send("a current If-None-Match", "staff", HTTP_IF_NONE_MATCH=etag)
            assert again.status_code == 304, (op.path, again.status_code)
            assert "If-None-Match" in _header_parameters(op), f"GET {op.path}: If-None-Match"

    # Over the rate limit: the caller's allowance for the window is spent (a rate of 0).
    framework = settings.REST_FRAMEWORK
    spent = {scope: "0/min" for scope in framework["DEFAULT_THROTTLE_RATES"]}
    with override_settings(REST_FRAMEWORK={**framework, "DEFAULT_THROTTLE_RATES": spent}):
        limited = op.send("over the rate limit", "staff")
    if limited.status_code == 429:
        assert int(limited.headers["Retry-After"]) >= 1, (op.method, op.path)
        headers = op.spec["responses"]["429"].get("headers", {})
        assert "Retry-After" in headers, f"{op.method} {op.path}: Retry-After undocumented"

    # Everything that came back is documented, errors with their real bodies.
    documented = set(op.spec["responses"])
    undocumented = {s: probes for s, probes in op.seen.items() if str(s) not in documented}
    assert not undocumented, f"{op.method} {op.path} answers undocumented {undocumented}"
    got_403 = 403 in op.seen
    assert got_403 == ("403" in documented), (
        f"{op.method} {op.path}: 403 documented {'403' in documented}, "
        f"really answered to {op.seen.get(403, 'nobody')}"
    )
    assert (429 in op.seen) == ("429" in documented), (
        f"{op.method} {op.path}: 429 documented {'429' in documented}, "
        f"really answered to {op.seen.get(429, 'nobody')}"
    )


def _header_parameters(op: Operation) -> set[str]:
    return {p["name"] for p in op.spec.get("parameters", []) if p["in"] == "header"}


@pytest.mark.parametrize(("method", "path"), operations(), ids=lambda v: str(v))
def test_every_operation_documents_what_it_really_answers(scene: Scene, method: str, path: str):
    op = Operation(method, path, schema()["paths"][path][method.lower()], scene)
    _probe(op)
    for response in op.sent:  # errors carry the bodies documented for them
        if response.status_code >= 400 or response.status_code == 304:
            _documented_body(op, response.status_code, response)


def test_every_write_has_a_valid_body_to_probe_with() -> None:
    writes = {(m, p) for m, p in operations() if m in WRITES}
    assert writes == set(BODIES), (
        f"no body for {sorted(writes - set(BODIES))}; stale: {sorted(set(BODIES) - writes)}"
    )
