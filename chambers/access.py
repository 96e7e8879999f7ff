"""Who is asking, in the union's terms: the secretariat, one chamber's viewer or editor, or the
public. Session users and API tokens are both reduced to an :class:`Access`, so the portal, the
API and the admin ask the same questions.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.db.models import OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from config.errors import ForbiddenError

from .models import FORMER, ApiToken, Chamber, MemberLogin, MemberRole, MembershipPeriod, TokenScope


def chamber_status_today(chamber_field: str):
    """An annotation: the status today of the chamber behind ``chamber_field`` (or former)."""
    current = MembershipPeriod.objects.filter(chamber=OuterRef(chamber_field)).covering(
        timezone.localdate()
    )
    return Coalesce(Subquery(current.values("status")[:1]), Value(FORMER))


@dataclass(frozen=True)
class Access:
    user: object | None  # the person, for the change history; None for tokens and the public
    label: str  # who, in words, for the change history
    is_staff: bool = False  # acts as the secretariat (may write anything)
    reads_all: bool = False  # may read every chamber's members-only data
    chamber_id: int | None = None  # the chamber this caller belongs to
    can_write: bool = False  # editor, write token or staff

    @property
    def is_member(self) -> bool:
        """May read the union's members-only data (contacts, membership history)."""
        return self.reads_all or self.chamber_id is not None

    def can_edit_chamber(self, chamber: Chamber | int) -> bool:
        chamber_id = chamber if isinstance(chamber, int) else chamber.pk
        return self.is_staff or (self.can_write and self.chamber_id == chamber_id)


PUBLIC = Access(user=None, label="public")


def require_staff(actor: Access) -> None:
    """The services' guard for secretariat-only writes (views check first, services again)."""
    if not actor.is_staff:
        raise ForbiddenError(_("Only the secretariat may do this."))


def access_for_user(user) -> Access:
    if user is None or isinstance(user, AnonymousUser) or not user.is_authenticated:
        return PUBLIC
    if user.is_staff:
        return Access(
            user=user, label=user.get_username(), is_staff=True, reads_all=True, can_write=True
        )
    login = (
        MemberLogin.objects.filter(user=user)
        .annotate(chamber_status=chamber_status_today("chamber"))
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


def access_for_token(token: ApiToken) -> Access:
    write = token.scope == TokenScope.WRITE
    label = f"token:{token.name}"
    if token.chamber_id is None:
        return Access(user=None, label=label, is_staff=write, reads_all=True, can_write=write)
    if getattr(token, "chamber_status", None) == FORMER:
        return Access(user=None, label=label)
    return Access(user=None, label=label, chamber_id=token.chamber_id, can_write=write)


def access_for_request(request) -> Access:
    """The caller of a Django or DRF request; cached on the request."""
    cached = getattr(request, "_union_access", None)
    if cached is not None:
        return cached
    auth = getattr(request, "auth", None)
    access = access_for_token(auth) if isinstance(auth, ApiToken) else access_for_user(request.user)
    request._union_access = access
    return access
