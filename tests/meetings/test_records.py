"""The documents of record as PDF, read back with pypdf: the right content in Kazakh, Russian
and Turkish with every letter set in an embedded DejaVu font (no missing-glyph boxes), the
agenda pack carrying the pages of an attached PDF, drafts of the minutes marked as such and
approved ones naming the decision, and the verification of an extract's code."""

from __future__ import annotations

import io

import pytest
import weasyprint
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.translation import gettext, override
from pypdf import PdfReader

from exchange import tasks
from exchange.models import ExportFile, ExportStatus
from meetings import records, services
from meetings.models import Decision
from tests.factories import SYSTEM
from tests.scenes import Union, adopt, attend_all, make_decision, make_meeting

#: Letters of the working languages that a font without them would draw as boxes.
LETTERS = "ӘәҒғҚқҢңӨөҰұҮүҺһІі ЁёЖжЩщЫы ĞğŞşİıÇçÖöÜü Əə ŐőŰű"

TITLES = {
    "en": "Joint trade fair",
    "kk": "Бірлескен сауда жәрмеңкесі",
    "ru": "Совместная торговая ярмарка",
    "tr": "Ortak ticaret fuarı",
}


def text_of(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def fonts_of(content: bytes) -> dict[str, bool]:
    """Each font of the PDF: whether its glyphs are embedded."""
    found: dict[str, bool] = {}
    for page in PdfReader(io.BytesIO(content)).pages:
        for ref in page["/Resources"]["/Font"].values():
            font = ref.get_object()
            descendants = font.get("/DescendantFonts")
            described = descendants[0].get_object() if descendants else font
            descriptor = described["/FontDescriptor"].get_object()
            embedded = any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))
            found[str(font["/BaseFont"]).split("+")[-1]] = embedded
    return found


@pytest.fixture
def adopted(union: Union) -> Decision:
    meeting = make_meeting(kind="board", title="Board of March", days_from_now=-30)
    attend_all(meeting)
    decision = make_decision(
        meeting,
        method="consensus",
        published=True,
        text_en=f"Letters: {LETTERS}",
        **{f"title_{code}": title for code, title in TITLES.items()},
    )
    return adopt(decision)


@pytest.mark.parametrize("language", ["kk", "ru", "tr"])
def test_an_extract_is_in_the_language_asked_with_every_letter(union, adopted, language):
    content = records.extract_pdf(adopted, language=language)
    text = text_of(content)
    assert TITLES[language] in text
    with override(language):
        assert gettext("Verification code") in text
    assert records.verification_code(adopted) in text
    assert LETTERS.replace(" ", "") in text.replace(" ", "")  # every letter came out as itself
    fonts = fonts_of(content)
    assert fonts and all(name.startswith("DejaVu") for name in fonts), fonts
    assert all(fonts.values()), fonts  # embedded


def test_the_extract_through_the_portal_and_the_api(union, adopted):
    page = union.client("anonymous", api=False).get(f"/decisions/{adopted.pk}/extract.pdf?lang=kk")
    assert page.status_code == 200 and page["Content-Type"] == "application/pdf"
    assert TITLES["kk"] in text_of(page.content)
    api = union.client("read_token").get(
        f"/api/v1/decisions/{adopted.pk}/extract.pdf?lang=ru", HTTP_ACCEPT="application/pdf"
    )
    assert api.status_code == 200 and TITLES["ru"] in text_of(api.content)
    draft = make_decision(adopted.meeting, title="Not yet")
    refused = union.client("read_token").get(f"/api/v1/decisions/{draft.pk}/extract.pdf")
    assert refused.status_code == 409


def test_verification_accepts_a_real_code_and_refuses_a_changed_one(union, adopted):
    client = union.client("anonymous", api=False)
    code = records.verification_code(adopted)
    real = client.get(f"/verify/{code}/")
    assert real.status_code == 200
    body = real.content.decode()
    assert "Authentic." in body and adopted.reference in body
    assert records.decision_digest(adopted) in body
    changed = code[:-1] + ("A" if code[-1] != "A" else "B")
    refused = client.get(f"/verify/{changed}/")
    assert refused.status_code == 404 and "Not authentic." in refused.content.decode()
    assert client.get("/verify/nonsense/").status_code == 404
    # The record altered behind the services' back: the code no longer verifies.
    Decision.objects.filter(pk=adopted.pk).update(title_en="Another text")
    assert client.get(f"/verify/{code}/").status_code == 404


