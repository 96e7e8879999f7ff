"""Personal-data rights: the secretariat exports everything held about a contact as JSON and
erases it; after an erasure the person's e-mail is nowhere in the database (a dump of every
table), the erasure is audited, and the union's record (votes, decisions, terms) stays."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command

from chambers import services as chamber_services
from chambers.models import Contact
from core.models import AuditEntry
from meetings import services as meetings
from meetings.models import Invitation
from reminders.models import Reminder, ReminderKind
from rotation.models import Term
from tests.factories import SYSTEM, ReminderFactory, make_contact
from tests.query_counts import Pin, assert_expected_query_count
from tests.scenes import approve_term, make_meeting, set_order

EMAIL = "aigerim.sadykova@atameken.example"


@pytest.fixture
def person(union):
    """A contact with a history (an address changed), a reminder sent, a delegation and a
    presidency."""
    contact = make_contact(
        union.home, name="Aigerim Sadykova", email="old." + EMAIL, phone="+7 701"
    )
    chamber_services.contact_update(actor=SYSTEM, contact=contact, data={"email": EMAIL})
    ReminderFactory(kind=ReminderKind.ACTION_OVERDUE, contact=contact, email=EMAIL)
    meeting = make_meeting(title="Board")
    meetings.invitation_respond(
        actor=SYSTEM, meeting=meeting, chamber=union.home, response="attending", delegates=[contact]
    )
    set_order([union.home, union.other])
    approve_term(union.home, 2031, president=contact)
    return contact


def test_the_secretariat_exports_everything_held(union, person):
    response = union.client("staff").get(f"/api/v1/contacts/{person.pk}/personal-data/")
    assert response.status_code == 200
    data = response.json()
    assert data["register"][0]["email"] == EMAIL
    assert {row["email"] for row in data["register history"]} == {"old." + EMAIL, EMAIL}
    assert data["reminders"][0]["email"] == EMAIL
    assert data["delegations"][0]["chamber"] == "home"
    assert data["presidencies"][0]["start"] == "2031-01-01"


@pytest.mark.parametrize("role", ["viewer", "editor", "write_token", "read_token"])
def test_only_the_secretariat_exports_or_erases(union, person, role):
    client = union.client(role)
    assert client.get(f"/api/v1/contacts/{person.pk}/personal-data/").status_code == 403
    assert client.post(f"/api/v1/contacts/{person.pk}/erase/").status_code == 403
    assert Contact.objects.get(pk=person.pk).email == EMAIL


def test_after_an_erasure_the_email_is_nowhere_in_the_database(union, person):
    response = union.client("staff").post(f"/api/v1/contacts/{person.pk}/erase/")
    assert response.status_code == 200, response.json()
    dump = io.StringIO()
    call_command("dumpdata", stdout=dump)
    text = dump.getvalue()
    for secret in (EMAIL, "Aigerim", "Sadykova", "+7 701"):
        assert secret not in text, secret
    person.refresh_from_db()
    assert person.name == f"Erased contact {person.pk}" and not person.active
    # The union's record stays: the term still names its President, the delegation stands.
    assert Term.objects.get(start=dt.date(2031, 1, 1)).president_id == person.pk
    assert Invitation.objects.filter(delegates=person).exists()
    assert Reminder.objects.get().email == f"erased-{person.pk}@erased.invalid"
    [entry] = AuditEntry.objects.filter(model="chambers.contact", action="erased")
    assert entry.user.username == "staff" and entry.surface == "api"


def test_a_removed_contacts_history_is_erased_too(union):
    contact = make_contact(union.home, name="Nurlan Bekov", email="nurlan@home.example")
    ReminderFactory(kind=ReminderKind.ACTION_OVERDUE, contact=contact, email="nurlan@home.example")
    pk = contact.pk
    chamber_services.contact_delete(actor=SYSTEM, contact=contact)
    staff = union.client("staff")
    assert staff.get(f"/api/v1/contacts/{pk}/personal-data/").json()["register"] == []
    assert staff.post(f"/api/v1/contacts/{pk}/erase/").status_code == 200
    dump = io.StringIO()
    call_command("dumpdata", stdout=dump)
    assert "nurlan@home.example" not in dump.getvalue() and "Nurlan" not in dump.getvalue()


def test_nothing_held_is_404(union):
    assert union.client("staff").get("/api/v1/contacts/999999/personal-data/").status_code == 404
    assert union.client("staff").post("/api/v1/contacts/999999/erase/").status_code == 404


#: The pin this module measures (tests/query_counts.py): the export costs the same whatever
#: the person's history and reminders.
SIZES = [3, 30]
CASES = {Pin("contact-personal-data", "staff"): "/api/v1/contacts/{contact}/personal-data/"}


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("pin", list(CASES), ids=str)
def test_the_export_costs_the_same_whatever_is_held(union, django_assert_num_queries, pin, size):
    contact = make_contact(union.home, name="Dana Omarova", email="dana@home.example")
    for i in range(size):
        chamber_services.contact_update(
            actor=SYSTEM, contact=contact, data={"position": f"Adviser {i}"}
        )
        ReminderFactory(
            kind=ReminderKind.ACTION_OVERDUE, contact=contact, email="dana@home.example"
        )
    client = union.client(pin.caller)
    path = CASES[pin].format(contact=contact.pk)
    with assert_expected_query_count(django_assert_num_queries, pin, path, size=size):
        response = client.get(path)
    assert response.status_code == 200
    assert len(response.json()["reminders"]) == size


def test_the_admin_exports_and_erases_selected_contacts(union, person):
    admin = union.client("staff", api=False)
    url = "/admin/chambers/contact/"
    exported = admin.post(url, {"action": "export_personal_data", "_selected_action": [person.pk]})
    assert exported.status_code == 200 and exported.json()[0]["register"][0]["email"] == EMAIL
    erased = admin.post(url, {"action": "erase_personal_data", "_selected_action": [person.pk]})
    assert erased.status_code == 302
    person.refresh_from_db()
    assert person.email == "" and person.name == f"Erased contact {person.pk}"
