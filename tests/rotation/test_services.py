"""Rotation decisions: approval, eligibility, overlap, waiver, swap, order; a refused decision
changes nothing; two concurrent approvals for one period: one wins, the other is a conflict."""

from __future__ import annotations

import datetime as dt
import threading
from zoneinfo import ZoneInfo

import pytest
from django.db import IntegrityError, connection, transaction

from core.errors import ConflictError, DomainError
from meetings import services as meetings
from rotation import services
from rotation.models import Rotation, Term, TermState
from tests.conftest import requires_postgres
from tests.factories import SYSTEM, make_chamber, make_contact
from tests.scenes import attend_all, make_meeting

D = dt.date
TODAY = D(2026, 6, 1)


@pytest.fixture
def union(db):
    chambers = {
        "az": make_chamber(slug="az", short_name="AZ", country="AZ"),
        "hu": make_chamber(slug="hu", short_name="HU", country="HU", status="observer"),
        "kz": make_chamber(slug="kz", short_name="KZ", country="KZ"),
        "kg": make_chamber(slug="kg", short_name="KG", country="KG"),
        "tr": make_chamber(slug="tr", short_name="TR", country="TR"),
    }
    services.order_set(actor=SYSTEM, kind="alphabetical", chambers=list(chambers.values()))
    return chambers


def ga(number: int = 1):
    """A General Assembly on 2026-05-01 with every invited chamber present."""
    meeting = make_meeting(
        kind="ga_ordinary",
        session_number=number,
        title="",
        starts_at=dt.datetime(2026, 5, 1, 10, tzinfo=ZoneInfo("UTC")),
        ends_at=dt.datetime(2026, 5, 1, 18, tzinfo=ZoneInfo("UTC")),
        time_zone="UTC",
    )
    attend_all(meeting)
    return meeting


def rotation_decision(meeting, effects):
    return meetings.decision_create(
        actor=SYSTEM,
        meeting=meeting,
        data={"kind": "rotation", "title": "Chair", "method": "consensus", "effects": effects},
    )


def chairs(count: int = 5) -> list[str | None]:
    result = services.rotation_forecast(count=count, today=TODAY)
    return [result.chambers[t.chamber_id].slug if t.chamber_id else None for t in result.terms]


def test_alphabetical_order_sorts_as_a_person_would(union):
    slugs = [p.chamber.slug for p in Rotation.current().places.select_related("chamber")]
    assert slugs == ["az", "hu", "kz", "kg", "tr"]  # Kazakhstan before Kyrgyzstan
    assert services.alphabetical_key("Türkiye") < services.alphabetical_key("Turkmenistan")


def test_approve_term_by_decision_and_forecast(union):
    head = make_contact(union["kz"], name="Raimbek Batalov", roles=["head"])
    decision = rotation_decision(
        ga(),
        [
            {"type": "approve_term", "chamber": "kz", "start": "2026-01-01", "end": "2026-12-31",
             "president": head.pk},
        ],
    )  # fmt: skip
    meetings.decision_adopt(actor=SYSTEM, decision=decision)
    term = Term.objects.get()
    assert (term.chamber, term.president, term.decision, term.state) == (
        union["kz"],
        head,
        decision,
        TermState.APPROVED,
    )
    assert chairs() == ["kz", "kg", "tr", "az", "kz"]  # HU skipped as observer
    skipped = services.rotation_forecast(count=5, today=TODAY).terms[4].skipped
    assert [(s.chamber_id, s.reason) for s in skipped] == [(union["hu"].pk, "observer")]


