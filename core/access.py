"""Who is asking, in the union's terms: the secretariat, one chamber's viewer or editor, or the
public. Session users and API tokens are both reduced to an :class:`Access`, so the portal, the
API and the admin ask the same questions.

How a user or a token becomes an :class:`Access` depends on the chambers app's member logins;
``chambers`` registers that resolver at start-up (:func:`register_resolver`), so this module,
and every app that only needs to *ask*, depends on no app.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from .errors import ForbiddenError


@dataclass(frozen=True)
class Access:
    """The caller of a service: what it may read and write."""

    user: Any | None  # the person, for the change history; None for tokens and the public
    label: str  # who, in words, for the change history
    is_staff: bool = False  # acts as the secretariat (may write anything)
    reads_all: bool = False  # may read every chamber's members-only data
    chamber_id: int | None = None  # the chamber this caller belongs to
    can_write: bool = False  # editor, write token or staff

    @property
    def is_member(self) -> bool:
        """May read the union's members-only data (contacts, membership history)."""
        return self.reads_all or self.chamber_id is not None

    def can_edit_chamber(self, chamber: Any) -> bool:
        """Whether the caller may write for ``chamber`` (a chamber or its id)."""
        chamber_id = chamber if isinstance(chamber, int) else chamber.pk
        return self.is_staff or (self.can_write and self.chamber_id == chamber_id)

    @property
    def person(self) -> Any | None:
        """The user to record as author (None for tokens and the public)."""
        return self.user if getattr(self.user, "pk", None) else None


PUBLIC = Access(user=None, label="public")
#: What the system itself does (demo data, migrations, commands run by the operator).
SYSTEM = Access(user=None, label="system", is_staff=True, reads_all=True, can_write=True)


def require_staff(actor: Access) -> None:
    """The services' guard for secretariat-only writes (views check first, services again)."""
    if not actor.is_staff:
        raise ForbiddenError(_("Only the secretariat may do this."))


UserResolver = Callable[[Any], Access]
RequestResolver = Callable[[Any], Access]
_resolvers: dict[str, Callable[[Any], Access]] = {}


def register_resolver(*, user: UserResolver, request: RequestResolver) -> None:
    """Install how a user and a request become an :class:`Access` (the chambers app does,
    in its ``ready``)."""
    _resolvers["user"] = user
    _resolvers["request"] = request


def access_for_user(user: Any) -> Access:
    """The :class:`Access` of a session user (the public for an anonymous one)."""
    return _resolvers["user"](user)


def access_for_request(request: Any) -> Access:
    """The caller of a Django or DRF request (a session user or an API token); cached on the
    request."""
    cached = getattr(request, "_union_access", None)
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    access = _resolvers["request"](request)
    request._union_access = access
    return access
