"""The audit trail: who changed a governance record, when, what, and from which surface.

Apps register the models whose changes are the union's record (:func:`register`, in their
``AppConfig.ready``). Every save and deletion of a registered model then writes an
:class:`~core.models.AuditEntry` in the same transaction (Django's model signals, so no service
can forget it: a rolled-back change leaves no entry). Writes that bypass the signals (a bulk
insert, a queryset ``update``) call :func:`record` themselves.

Who: the person or token the service was given (``core.services.stamp`` puts them on the
instance, as for the change history), else the request's caller (:class:`AuditMiddleware`,
and the token authentication, bind it), else "system". From where: ``admin``, ``portal``,
``api``, ``task`` or ``command``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import decimal
import threading
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db import models
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.http import HttpRequest, HttpResponse


class Surface:
    ADMIN = "admin"
    PORTAL = "portal"
    API = "api"
    TASK = "task"
    COMMAND = "command"


@dataclass
class _Context:
    surface: str = Surface.COMMAND
    user: Any = None
    label: str = ""


_context: ContextVar[_Context | None] = ContextVar("audit_context", default=None)


@contextlib.contextmanager
def acting(*, surface: str, user: Any = None, label: str = "") -> Iterator[None]:
    """Within the block, changes are recorded as made from ``surface`` by ``user``/``label``
    (a task, a command, a request)."""
    token = _context.set(_Context(surface=surface, user=user, label=label))
    try:
        yield
    finally:
        _context.reset(token)


def bind(*, user: Any = None, label: str = "", surface: str | None = None) -> None:
    """Name the caller of the current request once it is known (a token is authenticated by
    the API view, after the middleware)."""
    current = _context.get()
    if current is None:
        _context.set(_Context(surface=surface or Surface.API, user=user, label=label))
        return
    if surface:
        current.surface = surface
    current.user, current.label = user, label


class AuditMiddleware:
    """Each request's changes are recorded with its surface and its logged-in person."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        path = request.path_info
        if path.startswith("/admin/"):
            surface = Surface.ADMIN
        elif path.startswith("/api/"):
            surface = Surface.API
        else:
            surface = Surface.PORTAL
        # The user is read lazily, when a change is recorded (after authentication ran).
        token = _context.set(_Context(surface=surface, user=getattr(request, "user", None)))
        try:
            return self.get_response(request)
        finally:
            _context.reset(token)


@dataclass(frozen=True)
class Audited:
    """A registered model: which fields an entry shows (``None``: every concrete field except
    ``exclude``), and which many-to-many fields are followed."""

    fields: tuple[str, ...] | None = None
    exclude: frozenset[str] = frozenset()
    many: tuple[str, ...] = ()
    snapshot: Callable[[Any], dict[str, Any]] | None = None
    names: dict[str, str] = field(default_factory=dict)

    def field_names(self, model: type[models.Model]) -> list[str]:
        concrete = [f.name for f in model._meta.concrete_fields if not f.primary_key]
        chosen = list(self.fields) if self.fields is not None else concrete
        return [name for name in chosen if name not in self.exclude]


REGISTRY: dict[type[models.Model], Audited] = {}


def register(
    label: str,
    *,
    fields: Iterable[str] | None = None,
    exclude: Iterable[str] = (),
    many: Iterable[str] = (),
    snapshot: Callable[[Any], dict[str, Any]] | None = None,
) -> None:
    """Audit every change of the model ``label`` (``"meetings.Meeting"``). ``snapshot`` adds
    what the row alone does not say (the rotation's order)."""
    model = apps.get_model(label)
    REGISTRY[model] = Audited(
        fields=tuple(fields) if fields is not None else None,
        exclude=frozenset(exclude) | {"password"},
        many=tuple(many),
        snapshot=snapshot,
    )
    uid = f"core.audit:{label}"
    pre_save.connect(_before_save, sender=model, dispatch_uid=f"{uid}:pre")
    post_save.connect(_after_save, sender=model, dispatch_uid=f"{uid}:post")
    post_delete.connect(_after_delete, sender=model, dispatch_uid=f"{uid}:delete")
    for name in many:
        through = getattr(model, name).through
        m2m_changed.connect(_many_changed, sender=through, dispatch_uid=f"{uid}:{name}")


def json_value(value: Any) -> Any:
    """A field's value as the entry stores it (JSON): ids for relations, ISO for dates."""
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, list | tuple):
        return [json_value(v) for v in value]
    if isinstance(value, dict):
        return {str(k): json_value(v) for k, v in value.items()}
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def _values(instance: models.Model, names: list[str]) -> dict[str, Any]:
    result = {}
    for name in names:
        model_field = instance._meta.get_field(name)
        attname = getattr(model_field, "attname", name)
        result[name] = json_value(getattr(instance, attname))
    return result


