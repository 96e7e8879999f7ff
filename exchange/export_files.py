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
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone, translation

from chambers.access import access_for_token
from chambers.models import ApiToken
from core import outbox
from core.access import Access, access_for_user

from . import formats, tables
from .models import ExportFile, ExportStatus

logger = logging.getLogger(__name__)

#: A claim older than this is a worker that died mid-build: the tidy publishes the file again.
CLAIM_TIMEOUT = dt.timedelta(minutes=30)
#: A pending file whose message went out this long ago and was not claimed is published again.
REQUEUE_AFTER = dt.timedelta(minutes=5)
#: A public file asked for within this long is given to the next anonymous requester too.
PUBLIC_REUSE = dt.timedelta(minutes=10)


def builds_in_background(dataset: tables.Dataset, access: Access, file_format: str) -> bool:
    """Whether this export is too large to build in the request: XLSX above
    ``EXPORT_INLINE_ROWS`` visible rows (CSV always streams)."""
    if file_format != formats.XLSX:
        return False
    limit = settings.EXPORT_INLINE_ROWS
    return dataset.visible(access).values("pk")[: limit + 1].count() > limit


@transaction.atomic
def export_file_request(
    *, dataset: tables.Dataset, file_format: str, user: Any = None, token: ApiToken | None = None
) -> ExportFile:
    """Record an export for its requester (a session user, or a token) and publish its build
    once the transaction commits. Without either, the public rows of a public dataset: the
    file asked for in the last minutes by another anonymous requester, if there is one."""
    public = token is None and not getattr(user, "is_authenticated", False)
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
        file_format=file_format,
        user=None if token is not None or public else user,
        token=token,
        public=public,
        filename=tables.export_filename(dataset, file_format),
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
        token = ApiToken.objects.filter(pk=export.token_id).active().first()
        return access_for_token(token) if token is not None else None
    if export.user is None or not export.user.is_active:
        return None
    return access_for_user(export.user)


def export_file_build(*, export_id: Any) -> str:
    """Build one file unless it is built or being built; returns its state afterwards.

    The claim is committed before the rows are read, so a second message for the same file
    finds it claimed and does nothing; the file is written under a temporary name and moved
    into place, so a download never reads half a file.
    """
    stale = timezone.now() - CLAIM_TIMEOUT
    claimed = (
        ExportFile.objects.filter(pk=export_id, status=ExportStatus.PENDING)
        .filter(Q(claimed_at__isnull=True) | Q(claimed_at__lt=stale))
        .update(claimed_at=timezone.now())
    )
    if not claimed:
        state = ExportFile.objects.filter(pk=export_id).values_list("status", flat=True).first()
        return state or "missing"
    export = ExportFile.objects.select_related("user").get(pk=export_id)
    access = _requester_access(export)
    if access is None:
        return _finish(export, status=ExportStatus.FAILED, error="The requester lost access.")
    dataset = tables.DATASETS[export.dataset]
    settings.EXPORTS_ROOT.mkdir(parents=True, exist_ok=True)
    partial = export.path.with_suffix(".partial")
    try:
        with translation.override(settings.LANGUAGE_CODE):
            rows = formats.save_xlsx(
                partial,
                dataset.header,
                dataset.rows(dataset.visible(access).iterator(chunk_size=2000)),
                title=str(dataset.title),
            )
        os.replace(partial, export.path)
    except Exception as exc:
        partial.unlink(missing_ok=True)
        logger.exception("Export file %s could not be built", export_id)
        return _finish(export, status=ExportStatus.FAILED, error=f"{type(exc).__name__}: {exc}")
    return _finish(export, status=ExportStatus.READY, rows=rows, size=export.path.stat().st_size)


def _finish(export: ExportFile, *, status: str, **fields: Any) -> str:
    ExportFile.objects.filter(pk=export.pk).update(
        status=status, finished_at=timezone.now(), **fields
    )
    return status


def export_file_of(
    pk: str, *, user: Any = None, token: ApiToken | None = None
) -> ExportFile | None:
    """The file ``pk`` if this requester may see it (any text: a malformed id is none)."""
    try:
        key = uuid.UUID(pk)
    except ValueError:
        return None
    return export_files_of(user=user, token=token).filter(pk=key).first()


def export_files_of(*, user: Any = None, token: ApiToken | None = None) -> QuerySet[ExportFile]:
    """The files this requester may see: those it asked for (a token's, or else the person's
    own) and the public ones."""
    if token is not None:
        return ExportFile.objects.filter(Q(token=token) | Q(public=True))
    if not getattr(user, "is_authenticated", False):
        return ExportFile.objects.filter(public=True)
    return ExportFile.objects.filter(Q(user=user, token__isnull=True) | Q(public=True))


def export_files_tidy(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Publish again the files left pending (message lost, worker died), and delete the files
    older than ``EXPORT_KEEP_HOURS`` with their rows."""
    now = now or timezone.now()
    pending = ExportFile.objects.filter(status=ExportStatus.PENDING).filter(
        Q(claimed_at__isnull=True, queued_at__isnull=True)
        | Q(claimed_at__isnull=True, queued_at__lt=now - REQUEUE_AFTER)
        | Q(claimed_at__lt=now - CLAIM_TIMEOUT)
    )
    requeued = 0
    for export_id in pending.values_list("pk", flat=True):
        _publish(export_id)
        requeued += 1
    expired = ExportFile.objects.filter(
        created_at__lt=now - dt.timedelta(hours=settings.EXPORT_KEEP_HOURS)
    )
    deleted = 0
    for export in expired:
        export.path.unlink(missing_ok=True)
        export.path.with_suffix(".partial").unlink(missing_ok=True)
        deleted += 1
    expired.delete()
    return {"requeued": requeued, "deleted": deleted}
