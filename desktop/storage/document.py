"""Create, check and open .jxdb files (one SQLite file per document set, see DESIGN.md).

A file is checked read-only before anything else touches it: a foreign, newer or damaged
file is refused and left byte-for-byte unchanged. Must not import Qt.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

from desktop.files import replaced_atomically
from desktop.storage.errors import (
    DamagedFileError,
    DocumentFileError,
    FileMissingError,
    ForeignFileError,
    NewerSchemaError,
    write_failure_message,
)
from desktop.storage.history import track_history

#: ``PRAGMA application_id`` of every .jxdb file: the bytes "JXDB".
APPLICATION_ID = 0x4A584442
#: ``PRAGMA user_version`` written by this program; raised with every schema migration.
SCHEMA_VERSION = 3
#: The Alembic revision that ``SCHEMA_VERSION`` corresponds to (checked by a test).
SCHEMA_REVISION = "0003"

_SQLITE_HEADER = b"SQLite format 3\x00"
_SCHEMA_1_TABLES = frozenset(
    {
        "alembic_version",
        "declaration",
        "key_task",
        "item_target",
        "item_target_statement",
        "budget_project",
        "disbursement_checkpoint",
        "indicator",
        "finding_explanation",
        "print_record",
    }
)
#: The tables a file of each schema version holds, and nothing else.
_TABLES = {
    1: _SCHEMA_1_TABLES,
    2: _SCHEMA_1_TABLES | {"edit_lock"},
    3: _SCHEMA_1_TABLES | {"edit_lock", "content_history"},
}


def _set_pragmas(dbapi_connection: Any, _record: Any) -> None:
    """Pragmas of DESIGN.md, set on every connection the engine opens."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=DELETE")  # never WAL: the one file is the document
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA trusted_schema=OFF")
    cursor.close()


def make_engine(path: Path) -> Engine:
    """A SQLAlchemy engine on ``path`` with the pragmas every connection must carry."""
    engine = create_engine(f"sqlite:///{path}")
    event.listen(engine, "connect", _set_pragmas)
    return engine


def check_file(path: Path | str) -> int:
    """Check, read-only, that ``path`` is a .jxdb file this program can open.

    Returns the file's schema version (``PRAGMA user_version``).
    Raises ``FileMissingError``, ``ForeignFileError`` (not SQLite, or SQLite of another
    program), ``NewerSchemaError`` (written by a newer program) or ``DamagedFileError``
    (integrity check fails, or schema objects we never create: triggers, views, other
    tables). The file is never written.
    """
    path = Path(path)
    if not path.is_file():
        raise FileMissingError(path, f"找不到文件“{path}”。请检查文件位置后重新打开。")
    try:
        with path.open("rb") as stream:
            header = stream.read(len(_SQLITE_HEADER))
    except OSError as exc:
        raise FileMissingError(
            path, f"无法读取文件“{path.name}”，请确认文件存在、U盘已插好且有读取权限。"
        ) from exc
    if header != _SQLITE_HEADER:
        raise ForeignFileError(
            path,
            f"“{path.name}”不是绩效目标文件（.jxdb），无法打开。"
            "请确认选择的是本程序保存的文件（Excel 表格不能直接打开）。",
        )
    try:
        connection = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise DamagedFileError(path, _damaged_message(path)) from exc
    try:
        application_id = connection.execute("PRAGMA application_id").fetchone()[0]
        if application_id != APPLICATION_ID:
            raise ForeignFileError(
                path,
                f"“{path.name}”是其他程序的数据库文件，不是绩效目标文件，无法打开。"
                "请确认选择的是本程序保存的 .jxdb 文件。",
            )
        version = connection.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise NewerSchemaError(
                path,
                f"“{path.name}”由较新版本的绩效目标填报程序保存（文件格式 {version}，"
                f"本程序支持到 {SCHEMA_VERSION}）。请升级程序后再打开；文件未作任何改动。",
            )
        if version < 1:
            raise DamagedFileError(path, _damaged_message(path))
        result = connection.execute("PRAGMA quick_check").fetchall()
        if result != [("ok",)]:
            raise DamagedFileError(path, _damaged_message(path))
        objects = connection.execute(
            "SELECT type, name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'"
        ).fetchall()
    except sqlite3.DatabaseError as exc:
        raise DamagedFileError(path, _damaged_message(path)) from exc
    finally:
        connection.close()
    tables = {name for kind, name in objects if kind == "table"}
    if any(kind in ("trigger", "view") for kind, _ in objects) or tables != _TABLES[version]:
        raise DamagedFileError(
            path,
            f"“{path.name}”含有本程序不认识的内容，可能已被其他程序改动，为安全起见不予打开。"
            "请向发送文件的单位重新索取。",
        )
    return int(version)


