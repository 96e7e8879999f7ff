"""Query counts of the chambers' list endpoints and pages, pinned in ``tests/query_counts.py``.

Each request runs with 3 and with 300 chambers (and as many contacts, membership periods and
action items of the home chamber, API tokens, member logins and passkeys) and must cost the
same, pinned number of queries.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from chambers.models import ApiToken, Chamber, MemberLogin, MembershipStatus
from tests.conftest import Union
from tests.factories import (
    ActionItemFactory,
    ApiTokenFactory,
    ChamberFactory,
    ContactFactory,
    MemberLoginFactory,
    MembershipPeriodFactory,
    PasskeyFactory,
    PriorityFactory,
    UserFactory,
    bulk,
    bulk_rows,
)
from tests.query_counts import Pin, assert_expected_query_count
from tests.scenes import bulk_chambers

SIZES = [pytest.param(3, id="3-chambers"), pytest.param(300, id="300-chambers")]
STATUSES = [MembershipStatus.MEMBER, MembershipStatus.OBSERVER, MembershipStatus.SUSPENDED]


def grow(union: Union, chambers: int) -> None:
    """Make the union ``chambers`` strong, each new chamber with a period and a head, and give
    the home chamber ``chambers`` more contacts and past periods, and ``chambers`` API tokens
    and member logins. Straight into the tables: volume, not behaviour."""
    existing = Chamber.objects.count()
    # Every status has chambers at both sizes (a page of an empty status costs no query).
    bulk_chambers(max(chambers - existing, len(STATUSES)), statuses=STATUSES)
    if not Chamber.objects.filter(periods__isnull=True).exists():
        ChamberFactory()  # a former member: no period
    # The home chamber's open period starts in 2019; these closed ones lie before it, one a year.
    bulk_rows(
        MembershipPeriodFactory,
        (
            {
                "chamber": union.home,
                "status": STATUSES[i % 3],
                "start": dt.date(1700 + i, 1, 1),
                "end": dt.date(1700 + i, 12, 31),
                "basis": f"GA {1700 + i}",
            }
            for i in range(chambers)
        ),
    )
    bulk_rows(
        ContactFactory,
        (
            {"chamber": union.home, "name": f"Delegate {i}", "is_delegate": True}
            for i in range(chambers)
        ),
    )
    bulk(ApiTokenFactory, chambers, chamber=union.home)
    bulk(ActionItemFactory, chambers, responsible=union.home, priority=PriorityFactory())
    users = bulk(UserFactory, chambers)
    bulk_rows(MemberLoginFactory, ({"user": u, "chamber": union.other} for u in users))
    bulk_rows(PasskeyFactory, ({"user": u} for u in users))
    assert Chamber.objects.count() >= chambers
    assert ApiToken.objects.count() == chambers + 2  # and the union's two
    assert MemberLogin.objects.count() == chambers + 3


@dataclass(frozen=True)
class Case:
    """One request of a pin. ``path`` may name ``{home}``; ``role`` is the pin's caller."""

    path: str
    api: bool = True


CASES = {
    Pin("chamber-list", "anonymous"): Case("/api/v1/chambers/"),
    Pin("chamber-memberships", "viewer"): Case("/api/v1/chambers/{home}/memberships/"),
    Pin("chamber-contacts", "viewer"): Case("/api/v1/chambers/{home}/contacts/"),
    Pin("portal:dashboard", "anonymous"): Case("/", api=False),
    Pin("portal:dashboard", "viewer"): Case("/", api=False),
    Pin("portal:chamber", "anonymous"): Case("/chambers/{home}/", api=False),
    Pin("portal:chamber", "viewer"): Case("/chambers/{home}/", api=False),
    Pin("portal:my-chamber", "editor"): Case("/my-chamber/", api=False),
    Pin("portal:chambers", "anonymous"): Case("/chambers/", api=False),
    Pin("admin:chambers_chamber_changelist", "staff"): Case("/admin/chambers/chamber/", False),
    Pin("admin:chambers_contact_changelist", "staff"): Case("/admin/chambers/contact/", False),
    Pin("admin:chambers_membershipperiod_changelist", "staff"): Case(
        "/admin/chambers/membershipperiod/", api=False
    ),
    Pin("admin:chambers_apitoken_changelist", "staff"): Case("/admin/chambers/apitoken/", False),
    Pin("admin:auth_user_changelist", "staff"): Case("/admin/auth/user/", api=False),
    Pin("admin:chambers_passkey_changelist", "staff"): Case("/admin/chambers/passkey/", False),
}


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("pin", list(CASES), ids=str)
def test_query_count_does_not_grow_with_rows(
    union: Union, django_assert_num_queries, pin: Pin, size: int
) -> None:
    case = CASES[pin]
    grow(union, size)
    client = union.client(pin.caller, api=case.api)
    url = case.path.format(home=union.home.slug)
    with assert_expected_query_count(django_assert_num_queries, pin, url, size=size):
        response = client.get(url)
    assert response.status_code == 200, response.content[:300]
