"""A decision's effects as forms, in words: the admin offers one form per effect type (chamber by
name, dates, the President among the chamber's contacts, priorities by title), writes the JSON the
API takes, and names the effect and the field of an error ("Effect 1, chamber: choose a
chamber"), never an internal object dump."""

from __future__ import annotations

import pytest

from meetings import effects, services
from meetings.models import Decision
from tests.factories import SYSTEM, make_contact
from tests.html_forms import errors_on, read_form
from tests.scenes import make_meeting, set_order

ADD = "/admin/meetings/decision/add/"


@pytest.fixture
def assembly(union):
    set_order([union.home, union.other, union.observer])
    return make_meeting(kind="ga_ordinary", session_number=7, title="")


def _add_page(client):
    return read_form(client.get(ADD).content.decode(), "decision_form")


def test_an_approve_term_effect_is_built_with_its_form(union, assembly):
    president = make_contact(union.other, name="Rifat Hisarcıklıoğlu", position="President")
    client = union.client("staff", api=False)
    html = client.get(ADD).content.decode()
    assert "Approve a term" in html and "Other CCI" in html  # chambers by name
    form = read_form(html, "decision_form")
    form.set("meeting", assembly.pk)
    form.set("kind", "rotation")
    form.set("title_en", "Chair for 2031")
    form.set("method", "vote")
    form.set("effects-new-approve_term-chamber", "other")
    form.set("effects-new-approve_term-start", "2031-01-01")
    form.set("effects-new-approve_term-end", "2031-12-31")
    form.set("effects-new-approve_term-president", president.pk)
    response = client.post(ADD, form.for_post())
    assert response.status_code == 302, errors_on(response.content.decode())
    decision = Decision.objects.get(title="Chair for 2031")
    assert decision.effects == [
        {
            "type": "approve_term",
            "chamber": "other",
            "start": "2031-01-01",
            "end": "2031-12-31",
            "president": president.pk,
        }
    ]
    api = union.client("staff").get(f"/api/v1/decisions/{decision.pk}/").json()
    assert api["effects"] == decision.effects  # the API keeps its JSON shape


def test_an_effect_is_changed_and_removed_on_the_change_page(union, assembly):
    decision = services.decision_create(
        actor=SYSTEM,
        meeting=assembly,
        data={
            "kind": "rotation",
            "title_en": "Order and a waiver",
            "method": "vote",
            "effects": [
                {"type": "set_order", "kind": "agreed", "chambers": ["home", "other"]},
                {"type": "waive", "chamber": "home", "start": "2031-01-01"},
            ],
        },
    )
    client = union.client("staff", api=False)
    url = f"/admin/meetings/decision/{decision.pk}/change/"
    form = read_form(client.get(url).content.decode(), "decision_form")
    # Shown by name; a name or a slug may be typed.
    assert form["effects-0-place_1"] == [union.home.name]
    assert form["effects-0-place_2"] == [union.other.name]
    form.set("effects-0-place_1", union.other.name.upper())
    form.set("effects-0-place_2", "watcher")
    form.set("effects-0-place_3", "home")
    form.set("effects-1-remove", "on")
    response = client.post(url, form.for_post())
    assert response.status_code == 302, errors_on(response.content.decode())
    decision.refresh_from_db()
    assert decision.effects == [
        {"type": "set_order", "kind": "agreed", "chambers": ["other", "watcher", "home"]}
    ]


def test_errors_name_the_effect_and_the_field_in_words(union, assembly):
    client = union.client("staff", api=False)
    form = _add_page(client)
    form.set("meeting", assembly.pk)
    form.set("kind", "rotation")
    form.set("title_en", "Chair")
    form.set("effects-new-approve_term-start", "2031-01-01")
    form.set("effects-new-approve_term-end", "2031-12-31")
    response = client.post(ADD, form.for_post())
    html = response.content.decode()
    assert response.status_code == 200
    assert "Effect 1, chamber: choose a chamber" in " ".join(errors_on(html))
    assert "ErrorDetail" not in html and "Object with" not in html
    again = read_form(html, "decision_form")  # what was typed is still there
    assert again["effects-new-approve_term-start"] == ["2031-01-01"]
    assert not Decision.objects.filter(title="Chair").exists()


