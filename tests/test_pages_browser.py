"""Every portal page on a phone and on a desktop, for each role, in a real browser: it fits the
screen without sideways scrolling and axe-core finds no serious or critical accessibility fault.

The pages are the GET routes of the project's URL resolver (:func:`portal_pages`), so a page
added tomorrow is visited without touching this module; routes that are not pages (the admin,
the API, feeds, downloads, redirects) are named in :data:`EXCUSED` with the reason.
:func:`test_every_portal_route_is_visited_or_excused` fails when a route is neither visited
nor excused, or when its path parameters cannot be filled from the scene
(:data:`VALUES_BY_SEGMENT`). POST-only URLs are visited too: they show the 405 page.

Each role (anonymous, a viewer of a member chamber, an editor, staff) gets one browser context
with its session cookie; every page is loaded once at 390 x 844, checked (width, then axe),
then widened to 1280 px and checked again. The data is the General Assembly scene of
:mod:`tests.scenes`. Runs Debian's chromium (see tests/chambers/test_browser.py) and axe-core
from ``node_modules`` (``make install`` runs ``npm ci``; package-lock.json pins it).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from playwright.sync_api import Browser, BrowserContext, Page, expect

from meetings import records
from tests.chambers.test_browser import (  # noqa: F401 - the fixture is used by pytest
    TIMEOUT_MS,
    browser_type_launch_args,
)
from tests.scenes import Assembly, build_assembly, build_union

# The live server's teardown flushes the database from the test's thread, which Playwright's
# event loop makes look async to Django.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
ROLES = ("anonymous", "viewer", "editor", "staff")
#: axe-core's impacts that fail a page (it also reports "moderate" and "minor").
FAILING_IMPACTS = {"serious", "critical"}

#: Route prefixes that are not the portal: Django's admin (its own styles) and the API.
EXCLUDED_PREFIXES = ("admin/", "api/")
#: Routes of the portal that are not pages, with the reason they are not visited.
EXCUSED: dict[str, str] = {
    "meetings.ics": "an iCalendar feed",
    "meetings/<int:pk>.ics": "an iCalendar feed",
    "rotation.ics": "an iCalendar feed",
    "calendar/<str:key>.ics": "an iCalendar feed (a personal, secret address)",
    "meetings/<int:pk>/documents/<int:doc_pk>/": "a download: the document's file",
    "i18n/setlang/": "the language switch: a redirect to the page it came from",
    "favicon.ico": "a redirect to the icon",
    "healthz": "the health check: JSON for a load balancer",
    "meetings/<int:pk>/agenda-pack.pdf": "a download: a PDF (tests/meetings/test_records.py)",
    "meetings/<int:pk>/minutes.pdf": "a download: a PDF (tests/meetings/test_records.py)",
    "decisions/<int:pk>/extract.pdf": "a download: a PDF (tests/meetings/test_records.py)",
    "meetings/<int:pk>/minutes/<int:number>/publish/": "POST only (a form of the workspace)",
    "accounts/mfa/passkeys/<int:passkey_id>/remove/": (
        "POST only: removes one of the login's own passkeys (the scene's logins have none)"
    ),
}
#: What a path parameter stands for, by the path segment before it (``meetings/<int:pk>/``).
SEGMENT_OBJECTS = {
    "chambers": "home",
    "meetings": "meeting",
    "documents": "document",
    "decisions": "decision",
    "priorities": "priority",
    "action-items": "item",
    "terms": "term",
    "contacts": "contact",
    "exports": "public_export",
    "minutes": "minutes_version",  # meetings/<pk>/minutes/<number>/: the published version 1
    "verify": "code",
    "indicators": "series",
    "reset": None,  # accounts/reset/<uidb64>/<token>/: by name, below
}
#: Parameters filled by their name wherever they are: a made-up password reset link (the page
#: says it is invalid, to anyone).
VALUES_BY_NAME = {"uidb64": "MQ", "token": "bad-token"}
#: Pages that no route gives by itself: a page that does not exist.
EXTRA_PAGES = ["/no-such-page/"]

CONVERTER = re.compile(r"<(?:\w+:)?(\w+)>")


def scene_values(scene: Assembly) -> dict[str, object]:
    union = scene.union
    return {
        "home": union.home.slug,
        "meeting": scene.meeting.pk,
        "document": scene.document.pk if scene.document else 0,
        "decision": scene.decision.pk,
        "priority": scene.priority.pk,
        "item": scene.item.pk,
        "term": scene.term.pk if scene.term else 0,
        "contact": union.home_contact.pk,
        "public_export": scene.public_export.pk if scene.public_export else 0,
        "minutes_version": 1,
        "code": records.verification_code(scene.decision),
        "series": _series().pk,
    }


def _series():
    """A published series with a figure (the scene's own, made once)."""
    from indicators.models import Series
    from tests.scenes import make_series

    return Series.objects.filter(published=True).first() or make_series(hidden=False)[0]


# The portal's routes ------------------------------------------------------------------------


def _routes(patterns: list, prefix: str = "") -> Iterator[str]:
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from _routes(pattern.url_patterns, route)
        elif isinstance(pattern, URLPattern):
            yield route


def portal_routes() -> list[str]:
    """Every route of the project outside the admin and the API (and the uploaded files that
    ``DEBUG`` serves)."""
    files = "^" + settings.MEDIA_URL.lstrip("/")
    return [
        route
        for route in _routes(get_resolver().url_patterns)
        if not route.startswith((*EXCLUDED_PREFIXES, files))
    ]


def fill(route: str, values: dict[str, object]) -> str | None:
    """The route's path with its parameters filled from ``values`` (the scene's), or None when
    one of them means nothing known."""
    parts: list[str] = []
    end = 0
    for match in CONVERTER.finditer(route):
        before = route[end : match.start()]
        parts.append(before)
        name = match.group(1)
        if name in VALUES_BY_NAME:
            parts.append(VALUES_BY_NAME[name])
        else:
            segment = "".join(parts).rstrip("/").rsplit("/", 1)[-1]
            what = SEGMENT_OBJECTS.get(segment)
            if what is None or what not in values:
                return None
            parts.append(str(values[what]))
        end = match.end()
    parts.append(route[end:])
    if "^" in route or "(?P" in route:  # a regular expression route: not filled here
        return None
    return "/" + "".join(parts)


def portal_pages(values: dict[str, object]) -> tuple[list[str], list[str]]:
    """The paths to visit, and the routes that are neither fillable nor excused."""
    paths, problems = [], []
    for route in portal_routes():
        if route in EXCUSED:
            continue
        path = fill(route, values)
        if path is None:
            problems.append(
                f"{route}: cannot fill its parameters from the scene (add the segment before "
                "each to SEGMENT_OBJECTS) or excuse it in EXCUSED with the reason"
            )
        elif resolve(path).route != route:
            problems.append(f"{route}: filled as {path}, which resolves to another route")
        elif path not in paths:  # accounts/password_reset/ is routed twice
            paths.append(path)
    return paths + EXTRA_PAGES, problems


SAMPLE_VALUES = dict.fromkeys({v for v in SEGMENT_OBJECTS.values() if v}, 1) | {"home": "home"}


def test_every_portal_route_is_visited_or_excused() -> None:
    """Completeness: a new portal route is visited by the browser tests, or excused here."""
    paths, problems = portal_pages(SAMPLE_VALUES)
    assert not problems, "\n".join(problems)
    stale = set(EXCUSED) - set(portal_routes())
    assert not stale, f"EXCUSED names routes that do not exist: {sorted(stale)}"
    assert "/" in paths and "/meetings/1/" in paths and "/meetings/1/rsvp/" in paths


def test_a_route_that_cannot_be_filled_is_reported(monkeypatch) -> None:
    """The completeness check itself: an unknown parameter is reported, not skipped."""
    from tests import test_pages_browser as module

    monkeypatch.setattr(module, "portal_routes", lambda: ["widgets/<int:pk>/", "meetings/"])
    _, problems = portal_pages(SAMPLE_VALUES)
    assert problems and problems[0].startswith("widgets/<int:pk>/: cannot fill")
    assert fill("meetings/<int:pk>/", SAMPLE_VALUES) == "/meetings/1/"


# In the browser -----------------------------------------------------------------------------

#: The element that reaches furthest right beyond the viewport, and the document's width.
MEASURE = """(limit) => {
  const describe = (el) => {
    let name = el.tagName.toLowerCase();
    if (el.id) name += "#" + el.id;
    if (el.classList.length) name += "." + Array.from(el.classList).join(".");
    const text = (el.textContent || "").trim().replace(/\\s+/g, " ").slice(0, 60);
    const parent = el.parentElement ? el.parentElement.tagName.toLowerCase() : "";
    return `${parent} > ${name} "${text}"`;
  };
  // The deepest element reaching furthest right within the document's width: an element
  // clipped by an ancestor (overflow: hidden) may reach further but widens nothing.
  const scrollWidth = document.documentElement.scrollWidth;
  let widest = null;
  for (const el of document.body.querySelectorAll("*")) {
    const box = el.getBoundingClientRect();
    const right = box.right + window.scrollX;
    if (!box.width && !box.height) continue;
    if (right > limit + 0.5 && right <= scrollWidth + 1 && (!widest || right >= widest.right)) {
      widest = {right: Math.round(right), width: Math.round(box.width), el};
    }
  }
  return {
    scrollWidth,
    widest: widest &&
      `${describe(widest.el)} (right edge ${widest.right}px, ${widest.width}px wide)`,
    styled: getComputedStyle(document.body).overflowWrap === "anywhere",
  };
}"""

OPEN_MENU = "() => document.querySelectorAll('details.menu').forEach((m) => { m.open = true; })"

AXE_RUN = """async () => {
  const results = await axe.run(document, {resultTypes: ["violations"]});
  return results.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help,
    targets: v.nodes.slice(0, 5).map((node) => node.target.join(" ")),
  }));
}"""


def width_problem(page: Page, where: str, limit: int) -> str | None:
    measured = page.evaluate(MEASURE, limit)
    if not measured["styled"]:
        return f"{where}: portal.css is not applied (the checks would mean nothing)"
    if measured["scrollWidth"] > limit:
        return (
            f"{where}: scrolls sideways, {measured['scrollWidth']}px wide for {limit}px; the "
            f"widest element: {measured['widest']}"
        )
    return None


def axe_problems(page: Page, where: str) -> list[str]:
    """axe-core's serious and critical violations on the page (axe is injected into every page
    of a context by :meth:`Site.context`; once per context is cheaper than once per page)."""
    if not page.evaluate("() => typeof axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    return [
        f"{where}: axe {v['id']} ({v['impact']}): {v['help']}; at {v['targets']}"
        for v in page.evaluate(AXE_RUN)
        if v["impact"] in FAILING_IMPACTS
    ]


def check_page(page: Page, base_url: str, path: str, role: str, *, axe: bool = True) -> list[str]:
    """The page at the phone's width (fits, passes axe), then at the desktop's (fits)."""
    where = f"{path} as {role}"
    page.set_viewport_size(PHONE)
    response = page.goto(base_url + path)
    if response is None or response.status >= 500:
        return [f"{where}: answered {response and response.status}"]
    where = f"{where} ({page.url.removeprefix(base_url)}, {response.status})"
    problems = [width_problem(page, where + " at 390px", 390)]
    # The header's menu open, as a phone's user opens it: its links must fit too, and axe only
    # looks at what is shown.
    page.evaluate(OPEN_MENU)
    problems.append(width_problem(page, where + " at 390px, the menu open", 390))
    if axe:
        problems += axe_problems(page, where + " at 390px, the menu open")
    page.set_viewport_size(DESKTOP)
    problems.append(width_problem(page, where + " at 1280px", 1280))
    return [problem for problem in problems if problem]


@dataclass
class Site:
    base_url: str
    scene: Assembly
    browser: Browser

    def context(
        self, role: str, *, language: str = "en", axe: bool = False, **options
    ) -> BrowserContext:
        """A browser context logged in as ``role`` (its session cookie, no login form), in
        ``language``, with axe-core in every page when ``axe``."""
        context = self.browser.new_context(viewport=PHONE, **options)
        context.set_default_timeout(TIMEOUT_MS)
        cookies = [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language}]
        if role != "anonymous":
            client = self.scene.union.client(role, api=False)
            session = client.cookies[settings.SESSION_COOKIE_NAME].value
            cookies.append({"name": settings.SESSION_COOKIE_NAME, "value": session})
        context.add_cookies([{**cookie, "url": self.base_url} for cookie in cookies])
        if axe:
            context.add_init_script(path=str(AXE))
        return context


