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
