"""Store every chamber's status today from its membership periods (what beat does each night),
e.g. after loading periods straight into the database or restoring a backup."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from chambers import services


class Command(BaseCommand):
    help = "Store every chamber's status today from its membership periods (beat does it hourly)."

    def handle(self, *args: Any, **options: Any) -> None:
        changed = services.current_statuses_refresh()
        if options["verbosity"]:
            self.stdout.write(f"{changed} chamber(s) changed status.")
