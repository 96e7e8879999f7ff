"""``python manage.py restore PATH --yes``: replace the database and the uploaded files with
a backup's (made by ``manage.py backup``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from core.backup import BackupError, restore


class Command(BaseCommand):
    help = "Restore a backup: every row and uploaded file is replaced by the archive's."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="The archive written by manage.py backup.")
        parser.add_argument(
            "--yes", action="store_true", help="Confirm: the current data is replaced."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["yes"]:
            raise CommandError("Restoring replaces all current data: run again with --yes.")
        source = Path(options["path"])
        if not source.is_file():
            raise CommandError(f"{source}: no such file.")
        try:
            manifest = restore(source)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Restored {source} (taken {manifest['created_at']}): {manifest['media']} media "
            f"files, {manifest['documents']} documents."
        )
