"""Events the rotation app emits (see :mod:`core.events`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from core.events import Event

from .models import Term


@dataclass(frozen=True)
class TermApproved(Event):
    """A chamber's term is approved (by a decision's effect, or a swap's half approved)."""

    name: ClassVar[str] = "term.approved"
    term: Term
