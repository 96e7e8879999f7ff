"""Shared scenes: the set-ups that many test modules start from, defined once.

- :func:`build_union`: a small union (two members and an observer, their heads) with one caller
  for each role of the permission table (``tests/conftest.py``'s ``union`` fixture).
- :func:`build_assembly`: that union's General Assembly: a meeting inviting every member and
  observer, home and other present, a document, a draft decision taken by vote, an adopted and
  published priorities decision, an adopted unpublished one, the priority it activates with an
  action item, and the rotation's order with home's approved term for 2030.
- :func:`kept_for_module`: a scene built once for a module, in a transaction rolled back after
  it (each test runs in its own savepoint inside it).
- :func:`build_world`: the reminders' union, whose rotation runs (KZ chairs 2026), with people
  to remind in several languages, and :func:`meeting_on` and :func:`answer` for its meetings.
- :func:`bulk_chambers`: volume for the query-count tests, ``count`` chambers with a membership
  period and a contact each, straight into the tables.

Everything with a business rule goes through the services as the secretariat (``SYSTEM``), as
the existing tests did; only volume is inserted directly (see :mod:`tests.factories`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client, override_settings
from django.utils import timezone
from rest_framework.test import APIClient

from chambers import services as chamber_services
from chambers.models import Chamber, Contact, MembershipStatus
from exchange.models import ExportFile
from meetings import services as meeting_services
from meetings.models import ActionItem, Decision, Meeting, MeetingDocument, Priority
from rotation import services as rotation_services
from rotation.models import Term
from tests.factories import (
    COUNTRIES,
    SYSTEM,
    ChamberFactory,
    ContactFactory,
    MembershipPeriodFactory,
    UserFactory,
    bulk_rows,
    make_chamber,
    make_contact,
    make_login,
)

ROLES = ["anonymous", "viewer", "editor", "other_editor", "read_token", "write_token", "staff"]
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


# The union ----------------------------------------------------------------------------------


@dataclass
class Union:
    """Home (KZ) and other (TR) are members since 2019, watcher (HU) an observer. Logins:
    ``viewer`` and ``editor`` of home, ``other_editor`` of other, ``staff``; tokens
    ``read_token`` and ``write_token`` of home. Home and other each have a head."""

    home: Chamber
    other: Chamber
    observer: Chamber
    home_contact: Contact
    other_contact: Contact
    tokens: dict[str, str]

    def client(self, role: str, *, api: bool = True):
        """A client acting as ``role``: session login for people, a header for tokens."""
        client = APIClient() if api else Client()
        if role in ("read_token", "write_token"):
            if not api:
                raise ValueError("tokens are for the API")
            client.credentials(HTTP_AUTHORIZATION=f"Token {self.tokens[role]}")
        elif role != "anonymous":
            client.force_login(get_user_model().objects.get(username=role))
        return client


def build_union() -> Union:
    home = make_chamber(slug="home", short_name="Home CCI", country="KZ")
    other = make_chamber(slug="other", short_name="Other CCI", country="TR")
    observer = make_chamber(
        slug="watcher", short_name="Watcher CCI", country="HU", status=MembershipStatus.OBSERVER
    )
    make_login(home, "viewer", username="viewer")
    make_login(home, "editor", username="editor")
    make_login(other, "editor", username="other_editor")
    make_login(None, None, username="staff", staff=True)
    issue = chamber_services.token_issue
    tokens = {
        "read_token": issue(actor=SYSTEM, name="r", scope="read", chamber=home)[1],
        "write_token": issue(actor=SYSTEM, name="w", scope="write", chamber=home)[1],
    }
    return Union(
        home=home,
        other=other,
        observer=observer,
        home_contact=make_contact(home, name="Home Head", roles=["head"]),
        other_contact=make_contact(other, name="Other Head", roles=["head"]),
        tokens=tokens,
    )


# Meetings, decisions, priorities, through the services ---------------------------------------


def make_meeting(
    *, days_from_now: float = 30, hours: float = 6, invite: bool = True, **data: Any
) -> Meeting:
    """A meeting through ``services.meeting_create``, which invites every member and observer on
    its date. ``data`` are the service's fields; by default an Extraordinary General Assembly
    titled "Board meeting", in Astana (time zone Asia/Almaty), starting ``days_from_now`` days
    from now (to the second) unless ``starts_at`` is given, lasting ``hours`` unless ``ends_at``
    is given."""
    starts_at = data.pop("starts_at", None)
    if starts_at is None:
        starts_at = timezone.now().replace(microsecond=0) + dt.timedelta(days=days_from_now)
    if "ends_at" not in data:
        start = dt.datetime.fromisoformat(starts_at) if isinstance(starts_at, str) else starts_at
        data["ends_at"] = start + dt.timedelta(hours=hours)
    fields: dict[str, Any] = {
        "kind": "ga_extraordinary",
        "title": "Board meeting",
        "starts_at": starts_at,
        "time_zone": "Asia/Almaty",
        "venue_city": "Astana",
        "venue_country": "KZ",
        **data,
    }
    return meeting_services.meeting_create(actor=SYSTEM, data=fields, invite=invite)


def attend(meeting: Meeting, chambers: Iterable[Chamber], *, present: bool = True) -> None:
    """Record the chambers as present (or absent) at the meeting, as staff do."""
    for chamber in chambers:
        meeting_services.attendance_record(
            actor=SYSTEM, meeting=meeting, chamber=chamber, present=present
        )


def attend_all(meeting: Meeting) -> None:
    """Every invited chamber present."""
    attend(
        meeting,
        [invitation.chamber for invitation in meeting.invitations.select_related("chamber")],
    )


def make_decision(meeting: Meeting, **data: Any) -> Decision:
    """A draft decision of the meeting (default: a general one, taken by vote)."""
    fields = {"kind": "general", "title": "On something", "method": "vote", **data}
    return meeting_services.decision_create(actor=SYSTEM, meeting=meeting, data=fields)


def vote(decision: Decision, chambers: Iterable[Chamber], choice: str) -> None:
    for chamber in chambers:
        meeting_services.vote_record(actor=SYSTEM, decision=decision, chamber=chamber, vote=choice)


def adopt(decision: Decision) -> Decision:
    return meeting_services.decision_adopt(actor=SYSTEM, decision=decision)


def make_written(*, days: float = 30, mode: str = "vote", **data: Any) -> Decision:
    """A draft decision between sessions (no meeting), put to written procedure until ``days``
    from now, with no answer yet; the voters are the full members today."""
    fields = {"kind": "general", "title": "Statement between sessions", **data}
    decision = meeting_services.decision_create(actor=SYSTEM, meeting=None, data=fields)
    meeting_services.procedure_open(
        actor=SYSTEM,
        decision=decision,
        mode=mode,
        closes_at=timezone.now() + dt.timedelta(days=days),
    )
    return decision


def make_priority(**data: Any) -> Priority:
    """A proposed priority (default: "Trade facilitation" for 2030)."""
    fields = {
        "title": "Trade facilitation",
        "period_start": dt.date(2030, 1, 1),
        "period_end": dt.date(2030, 12, 31),
        **data,
    }
    return meeting_services.priority_create(actor=SYSTEM, data=fields)


def make_action_item(priority: Priority, responsible: Chamber, **data: Any) -> ActionItem:
    fields = {"title": "Single window study", "responsible": responsible, **data}
    return meeting_services.action_item_create(actor=SYSTEM, priority=priority, data=fields)


def pdf_upload(name: str = "agenda.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


# The rotation --------------------------------------------------------------------------------


def set_order(chambers: Sequence[Chamber], kind: str = "agreed") -> None:
    rotation_services.order_set(actor=SYSTEM, kind=kind, chambers=list(chambers))


def approve_term(chamber: Chamber, year: int, **data: Any) -> Term:
    """The chamber's calendar-year term, approved through the service."""
    return rotation_services.term_approve(
        actor=SYSTEM, chamber=chamber, start=dt.date(year, 1, 1), end=dt.date(year, 12, 31), **data
    )


