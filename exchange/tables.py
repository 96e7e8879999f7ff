"""The datasets that can be exported: for each, its columns and the rows a caller may see.

Column names are part of the API: stable, snake_case, and the same in CSV and XLSX whatever the
reader's language. Values are machine values (slugs, ISO codes, choice keys, ISO dates, true /
false), so that a file exported here imports again (see :mod:`exchange.services`).

The rows come from the same selectors and the same rule as the API's list endpoints: chambers
are public (``chambers.selectors.chamber_list``); decisions are public when adopted and
published, all of them for members (``meetings.selectors.decision_list``); contacts and action
items are members-only data (``Access.is_member``, the API's ``IsMember``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db.models import Model, QuerySet
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from chambers import selectors as chamber_selectors
from chambers.models import Chamber, Contact
from core.access import Access
from core.collation import collated_text
from core.translated import codes
from indicators import selectors as indicator_selectors
from indicators.models import Value
from indicators.services import plain
from meetings import selectors as meeting_selectors
from meetings.models import ActionItem, Decision


@dataclass(frozen=True)
class Column:
    """One column: its header name, what it holds, and how to read it from a row's object."""

    name: str
    description: str
    value: Callable[[Any], Any]


@dataclass(frozen=True)
class Dataset:
    """An exportable list: its name (in URLs and file names), columns and visible rows."""

    name: str
    title: Promise
    model: type[Model]
    columns: tuple[Column, ...]
    members_only: bool
    source: Callable[[Access], QuerySet]

    @property
    def header(self) -> list[str]:
        return [column.name for column in self.columns]

    def visible(self, access: Access) -> QuerySet:
        """The rows this caller may see, in the order of the API's list."""
        qs = self.source(access)
        return qs if access.is_member or not self.members_only else qs.none()

    def rows(self, queryset: Iterable[Any]) -> Iterator[list[Any]]:
        for obj in queryset:
            yield [column.value(obj) for column in self.columns]

    def selected(self, access: Access, pks: QuerySet) -> QuerySet:
        """The visible rows among ``pks`` (an admin action's selection), annotated as a list."""
        return self.visible(access).filter(pk__in=pks.values("pk"))


def _local(moment: dt.datetime | None) -> str | None:
    """A moment in the site's time zone, to the minute, with its offset."""
    return timezone.localtime(moment).isoformat(timespec="minutes") if moment else None


def _attr(name: str) -> Callable[[Any], Any]:
    return lambda obj: getattr(obj, name)


#: The official name's columns: one per working language (settings.LANGUAGES).
NAME_LANGUAGES = tuple(codes())

CHAMBERS = Dataset(
    name="chambers",
    title=_("chambers"),
    model=Chamber,
    members_only=False,
    source=lambda access: chamber_selectors.chamber_list().order_by(
        collated_text("short_name"), "slug"
    ),
    columns=(
        Column(
            "slug", "Identifier in URLs and integrations; the import matches on it.", _attr("slug")
        ),
        Column("short_name", "Short name, e.g. “KZ CCI”.", _attr("short_name")),
        *(
            Column(f"name_{code}", f"Official name in {code}.", _attr(f"name_{code}"))
            for code in NAME_LANGUAGES
        ),
        Column("country", "ISO 3166-1 alpha-2 code.", lambda c: c.country.code),
        Column("city", "City of the seat.", _attr("city")),
        Column("website", "Web site (https://…).", _attr("website")),
        Column("email", "General e-mail.", _attr("email")),
        Column("phone", "General phone.", _attr("phone")),
        Column("founded", "Founding date (YYYY-MM-DD).", _attr("founded")),
        Column(
            "status",
            "Status today: member, observer, suspended or former. Read-only.",
            _attr("status"),
        ),
        Column(
            "member_since",
            "First day as a full member (YYYY-MM-DD), empty for a former member. Read-only.",
            _attr("member_since"),
        ),
    ),
)

CONTACTS = Dataset(
    name="contacts",
    title=_("contacts"),
    model=Contact,
    members_only=True,
    source=lambda access: Contact.objects.select_related("chamber").order_by(
        "chamber__short_name", "chamber__slug", "-is_head", "name", "pk"
    ),
    columns=(
        Column("chamber", "Slug of the contact's chamber.", lambda c: c.chamber.slug),
        Column("name", "Full name.", _attr("name")),
        Column("position", "Position in the chamber.", _attr("position")),
        Column(
            "roles",
            "Roles separated by “;”: head, focal_point, delegate.",
            lambda c: ";".join(c.roles),
        ),
        Column("email", "E-mail; with the chamber, the import matches on it.", _attr("email")),
        Column("phone", "Phone.", _attr("phone")),
        Column(
            "preferred_language",
            "Language of e-mails: en, ru, kk or tr.",
            _attr("preferred_language"),
        ),
        Column("active", "true or false.", _attr("active")),
    ),
)

