"""Events the chambers app emits (see :mod:`core.events`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, ClassVar

from core.events import Event

from .models import Chamber


@dataclass(frozen=True)
class MembershipChanged(Event):
    """A chamber's membership changed: its ``status`` from ``effective`` (``former`` when it
    left), on ``decision`` if one; or, with both None, its periods were edited as a whole (the
    admin's inline)."""

    name: ClassVar[str] = "membership.changed"
    chamber: Chamber
    status: str | None = None
    effective: dt.date | None = None
    decision: Any = None  # meetings.Decision; the chambers app does not import meetings
