"""Portal pages of the rotation against the demo union (FACTS.md), seen from mid-2026: the
dashboard's troika, the timeline with the forecast and the order, and a term's page."""

from __future__ import annotations

import datetime as dt
import html
import re
from dataclasses import dataclass

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client

from chambers.models import Chamber
from meetings.models import Decision, Meeting
from rotation import services
from rotation.models import Rotation, Term, TermState
from tests.factories import SYSTEM
from tests.query_counts import Pin, assert_expected_query_count

TODAY = dt.date(2026, 6, 1)


@pytest.fixture
def demo(db, monkeypatch):
    """The demo, seen from mid-2026 (Kazakhstan chairing) whatever the real date."""
    from django.utils import timezone

    call_command("load_demo", "--logins")
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: TODAY)


def member() -> Client:
    client = Client()
    client.force_login(get_user_model().objects.get(username="tobb"))
    return client


@dataclass(frozen=True)
class Element:
    """The element of a page with a given id: its classes and its text, tags taken out."""

    classes: set[str]
    markup: str

    @property
    def text(self) -> str:
        return " ".join(html.unescape(re.sub(r"<[^>]+>", "", self.markup)).split())


def element(body: str, element_id: str) -> Element:
    match = re.search(
        rf'<(\w+)(?: class="([^"]*)")? id="{re.escape(element_id)}"[^>]*>(.*?)</\1>', body, re.S
    )
    assert match, f"no element #{element_id}"
    return Element(set((match.group(2) or "").split()), match.group(3))


def get(path: str, client: Client | None = None) -> str:
    response = (client or Client()).get(path)
    assert response.status_code == 200, response.content[:300]
    return response.content.decode()


def kz_term() -> Term:
    return Term.objects.get(chamber__slug="atameken", start=dt.date(2026, 1, 1))


# The dashboard -------------------------------------------------------------------------------


def test_dashboard_shows_the_chair_its_president_and_the_troika(demo):
    body = get("/")
    troika = element(body, "chairmanship")
    assert "Atameken (Kazakhstan) chairs the union." in troika.text
    assert "Raimbek Batalov, Chairman of the Presidium" in troika.text
    previous, current, upcoming = (
        element(body, f"troika-{r}") for r in ("previous", "current", "next")
    )
    assert previous.text == "Previous ACCI Azerbaijan 2025"
    assert current.text == "Current Atameken Kazakhstan 2026"
    assert upcoming.text == "Next CCI KR Kyrgyzstan 2027 forecast"
    assert "troika-unapproved" in upcoming.classes and "troika-unapproved" not in current.classes


def test_dashboard_without_a_rotation_says_so(union):
    body = get("/")
    assert "No chamber chairs the union now." in element(body, "chairmanship").text
    assert element(body, "troika-previous").text == "Previous —"


def test_navigation_links_the_rotation_for_everyone(demo):
    assert 'href="/rotation/"' in get("/decisions/")


# The rotation page ---------------------------------------------------------------------------


def test_timeline_shows_past_current_and_forecast(demo):
    body = get("/rotation/", member())
    past = element(body, "timeline-2025-01-01")
    assert "timeline-past" in past.classes
    assert past.text == "2025 ACCI Azerbaijan Past"
    current = element(body, "timeline-2026-01-01")
    assert "timeline-current" in current.classes
    assert current.text == "2026 Atameken Kazakhstan Current"
    assert f'href="/rotation/terms/{kz_term().pk}/"' in current.markup
    upcoming = element(body, "timeline-2027-01-01")
    assert "timeline-forecast" in upcoming.classes
    assert upcoming.text == "2027 CCI KR Kyrgyzstan Forecast"
    # Ten years ahead: 2026 to 2035, and nothing further.
    assert "timeline-2035-01-01" in body and "timeline-2036-01-01" not in body


def test_forecast_explains_the_hungarian_observer_skip(demo):
    body = get("/rotation/", member())
    row = element(body, "forecast-2032-01-01")
    assert "Atameken" in row.text and "Forecast" in row.text
    assert "MKIK (Hungary) is passed over: observer." in row.text
    assert "passed over" not in element(body, "forecast-2027-01-01").text
    current = element(body, "forecast-2026-01-01")
    assert "Approved" in current.text and "Raimbek Batalov" in current.text


def test_a_passed_over_chambers_name_is_escaped_once(demo):
    from chambers.models import Chamber

    Chamber.objects.filter(short_name="MKIK").update(short_name="M&K <i>")
    row = element(get("/rotation/", member()), "forecast-2032-01-01")
    assert "M&amp;K &lt;i&gt; (Hungary) is passed over: observer." in row.markup
    assert "&amp;amp;" not in row.markup


def test_order_with_its_kind(demo):
    body = get("/rotation/", member())
    assert '<strong class="order-kind">Alphabetical by English country name</strong>' in body
    positions = [
        body.index(f'id="order-{slug}"') for slug in ("azerbaijan-cci", "mkik", "atameken")
    ]
    assert positions == sorted(positions)
    hungary = element(body, "order-mkik").text
    assert hungary.startswith("2 ") and hungary.endswith(" Hungary")


