"""Portal pages that show what several apps know: the apps above add their part of a page's
context here (the rotation adds the troika to the dashboard), so the app that owns the page
imports none of them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest

ContextProvider = Callable[[HttpRequest], dict[str, Any]]
_providers: dict[str, dict[str, ContextProvider]] = {}


def register_context(page: str, name: str, provider: ContextProvider) -> None:
    """Add ``provider(request)``'s keys to the context of ``page`` (once per ``name``)."""
    _providers.setdefault(page, {})[name] = provider


def context_for(page: str, request: HttpRequest) -> dict[str, Any]:
    """The context every registered provider gives ``page``."""
    context: dict[str, Any] = {}
    for provider in _providers.get(page, {}).values():
        context.update(provider(request))
    return context
