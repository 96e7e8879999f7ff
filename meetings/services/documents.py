"""Meeting documents: an upload is checked by its content and stored under a generated name."""

from __future__ import annotations

from typing import Any, cast

import filetype
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from core.access import Access, require_staff
from core.errors import DomainError
from core.events import emit
from core.services import file_stored, validated_save

from ..events import DocumentAdded
from ..models import Meeting, MeetingDocument

#: Allowed document types, recognised by their content (not by the name the uploader gave).
DOCUMENT_TYPES = {
    "application/pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "application/vnd.oasis.opendocument.text",
    "application/vnd.oasis.opendocument.spreadsheet",
    "image/png",
    "image/jpeg",
}


@transaction.atomic
def document_add(
    *, actor: Access, meeting: Meeting, title: str, upload: UploadedFile
) -> MeetingDocument:
    """Store a meeting document under a generated name, after checking size and content."""
    require_staff(actor)
    kind = document_check(upload)
    # Django sets both on every upload; the stubs allow None for a file built by hand.
    name, size = cast(str, upload.name), cast(int, upload.size)
    document = MeetingDocument(
        meeting=meeting,
        title=title,
        original_name=name[:255],
        content_type=kind.mime,
        size=size,
        uploaded_by=actor.person,
    )
    document.file.save(f"upload.{kind.extension}", upload, save=False)
    file_stored(document.file.storage, document.file.name)
    try:
        validated_save(document, actor)
    except Exception:
        document.file.storage.delete(document.file.name)  # no orphan file without its row
        raise
    emit(DocumentAdded(meeting=meeting, document=document))
    return document


def document_check(upload: UploadedFile) -> Any:
    """The upload rule (size, and a type recognised from the content); returns the type."""
    if upload.size > settings.MEETING_DOCUMENT_MAX_BYTES:
        raise DomainError(
            _("The file is larger than %(limit)s MB.")
            % {"limit": settings.MEETING_DOCUMENT_MAX_BYTES // (1024 * 1024)},
            field="file",
        )
    upload.seek(0)
    kind = filetype.guess(upload.read(8192))
    upload.seek(0)
    if kind is None or kind.mime not in DOCUMENT_TYPES:
        raise DomainError(
            _("This type of file is not accepted: upload PDF, Office, OpenDocument or images."),
            field="file",
        )
    return kind