def test_a_waived_turn_and_a_proposed_swap_are_drawn_and_explained(demo):
    kyrgyzstan = Chamber.objects.get(slug="kyrgyzstan-cci")
    services.term_waive(actor=SYSTEM, chamber=kyrgyzstan, start=dt.date(2027, 1, 1))
    turkmenistan, uzbekistan = (
        Chamber.objects.get(slug=s) for s in ("turkmenistan-cci", "uzbekistan-cci")
    )
    services.turns_swap(
        actor=SYSTEM,
        chamber_a=turkmenistan,
        chamber_b=uzbekistan,
        start_a=dt.date(2028, 1, 1),
        start_b=dt.date(2029, 1, 1),
    )
    body = get("/rotation/", member())
    waived = element(body, "forecast-2027-01-01")
    assert "TOBB" in waived.text
    assert "CCI KR (Kyrgyzstan) is passed over: waived its turn." in waived.text
    # TOBB took 2027, so Turkmenistan's turn was 2028 and Uzbekistan's 2029: now swapped.
    swapped = element(body, "timeline-2028-01-01")
    assert "timeline-proposed" in swapped.classes and "CCI Uzbekistan" in swapped.text
    proposed = Term.objects.get(state=TermState.PROPOSED, start=dt.date(2028, 1, 1))
    assert f'href="/rotation/terms/{proposed.pk}/"' in swapped.markup


# A term's page -------------------------------------------------------------------------------


def test_term_page_shows_president_decision_and_handover(demo):
    term = kz_term()
    body = get(f"/rotation/terms/{term.pk}/")
    president = re.search(r'<dd class="president">(.*?)</dd>', body, re.S).group(1)
    assert "Raimbek Batalov" in president and "Chairman of the Presidium" in president
    decision = re.search(r'<dd class="decision">(.*?)</dd>', body, re.S).group(1)
    assert term.decision.reference in html.unescape(decision)
    assert f"/decisions/?kind=rotation#decision-{term.decision_id}" in decision
    handover = re.search(r'<dd class="handover">(.*?)</dd>', body, re.S).group(1)
    assert "2026-01-08" in handover and "III General Assembly" in handover
    assert "/meetings/" not in handover  # the public may not open the meeting
    assert "Approved" in body and "Current" in body


def test_members_get_links_to_the_meeting(demo):
    term = kz_term()
    body = get(f"/rotation/terms/{term.pk}/", member())
    meeting = Meeting.objects.get(kind="ga_ordinary", session_number=3)
    handover = re.search(r'<dd class="handover">(.*?)</dd>', body, re.S).group(1)
    assert f'href="/meetings/{meeting.pk}/"' in handover
    decision = re.search(r'<dd class="decision">(.*?)</dd>', body, re.S).group(1)
    assert f'href="/meetings/{meeting.pk}/#decision-{term.decision.number}"' in decision


def test_an_unpublished_decision_is_named_to_members_only(demo):
    term = kz_term()
    Decision.objects.filter(pk=term.decision_id).update(published=False)
    reference = term.decision.reference
    public = html.unescape(get(f"/rotation/terms/{term.pk}/"))
    assert reference not in public and "Not published yet" in public
    assert reference in html.unescape(get(f"/rotation/terms/{term.pk}/", member()))


def test_term_without_decision_or_handover(demo):
    term = Term.objects.get(chamber__slug="azerbaijan-cci")
    body = get(f"/rotation/terms/{term.pk}/")
    assert "None recorded" in body and "Not recorded yet" in body and "Past" in body


def test_unknown_term_is_404(demo):
    assert Client().get("/rotation/terms/999999/").status_code == 404


@pytest.mark.parametrize("path", ["/rotation/", "/rotation/terms/1/", "/rotation.ics"])
def test_pages_are_read_only(demo, path):
    assert Client().post(path).status_code == 405


# Query counts --------------------------------------------------------------------------------


def add_history(terms: int) -> None:
    """``terms`` more approved terms, one a year before the demo's 2025 (volume, not behaviour:
    ``bulk_create`` skips the services)."""
    chambers = list(Chamber.objects.order_by("pk"))
    rotation = Rotation.current()
    Term.objects.bulk_create(
        Term(
            rotation=rotation,
            chamber=chambers[i % len(chambers)],
            in_place_of=chambers[i % len(chambers)],
            start=dt.date(2024 - i, 1, 1),
            end=dt.date(2024 - i, 12, 31),
            state=TermState.APPROVED,
        )
        for i in range(terms)
    )


# The pins of tests/query_counts.py measured on the demo: the paths they are requested at.
CASES = {
    Pin("portal:dashboard", "anonymous", "demo"): "/",
    Pin("portal:dashboard", "member", "demo"): "/",
    Pin("rotation:rotation", "anonymous", "demo"): "/rotation/",
    Pin("rotation:rotation", "member", "demo"): "/rotation/",
    Pin("rotation:term", "anonymous", "demo"): "/rotation/terms/{term}/",
    Pin("rotation:term", "member", "demo"): "/rotation/terms/{term}/",
    Pin("rotation:rotation-ics", "anonymous", "demo"): "/rotation.ics",
}
SIZES = [pytest.param(0, id="few-terms"), pytest.param(100, id="many-terms")]


@pytest.mark.parametrize("history", SIZES)
@pytest.mark.parametrize("pin", list(CASES), ids=str)
def test_query_count_does_not_grow_with_terms(
    demo, django_assert_num_queries, pin: Pin, history: int
) -> None:
    add_history(history)
    client = member() if pin.caller == "member" else Client()
    url = CASES[pin].format(term=kz_term().pk)
    with assert_expected_query_count(django_assert_num_queries, pin, url, size=history):
        response = client.get(url)
    assert response.status_code == 200


def test_the_public_sees_approved_terms_but_not_the_forecast_or_order(demo):
    body = get("/rotation/")
    assert 'id="timeline-2026-01-01"' in body  # Kazakhstan, approved
    assert 'id="timeline-2027-01-01"' not in body  # only forecast
    assert 'id="forecast-2027-01-01"' not in body
    assert "order-kind" not in body
