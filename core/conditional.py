"""Conditional GETs of generated files (the iCalendar feeds): an ETag from the content, and
304 when the client already has it. Calendar clients poll feeds every few minutes; most polls
then cost the database reads but not the transfer."""

from __future__ import annotations

import hashlib

from django.http import HttpRequest, HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control

#: Lines that change at every build without the content changing (when the file was made).
_VOLATILE = (b"DTSTAMP",)


def content_etag(body: bytes) -> str:
    """A strong ETag of ``body``, leaving out the lines that only say when it was built."""
    kept = b"\n".join(line for line in body.splitlines() if not line.lstrip().startswith(_VOLATILE))
    return '"' + hashlib.sha256(kept).hexdigest()[:32] + '"'


def conditional_file(
    request: HttpRequest, body: bytes, *, content_type: str, filename: str | None = None
) -> HttpResponse:
    """``body`` with its ETag, private to the caller; 304 (no body) when ``If-None-Match``
    names that ETag."""
    etag = content_etag(body)
    response: HttpResponse | None = get_conditional_response(request, etag=etag)
    if response is None:
        response = HttpResponse(body, content_type=content_type)
        if filename:
            response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["ETag"] = etag
    patch_cache_control(response, private=True)
    return response
