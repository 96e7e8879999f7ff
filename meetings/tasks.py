"""Celery tasks of the meetings app: the close of written procedures at their deadline."""

from __future__ import annotations

from celery import shared_task

from .services import procedures_close_due


@shared_task
def close_procedures() -> list[int]:
    """Close every procedure whose deadline has passed (the beat runs it every minute). Each
    close is conditional on the procedure being open, under its lock: any number of beats,
    workers and redeliveries close it once. Returns the ids closed by this run."""
    return [procedure.pk for procedure in procedures_close_due()]
