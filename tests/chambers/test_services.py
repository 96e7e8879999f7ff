"""Membership, contact and token services: the rules, on any database."""

from __future__ import annotations

import datetime as dt

import pytest

from chambers import services
from chambers.models import FORMER, ApiToken, Chamber, MembershipPeriod
from core.access import Access, access_for_user
from core.errors import DomainError, ForbiddenError
from tests.factories import SYSTEM, make_chamber

D = dt.date


@pytest.fixture
def kz(db) -> Chamber:
    return make_chamber(slug="kz", country="KZ", since=D(2019, 1, 1))


def test_change_status_closes_open_period_and_opens_next(kz):
    services.membership_change_status(
        actor=SYSTEM, chamber=kz, status="suspended", effective=D(2024, 3, 1), basis="GA 2024/3"
    )
    periods = list(
        MembershipPeriod.objects.filter(chamber=kz).values_list("status", "start", "end")
    )
    assert periods == [
        ("member", D(2019, 1, 1), D(2024, 2, 29)),
        ("suspended", D(2024, 3, 1), None),
    ]
    assert kz.status_on(D(2024, 2, 29)) == "member"
    assert kz.status_on(D(2024, 3, 1)) == "suspended"
    assert kz.status_on(D(2018, 12, 31)) == FORMER


def test_status_and_member_since_are_queries(kz):
    services.membership_change_status(
        actor=SYSTEM, chamber=kz, status=FORMER, effective=D(2025, 1, 1)
    )
    assert Chamber.objects.with_status(D(2024, 6, 1)).get(pk=kz.pk).status == "member"
    assert Chamber.objects.with_status(D(2024, 6, 1)).get(pk=kz.pk).member_since == D(2019, 1, 1)
    today = Chamber.objects.with_status(D(2025, 6, 1)).get(pk=kz.pk)
    assert (today.status, today.member_since) == (FORMER, None)


def test_observer_has_no_member_since(db):
    hu = make_chamber(slug="hu", country="HU", status="observer")
    assert Chamber.objects.with_status().get(pk=hu.pk).member_since is None


@pytest.mark.parametrize(
    ("status", "effective", "field"),
    [
        ("member", D(2024, 1, 1), "status"),  # already a member then
        ("suspended", D(2019, 1, 1), "effective"),  # a period already starts that day
        ("suspended", D(2018, 1, 1), "effective"),  # before an existing period
        ("chair", D(2024, 1, 1), "status"),
    ],
)
def test_refused_status_change_names_field_and_changes_nothing(kz, status, effective, field):
    before = list(MembershipPeriod.objects.values_list("status", "start", "end"))
    with pytest.raises(DomainError) as err:
        services.membership_change_status(
            actor=SYSTEM, chamber=kz, status=status, effective=effective
        )
    assert err.value.field == field
    assert list(MembershipPeriod.objects.values_list("status", "start", "end")) == before


def test_rejoining_after_leaving_opens_a_new_period(kz):
    services.membership_change_status(
        actor=SYSTEM, chamber=kz, status=FORMER, effective=D(2022, 1, 1)
    )
    services.membership_change_status(
        actor=SYSTEM, chamber=kz, status="member", effective=D(2023, 1, 1)
    )
    assert kz.status_on(D(2022, 6, 1)) == FORMER
    assert kz.status_on(D(2023, 6, 1)) == "member"


def test_overlapping_periods_refused_by_service(kz):
    periods = [
        services.PeriodData(status="member", start=D(2019, 1, 1), end=D(2020, 12, 31)),
        services.PeriodData(status="observer", start=D(2020, 6, 1), end=None),
    ]
    with pytest.raises(DomainError) as err:
        services.membership_periods_replace(actor=SYSTEM, chamber=kz, periods=periods)
    assert err.value.field == "start"
    assert MembershipPeriod.objects.filter(chamber=kz).count() == 1


def test_replace_reshapes_periods_without_transient_overlap(kz):
    """Shrinking one period and moving the next earlier must pass even on PostgreSQL, whose
    exclusion constraint checks every row as it is written."""
    services.membership_change_status(
        actor=SYSTEM, chamber=kz, status="observer", effective=D(2021, 1, 1)
    )
    first, second = MembershipPeriod.objects.filter(chamber=kz).order_by("start")
    services.membership_periods_replace(
        actor=SYSTEM,
        chamber=kz,
        periods=[
            services.PeriodData(
                status="member", start=D(2019, 1, 1), end=D(2019, 12, 31), pk=first.pk
            ),
            services.PeriodData(status="observer", start=D(2020, 1, 1), end=None, pk=second.pk),
        ],
    )
    rows = list(MembershipPeriod.objects.filter(chamber=kz).values_list("start", "end"))
    assert rows == [(D(2019, 1, 1), D(2019, 12, 31)), (D(2020, 1, 1), None)]


def test_editor_may_not_change_slug_or_country(kz):
    other = make_chamber(slug="tr", country="TR")
    user_kz = _editor(kz, "ed")
    with pytest.raises(ForbiddenError):
        services.chamber_update(actor=user_kz, chamber=kz, data={"country": "TR"})
    with pytest.raises(ForbiddenError):
        services.chamber_update(actor=user_kz, chamber=other, data={"website": "https://x.example"})
    services.chamber_update(actor=user_kz, chamber=kz, data={"website": "https://kz.example"})
    kz.refresh_from_db()
    assert kz.website == "https://kz.example"


def test_changes_are_recorded_in_history_with_who(kz):
    editor = _editor(kz, "historian")
    services.chamber_update(actor=editor, chamber=kz, data={"city": "Astana"})
    latest = kz.history.first()
    assert latest.city == "Astana"
    assert latest.history_user.username == "historian"
    assert latest.history_type == "~"


def test_bad_value_is_refused_with_field(kz):
    with pytest.raises(DomainError) as err:
        services.chamber_update(actor=SYSTEM, chamber=kz, data={"website": "not a url"})
    assert err.value.field == "website"
    kz.refresh_from_db()
    assert kz.website.startswith("https://")


def test_token_key_is_only_stored_hashed_and_revocation_is_idempotent(kz):
    token, key = services.token_issue(actor=SYSTEM, name="site", scope="read", chamber=kz)
    stored = ApiToken.objects.get(pk=token.pk)
    stored_text = " ".join(
        str(v) for v in ApiToken.objects.filter(pk=token.pk).values().get().values()
    )
    assert key not in stored_text  # only the hash and an 8-character prefix are kept
    assert stored.key_hash == ApiToken.hash_key(key) and stored.prefix == key[:8]
    services.token_revoke(actor=SYSTEM, token=token)
    first = ApiToken.objects.get(pk=token.pk).revoked_at
    services.token_revoke(actor=SYSTEM, token=token)
    assert ApiToken.objects.get(pk=token.pk).revoked_at == first is not None


def test_only_secretariat_changes_status(kz):
    with pytest.raises(ForbiddenError):
        services.membership_change_status(
            actor=_editor(kz, "ed2"), chamber=kz, status="suspended", effective=D(2025, 1, 1)
        )


def _editor(chamber: Chamber, username: str) -> Access:
    from tests.factories import make_login

    return access_for_user(make_login(chamber, "editor", username=username))
