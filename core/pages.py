"""Portal pages that show what several apps know, so that the app that owns a page imports none
of the apps above it:

- **context** (:func:`register_context`): an app adds its part of a page's context (the
  rotation adds the troika to the dashboard; the meetings app a chamber's action items to the
  chamber's page);
- **the secretariat's worklist** (:func:`register_worklist`): each app registers a section of
  "what needs the secretariat now" (unanswered invitations, overdue action items, the next chair
  not approved, failed reminders...), read by the page ``/secretariat/`` of the chambers app
  (:func:`worklist_for`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.http import HttpRequest

#: ``provider(request, **objects)``: the page's objects by name (the chamber page passes
#: ``chamber=``); a provider of a page without objects may take ``request`` alone.
ContextProvider = Callable[..., dict[str, Any]]
_providers: dict[str, dict[str, ContextProvider]] = {}


def register_context(page: str, name: str, provider: ContextProvider) -> None:
    """Add ``provider(request, **objects)``'s keys to the context of ``page`` (once per
    ``name``)."""
    _providers.setdefault(page, {})[name] = provider


def context_for(page: str, request: HttpRequest, **objects: Any) -> dict[str, Any]:
    """The context every registered provider gives ``page`` (``objects``: what the page shows,
    such as its chamber)."""
    context: dict[str, Any] = {}
    for provider in _providers.get(page, {}).values():
        context.update(provider(request, **objects))
    return context


# The secretariat's worklist -------------------------------------------------------------------


class Severity(StrEnum):
    """How urgent a line is; the page shows it in words and as the CSS class ``severity-…``."""

    INFO = "info"
    WARNING = "warning"
    DANGER = "danger"


@dataclass(frozen=True)
class WorklistLine:
    """One thing to do: what (translated text), how many (when it counts several rows) and the
    page where it is fixed."""

    text: str
    url: str
    count: int | None = None
    severity: Severity = Severity.WARNING


@dataclass(frozen=True)
class WorklistSection:
    """One app's part of the worklist. ``count`` is how many things need doing in all (the
    lines may show only the latest few of them); ``url`` is where all of them are listed, or
    fixed, and ``url_label`` says so."""

    key: str  # stable, for the section's id and CSS class
    title: str
    lines: tuple[WorklistLine, ...]
    count: int
    url: str
    severity: Severity = Severity.WARNING
    url_label: str = ""  # the words of the link to ``url`` (default: "Open the full list")

    @property
    def hidden(self) -> int:
        """How many rows counted here have no line of their own (shown as "N more")."""
        listed = sum(line.count or 1 for line in self.lines)
        return max(self.count - listed, 0)


def highest_severity(lines: Iterable[WorklistLine]) -> Severity:
    """The most urgent severity among ``lines`` (a section's own, by default)."""
    ranks = list(Severity)
    return max((line.severity for line in lines), key=ranks.index, default=Severity.INFO)


#: ``provider(request)``: the section, or None when all is in order.
WorklistProvider = Callable[[HttpRequest], WorklistSection | None]
_worklist: dict[str, tuple[int, WorklistProvider]] = {}


def register_worklist(name: str, provider: WorklistProvider, *, order: int) -> None:
    """Add a section to the secretariat's worklist (once per ``name``), shown by ``order``."""
    _worklist[name] = (order, provider)


def worklist_for(request: HttpRequest) -> list[WorklistSection]:
    """The sections that have something to do, in their order; empty when all is in order."""
    sections = []
    for _order, provider in sorted(_worklist.values(), key=lambda entry: entry[0]):
        section = provider(request)
        if section is not None and section.lines:
            sections.append(section)
    return sections


def query_without(request: HttpRequest, name: str = "page") -> str:
    """The request's query string without ``name``: the filters and other pages' numbers a
    pagination link keeps (``templates/portal/_pagination.html``)."""
    query = request.GET.copy()
    query.pop(name, None)
    return query.urlencode()
