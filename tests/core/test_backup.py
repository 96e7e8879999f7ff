"""``manage.py backup`` and ``restore``: a round trip gives back every row and uploaded file,
and a restore replaces what changed since (PostgreSQL and SQLite alike)."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from chambers.models import Chamber, Contact
from core.access import SYSTEM
from core.models import AuditEntry
from meetings import services as meeting_services
from meetings.models import Invitation, MeetingDocument, Procedure
from tests.scenes import build_assembly, make_written

pytestmark = pytest.mark.django_db(transaction=True)


def counts() -> dict[str, int]:
    return {
        "chambers": Chamber.objects.count(),
        "contacts": Contact.objects.count(),
        "invitations": Invitation.objects.count(),
        "delegates": Invitation.delegates.through.objects.count(),
        "documents": MeetingDocument.objects.count(),
        "procedures": Procedure.objects.count(),
        "audit": AuditEntry.objects.count(),
    }


def test_a_round_trip_gives_back_every_row_and_file(union, settings, tmp_path):
    settings.DOCUMENTS_ROOT = tmp_path / "documents"
    settings.MEDIA_ROOT = tmp_path / "media"
    scene = build_assembly(union)
    make_written()
    invitation = scene.meeting.invitations.get(chamber=union.home)
    meeting_services.attendance_record(
        actor=SYSTEM,
        meeting=scene.meeting,
        chamber=union.home,
        present=True,
        delegates=[union.home_contact],
    )
    before = counts()
    document = scene.document.file.read()
    archive = tmp_path / "union.tar.gz"
    out = io.StringIO()
    call_command("backup", str(archive), stdout=out)
    assert "1 documents" in out.getvalue()

    # Things change after the backup: a chamber removed, a file gone.
    Contact.objects.filter(pk=union.home_contact.pk).update(name="Changed")
    scene.document.file.delete(save=False)
    meeting_services.decision_create(
        actor=SYSTEM, meeting=None, data={"kind": "general", "title": "After the backup"}
    )

    call_command("restore", str(archive), "--yes", stdout=io.StringIO())
    assert counts() == before  # the audit trail too: nothing recorded by the restore
    assert Contact.objects.get(pk=union.home_contact.pk).name == union.home_contact.name
    restored = MeetingDocument.objects.get(pk=scene.document.pk)
    assert restored.file.read() == document
    assert list(
        Invitation.objects.get(pk=invitation.pk).delegates.values_list("pk", flat=True)
    ) == [union.home_contact.pk]
    # The database goes on: new rows get new ids (sequences follow the restored rows).
    new = meeting_services.decision_create(
        actor=SYSTEM, meeting=None, data={"kind": "general", "title": "After the restore"}
    )
    assert new.number == 2


def test_a_restore_asks_for_confirmation_and_refuses_a_foreign_file(tmp_path):
    with pytest.raises(CommandError, match="--yes"):
        call_command("restore", str(tmp_path / "x.tar.gz"))
    bogus = tmp_path / "bogus.tar.gz"
    import tarfile

    with tarfile.open(bogus, "w:gz"):
        pass
    with pytest.raises(CommandError, match="not a backup"):
        call_command("restore", str(bogus), "--yes")


def test_an_archive_without_the_stored_order_is_restored_in_the_registers_order(
    union, settings, tmp_path
):
    """An archive taken before ``Decision.dated_at`` existed (here: its column emptied) comes
    back dated: the restore renews what the rows imply (``core.backup.after_restore``)."""
    from meetings.models import Decision

    settings.DOCUMENTS_ROOT = tmp_path / "documents"
    settings.MEDIA_ROOT = tmp_path / "media"
    scene = build_assembly(union, document=False)
    dated = dict(Decision.objects.values_list("pk", "dated_at"))
    assert dated[scene.decision.pk] == scene.meeting.starts_at
    Decision.objects.update(dated_at=None)  # as an older archive has it
    archive = tmp_path / "old.tar.gz"
    call_command("backup", str(archive), stdout=io.StringIO())
    call_command("restore", str(archive), "--yes", stdout=io.StringIO())
    assert dict(Decision.objects.values_list("pk", "dated_at")) == dated
