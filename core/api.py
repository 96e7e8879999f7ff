"""API plumbing shared by every app: the router, pagination, the exception handler and
conditional requests (ETag, If-Match, If-None-Match). The schema side is in :mod:`core.schema`
(importing drf-spectacular here would be circular: DRF imports this module for its settings)."""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.db.models import Model
from django.http import Http404
from django.utils.http import parse_etags
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import routers, status
from rest_framework.exceptions import APIException, ValidationError
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework.views import exception_handler as drf_exception_handler

from core.errors import DomainError

if TYPE_CHECKING:
    from rest_framework.generics import GenericAPIView as _ConditionalBase
else:
    # At run time the mixin stays a plain class; the type checker sees the view it is mixed
    # into (``get_object``, ``get_serializer``, ``request``, ``finalize_response``).
    _ConditionalBase = Generic

_M = TypeVar("_M", bound=Model)


class PublicAPIRootView(routers.APIRootView):
    """The index of API v1 is public, like the chamber list it points to."""

    permission_classes = [AllowAny]


class Router(routers.DefaultRouter):
    """The one router of API v1. Path converters, not regexes: a detail route's lookup is any
    path segment (``<str:pk>``), so a malformed id or slug reaches the view and is answered by
    the API (a JSON 404), not by the site's HTML "page not found"."""

    APIRootView = PublicAPIRootView
    include_format_suffixes = False

    def get_urls(self) -> list[Any]:
        """A document's address is its file name, with no slash after it
        (``/api/v1/meetings/7/agenda-pack.pdf``): an action whose ``url_path`` ends in
        ``.pdf`` loses the router's trailing slash."""
        from django.urls import URLPattern, path

        urls = []
        for url in super().get_urls():
            route = str(url.pattern)
            if isinstance(url, URLPattern) and route.endswith(".pdf/") and url.name:
                url = path(route[:-1], url.callback, url.default_args, name=url.name)
            urls.append(url)
        return urls


def api_router(*route_lists: list[tuple[str, Any, str]]) -> Router:
    """API v1's router with each app's ``ROUTES`` (prefix, viewset, basename) registered."""
    router = Router(use_regex_path=False)
    for routes in route_lists:
        for prefix, viewset, basename in routes:
            router.register(prefix, viewset, basename=basename)
    return router


