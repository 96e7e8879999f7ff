"""The services of exports built in the background (:class:`exchange.models.ExportFile`).

A request above ``EXPORT_INLINE_ROWS`` rows records the file and publishes its task after the
transaction commits (:mod:`core.outbox`); a worker claims it, reads the rows its requester
may see at that moment (the same :class:`exchange.tables.Dataset` as every export) and writes
the file to ``EXPORTS_ROOT`` under a temporary name, moved into place when complete. The
periodic tidy publishes again a file whose message was lost (or whose worker died) and deletes
files past ``EXPORT_KEEP_HOURS``. Only the requester (the same person or the same token) reads
the file's state or downloads it: anyone else is answered as if it did not exist. A public
dataset asked for without a login is a public file, shared by the anonymous requesters of the
next few minutes (one build, not one per click).
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import uuid
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone, translation

from chambers.access import access_for_token, token_for_access
from chambers.models import ApiToken
from core import outbox
from core.access import Access, access_for_user

from . import documents, formats, tables
from .models import ExportFile, ExportStatus

logger = logging.getLogger(__name__)

#: A claim older than this is a worker that died mid-build: the tidy publishes the file again,
#: up to MAX_ATTEMPTS builds in all; then it is marked failed (a file too large for a worker).
CLAIM_TIMEOUT = dt.timedelta(minutes=30)
MAX_ATTEMPTS = 3
#: A pending file whose message went out this long ago and was not claimed is published again.
REQUEUE_AFTER = dt.timedelta(minutes=5)
#: A public file asked for within this long is given to the next anonymous requester too.
PUBLIC_REUSE = dt.timedelta(minutes=10)


Source = tables.Dataset | documents.Document


def source_of(export: ExportFile) -> Source:
    """What the file is built from: an export's dataset, or a document."""
    return tables.DATASETS.get(export.dataset) or documents.DOCUMENTS[export.dataset]


def builds_in_background(dataset: tables.Dataset, access: Access, file_format: str) -> bool:
    """Whether this export is too large to build in the request: XLSX above
    ``EXPORT_INLINE_ROWS`` visible rows (CSV always streams)."""
    if file_format != formats.XLSX:
        return False
    limit = settings.EXPORT_INLINE_ROWS
    return dataset.visible(access).values("pk")[: limit + 1].count() > limit


@transaction.atomic
def export_file_request(
    *,
    dataset: Source,
    file_format: str,
    user: Any = None,
    token: ApiToken | None = None,
    params: Mapping[str, Any] | None = None,
    filename: str = "",
) -> ExportFile:
    """Record an export (or a document with its ``params`` and ``filename``) for its requester
    (a session user, or a token) and publish its build once the transaction commits. Without
    either, the public rows of a public dataset: the file asked for in the last minutes by
    another anonymous requester, if there is one. A document already being built for the
    same requester with the same params is that one (a second click waits for the first)."""
    public = token is None and not getattr(user, "is_authenticated", False)
    requester: dict[str, Any] = (
        {"token": token} if token is not None else {"user": user, "token": None}
    )
    if isinstance(dataset, documents.Document):
        if public:
            raise ValueError("a document needs a signed-in requester or a token")
        building = ExportFile.objects.filter(
            dataset=dataset.name,
            params=dict(params or {}),
            status=ExportStatus.PENDING,
            **requester,
        ).first()
        if building is not None:
            return building
    if public:
        if dataset.members_only:
            raise ValueError("a members-only export needs a signed-in requester or a token")
        recent = (
            ExportFile.objects.filter(
                public=True,
                dataset=dataset.name,
                file_format=file_format,
                status__in=[ExportStatus.PENDING, ExportStatus.READY],
                created_at__gte=timezone.now() - PUBLIC_REUSE,
            )
            .order_by("-created_at")
            .first()
        )
        if recent is not None:
            return recent
    export = ExportFile.objects.create(
        dataset=dataset.name,
        params=dict(params or {}),
        file_format=file_format,
        user=None if token is not None or public else user,
        token=token,
        public=public,
        filename=filename
        if isinstance(dataset, documents.Document)
        else tables.export_filename(dataset, file_format),
    )
    transaction.on_commit(lambda: _publish(export.pk), robust=True)
    return export


def _publish(export_id: Any) -> None:
    from .tasks import build_export_file

    if outbox.enqueue(build_export_file, str(export_id)):
        ExportFile.objects.filter(pk=export_id).update(queued_at=timezone.now())


def _requester_access(export: ExportFile) -> Access | None:
    """What the requester may see now (a token revoked or a person deactivated since: none)."""
    if export.public:
        return access_for_user(AnonymousUser())
    if export.token_id is not None:
        token = token_for_access(export.token_id)  # a chamber that left: a former's token
        return access_for_token(token) if token is not None else None
    if export.user is None or not export.user.is_active:
        return None
    return access_for_user(export.user)