def test_the_president_must_be_one_of_the_chambers_contacts(union, assembly):
    stranger = make_contact(union.home, name="Someone Else")
    client = union.client("staff", api=False)
    form = _add_page(client)
    for name, value in {
        "meeting": assembly.pk,
        "kind": "rotation",
        "title_en": "Chair",
        "effects-new-approve_term-chamber": "other",
        "effects-new-approve_term-start": "2031-01-01",
        "effects-new-approve_term-end": "2031-12-31",
        "effects-new-approve_term-president": stranger.pk,
    }.items():
        form.set(name, value)
    html = client.post(ADD, form.for_post()).content.decode()
    assert "Effect 1, president: choose one of the chamber&#x27;s contacts" in html


def test_an_effect_of_another_kind_is_refused_by_its_label(union, assembly):
    client = union.client("staff", api=False)
    form = _add_page(client)
    for name, value in {
        "meeting": assembly.pk,
        "kind": "general",
        "title_en": "Statement",
        "effects-new-waive-chamber": "home",
        "effects-new-waive-start": "2031-01-01",
    }.items():
        form.set(name, value)
    html = client.post(ADD, form.for_post()).content.decode()
    assert "Effect 1 (Waive a turn) is not for a decision of this kind." in html


@pytest.mark.parametrize("position", [0, 1, 2])
def test_an_unknown_chamber_in_a_list_is_named_by_its_place(union, position):
    chambers = ["home", "other", "watcher"]
    chambers.insert(position, "nowhere")
    with pytest.raises(effects.DomainError) as refused:
        effects.validate_effects(
            "rotation", [{"type": "set_order", "kind": "agreed", "chambers": chambers}]
        )
    message = refused.value.message
    assert message.startswith(f"Effect 1, chambers, item {position + 1}: ")
    assert "ErrorDetail" not in message and "nowhere" in message


def test_a_decisions_effects_are_shown_to_members_in_words(union, assembly):
    services.decision_create(
        actor=SYSTEM,
        meeting=assembly,
        data={
            "kind": "rotation",
            "title_en": "Chair for 2031",
            "method": "vote",
            "effects": [
                {
                    "type": "approve_term",
                    "chamber": "other",
                    "start": "2031-01-01",
                    "end": "2031-12-31",
                }
            ],
        },
    )
    page = union.client("viewer", api=False).get(f"/meetings/{assembly.pk}/").content.decode()
    assert "Approve a term: Other CCI, 2031-01-01 – 2031-12-31" in page


def test_an_adopted_decisions_effects_are_shown_in_words_in_the_admin(union):
    from tests.scenes import build_assembly

    scene = build_assembly(union, document=False, rotation=False)
    client = union.client("staff", api=False)
    html = client.get(f"/admin/meetings/decision/{scene.decision.pk}/change/").content.decode()
    assert "Make priorities active: Trade facilitation" in html
    assert "activate_priorities" not in html


