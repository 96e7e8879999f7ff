"""Reads for calendar subscriptions: a login's active subscription and the feed's contents,
scoped to what the login may see at the time of the fetch."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from core.access import Access
from meetings import selectors as meeting_selectors
from meetings.models import Meeting
from rotation import selectors as rotation_selectors
from rotation.models import Term, TermState

from .models import CalendarSubscription


def subscription_active(*, user: Any) -> CalendarSubscription | None:
    return CalendarSubscription.objects.active().filter(user=user).first()


def feed_meetings(*, access: Access) -> QuerySet[Meeting]:
    """Meetings are members-only: the secretariat's feed has all of them (in the feeds' window,
    :func:`meetings.selectors.feed_window`), a member chamber's
    login those its chamber is invited to (cancelled ones too, so calendars drop them), anyone
    else none. The agenda is prefetched for the events' descriptions."""
    meetings = (
        Meeting.objects.filter(meeting_selectors.feed_window())
        .prefetch_related("agenda")
        .order_by("starts_at", "pk")
    )
    if access.reads_all:
        return meetings
    if access.chamber_id is None:
        return meetings.none()
    # One invitation per meeting and chamber (a unique constraint): no duplicates to remove.
    return meetings.filter(invitations__chamber_id=access.chamber_id)


def feed_terms() -> QuerySet[Term]:
    """The approved terms of the chairmanship: public, so in everyone's feed."""
    return rotation_selectors.term_list().filter(state=TermState.APPROVED)
