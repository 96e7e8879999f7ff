"""Portal pages: the public dashboard and chamber page, and "my chamber" for member logins."""

from __future__ import annotations

from django.test import Client

from chambers.models import Contact
from tests.factories import in_languages


def test_dashboard_lists_members_and_links_the_observers(union):
    body = union.client("anonymous", api=False).get("/").content.decode()
    assert "Home CCI" in body and "Other CCI" in body
    assert "Watcher CCI" not in body  # a first page of members only: observers are a link
    assert 'href="/chambers/?status=observer">1 observer</a>' in body
    listed = union.client("anonymous", api=False).get("/chambers/?status=observer")
    assert "Watcher CCI" in listed.content.decode()


def test_chamber_page_hides_contacts_from_the_public(union):
    anonymous = union.client("anonymous", api=False).get("/chambers/home/").content.decode()
    assert "home.example.org" in anonymous
    assert "Home Head" not in anonymous
    member = union.client("other_editor", api=False).get("/chambers/home/").content.decode()
    assert "Home Head" in member


def test_editor_edits_profile(union):
    client = union.client("editor", api=False)
    page = client.get("/my-chamber/")
    assert page.status_code == 200 and "profile-form" in page.content.decode()
    data = {
        **in_languages(union.home, "name"),
        **in_languages(union.home, "short_name"),
        **in_languages(union.home, "city", en="Astana"),
        "website": "https://new.example.kz",
    }
    response = client.post("/my-chamber/", data)
    assert response.status_code == 302
    union.home.refresh_from_db()
    assert (union.home.city, union.home.website) == ("Astana", "https://new.example.kz")
    assert union.home.history.first().history_user.username == "editor"


def test_bad_profile_input_is_a_form_error_and_changes_nothing(union):
    client = union.client("editor", api=False)
    response = client.post(
        "/my-chamber/", {"name_en": "", "short_name_en": "X", "website": "not a url"}
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert "website" in errors and "name" in errors  # the name in no language
    union.home.refresh_from_db()
    assert union.home.short_name == "Home CCI"


def test_viewer_sees_but_cannot_edit(union):
    client = union.client("viewer", api=False)
    page = client.get("/my-chamber/").content.decode()
    assert "profile-form" not in page and "Home Head" in page
    assert client.post("/my-chamber/", {"short_name_en": "X"}).status_code == 403


def test_editor_manages_contacts(union):
    client = union.client("editor", api=False)
    response = client.post(
        "/my-chamber/contacts/add/",
        {
            "name": "Dana",
            "position_en": "Focal point",
            "roles": ["focal_point"],
            "preferred_language": "kk",
            "active": "on",
        },
    )
    assert response.status_code == 302
    dana = Contact.objects.get(name="Dana")
    assert dana.is_focal_point and dana.chamber == union.home
    response = client.post(
        f"/my-chamber/contacts/{dana.pk}/",
        {"name": "Dana K.", "roles": ["delegate"], "preferred_language": "ru", "active": "on"},
    )
    assert response.status_code == 302
    dana.refresh_from_db()
    assert (dana.name, dana.is_focal_point, dana.is_delegate) == ("Dana K.", False, True)
    assert client.post(f"/my-chamber/contacts/{dana.pk}/delete/").status_code == 302
    assert not Contact.objects.filter(pk=dana.pk).exists()


def test_other_chambers_contact_is_404(union):
    client = union.client("editor", api=False)
    url = f"/my-chamber/contacts/{union.other_contact.pk}/"
    assert client.get(url).status_code == 404
    assert client.post(url + "delete/").status_code == 404
    assert Contact.objects.filter(pk=union.other_contact.pk).exists()


def test_dashboard_sorts_by_country_name_not_code(db):
    from tests.factories import make_chamber

    make_chamber(slug="kz", short_name="KZ CCI", country="KZ")  # Kazakhstan
    make_chamber(slug="kg", short_name="KG CCI", country="KG")  # Kyrgyzstan: code sorts first
    body = Client().get("/").content.decode()
    assert body.index("KZ CCI") < body.index("KG CCI")
