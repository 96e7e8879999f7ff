"""Helpers every service uses to write a row: validate it, record who did it, save it, and
turn what the database or the model refused into a :class:`~core.errors.DomainError`.

:func:`model_update` is the one way a service changes fields of an existing row (after the
HackSoft styleguide's helper): it sets only the fields it is allowed to, runs ``full_clean``,
saves ``update_fields`` and says what changed. No service writes its own ``setattr`` loop.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator, Mapping
from contextvars import ContextVar
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext as _

from .access import Access
from .errors import ConflictError, DomainError

M = TypeVar("M", bound=models.Model)

#: Files stored while a caller that may undo the whole change watches (the admin's save).
_stored_files: ContextVar[list[tuple[Any, str]] | None] = ContextVar("stored_files", default=None)


def file_stored(storage: Any, name: str) -> None:
    """Note a file a service has just stored: if the change is undone (a later refusal), the
    watching caller deletes it (a database rollback does not remove files)."""
    stored = _stored_files.get()
    if stored is not None and name:
        stored.append((storage, name))


@contextlib.contextmanager
def watching_stored_files() -> Iterator[list[tuple[Any, str]]]:
    """Collect the files the services store inside the block (see :func:`file_stored`)."""
    stored: list[tuple[Any, str]] = []
    token = _stored_files.set(stored)
    try:
        yield stored
    finally:
        _stored_files.reset(token)


def as_domain_error(exc: ValidationError) -> DomainError:
    """The first message of a model's ``ValidationError``, naming its field (None for the
    whole object)."""
    if hasattr(exc, "error_dict"):
        field, errors = next(iter(exc.message_dict.items()))
        return DomainError(errors[0], field=None if field == "__all__" else field)
    return DomainError(exc.messages[0])


def stamp(instance: models.Model, actor: Access | None) -> None:
    """Tell the change history (simple-history) who made the change: a person, or a token by
    name. Models without history ignore the attributes."""
    if actor is None:
        return
    instance._history_user = actor.person  # type: ignore[attr-defined]
    instance._change_reason = actor.label  # type: ignore[attr-defined]


def validated_save(
    instance: models.Model,
    actor: Access | None = None,
    *,
    exclude: Iterable[str] | None = None,
    update_fields: Iterable[str] | None = None,
) -> None:
    """``full_clean`` (a refusal is a :class:`DomainError` on its field), then save; a unique or
    exclusion constraint that a concurrent writer tripped first is a :class:`ConflictError`
    (409), never a 500."""
    try:
        instance.full_clean(exclude=list(exclude) if exclude is not None else None)
    except ValidationError as exc:
        raise as_domain_error(exc) from exc
    stamp(instance, actor)
    with conflict_on_integrity():
        instance.save(update_fields=list(update_fields) if update_fields is not None else None)


@contextlib.contextmanager
def conflict_on_integrity() -> Iterator[None]:
    """Run the block in a savepoint; a unique or exclusion constraint that a concurrent writer
    tripped first is a :class:`ConflictError` (409), never a 500 (also for bulk writes)."""
    try:
        with transaction.atomic():
            yield
    except IntegrityError as exc:
        raise ConflictError(_("Another change got there first; reload and try again.")) from exc


def require_known_fields(
    data: Mapping[str, Any], allowed: Iterable[str], *, error: type[DomainError] = DomainError
) -> None:
    """Refuse ``data`` that names a field outside ``allowed`` (the first such field is named).
    ``error`` is :class:`~core.errors.ForbiddenError` where the field exists but the caller may
    not change it."""
    unknown = sorted(set(data) - set(allowed))
    if unknown:
        message = (
            _("Unknown field.") if error is DomainError else _("You may not change this field.")
        )
        raise error(message, field=unknown[0])


def model_update(
    *,
    instance: M,
    fields: Iterable[str],
    data: Mapping[str, Any],
    actor: Access | None = None,
    exclude: Iterable[str] | None = None,
) -> list[str]:
    """Set the ``fields`` of ``instance`` that ``data`` gives, validate the row and save the
    changed ones. Returns the names of the fields that changed (empty: nothing was saved).

    ``data`` may name only ``fields`` (else :class:`DomainError` "Unknown field."); callers that
    refuse a field for lack of rights check that first. Many-to-many fields are set after the
    row is saved.
    """
    allowed = list(fields)
    require_known_fields(data, allowed)
    model_fields = {f.name: f for f in instance._meta.get_fields()}
    changed: list[str] = []
    m2m: dict[str, Any] = {}
    for name in allowed:
        if name not in data:
            continue
        model_field = model_fields.get(name)
        if isinstance(model_field, models.ManyToManyField):
            m2m[name] = data[name]
            continue
        if getattr(instance, name) != data[name]:
            setattr(instance, name, data[name])
            changed.append(name)
    if changed:
        validated_save(instance, actor, exclude=exclude, update_fields=_concrete(instance, changed))
        for name in changed:
            if isinstance(model_fields.get(name), models.FileField):
                stored = getattr(instance, name)
                file_stored(stored.storage, stored.name)
    for name, value in m2m.items():
        manager = getattr(instance, name)
        if set(manager.values_list("pk", flat=True)) != {getattr(v, "pk", v) for v in value}:
            manager.set(value)
            changed.append(name)
    return changed


def _concrete(instance: models.Model, names: list[str]) -> list[str] | None:
    """The ``update_fields`` of a save of ``names``, with the row's ``auto_now`` stamps (an
    ``updated_at`` that calendars read as "last modified"); None (a whole-row save) for a model
    with translated fields: django-modeltranslation keeps the untranslated column (``name``) in
    step with the default language's (``name_en``) only on a whole-row save."""
    from modeltranslation.translator import translator

    if type(instance) in translator.get_registered_models():
        return None
    stamps = [
        f.name
        for f in instance._meta.concrete_fields
        if getattr(f, "auto_now", False) and f.name not in names
    ]
    return [*names, *stamps]
