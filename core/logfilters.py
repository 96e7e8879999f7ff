"""Secrets kept out of the logs: a filter for Django's and gunicorn's loggers.

It masks the key of a calendar feed URL (``/calendar/<key>.ics``, a password to the member's
meetings), the value of query parameters that carry a secret (``token``, ``key``, ``password``,
``secret``, ``signature``...) and the credentials of ``Authorization: Token ...``. It rewrites
the record's rendered message, so it works whatever the format's arguments (gunicorn's access
log passes a dict of atoms).
"""

from __future__ import annotations

import logging
import re
from typing import Any

MASK = "****"

_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"(/calendar/)[^/\s?\"'.]+(\.ics)"), rf"\g<1>{MASK}\g<2>"),
    (
        re.compile(
            r"([?&;](?:token|key|api_key|password|secret|signature|sig|code|uidb64)=)[^&\s\"';]+",
            re.IGNORECASE,
        ),
        rf"\g<1>{MASK}",
    ),
    (re.compile(r"(\b(?:Token|Bearer|Basic)\s+)[A-Za-z0-9._~+/=-]{8,}"), rf"\g<1>{MASK}"),
    # The password-reset link's token (/accounts/reset/<uid>/<token>/).
    (re.compile(r"(/accounts/reset/[^/\s]+/)[^/\s]+"), rf"\g<1>{MASK}"),
)


def mask(text: str) -> str:
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    return text


class MaskSecrets(logging.Filter):
    """Rewrite the message of each record with the secrets in it masked; never drops one."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a malformed record: leave it to the handler's own error path
            return True
        masked = mask(message)
        if masked != message:
            record.msg = masked
            record.args = None
        # Django's request log attaches the request; its path is shown by some formatters.
        request: Any = getattr(record, "request", None)
        if request is not None and hasattr(request, "path"):
            record.masked_path = mask(str(request.path))
        return True