def need_axe() -> None:
    if AXE.exists():
        return
    message = f"{AXE} is missing: run make install (npm ci)"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture
def site(transactional_db, live_server, browser: Browser, settings, tmp_path) -> Site:
    need_axe()
    settings.DOCUMENTS_ROOT = tmp_path
    return Site(live_server.url, build_assembly(build_union()), browser)


@pytest.mark.browser
@pytest.mark.parametrize("role", ROLES)
def test_every_page_fits_a_phone_and_passes_axe(site: Site, role: str) -> None:
    paths, problems = portal_pages(scene_values(site.scene))
    assert not problems, "\n".join(problems)
    context = site.context(role, axe=True)
    try:
        page = context.new_page()
        for path in paths:
            problems += check_page(page, site.base_url, path, role)
    finally:
        context.close()
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems)


@pytest.mark.browser
def test_every_page_fits_a_phone_in_kazakh(site: Site) -> None:
    """Kazakh's words are the longest of the portal's languages: the widths once more, as the
    secretariat (who sees every link), without axe (the same markup and styles)."""
    paths, problems = portal_pages(scene_values(site.scene))
    context = site.context("staff", language="kk")
    try:
        page = context.new_page()
        for path in paths:
            problems += check_page(page, site.base_url, path, "staff in Kazakh", axe=False)
    finally:
        context.close()
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems)


