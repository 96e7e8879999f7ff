"""Documents built in the background: a file of the lower apps (the agenda pack of a meeting)
typeset by a worker when it is too large to typeset while the request waits.

Each is named by the ``ExportFile.dataset`` column, with its arguments in ``params``; the
requester is checked as for a members-only export, when the file is asked for, when it is
built and when it is read. The view that offers it asks through :mod:`core.background`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from core.access import Access
from meetings import records, selectors


@dataclass(frozen=True)
class Document:
    name: str
    title: str | Promise
    build: Callable[[Access, Mapping[str, Any]], bytes]
    file_format: str = "pdf"
    content_type: str = "application/pdf"
    members_only: bool = True


def _agenda_pack(access: Access, params: Mapping[str, Any]) -> bytes:
    meeting = selectors.meeting_detail().get(pk=params["meeting"])  # deleted since: failed
    language = params.get("language") or settings.LANGUAGE_CODE
    return records.agenda_pack_pdf(meeting, language=language)


AGENDA_PACK = Document("agenda-pack", _("agenda pack"), _agenda_pack)

DOCUMENTS: dict[str, Document] = {document.name: document for document in (AGENDA_PACK,)}
