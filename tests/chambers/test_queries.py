"""Query counts pinned for every list endpoint and list page.

Why: an N+1 (a query per chamber, contact or period) passes every functional test on a small
union and only shows in production, on the day the union has a few hundred chambers. Each
endpoint here runs with 3 and with 300 chambers (and as many contacts and membership periods on
the home chamber) and must cost the same, exactly pinned number of queries. The comment by each
number lists the queries, so a change in the count says which one appeared or went away.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from chambers.models import Chamber, Contact, MembershipPeriod, MembershipStatus
from tests.conftest import Union
from tests.factories import COUNTRIES

SIZES = [pytest.param(3, id="3-chambers"), pytest.param(300, id="300-chambers")]
STATUSES = [MembershipStatus.MEMBER, MembershipStatus.OBSERVER, MembershipStatus.SUSPENDED]


def grow(union: Union, chambers: int) -> None:
    """Make the union ``chambers`` strong, each new chamber with a period and a contact, and give
    the home chamber ``chambers`` more contacts and past periods.

    ``bulk_create`` skips the services and the change history: this is volume, not behaviour.
    Both ``name`` and ``name_en`` are set, since modeltranslation does not fill one from the
    other on a bulk insert.
    """
    existing = Chamber.objects.count()
    new = Chamber.objects.bulk_create(
        Chamber(
            slug=f"bulk-{i}",
            short_name=f"Bulk CCI {i}",
            name=f"Bulk Chamber of Commerce {i}",
            name_en=f"Bulk Chamber of Commerce {i}",
            country=COUNTRIES[i % len(COUNTRIES)],
            city="Capital",
        )
        for i in range(max(chambers - existing, 0))
    )
    MembershipPeriod.objects.bulk_create(
        MembershipPeriod(chamber=c, status=STATUSES[i % 3], start=dt.date(2020, 1, 1))
        for i, c in enumerate(new)
    )
    Contact.objects.bulk_create(
        Contact(chamber=c, name=f"Head {i}", is_head=True) for i, c in enumerate(new)
    )
    # The home chamber's open period starts in 2019; these closed ones lie before it, one a year.
    MembershipPeriod.objects.bulk_create(
        MembershipPeriod(
            chamber=union.home,
            status=STATUSES[i % 3],
            start=dt.date(1700 + i, 1, 1),
            end=dt.date(1700 + i, 12, 31),
            basis=f"GA {1700 + i}",
        )
        for i in range(chambers)
    )
    Contact.objects.bulk_create(
        Contact(chamber=union.home, name=f"Delegate {i}", is_delegate=True, email=f"d{i}@x.org")
        for i in range(chambers)
    )
    assert Chamber.objects.count() == max(chambers, existing)


@dataclass(frozen=True)
class Case:
    """One request whose query count is pinned. ``path`` may name ``{home}``."""

    role: str
    path: str
    queries: int
    api: bool = True


# Session logins cost two queries before the view runs: the session row and the user. A member's
# view then reads the member login once (core.access caches it on the request).
CASES = {
    # 1 count for the pagination, 2 the page of chambers (status and member_since are
    # subqueries of that one query).
    "api-chamber-list": Case("anonymous", "/api/v1/chambers/", 2),
    # 1 session, 2 user, 3 member login, 4 the chamber, 5 count (the sub-list is paginated),
    # 6 the page of its periods.
    "api-memberships": Case("viewer", "/api/v1/chambers/{home}/memberships/", 6),
    # 1 session, 2 user, 3 member login, 4 the chamber, 5 count (paginated), 6 the page of its
    # contacts (chamber joined).
    "api-contacts": Case("viewer", "/api/v1/chambers/{home}/contacts/", 6),
    # 1 every chamber not former, with its status, grouped in Python; 2-7 the troika: 2-4 the
    # rotation settings (troika, forecast rows, forecast), 5 the order, 6 the terms, 7 the
    # previous term (this union has no order and no terms, so the periods, chambers and
    # Presidents are not asked for: the demo's 9 are pinned in tests/rotation/test_portal.py).
    "dashboard": Case("anonymous", "/", 7, api=False),
    # 1 session, 2 user, 3 member login (the navigation's "My chamber"), 4 the chambers,
    # 5-10 the troika.
    "dashboard-member": Case("viewer", "/", 10, api=False),
    # 1 the chamber (contacts and history are for members only).
    "chamber-page-anonymous": Case("anonymous", "/chambers/{home}/", 1, api=False),
    # 1 session, 2 user, 3 member login, 4 the chamber, 5 its active contacts, 6 its periods.
    "chamber-page-member": Case("viewer", "/chambers/{home}/", 6, api=False),
    # 1 session, 2 user, 3 member login, 4 the chamber, 5 its contacts.
    "my-chamber": Case("editor", "/my-chamber/", 5, api=False),
    # 1 session, 2 user, 3 the countries in use (country filter), 4 filtered count, 5 full count
    # (the "N total" link), 6 the page of chambers with status and member_since.
    "admin-chamber-changelist": Case("staff", "/admin/chambers/chamber/", 6, api=False),
    # 1 session, 2 user, 3 filtered count, 4 full count, 5 the page of contacts, chamber joined.
    "admin-contact-changelist": Case("staff", "/admin/chambers/contact/", 5, api=False),
    # 1 session, 2 user, 3 filtered count, 4 full count, 5 the page of periods, chamber joined.
    "admin-period-changelist": Case("staff", "/admin/chambers/membershipperiod/", 5, api=False),
}


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("name", list(CASES))
def test_query_count_does_not_grow_with_rows(
    union: Union, django_assert_num_queries, name: str, size: int
) -> None:
    case = CASES[name]
    grow(union, size)
    client = union.client(case.role, api=case.api)
    url = case.path.format(home=union.home.slug)
    with django_assert_num_queries(case.queries, info=f"{name} with {size} chambers"):
        response = client.get(url)
    assert response.status_code == 200, response.content[:300]