@pytest.mark.parametrize(
    ("effect", "message"),
    [
        ({"chamber": "hu"}, "observer"),
        ({"start": "2026-02-01"}, "first day"),
        ({"end": "2027-06-30"}, "ends on"),
    ],
)
def test_refused_rotation_decision_changes_nothing(union, effect, message):
    base = {"type": "approve_term", "chamber": "kz", "start": "2026-01-01", "end": "2026-12-31"}
    order = {"type": "set_order", "kind": "agreed", "chambers": ["tr", "kg", "kz", "az"]}
    decision = rotation_decision(ga(), [order, {**base, **effect}])
    with pytest.raises(DomainError, match=message):
        meetings.decision_adopt(actor=SYSTEM, decision=decision)
    decision.refresh_from_db()
    assert not decision.is_adopted
    assert not Term.objects.exists()
    slugs = [p.chamber.slug for p in Rotation.current().places.select_related("chamber")]
    assert slugs == ["az", "hu", "kz", "kg", "tr"]  # the first effect was undone too


def test_overlapping_approval_refused(union):
    services.term_approve(
        actor=SYSTEM, chamber=union["kz"], start=D(2026, 1, 1), end=D(2026, 12, 31)
    )
    with pytest.raises(ConflictError, match="already holds"):
        services.term_approve(
            actor=SYSTEM, chamber=union["kg"], start=D(2026, 1, 1), end=D(2026, 12, 31)
        )
    assert Term.objects.count() == 1


def test_waiver_gives_the_turn_to_the_next_eligible(union):
    services.term_approve(
        actor=SYSTEM, chamber=union["kz"], start=D(2026, 1, 1), end=D(2026, 12, 31)
    )
    decision = rotation_decision(ga(), [{"type": "waive", "chamber": "kg", "start": "2027-01-01"}])
    meetings.decision_adopt(actor=SYSTEM, decision=decision)
    assert chairs() == ["kz", "tr", "az", "kz", "kg"]  # kg keeps its place, after kz
    with pytest.raises(DomainError, match="turn"):
        services.term_waive(actor=SYSTEM, chamber=union["az"], start=D(2027, 1, 1))


def test_swap_exchanges_two_turns_and_keeps_the_order(union):
    services.term_approve(
        actor=SYSTEM, chamber=union["kz"], start=D(2026, 1, 1), end=D(2026, 12, 31)
    )
    swap = {"type": "swap", "chamber_a": "kg", "chamber_b": "az", "start_a": "2027-01-01",
            "start_b": "2029-01-01"}  # fmt: skip
    meetings.decision_adopt(actor=SYSTEM, decision=rotation_decision(ga(), [swap]))
    assert chairs(6) == ["kz", "az", "tr", "kg", "kz", "kg"]
    proposed = Term.objects.filter(state=TermState.PROPOSED).order_by("start")
    assert [(t.chamber.slug, t.in_place_of.slug) for t in proposed] == [("az", "kg"), ("kg", "az")]
    # Approving the swapped chamber later turns its proposal into the approved term.
    services.term_approve(
        actor=SYSTEM, chamber=union["az"], start=D(2027, 1, 1), end=D(2027, 12, 31)
    )
    assert (
        Term.objects.get(start=D(2027, 1, 1), state=TermState.APPROVED).in_place_of == union["kg"]
    )


def test_suspension_moves_the_turn(union):
    from chambers import services as chamber_services

    services.term_approve(
        actor=SYSTEM, chamber=union["kz"], start=D(2026, 1, 1), end=D(2026, 12, 31)
    )
    chamber_services.membership_change_status(
        actor=SYSTEM, chamber=union["kg"], status="suspended", effective=D(2026, 10, 1)
    )
    assert chairs() == ["kz", "tr", "az", "kz", "tr"]


@requires_postgres
def test_overlapping_approved_terms_refused_by_postgresql(union):
    rotation = Rotation.current()
    Term.objects.create(
        rotation=rotation, chamber=union["kz"], start=D(2026, 1, 1), end=D(2026, 12, 31),
        state=TermState.APPROVED,
    )  # fmt: skip
    with pytest.raises(IntegrityError), transaction.atomic():
        Term.objects.create(
            rotation=rotation, chamber=union["kg"], start=D(2026, 6, 1), end=D(2027, 5, 31),
            state=TermState.APPROVED,
        )  # fmt: skip
    # Waived or proposed terms may share the period.
    Term.objects.create(
        rotation=rotation, chamber=union["kg"], start=D(2026, 1, 1), end=D(2026, 12, 31),
        state=TermState.WAIVED,
    )  # fmt: skip


