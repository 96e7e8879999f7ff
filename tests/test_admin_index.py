"""The admin's index: the union's business registers first, the technical sections after
(``config.admin_site.SecretariatAdminSite``)."""

from __future__ import annotations

import re

from django.contrib import admin

from config.admin_site import SecretariatAdminSite
from tests.scenes import Union

BUSINESS = ["Chambers", "Meetings and decisions", "Rotation of the chairmanship"]
TECHNICAL = [
    "Reminders",
    "Webhooks",
    "Calendar subscriptions",
    "API access",
    "Authentication and Authorization",
]


def test_admin_site_is_the_secretariats() -> None:
    """Every app's ``admin.site.register`` and ``@admin.register`` land on this site."""
    from chambers.models import Chamber
    from meetings.models import Meeting

    assert isinstance(admin.site, SecretariatAdminSite)
    assert admin.site.is_registered(Chamber) and admin.site.is_registered(Meeting)


def test_index_lists_business_registers_before_technical_ones(union: Union) -> None:
    response = union.client("staff", api=False).get("/admin/")
    assert response.status_code == 200
    sections = [str(app["name"]) for app in response.context["app_list"]]
    assert sections[: len(BUSINESS)] == BUSINESS, sections
    assert [name for name in sections if name in TECHNICAL] == TECHNICAL, sections
    assert sections.index(TECHNICAL[0]) == len(BUSINESS), sections  # nothing in between
    # The page shows them in that order too.
    html = response.content.decode()
    captions = re.findall(r'class="section" title="[^"]*">([^<]+)</a>', html)
    assert captions[: len(BUSINESS)] == BUSINESS, captions


def test_api_tokens_and_passkeys_are_technical_sections_of_their_own(union: Union) -> None:
    app_list = union.client("staff", api=False).get("/admin/").context["app_list"]
    by_name = {str(app["name"]): [m["object_name"] for m in app["models"]] for app in app_list}
    assert by_name["Chambers"] == ["Chamber", "Contact", "MembershipPeriod"]
    assert by_name["API access"] == ["ApiToken"]
    assert by_name["Passkeys"] == ["Passkey"]


def test_an_apps_own_index_still_lists_all_its_models(union: Union) -> None:
    response = union.client("staff", api=False).get("/admin/chambers/")
    assert response.status_code == 200
    (app,) = response.context["app_list"]
    assert "ApiToken" in [model["object_name"] for model in app["models"]]
