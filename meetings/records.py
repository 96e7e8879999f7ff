"""The documents of record as PDF, in any working language: a meeting's agenda pack, its
minutes, and the certified extract of a decision with the code that ``/verify/<code>/``
checks. Who may have which is the caller's to check (the meeting's or the decision's
permissions); these only typeset (``core.pdf``).

The verification code of an extract names the decision and carries a keyed digest (HMAC with
the site's secret key) of the decision as adopted: its reference, titles, texts in every
language, effects and adoption time. The verification page recomputes it from the database,
so a code that was changed, or a decision whose record was altered since, is refused. (A
new ``SECRET_KEY`` makes earlier codes unverifiable: keep it; the README says so.)"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.http import Http404
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from core import markup, pdf
from core.errors import ConflictError, DomainError
from core.translated import values

from . import effects as effect_registry
from . import selectors, services
from .models import Decision, Meeting, MeetingDocument, MinutesVersion


def decision_digest(decision: Decision) -> str:
    """SHA-256 of the decision as adopted (every language of its title and text)."""
    assert decision.adopted_at is not None
    record = {
        "id": decision.pk,
        "meeting": decision.meeting_id,
        "year": decision.year,
        "number": decision.number,
        "kind": decision.kind,
        "title": values(decision, "title"),
        "text": values(decision, "text"),
        "effects": decision.effects,
        "adopted_at": decision.adopted_at.isoformat(),
    }
    encoded = json.dumps(record, sort_keys=True, ensure_ascii=False).encode()
    return hashlib.sha256(encoded).hexdigest()


def _mac(pk: int, digest: str) -> str:
    raw = salted_hmac("meetings.records.extract", f"{pk}:{digest}", algorithm="sha256").digest()
    return base64.b32encode(raw).decode().rstrip("=")[:16]


def verification_code(decision: Decision) -> str:
    """``<id>-<16 letters>``: short enough to type from paper."""
    return f"{decision.pk}-{_mac(decision.pk, decision_digest(decision))}"


@dataclass(frozen=True)
class Verification:
    decision: Decision | None
    digest: str = ""

    @property
    def authentic(self) -> bool:
        return self.decision is not None


def verify(code: str) -> Verification:
    """The adopted decision whose extract carries ``code``, or none (unknown or changed)."""
    pk_text, _, mac = code.strip().upper().partition("-")
    if not re.fullmatch(r"[0-9]{1,18}", pk_text) or not re.fullmatch(r"[A-Z2-7]{16}", mac):
        return Verification(None)
    decision = (
        Decision.objects.select_related("meeting")
        .filter(pk=int(pk_text), adopted_at__isnull=False)
        .first()
    )
    if decision is None:
        return Verification(None)
    digest = decision_digest(decision)
    if not hmac.compare_digest(_mac(decision.pk, digest), mac):
        return Verification(None)
    return Verification(decision, digest)


def verification_url(request: Any, decision: Decision) -> str:
    path = reverse("meetings:verify", args=[verification_code(decision)])
    return str(request.build_absolute_uri(path)) if request is not None else path


# Who gets which ------------------------------------------------------------------------------


def minutes_to_print(
    meeting: Meeting, *, is_staff: bool, number: Any = None
) -> MinutesVersion | None:
    """The version of the minutes a reader asked for (``?version=``), else the latest they
    may see; for the secretariat with no version asked, the working draft (None). A member
    asking for a draft, or for minutes not published yet, gets 404."""
    versions = meeting.minutes_versions_for(is_staff=is_staff)
    if number not in (None, "") and not re.fullmatch(r"[0-9]{1,5}", str(number)):
        raise DomainError(_("Give the number of a version."), field="version")
    if number not in (None, ""):
        found = meeting.minutes_version_numbered(number, is_staff=is_staff)
        if found is None:
            raise Http404(_("No such version of the minutes."))
        return found
    if is_staff and meeting.minutes:
        return None
    if not versions:
        raise Http404(_("The minutes are not published yet."))
    return versions[-1]


def require_adopted(decision: Decision) -> Decision:
    """An extract certifies an adopted decision: a draft has none (409)."""
    if not decision.is_adopted:
        raise ConflictError(_("This decision is not adopted: it has no extract yet."))
    return decision


# The documents -------------------------------------------------------------------------------


def extract_pdf(decision: Decision, *, language: str, request: Any = None) -> bytes:
    """The certified extract of an adopted decision."""
    with translation.override(language):  # the effects in words, too
        return _extract_pdf(decision, language=language, request=request)


def _extract_pdf(decision: Decision, *, language: str, request: Any) -> bytes:
    votes = sorted(decision.votes.all(), key=lambda vote: vote.chamber.short_name)
    procedure = selectors.current_procedure(decision)
    context = {
        "decision": decision,
        "effects": effect_registry.describe(decision.effects),
        "votes": votes,
        "tally": services.tally(votes),
        "procedure": procedure,
        "outcome": services.outcome_of(procedure) if procedure is not None else None,
        "code": verification_code(decision),
        "digest": decision_digest(decision),
        "url": verification_url(request, decision),
        "issued": timezone.localdate(),
    }
    return pdf.render("documents/decision_extract.html", context, language=language)


def minutes_pdf(meeting: Meeting, version: MinutesVersion | None, *, language: str) -> bytes:
    """A version of the minutes (None: the secretariat's working draft), marked as a draft
    unless approved, and then with the approving decision."""
    with translation.override(language):  # the text in that language
        text = version.text if version is not None else meeting.minutes
    context = {
        "meeting": meeting,
        "version": version,
        "body": markup.render(text),
        "draft": version is None or not version.is_approved,
    }
    return pdf.render("documents/minutes.html", context, language=language)


@dataclass(frozen=True)
class PackDocument:
    document: Any
    pages: int
    included: bool


def pack_builds_in_background(meeting: Meeting) -> bool:
    """Whether the agenda pack is left to a worker: more PDF documents than
    ``AGENDA_PACK_INLINE_DOCUMENTS``, or more than ``AGENDA_PACK_INLINE_MB`` of them (read
    from the stored sizes, without opening a file). ``bench/agenda_pack.py`` measured 50 items
    and 20 documents of 5 pages at about 1.2 s: a request below both limits waits a second or
    two at most."""
    pdfs = [d for d in meeting.documents.all() if d.content_type == "application/pdf"]
    size = sum(document.size for document in pdfs)
    return (
        len(pdfs) > settings.AGENDA_PACK_INLINE_DOCUMENTS
        or size > settings.AGENDA_PACK_INLINE_MB * 1024 * 1024
    )


def agenda_pack_filename(meeting: Meeting) -> str:
    return f"agenda-pack-{meeting.pk}.pdf"


def agenda_pack_pdf(meeting: Meeting, *, language: str, attach: bool = True) -> bytes:
    """Cover, agenda, the invited chambers and their answers, the documents list, then the
    pages of the meeting's PDF documents (unless ``attach`` is false: the front alone, as the
    benchmark times it). Each PDF is read once (:func:`core.pdf.readable`): its pages are
    counted for the list and appended from the same copy."""
    documents = list(meeting.documents.all())
    readers = [_readable(document) for document in documents]
    context = {
        "meeting": meeting,
        "agenda": list(meeting.agenda.all()),
        "invitations": sorted(
            meeting.invitations.all(), key=lambda invitation: invitation.chamber.short_name
        ),
        "documents": [
            PackDocument(document, len(reader.pages) if reader else 0, reader is not None)
            for document, reader in zip(documents, readers, strict=True)
        ],
    }
    front = pdf.render("documents/agenda_pack.html", context, language=language)
    if not attach:
        return front
    return pdf.appended(front, [reader for reader in readers if reader is not None])


def _readable(document: MeetingDocument) -> Any:
    """The PDF of a document as :func:`core.pdf.readable` gives it; None for any other kind
    of file, a missing file, or a damaged PDF."""
    if document.content_type != "application/pdf":
        return None
    try:
        with document.file.open("rb") as handle:
            content = handle.read()
    except FileNotFoundError:
        return None
    return pdf.readable(content) if content else None
