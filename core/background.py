"""A file too slow to build while a web worker waits, asked for by an app below the one that
builds it.

The files built in the background, their worker and their download live in ``exchange``
(:class:`exchange.models.ExportFile`), which sits above ``meetings`` in the layers: the
meetings' agenda pack view cannot import it. ``exchange`` registers its starter here at
start-up (:func:`register_starter`), as ``chambers`` registers the access resolver in
:mod:`core.access`, and a view asks for a build with :func:`start` by the document's name.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

from django.http import HttpResponseBase


class Starter(Protocol):
    def __call__(
        self,
        request: Any,
        *,
        document: str,
        params: Mapping[str, Any],
        filename: str,
        portal: bool,
    ) -> HttpResponseBase: ...


_starter: Starter | None = None


def register_starter(starter: Starter) -> None:
    global _starter
    _starter = starter


def start(
    request: Any, *, document: str, params: Mapping[str, Any], filename: str, portal: bool
) -> HttpResponseBase:
    """Record the build of ``document`` (a name the builder knows) with ``params`` for this
    request's requester and answer: the portal's page of the file (303) when ``portal``, else
    the API's 202 with the file's state and ``Location``."""
    if _starter is None:  # pragma: no cover - exchange is an installed app
        raise RuntimeError("No builder of background files is installed (the exchange app).")
    return _starter(request, document=document, params=params, filename=filename, portal=portal)