def test_the_agenda_pack_carries_the_pages_of_an_attached_pdf(union, settings, tmp_path):
    settings.DOCUMENTS_ROOT = tmp_path
    meeting = make_meeting(kind="board", title="Board of June")
    services.agenda_item_add(actor=SYSTEM, meeting=meeting, data={"title_kk": "Бюджет туралы"})
    pages = "".join(
        f'<p style="page-break-after: always">{text}</p>'
        for text in ("Annex page one", "Annex page two")
    )
    annex = weasyprint.HTML(string=f"<body>{pages}</body>").write_pdf()
    services.document_add(
        actor=SYSTEM,
        meeting=meeting,
        title="Annex",
        upload=SimpleUploadedFile("annex.pdf", annex, content_type="application/pdf"),
    )
    content = (
        union.client("viewer", api=False)
        .get(f"/meetings/{meeting.pk}/agenda-pack.pdf?lang=kk")
        .content
    )
    reader = PdfReader(io.BytesIO(content))
    front = len(reader.pages) - 2
    assert front >= 2  # the cover, then the agenda, answers and documents
    assert "Annex page one" in reader.pages[front].extract_text()
    assert "Annex page two" in reader.pages[front + 1].extract_text()
    text = text_of(content)
    assert "Бюджет туралы" in text and "Home CCI" in text
    with override("kk"):
        assert gettext("Invited chambers and their answers") in text


def test_the_minutes_pdf_marks_a_draft_and_names_the_approval(union, adopted):
    held = adopted.meeting
    services.meeting_update(actor=SYSTEM, meeting=held, data={"minutes_en": "## We met\n\nAll."})
    version = services.minutes_version_save(actor=SYSTEM, meeting=held)
    staff = union.client("staff")
    draft = text_of(staff.get(f"/api/v1/meetings/{held.pk}/minutes.pdf?version=1").content)
    assert "DRAFT" in draft and "We met" in draft
    viewer = union.client("viewer", api=False)
    assert viewer.get(f"/meetings/{held.pk}/minutes.pdf").status_code == 404  # not published
    services.minutes_version_publish(actor=SYSTEM, version=version)
    session = make_meeting(kind="board", title="Board of June", days_from_now=10)
    attend_all(session)
    approval = make_decision(
        session,
        method="consensus",
        title="Minutes",
        effects=[{"type": "approve_minutes", "version": version.pk}],
    )
    adopt(approval)
    approved = text_of(viewer.get(f"/meetings/{held.pk}/minutes.pdf").content)
    assert "DRAFT" not in approved and approval.reference in approved.replace("\n", " ")


def test_a_damaged_pdf_is_left_out_of_the_pack_not_a_500(union, settings, tmp_path):
    settings.DOCUMENTS_ROOT = tmp_path
    meeting = make_meeting(kind="board", title="Board of June")
    good = weasyprint.HTML(string="<p>Annex</p>").write_pdf()
    damaged = good[:200] + b"\x00garbage" + good[-300:]
    for title, content in (("Damaged", damaged), ("Good", good)):
        document = services.document_add(
            actor=SYSTEM,
            meeting=meeting,
            title=title,
            upload=SimpleUploadedFile(f"{title}.pdf", content, content_type="application/pdf"),
        )
        assert document.content_type == "application/pdf"
    response = union.client("viewer", api=False).get(f"/meetings/{meeting.pk}/agenda-pack.pdf")
    assert response.status_code == 200
    text = text_of(response.content)
    assert "Annex" in text.split("Good")[-1]  # the good one appended


def test_odd_codes_and_versions_are_refused_not_500(union, adopted):
    client = union.client("anonymous", api=False)
    for code in ("²-AAAAAAAAAAAAAAAA", "1" * 5000 + "-AAAAAAAAAAAAAAAA", "1-", "-"):
        assert client.get(f"/verify/{code}/").status_code == 404
    staff = union.client("staff")
    bad = staff.get(f"/api/v1/meetings/{adopted.meeting_id}/minutes.pdf?version=abc")
    assert bad.status_code == 400 and "version" in bad.json()
    page = union.client("staff", api=False).get(
        f"/meetings/{adopted.meeting_id}/minutes.pdf?version=abc"
    )
    assert page.status_code == 400


