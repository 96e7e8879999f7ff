"""Query counts of the rotation API (the terms, the troika, the forecast and the order) and the
rotation admin, pinned in ``tests/query_counts.py``.

Each request runs with a small rotation (3 chambers in the order, 2 approved past terms) and a
large one (40 chambers, 40 approved past terms), each with as many waived, proposed and
cancelled terms as approved past ones, and must cost the same, pinned number of queries.

Today is frozen (mid-2030, the home chamber chairing), so the counts do not depend on the date
the suite runs.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.utils import timezone

from chambers.models import Chamber, MembershipStatus
from rotation.models import Rotation, Term, TermState
from tests.conftest import Union
from tests.query_counts import Pin, assert_expected_query_count
from tests.scenes import approve_term, bulk_chambers, set_order

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
    new, heads = bulk_chambers(size.chambers - 3, statuses=STATUSES, since=dt.date(1980, 1, 1))
    order = [union.home, union.other, union.observer, *new]
    set_order(order)
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
    approve_term(union.home, 2030, president=union.home_contact)
    return order


@dataclass(frozen=True)
class Case:
    """One request of a pin."""

    path: str
    api: bool = True


CASES = {
    Pin("term-list", "anonymous"): Case("/api/v1/rotation/terms/?limit=200"),
    Pin("rotation-current", "anonymous"): Case("/api/v1/rotation/current/"),
    Pin("rotation-forecast", "viewer"): Case("/api/v1/rotation/forecast/?years=100"),
    Pin("rotation-order", "viewer"): Case("/api/v1/rotation/order/"),
    Pin("admin:rotation_term_changelist", "staff"): Case("/admin/rotation/term/", api=False),
    Pin("admin:rotation_rotation_changelist", "staff"): Case(
        "/admin/rotation/rotation/", api=False
    ),
}


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("pin", list(CASES), ids=str)
def test_query_count_does_not_grow_with_rows(
    union: Union, django_assert_num_queries, pin: Pin, size: Size
) -> None:
    case = CASES[pin]
    order = grow(union, size)
    client = union.client(pin.caller, api=case.api)
    with assert_expected_query_count(django_assert_num_queries, pin, case.path, size=size):
        response = client.get(case.path)
    assert response.status_code == 200, response.content[:300]
    # The response covers every row it should, so the pin is known to cover them.
    if not case.api:
        assert response.context["cl"].result_count == (
            Term.objects.count() if pin.view == "admin:rotation_term_changelist" else 1
        )
        return
    body = response.json()
    if pin.view == "term-list":
        assert body["count"] == len(body["results"]) == Term.objects.count()
        assert body["count"] == 4 * size.terms + 1
    elif pin.view == "rotation-current":
        assert body["current"]["chamber"] == "home"
        assert body["current"]["president"]["name"] == union.home_contact.name
        assert body["previous"]["start"] == "2029-01-01"
    elif pin.view == "rotation-forecast":
        assert len(body) == 100
        assert body[0]["chamber"] == "home" and body[0]["approved"]
        assert any(term["proposed"] for term in body)
        assert {"observer", "waived"} <= {s["reason"] for term in body for s in term["skipped"]}
    else:
        assert [place["chamber"] for place in body["chambers"]] == [c.slug for c in order]
