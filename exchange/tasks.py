"""Celery tasks of exports built in the background (see :mod:`exchange.export_files`)."""

from __future__ import annotations

from celery import shared_task

from . import export_files


@shared_task(reject_on_worker_lost=True)
def build_export_file(export_id: str) -> str:
    """Build one export file; a message delivered twice builds it once."""
    return export_files.export_file_build(export_id=export_id)


@shared_task
def tidy_export_files() -> dict[str, int]:
    """Publish again the files left pending; delete those past ``EXPORT_KEEP_HOURS``."""
    return export_files.export_files_tidy()
