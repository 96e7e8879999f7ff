"""Fixtures of the reminder tests: the default rules (a transactional test's flush removes the
rows the data migration made, so tests ask for them explicitly), with or without the notices'
rules, the demo union and the reminders' union (``world``)."""

from __future__ import annotations

import importlib
import io

import pytest
from django.core.management import call_command

from reminders.models import ReminderRule
from tests.reminders.delivery import smtp, worker  # noqa: F401  (fixtures: a worker, a mail server)
from tests.scenes import World, build_world

DEFAULTS = importlib.import_module("reminders.migrations.0002_default_rules").DEFAULTS
NOTICE_DEFAULTS = importlib.import_module("reminders.migrations.0005_default_notice_rules").DEFAULTS


@pytest.fixture
def default_rules(db) -> list[ReminderRule]:
    ReminderRule.objects.all().delete()
    return [
        ReminderRule.objects.create(kind=kind, offset_days=offset)
        for kind, offsets in DEFAULTS.items()
        for offset in offsets
    ]


@pytest.fixture
def notice_rules(default_rules) -> list[ReminderRule]:
    """The default rules with the notices' (invitation, meeting changed, decision adopted):
    ``default_rules`` alone leaves the notices off, as the tests before them expect."""
    return [
        *default_rules,
        *(
            ReminderRule.objects.create(kind=kind, offset_days=offset)
            for kind, offsets in NOTICE_DEFAULTS.items()
            for offset in offsets
        ),
    ]


@pytest.fixture
def demo(db, default_rules) -> None:
    """The demo union of FACTS.md with its logins, contacts and preferred languages."""
    call_command("load_demo", "--logins", stdout=io.StringIO())


@pytest.fixture
def world(default_rules) -> World:
    """The reminders' union of :func:`tests.scenes.build_world`, with the default rules."""
    return build_world()
