"""Older files migrate to the newest schema after a backup, with every row intact."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import op

from desktop.file_words import refusal_words
from desktop.services import backups
from desktop.storage import document as storage
from desktop.storage import migrate
from desktop.storage.errors import MigrationError
from desktop.storage.reasons import ReadOnlyCause, ReadOnlyReason
from tests.conftest import DATA, file_digest, folder_listing

SCHEMA_1_TABLES = (
    "declaration",
    "key_task",
    "item_target",
    "item_target_statement",
    "budget_project",
    "disbursement_checkpoint",
    "indicator",
    "finding_explanation",
    "print_record",
)


def _content(path: Path, columns: dict[str, list[str]] | None = None) -> dict[str, list[tuple]]:
    """Every row of every table of schema 1, in id order: all columns, or the ``columns``
    of each table (a later schema adds some: compare those a file had)."""
    raw = sqlite3.connect(path)
    try:
        return {
            table: raw.execute(
                f"SELECT {', '.join(columns[table]) if columns else '*'} FROM {table} ORDER BY id"
            ).fetchall()
            for table in SCHEMA_1_TABLES
        }
    finally:
        raw.close()


def _columns(path: Path) -> dict[str, list[str]]:
    """The columns of each table of schema 1 in the file at ``path``."""
    raw = sqlite3.connect(path)
    try:
        return {
            table: [row[1] for row in raw.execute(f"PRAGMA table_info({table})")]
            for table in SCHEMA_1_TABLES
        }
    finally:
        raw.close()


def _copy(source: Path, folder: Path) -> Path:
    target = folder / source.name
    target.write_bytes(source.read_bytes())  # never open the committed file itself
    return target


def test_migrations_released_files_are_present() -> None:
    """tests/data holds one file of each released schema, up to the current one."""
    names = sorted(p.name for p in DATA.glob("schema-*.jxdb"))
    expected = [f"schema-{v}-sample.jxdb" for v in range(1, storage.SCHEMA_VERSION + 1)]
    assert names == expected


@pytest.mark.parametrize("version", range(1, storage.SCHEMA_VERSION + 1))
def test_migrations_each_released_file_reaches_head_with_every_row(
    version: int, tmp_path: Path
) -> None:
    """A file of each released schema opens at the newest schema with all its rows as they were."""
    path = _copy(DATA / f"schema-{version}-sample.jxdb", tmp_path)
    columns = _columns(path)
    before = _content(path)
    assert sum(len(rows) for rows in before.values()) > 40
    backups.open_file(path).close()
    assert _content(path, columns) == before
    raw = sqlite3.connect(path)
    assert raw.execute("PRAGMA user_version").fetchone()[0] == storage.SCHEMA_VERSION
    assert raw.execute("SELECT version_num FROM alembic_version").fetchall() == [
        (storage.SCHEMA_REVISION,)
    ]
    assert raw.execute("PRAGMA foreign_key_check").fetchall() == []
    assert raw.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    raw.close()


def test_migrations_backup_of_the_original_comes_first(tmp_path: Path) -> None:
    """Before migrating, the file as it was is copied to the backup folder (reason migrate)."""
    path = _copy(DATA / "schema-1-sample.jxdb", tmp_path)
    original = _content(path)
    backups.open_file(path).close()
    (backup,) = backups.backup_folder(path).glob("*-migrate.jxdb")
    raw = sqlite3.connect(backup)
    assert raw.execute("PRAGMA user_version").fetchone()[0] == 1
    raw.close()
    assert _content(backup) == original
    kept = file_digest(backup)
    (listed,) = backups.list_backups(path)  # still listed: shown from an in-memory migration
    assert listed.reason == "migrate" and listed.fingerprint
    assert file_digest(backup) == kept  # listing did not migrate the backup in place


def test_migrations_no_migration_without_its_backup(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """When the backup cannot be written, the older file is neither migrated nor opened."""
    path = _copy(DATA / "schema-1-sample.jxdb", tmp_path)
    before = file_digest(path)

    def refuse(*_: object, **__: object) -> None:
        raise storage.DocumentFileError(path, "无法写入备份")

    monkeypatch.setattr(backups, "save_copy", refuse)
    with pytest.raises(storage.DocumentFileError):
        backups.open_file(path)
    assert file_digest(path) == before


def test_migrations_failure_rolls_back_everything(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A migration failing halfway (after DDL) leaves the file byte-for-byte as it was."""
    path = _copy(DATA / "schema-1-sample.jxdb", tmp_path)
    before, listing = file_digest(path), folder_listing(tmp_path)
    real = migrate.upgrade_to_head

    def half(connection: object) -> None:
        real(connection)  # type: ignore[arg-type]
        raise RuntimeError("power cut")

    monkeypatch.setattr(migrate, "upgrade_to_head", half)
    with pytest.raises(MigrationError) as info:
        storage.open_document(path)
    assert "power cut" in info.value.detail
    assert "升级失败" in refusal_words(info.value)
    assert file_digest(path) == before and folder_listing(tmp_path) == listing


def test_migrations_table_rebuild_fires_no_cascade(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A future migration rebuilding a parent table in batch mode keeps every child row.

    With foreign keys on, dropping the old ``declaration`` table would delete every row
    below it (ON DELETE CASCADE); ``upgrade_file`` turns them off and checks afterwards.
    """
    path = _copy(DATA / "schema-1-sample.jxdb", tmp_path)
    columns = _columns(path)
    before = _content(path)
    real = migrate.upgrade_to_head

    def with_rebuild(connection: object) -> None:
        real(connection)  # type: ignore[arg-type]
        from alembic.migration import MigrationContext
        from alembic.operations import Operations

        context = MigrationContext.configure(connection)  # type: ignore[arg-type]
        with (
            Operations.context(context),
            op.batch_alter_table("declaration", recreate="always") as batch,
        ):
            batch.alter_column("unit_name", existing_type=sa.Text(), nullable=False)

    monkeypatch.setattr(migrate, "upgrade_to_head", with_rebuild)
    storage.open_document(path).close()
    assert _content(path, columns) == before


def test_migrations_read_only_older_file_is_shown_from_memory(stick: Path) -> None:
    """An older file on a read-only medium opens read-only, migrated in memory, untouched."""
    import subprocess

    path = _copy(DATA / "schema-1-sample.jxdb", stick)
    subprocess.run(["mount", "-o", "remount,ro", str(stick)], check=True)
    before, listing = file_digest(path), folder_listing(stick)
    document = backups.open_file(path)
    assert document.read_only == ReadOnlyReason(ReadOnlyCause.LOCATION)
    from desktop.services.documents import export_json_text

    assert "乐亭县机关事务中心" in export_json_text(document)
    document.close()
    assert file_digest(path) == before and folder_listing(stick) == listing
