"""Query counts pinned for the rotation API: the terms, the troika, the forecast and the order.

Why: as in ``tests/chambers/test_queries.py``, an N+1 (a query per chamber of the order, per
term, per President or per forecast term) passes every functional test on a small union and only
shows once the rotation has run for a few decades. Each request here runs with a small rotation
(3 chambers in the order, 2 approved past terms) and a large one (40 chambers, 40 approved past
terms), each with as many waived, proposed and cancelled terms as approved past ones, and must
cost the same, exactly pinned number of queries. The comment by each number lists the queries.

Today is frozen (mid-2030, the home chamber chairing), so the counts do not depend on the date
the suite runs.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.utils import timezone

from chambers.models import Chamber, Contact, MembershipPeriod, MembershipStatus
from rotation import services
from rotation.models import Rotation, Term, TermState
from tests.conftest import Union
from tests.factories import COUNTRIES, SYSTEM

TODAY = dt.date(2030, 6, 1)
STATUSES = [MembershipStatus.MEMBER, MembershipStatus.OBSERVER, MembershipStatus.SUSPENDED]


@dataclass(frozen=True)
class Size:
    chambers: int  # in the order, conftest's three included
    terms: int  # approved past terms; as many waived, proposed and cancelled ones


SIZES = [
    pytest.param(Size(chambers=3, terms=2), id="3-chambers-2-terms"),
    pytest.param(Size(chambers=40, terms=40), id="40-chambers-40-terms"),
]


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch) -> dt.date:
    """Mid-2030 whatever the real date, as tests/rotation/test_api.py's ``demo`` does."""
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: TODAY)
    return TODAY


def year(y: int) -> tuple[dt.date, dt.date]:
    return dt.date(y, 1, 1), dt.date(y, 12, 31)


def grow(union: Union, size: Size) -> list[Chamber]:
    """Make the rotation ``size`` large; return its order.

    conftest's home, other and watcher chambers and ``size.chambers - 3`` new ones (members,
    observers and suspended in turn, each with a head) make an agreed order, set through the
    service. ``bulk_create`` then adds the terms (volume, not behaviour): ``size.terms`` approved
    past terms, one a year up to 2029, each chamber's head its President where it has one; as
    many waived turns ahead (2031 on), proposed swaps ahead (pairs from 2032 on) and cancelled
    terms. The home chamber's term for 2030, the current one, is approved through the service
    with its head as President.
    """
    new = Chamber.objects.bulk_create(
        Chamber(
            slug=f"bulk-{i}",
            short_name=f"Bulk CCI {i}",
            name=f"Bulk Chamber of Commerce {i}",
            name_en=f"Bulk Chamber of Commerce {i}",
            country=COUNTRIES[i % len(COUNTRIES)],
            city="Capital",
        )
        for i in range(size.chambers - 3)
    )
    MembershipPeriod.objects.bulk_create(
        MembershipPeriod(chamber=c, status=STATUSES[i % 3], start=dt.date(1980, 1, 1))
        for i, c in enumerate(new)
    )
    heads = Contact.objects.bulk_create(
        Contact(chamber=c, name=f"Head {i}", is_head=True) for i, c in enumerate(new)
    )
    order = [union.home, union.other, union.observer, *new]
    services.order_set(actor=SYSTEM, kind="agreed", chambers=order)
    president = {
        union.home.pk: union.home_contact,
        union.other.pk: union.other_contact,
        **{c.chamber_id: c for c in heads},
    }
    rotation = Rotation.current()

    def term(chamber: Chamber, y: int, state: str, **extra) -> Term:
        start, end = year(y)
        extra.setdefault("in_place_of", chamber)
        return Term(rotation=rotation, chamber=chamber, start=start, end=end, state=state, **extra)

    n = len(order)
    terms = [
        term(order[i % n], 2030 - size.terms + i, TermState.APPROVED,
             president=president.get(order[i % n].pk))
        for i in range(size.terms)
    ]  # fmt: skip
    terms += [term(order[(i + 1) % n], 2031 + i, TermState.WAIVED) for i in range(size.terms)]
    for k in range(size.terms // 2):  # a swap: b chairs in a's turn, a in b's
        a, b = order[(2 * k) % n], order[(2 * k + 1) % n]
        terms += [
            term(b, 2032 + 2 * k, TermState.PROPOSED, in_place_of=a),
            term(a, 2033 + 2 * k, TermState.PROPOSED, in_place_of=b),
        ]
    terms += [term(order[i % n], 2031 + i, TermState.CANCELLED) for i in range(size.terms)]
    Term.objects.bulk_create(terms)
    start, end = year(2030)
    services.term_approve(
        actor=SYSTEM, chamber=union.home, start=start, end=end, president=union.home_contact
    )
    return order


@dataclass(frozen=True)
class Case:
    """One public request whose query count is pinned."""

    path: str
    queries: int
    role: str = "anonymous"


# Every request is anonymous: no session or token to read. "the forecast" stands for the five
# queries of services.rotation_forecast: the rotation settings, the order, the terms (approved,
# proposed, waived), the membership periods of the chambers in the order or in a term, and those
# chambers (in_bulk). Its Presidents are one more query, made only when a forecast term is a
# recorded one: here the current term always is.
CASES = {
    # 1 count (paginated), 2 the page of terms with chamber and President joined.
    "api-terms": Case("/api/v1/rotation/terms/?limit=200", 2),
    # 1 the rotation settings (troika), 2 the rotation settings (forecast rows), 3-7 the forecast
    # of two terms, 8 the recorded terms among them with their Presidents, 9 the previous term
    # with its chamber and President.
    "api-current": Case("/api/v1/rotation/current/", 9),
    # A member (viewer): 1 session, 2 user, 3 member login with its chamber's status; then
    # 4 the rotation settings (forecast rows), 5-9 the forecast of 100 terms, 10 the recorded
    # terms among them with their Presidents.
    "api-forecast": Case("/api/v1/rotation/forecast/?years=100", 10, role="viewer"),
    # A member: 1-3 session, user, member login; 4 the rotation settings, 5 the order's places.
    "api-order": Case("/api/v1/rotation/order/", 5, role="viewer"),
}


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("name", list(CASES))
def test_query_count_does_not_grow_with_rows(
    union: Union, django_assert_num_queries, name: str, size: Size
) -> None:
    case = CASES[name]
    order = grow(union, size)
    client = union.client(case.role)
    with django_assert_num_queries(case.queries, info=f"{name} with {size}"):
        response = client.get(case.path)
    assert response.status_code == 200, response.content[:300]
    body = response.json()
    # The response covers every row it should, so the pin is known to cover them.
    if name == "api-terms":
        assert body["count"] == len(body["results"]) == Term.objects.count()
        assert body["count"] == 4 * size.terms + 1
    elif name == "api-current":
        assert body["current"]["chamber"] == "home"
        assert body["current"]["president"]["name"] == union.home_contact.name
        assert body["previous"]["start"] == "2029-01-01"
    elif name == "api-forecast":
        assert len(body) == 100
        assert body[0]["chamber"] == "home" and body[0]["approved"]
        assert any(term["proposed"] for term in body)
        assert {"observer", "waived"} <= {s["reason"] for term in body for s in term["skipped"]}
    else:
        assert [place["chamber"] for place in body["chambers"]] == [c.slug for c in order]