def test_chambers_are_typed_from_one_list_of_the_page_whatever_the_number(union, assembly):
    """A chamber field is a text field suggesting from the page's one list (a select per field
    and a field per place of the order made the page quadratic: 20 GB at 12,000 chambers); a
    name two chambers share is typed as the slug."""
    from meetings import effect_forms
    from rotation.effects import ORDER_PLACES
    from tests.factories import make_chamber

    twins = [make_chamber(name_en="Chamber of Commerce", slug=f"twin-{n}") for n in range(2)]
    extra = [make_chamber(slug=f"extra-{n}") for n in range(ORDER_PLACES)]
    client = union.client("staff", api=False)
    html = client.get(ADD).content.decode()
    total = 3 + len(twins) + len(extra)
    assert html.count(f'list="{effect_forms.CHAMBER_LIST}"') == 6 + ORDER_PLACES  # not total
    assert html.count("<datalist") == 1 and html.count('<option value="twin-') == 2
    assert f'<option value="{extra[0].slug}">' in html and total > ORDER_PLACES
    form = read_form(html, "decision_form")
    for name, value in {
        "meeting": assembly.pk,
        "kind": "rotation",
        "title_en": "Waivers",
        "effects-new-swap-chamber_a": "Chamber of Commerce",  # two have it
        "effects-new-swap-start_a": "2031-01-01",
        "effects-new-swap-chamber_b": "twin-1",
        "effects-new-swap-start_b": "2032-01-01",
    }.items():
        form.set(name, value)
    response = client.post(ADD, form.for_post())
    assert "Effect 1, first chamber: choose a chamber" in " ".join(
        errors_on(response.content.decode())
    )
    form.set("effects-new-swap-chamber_a", "TWIN-0")
    response = client.post(ADD, form.for_post())
    assert response.status_code == 302, errors_on(response.content.decode())
    assert Decision.objects.get(title="Waivers").effects[0]["chamber_a"] == "twin-0"


def test_a_name_is_matched_as_typed_in_any_case_turkish_dotted_i_too(union, assembly):
    from meetings.effect_forms import ChamberChoiceField, Choices
    from tests.factories import make_chamber

    make_chamber(name_en="İzmir Ticaret Odası", slug="izmir")
    make_chamber(name_en="other", slug="elsewhere")  # a name that is another chamber's slug
    field = ChamberChoiceField()
    choices = Choices()
    field.offer(choices)
    assert field.clean("izmir ticaret odası") == "izmir"
    assert field.clean("İZMİR Ticaret Odası") == "izmir"  # the dotted capital: i
    assert field.clean("other") == "other"  # the slug wins: the name is typed as its slug
    assert field.prepare_value("elsewhere") == "elsewhere"  # not shown by the clashing name


def test_a_long_stored_order_keeps_spare_places(union):
    from meetings.effect_forms import Choices
    from rotation.effects import ORDER_PLACES, ORDER_SPARE, SetOrderForm
    from tests.factories import make_chamber

    slugs = [make_chamber(slug=f"o-{n}").slug for n in range(ORDER_PLACES + ORDER_SPARE + 5)]
    stored = {"type": "set_order", "kind": "agreed", "chambers": slugs[: ORDER_PLACES + 1]}
    form = SetOrderForm(initial=SetOrderForm.initial_from(stored), choices=Choices())
    places = [name for name in form.fields if name.startswith("place_")]
    assert len(places) == ORDER_PLACES + 1 + ORDER_SPARE


def test_above_the_listed_contacts_the_president_is_a_number(union, assembly, monkeypatch):
    from meetings import effect_forms

    monkeypatch.setattr(effect_forms, "CONTACTS_LISTED", 0)
    president = make_contact(union.other, name="Named By Number")
    client = union.client("staff", api=False)
    form = _add_page(client)
    fields = {
        "meeting": assembly.pk,
        "kind": "rotation",
        "title_en": "Chair by number",
        "method": "vote",
        "effects-new-approve_term-chamber": "other",
        "effects-new-approve_term-start": "2031-01-01",
        "effects-new-approve_term-end": "2031-12-31",
        "effects-new-approve_term-president": "²",
    }
    for name, value in fields.items():
        form.set(name, value)
    response = client.post(ADD, form.for_post())
    assert response.status_code == 200 and "Effect 1, president" in " ".join(
        errors_on(response.content.decode())
    )
    form.set("effects-new-approve_term-president", str(president.pk))
    response = client.post(ADD, form.for_post())
    assert response.status_code == 302, errors_on(response.content.decode())
    effect = Decision.objects.get(title="Chair by number").effects[0]
    assert effect["president"] == president.pk
