"""A chamber's logo as stored: re-encoded, so the file served is a clean image.

An upload that Pillow can open may still carry anything after the image (a GIF with an HTML
tail), metadata (a camera's EXIF with its position) or a size that takes a worker's memory when
decoded. :func:`clean_logo` decodes it (refusing more than :data:`LOGO_MAX_PIXELS`), keeps the
pixels of its first frame and writes them as a new PNG without metadata.
"""

from __future__ import annotations

import io
import warnings
from typing import Any

from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from core.errors import DomainError

#: The most pixels a logo may have (4096 x 4096): more is refused before it is decoded.
LOGO_MAX_PIXELS = 4096 * 4096
#: Modes kept as they are; any other (palette, CMYK...) becomes RGBA or RGB.
_KEPT_MODES = frozenset({"RGB", "RGBA", "L", "LA"})


def clean_logo(upload: Any, *, stem: str) -> ContentFile:
    """The logo ``upload`` re-encoded as ``<stem>.png``; a :class:`DomainError` on ``logo``
    for a file that is not an image or too large."""
    refusal = DomainError(_("Upload a valid image."), field="logo")
    upload.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(upload) as image:
                if image.width * image.height > LOGO_MAX_PIXELS:
                    raise DomainError(
                        _("The logo may have at most %(max)s pixels.") % {"max": "4096 × 4096"},
                        field="logo",
                    )
                image.seek(0)  # the first frame of an animation
                image.load()
                mode = image.mode
                if mode not in _KEPT_MODES:
                    has_alpha = "transparency" in image.info or "A" in image.getbands()
                    mode = "RGBA" if has_alpha else "RGB"
                pixels = image.convert(mode)
    except DomainError:
        raise
    except (
        UnidentifiedImageError,
        Image.DecompressionBombError,
        Image.DecompressionBombWarning,
        OSError,
        ValueError,
        SyntaxError,
        EOFError,
    ) as exc:
        raise refusal from exc
    pixels.info = {}  # no EXIF, ICC profile, text chunks or comments
    out = io.BytesIO()
    pixels.save(out, format="PNG", optimize=True)
    return ContentFile(out.getvalue(), name=f"{stem}.png")
