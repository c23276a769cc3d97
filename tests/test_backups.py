"""Backups in the user's data folder: daily on opening, bounded, restored as a new file."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from desktop.services import backups
from desktop.services.documents import export_json_text
from desktop.services.editing import set_field
from desktop.storage.document import open_document
from tests.conftest import file_digest

DAY = datetime(2026, 11, 29, 9, 0, 0)


def test_first_opening_each_day_makes_one_backup(sample_path: Path) -> None:
    """The first opening of the day copies the file; later openings that day do not."""
    before = file_digest(sample_path)
    document = open_document(sample_path)
    first = backups.backup_daily(document, now=DAY)
    assert first is not None and first.exists()
    assert backups.backup_daily(document, now=DAY + timedelta(hours=3)) is None
    assert backups.backup_daily(document, now=DAY + timedelta(days=1)) is not None
    document.close()
    assert file_digest(sample_path) == before  # the original is only read
    assert len(backups.list_backups(sample_path)) == 2


def test_number_of_backups_is_bounded(sample_path: Path) -> None:
    """At most MAX_BACKUPS copies are kept per file; the oldest go first."""
    document = open_document(sample_path)
    for day in range(backups.MAX_BACKUPS + 3):
        backups.make_backup(document, reason="daily", now=DAY + timedelta(days=day))
    document.close()
    kept = backups.list_backups(sample_path)
    assert len(kept) == backups.MAX_BACKUPS
    assert kept[-1].taken_at == DAY + timedelta(days=3)


def test_restore_gives_the_content_of_that_day(sample_path: Path, tmp_path: Path) -> None:
    """A backup restored as a new file has the content it had when it was taken."""
    document = open_document(sample_path)
    backups.backup_daily(document, now=DAY)
    at_backup = export_json_text(document)
    with document.session() as session:
        from sqlalchemy import select

        from desktop.models import Declaration

        uuid = session.scalars(select(Declaration.uuid)).one()
    set_field(document, row_type=Declaration, row_uuid=uuid, field="unit_name", value="改过的名称")
    document.close()
    (backup,) = backups.list_backups(sample_path)
    assert backup.reason == "daily" and len(backup.fingerprint) == 9
    restored = backups.restore_backup(backup, tmp_path / "restored.jxdb")
    assert export_json_text(restored) == at_backup
    restored.close()


def test_damaged_backup_is_left_out(sample_path: Path) -> None:
    """A backup copy that no longer opens is not offered."""
    document = open_document(sample_path)
    path = backups.backup_daily(document, now=DAY)
    document.close()
    assert path is not None
    path.write_bytes(path.read_bytes()[:1000])
    assert backups.list_backups(sample_path) == []
