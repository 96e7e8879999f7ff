"""How a session user or an API token becomes an :class:`core.access.Access`: through the
member login (and the chamber's membership today) or the token's scope. Registered with
:mod:`core.access` at start-up, so every app asks ``core.access`` and none imports this."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser

from core.access import PUBLIC, Access

from .models import FORMER, ApiToken, MemberLogin, MemberRole, TokenScope
from .selectors import status_today


def access_for_user(user: Any) -> Access:
    if user is None or isinstance(user, AnonymousUser) or not user.is_authenticated:
        return PUBLIC
    if user.is_staff:
        return Access(
            user=user, label=user.get_username(), is_staff=True, reads_all=True, can_write=True
        )
    login = (
        MemberLogin.objects.filter(user=user)
        .annotate(chamber_status=status_today("chamber"))
        .first()
    )
    if login is None or login.chamber_status == FORMER:
        # A chamber that has left the union (or not joined yet) sees what the public sees.
        return Access(user=user, label=user.get_username())
    return Access(
        user=user,
        label=user.get_username(),
        chamber_id=login.chamber_id,
        can_write=login.role == MemberRole.EDITOR,
    )


def token_for_access(token_id: int) -> ApiToken | None:
    """An active token as the authentication loads it (its chamber's status today read
    with it, which :func:`access_for_token` needs), e.g. for a task acting for it later."""
    return (
        ApiToken.objects.active()
        .select_related("chamber")
        .annotate(chamber_status=status_today("chamber"))
        .filter(pk=token_id)
        .first()
    )


def access_for_token(token: ApiToken) -> Access:
    write = token.scope == TokenScope.WRITE
    label = f"token:{token.name}"
    if token.chamber_id is None:
        return Access(user=None, label=label, is_staff=write, reads_all=True, can_write=write)
    if getattr(token, "chamber_status", None) == FORMER:
        return Access(user=None, label=label)
    return Access(user=None, label=label, chamber_id=token.chamber_id, can_write=write)


def access_for_request(request: Any) -> Access:
    """The caller of a Django or DRF request: its token if it carries one, else its user."""
    auth = getattr(request, "auth", None)
    if isinstance(auth, ApiToken):
        return access_for_token(auth)
    return access_for_user(request.user)
