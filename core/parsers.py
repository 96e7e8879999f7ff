"""The API's request parsers (``REST_FRAMEWORK["DEFAULT_PARSER_CLASSES"]``): DRF's, with the
bounds of :mod:`core.bounds`.

- A JSON body larger than ``API_JSON_MAX_BYTES`` or nested deeper than ``API_JSON_MAX_DEPTH``
  is a :class:`~rest_framework.exceptions.ParseError` (400) before it is parsed: the JSON
  parser recurses once per level, and a body of brackets was a ``RecursionError`` (500).
- A NUL character anywhere in a body (JSON's ``\\u0000``, a form's ``%00``) is a 400 naming
  the field: PostgreSQL refuses NUL in text, so a lookup with one was a 500.
"""

from __future__ import annotations

import codecs
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError, ValidationError
from rest_framework.utils import json

from .bounds import json_depth, nul_path


def nul_refusal() -> str:
    return _("A NUL character is not allowed.")


def refuse_nul(data: Any) -> None:
    """A 400 naming the (top-level) field whose value or key holds a NUL character."""
    where = nul_path(data)
    if where is None:
        return
    field = str(where[0]) if where and isinstance(where[0], str) else "detail"
    raise ValidationError({field: [nul_refusal()]})


def _refuse_nul_in_form(data: Mapping[str, Any]) -> None:
    for key in data:
        values = data.getlist(key) if hasattr(data, "getlist") else [data[key]]
        if "\x00" in key or any(isinstance(v, str) and "\x00" in v for v in values):
            raise ValidationError({key: [nul_refusal()]})


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser with a size and a depth limit and no NUL characters."""

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        parser_context = parser_context or {}
        encoding = parser_context.get("encoding", settings.DEFAULT_CHARSET)
        limit: int = settings.API_JSON_MAX_BYTES
        body = stream.read(limit + 1) if stream is not None else b""
        if len(body) > limit:
            raise ParseError(_("The JSON body is larger than %(max)d bytes.") % {"max": limit})
        depth: int = settings.API_JSON_MAX_DEPTH
        if json_depth(body) > depth:
            raise ParseError(
                _("The JSON body is nested deeper than %(max)d levels.") % {"max": depth}
            )
        try:
            text = codecs.decode(body, encoding)
            constant = json.strict_constant if self.strict else None
            data = json.loads(text, parse_constant=constant)
        except (ValueError, RecursionError) as exc:
            raise ParseError(_("JSON parse error - %(error)s") % {"error": exc}) from exc
        refuse_nul(data)
        return data


class FormParser(parsers.FormParser):
    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        data = super().parse(stream, media_type, parser_context)
        _refuse_nul_in_form(data)
        return data


class MultiPartParser(parsers.MultiPartParser):
    """DRF's multipart parser; a NUL in a field (not in a file's content) is refused."""

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        parsed = super().parse(stream, media_type, parser_context)
        _refuse_nul_in_form(parsed.data)
        return parsed
