"""What the system holds about a person, and how it is erased: a registry the apps fill.

A contact's data lives in several apps (the chamber's register and its history, the reminders'
log, delegations to meetings, the chairs' Presidents), each above the chambers app that owns
the contact. Each app registers a *collector* (what it holds about a contact, as JSON-ready
data) and an *eraser* (replace the person's name, e-mail and phone where it keeps them); the
chambers app runs them all for ``GET /api/v1/contacts/{id}/personal-data/`` and
``POST /api/v1/contacts/{id}/erase/``. The union's record (votes, decisions, terms) stays: only
the person's identifying details are replaced.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Holder:
    """One app's part: ``collect(contact_id, email)`` and ``erase(contact_id, email)``."""

    name: str
    collect: Callable[[int, str], Any]
    erase: Callable[[int, str], int]


HOLDERS: dict[str, Holder] = {}


def register(
    name: str, *, collect: Callable[[int, str], Any], erase: Callable[[int, str], int]
) -> None:
    HOLDERS[name] = Holder(name, collect, erase)


def collect(contact_id: int, emails: set[str]) -> dict[str, Any]:
    """Everything every app holds about the contact (and the addresses it has used)."""
    found: dict[str, Any] = {}
    for holder in HOLDERS.values():
        parts = [holder.collect(contact_id, email) for email in sorted(emails) or [""]]
        merged: list[Any] = []
        for part in parts:
            for row in part:
                if row not in merged:
                    merged.append(row)
        found[holder.name] = merged
    return found


def erase(contact_id: int, emails: set[str]) -> dict[str, int]:
    """Erase the person from every app; returns how many rows each app changed."""
    return {
        holder.name: sum(holder.erase(contact_id, email) for email in sorted(emails) or [""])
        for holder in HOLDERS.values()
    }
