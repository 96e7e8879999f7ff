"""Events the indicators app emits (see :mod:`core.events`)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import ClassVar

from core.events import Event

from .models import Value


@dataclass(frozen=True)
class IndicatorRevised(Event):
    """A value was recorded for a period (``previous`` None) or revised to another figure."""

    name: ClassVar[str] = "indicator.revised"
    value: Value
    previous: Decimal | None
