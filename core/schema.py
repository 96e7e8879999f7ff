"""The OpenAPI side of API v1: the error bodies the exception handler really sends and the
schema class that documents, for every operation, the error statuses it can answer and the
conditional headers (see :class:`core.api.ConditionalMixin`)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.extensions import OpenApiSerializerExtension
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.plumbing import ComponentRegistry
from drf_spectacular.utils import Direction, OpenApiParameter, OpenApiResponse
from rest_framework import serializers
from rest_framework.permissions import SAFE_METHODS, AllowAny

from core.api import ConditionalMixin

# Error bodies ------------------------------------------------------------------------------


class ErrorSerializer(serializers.Serializer[Any]):
    """An error that concerns the request as a whole: 401, 403, 404, 409, 412, 429."""

    detail = serializers.CharField()


class ValidationErrorSerializer(serializers.Serializer[Any]):
    """Bad input (400): the messages of each field at fault, ``detail`` for the rest. Schema in
    :class:`ValidationErrorSchema`: the keys are the request's field names."""


class ValidationErrorSchema(OpenApiSerializerExtension):
    target_class = ValidationErrorSerializer

    def map_serializer(
        self, auto_schema: SpectacularAutoSchema, direction: Direction
    ) -> dict[str, Any]:
        messages = {"type": "array", "items": {"anyOf": [{"type": "string"}, {"type": "object"}]}}
        return {
            "type": "object",
            "description": (
                "One list of messages per field at fault, nested like the request for nested "
                'fields and lists (`{"names": {"en": ["..."]}}`); `detail` or '
                "`non_field_errors` for errors not tied to one field."
            ),
            "additionalProperties": {"anyOf": [{"type": "string"}, messages, {"type": "object"}]},
            "example": {"website": ["Enter a valid URL."]},
        }


ERROR_DESCRIPTIONS = {
    304: "Not modified: the `If-None-Match` ETag is still current (no body).",
    400: "Bad input: the body names each field at fault; nothing was changed.",
    401: "No credentials, or an unknown or revoked token.",
    403: "Authenticated, but the role does not allow this.",
    404: "No such object, or it belongs to another chamber.",
    409: "Another change got there first; reload and try again.",
    412: "`If-Match` names an ETag that is no longer current: reload, reapply, resend.",
    429: "Over the rate limit of this caller (token, person or address): wait the seconds "
    "that `Retry-After` says, then send again.",
}


def errors(*codes: int) -> dict[int, OpenApiResponse]:
    """Documented error responses with their real bodies. :class:`AutoSchema` adds the standard
    ones itself; use this to give an operation's extra code (or a view outside it) its body."""
    return {code: _error_response(code) for code in codes}


def _error_response(code: int) -> OpenApiResponse:
    if code == 304:
        return OpenApiResponse(None, description=ERROR_DESCRIPTIONS[code])
    body = ValidationErrorSerializer if code == 400 else ErrorSerializer
    return OpenApiResponse(body, description=ERROR_DESCRIPTIONS[code])


# Schema ------------------------------------------------------------------------------------


class AutoSchema(SpectacularAutoSchema):
    """drf-spectacular's schema plus, for every operation, the error responses it can return
    (with the bodies :func:`exception_handler` really sends) and the conditional headers.

    - 401 everywhere: an unknown or revoked token is refused even on public routes;
    - 403 unless the route is public, 404 on routes with a path parameter;
    - 400 on writes and on reads with query parameters (filters, ``years``, limit and offset);
    - 409 on writes (a lost race); 412, ``If-Match`` and ``ETag`` on conditional writes;
      304, ``If-None-Match`` and ``ETag`` on conditional reads;
    - 429 and ``Retry-After`` where :class:`core.throttles.ScopedRateThrottle` counts: reads,
      and the views with their own ``throttle_scope`` (exports, imports).
    """

    def _throttled(self) -> bool:
        return self.method in SAFE_METHODS or bool(getattr(self.view, "throttle_scope", None))

    def _conditional(self) -> str | None:
        view, action = self.view, getattr(self.view, "action", None)
        if not isinstance(view, ConditionalMixin):
            return None
        if action in view.conditional_write_actions and self.method in ("PATCH", "PUT"):
            return "write"
        if action in view.conditional_read_actions and self.method == "GET":
            return "read"
        return None

    def get_override_parameters(
        self,
    ) -> list[OpenApiParameter | serializers.Serializer[Any] | type[serializers.Serializer[Any]]]:
        parameters = list(super().get_override_parameters())
        conditional = self._conditional()
        if conditional == "write":
            parameters.append(
                OpenApiParameter(
                    "If-Match",
                    str,
                    OpenApiParameter.HEADER,
                    description="The `ETag` of the representation the change is based on "
                    '(`"…"`, or `*`). Send it: a stale one is refused with 412.',
                )
            )
        if conditional == "read":
            parameters.append(
                OpenApiParameter(
                    "If-None-Match",
                    str,
                    OpenApiParameter.HEADER,
                    description="An `ETag` you hold: 304 without a body while it is current.",
                )
            )
        if self._throttled():
            parameters.append(
                OpenApiParameter(
                    "Retry-After",
                    int,
                    OpenApiParameter.HEADER,
                    response=[429],
                    description="Seconds to wait before the caller's next request counts.",
                )
            )
        if conditional:
            parameters.append(
                OpenApiParameter(
                    "ETag",
                    str,
                    OpenApiParameter.HEADER,
                    response=[200, 304],
                    description="Strong validator of this representation; send it back in "
                    "`If-Match` with a change.",
                )
            )
        return parameters

    def _is_public(self) -> bool:
        return all(isinstance(p, AllowAny) for p in self.view.get_permissions())

    def error_codes(self, operation: dict[str, Any]) -> list[int]:
        """The error statuses this operation can answer."""
        write = self.method not in SAFE_METHODS
        query = [p for p in operation.get("parameters", []) if p.get("in") == "query"]
        codes = [401]
        if write or query:
            codes.append(400)
        if write or not self._is_public():
            codes.append(403)
        if "{" in self.path:
            codes.append(404)
        # A read that can be refused by the state of its object says so on its viewset
        # (``conflicting_reads``: a draft decision has no extract).
        action = getattr(self.view, "action", None)
        if write or action in getattr(self.view, "conflicting_reads", ()):
            codes.append(409)
        conditional = self._conditional()
        if conditional == "write":
            codes.append(412)
        if conditional == "read":
            codes.append(304)
        if self._throttled():
            codes.append(429)
        return codes

    def get_operation(
        self,
        path: str,
        path_regex: str,
        path_prefix: str,
        method: str,
        registry: ComponentRegistry,
    ) -> dict[str, Any] | None:
        operation = super().get_operation(path, path_regex, path_prefix, method, registry)
        if operation is None:
            return None
        responses = operation["responses"]
        for code in self.error_codes(operation):
            if str(code) not in responses:
                responses[str(code)] = self._get_response_for_code(_error_response(code), str(code))
        operation["responses"] = dict(sorted(responses.items()))
        return operation
