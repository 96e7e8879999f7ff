"""Uploads kept across a form error.

A browser cannot fill a file input again, so a page that comes back with an error (any field
of a long admin form) would lose the file the person chose. A form stages the upload here and
carries a signed token in a hidden field instead; the next submission takes the file from the
token. Staged files live in ``DOCUMENTS_ROOT/staged`` (never public, like documents), are
named by a random id, and are swept after :data:`KEEP_FOR`.
"""

from __future__ import annotations

import datetime as dt
import os
import time
import uuid
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import UploadedFile

KEEP_FOR = dt.timedelta(days=1)
_SALT = "core.uploads.staged"


def _storage() -> FileSystemStorage:
    return FileSystemStorage(location=Path(settings.DOCUMENTS_ROOT) / "staged", base_url=None)


def _sweep(storage: FileSystemStorage) -> None:
    """Forget staged files older than :data:`KEEP_FOR` (the form was abandoned)."""
    try:
        names = storage.listdir("")[1]
    except FileNotFoundError:
        return
    cutoff = time.time() - KEEP_FOR.total_seconds()
    for name in names:
        path = storage.path(name)
        try:
            if os.path.getmtime(path) < cutoff:
                os.remove(path)
        except FileNotFoundError:
            continue


def stage_upload(upload: UploadedFile) -> str:
    """Keep a copy of ``upload``; returns the token that gives it back."""
    storage = _storage()
    _sweep(storage)
    upload.seek(0)
    name = storage.save(uuid.uuid4().hex, upload)
    upload.seek(0)
    return signing.dumps(
        {"name": name, "original": upload.name, "type": upload.content_type}, salt=_SALT
    )


def _read(token: str) -> dict[str, Any] | None:
    try:
        data = signing.loads(token, salt=_SALT, max_age=KEEP_FOR)
    except signing.BadSignature:
        return None
    return data if isinstance(data, dict) and isinstance(data.get("name"), str) else None


def staged_upload(token: str) -> UploadedFile | None:
    """The upload a token stands for, or None (unknown, forged, expired or swept)."""
    data = _read(token) if token else None
    if data is None:
        return None
    storage = _storage()
    if not storage.exists(data["name"]):
        return None
    path = storage.path(data["name"])
    return UploadedFile(
        file=open(path, "rb"),
        name=data["original"],
        content_type=data["type"],
        size=os.path.getsize(path),
    )


def discard_staged(token: str) -> None:
    """Delete a staged copy once the upload is stored for good."""
    data = _read(token) if token else None
    if data is not None:
        _storage().delete(data["name"])
