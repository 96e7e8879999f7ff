"""``/chambers/``: every chamber of the union by its status today, public like the dashboard,
with links to each chamber's page and the chambers' files."""

from __future__ import annotations

import datetime as dt
import re

from chambers import services
from chambers.models import MembershipStatus
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
