"""Load the demo union idempotently: running it again changes nothing that is already right.

It lives in the indicators app, the highest of the domain apps, because it loads them all:
chambers, meetings, the rotation and the trade indicators."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

from chambers import demo, services
from chambers.models import Chamber, Contact
from core.access import Access
from core.demo_texts import TEXTS
from core.translated import codes, column, in_languages, texts_by_language
from indicators import demo as indicators_demo
from meetings import demo as meetings_demo
from rotation import demo as rotation_demo

SYSTEM = Access(user=None, label="load_demo", is_staff=True, reads_all=True, can_write=True)


def _in_languages(spec: dict[str, Any]) -> dict[str, Any]:
    """A demo chamber's profile with its short name and city in every language the demo has."""
    short_name, city = spec.pop("short_name"), spec.pop("city")
    working = {column("name", code) for code in codes()}
    return {
        **{k: v for k, v in spec.items() if not k.startswith("name_") or k in working},
        **in_languages("short_name", short_name, TEXTS),
        **in_languages("city", city, TEXTS),
    }


def _working(language: str | None) -> str:
    """A demo person's language, if the union works in it; else the union's default."""
    return language if language in codes() else settings.LANGUAGE_CODE


class Command(BaseCommand):
    help = "Load the demo union of chambers (and, with --logins, demo logins for local use)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--logins",
            action="store_true",
            help=f"Also create demo logins with password {demo.DEMO_PASSWORD} (local use only).",
        )

    @transaction.atomic
    def handle(self, *args: Any, logins: bool = False, **options: Any) -> None:
        for spec in demo.CHAMBERS:
            self._chamber(dict(spec))
        for spec in demo.CONTACTS:
            self._contact(dict(spec))
        rotation_demo.load_before_meetings(SYSTEM)
        meetings_demo.load(SYSTEM)
        rotation_demo.load_after_meetings(SYSTEM)
        indicators_demo.load(SYSTEM)
        if logins:
            for spec in demo.LOGINS:
                self._login(spec)
        self.stdout.write(
            self.style.SUCCESS(f"Demo union loaded: {Chamber.objects.count()} chambers.")
        )

    def _chamber(self, spec: dict[str, Any]) -> None:
        status = spec.pop("status")
        chamber = Chamber.objects.filter(slug=spec["slug"]).first()
        if chamber is None:
            services.chamber_create(
                actor=SYSTEM,
                status=status,
                since=demo.UNION_FOUNDED,
                basis=texts_by_language("Founding of the union", TEXTS),
                **_in_languages(spec),
            )
            return
        # An existing chamber keeps its profile: edits made in the demo survive `make run`.
        if not chamber.periods.exists():
            services.membership_change_status(
                actor=SYSTEM, chamber=chamber, status=status, effective=demo.UNION_FOUNDED
            )

    def _contact(self, spec: dict[str, Any]) -> None:
        chamber = Chamber.objects.get(slug=spec.pop("chamber"))
        contact = Contact.objects.filter(chamber=chamber, name=spec["name"]).first()
        if contact is None:
            position = spec.pop("position", "")
            data = {**spec, **in_languages("position", position, TEXTS)}
            data["preferred_language"] = _working(data.get("preferred_language"))
            services.contact_create(actor=SYSTEM, chamber=chamber, data=data)

    def _login(self, spec: dict) -> None:
        user, _created = get_user_model().objects.get_or_create(username=spec["username"])
        user.is_staff = user.is_superuser = bool(spec.get("staff"))
        user.email = spec.get("email", "")
        user.set_password(demo.DEMO_PASSWORD)
        user.save()
        services.profile_set_language(user=user, language=_working(spec["language"]))
        if "chamber" in spec:
            services.member_login_set(
                actor=SYSTEM,
                user=user,
                chamber=Chamber.objects.get(slug=spec["chamber"]),
                role=spec["role"],
            )
        self.stdout.write(f"  login {user.username} / {demo.DEMO_PASSWORD}")
