"""A chamber's logo is stored re-encoded (a clean PNG: no trailing data, no metadata, a bounded
number of pixels), and the file it replaces is deleted once the change is committed."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from chambers import logos, services
from chambers.models import Chamber
from core.errors import DomainError
from tests.factories import SYSTEM, in_languages

HTML_TAIL = b"<html><script>alert(document.cookie)</script></html>"


@pytest.fixture(autouse=True)
def media(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def _image(fmt: str = "GIF", size=(8, 8), tail: bytes = b"", **save) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, "red").save(out, fmt, **save)
    return out.getvalue() + tail


def _upload(content: bytes, name: str = "logo.gif") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="image/gif")


def _set_logo(chamber: Chamber, content: bytes, name: str = "logo.gif") -> Chamber:
    return services.chamber_update(
        actor=SYSTEM, chamber=chamber, data={"logo": _upload(content, name)}
    )


def _stored(chamber: Chamber) -> bytes:
    chamber.refresh_from_db()
    with chamber.logo.open("rb") as file:
        return file.read()


def test_a_gif_with_an_html_tail_is_stored_as_a_clean_png(union):
    chamber = _set_logo(union.home, _image("GIF", tail=HTML_TAIL))
    stored = _stored(chamber)
    assert chamber.logo.name.endswith(".png")
    assert stored.startswith(b"\x89PNG\r\n\x1a\n")
    assert b"<html" not in stored and b"script" not in stored
    assert stored.endswith(b"IEND\xaeB`\x82")  # nothing after the image
    with Image.open(io.BytesIO(stored)) as image:
        assert image.size == (8, 8)
        assert image.getpixel((0, 0))[:3] == (255, 0, 0)


def test_metadata_is_stripped(union):
    exif = Image.Exif()
    exif[0x010E] = "secret place"  # ImageDescription
    content = _image("JPEG", exif=exif.tobytes())
    assert b"secret place" in content
    stored = _stored(_set_logo(union.home, content, "logo.jpg"))
    assert b"secret place" not in stored
    with Image.open(io.BytesIO(stored)) as image:
        assert not image.getexif()


def test_a_transparent_palette_image_keeps_its_transparency(union):
    out = io.BytesIO()
    image = Image.new("P", (4, 4), 0)
    image.save(out, "GIF", transparency=0)
    stored = _stored(_set_logo(union.home, out.getvalue()))
    with Image.open(io.BytesIO(stored)) as png:
        assert png.mode == "RGBA"
        assert png.getpixel((0, 0))[3] == 0


def test_too_many_pixels_is_refused_on_the_logo_field(union, monkeypatch):
    monkeypatch.setattr(logos, "LOGO_MAX_PIXELS", 100)
    with pytest.raises(DomainError) as refused:
        _set_logo(union.home, _image("PNG", size=(11, 10)))
    assert refused.value.field == "logo"
    union.home.refresh_from_db()
    assert not union.home.logo


@pytest.mark.parametrize("content", [b"GIF89a" + HTML_TAIL, HTML_TAIL, b""])
def test_a_file_that_is_not_an_image_is_refused_on_the_logo_field(union, content):
    with pytest.raises(DomainError) as refused:
        _set_logo(union.home, content)
    assert refused.value.field == "logo"


def test_the_replaced_logo_is_deleted_after_commit(
    union, media, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = _set_logo(union.home, _image("GIF")).logo.name
    assert (media / first).exists()
    with django_capture_on_commit_callbacks(execute=True):
        second = _set_logo(union.home, _image("PNG", size=(6, 6))).logo.name
    assert first != second
    assert not (media / first).exists()
    assert (media / second).exists()
    with django_capture_on_commit_callbacks(execute=True):
        services.chamber_update(actor=SYSTEM, chamber=union.home, data={"logo": ""})
    assert not (media / second).exists()
    assert list((media / "logos").iterdir()) == []


def test_a_refused_change_keeps_the_old_logo(union, media, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = _set_logo(union.home, _image("GIF")).logo.name
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(DomainError),
    ):
        services.chamber_update(
            actor=SYSTEM,
            chamber=union.home,
            data={"logo": _upload(_image("PNG")), "short_name": "A\nB"},
        )
    assert callbacks == []
    assert (media / first).exists()


def test_the_portal_stores_the_clean_logo(union, media):
    client = union.client("editor", api=False)
    chamber = union.home
    data = {
        **in_languages(chamber, "name"),
        **in_languages(chamber, "short_name"),
        **in_languages(chamber, "city"),
        "website": chamber.website,
        "logo": _upload(_image("GIF", tail=HTML_TAIL)),
    }
    response = client.post("/my-chamber/", data)
    assert response.status_code == 302, response.content
    stored = _stored(chamber)
    assert stored.startswith(b"\x89PNG") and b"<html" not in stored
