"""``python manage.py backup [PATH]``: the database and the uploaded files in one archive."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from core.backup import backup


class Command(BaseCommand):
    help = "Back up the database (one consistent snapshot) and the uploaded files."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "path",
            nargs="?",
            help="The archive to write (default: var/backups/union-<time>.tar.gz).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        stamp = timezone.now().strftime("%Y%m%dT%H%M%SZ")
        default = Path(settings.BASE_DIR) / "var" / "backups" / f"union-{stamp}.tar.gz"
        target = Path(options["path"] or default)
        manifest = backup(target)
        self.stdout.write(
            f"{target}: database ({manifest['database']}, {len(manifest['migrations'])} "
            f"migrations), {manifest['media']} media files, {manifest['documents']} documents."
        )