@pytest.mark.browser
@pytest.mark.parametrize("role", ["anonymous", "staff"])
def test_the_header_menu_works_without_javascript(site: Site, role: str) -> None:
    """On a phone the links are folded into a menu that opens without a script; logging out
    and the language are in it. On a desktop the links show without opening anything."""
    context = site.context(role, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(site.base_url + "/rotation/")
        header = page.locator("header.site-header")
        menu = header.locator("details.menu > summary")
        decisions = header.locator("nav").get_by_role("link", name="Decisions")
        expect(menu).to_be_visible()
        expect(decisions).to_be_hidden()
        menu.click()
        expect(decisions).to_be_visible()
        expect(header.locator("#language-select")).to_be_visible()
        expect(header.get_by_role("button", name="Go")).to_be_visible()  # <noscript>'s button
        if role == "anonymous":
            expect(header.get_by_role("link", name="Log in")).to_be_visible()
        else:
            expect(header.get_by_role("button", name="Log out")).to_be_visible()
        menu.click()
        expect(decisions).to_be_hidden()

        page.set_viewport_size(DESKTOP)
        expect(menu).to_be_hidden()
        expect(decisions).to_be_visible()
        expect(header.locator("#language-select")).to_be_visible()
    finally:
        context.close()


@pytest.mark.browser
def test_tables_become_labelled_blocks_on_a_phone(site: Site) -> None:
    """A table's rows stack as blocks at 390 px, each cell under its column's heading."""
    context = site.context("viewer")
    try:
        page = context.new_page()
        page.goto(site.base_url + "/")
        cell = page.locator("table.chambers tbody tr").first.locator("td").nth(2)
        assert cell.evaluate("(td) => getComputedStyle(td).display") == "flow-root"
        label = cell.evaluate("(td) => getComputedStyle(td, '::before').content")
        assert label == '"City"', label
        expect(page.locator("table.chambers thead").first).to_be_hidden()  # the labels say it
        page.set_viewport_size(DESKTOP)
        assert cell.evaluate("(td) => getComputedStyle(td).display") == "table-cell"
    finally:
        context.close()


@pytest.mark.browser
def test_tables_keep_their_headings_on_a_phone_without_javascript(site: Site) -> None:
    """Without the script no cell is labelled: the headings stay, on one line above the rows."""
    context = site.context("viewer", java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(site.base_url + "/")
        cell = page.locator("table.chambers tbody tr").first.locator("td").nth(2)
        assert cell.evaluate("(td) => getComputedStyle(td).display") == "block"
        assert cell.evaluate("(td) => getComputedStyle(td, '::before').content") == "none"
        expect(page.locator("table.chambers thead").first).to_be_visible()
        assert width_problem(page, "/ without JavaScript", 390) is None
    finally:
        context.close()


@pytest.mark.browser
def test_the_checks_find_an_overflow_and_an_axe_violation(browser: Browser) -> None:
    """The checks themselves: a page too wide for a phone and an image without a text
    alternative (axe: image-alt, critical) are reported."""
    need_axe()
    context = browser.new_context(viewport=PHONE)
    try:
        page = context.new_page()
        page.set_content(
            '<html lang="en"><head><title>t</title><style>body{overflow-wrap:anywhere}</style>'
            '</head><body><main><div class="wide" style="width:600px">wide</div>'
            '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw="></main></body></html>'
        )
        problem = width_problem(page, "test page", 390)
        assert problem and "div.wide" in problem and "600px wide" in problem, problem
        problems = axe_problems(page, "test page")
        assert any("image-alt (critical)" in p for p in problems), problems
    finally:
        context.close()