def _damaged_message(path: Path) -> str:
    return (
        f"“{path.name}”已损坏，无法打开（可能是复制时U盘被拔出或文件不完整）。"
        "请从原单位或备份中重新复制一份。"
    )


class Document:
    """An open .jxdb file: its path, engine and session factory.

    Sessions are short and owned by the caller: ``with document.session() as s: ...``
    commits on success and rolls back on error.
    """

    def __init__(self, path: Path, engine: Engine) -> None:
        self.path = path
        self.engine = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        track_history(self._sessions)
        #: rows edited since opening, whose unit's content at opening is in the history
        self.remembered_rows: set[str] = set()

    @contextlib.contextmanager
    def session(self) -> Iterator[Session]:
        """A session that commits when the block ends normally and rolls back otherwise."""
        with self._sessions() as session, session.begin():
            yield session

    def close(self) -> None:
        """Release every connection to the file."""
        self.engine.dispose()


def open_document(path: Path | str) -> Document:
    """Open an existing .jxdb file after ``check_file`` has accepted it.

    Raises the ``DocumentFileError`` subclasses of ``check_file``.
    """
    path = Path(path).resolve()
    check_file(path)
    return Document(path, make_engine(path))


def create_document(
    path: Path | str, populate: Callable[[Session], None] | None = None
) -> Document:
    """Create a new .jxdb file at ``path`` (replacing one there) and open it.

    The file is built under a temporary name in the same folder — schema, then whatever
    ``populate(session)`` adds, committed — and renamed into place only when complete, so
    a failure (full disk, pulled stick, an exception from ``populate``) leaves any
    existing file at ``path`` untouched. Raises ``DocumentFileError`` when the folder
    cannot be written.
    """
    path = Path(path).resolve()
    try:
        with replaced_atomically(path, create=False) as temp_path:
            engine = make_engine(temp_path)
            try:
                _create_schema(engine)
                if populate is not None:
                    sessions = sessionmaker(engine)
                    track_history(sessions)
                    with sessions() as session, session.begin():
                        populate(session)
            finally:
                engine.dispose()
    except OSError as exc:
        raise DocumentFileError(path, write_failure_message(path, exc)) from exc
    return open_document(path)


def _create_schema(engine: Engine) -> None:
    """Stamp a new, empty file as ours and build the schema with the Alembic migrations."""
    from desktop.storage.migrate import upgrade_to_head  # Alembic is slow to import

    with engine.begin() as connection:
        connection.exec_driver_sql(f"PRAGMA application_id={APPLICATION_ID}")
        upgrade_to_head(connection)
        connection.exec_driver_sql(f"PRAGMA user_version={SCHEMA_VERSION}")


def save_copy(document: Document, out_path: Path | str) -> None:
    """Copy the open document, complete and consistent, to ``out_path`` (另存为).

    Uses SQLite's backup API into a temporary file in the target folder, renamed into
    place when complete. Raises ``DocumentFileError`` when the target cannot be written.
    """
    out_path = Path(out_path).resolve()
    try:
        with replaced_atomically(out_path) as temp_path:
            source = document.engine.raw_connection()
            try:
                target = sqlite3.connect(temp_path)
                try:
                    source.driver_connection.backup(target)  # type: ignore[union-attr]
                finally:
                    target.close()
            finally:
                source.close()
    except (OSError, sqlite3.Error) as exc:
        raise DocumentFileError(out_path, write_failure_message(out_path, exc)) from exc