class Pagination(LimitOffsetPagination):
    """Limit/offset pagination with a ceiling, so no client can ask for the whole table. A limit
    above the ceiling is lowered to it; a malformed limit or offset is 400, naming it."""

    #: Beyond this the database refuses the OFFSET (and no table here is that long).
    max_offset = 2**31 - 1

    # Read from the settings on each use (they may change at run time, as in the tests), where
    # DRF has plain class attributes: nothing assigns them, so a read-only property is safe.
    @property
    def default_limit(self) -> int:  # type: ignore[override]
        return settings.API_PAGE_SIZE

    @property
    def max_limit(self) -> int:  # type: ignore[override]
        return settings.API_MAX_PAGE_SIZE

    def get_limit(self, request: Request) -> int:
        limit = self._whole_number(request, self.limit_query_param, minimum=1)
        return self.default_limit if limit is None else min(limit, self.max_limit)

    def get_offset(self, request: Request) -> int:
        offset = self._whole_number(
            request, self.offset_query_param, minimum=0, maximum=self.max_offset
        )
        return offset or 0

    @staticmethod
    def _whole_number(
        request: Request, name: str, *, minimum: int, maximum: int | None = None
    ) -> int | None:
        raw = request.query_params.get(name)
        if raw is None:
            return None
        try:
            value = int(raw)
        except ValueError:
            value = None
        if value is None or value < minimum or (maximum is not None and value > maximum):
            message = _("Enter a whole number from %(minimum)d.") % {"minimum": minimum}
            if maximum is not None:
                message = _("Enter a whole number from %(minimum)d to %(maximum)d.") % {
                    "minimum": minimum,
                    "maximum": maximum,
                }
            raise ValidationError({name: [message]})
        return value

    def get_schema_operation_parameters(self, view: APIView) -> list[dict[str, Any]]:
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.limit_query_param:
                parameter["schema"]["minimum"] = 1
                parameter["description"] = (
                    f"Number of results to return per page (at most {self.max_limit}; "
                    f"more is lowered to it; default {self.default_limit})."
                )
            if parameter["name"] == self.offset_query_param:
                parameter["schema"].update(minimum=0, maximum=self.max_offset)
        return parameters


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Map domain errors to 400/409 with the field named; a lost race on a constraint is 409."""
    if isinstance(exc, DomainError):
        body: dict[str, Any] = {"detail": str(exc.message)}
        if exc.field is not None:
            # 400 names the field alone (a validation body); a refusal of the whole request
            # (403, 409) keeps `detail` and also names the field it concerns.
            body = exc.as_dict() if exc.status_code == 400 else {**body, **exc.as_dict()}
        return Response(body, status=exc.status_code)
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            return Response(exc.message_dict, status=status.HTTP_400_BAD_REQUEST)
        return Response({"detail": exc.messages}, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, IntegrityError):
        return Response(
            {"detail": _("Another change got there first; reload and try again.")},
            status=status.HTTP_409_CONFLICT,
        )
    return drf_exception_handler(exc, context)


# Conditional requests ----------------------------------------------------------------------


class PreconditionFailed(APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = gettext_lazy(
        "This object changed since you read it: reload it, reapply your change and send it again."
    )
    default_code = "precondition_failed"


def etag_of(data: Any) -> str:
    """A strong ETag of a representation: the SHA-256 of its JSON as the API renders it."""
    digest = hashlib.sha256(JSONRenderer().render(data)).hexdigest()
    return f'"{digest}"'


def etag_matches(header: str | None, etag: str, *, weak: bool = False) -> bool:
    """Whether an ``If-Match`` (strong comparison) or ``If-None-Match`` (``weak``) header names
    ``etag``. ``*`` matches any current representation."""
    if header is None:
        return False
    tags = parse_etags(header)
    if "*" in tags:
        return True
    if weak:
        tags = [tag.removeprefix("W/") for tag in tags]
    return etag in tags


class ConditionalMixin(_ConditionalBase[_M]):
    """Optimistic concurrency for a viewset's detail routes (RFC 9110, section 13).

    ``GET`` of one object and a successful ``PATCH``/``PUT`` carry an ``ETag`` computed from the
    body the caller receives. A write sent with ``If-Match`` that no longer matches gets 412 and
    changes nothing; clients should always send it. A ``GET`` with a current ``If-None-Match``
    gets 304. Views with a conditional write take their object from :meth:`get_locked_object`
    inside ``transaction.atomic()`` and answer with :meth:`represent`.
    """

    conditional_read_actions: tuple[str, ...] = ("retrieve",)
    conditional_write_actions: tuple[str, ...] = ("partial_update", "update")

    def represent(self, instance: _M) -> Any:
        """This caller's ``GET`` body of ``instance``. Override when the detail GET serialises
        differently, so a GET and a write of the same state give the same ETag."""
        return self.get_serializer(instance).data

    def get_locked_object(self) -> _M:
        """The object of a write, its row locked until the transaction ends, after checking
        ``If-Match`` against its current representation (else 412).

        The comparison reads the object after taking the lock, so of two writers holding the
        same ETag the second waits for the first to commit, sees the new ETag and gets 412.
        """
        instance = self.get_object()  # 404 for what the caller may not write
        model = type(instance)
        locked = model._default_manager.select_for_update().filter(pk=instance.pk)
        if not list(locked.values_list("pk", flat=True)):
            raise Http404  # removed meanwhile
        if_match = self.request.headers.get("If-Match")
        if if_match is None:
            return instance
        instance = self.get_object()  # read again now that the row is ours
        if not etag_matches(if_match, etag_of(self.represent(instance))):
            raise PreconditionFailed()
        return instance

    def finalize_response(
        self, request: Request, response: Response, *args: Any, **kwargs: Any
    ) -> Response:
        action = getattr(self, "action", None)
        conditional = (*self.conditional_read_actions, *self.conditional_write_actions)
        if (
            action in conditional
            and response.status_code == status.HTTP_200_OK
            and isinstance(response, Response)
            and response.data is not None
        ):
            etag = etag_of(response.data)
            if request.method in ("GET", "HEAD") and etag_matches(
                request.headers.get("If-None-Match"), etag, weak=True
            ):
                response = Response(status=status.HTTP_304_NOT_MODIFIED)
            response["ETag"] = etag
        return super().finalize_response(request, response, *args, **kwargs)


class PDFRenderer(JSONRenderer):
    """Lets a client ask for ``Accept: application/pdf``: the document itself is an
    ``HttpResponse`` (``core.pdf.response``); an error is still JSON."""

    media_type = "application/pdf"
    format = "pdf"


#: The renderers of an endpoint that answers with a PDF: JSON first, so errors read as JSON.
PDF_RENDERERS = [JSONRenderer, PDFRenderer]
