"""Documents of record as PDF: a template rendered to HTML, typeset by WeasyPrint (Pango, from
Debian: ``scripts/system-deps.sh``) in the DejaVu fonts, which cover the Cyrillic, Kazakh,
Turkish, Azerbaijani and Hungarian letters; other PDFs appended with pypdf.

Nothing is fetched while typesetting: the fetcher refuses every address but ``data:`` (the
templates carry their own CSS), so a link or an image in a user's text cannot make the server
request another one."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import translation

if TYPE_CHECKING:
    from pypdf import PdfReader

logger = logging.getLogger(__name__)

#: The font every document of record is set in (Debian's fonts-dejavu-core).
FONT = "DejaVu Sans"


class FetchRefused(ValueError):
    pass


def _no_fetch(url: str, *args: Any, **kwargs: Any) -> Any:
    if url.startswith("data:"):
        import weasyprint  # type: ignore[import-untyped]

        return weasyprint.default_url_fetcher(url, *args, **kwargs)
    raise FetchRefused(url)


def render(template: str, context: dict[str, Any], *, language: str) -> bytes:
    """The template typeset as a PDF, in ``language``."""
    import weasyprint  # loads Pango: only when a PDF is made

    with translation.override(language):
        html = render_to_string(template, {**context, "font": FONT, "language": language})
    return bytes(weasyprint.HTML(string=html, url_fetcher=_no_fetch).write_pdf())


def appended(first: bytes, others: Iterable[PdfReader]) -> bytes:
    """``first`` with the pages of each of ``others`` after it (readers of :func:`readable`)."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    writer.append(PdfReader(io.BytesIO(first)))
    for reader in others:
        writer.append(reader)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def readable(content: bytes) -> PdfReader | None:
    """A reader of the PDF as pypdf wrote it again, or None when it cannot be read whole: a
    file that breaks halfway is left out of a pack entirely, never with half its pages (pypdf
    raises many kinds of error on a damaged file: any of them means "not included"). Read
    once, the copy's pages are counted and appended without reading the upload again."""
    from pypdf import PdfReader, PdfWriter

    try:
        writer = PdfWriter()
        writer.append(PdfReader(io.BytesIO(content)))
        out = io.BytesIO()
        writer.write(out)
        reader = PdfReader(io.BytesIO(out.getvalue()))
        len(reader.pages)  # the page tree read now, while an error is still caught
    except Exception:  # a damaged upload is left out of the pack, not a 500
        logger.warning("A PDF document could not be read; left out of the agenda pack")
        return None
    return reader


def response(content: bytes, filename: str) -> HttpResponse:
    """A PDF download, never cached by a shared cache (documents may be members-only)."""
    answer = HttpResponse(content, content_type="application/pdf")
    answer["Content-Disposition"] = f'inline; filename="{filename}"'
    answer["Cache-Control"] = "private, no-store"
    return answer
