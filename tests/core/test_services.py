"""``model_update``: the one way a service changes fields of a row."""

from __future__ import annotations

import pytest

from chambers import services as chambers
from chambers.models import Contact
from core.access import SYSTEM
from core.errors import DomainError
from core.services import model_update


@pytest.fixture
def contact(db) -> Contact:
    chamber = chambers.chamber_create(
        actor=SYSTEM, slug="kz", short_name="KZ", country="KZ", name_en="KZ CCI"
    )
    return chambers.contact_create(actor=SYSTEM, chamber=chamber, data={"name": "A. Person"})


def test_it_saves_the_changed_fields_and_says_which(contact):
    changed = model_update(
        instance=contact,
        fields=["name", "position", "phone"],
        data={"position": "Chairman", "phone": contact.phone},
        actor=SYSTEM,
    )
    assert changed == ["position"]
    contact.refresh_from_db()
    assert contact.position == "Chairman"
    assert contact.history.first().history_change_reason == "system"


def test_nothing_changed_writes_nothing(contact, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert model_update(instance=contact, fields=["name"], data={"name": contact.name}) == []


def test_a_field_outside_the_allowed_ones_is_refused_by_name(contact):
    with pytest.raises(DomainError) as refused:
        model_update(instance=contact, fields=["name"], data={"chamber": None})
    assert refused.value.field == "chamber"


def test_the_row_is_validated_before_it_is_saved(contact):
    with pytest.raises(DomainError) as refused:
        model_update(instance=contact, fields=["email"], data={"email": "not an address"})
    assert refused.value.field == "email"
    contact.refresh_from_db()
    assert contact.email == ""


def test_the_rows_last_modified_stamp_moves_with_a_change(db):
    import datetime as dt
    from zoneinfo import ZoneInfo

    from meetings import services as meetings
    from meetings.models import Meeting

    starts = dt.datetime(2027, 5, 1, 10, tzinfo=ZoneInfo("UTC"))
    meeting = meetings.meeting_create(
        actor=SYSTEM, data={"kind": "board", "starts_at": starts, "ends_at": starts}, invite=False
    )
    long_ago = dt.datetime(2020, 1, 1, tzinfo=ZoneInfo("UTC"))
    Meeting.objects.filter(pk=meeting.pk).update(updated_at=long_ago)
    meetings.meeting_update(actor=SYSTEM, meeting=meeting, data={"title": "Board, moved"})
    meeting.refresh_from_db()
    assert meeting.updated_at > long_ago
