"""DRF permissions in the union's terms (see :mod:`core.access`). An unauthenticated caller
is answered 401 by DRF; a caller without the role, 403. Objects outside the caller's chamber are
filtered out of the queryset and so answer 404."""

from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.views import APIView

from core.access import access_for_request


class IsMember(BasePermission):
    """Members-only data: a chamber's viewer or editor, the secretariat, or their tokens."""

    def has_permission(self, request: Request, view: APIView) -> bool:
        return access_for_request(request).is_member


class CanWrite(BasePermission):
    """An editor, a write token or the secretariat (the object is then scoped by queryset)."""

    def has_permission(self, request: Request, view: APIView) -> bool:
        return access_for_request(request).can_write


class IsSecretariat(BasePermission):
    def has_permission(self, request: Request, view: APIView) -> bool:
        return access_for_request(request).is_staff
