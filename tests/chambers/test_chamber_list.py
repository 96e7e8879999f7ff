"""``/chambers/``: every chamber of the union by its status today, public like the dashboard,
with links to each chamber's page and the chambers' files."""

from __future__ import annotations

import datetime as dt
import re

from django.utils import translation

from chambers import services
from chambers.models import Chamber, MembershipStatus
from tests.factories import SYSTEM, make_chamber
from tests.scenes import Union


def _groups(html: str) -> dict[str, list[str]]:
    """Heading id -> the short names in the table under it."""
    groups = {}
    for key, table in re.findall(r'<h2 id="(\w+)">.*?</h2>\s*(<table.*?</table>)', html, re.S):
        groups[key] = re.findall(r'<span class="muted">\((.*?)\)</span>', table)
    return groups


def test_every_chamber_by_its_status_today(union: Union, client):
    make_chamber(slug="sus", short_name="Sus CCI", country="UZ", status=MembershipStatus.SUSPENDED)
    gone = make_chamber(slug="gone", short_name="Gone CCI", country="AZ")
    services.membership_change_status(
        actor=SYSTEM, chamber=gone, status="former", effective=dt.date(2024, 1, 1)
    )
    make_chamber(slug="later", short_name="Later CCI", country="DE", since=dt.date(2099, 1, 1))
    response = client.get("/chambers/")
    assert response.status_code == 200
    html = response.content.decode()
    assert _groups(html) == {
        "members": ["Home CCI", "Other CCI"],  # by the country's name: Kazakhstan, Türkiye
        "observers": ["Watcher CCI"],
        "suspended": ["Sus CCI"],
        "former": ["Gone CCI", "Later CCI"],  # not (or not yet) a member today
    }
    assert 'href="/chambers/home/"' in html and 'href="/chambers/gone/"' in html
    assert "2 member chambers today" in html


def test_empty_groups_are_left_out_but_members_and_observers_are_always_shown(db, client):
    make_chamber(slug="solo", short_name="Solo CCI", country="KZ")
    html = client.get("/chambers/").content.decode()
    assert list(_groups(html)) == ["members", "observers"]
    assert "1 member chamber today" in html


def test_the_dashboard_links_to_the_list(union: Union, client):
    assert 'href="/chambers/"' in client.get("/").content.decode()


def _short_names(html: str) -> list[str]:
    return re.findall(r'<span class="muted">\((?:<span[^>]*>)?(Bulk CCI \d+)', html)


def test_the_list_is_paged_by_status_in_the_readers_order(db, client, settings):
    """130 members in three countries: each page holds 50, the pages together list each once,
    by the country's name (in Kazakh here) and then by name."""
    from django_countries.fields import Country

    from core.collation import sort_key
    from tests.scenes import bulk_chambers

    bulk_chambers(130)
    first = client.get("/").content.decode()
    assert len(_short_names(first)) == 50
    assert 'href="/chambers/?status=member"' in first  # the way to the rest
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "kk"
    pages = [client.get(f"/chambers/?status=member&page={n}") for n in (1, 2, 3)]
    assert all(page.status_code == 200 for page in pages)
    listed = [name for page in pages for name in _short_names(page.content.decode())]
    assert len(listed) == 130 and len(set(listed)) == 130
    chambers = {c.short_name: c for c in Chamber.objects.all()}
    with translation.override("kk"):
        keys = [
            (sort_key(Country(code=chambers[n].country).name), sort_key(chambers[n].name))
            for n in listed
        ]
    assert keys == sorted(keys)
    assert 'rel="next"' in pages[1].content.decode() and 'rel="prev"' in pages[1].content.decode()
    # Past the end is the last page, not an error.
    assert _short_names(client.get("/chambers/?status=member&page=99").content.decode()) == (
        _short_names(pages[2].content.decode())
    )


def test_search_finds_a_name_in_any_language(db, client):
    make_chamber(slug="atameken", short_name="Atameken", country="KZ", name_kk="Атамекен палатасы")
    make_chamber(slug="tobb", short_name="TOBB", country="TR")
    html = client.get("/chambers/?q=атамекен").content.decode()
    assert "Atameken" in html and "TOBB" not in html
    assert "2 member chambers today" in html  # the union's figure, not the search's


def test_an_unknown_status_is_a_400_naming_the_field(db, client):
    response = client.get("/chambers/?status=emperor")
    assert response.status_code == 400
    assert 'id="id_status"' in response.content.decode()
    assert "Select a valid choice" in response.content.decode()