# The General Assembly ------------------------------------------------------------------------


@dataclass(frozen=True)
class Assembly:
    """:func:`build_union`'s union at its General Assembly of May 2030, and what hangs on it."""

    union: Union
    meeting: Meeting  # planned; home, other and watcher invited; home and other present
    document: MeetingDocument | None  # a PDF, when built with ``document=True``
    draft: Decision  # general, by vote, home voted for: adoptable, other may still vote
    decision: Decision  # priorities, by consensus, adopted and published: public
    unpublished: Decision  # general, by consensus, adopted, not published
    priority: Priority  # "Trade facilitation" 2030, made active by ``decision``
    item: ActionItem  # "Single window study" under ``priority``, home responsible, due 2030-09-30
    term: Term | None  # home's, 2030, approved (no President); order home, other, watcher
    public_export: ExportFile | None = None  # chambers.xlsx built for the public: anyone reads
    staff_export: ExportFile | None = None  # contacts.xlsx built for staff: only staff read


def build_assembly(union: Union, *, document: bool = True, rotation: bool = True) -> Assembly:
    """The General Assembly scene. ``document`` stores a file: point ``DOCUMENTS_ROOT`` at a
    temporary folder (``settings`` fixture or :func:`kept_for_module`)."""
    meeting = make_meeting(
        kind="ga_extraordinary",
        title="Board of May",
        starts_at=dt.datetime(2030, 5, 14, 4, 0, tzinfo=dt.UTC),
        hours=8,
        host=union.home,
    )
    invited = set(meeting.invitations.values_list("chamber__slug", flat=True))
    assert invited == {"home", "other", "watcher"}, invited  # the permission rows rely on it
    attend(meeting, [union.home, union.other])  # quorum
    stored = None
    if document:
        stored = meeting_services.document_add(
            actor=SYSTEM, meeting=meeting, title="Draft agenda", upload=pdf_upload()
        )
    draft = make_decision(meeting, title="Secretariat budget")
    vote(draft, [union.home], "for")
    priority = make_priority()
    decision = make_decision(
        meeting,
        kind="priorities",
        title="Priorities for 2030",
        method="consensus",
        published=True,
        effects=[{"type": "activate_priorities", "priorities": [priority.pk]}],
    )
    decision = adopt(decision)
    unpublished = adopt(make_decision(meeting, title="Internal rules", method="consensus"))
    item = make_action_item(priority, union.home, due=dt.date(2030, 9, 30))
    priority.refresh_from_db()
    # Minutes: version 1 published, version 2 a draft (the secretariat's only), and the
    # working draft changed since.
    for text, publish in (("Minutes one.", True), ("Minutes two.", False)):
        meeting_services.meeting_update(actor=SYSTEM, meeting=meeting, data={"minutes_en": text})
        meeting_services.minutes_version_save(actor=SYSTEM, meeting=meeting, publish=publish)
    meeting_services.meeting_update(
        actor=SYSTEM, meeting=meeting, data={"minutes_en": "Minutes three."}
    )
    term = None
    if rotation:
        set_order([union.home, union.other, union.observer])
        term = approve_term(union.home, 2030)
    return Assembly(
        union, meeting, stored, draft, decision, unpublished, priority, item, term,
        public_export=make_export_file("chambers"),
        staff_export=make_export_file(
            "contacts", user=get_user_model().objects.get(username="staff")
        ),
    )  # fmt: skip