DECISIONS = Dataset(
    name="decisions",
    title=_("decisions"),
    model=Decision,
    members_only=False,
    # The register's order (Decision.Meta.ordering): undated first, then by the day each is
    # dated by, latest first.
    source=lambda access: meeting_selectors.decision_list(access=access),
    columns=(
        Column("id", "Identifier of the decision in the API.", _attr("pk")),
        Column(
            "meeting",
            "The meeting, as it is cited; empty for a decision between sessions.",
            lambda d: d.meeting.display_title if d.meeting else "",
        ),
        Column(
            "meeting_date",
            "First day of the meeting.",
            lambda d: timezone.localdate(d.meeting.starts_at) if d.meeting else None,
        ),
        Column(
            "number",
            "Number of the decision within its meeting (between sessions: within its year).",
            _attr("number"),
        ),
        Column("kind", "Kind of decision (a choice key).", _attr("kind")),
        Column("title", "Title.", _attr("title")),
        Column("text", "Full text.", _attr("text")),
        Column("method", "consensus or vote.", _attr("method")),
        Column(
            "adopted_at",
            "When adopted (ISO 8601); empty for a draft.",
            lambda d: _local(d.adopted_at),
        ),
        Column("published", "true when public once adopted.", _attr("published")),
    ),
)

ACTION_ITEMS = Dataset(
    name="action-items",
    title=_("action items"),
    model=ActionItem,
    members_only=True,
    source=lambda access: meeting_selectors.action_item_list(),
    columns=(
        Column("id", "Identifier of the action item in the API.", _attr("pk")),
        Column("priority", "Title of the priority it serves.", lambda i: i.priority.title),
        Column("priority_id", "Identifier of the priority in the API.", _attr("priority_id")),
        Column("title", "Title.", _attr("title")),
        Column("responsible", "Slug of the responsible chamber.", lambda i: i.responsible.slug),
        Column("due", "Due date (YYYY-MM-DD).", _attr("due")),
        Column("status", "open, in_progress, done or cancelled.", _attr("status")),
        Column("progress", "Progress in percent (0-100).", _attr("progress")),
    ),
)


INDICATORS = Dataset(
    name="indicators",
    title=_("indicators"),
    model=Value,
    members_only=False,
    # Published series for the public, every series for members; the import's own layout.
    source=lambda access: (
        Value.objects.filter(series__in=indicator_selectors.series_visible(access))
        .select_related("series")
        .order_by("series__reporter", "series__flow", "series__key", "series_id", "period_start")
    ),
    columns=(
        Column(
            "reporter",
            "Reporter country (ISO 3166 two-letter code).",
            lambda v: v.series.reporter.code,
        ),
        Column(
            "partner", "Partner: a country's ISO code, union or world.", lambda v: v.series.partner
        ),
        Column(
            "flow", "exports, imports, turnover, balance or indicator.", lambda v: v.series.flow
        ),
        Column(
            "key",
            "A named indicator's key (intra-union-share); empty for a flow.",
            lambda v: v.series.key,
        ),
        Column("name", "A named indicator's name.", lambda v: v.series.name or ""),
        Column("unit", "Unit: USD, %, t ...", lambda v: v.series.unit),
        Column("period", "2025, 2025-Q3, 2025-03 or 2025-01/2025-10.", lambda v: v.period.code),
        Column("value", "The figure, an exact decimal.", lambda v: plain(v.value)),
        Column("source_name", "Where the figure comes from.", _attr("source_name")),
        Column("source_url", "The source's address, if any.", _attr("source_url")),
        Column("revision", "How many times the figure was written (read-only).", _attr("revision")),
    ),
)

DATASETS: dict[str, Dataset] = {
    d.name: d for d in (CHAMBERS, CONTACTS, DECISIONS, ACTION_ITEMS, INDICATORS)
}
BY_MODEL: dict[type[Model], Dataset] = {d.model: d for d in DATASETS.values()}


def export_filename(dataset: Dataset, file_format: str) -> str:
    return f"{dataset.name}-{timezone.localdate().isoformat()}.{file_format}"
