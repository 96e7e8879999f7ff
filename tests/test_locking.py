"""The lock order of docs/locking.md, proven on PostgreSQL with two real transactions.

A membership change and a term approval both read what the other writes ("is the chamber a
full member on the term's first day?", "does the chamber hold a term?"). Each test holds one of
them open, at its end, while the other runs: the second must wait for the first to commit and
then see its change, so exactly one succeeds. Without the rotation's lock in the membership
guard, both pass their checks and commit: these tests fail.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from django.db import connection
from django.utils import timezone

from chambers import services as chambers
from chambers.events import MembershipChanged
from chambers.models import Chamber
from core.access import SYSTEM
from core.errors import DomainError
from core.events import Phase, bus
from rotation import services as rotation
from rotation.events import TermApproved
from rotation.models import Rotation, Term, TermState
from tests.chambers.test_admin import _chamber_form
from tests.conftest import requires_postgres

pytestmark = [requires_postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def union():
    kz = chambers.chamber_create(
        actor=SYSTEM, slug="kz", short_name="KZ", country="KZ", name_en="KZ CCI",
        status="member", since=timezone.localdate().replace(year=2019),
    )  # fmt: skip
    tr = chambers.chamber_create(
        actor=SYSTEM, slug="tr", short_name="TR", country="TR", name_en="TR CCI",
        status="member", since=timezone.localdate().replace(year=2019),
    )  # fmt: skip
    rotation.order_set(actor=SYSTEM, kind="agreed", chambers=[kz, tr])
    current = Rotation.current()
    start = current.next_start(current.slot_start(timezone.localdate()))
    return kz, start, current.slot_end(start)


def _race(
    first: Callable[[], object], first_event: type, second: Callable[[], object]
) -> list[str]:
    """Run ``first`` in a thread and hold its transaction open (in a subscriber of its event,
    after all its checks and writes) while ``second`` runs in another; return what each did."""
    inside = threading.Event()
    outcomes: dict[str, str] = {}

    def hold(event: object) -> None:
        inside.set()
        # Long enough for the second writer to reach its check; it must wait on our lock.
        threading.Event().wait(1.0)

    def run(name: str, call: Callable[[], object], signal: threading.Event | None) -> None:
        try:
            call()
            outcomes[name] = "done"
        except DomainError as exc:
            outcomes[name] = f"refused: {exc.message}"
        except BaseException as exc:  # a deadlock or anything else fails the test below
            outcomes[name] = f"error: {exc!r}"
        finally:
            if signal is not None:
                signal.set()
            connection.close()

    bus.subscribe(first_event, hold, phase=Phase.IN_TRANSACTION)
    try:
        one = threading.Thread(target=run, args=("first", first, inside))
        one.start()
        assert inside.wait(10), "the first writer never reached its event"
        bus.unsubscribe(first_event, hold)
        two = threading.Thread(target=run, args=("second", second, None))
        two.start()
        one.join(20)
        two.join(20)
    finally:
        bus.unsubscribe(first_event, hold)
    return [outcomes.get("first", "hung"), outcomes.get("second", "hung")]


def _suspend(kz: Chamber) -> Callable[[], object]:
    return lambda: chambers.membership_change_status(
        actor=SYSTEM, chamber=kz, status="suspended", effective=timezone.localdate()
    )


def _approve(kz: Chamber, start, end) -> Callable[[], object]:
    return lambda: rotation.term_approve(actor=SYSTEM, chamber=kz, start=start, end=end)


def test_an_approval_waits_for_a_suspension_and_is_then_refused(union):
    kz, start, end = union
    first, second = _race(_suspend(kz), MembershipChanged, _approve(kz, start, end))
    assert first == "done"
    assert second.startswith("refused: KZ cannot chair from"), second
    assert not Term.objects.filter(chamber=kz, state=TermState.APPROVED).exists()
    assert kz.status_on(start) == "suspended"


def test_a_suspension_waits_for_an_approval_and_is_then_refused(union):
    kz, start, end = union
    first, second = _race(_approve(kz, start, end), TermApproved, _suspend(kz))
    assert first == "done"
    assert second == f"refused: KZ holds the chairmanship term from {start}; a decision must " \
        "reassign it first."  # fmt: skip
    assert Term.objects.filter(chamber=kz, state=TermState.APPROVED).count() == 1
    assert kz.status_on(start) == "member"


def test_the_admins_chamber_page_takes_the_rotation_before_the_chamber(union, monkeypatch):
    """The page saves the profile (the chamber's lock), then the periods (the rotation's): it
    takes the rotation first, so a status change of the same chamber started meanwhile waits
    instead of deadlocking (PostgreSQL would abort one of them: a 500)."""
    from django.contrib.auth import get_user_model
    from django.test import Client

    from chambers import admin as chamber_admin

    kz, start, _end = union
    staff = get_user_model().objects.create_user("staff", is_staff=True, is_superuser=True)
    saved_profile = threading.Event()
    original = chamber_admin.services.chamber_update

    def slow_update(**kwargs):
        result = original(**kwargs)
        saved_profile.set()
        threading.Event().wait(1.0)  # the status change below starts now
        return result

    monkeypatch.setattr(chamber_admin.services, "chamber_update", slow_update)
    period = kz.periods.get()
    form = _chamber_form(
        kz, [(period.pk, "member", period.start.isoformat(), "")], city_en="Astana"
    )
    form["periods-0-basis"] = "Founding of the union"
    outcomes: dict[str, object] = {}

    def save_page() -> None:
        try:
            client = Client()
            client.force_login(staff)
            outcomes["page"] = client.post(f"/admin/chambers/chamber/{kz.pk}/change/", form)
        except BaseException as exc:
            outcomes["page"] = exc
        finally:
            connection.close()

    page = threading.Thread(target=save_page)
    page.start()
    assert saved_profile.wait(10)
    try:
        chambers.membership_change_status(
            actor=SYSTEM, chamber=kz, status="observer", effective=start.replace(year=2040)
        )
        outcomes["status"] = "done"
    except BaseException as exc:  # a deadlock is an OperationalError
        outcomes["status"] = exc
    page.join(20)
    response = outcomes["page"]
    assert getattr(response, "status_code", response) == 302
    assert outcomes["status"] == "done"
    kz.refresh_from_db()
    assert kz.city == "Astana" and kz.status_on(start.replace(year=2040)) == "observer"
