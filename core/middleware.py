"""Middleware of the portal's plumbing (no app imports: the page is a template of the project).

:class:`MethodNotAllowedPage`: Django answers a method a view does not take (``require_POST``,
a class-based view's ``http_method_names``) with a bare 405 and an empty body, which a browser
shows as a blank page. On portal paths this renders ``405.html`` instead, keeping the status and
the ``Allow`` header; the API's 405s already have a JSON body and are left alone.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.template.loader import render_to_string

#: Paths whose answers are for programs, not people: their 405s stay as the view made them.
API_PREFIXES: tuple[str, ...] = ("/api/",)


class MethodNotAllowedPage:
    """Render ``405.html`` for an empty-bodied 405 on a portal path (not for HEAD)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if not self._bare_405(request, response):
            return response
        allowed = [m.strip() for m in response.get("Allow", "").split(",") if m.strip()]
        page = HttpResponse(
            render_to_string("405.html", {"allowed": allowed}, request=request),
            status=405,
            content_type=f"text/html; charset={settings.DEFAULT_CHARSET}",
        )
        for header, value in response.items():
            if header.lower() not in {"content-type", "content-length"}:
                page[header] = value
        page.cookies = response.cookies
        # Django logged the view's 405 ("Method Not Allowed"): not again for this page.
        page._has_been_logged = getattr(response, "_has_been_logged", False)  # type: ignore[attr-defined]
        return page

    @staticmethod
    def _bare_405(request: HttpRequest, response: HttpResponseBase) -> bool:
        return (
            response.status_code == 405
            and request.method != "HEAD"
            and not response.streaming
            and not getattr(response, "content", b"")
            and not request.path_info.startswith(API_PREFIXES)
        )
