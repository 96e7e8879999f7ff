"""API plumbing shared by every app: pagination and the exception handler."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.utils.translation import gettext as _
from rest_framework import status
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from config.errors import DomainError


class Pagination(LimitOffsetPagination):
    """Limit/offset pagination with a ceiling, so no client can ask for the whole table."""

    @property
    def default_limit(self) -> int:
        return settings.API_PAGE_SIZE

    @property
    def max_limit(self) -> int:
        return settings.API_MAX_PAGE_SIZE


def exception_handler(exc: Exception, context: dict) -> Response | None:
    """Map domain errors to 400/409 with the field named; a lost race on a constraint is 409."""
    if isinstance(exc, DomainError):
        body = exc.as_dict()
        if exc.field is None:
            body = {"detail": str(exc.message)}
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
