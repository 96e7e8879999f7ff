"""Lists that stay cheap at the scale of the largest federation (issue 16): each row counts
its own rows, never a join over every row of the table."""

from __future__ import annotations

import pytest

from meetings import selectors
from meetings.models import Invitation
from tests.factories import make_chamber
from tests.scenes import make_meeting

pytestmark = pytest.mark.django_db


def test_each_meeting_counts_its_own_invitations_without_a_join(union):
    small = make_meeting(title="Small")  # home, other and watcher invited
    large = make_meeting(title="Large", days_from_now=40)
    for i in range(4):
        Invitation.objects.create(
            meeting=large,
            chamber=make_chamber(slug=f"extra-{i}", short_name=f"Extra {i}", country="UZ"),
            response="attending" if i % 2 else "pending",
        )
    Invitation.objects.filter(meeting=small, chamber=union.home).update(response="attending")
    counts = {
        m.title: (m.invited_count, m.attending_count)
        for m in selectors.meeting_list().filter(pk__in=[small.pk, large.pk])
    }
    assert counts == {"Small": (3, 1), "Large": (7, 2)}
    sql = str(selectors.meeting_list().query)
    assert 'JOIN "meetings_invitation"' not in sql  # counted per row, in a subquery
    page = union.client("viewer", api=False).get("/meetings/").content.decode()
    assert "2 of 7" in page and "1 of 3" in page
