"""``Authorization: Token <key>`` for integrations, checked against the stored SHA-256."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions
from rest_framework.request import Request

from core import audit

from .models import ApiToken
from .selectors import status_today


class TokenPrincipal:
    """The ``request.user`` of a token request: authenticated, but no person and no password."""

    is_authenticated = True
    is_anonymous = False
    is_active = True
    pk = None
    id = None

    def __init__(self, token: ApiToken) -> None:
        self.token = token
        self.is_staff = False  # Django's staff pages stay closed to tokens

    def get_username(self) -> str:
        return f"token:{self.token.name}"

    def __str__(self) -> str:
        return self.get_username()


class ApiTokenAuthentication(authentication.BaseAuthentication):
    keyword = "Token"

    def authenticate(self, request: Request) -> tuple[TokenPrincipal, ApiToken] | None:
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("Invalid token header."))
        try:
            key = header[1].decode()
        except UnicodeError:
            raise exceptions.AuthenticationFailed(_("Invalid token header.")) from None
        token = (
            ApiToken.objects.active()
            .select_related("chamber")
            .annotate(chamber_status=status_today("chamber"))
            .filter(key_hash=ApiToken.hash_key(key))
            .first()
        )
        if token is None:
            raise exceptions.AuthenticationFailed(_("Invalid or revoked token."))
        # A conditional update touches the row at most once a minute, not on every request.
        now = timezone.now()
        if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        principal = TokenPrincipal(token)
        audit.bind(label=principal.get_username(), surface=audit.Surface.API)  # who changes
        return principal, token

    def authenticate_header(self, request: Request) -> str:
        return self.keyword
