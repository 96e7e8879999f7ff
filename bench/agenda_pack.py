"""Benchmark of the agenda pack: a meeting of the demo union with 50 agenda items (titles in
every working language) and 20 PDF documents of 5 pages each, typeset in Kazakh.

Run with ``make bench`` (SQLite in a temporary file) or with DATABASE_URL set for PostgreSQL.
Prints the median and slowest of a few rounds for the whole pack and for its two parts (the
front matter typeset by WeasyPrint, with the documents read to count their pages; the
documents read and their pages appended by pypdf), beside the
stack's floor measured in the same run: WeasyPrint typesetting a one-page document, and pypdf
copying the same 20 documents into one file with nothing of ours around it. The pack's queries
are counted too (flat: the same for 5 items or 50).

The figures decide ``AGENDA_PACK_INLINE_BYTES`` and ``AGENDA_PACK_INLINE_DOCUMENTS``: a pack
below both is typeset while the request waits; above either, by a worker.
"""

from __future__ import annotations

import io
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.test_settings")
if "DATABASE_URL" not in os.environ:
    os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

ROUNDS = 5
ITEMS = 50
DOCUMENTS = 20
PAGES = 5
LANGUAGE = "kk"


def timed(action: Callable[[], object]) -> tuple[float, float]:
    """Median and slowest of ``ROUNDS`` runs, in milliseconds."""
    runs = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        action()
        runs.append((time.perf_counter() - start) * 1000)
    return statistics.median(runs), max(runs)


def annex(number: int) -> bytes:
    import weasyprint

    pages = "".join(
        f'<h1 style="page-break-before: always">Annex {number}, page {page}</h1>'
        + "<p>Сауда-экономикалық ынтымақтастық. Ticaret ve ekonomik işbirliği. " * 40
        + "</p>"
        for page in range(1, PAGES + 1)
    )
    return bytes(weasyprint.HTML(string=f"<body>{pages}</body>").write_pdf())


def build_meeting() -> object:
    from core.access import Access
    from meetings import services
    from meetings.models import Meeting

    system = Access(user=None, label="bench", is_staff=True, reads_all=True, can_write=True)
    meeting = Meeting.objects.order_by("-starts_at").first()
    assert meeting is not None, "the demo union has meetings"
    for number in range(1, ITEMS + 1):
        services.agenda_item_add(
            actor=system,
            meeting=meeting,
            data={
                "title_en": f"Item {number}: the trade and logistics working group's report",
                "title_kk": f"{number}-мәселе: сауда және логистика жұмыс тобының есебі",
                "title_ru": f"Вопрос {number}: доклад рабочей группы по торговле и логистике",
                "title_tr": f"Madde {number}: ticaret ve lojistik çalışma grubunun raporu",
            },
        )
    for number in range(1, DOCUMENTS + 1):
        services.document_add(
            actor=system,
            meeting=meeting,
            title=f"Annex {number}",
            upload=SimpleUploadedFile(
                f"annex-{number}.pdf", annex(number), content_type="application/pdf"
            ),
        )
    return meeting


def main() -> None:
    import pypdf
    import weasyprint

    from core import pdf
    from meetings import records, selectors

    setup_test_environment()
    settings.DOCUMENTS_ROOT = Path(tempfile.mkdtemp())
    test_db = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        call_command("load_demo", verbosity=0)
        meeting_id = build_meeting().pk  # type: ignore[attr-defined]

        def meeting() -> object:
            return selectors.meeting_detail().get(pk=meeting_id)

        held = meeting()
        contents = [d.file.open("rb").read() for d in held.documents.all()]  # type: ignore[attr-defined]
        size = sum(len(c) for c in contents)

        def pack() -> bytes:
            return records.agenda_pack_pdf(meeting(), language=LANGUAGE)

        def front() -> bytes:
            return records.agenda_pack_pdf(meeting(), language=LANGUAGE, attach=False)

        front_pdf = front()

        def appended() -> bytes:
            readers = [pdf.readable(content) for content in contents]
            return pdf.appended(front_pdf, [reader for reader in readers if reader])

        def floor_typeset() -> bytes:
            return bytes(weasyprint.HTML(string="<p>Агенда</p>").write_pdf())

        def floor_copy() -> bytes:
            writer = pypdf.PdfWriter()
            for content in contents:
                writer.append(pypdf.PdfReader(io.BytesIO(content)))
            out = io.BytesIO()
            writer.write(out)
            return out.getvalue()

        with CaptureQueriesContext(connection) as queries:
            whole = pack()
        pages = len(pypdf.PdfReader(io.BytesIO(whole)).pages)
        front_pages = len(pypdf.PdfReader(io.BytesIO(front_pdf)).pages)
        print(f"database: {connection.vendor}; weasyprint {weasyprint.__version__}")
        print(
            f"agenda pack: {ITEMS} items, {DOCUMENTS} PDF documents ({size / 1e6:.1f} MB), "
            f"{pages} pages ({front_pages} typeset), {len(whole) / 1e6:.1f} MB, "
            f"{len(queries)} queries"
        )
        print(f"{'part':34} {'median ms':>10} {'max ms':>8}")
        for name, action in (
            ("whole pack", pack),
            ("front typeset, documents read", front),
            ("documents read and appended", appended),
            ("floor: WeasyPrint, one page", floor_typeset),
            ("floor: pypdf copies the documents", floor_copy),
        ):
            median, slowest = timed(action)
            print(f"{name:34} {median:>10.0f} {slowest:>8.0f}")
    finally:
        connection.creation.destroy_test_db(test_db, verbosity=0)


if __name__ == "__main__":
    main()
