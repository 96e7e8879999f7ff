"""The rotation's rule on membership, registered with :data:`core.guards.membership_guards`:
a chamber that holds an approved or proposed term stays a full member over it; the General
Assembly cancels or reassigns the term first.

The lock is the rotation's row (``docs/locking.md``): a term approval holds it while it checks
the chamber's eligibility, and a membership change takes it before the chamber's row, so the
two can never both pass their checks and commit."""

from __future__ import annotations

import uuid

from django.utils.translation import gettext as _

from core.errors import DomainError
from core.guards import Guard, MembershipChange

from .models import Rotation, Term, TermState


def lock_rotation() -> Rotation:
    """The rotation's row lock: every write to the rotation, and every change of membership,
    takes it (first, before any chamber's). It gives the rotation a new ``revision``: what the
    forecast reads may change in this transaction, so a forecast kept for the old revision is
    not used again once this commits."""
    rotation = Rotation.objects.select_for_update().get(pk=Rotation.current().pk)
    rotation.revision = uuid.uuid4()
    Rotation.objects.filter(pk=rotation.pk).update(revision=rotation.revision)
    return rotation


def check_no_term_held(change: MembershipChange) -> None:
    """Refuse a status other than ``member`` over a stretch that a term of the chamber covers."""
    if change.status == "member":
        return
    held = Term.objects.filter(
        chamber_id=change.chamber_id,
        state__in=[TermState.APPROVED, TermState.PROPOSED],
        end__gte=change.start,
    )
    if change.end is not None:
        held = held.filter(start__lte=change.end)
    term = held.order_by("start").first()
    if term is not None:
        raise DomainError(
            _("%(chamber)s holds the chairmanship term from %(start)s; a decision must "
              "reassign it first.") % {"chamber": change.chamber_name, "start": term.start},
            field="status",
        )  # fmt: skip


def _lock() -> None:
    lock_rotation()


HOLDS_TERM = Guard(name="rotation.holds_term", check=check_no_term_held, lock=_lock)
