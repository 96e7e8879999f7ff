"""The registry of pinned query counts (``tests/query_counts.py``) is complete.

:func:`test_every_list_route_has_a_pinned_query_count` walks the project's URL resolver and
fails when a GET route that lists rows (a page, an API list endpoint, an admin changelist of the
project's models, a calendar feed, an export) has no pin in ``QUERY_COUNTS``, or is a route
that is not named in ``NOT_LISTS`` with the reason it lists no rows. The other tests check that
the registry holds no stale names and that every pin is measured, at two sizes, by one of the
modules of ``MEASURED_IN``.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from dataclasses import dataclass

from django.contrib import admin
from django.urls import URLPattern, URLResolver, get_resolver, path

from chambers.api.views import ChamberViewSet
from tests.query_counts import (
    ADMIN_NOT_LISTS,
    MEASURED_IN,
    NOT_LISTS,
    QUERY_COUNTS,
    Pin,
)

PROJECT_APPS = {
    "core", "chambers", "meetings", "rotation", "indicators", "reminders", "webhooks", "calendars",
    "exchange",
}  # fmt: skip


@dataclass(frozen=True)
class Route:
    name: str | None  # "namespace:name", as resolve(path).view_name gives it
    route: str
    callback: object

    @property
    def drf_get_action(self) -> str | None:
        actions = getattr(self.callback, "actions", None) or {}
        return actions.get("get")


def _routes(patterns: list, prefix: str = "", namespace: str | None = None) -> Iterator[Route]:
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace
            if inner:
                inner = f"{namespace}:{inner}" if namespace else inner
            yield from _routes(pattern.url_patterns, route, inner or namespace)
        elif isinstance(pattern, URLPattern):
            name = pattern.name and (f"{namespace}:{pattern.name}" if namespace else pattern.name)
            yield Route(name, route, pattern.callback)


def _project_changelists() -> set[str]:
    """The changelists of the admin classes the project defines (its own models', and the
    user admin it replaces)."""
    return {
        f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist"
        for model, model_admin in admin.site._registry.items()
        if type(model_admin).__module__.split(".")[0] in PROJECT_APPS
    }


def must_pin(route: Route, changelists: set[str]) -> bool:
    """Routes that certainly list rows: no reason in NOT_LISTS can exempt them."""
    action = route.drf_get_action
    return bool(
        (action is not None and action != "retrieve")
        or route.name in changelists
        or route.route.endswith(".ics")
        or "exports/" in route.route
    )


def _admin_reason(name: str, changelists: set[str]) -> str | None:
    """Why an admin route needs no pin, or None when it needs one."""
    short = name.removeprefix("admin:")
    if short.endswith("_changelist"):
        return None if name in changelists else "not the project's admin: Django's own lists"
    for end, reason in ADMIN_NOT_LISTS.items():
        if short == end or (end.startswith("_") and short.endswith(end)):
            return reason
    return None


def missing_pins(routes: list[Route]) -> list[str]:
    """What the registry lacks for ``routes``: one line per route."""
    changelists = _project_changelists()
    pinned = {pin.view for pin in QUERY_COUNTS}
    missing = []
    for route in routes:
        if route.name is None:
            if not route.route.startswith("admin/"):  # the admin's redirects and catch-all
                missing.append(f"{route.route}: has no URL name to pin it by")
            continue
        if route.name in pinned:
            continue
        if must_pin(route, changelists):
            missing.append(f"{route.name} ({route.route}): lists rows, no pinned query count")
        elif route.name.startswith("admin:"):
            if _admin_reason(route.name, changelists) is None:
                missing.append(f"{route.name} ({route.route}): an admin view with no pin")
        elif route.name not in NOT_LISTS:
            missing.append(
                f"{route.name} ({route.route}): no pinned query count, and not in NOT_LISTS"
            )
    return missing


def project_routes() -> list[Route]:
    return list(_routes(get_resolver().url_patterns))


def test_every_list_route_has_a_pinned_query_count() -> None:
    missing = missing_pins(project_routes())
    assert not missing, "Pin these in tests/query_counts.py (and measure them):\n" + "\n".join(
        missing
    )


def test_a_new_list_endpoint_or_feed_without_a_pin_fails(monkeypatch) -> None:
    """The completeness check itself: a list route added to the project is reported, even when
    someone names it in NOT_LISTS."""
    widgets = URLPattern(
        path("api/v1/widgets/", lambda r: None).pattern,
        ChamberViewSet.as_view({"get": "list"}),
        name="widget-list",
    )
    feed = URLPattern(path("widgets.ics", lambda r: None).pattern, lambda r: None, name="w-ics")
    form = URLPattern(path("widgets/add/", lambda r: None).pattern, lambda r: None, name="w-add")
    routes = [*_routes([widgets, feed, form])]
    assert missing_pins(routes) == [
        "widget-list (api/v1/widgets/): lists rows, no pinned query count",
        "w-ics (widgets.ics): lists rows, no pinned query count",
        "w-add (widgets/add/): no pinned query count, and not in NOT_LISTS",
    ]
    # An exemption does not excuse a list: only the form may be excused.
    for name in ("widget-list", "w-ics", "w-add"):
        monkeypatch.setitem(NOT_LISTS, name, "excused?")
    assert [line.split(" ")[0] for line in missing_pins(routes)] == ["widget-list", "w-ics"]


def test_every_project_changelist_is_pinned() -> None:
    """Spelled out: a model registered in the project's admin needs a pinned changelist."""
    pinned = {pin.view for pin in QUERY_COUNTS}
    changelists = _project_changelists()
    assert "admin:chambers_chamber_changelist" in changelists  # the check sees the project's
    assert not changelists - pinned, sorted(changelists - pinned)


def test_the_registry_names_only_real_routes() -> None:
    names = {route.name for route in project_routes()}
    changelists = _project_changelists()
    assert not {pin.view for pin in QUERY_COUNTS} - names
    assert not set(NOT_LISTS) - names, "NOT_LISTS names routes that do not exist"
    by_name = {route.name: route for route in project_routes()}
    excused_lists = [n for n in NOT_LISTS if must_pin(by_name[n], changelists)]
    assert not excused_lists, f"these list rows and must be pinned: {excused_lists}"
    assert not set(NOT_LISTS) & {pin.view for pin in QUERY_COUNTS}, "pinned and excused"


def _measuring_modules() -> dict[str, object]:
    return {name: importlib.import_module(name) for name in MEASURED_IN}


def test_every_pin_is_measured_at_two_sizes() -> None:
    modules = _measuring_modules()
    measured: set[Pin] = set()
    for name, module in modules.items():
        cases = set(module.CASES)
        assert cases, f"{name} measures no pin"
        assert cases <= set(QUERY_COUNTS), f"{name} measures unregistered pins"
        measured |= cases
        sizes = [getattr(size, "values", (size,))[0] for size in module.SIZES]
        assert len(sizes) == 2 and sizes[0] != sizes[1], f"{name}: two sizes, {sizes}"
    unmeasured = set(QUERY_COUNTS) - measured
    assert not unmeasured, f"pinned but measured nowhere: {sorted(unmeasured)}"
