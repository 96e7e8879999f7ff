"""A consistent backup of the whole union, and its restore (``manage.py backup`` and
``restore``): the database as Django's JSON fixture, read in one transaction (a snapshot: on
PostgreSQL ``REPEATABLE READ``), and the uploaded files (``MEDIA_ROOT``: logos;
``DOCUMENTS_ROOT``: meeting documents), in one ``.tar.gz`` with a manifest of the migrations
it was taken at. Portable between PostgreSQL and SQLite; a restore replaces everything."""

from __future__ import annotations

import datetime as dt
import io
import json
import shutil
import tarfile
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.db import connection, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from . import audit

#: Rebuilt by ``migrate`` from the code, never restored (sessions are not worth keeping; export
#: files are a day's downloads, their files not in the archive).
EXCLUDED = ["contenttypes", "auth.permission", "sessions", "admin.logentry", "exchange.exportfile"]
FORMAT = 1
#: What an app stores that its rows imply, renewed after a restore (``loaddata`` writes rows
#: as they are, without ``save``, and an archive older than a stored column has none):
#: registered by the apps (:func:`after_restore`), run in the restore's transaction.
RENEW: list[Callable[[], None]] = []


def after_restore(renew: Callable[[], None]) -> Callable[[], None]:
    RENEW.append(renew)
    return renew


class BackupError(Exception):
    """The archive cannot be restored here (its message says why)."""


def _applied() -> list[list[str]]:
    return sorted(
        [app, name] for app, name in MigrationRecorder.Migration.objects.values_list("app", "name")
    )


def _add_folder(archive: tarfile.TarFile, folder: Path, name: str) -> int:
    count = 0
    if folder.is_dir():
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                archive.add(path, arcname=f"{name}/{path.relative_to(folder).as_posix()}")
                count += 1
    return count


def backup(target: Path) -> dict[str, Any]:
    """Write the archive to ``target``; returns its manifest."""
    data = io.StringIO()
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:  # one snapshot for every table
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        call_command(
            "dumpdata",
            natural_foreign=True,
            exclude=EXCLUDED,
            stdout=data,
            verbosity=0,
        )
        migrations = _applied()
    manifest: dict[str, Any] = {
        "format": FORMAT,
        "created_at": timezone.now().isoformat(),
        "database": connection.vendor,
        "migrations": migrations,
    }
    target.parent.mkdir(parents=True, exist_ok=True)
    with tarfile.open(target, "w:gz") as archive:
        for name, payload in (
            ("manifest.json", json.dumps(manifest, indent=1).encode()),
            ("database.json", data.getvalue().encode()),
        ):
            info = tarfile.TarInfo(name)
            info.size = len(payload)
            info.mtime = int(dt.datetime.now().timestamp())
            archive.addfile(info, io.BytesIO(payload))
        manifest["media"] = _add_folder(archive, Path(settings.MEDIA_ROOT), "media")
        manifest["documents"] = _add_folder(archive, Path(settings.DOCUMENTS_ROOT), "documents")
    return manifest


def _replace_folder(archive: tarfile.TarFile, name: str, folder: Path, work: Path) -> int:
    members = [m for m in archive.getmembers() if m.name.startswith(f"{name}/") and m.isfile()]
    archive.extractall(work, members=members, filter="data")  # no paths outside ``work``
    if folder.exists():
        shutil.rmtree(folder)
    source = work / name
    if source.exists():
        shutil.copytree(source, folder)
    else:
        folder.mkdir(parents=True, exist_ok=True)
    return len(members)


def restore(source: Path) -> dict[str, Any]:
    """Replace the database's rows and the uploaded files with the archive's. The schema is
    brought up to date first (``migrate``); an archive taken at migrations this code does not
    have is refused before anything changes."""
    with tarfile.open(source, "r:gz") as archive:
        try:
            manifest: dict[str, Any] = json.loads(
                archive.extractfile("manifest.json").read()  # type: ignore[union-attr]
            )
            payload = archive.extractfile("database.json").read()  # type: ignore[union-attr]
        except (KeyError, AttributeError, json.JSONDecodeError) as exc:
            raise BackupError(f"{source} is not a backup of this system.") from exc
        if manifest.get("format") != FORMAT:
            raise BackupError(f"Unknown backup format {manifest.get('format')!r}.")
        call_command("migrate", verbosity=0, interactive=False)
        unknown = {tuple(m) for m in manifest["migrations"]} - {tuple(m) for m in _applied()}
        if unknown:
            names = ", ".join(f"{app}.{name}" for app, name in sorted(unknown)[:5])
            raise BackupError(f"The backup was taken with migrations this code lacks: {names}.")
        with tempfile.TemporaryDirectory() as work:
            fixture = Path(work) / "database.json"
            fixture.write_bytes(payload)
            with transaction.atomic(), audit.restoring():
                call_command("flush", interactive=False, verbosity=0)
                call_command("loaddata", str(fixture), verbosity=0)
                for renew in RENEW:
                    renew()
            manifest["media"] = _replace_folder(
                archive, "media", Path(settings.MEDIA_ROOT), Path(work)
            )
            manifest["documents"] = _replace_folder(
                archive, "documents", Path(settings.DOCUMENTS_ROOT), Path(work)
            )
    return manifest
