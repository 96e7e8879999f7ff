"""Reads across chambers, with the annotations and prefetching that keep lists at a fixed number
of queries whatever their length."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, cast

from django.core.paginator import Page, Paginator
from django.db.models import (
    Case,
    Count,
    Expression,
    F,
    IntegerField,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.lookups import Contains
from django.utils import timezone

from core import translated
from core.access import Access
from core.collation import Lowered, collated, collated_text, sort_key
from core.country_names import names_in
from core.translated import active_code

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


def status_today(chamber_field: str) -> Expression:
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
    *,
    chamber_ids: list[int] | None = None,
    order: Sequence[int] | None = None,
    since: dt.date | None = None,
) -> MembershipTimeline:
    """The status of many chambers on many days from one query (the scans), or, given the
    rotation's ``order``, read a block of the order at a time as the forecast walks it."""
    if order is not None:
        return MembershipPeriod.objects.timeline_in_blocks(order=order, since=since)
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


#: Chambers on a page of the dashboard and of the list of chambers.
CHAMBER_PAGE = 50


class ChamberPage(Page):  # type: ignore[type-arg]
    """One page of the chambers of a status: Django's ``Page`` (what the pagination include
    reads) over ``count`` chambers, of which ``object_list`` are this page's, with the status
    and the heading's id (``/chambers/#members``)."""

    def __init__(
        self,
        status: str,
        object_list: list[ChamberWithStatus],
        paginator: Paginator,  # type: ignore[type-arg]
        number: int,
    ) -> None:
        self.status = status
        self.anchor = {"member": "members", "observer": "observers"}.get(status, status)
        super().__init__(object_list, number, paginator)


def chamber_search(qs: QuerySet[Chamber], text: str) -> QuerySet[Chamber]:
    """The chambers whose name, short name or city in any working language contains ``text``."""
    found = Q()
    for name in ("name", "short_name", "city"):
        for code in translated.codes():
            found |= Q(Contains(Lowered(F(translated.column(name, code))), text.lower()))
    return qs.filter(found)


class ChamberDirectory:
    """The chambers of the union by their status on a day (default today), optionally those a
    search finds: how many of each status in each country from one query (the chambers grouped
    by status and country), and a page of any status from one more, sorted by the country's
    name in the reader's language, then by the chamber's name in it.

    Today, the status is the chambers' stored ``current_status`` (:func:`status_expression`),
    so the count reads one column of 12,000 rows; on another day, or before the night's
    renewal of the stored statuses has run, the periods decide, one subquery per chamber.

    The database knows only the countries' codes, so the order of countries is the reader's (a
    few hundred names sorted here) and the database sorts only the chambers of the countries
    that fall on the page: at 12,000 chambers in 249 countries it reads 50 rows."""

    def __init__(self, *, search: str = "", on: dt.date | None = None) -> None:
        self.on = on or timezone.localdate()
        self.search = search
        chambers: QuerySet[Chamber] = Chamber.objects.all()
        if search:
            chambers = chamber_search(chambers, search)
        self.by_country: dict[str, dict[str, int]] = {
            s: {} for s in [*MembershipStatus.values, FORMER]
        }
        grouped = (
            chambers.annotate(state=status_expression("pk", self.on))
            .order_by()
            .values_list("state", "country")
            .annotate(n=Count("pk"))
        )
        for status, country, n in grouped:
            self.by_country.setdefault(status, {})[country] = n
        self.counts = {status: sum(n.values()) for status, n in self.by_country.items()}

    def page(self, status: str, page: str | int | None = 1) -> ChamberPage:
        """A page of the chambers of ``status``: one query, none for an empty status."""
        per_country = self.by_country.get(status, {})
        # Counted already: the paginator pages a range of that length, as Django numbers pages.
        paginator = Paginator(range(sum(per_country.values())), CHAMBER_PAGE)
        number = paginator.get_page(page).number
        start, end = (number - 1) * CHAMBER_PAGE, number * CHAMBER_PAGE
        on_page: list[str] = []
        before = 0  # chambers of the countries before the page's first country
        seen = 0
        names = names_in(active_code())
        for code in sorted(per_country, key=lambda code: sort_key(names.get(code, code))):
            if seen + per_country[code] > start and seen < end:
                if not on_page:
                    before = seen
                on_page.append(code)
            seen += per_country[code]
        if not on_page:
            return ChamberPage(status, [], paginator, number)
        qs = Chamber.objects.with_status(self.on).filter(
            status=status,  # type: ignore[misc]  # an annotation (see with_status_in)
            country__in=on_page,
        )
        if self.search:
            qs = cast("QuerySet[ChamberWithStatus]", chamber_search(qs, self.search))
        rank = Case(
            *(When(country=code, then=Value(i)) for i, code in enumerate(on_page)),
            output_field=IntegerField(),
        )
        rows = qs.order_by(rank, collated_text("name"), "pk")
        return ChamberPage(status, list(rows[start - before : end - before]), paginator, number)


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
