"""kombu's filesystem transport (the embedded broker) with messages written atomically.

Its own ``_put`` creates the message file under its final name and only then writes it, and
its ``_get`` moves any file with that name away to read it: a worker polling at that instant
read an empty file and stopped on a ``JSONDecodeError`` (seen in CI, a real beat and worker on
the filesystem broker). Here the message is written under a name no reader takes (it starts
with a dot) and renamed into place when complete; a rename within a folder is atomic.
``config.celery_app`` installs it as the ``filesystem://`` transport.
"""

from __future__ import annotations

import os
import uuid
from time import monotonic
from typing import Any

from kombu.exceptions import ChannelError
from kombu.transport import filesystem
from kombu.utils.encoding import str_to_bytes
from kombu.utils.json import dumps


class Channel(filesystem.Channel):
    # kombu types its two bases' _put differently (message, payload): the filesystem one is kept.
    def _put(self, queue: Any, payload: Any, **kwargs: Any) -> None:  # type: ignore[override]
        name = f"{round(monotonic() * 1000)}_{uuid.uuid4()}.{queue}.msg"
        final = os.path.join(self.data_folder_out, name)
        partial = os.path.join(self.data_folder_out, f".{name}.partial")
        try:
            with open(partial, "wb") as file:
                file.write(str_to_bytes(dumps(payload)))
            os.replace(partial, final)
        except OSError as exc:
            raise ChannelError(f"Cannot add file {final!r} to directory") from exc


class Transport(filesystem.Transport):
    Channel = Channel