def make_export_file(dataset: str, *, user=None, token=None) -> ExportFile:
    """An XLSX export built in the background, as a worker builds it (public without a
    requester). Its file goes to ``EXPORTS_ROOT``."""
    from exchange import export_files, tables

    export = export_files.export_file_request(
        dataset=tables.DATASETS[dataset], file_format="xlsx", user=user, token=token
    )
    export_files.export_file_build(export_id=export.pk)
    export.refresh_from_db()
    return export


@contextmanager
def kept_for_module(
    django_db_blocker, media_root, build: Callable[[], Any] | None = None
) -> Iterator[Any]:
    """A scene built once (default: the General Assembly of a new union) for a module-scoped
    fixture, in a transaction rolled back after the module; each test runs in its own savepoint
    inside it (pytest-django's ``db``), so writes still vanish between tests. Uploaded files go
    to ``media_root``, which the rollback would not clean."""
    build = build or (lambda: build_assembly(build_union()))
    with (
        override_settings(DOCUMENTS_ROOT=media_root),
        django_db_blocker.unblock(),
        transaction.atomic(),
    ):
        yield build()
        transaction.set_rollback(True)


# Volume ------------------------------------------------------------------------------------


class Volume(NamedTuple):
    chambers: list[Chamber]
    contacts: list[Contact]


