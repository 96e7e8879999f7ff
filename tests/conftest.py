"""Shared fixtures: a small union and one caller for each role of the permission table.

Roles: ``anonymous``; ``viewer`` and ``editor`` of the home chamber; ``other_editor`` (editor of
another chamber); ``read_token`` and ``write_token`` of the home chamber; ``staff``. The union
itself is :func:`tests.scenes.build_union`.
"""

from __future__ import annotations

import pytest
from django.db import connection

from tests.scenes import ROLES, Union, build_union

__all__ = ["ROLES", "Union", "on_postgres", "requires_postgres"]


def on_postgres() -> bool:
    return connection.vendor == "postgresql"


#: Tests of PostgreSQL's own constraints; CI runs the suite on PostgreSQL (DATABASE_URL) too.
requires_postgres = pytest.mark.skipif(
    not on_postgres(), reason="needs PostgreSQL: set DATABASE_URL (CI does)"
)


@pytest.fixture
def union(db) -> Union:
    return build_union()


@pytest.fixture(autouse=True)
def _fresh_rate_counters():
    """Each test starts with no request counted by the throttles (core.throttles): the suite
    makes far more requests a minute, from one address, than any rate allows."""
    from django.conf import settings
    from django.core.cache import caches

    caches[settings.THROTTLE_CACHE].clear()


@pytest.fixture(autouse=True)
def _default_language_after():
    """Each test leaves the default language active: a request's ``LocaleMiddleware`` leaves
    the language it chose active in the thread, and a module's shared scene built next would
    store its texts in that language's columns (``test_i18n`` before the permission table
    failed every row)."""
    from django.utils import translation

    yield
    translation.deactivate()