def export_file_build(*, export_id: Any) -> str:
    """Build one file unless it is built or being built; returns its state afterwards.

    The claim is committed before the rows are read, so a second message for the same file
    finds it claimed and does nothing; a claim is retaken only once stale (its worker died),
    at most ``MAX_ATTEMPTS`` times. The file is written under a name of its own build and
    moved into place, and the build finishes only while its claim is the file's, so a stale
    build still running cannot overwrite the state of the one that took over.
    """
    now = timezone.now()
    claimed = (
        ExportFile.objects.filter(pk=export_id, status=ExportStatus.PENDING)
        .filter(Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - CLAIM_TIMEOUT))
        .update(claimed_at=now, attempts=F("attempts") + 1)
    )
    if not claimed:
        state = ExportFile.objects.filter(pk=export_id).values_list("status", flat=True).first()
        return state or "missing"
    export = ExportFile.objects.select_related("user").get(pk=export_id)
    access = _requester_access(export)
    source = source_of(export)
    if access is None or (source.members_only and not access.is_member):
        return _finish(export, now, status=ExportStatus.FAILED, error="The requester lost access.")
    settings.EXPORTS_ROOT.mkdir(parents=True, exist_ok=True)
    partial = export.path.with_name(f"{export.pk}.{uuid.uuid4().hex}.partial")
    rows: int | None = None
    try:
        if isinstance(source, documents.Document):
            partial.write_bytes(source.build(access, export.params))
        else:
            with translation.override(settings.LANGUAGE_CODE):
                rows = formats.save_xlsx(
                    partial,
                    source.header,
                    source.rows(source.visible(access).iterator(chunk_size=2000)),
                    title=str(source.title),
                )
        os.replace(partial, export.path)
    except Exception as exc:
        partial.unlink(missing_ok=True)
        logger.exception("Export file %s could not be built", export_id)
        error = f"{type(exc).__name__}: {exc}"
        return _finish(export, now, status=ExportStatus.FAILED, error=error)
    size = export.path.stat().st_size
    return _finish(export, now, status=ExportStatus.READY, rows=rows, size=size)


def _finish(export: ExportFile, claimed_at: dt.datetime, *, status: str, **fields: Any) -> str:
    """Record the build's end, if the claim is still this build's."""
    done = ExportFile.objects.filter(pk=export.pk, claimed_at=claimed_at).update(
        status=status, finished_at=timezone.now(), **fields
    )
    if not done:
        return (
            ExportFile.objects.filter(pk=export.pk).values_list("status", flat=True).first()
            or "missing"
        )
    return status


def export_file_of(
    pk: str, *, access: Access, user: Any = None, token: ApiToken | None = None
) -> ExportFile | None:
    """The file ``pk`` if this requester may see it now (any text: a malformed id is none).
    A members-only file is refused to a requester who is no longer a member (a login taken
    away, a chamber that left): what it may read is checked again, not only who asked."""
    try:
        key = uuid.UUID(pk)
    except ValueError:
        return None
    export = export_files_of(user=user, token=token).filter(pk=key).first()
    if export is None or (source_of(export).members_only and not access.is_member):
        return None
    return export


def export_files_of(*, user: Any = None, token: ApiToken | None = None) -> QuerySet[ExportFile]:
    """The files this requester may see: those it asked for (a token's, or else the person's
    own) and the public ones."""
    if token is not None:
        return ExportFile.objects.filter(Q(token=token) | Q(public=True))
    if not getattr(user, "is_authenticated", False):
        return ExportFile.objects.filter(public=True)
    return ExportFile.objects.filter(Q(user=user, token__isnull=True) | Q(public=True))


def export_files_tidy(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Publish again the files left pending (message lost, worker died; failed after
    ``MAX_ATTEMPTS`` builds), and delete the files older than ``EXPORT_KEEP_HOURS``: their
    rows, and any file in ``EXPORTS_ROOT`` that old or without a row (its requester deleted,
    a restore)."""
    now = now or timezone.now()
    stale = now - CLAIM_TIMEOUT
    given_up = ExportFile.objects.filter(
        status=ExportStatus.PENDING, claimed_at__lt=stale, attempts__gte=MAX_ATTEMPTS
    ).update(status=ExportStatus.FAILED, finished_at=now, error="Every build stopped midway.")
    pending = ExportFile.objects.filter(status=ExportStatus.PENDING).filter(
        Q(claimed_at__isnull=True, queued_at__isnull=True)
        | Q(claimed_at__isnull=True, queued_at__lt=now - REQUEUE_AFTER)
        | Q(claimed_at__lt=stale)
    )
    requeued = 0
    for export_id in pending.values_list("pk", flat=True):
        _publish(export_id)
        requeued += 1
    keep = dt.timedelta(hours=settings.EXPORT_KEEP_HOURS)
    expired = ExportFile.objects.filter(created_at__lt=now - keep)
    deleted = expired.count()
    expired.delete()
    root = settings.EXPORTS_ROOT
    if root.is_dir():
        kept = {str(pk) for pk in ExportFile.objects.values_list("pk", flat=True)}
        for path in root.iterdir():
            old = path.stat().st_mtime < (now - keep).timestamp()
            if path.is_file() and (old or path.name.split(".")[0] not in kept):
                if path.suffix == ".partial" and not old:
                    continue  # a build under way writes its file before its row is ready
                path.unlink(missing_ok=True)
    return {"requeued": requeued, "deleted": deleted, "failed": given_up}