def _before_save(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    if kwargs.get("raw") or instance.pk is None:
        return
    audited = REGISTRY[sender]
    names = audited.field_names(sender)
    attnames = [getattr(sender._meta.get_field(n), "attname", n) for n in names]
    row = sender._base_manager.filter(pk=instance.pk).values(*attnames).first()
    if row is not None:
        instance._audit_before = {  # type: ignore[attr-defined]
            name: json_value(row[attname]) for name, attname in zip(names, attnames, strict=True)
        }


def _after_save(
    sender: type[models.Model], instance: models.Model, created: bool, **kwargs: Any
) -> None:
    if kwargs.get("raw"):
        return
    audited = REGISTRY[sender]
    names = audited.field_names(sender)
    update_fields = kwargs.get("update_fields")
    if update_fields:
        names = [n for n in names if n in update_fields]
    after = _values(instance, names)
    before = getattr(instance, "_audit_before", None)
    if created or before is None:
        changes = {k: [None, v] for k, v in after.items() if v not in (None, "", [], {})}
        action = "created"
    else:
        changes = {k: [before.get(k), v] for k, v in after.items() if before.get(k) != v}
        action = "changed"
    if audited.snapshot is not None:
        for key, now in audited.snapshot(instance).items():
            earlier = _last_recorded(instance, key)
            if earlier != now:
                changes[key] = [earlier, now]
    if not changes and action == "changed":
        return
    record(instance, action, changes)
    instance._audit_before = {**(before or {}), **after}  # type: ignore[attr-defined]


def _last_recorded(instance: models.Model, key: str) -> Any:
    """What the trail last recorded of a snapshot's ``key`` (rows written in bulk, such as
    the rotation's places, are gone by the time the row itself is saved)."""
    from .models import AuditEntry

    last = (
        AuditEntry.objects.filter(
            model=instance._meta.label_lower,
            object_id=str(instance.pk),
            changes__has_key=key,
        )
        .order_by("-pk")
        .values_list("changes", flat=True)
        .first()
    )
    return last[key][1] if last else []


def _after_delete(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    audited = REGISTRY[sender]
    before = _values(instance, audited.field_names(sender))
    record(instance, "deleted", {k: [v, None] for k, v in before.items() if v not in (None, "")})


#: Set while a backup is restored: the restored rows carry their own trail (``loaddata`` saves
#: rows ``raw``, which the save signals skip, but sets many-to-many fields without a flag).
_restoring = threading.local()


@contextmanager
def restoring() -> Iterator[None]:
    """Record nothing while the block restores rows (``manage.py restore``)."""
    _restoring.active = True
    try:
        yield
    finally:
        _restoring.active = False


def _many_changed(
    sender: Any, instance: models.Model, action: str, pk_set: set[Any] | None, **kwargs: Any
) -> None:
    if action not in ("post_add", "post_remove", "post_clear") or kwargs.get("reverse"):
        return
    if getattr(_restoring, "active", False):
        return
    audited = REGISTRY.get(type(instance))
    if audited is None:
        return
    for name in audited.many:
        if getattr(type(instance), name).through is sender:
            now = sorted(getattr(instance, name).values_list("pk", flat=True))
            record(instance, "changed", {name: [None, now]})


def record(
    instance: models.Model,
    action: str,
    changes: dict[str, Any] | None = None,
    *,
    actor: Any = None,
) -> None:
    """Write one entry about ``instance`` (inside the caller's transaction)."""
    from .models import AuditEntry

    context = _context.get() or _Context()
    person = getattr(instance, "_history_user", None)
    label = getattr(instance, "_change_reason", None)
    if actor is not None:
        person, label = actor.person, actor.label
    if person is None:
        person = context.user
    if person is not None and not getattr(person, "is_authenticated", False):
        person = None
    if not label:
        label = context.label or (person.get_username() if person is not None else "system")
    AuditEntry.objects.create(
        user=person,
        actor=str(label)[:200],
        surface=context.surface,
        action=action,
        model=instance._meta.label_lower,
        object_id=str(instance.pk),
        object_repr=str(instance)[:300],
        changes=json_value(changes or {}),
    )


def registered_models() -> list[tuple[str, str]]:
    """``(label, verbose name)`` of every audited model, for the trail's filter."""
    return sorted(
        (model._meta.label_lower, str(model._meta.verbose_name).capitalize()) for model in REGISTRY
    )


def entries(
    *,
    model: str = "",
    object_id: str = "",
    user: str = "",
    since: dt.date | None = None,
    until: dt.date | None = None,
) -> models.QuerySet[Any]:
    """The trail, newest first, filtered as the secretariat's page and its CSV file ask."""
    from .models import AuditEntry

    rows = AuditEntry.objects.select_related("user")
    if model:
        rows = rows.filter(model=model)
    if object_id:
        rows = rows.filter(object_id=object_id)
    if user:
        rows = rows.filter(models.Q(user__username=user) | models.Q(actor=user))
    if since:
        rows = rows.filter(at__date__gte=since)
    if until:
        rows = rows.filter(at__date__lte=until)
    return rows


_task_contexts: dict[str, Any] = {}


def task_started(task_id: str | None = None, task: Any = None, **kwargs: Any) -> None:
    """Celery's ``task_prerun``: a task's changes are recorded as made by the task."""
    if task_id is not None:
        label = f"task:{getattr(task, 'name', 'unknown')}"
        _task_contexts[task_id] = _context.set(_Context(surface=Surface.TASK, label=label))


def task_finished(task_id: str | None = None, **kwargs: Any) -> None:
    """Celery's ``task_postrun``."""
    token = _task_contexts.pop(task_id, None) if task_id is not None else None
    if token is not None:
        _context.reset(token)
