"""The secretariat's admin site: Django's, with the index grouped for the people who use it.

The union's business registers (chambers, meetings and decisions, the rotation) come first, then
the technical ones (reminders, webhooks, calendar subscriptions, imports, API tokens, logins and
their lockouts). ``config.apps.SecretariatAdminConfig`` makes this the default site, so
``admin.site`` and ``@admin.register`` everywhere register here.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

#: The business registers, in this order, before everything else.
BUSINESS_APPS = ("chambers", "meetings", "rotation")
#: The technical sections, in this order, after them; an app not named here comes last.
TECHNICAL_APPS = (
    "reminders",
    "webhooks",
    "calendars",
    "exchange",
    "api_tokens",
    "auth",
    "passkeys",
    "otp_totp",
    "otp_static",
    "axes",
)
#: Models of a business app that are technical: shown in a section of their own on the index.
TECHNICAL_MODELS = {
    ("chambers", "ApiToken"): ("api_tokens", _("API access")),
    ("chambers", "Passkey"): ("passkeys", _("Passkeys")),
}


class SecretariatAdminSite(admin.AdminSite):
    def get_app_list(self, request: HttpRequest, app_label: str | None = None) -> list[Any]:
        apps = super().get_app_list(request, app_label)
        if app_label is not None:  # one app's own index: all of its models, as Django lists them
            return apps
        sections: list[dict[str, Any]] = []
        for app in apps:
            moved: dict[str, dict[str, Any]] = {}
            kept = []
            for model in app["models"]:
                section = TECHNICAL_MODELS.get((app["app_label"], model["object_name"]))
                if section is None:
                    kept.append(model)
                    continue
                key, name = section
                moved.setdefault(key, {**app, "name": name, "models": []})["models"].append(model)
            if kept:
                sections.append({**app, "models": kept})
            sections.extend({**section, "section": key} for key, section in moved.items())
        return sorted(sections, key=_place)


def _place(section: dict[str, Any]) -> tuple[int, int, str]:
    key = section.get("section", section["app_label"])
    if key in BUSINESS_APPS:
        return (0, BUSINESS_APPS.index(key), "")
    if key in TECHNICAL_APPS:
        return (1, TECHNICAL_APPS.index(key), "")
    return (2, 0, str(section["name"]).lower())
