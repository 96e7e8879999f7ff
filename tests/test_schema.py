"""The OpenAPI schema builds without warnings and documents what integrations rely on."""

from __future__ import annotations

import pytest
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


# Every operation documents the statuses it can answer --------------------------------------


def _operations() -> list[tuple[str, str, dict]]:
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    return [
        (method.upper(), path, operation)
        for path, operations in schema["paths"].items()
        for method, operation in operations.items()
    ]


#: The exchange app's views are documented by drf-spectacular's own AutoSchema until
#: ``REST_FRAMEWORK["DEFAULT_SCHEMA_CLASS"]`` names ``core.schema.AutoSchema``.
def _operation_params():
    for method, path, operation in _operations():
        yield pytest.param(method, path, operation, id=f"{method} {path}")


def _error_body(response: dict) -> str:
    return response["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]


@pytest.mark.parametrize(("method", "path", "operation"), _operation_params())
def test_every_operation_documents_its_errors(method: str, path: str, operation: dict) -> None:
    responses = operation["responses"]
    parameters = operation.get("parameters", [])
    write = method not in ("GET", "HEAD", "OPTIONS")
    public = {} in operation.get("security", [])
    expected = {"401"}  # an unknown or revoked token, on any route
    if write or any(p["in"] == "query" for p in parameters):
        expected.add("400")
    if write or not public:
        expected.add("403")
    if "{" in path:
        expected.add("404")
    if write:
        expected.add("409")
    missing = expected - set(responses)
    assert not missing, f"{method} {path} does not document {sorted(missing)}"
    assert any(code.startswith("2") for code in responses)
    for code, response in responses.items():
        if code >= "400":
            want = "ValidationError" if code == "400" else "Error"
            if code in ("400", "409") and path.startswith("/api/v1/imports/"):
                want = "ImportErrors"  # an import reports every bad row: row, field, message
            assert _error_body(response) == want, f"{method} {path} {code}"


@pytest.mark.parametrize(
    ("path", "writes"),
    [
        ("/api/v1/chambers/{slug}/", True),
        ("/api/v1/contacts/{id}/", True),
        ("/api/v1/meetings/{id}/", True),
        ("/api/v1/action-items/{id}/", True),
        ("/api/v1/decisions/{id}/", False),
        ("/api/v1/priorities/{id}/", False),
        ("/api/v1/rotation/terms/{id}/", False),
    ],
)
def test_conditional_requests_documented(path: str, writes: bool) -> None:
    operations = {(m, p): op for m, p, op in _operations()}
    read = operations[("GET", path)]
    assert "If-None-Match" in {p["name"] for p in read["parameters"] if p["in"] == "header"}
    assert "304" in read["responses"]
    assert "ETag" in read["responses"]["200"]["headers"]
    if writes:
        patch = operations[("PATCH", path)]
        assert "If-Match" in {p["name"] for p in patch["parameters"] if p["in"] == "header"}
        assert "412" in patch["responses"]
        assert "ETag" in patch["responses"]["200"]["headers"]


def test_main_resources_have_examples() -> None:
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    paths = schema["paths"]
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
