"""Reads of meetings, decisions and priorities, prefetched so that lists cost a fixed number of
queries, and scoped to what the caller may see."""

from __future__ import annotations

from django.db.models import Avg, Count, Prefetch, Q, QuerySet
from django.utils import timezone

from core.access import Access

from .models import ActionItem, AgendaItem, Decision, Invitation, Meeting, Priority


def meeting_list() -> QuerySet[Meeting]:
    """Meetings (members-only data) with their host and answer counts."""
    return Meeting.objects.select_related("host").annotate(
        invited_count=Count("invitations", distinct=True),
        attending_count=Count(
            "invitations", filter=Q(invitations__response="attending"), distinct=True
        ),
    )


def meetings_upcoming_and_past() -> tuple[list[Meeting], list[Meeting]]:
    now = timezone.now()
    meetings = list(meeting_list().order_by("starts_at"))
    upcoming = [m for m in meetings if m.ends_at >= now]
    past = [m for m in reversed(meetings) if m.ends_at < now]
    return upcoming, past


def meeting_detail() -> QuerySet[Meeting]:
    """A meeting with its agenda, invitations (delegates), decisions (votes) and documents."""
    return Meeting.objects.select_related("host").prefetch_related(
        Prefetch("agenda", queryset=AgendaItem.objects.select_related("presenter", "priority")),
        Prefetch(
            "invitations",
            queryset=Invitation.objects.select_related("chamber").prefetch_related("delegates"),
        ),
        Prefetch("decisions", queryset=Decision.objects.prefetch_related("votes__chamber")),
        "documents",
    )


def decision_list(*, access: Access) -> QuerySet[Decision]:
    """Members see every decision; the public sees adopted decisions that are published."""
    qs = Decision.objects.select_related("meeting").prefetch_related("votes__chamber")
    if not access.is_member:
        qs = qs.filter(published=True, adopted_at__isnull=False)
    return qs


def priority_list() -> QuerySet[Priority]:
    """Priorities with their action items and the roll-up of progress (cancelled items left out)."""
    items = ActionItem.objects.select_related("responsible").prefetch_related("notes")
    return (
        Priority.objects.select_related("decision__meeting")
        .annotate(
            rollup=Avg("action_items__progress", filter=~Q(action_items__status="cancelled")),
            item_count=Count("action_items", filter=~Q(action_items__status="cancelled")),
        )
        .prefetch_related(Prefetch("action_items", queryset=items))
    )


def action_item_list() -> QuerySet[ActionItem]:
    return ActionItem.objects.select_related("priority", "responsible").prefetch_related("notes")


def action_items_writable(*, access: Access) -> QuerySet[ActionItem]:
    """The action items this caller may update: all for the secretariat, its own for an editor."""
    qs = action_item_list()
    if access.is_staff:
        return qs
    return qs.filter(responsible_id=access.chamber_id) if access.chamber_id else qs.none()