def bulk_chambers(
    count: int,
    *,
    statuses: Sequence[str] = (MembershipStatus.MEMBER,),
    since: dt.date = dt.date(2020, 1, 1),
    contact: Callable[[int], dict[str, Any]] | None = None,
) -> Volume:
    """``count`` chambers ``bulk-0``, ``bulk-1``... ("Bulk CCI i"), each with an open membership
    period from ``since`` (the ``statuses`` in turn) and one contact (``contact(i)``'s fields;
    default: the chamber's head, "Head i"). Straight into the tables: volume, not behaviour."""
    chambers = bulk_rows(
        ChamberFactory,
        (
            {
                "slug": f"bulk-{i}",
                "short_name": f"Bulk CCI {i}",
                "name_en": f"Bulk Chamber of Commerce {i}",
                "country": COUNTRIES[i % len(COUNTRIES)],
                "website": "",
            }
            for i in range(count)
        ),
    )
    bulk_rows(
        MembershipPeriodFactory,
        (
            {"chamber": c, "status": statuses[i % len(statuses)], "start": since}
            for i, c in enumerate(chambers)
        ),
    )
    contact = contact or (lambda i: {"name": f"Head {i}", "is_head": True, "is_delegate": False})
    contacts = bulk_rows(
        ContactFactory,
        ({"chamber": c, "email": "", **contact(i)} for i, c in enumerate(chambers)),
    )
    return Volume(chambers, contacts)


# A running rotation with people to remind ------------------------------------------------------


@dataclass
class World:
    """Order HU (observer, skipped), KZ, KG, TR; KZ chairs 2026, KG is forecast for 2027.

    KZ has a head and a focal point (the focal point gets reminders); KG only a head (who gets
    them); TR a focal point, plus one without an address and one inactive (neither gets them);
    HU an observer's focal point; SUS a suspended chamber's focal point. Two staff users with
    addresses (one reading Turkish), one without an address, one inactive, and a non-staff user.
    """

    hu: Chamber
    kz: Chamber
    kg: Chamber
    tr: Chamber
    sus: Chamber
    kz_head: Contact
    kz_focal: Contact
    kg_head: Contact
    tr_focal: Contact
    tr_silent: Contact
    tr_old: Contact
    hu_focal: Contact
    sus_focal: Contact
    staff: list
    term_2026: Term

    def approve(self, chamber: Chamber, year: int) -> Term:
        return approve_term(chamber, year)