def _annexes(meeting, count: int) -> None:
    for number in range(1, count + 1):
        content = weasyprint.HTML(string=f"<p>Annex number {number}</p>").write_pdf()
        services.document_add(
            actor=SYSTEM,
            meeting=meeting,
            title=f"Annex {number}",
            upload=SimpleUploadedFile(f"a{number}.pdf", content, content_type="application/pdf"),
        )


def test_a_large_pack_is_built_by_a_worker_and_offered_when_ready(union, settings, tmp_path):
    """Above ``AGENDA_PACK_INLINE_DOCUMENTS`` the API answers 202 with the file's state (as a
    large XLSX export), a worker typesets it in the language asked for, and only its
    requester downloads it; a second request while it is built is the same file."""
    settings.DOCUMENTS_ROOT = tmp_path / "documents"
    settings.EXPORTS_ROOT = tmp_path / "exports"
    settings.AGENDA_PACK_INLINE_DOCUMENTS = 1
    meeting = make_meeting(kind="board", title="Board of June")
    services.agenda_item_add(actor=SYSTEM, meeting=meeting, data={"title_kk": "Бюджет туралы"})
    _annexes(meeting, 2)
    token = union.client("read_token")
    path = f"/api/v1/meetings/{meeting.pk}/agenda-pack.pdf?lang=kk"
    started = token.get(path, HTTP_ACCEPT="application/pdf")
    assert started.status_code == 202 and started["Content-Type"] == "application/json"
    body = started.json()
    assert body["dataset"] == "agenda-pack" and body["status"] == "pending"
    assert started["Location"] == body["url"]
    assert token.get(path).json()["id"] == body["id"]  # the same build, not a second one
    assert ExportFile.objects.count() == 1
    assert token.get(f"/api/v1/exports/files/{body['id']}/download/").status_code == 409

    assert tasks.build_export_file.apply(args=[body["id"]]).get() == ExportStatus.READY
    ready = token.get(body["url"]).json()
    assert ready["status"] == "ready" and ready["filename"] == f"agenda-pack-{meeting.pk}.pdf"
    download = token.get(ready["download"])
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    content = b"".join(download.streaming_content)
    text = text_of(content)
    assert "Бюджет туралы" in text and "Annex number 1" in text and "Annex number 2" in text
    # Nobody else finds it, not even the secretariat.
    for role in ("viewer", "staff", "anonymous"):
        assert union.client(role).get(body["url"]).status_code == 404, role


def test_a_large_pack_asked_for_in_the_portal_leads_to_its_page(union, settings, tmp_path):
    settings.DOCUMENTS_ROOT = tmp_path / "documents"
    settings.EXPORTS_ROOT = tmp_path / "exports"
    settings.AGENDA_PACK_INLINE_MB = 0.001  # the two annexes weigh more than a kilobyte
    meeting = make_meeting(kind="board", title="Board of June")
    _annexes(meeting, 2)
    browser = union.client("viewer", api=False)
    response = browser.get(f"/meetings/{meeting.pk}/agenda-pack.pdf?lang=ru")
    assert response.status_code == 303
    export = ExportFile.objects.get()
    assert response["Location"] == f"/exports/{export.pk}/"
    assert export.params == {"meeting": meeting.pk, "language": "ru"}
    waiting = browser.get(response["Location"]).content.decode()
    assert 'http-equiv="refresh"' in waiting
    assert tasks.build_export_file.apply(args=[str(export.pk)]).get() == ExportStatus.READY
    with override("ru"):
        ready = browser.get(response["Location"]).content.decode()
        assert gettext("The file is ready.") in ready
    link = f"/api/v1/exports/files/{export.pk}/download/"
    assert f'class="button download download-pdf" href="{link}"' in ready
    content = b"".join(browser.get(link).streaming_content)
    assert PdfReader(io.BytesIO(content)).pages


def test_a_pack_of_a_meeting_deleted_before_its_build_fails_plainly(union, settings, tmp_path):
    settings.DOCUMENTS_ROOT = tmp_path / "documents"
    settings.EXPORTS_ROOT = tmp_path / "exports"
    settings.AGENDA_PACK_INLINE_DOCUMENTS = 0
    meeting = make_meeting(kind="board", title="Board of June")
    _annexes(meeting, 1)
    body = union.client("viewer").get(f"/api/v1/meetings/{meeting.pk}/agenda-pack.pdf").json()
    meeting.delete()
    assert tasks.build_export_file.apply(args=[body["id"]]).get() == ExportStatus.FAILED
    assert union.client("viewer").get(body["url"]).json()["status"] == "failed"
