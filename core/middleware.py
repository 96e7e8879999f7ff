"""Middleware of the portal's plumbing (no app imports: the page is a template of the project).

:class:`RefuseNulBytes`: a NUL byte in a request's path, query or form body is refused before
any view runs (404 for a path, 400 naming the parameter).

:class:`MethodNotAllowedPage`: Django answers a method a view does not take (``require_POST``,
a class-based view's ``http_method_names``) with a bare 405 and an empty body, which a browser
shows as a blank page. On portal paths this renders ``405.html`` instead, keeping the status and
the ``Allow`` header; the API's 405s already have a JSON body and are left alone.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import BadRequest
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    JsonResponse,
    QueryDict,
)
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _

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


class RefuseNulBytes:
    """A NUL byte in a request's path is a 404, in its query or form body a 400 naming the
    parameter, before any view runs: PostgreSQL refuses NUL in text, so a lookup with one was a
    500. Answers on API paths are JSON, as the API's; portal paths get the site's pages. (The
    API's bodies, JSON's ``\\u0000`` included, are the API parsers', :mod:`core.parsers`.)
    """

    _FORMS = ("application/x-www-form-urlencoded", "multipart/form-data")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        api = request.path_info.startswith(API_PREFIXES)
        if "\x00" in request.path_info:
            if api:
                return JsonResponse({"detail": _("Not found.")}, status=404)
            raise Http404(_("Not found."))
        field = self._nul_field(request.GET)
        # The API's bodies are its parsers', after authentication and permissions (a caller
        # who may not write gets 401 or 403 whatever the body holds).
        form = request.method == "POST" and request.content_type in self._FORMS
        if field is None and form and not api:
            field = self._nul_field(request.POST)
        if field is not None:
            message = _("A NUL character is not allowed.")
            if api:
                return JsonResponse({field: [message]}, status=400)
            raise BadRequest(message)
        return self.get_response(request)

    @staticmethod
    def _nul_field(data: QueryDict) -> str | None:
        for key, values in data.lists():
            if "\x00" in key or any("\x00" in value for value in values):
                return key
        return None


class QueryLanguage:
    """``?lang=kk`` chooses the language of one request (after ``LocaleMiddleware``, which reads
    the session, cookie and ``Accept-Language``): an integration or a shared link asks for a
    language without a header. An unknown code is ignored, like an unknown header."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        code = request.GET.get("lang", "")
        if code and code in dict(settings.LANGUAGES):
            translation.activate(code)
            request.LANGUAGE_CODE = code
        response = self.get_response(request)
        if code:
            patch_vary_headers(response, ("Accept-Language",))
        return response