def build_world() -> World:
    """The reminders' union (``world`` in tests/reminders/conftest.py), through the services."""

    def chamber(slug, country, status="member", **names):
        return make_chamber(
            slug=slug,
            short_name=slug.upper(),
            country=country,
            status=status,
            name_en=names.get("en", f"{slug.upper()} Chamber"),
            name_ru=names.get("ru", ""),
            name_kk=names.get("kk", ""),
        )

    hu = chamber("hu", "HU", status="observer")
    kz = chamber("kz", "KZ", en="Atameken Chamber", kk="Атамекен палатасы", ru="Палата Атамекен")
    kg = chamber("kg", "KG", en="Kyrgyz Chamber", kk="Қырғыз палатасы", ru="Киргизская палата")
    tr = chamber("tr", "TR")
    sus = chamber("sus", "UZ", status="suspended")
    set_order([tr, kg, kz, hu], kind="alphabetical")

    def contact(ch, name, roles, email, language="en"):
        return make_contact(ch, name=name, roles=roles, email=email, preferred_language=language)

    kz_head = contact(kz, "KZ Head", ["head"], "head@kz.example", "kk")
    kz_focal = contact(kz, "KZ Focal", ["focal_point", "delegate"], "focal@kz.example", "kk")
    kg_head = contact(kg, "KG Head", ["head"], "head@kg.example", "ru")
    make_contact(kg, name="KG Delegate", roles=["delegate"], email="delegate@kg.example")
    tr_focal = contact(tr, "TR Focal", ["focal_point"], "focal@tr.example", "tr")
    tr_silent = contact(tr, "TR No Address", ["focal_point"], "")
    tr_old = contact(tr, "TR Former", ["focal_point"], "old@tr.example")
    Contact.objects.filter(pk=tr_old.pk).update(active=False)
    hu_focal = contact(hu, "HU Focal", ["focal_point"], "focal@hu.example", "en")
    sus_focal = contact(sus, "SUS Focal", ["focal_point"], "focal@sus.example", "ru")

    secretary = UserFactory(username="sec", email="sec@union.example", is_staff=True)
    deputy = UserFactory(username="deputy", email="deputy@union.example", is_staff=True)
    chamber_services.profile_set_language(user=deputy, language="tr")
    UserFactory(username="nomail", email="", is_staff=True)
    UserFactory(username="gone", email="gone@union.example", is_staff=True, is_active=False)
    UserFactory(username="member", email="member@union.example")

    return World(
        hu=hu, kz=kz, kg=kg, tr=tr, sus=sus,
        kz_head=kz_head, kz_focal=kz_focal, kg_head=kg_head, tr_focal=tr_focal,
        tr_silent=tr_silent, tr_old=tr_old, hu_focal=hu_focal, sus_focal=sus_focal,
        staff=[secretary, deputy],
        term_2026=approve_term(kz, 2026),
    )  # fmt: skip


def meeting_on(day: dt.date, *, hour: int = 10, tz: str = "UTC", **data: Any) -> Meeting:
    """A board meeting of half an hour at ``hour`` o'clock on ``day`` in time zone ``tz``, with
    no venue (through :func:`make_meeting`)."""
    zone = ZoneInfo(tz)
    return make_meeting(
        kind="board",
        title=data.pop("title", f"Board of {day.isoformat()}"),
        starts_at=dt.datetime(day.year, day.month, day.day, hour, tzinfo=zone),
        ends_at=dt.datetime(day.year, day.month, day.day, hour, 30, tzinfo=zone),
        time_zone=tz,
        venue_city="",
        venue_country="",
        **data,
    )


def answer(meeting: Meeting, chamber: Chamber, response: str) -> None:
    """The chamber's answer to its invitation, as its editor gives it."""
    meeting_services.invitation_respond(
        actor=SYSTEM, meeting=meeting, chamber=chamber, response=response
    )


def make_series(
    *, published: bool = True, hidden: bool = True, figures: tuple[str, ...] = ("7900000000",)
) -> list[Any]:
    """Kazakhstan's exports to the union (published) with a figure per year from 2025 back,
    and, with ``hidden``, its imports (unpublished, members only) with one figure: through
    the indicators' services."""
    from decimal import Decimal

    from indicators import periods
    from indicators import services as indicator_services

    made = []
    specs = [("exports", published, figures)]
    if hidden:
        specs.append(("imports", False, ("3100000000",)))
    for flow, is_published, values in specs:
        key = indicator_services.SeriesKey(reporter="KZ", partner="union", flow=flow, unit="USD")
        series = indicator_services.series_ensure(actor=SYSTEM, key=key, published=is_published)
        for offset, figure in enumerate(values):
            indicator_services.value_record(
                actor=SYSTEM,
                series=series,
                period=periods.parse(str(2025 - offset)),
                value=Decimal(figure),
                source_name="Statistics agency",
            )
        made.append(series)
    return made
