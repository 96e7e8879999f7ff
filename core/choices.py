"""A field's choice label, looked up in a dict kept per field.

Django's ``get_FOO_display()`` rebuilds the dict of a field's choices on every call, hashing
each lazy label, which translates it: a page of 100 meetings spent about 14 ms there (issue 16).
The dict here holds the same lazy labels, built once per field, so a call translates one label
in the reader's language.
"""

from __future__ import annotations

import functools
from typing import Any

from django.db.models import Model


@functools.cache
def _labels(model: type[Model], name: str) -> dict[Any, Any]:
    return dict(model._meta.get_field(name).flatchoices)  # type: ignore[union-attr]


def label(instance: Model, name: str) -> str:
    """What ``instance.get_<name>_display()`` says: the label of the field's value in the
    active language, or the value itself when it is not one of the choices."""
    value = getattr(instance, name)
    return str(_labels(type(instance), name).get(value, value))
