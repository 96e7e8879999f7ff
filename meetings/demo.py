"""The demo union's meetings: the III General Assembly in Astana on 2026-01-08 (the source
article of ``shared/seed/FACTS.md``), its agenda, attendance, decisions and the four priorities
it discussed, and one upcoming meeting. Loaded idempotently by ``load_demo``."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from chambers.models import Chamber, Contact
from core.access import Access
from core.demo_texts import TEXTS
from core.translated import in_languages

from . import services
from .models import Decision, Meeting, MeetingKind

ASTANA = ZoneInfo("Asia/Almaty")
YEAR = (dt.date(2026, 1, 1), dt.date(2026, 12, 31))

PRIORITIES = [
    ("Developing industrial cooperation and joint projects", "atameken",
     "Register of joint industrial projects of the member chambers", dt.date(2026, 6, 30), 40),
    ("Using the instruments of the Turkic Investment Fund effectively", "azerbaijan-cci",
     "Briefing for member chambers on the Fund's financing instruments", dt.date(2026, 4, 30), 100),
    ("Reducing trade and technical barriers", "tobb",
     "Survey of technical barriers met by member chambers' companies", dt.date(2026, 9, 30), 25),
    ("Strengthening transport and logistics connectivity: international routes and corridors",
     "uzbekistan-cci", "Map of international transport corridors and their bottlenecks",
     dt.date(2026, 10, 31), 10),
]  # fmt: skip

AGENDA = [
    ("Handover of the chairmanship from Azerbaijan to Kazakhstan", "atameken"),
    ("Priorities of the union for the coming period", "atameken"),
    ("A mechanism for joint purchasing of medicines by the Turkic states", None),
]


def _texts(name: str, english: str) -> dict[str, str]:
    """``name`` in every working language the demo has it in (core.demo_texts)."""
    return in_languages(name, english, TEXTS)


def load(actor: Access) -> None:
    if not Meeting.objects.filter(kind=MeetingKind.GA_ORDINARY, session_number=3).exists():
        _third_general_assembly(actor)
    if not Decision.objects.filter(meeting__isnull=True).exists():
        _written_procedure(actor)
    if not Meeting.objects.filter(
        kind=MeetingKind.BOARD, title="Board meeting on the 2027 chairmanship"
    ).exists():
        services.meeting_create(
            actor=actor,
            data={
                "kind": MeetingKind.BOARD,
                **_texts("title", "Board meeting on the 2027 chairmanship"),
                "starts_at": dt.datetime(2027, 2, 10, 10, 0, tzinfo=ASTANA),
                "ends_at": dt.datetime(2027, 2, 10, 13, 0, tzinfo=ASTANA),
                "time_zone": "Asia/Almaty",
                "format": "online",
                "host": Chamber.objects.get(slug="atameken"),
            },
        )


STATEMENT = "Statement of the union on the Middle Corridor"
STATEMENT_TEXT = (
    "The union supports the development of the Trans-Caspian International Transport Route "
    "and asks the member states to simplify transit procedures along it."
)
LETTER = (
    "Dear colleagues, the secretariat puts the draft statement to written procedure. Please "
    "answer in the portal by the deadline."
)


def _written_procedure(actor: Access) -> None:
    """A statement between sessions under written procedure, open for two weeks from the day
    the demo is loaded (18:00 in Astana), with TOBB's answer already in."""
    decision = services.decision_create(
        actor=actor,
        meeting=None,
        data={
            "kind": "general",
            **_texts("title", STATEMENT),
            **_texts("text", STATEMENT_TEXT),
            "method": "vote",
            "published": True,
        },
    )
    deadline = dt.datetime.combine(
        dt.date.today() + dt.timedelta(days=14), dt.time(18, 0), tzinfo=ASTANA
    )
    services.procedure_open(
        actor=actor,
        decision=decision,
        mode="vote",
        closes_at=deadline,
        data=_texts("letter", LETTER),
    )
    services.ballot_cast(
        actor=actor,
        decision=decision,
        chamber=Chamber.objects.get(slug="tobb"),
        answer="for",
        received_on=dt.date.today(),
    )


def _third_general_assembly(actor: Access) -> None:
    chambers = {c.slug: c for c in Chamber.objects.all()}
    meeting = services.meeting_create(
        actor=actor,
        data={
            "kind": MeetingKind.GA_ORDINARY,
            "session_number": 3,
            "starts_at": dt.datetime(2026, 1, 8, 10, 0, tzinfo=ASTANA),
            "ends_at": dt.datetime(2026, 1, 8, 18, 0, tzinfo=ASTANA),
            "time_zone": "Asia/Almaty",
            "format": "in_person",
            "venue_city": "Astana",
            "venue_country": "KZ",
            "host": chambers["atameken"],
        },
    )
    priorities = [
        services.priority_create(
            actor=actor,
            data={**_texts("title", title), "period_start": YEAR[0], "period_end": YEAR[1]},
        )
        for title, *_rest in PRIORITIES
    ]
    for title, presenter in AGENDA:
        services.agenda_item_add(
            actor=actor,
            meeting=meeting,
            data={
                **_texts("title", title),
                "presenter": chambers.get(presenter) if presenter else None,
            },
        )
    # Every invited chamber (six members and Hungary) answered and attended.
    for invitation in meeting.invitations.select_related("chamber"):
        services.invitation_respond(
            actor=actor, meeting=meeting, chamber=invitation.chamber, response="attending"
        )
        services.attendance_record(
            actor=actor, meeting=meeting, chamber=invitation.chamber, present=True
        )
    chair = services.decision_create(
        actor=actor,
        meeting=meeting,
        data={
            "kind": "rotation",
            **_texts("title", "On the chairmanship of the union in 2026"),
            **_texts(
                "text",
                "The chairmanship of the union passes from the Republic of Azerbaijan to the "
                "Republic of Kazakhstan for 2026. Raimbek Batalov, Chairman of the Presidium of "
                'NCE "Atameken", is President of the union for one year.',
            ),
            "method": "consensus",
            "published": True,
            "effects": [
                {
                    "type": "approve_term",
                    "chamber": "atameken",
                    "start": "2026-01-01",
                    "end": "2026-12-31",
                    "president": Contact.objects.get(chamber__slug="atameken", is_head=True).pk,
                }
            ],
        },
    )
    services.decision_adopt(actor=actor, decision=chair, adopted_at=meeting.ends_at)
    agenda = services.decision_create(
        actor=actor,
        meeting=meeting,
        data={
            "kind": "priorities",
            **_texts("title", "On the priorities of the union for 2026"),
            "method": "consensus",
            "published": True,
            "effects": [{"type": "activate_priorities", "priorities": [p.pk for p in priorities]}],
        },
    )
    services.decision_adopt(actor=actor, decision=agenda, adopted_at=meeting.ends_at)
    services.meeting_update(actor=actor, meeting=meeting, data={"status": "held"})
    # Its minutes, drafted from the record and published for approval at the next session.
    services.minutes_draft_generate(actor=actor, meeting=meeting)
    services.minutes_version_save(
        actor=actor, meeting=meeting, note="Drafted from the record", publish=True
    )
    for priority, (_title, slug, item, due, progress) in zip(priorities, PRIORITIES, strict=True):
        action = services.action_item_create(
            actor=actor,
            priority=priority,
            data={**_texts("title", item), "responsible": chambers[slug], "due": due},
        )
        status = "done" if progress == 100 else "in_progress"
        services.action_item_update(
            actor=actor,
            item=action,
            data={"status": status, "progress": progress},
            note="Progress reported to the secretariat.",
        )
