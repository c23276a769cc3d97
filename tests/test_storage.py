"""Creating, checking and opening .jxdb files; refused files stay byte-for-byte unchanged."""

from __future__ import annotations

import json
import sqlite3
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import select, text

from desktop.models import Declaration
from desktop.storage import document as storage
from desktop.storage.errors import (
    DamagedFileError,
    DocumentFileError,
    FileMissingError,
    ForeignFileError,
    NewerSchemaError,
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


def _refused(path: Path, error: type[DocumentFileError], words: str) -> None:
    before = file_digest(path)
    with pytest.raises(error) as info:
        storage.open_document(path)
    assert words in info.value.message
    assert file_digest(path) == before
    assert not path.with_name(path.name + "-journal").exists()


def test_refuses_missing_file(tmp_path: Path) -> None:
    """A path that does not exist is refused with a message naming it."""
    with pytest.raises(FileMissingError, match="找不到文件"):
        storage.open_document(tmp_path / "nope.jxdb")


@pytest.mark.parametrize(
    "content",
    [b"", b"hello, this is a text file\n", bytes(range(256)) * 8],
    ids=["empty", "text", "binary"],
)
def test_refuses_file_that_is_not_sqlite(tmp_path: Path, content: bytes) -> None:
    """Text, binary junk or an empty file are not 绩效目标文件 and stay unchanged."""
    path = tmp_path / "x.jxdb"
    path.write_bytes(content)
    _refused(path, ForeignFileError, "不是绩效目标文件")


def test_refuses_excel_workbook_renamed(tmp_path: Path) -> None:
    """An .xlsx renamed to .jxdb is refused and pointed to the Excel import."""
    path = tmp_path / "book.jxdb"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
    _refused(path, ForeignFileError, "Excel 表格不能直接打开")


def test_refuses_sqlite_file_of_another_program(tmp_path: Path) -> None:
    """A SQLite database without our application_id is refused, untouched."""
    path = tmp_path / "other.jxdb"
    raw = sqlite3.connect(path)
    raw.execute("CREATE TABLE notes (body TEXT)")
    raw.execute("INSERT INTO notes VALUES ('x')")
    raw.commit()
    raw.close()
    _refused(path, ForeignFileError, "其他程序")


def test_refuses_file_of_newer_schema(sample_path: Path) -> None:
    """A file written by a newer program is refused with 请升级程序 and not migrated."""
    raw = sqlite3.connect(sample_path)
    raw.execute(f"PRAGMA user_version={storage.SCHEMA_VERSION + 1}")
    raw.commit()
    raw.close()
    _refused(sample_path, NewerSchemaError, "请升级程序")


def test_refuses_truncated_file(sample_path: Path) -> None:
    """A file cut short (a stick pulled mid-copy) is refused as damaged, untouched."""
    data = sample_path.read_bytes()
    sample_path.write_bytes(data[: len(data) // 2])
    _refused(sample_path, DamagedFileError, "已损坏")


def test_refuses_file_with_corrupted_pages(sample_path: Path) -> None:
    """A file whose pages are overwritten with garbage is refused as damaged."""
    data = bytearray(sample_path.read_bytes())
    page_size = int.from_bytes(data[16:18], "big")
    for offset in range(page_size * 2, len(data), page_size):
        data[offset : offset + 64] = b"\xa5" * 64
    sample_path.write_bytes(bytes(data))
    _refused(sample_path, DamagedFileError, "已损坏")


@pytest.mark.parametrize(
    "statement",
    [
        "CREATE TRIGGER t AFTER INSERT ON indicator BEGIN DELETE FROM declaration; END",
        "CREATE VIEW v AS SELECT * FROM indicator",
        "CREATE TABLE extra (x)",
    ],
    ids=["trigger", "view", "table"],
)
def test_refuses_file_with_foreign_schema_objects(sample_path: Path, statement: str) -> None:
    """Triggers, views or tables we never create make a file untrusted; it is not opened."""
    raw = sqlite3.connect(sample_path)
    raw.execute(statement)
    raw.commit()
    raw.close()
    _refused(sample_path, DamagedFileError, "不认识的内容")


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
    """A folder that cannot be written is reported in Chinese, with what to check."""
    with pytest.raises(DocumentFileError, match="无法写入"):
        storage.create_document(tmp_path / "no-such-folder" / "x.jxdb")


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


def test_every_released_schema_file_opens_with_all_rows(tmp_path: Path) -> None:
    """A file of each released schema (tests/data/schema-N-*.jxdb) opens with every row.

    Schema 1 is the first release; when the schema changes, its migration must carry these
    files to head (and a new schema-N file is added for the new release).
    """
    from desktop.services.documents import export_json_text
    from tests.conftest import DATA

    files = sorted(DATA.glob("schema-*.jxdb"))
    assert [f.name for f in files] == ["schema-1-sample.jxdb"]
    for path in files:
        copy = tmp_path / path.name
        copy.write_bytes(path.read_bytes())  # never open the committed file itself
        document = storage.open_document(copy)
        exported = json.loads(export_json_text(document))
        document.close()
        (declaration,) = exported["declarations"]
        assert declaration["unit_name"] == "乐亭县机关事务中心"
        assert sum(len(p["indicators"]) for p in declaration["budget_projects"]) == 21
