"""The embedded broker (filesystem://) never shows a worker half a message: kombu's own
transport created the file under its final name before writing it, and a worker that read it
at that instant stopped on a JSONDecodeError (a real beat and worker test failed so in CI)."""

from __future__ import annotations

import os
from queue import Empty

import pytest
from kombu import Connection

from config.celery_app import app
from core import broker


@pytest.fixture
def channel(tmp_path):
    folder = str(tmp_path)
    connection = Connection(
        "filesystem://",
        transport_options={"data_folder_in": folder, "data_folder_out": folder},
    )
    channel = connection.channel()
    yield channel
    connection.release()


def test_the_project_uses_the_atomic_transport():
    with app.connection_for_write() as connection:
        if not app.conf.broker_url.startswith("filesystem://"):
            pytest.skip("the suite runs on another broker (CELERY_BROKER_URL)")
        assert isinstance(connection.transport, broker.Transport)


def test_a_message_being_written_is_not_seen_and_arrives_whole(channel, monkeypatch):
    assert isinstance(channel, broker.Channel)
    seen_while_writing = []
    real_replace = os.replace

    def replace(source, target):
        # The moment before the message is in place: a worker polling now finds nothing.
        try:
            channel._get("celery")
            seen_while_writing.append("a message")
        except Empty:
            pass
        real_replace(source, target)

    monkeypatch.setattr(broker.os, "replace", replace)
    channel._put("celery", {"body": "x" * 100_000})
    assert seen_while_writing == []
    assert channel._get("celery") == {"body": "x" * 100_000}
    with pytest.raises(Empty):
        channel._get("celery")