@requires_postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_adoptions_for_the_same_period_one_wins_the_other_conflicts():
    chambers = [make_chamber(slug=s, short_name=s.upper(), country=s.upper()) for s in ("kz", "kg")]
    services.order_set(actor=SYSTEM, kind="alphabetical", chambers=chambers)
    # Two meetings, so that the meeting lock of each adoption does not serialise them.
    decisions = [
        rotation_decision(
            ga(number),
            [{"type": "approve_term", "chamber": slug, "start": "2027-01-01", "end": "2027-12-31"}],
        )
        for number, slug in ((1, "kz"), (2, "kg"))
    ]
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def adopt(decision) -> None:
        barrier.wait()
        try:
            meetings.decision_adopt(actor=SYSTEM, decision=decision)
            outcomes.append("adopted")
        except ConflictError:
            outcomes.append("conflict")
        except DomainError as exc:
            outcomes.append(f"refused: {exc.message}")
        finally:
            connection.close()

    threads = [threading.Thread(target=adopt, args=(d,)) for d in decisions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["adopted", "conflict"]
    assert Term.objects.filter(state=TermState.APPROVED).count() == 1
    assert sum(d.__class__.objects.get(pk=d.pk).is_adopted for d in decisions) == 1


def test_a_president_stays_on_record(union):
    from chambers import services as chamber_services

    head = make_contact(union["kz"], name="President", roles=["head"])
    services.term_approve(
        actor=SYSTEM, chamber=union["kz"], start=D(2026, 1, 1), end=D(2026, 12, 31), president=head
    )
    with pytest.raises(DomainError, match="President"):
        chamber_services.contact_delete(actor=SYSTEM, contact=head)
    assert Term.objects.get().president == head


def test_accession_order_takes_each_chambers_first_period(db):
    from chambers import services as chamber_services

    early = make_chamber(slug="early", short_name="E", country="DE", since=D(2000, 1, 1))
    late = make_chamber(slug="late", short_name="L", country="FR", since=D(2010, 1, 1))
    chamber_services.membership_change_status(
        actor=SYSTEM, chamber=early, status="suspended", effective=D(2024, 1, 1)
    )
    services.order_set(actor=SYSTEM, kind="accession", chambers=[late, early])
    slugs = [p.chamber.slug for p in Rotation.current().places.select_related("chamber")]
    assert slugs == ["early", "late"]


def test_alphabetical_order_is_by_english_name_in_any_language(union):
    from django.utils import translation

    with translation.override("tr"):  # Macaristan would sort after Kırgızistan in Turkish
        services.order_set(actor=SYSTEM, kind="alphabetical", chambers=list(union.values()))
    slugs = [p.chamber.slug for p in Rotation.current().places.select_related("chamber")]
    assert slugs == ["az", "hu", "kz", "kg", "tr"]


def test_a_chamber_holding_a_term_cannot_be_suspended_first(union):
    from chambers import services as chamber_services

    services.term_approve(
        actor=SYSTEM, chamber=union["kg"], start=D(2027, 1, 1), end=D(2027, 12, 31)
    )
    with pytest.raises(DomainError, match="holds the chairmanship") as err:
        chamber_services.membership_change_status(
            actor=SYSTEM, chamber=union["kg"], status="suspended", effective=D(2026, 10, 1)
        )
    assert err.value.field == "status"
    assert union["kg"].status_on(D(2027, 1, 1)) == "member"


def test_a_date_out_of_range_is_refused_not_a_crash(union):
    with pytest.raises(DomainError, match="out of range"):
        services.term_approve(
            actor=SYSTEM, chamber=union["kz"], start=D(9999, 12, 1), end=D(9999, 12, 31)
        )
