"""Creating, checking and opening .jxdb files; refused files stay byte-for-byte unchanged."""

from __future__ import annotations

import sqlite3
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import select, text

from desktop.models import Declaration
from desktop.storage import document as storage
from desktop.storage.errors import (
    FileMissingError,
)
from desktop.storage.migrate import head_revision
from tests.conftest import file_digest


def test_created_file_is_marked_and_configured(sample_path: Path) -> None:
    """A new file carries our application_id, schema version, Alembic revision and pragmas."""
    raw = sqlite3.connect(sample_path)
    assert raw.execute("PRAGMA application_id").fetchone()[0] == storage.APPLICATION_ID
    assert raw.execute("PRAGMA user_version").fetchone()[0] == storage.SCHEMA_VERSION
    assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    assert raw.execute("SELECT version_num FROM alembic_version").fetchall() == [
        (storage.SCHEMA_REVISION,)
    ]
    raw.close()
    document = storage.open_document(sample_path)
    with document.engine.connect() as connection:
        pragma = lambda name: connection.execute(text(f"PRAGMA {name}")).scalar()  # noqa: E731
        assert pragma("foreign_keys") == 1
        assert pragma("synchronous") == 2  # FULL
        assert pragma("trusted_schema") == 0
        assert pragma("journal_mode") == "delete"
    document.close()


def test_schema_revision_constant_is_alembic_head() -> None:
    """The revision recorded in code for the current schema is the newest migration."""
    assert head_revision() == storage.SCHEMA_REVISION


def test_amounts_stay_exact_in_the_file(tmp_path: Path) -> None:
    """Amounts go through the file as exact decimals with the decimals typed."""
    path = tmp_path / "a.jxdb"
    document = storage.create_document(
        path,
        populate=lambda s: s.add(Declaration(fiscal_year=2022, total_budget=Decimal("492.870000"))),
    )
    document.close()
    document = storage.open_document(path)
    with document.session() as session:
        total = session.scalars(select(Declaration.total_budget)).one()
    document.close()
    assert str(total) == "492.870000"


def test_refuses_missing_file(tmp_path: Path) -> None:
    """A path that does not exist is refused as ``NOT_FOUND``; the window and the command line
    each name it and add where to look, in their own words."""
    from desktop.cli import _error_words
    from desktop.storage.reasons import FileProblem
    from desktop.ui.wording import error_words

    missing = tmp_path / "nope.jxdb"
    with pytest.raises(FileMissingError) as info:
        storage.open_document(missing)
    assert info.value.problem is FileProblem.NOT_FOUND and info.value.path == missing
    said = f"找不到文件“{missing}”。"
    assert error_words(info.value) == said + "请检查文件位置后重新打开。"
    assert _error_words(info.value) == said + "请检查文件路径。"


def test_failed_create_leaves_existing_file_untouched(sample_path: Path) -> None:
    """When building a new file fails midway, the file already at that path survives as it was."""
    before = file_digest(sample_path)

    def explode(session: object) -> None:
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        storage.create_document(sample_path, populate=explode)
    assert file_digest(sample_path) == before
    assert sorted(p.name for p in sample_path.parent.iterdir()) == ["sample.jxdb"]


def test_create_in_unwritable_folder_gives_chinese_message(tmp_path: Path) -> None:
    """A folder that cannot be written is reported as data (the fault, the path) that the
    edges put into Chinese, with what to check."""
    from desktop.file_words import Advice, error_words
    from desktop.files import WriteFault
    from desktop.storage.errors import FileWriteError

    target = tmp_path / "no-such-folder" / "x.jxdb"
    with pytest.raises(FileWriteError) as info:
        storage.create_document(target)
    assert info.value.failure.path == target and not info.value.failure.existed
    assert info.value.failure.fault in (WriteFault.NO_FOLDER, WriteFault.CANNOT_OPEN)
    assert "无法写入" in error_words(info.value, Advice(copy="", wait=""))


def test_save_copy_is_complete_and_opens(sample_path: Path, tmp_path: Path) -> None:
    """另存为 writes a complete copy that opens with the same content."""
    document = storage.open_document(sample_path)
    copy = tmp_path / "copy.jxdb"
    storage.save_copy(document, copy)
    document.close()
    reopened = storage.open_document(copy)
    with reopened.session() as session:
        assert session.scalars(select(Declaration.unit_name)).one() == "乐亭县机关事务中心"
    reopened.close()


def test_amount_with_other_decimals_is_a_change(tmp_path: Path) -> None:
    """Setting 184 to 184.00 through the ORM is written (the form prints the decimals)."""
    path = tmp_path / "d.jxdb"
    storage.create_document(
        path, populate=lambda s: s.add(Declaration(fiscal_year=2022, total_budget=Decimal("184")))
    ).close()
    document = storage.open_document(path)
    with document.session() as session:
        session.scalars(select(Declaration)).one().total_budget = Decimal("184.00")
    with document.session() as session:
        assert str(session.scalars(select(Declaration.total_budget)).one()) == "184.00"
    document.close()


@pytest.mark.parametrize("name", ["x%20y.jxdb", "%41.jxdb", "a?b.jxdb", "a#b.jxdb"])
def test_a_file_name_is_never_read_as_a_url(sample_path: Path, tmp_path: Path, name: str) -> None:
    """%20, %41, ? and # in a file name are characters of the name: the edit lands in that
    file, never in “x y.jxdb” or “A.jxdb” beside it, and no other file appears."""
    from desktop.services.editing import set_field

    folder = tmp_path / "收到"
    folder.mkdir()
    target = folder / name
    target.write_bytes(sample_path.read_bytes())
    for neighbour in ("x y.jxdb", "A.jxdb", "a"):
        (folder / neighbour).write_bytes(sample_path.read_bytes())
    before = {path.name: file_digest(path) for path in folder.iterdir()}
    document = storage.open_document(target)
    with document.session() as session:
        uuid = session.scalars(select(Declaration)).one().uuid
    set_field(document, row_type=Declaration, row_uuid=uuid, field="unit_name", value="改了")
    document.close()
    after = {path.name: file_digest(path) for path in folder.iterdir()}
    assert after.keys() == before.keys()
    assert [n for n in after if after[n] != before[n]] == [name]
