"""Reads across chambers, with the annotations and prefetching that keep lists at a fixed number
of queries whatever their length."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db.models import Func, Prefetch, QuerySet
from django.utils import timezone

from core.access import Access
from core.collation import collated, sort_key

from .models import (
    FORMER,
    Chamber,
    Contact,
    MembershipPeriod,
    MembershipStatus,
    MembershipTimeline,
    status_expression,
)

if TYPE_CHECKING:
    from .models import ChamberWithStatus


def status_today(chamber_field: str) -> Func:
    """An annotation: today's status of the chamber behind ``chamber_field`` (or former)."""
    return status_expression(chamber_field, timezone.localdate())


def status_on(*, chamber_id: int, on: dt.date) -> str:
    """One chamber's membership status on a date (``former`` when no period covers it)."""
    return MembershipPeriod.objects.status_of(chamber_id, on)


def chamber_ids_with_status(*, statuses: list[str], on: dt.date) -> list[int]:
    """The chambers whose status on ``on`` is one of ``statuses`` (the voters of a meeting,
    those invited to it)."""
    return MembershipPeriod.objects.chamber_ids_with(statuses, on)


def membership_timeline(
    *, chamber_ids: list[int] | None = None, since: dt.date | None = None
) -> MembershipTimeline:
    """The status of many chambers on many days from one query (the forecast, the scans)."""
    return MembershipPeriod.objects.timeline(chamber_ids=chamber_ids, since=since)


def chamber_list(*, on: dt.date | None = None) -> QuerySet[ChamberWithStatus]:
    """All chambers with today's ``status`` and ``member_since`` annotated."""
    return Chamber.objects.with_status(on)


def chamber_list_writable(*, access: Access) -> QuerySet[ChamberWithStatus]:
    """The chambers this caller may change: all for the secretariat, its own for an editor."""
    qs = chamber_list()
    if access.is_staff:
        return qs
    return qs.filter(pk=access.chamber_id) if access.chamber_id else qs.none()


def chamber_members_and_observers(
    *, on: dt.date | None = None, former: bool = False
) -> dict[str, list[ChamberWithStatus]]:
    """The dashboard's lists by status, from one query, each sorted by the country's name in the
    reader's language (the database only knows the codes). ``former``: also the chambers that
    are no longer members (``groups[FORMER]``, for the list of all chambers)."""
    groups: dict[str, list[ChamberWithStatus]] = {s: [] for s in MembershipStatus.values}
    listed = chamber_list(on=on)
    if former:
        groups[FORMER] = []
    else:
        listed = listed.exclude(status=FORMER)
    for chamber in listed:
        groups[chamber.status].append(chamber)
    for chambers in groups.values():
        chambers.sort(key=lambda c: sort_key(c.country.name))  # the reader's alphabet
    return groups


def chamber_periods(*, chamber: Chamber) -> QuerySet[MembershipPeriod]:
    return MembershipPeriod.objects.filter(chamber=chamber).order_by("start")


def chamber_contacts(*, chamber: Chamber, active_only: bool = False) -> QuerySet[Contact]:
    qs = (
        Contact.objects.filter(chamber=chamber)
        .select_related("chamber")
        .order_by("-is_head", collated("name"), "pk")
    )
    return qs.filter(active=True) if active_only else qs


def contact_list_writable(*, access: Access) -> QuerySet[Contact]:
    qs = Contact.objects.select_related("chamber")
    if access.is_staff:
        return qs
    return qs.filter(chamber_id=access.chamber_id) if access.chamber_id else qs.none()


def chamber_with_contacts(*, slug: str) -> QuerySet[ChamberWithStatus]:
    return (
        chamber_list()
        .filter(slug=slug)
        .prefetch_related(
            Prefetch("contacts", queryset=Contact.objects.order_by("-is_head", collated("name")))
        )
    )


def active_contacts_by_chamber(chamber_ids: Iterable[int]) -> dict[int, list[Contact]]:
    """The active contacts of several chambers (heads first), in one query: the people a
    session's check-in offers as each chamber's delegates."""
    found: dict[int, list[Contact]] = {}
    contacts = Contact.objects.filter(chamber_id__in=list(chamber_ids), active=True).order_by(
        "chamber_id", "-is_head", "name", "pk"
    )
    for contact in contacts:
        found.setdefault(contact.chamber_id, []).append(contact)
    return found
