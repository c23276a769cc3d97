"""Create, check and open .jxdb files (one SQLite file per document set, see DESIGN.md).

A file is checked read-only before anything else touches it: a foreign, newer or damaged
file is refused and left byte-for-byte unchanged. Must not import Qt.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import URL, Connection, Engine, create_engine, event, select
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import NullPool, QueuePool, StaticPool

from desktop.files import WriteFailure, replaced_atomically
from desktop.storage import lock, sidecars, validation
from desktop.storage.errors import (
    ContentRefusedError,
    DamagedFileError,
    DocumentFileError,
    DocumentWriteError,
    FileMissingError,
    FileWriteError,
    ForeignFileError,
    LockHeldError,
    NewerSchemaError,
    PathNotFoundError,
    ReadOnlyDocumentError,
    SidecarError,
    WriteOverDamagedError,
)
from desktop.storage.history import track_history
from desktop.storage.reasons import (
    ContentProblem,
    DamagedPart,
    FileProblem,
    ReadOnlyCause,
    ReadOnlyReason,
)

#: ``PRAGMA application_id`` of every .jxdb file: the bytes "JXDB".
APPLICATION_ID = 0x4A584442
#: ``PRAGMA user_version`` written by this program; raised with every schema migration.
SCHEMA_VERSION = 6
#: The Alembic revision that ``SCHEMA_VERSION`` corresponds to (checked by a test).
SCHEMA_REVISION = "0006"

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
    4: _SCHEMA_1_TABLES | {"edit_lock", "content_history", "pending_input"},
    5: _SCHEMA_1_TABLES | {"edit_lock", "content_history", "pending_input"},  # + columns
    6: _SCHEMA_1_TABLES
    | {"edit_lock", "content_history", "pending_input", "target_adjustment"},  # + columns
}
#: The tables of the newest schema (a collection database holds them too).
NEWEST_TABLES = _TABLES[SCHEMA_VERSION]

#: Every index of a file of the newest schema, as our migrations create it: (table, name,
#: unique, columns). An older file holds those of its tables. Any other index (a UNIQUE one
#: would make a merge fail midway) means another program changed the file; a test compares
#: this with a new file and the files of each schema version in tests/data.
_INDEXES = frozenset(
    {
        ("alembic_version", "sqlite_autoindex_alembic_version_1", 1, ("version_num",)),
        ("content_history", "sqlite_autoindex_content_history_1", 1, ("unit_uuid", "content_hash")),
        ("pending_input", "sqlite_autoindex_pending_input_1", 1, ("row_uuid", "field")),
        ("pending_input", "ix_pending_input_declaration_id", 0, ("declaration_id",)),
        ("target_adjustment", "sqlite_autoindex_target_adjustment_1", 1, ("uuid",)),
        ("target_adjustment", "ix_target_adjustment_declaration_id", 0, ("declaration_id",)),
    }
    | {
        (table, f"sqlite_autoindex_{table}_1", 1, ("uuid",))
        for table in _SCHEMA_1_TABLES - {"alembic_version"}  # each row carries a unique uuid
    }
    | {
        (table, f"ix_{table}_{column}", 0, (column,))
        for table, column in (
            ("key_task", "declaration_id"),
            ("item_target", "declaration_id"),
            ("item_target", "budget_project_id"),
            ("item_target_statement", "item_target_id"),
            ("budget_project", "declaration_id"),
            ("disbursement_checkpoint", "budget_project_id"),
            ("indicator", "budget_project_id"),
            ("finding_explanation", "declaration_id"),
            ("print_record", "declaration_id"),
        )
    }
)


def _set_pragmas(dbapi_connection: Any, _record: Any) -> None:
    """Pragmas of DESIGN.md, set on every connection the engine opens."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    if cursor.execute("PRAGMA journal_mode").fetchone()[0] != "delete":  # setting it writes
        cursor.execute("PRAGMA journal_mode=DELETE")  # never WAL: the one file is the document
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA trusted_schema=OFF")
    cursor.close()


def make_engine(path: Path, *, read_only: bool = False) -> Engine:
    """A SQLAlchemy engine on ``path`` with the pragmas every connection must carry.

    ``read_only`` opens SQLite's read-only mode: nothing can be written, not even a journal.
    """
    if read_only:
        uri = f"{path.as_uri()}?mode=ro"
        engine = create_engine(
            "sqlite://",
            creator=lambda: sqlite3.connect(uri, uri=True, check_same_thread=False),
            poolclass=QueuePool,
        )
    else:  # a URL object: a file name's % and ? stay themselves (a URL string decodes them)
        engine = create_engine(URL.create("sqlite", database=str(path)))
    event.listen(engine, "connect", _set_pragmas)
    return engine


#: A file at least this large opened with ``check_later`` is checked in two parts (the
#: whole check of a county's 107 MB 汇总 file takes ≈3 s: docs/benchmarks.md); a smaller
#: one is checked whole at once (tens of milliseconds). Tests lower it.
CHECK_LATER_BYTES = 16 * 2**20


def check_file(
    path: Path | str,
    *,
    first_unit_only: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Check, read-only, that ``path`` is a .jxdb file this program can open.

    Returns the file's schema version (``PRAGMA user_version``).
    Raises ``FileMissingError``, ``ForeignFileError`` (not SQLite, or SQLite of another
    program), ``NewerSchemaError`` (written by a newer program), ``SidecarError`` (a
    -journal, -wal or -shm SQLite would apply is beside it: desktop/storage/sidecars.py;
    checked before SQLite opens the file) or ``DamagedFileError`` (empty, integrity check
    fails, or schema objects we never create: triggers, views, other tables). Neither the
    file nor its folder is ever written.

    ``first_unit_only``: the file's structure whole (header, ``quick_check``, schema
    objects, columns, bounds) but of the contents only what showing its first unit reads
    (``validation.content_problem``); the caller must check the whole file before anything
    is written to it (``Document.check_rest``). ``progress(done, total)`` follows the
    contents' check (it runs in the caller's thread and may raise to stop the check).
    """
    path = Path(path)
    _check_header(path)
    return _check_contents(path, first_unit_only=first_unit_only, progress=progress)


def check_rest_of_file(
    path: Path | str, *, progress: Callable[[int, int], None] | None = None
) -> None:
    """The second part of a check in two parts: what ``check_file(first_unit_only=True)``
    left out (every value of the file, the links), and the schema objects again. Not again:
    the header (a journal beside the file may be the opener's own, holding its edits:
    ``Document.check_later``) and ``quick_check`` (the pages were checked by the first part,
    moments before; since the opener's first read its transaction keeps other writers out).
    Raises what ``check_file`` raises; ``progress`` as there."""
    _check_contents(Path(path), progress=progress, quick=False)


def check_unit_rows(path: Path | str, declaration_uuid: str) -> None:
    """Before a unit of a file checked in two parts is shown while the rest is checked:
    its rows, as ``check_file(first_unit_only=True)`` checks the first unit's (every value
    within its domain; the links come with the rest). Raises ``DamagedFileError`` naming
    the value, as ``check_file`` would."""
    _check_contents(Path(path), unit=declaration_uuid, quick=False)


def _check_contents(
    path: Path,
    *,
    first_unit_only: bool = False,
    unit: str | None = None,
    progress: Callable[[int, int], None] | None = None,
    quick: bool = True,
) -> int:
    """``check_file`` once the header passed: version, structure, contents (or the rows of
    the unit ``unit``). Returns the schema version."""
    try:
        connection = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise DamagedFileError(path) from exc
    try:
        version = _check_version(path, connection)
        tables = _check_structure(path, connection, version, quick=quick)
        if unit is not None:
            problem = validation.unit_problem(connection, tables, unit, version=version)
        else:
            problem = validation.content_problem(  # every value in its domain
                connection,
                tables,
                first_unit_only=first_unit_only,
                progress=None if progress is None else validation.Progress(progress),
                version=version,
            )
        if problem is not None:
            raise _untrusted(path, problem)
    except (sqlite3.DatabaseError, UnicodeDecodeError) as exc:  # a corrupted name: not UTF-8
        if getattr(exc, "sqlite_errorname", "") == "SQLITE_READONLY_ROLLBACK":  # appeared since
            journal = path.with_name(path.name + "-journal")
            raise SidecarError(path, sidecars.sidecars_of(path) or [journal]) from exc
        raise DamagedFileError(path) from exc
    finally:
        connection.close()
    return int(version)


def _check_header(path: Path) -> None:
    """``check_file``'s checks before SQLite opens ``path``: a file (not a folder, not
    missing, readable), not empty, an SQLite header, not in WAL mode, no sidecar beside it.

    Raises ``FileMissingError``, ``PathNotFoundError``, ``DamagedFileError`` (empty, WAL),
    ``ForeignFileError`` (not SQLite) or ``SidecarError``."""
    if path.is_dir():
        raise FileMissingError(path, FileProblem.FOLDER)
    if not path.is_file():
        raise PathNotFoundError(path)
    try:
        with path.open("rb") as stream:
            header = stream.read(len(_SQLITE_HEADER))
            header_rest = stream.read(4)  # page size, write and read format versions
    except OSError as exc:
        raise FileMissingError(path, FileProblem.UNREADABLE) from exc
    if not header:  # most often a copy or download that never finished
        raise DamagedFileError(path, FileProblem.EMPTY)
    if header != _SQLITE_HEADER:
        raise ForeignFileError(path, FileProblem.NOT_SQLITE)
    if header_rest[2:4] == b"\x02\x02":  # WAL: we only write rollback-journal files
        raise _untrusted(path, DamagedPart(ContentProblem.JOURNAL_MODE))
    found = sidecars.sidecars_of(path)  # before SQLite could apply or create one
    if found:
        raise SidecarError(path, found)


def _check_version(path: Path, connection: sqlite3.Connection) -> int:
    """The schema version (``PRAGMA user_version``) of the open file ``path``, once its
    ``PRAGMA application_id`` is ours and the version one this program can read.

    Raises ``ForeignFileError`` (another program's database), ``NewerSchemaError`` (above
    ``SCHEMA_VERSION``) or ``DamagedFileError`` (below 1: no program of ours wrote it)."""
    application_id = connection.execute("PRAGMA application_id").fetchone()[0]
    if application_id != APPLICATION_ID:
        raise ForeignFileError(path, FileProblem.OTHER_DATABASE)
    version = connection.execute("PRAGMA user_version").fetchone()[0]
    if version > SCHEMA_VERSION:
        raise NewerSchemaError(path, version=int(version), supported=SCHEMA_VERSION)
    if version < 1:  # ours, yet a version no program of ours wrote
        raise DamagedFileError(path, FileProblem.UNKNOWN_VERSION, version=int(version))
    return int(version)


def _check_structure(
    path: Path, connection: sqlite3.Connection, version: int, *, quick: bool = True
) -> set[str]:
    """The names of the tables of the open file ``path`` (schema ``version``), once SQLite's
    ``quick_check`` passes (``quick``) and its schema objects are exactly the tables and
    indexes that version has.

    Raises ``DamagedFileError`` (``quick_check`` fails; a trigger, a view, or a table or
    index we never create)."""
    if quick and connection.execute("PRAGMA quick_check").fetchall() != [("ok",)]:
        raise DamagedFileError(path)
    objects = connection.execute(
        "SELECT type, name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'"
    ).fetchall()
    tables = {name for kind, name in objects if kind == "table"}
    if (
        any(kind not in ("table", "index") for kind, _ in objects)
        or tables != _TABLES[version]
        or _indexes(connection, tables) != {i for i in _INDEXES if i[0] in tables}
    ):
        raise _untrusted(path, DamagedPart(ContentProblem.SCHEMA_OBJECTS))
    return tables


def _indexes(
    connection: sqlite3.Connection, tables: set[str]
) -> set[tuple[str, str, int, tuple[str, ...]]]:
    """Every index of ``tables`` as (table, name, unique, columns), the shape of ``_INDEXES``;
    a partial index (WHERE …) or one on an expression never matches."""
    found = set()
    for table in tables:
        for _, name, unique, _, partial in connection.execute(f"PRAGMA index_list('{table}')"):
            columns = tuple(
                column for _, _, column in connection.execute(f"PRAGMA index_info('{name}')")
            )
            found.add((table, name, -1 if partial else unique, columns))
    return found


def _untrusted(path: Path, part: DamagedPart) -> DamagedFileError:
    """The refusal of a file holding ``part``, something this program never writes."""
    return DamagedFileError(path, FileProblem.UNTRUSTED, part=part)


class Document:
    """An open .jxdb file: its path, engine and session factory, and whether it may be edited.

    Sessions are short and owned by the caller: ``with document.session() as s: ...``
    commits on success and rolls back on error. ``read_only`` is None for an editable
    document, else why not (a ``ReadOnlyReason``: read-only medium, file locked by another
    program, opened read-only on purpose, a recovered version shown from memory);
    ``lock_holder`` names the other program when it is the lock. ``token`` identifies this
    opening in the lock row (desktop/storage/lock.py).

    Every commit that changed something first makes sure this document holds the edit
    lock, in the same transaction: it writes the lock row when nobody (or a stale
    program) holds it, and raises ``LockHeldError`` — rolling the edit back and turning the
    document read-only — when another live program does.
    """

    #: a unit of a collection database (storage/collection.py ``CollectionUnit``): the
    #: window skips what only a file has (recent files, the day's backup)
    from_collection = False
    #: whether the 审核 explanations may be written while the document is read-only
    explains_read_only = False
    #: how many units ``documents.each_declaration`` reads with one set of queries
    units_per_read = 1
    # a big file's rest not checked yet (``check_later``); class defaults: a collection's
    # unit (storage/collection.py) is a Document that is never checked in two parts
    _checking = False
    _held: Connection | None = None
    _held_from = 0

    def __init__(
        self,
        path: Path,
        engine: Engine,
        *,
        read_only: ReadOnlyReason | None = None,
    ) -> None:
        self.path = path
        self.engine = engine
        self.read_only = read_only
        self.token = str(uuid.uuid4())
        self._holds_lock = False
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        track_history(self._sessions)
        #: rows edited since opening, whose unit's content at opening is in the history
        self.remembered_rows: set[str] = set()
        #: while ``checking``: the units checked (their rows), by declaration UUID
        self.checked_units: set[str] = set()
        event.listen(self._sessions, "after_begin", _count_changes_at_begin)
        event.listen(self._sessions, "before_commit", self._claim_lock_for_changes)

    @property
    def checking(self) -> bool:
        """Whether only the file's structure and the units listed in ``checked_units`` have
        been checked (``open_document`` with ``check_later``), the rest not yet: edits are
        held in one transaction of the file (``holds_edits``) until ``rest_checked``."""
        return self._checking

    @property
    def holds_edits(self) -> bool:
        """Whether edits made while ``checking`` wait, held, for the check of the rest."""
        return self._held is not None and _total_changes(self._held) > self._held_from

    def check_later(self) -> None:
        """Hold this document's edits until the rest of the file is checked.

        Decision: the edits of a unit already checked go ahead at once, into one write
        transaction of the file kept open by this document (each edit a savepoint of it:
        undone alone when it fails); every read of the document goes through it and sees
        them. Why: the clerk works right away, and a file found damaged is still never
        written — the transaction is rolled back (``close``) — while the check reads the
        file as it was opened (from the document's first read its transaction holds a
        SQLite lock that keeps other programs' commits out). Alternatives: writing at once
        (a damaged file would be written), read-only until the check ends (the clerk
        waited ≈6 s on a county's 汇总 file)."""
        self._checking = True
        with self.engine.connect() as connection:  # checked by ``check_file`` (the first)
            first = connection.exec_driver_sql(validation.FIRST_UNIT_UUID).scalar()
        if first is not None:
            self.checked_units.add(str(first))

    def check_rest(self, progress: Callable[[int, int], None] | None = None) -> None:
        """Check the rest of the file (``check_rest_of_file``, read-only, on a connection of
        its own: may run in another thread while this document is read and edited). Raises
        what ``check_file`` raises, or what ``progress(done, total)`` raises to stop it."""
        check_rest_of_file(self.path, progress=progress)

    def check_unit(self, declaration_uuid: str) -> None:
        """Before a unit is shown while ``checking``: check its rows as its first unit was
        (``check_unit_rows``) unless done. Raises ``DamagedFileError``."""
        if self._checking and declaration_uuid not in self.checked_units:
            check_unit_rows(self.path, declaration_uuid)
            self.checked_units.add(declaration_uuid)

    def rest_checked(self) -> None:
        """The whole file was checked: the edits held since opening are committed (one
        transaction) and later edits are written as usual. Raises ``DocumentWriteError``
        (its ``fault``) when the commit fails; the held edits are then not in the file."""
        if not self._checking:
            return
        self._checking = False
        held, self._held = self._held, None
        if held is None:
            return
        try:
            held.commit()
        except DBAPIError as exc:
            held.rollback()
            self._holds_lock = False
            fault = WriteFailure.of(self.path, exc.orig or exc).fault
            raise DocumentWriteError(self.path, fault=fault) from exc
        finally:
            held.invalidate()  # not back to the pool with its cache_spill=OFF
            held.close()

    def _held_connection(self) -> Connection:
        """The connection whose one transaction holds the edits made while ``checking``."""
        if self._held is None:
            held = self.engine.connect()
            # the held pages stay in memory: spilling them to the file would need SQLite's
            # EXCLUSIVE lock, which waits for the check's reads (the busy timeout, seconds)
            held.exec_driver_sql("PRAGMA cache_spill=OFF")  # begins SQLAlchemy's transaction
            held.exec_driver_sql("BEGIN")  # see ``savepoint``: a real outer transaction
            self._held, self._held_from = held, _total_changes(held)
        elif not self._held.connection.driver_connection.in_transaction:  # type: ignore[union-attr]  # a live connection's driver connection is set
            # SQLite rolled the whole transaction back (a failed write, e.g. a full disk):
            # begin it again — a savepoint alone would be a transaction of its own, and its
            # release would write to a file not yet checked — and say the edits are gone
            self._held.exec_driver_sql("BEGIN")
            raise DocumentWriteError(
                self.path,
                f"写入“{self.path.name}”失败（例如磁盘已满），检查期间记下的修改未能保留，"
                "文件未作改动。请检查磁盘空间后关闭并重新打开文件。",
            )
        return self._held

    @property
    def lock_holder(self) -> lock.LockHolder | None:
        """The other program whose edit lock keeps this document read-only, if that is why."""
        return None if self.read_only is None else self.read_only.holder

    @contextlib.contextmanager
    def session(self) -> Iterator[Session]:
        """A session that commits when the block ends normally and rolls back otherwise.

        Raises ``DocumentWriteError`` when SQLite cannot read or write the file (its
        ``fault``: full disk, read-only file or medium, folder gone) or refuses a write as
        breaking a constraint (its ``conflict``: what another program put there),
        ``ReadOnlyDocumentError``
        when a read-only document would be changed and ``LockHeldError`` when another
        program holds the lock. In every case nothing of the block was committed.
        """
        if self._checking and self.read_only is None:  # held until the rest is checked
            sessions = self._sessions(
                bind=self._held_connection(), join_transaction_mode="create_savepoint"
            )
        else:
            sessions = self._sessions()
        try:
            with sessions as session, session.begin():
                yield session
        except IntegrityError as exc:  # a last guard: the check keeps such files out
            raise DocumentWriteError(self.path, conflict=str(exc.orig)) from exc
        except DBAPIError as exc:
            if not _is_file_failure(exc.orig):
                raise
            if self.read_only is not None:  # opened read-only: SQLite refused the write itself
                raise ReadOnlyDocumentError(self.path, self.read_only) from exc
            fault = WriteFailure.of(self.path, exc.orig or exc).fault
            raise DocumentWriteError(self.path, fault=fault) from exc

    def _claim_lock_for_changes(self, session: Session) -> None:
        session.flush()
        connection = session.connection()
        if _total_changes(connection) == session.info.get("changes_at_begin"):
            return  # nothing written: reading never takes the lock
        if self.read_only is not None:
            raise ReadOnlyDocumentError(self.path, self.read_only)
        holder = lock.read_holder(connection)
        if lock.blocks(holder, self.token):
            assert holder is not None
            self.read_only = ReadOnlyReason.locked(holder)
            self._holds_lock = False
            raise LockHeldError(self.path, holder)
        if holder is None or holder.token != self.token:
            lock.write_holder(connection, lock.this_program(self.token))
        self._holds_lock = True

    def take_over_lock(self) -> None:
        """Break another program's lock (the clerk was warned) and make this document editable.

        Raises ``DocumentWriteError`` when the file cannot be written.
        """
        self.read_only = None
        with self.session() as session:
            lock.write_holder(session.connection(), lock.this_program(self.token))

    def close(self) -> None:
        """Give up the edit lock (if this document took it) and release every connection.

        A file that can no longer be written (stick pulled) keeps its lock row; it is stale
        on this computer and the next edit there replaces it. Edits still held while
        ``checking`` are rolled back: not one of them reaches the file.
        """
        if self._held is not None:
            held, self._held = self._held, None
            held.rollback()
            held.invalidate()
            held.close()
            self._holds_lock = False  # taken, if at all, in the transaction rolled back
        if self._holds_lock:
            with contextlib.suppress(DBAPIError), self.engine.begin() as connection:
                lock.remove_holder(connection, self.token)
            self._holds_lock = False
        self.engine.dispose()

    def write_copy(self, out_path: Path) -> None:
        """``save_copy`` of this file: SQLite's backup into a temporary file beside
        ``out_path`` (an absolute path), renamed into place, without the lock row. A unit of
        a collection writes a new file instead (``CollectionUnit.write_copy``). Raises
        ``FileWriteError`` when the target cannot be written."""
        try:
            with sidecars.replacing(out_path), replaced_atomically(out_path) as temp_path:
                source = self.engine.raw_connection()
                try:
                    target = sqlite3.connect(temp_path)
                    try:
                        source.driver_connection.backup(target)  # type: ignore[union-attr]  # a live connection's driver connection is set
                        _without_lock(target)
                    finally:
                        target.close()
                finally:
                    source.close()
        except (OSError, sqlite3.Error) as exc:
            raise FileWriteError.of(out_path, exc) from exc


@contextlib.contextmanager
def savepoint(session: Session) -> Iterator[None]:
    """A part of the session's transaction that is undone alone when its block raises
    (the exception propagates); the transaction itself goes on and commits or rolls back
    as a whole.

    Why the explicit BEGIN: Python's sqlite3 (3.11) starts a transaction only before
    INSERT/UPDATE/DELETE, so a SAVEPOINT issued first would itself open the transaction
    and its RELEASE would commit everything so far. Beginning the transaction by hand
    first makes the savepoint a nested one, as SQLAlchemy expects.
    """
    connection = session.connection()
    driver = connection.connection.driver_connection
    if connection.dialect.name == "sqlite" and not getattr(driver, "in_transaction", True):
        connection.exec_driver_sql("BEGIN")
    with session.begin_nested():
        yield


def _total_changes(connection: Connection) -> int:
    return int(connection.connection.driver_connection.total_changes)  # type: ignore[union-attr]  # a live connection's driver connection is set


def _count_changes_at_begin(session: Session, _transaction: Any, connection: Connection) -> None:
    session.info["changes_at_begin"] = _total_changes(connection)


def _is_file_failure(error: BaseException | None) -> bool:
    """SQLite errors about the file itself (I/O, full, read-only, busy, corrupt), as opposed
    to errors of our own statements (constraints, SQL)."""
    return isinstance(error, sqlite3.OperationalError) or type(error) is sqlite3.DatabaseError


def writable_location(path: Path) -> bool:
    """Whether SQLite can write ``path``: the file and its folder (for the journal). A file
    or folder marked read-only for everyone counts as read-only also for an administrator
    (root), whom the system would let write it."""
    return all(
        os.access(place, os.W_OK) and place.stat().st_mode & 0o222 for place in (path, path.parent)
    )


def open_document(
    path: Path | str,
    *,
    read_only: bool = False,
    before_migration: Callable[[Document], object] | None = None,
    check_later: bool = False,
) -> Document:
    """Open an existing .jxdb file after ``check_file`` has accepted it.

    Opening writes nothing: the edit lock is only read (a file another program holds
    opens read-only, with ``lock_holder``). A file that cannot be written (read-only file,
    medium or folder), or ``read_only=True``, opens read-only. A file of an older schema
    is migrated in place after ``before_migration(document)`` has seen it (read-only; the
    caller makes a backup there), or — when it cannot be written — migrated in memory and
    shown read-only, the file untouched. A file with a sidecar beside it (a write
    interrupted by a crash, or another copy's journal) is refused with ``SidecarError``
    before SQLite touches it: the caller offers the recovery (services/recovery.py).
    Raises the ``DocumentFileError`` subclasses of ``check_file``, ``MigrationError`` and
    whatever ``before_migration`` raises (the file is then not migrated).

    ``check_later`` (the window, for a file of ``CHECK_LATER_BYTES`` or more of the newest
    schema): only the structure and the first unit are checked (``check_file``'s
    ``first_unit_only``) and the document opens read-only (``checking``) until the caller
    has checked the rest (``check_rest``, then ``rest_checked``); a file to migrate is
    checked whole first, as the migration writes.
    """
    path = Path(path).resolve()
    writable = not read_only and path.is_file() and writable_location(path)
    later = check_later and path.is_file() and path.stat().st_size >= CHECK_LATER_BYTES
    version = check_file(path, first_unit_only=later)
    if later and version < SCHEMA_VERSION:
        later = False
        check_file(path)
    document = _open_checked(path, version, writable, read_only, before_migration)
    if later:
        document.check_later()
    return document


def _open_checked(
    path: Path,
    version: int,
    writable: bool,
    read_only: bool,
    before_migration: Callable[[Document], object] | None,
) -> Document:
    if not writable:
        reason = ReadOnlyReason(ReadOnlyCause.ASKED if read_only else ReadOnlyCause.LOCATION)
        if version < SCHEMA_VERSION:
            return Document(path, _migrated_in_memory(path), read_only=reason)
        return Document(path, make_engine(path, read_only=True), read_only=reason)
    if version < SCHEMA_VERSION:
        if before_migration is not None:
            asked = ReadOnlyReason(ReadOnlyCause.ASKED)
            original = Document(path, make_engine(path, read_only=True), read_only=asked)
            try:
                before_migration(original)
            finally:
                original.close()
        _migrate_in_place(path)
    engine = make_engine(path)
    try:
        with engine.connect() as connection:
            holder = lock.read_holder(connection)
    except DBAPIError as exc:
        engine.dispose()
        raise DamagedFileError(path) from exc
    if holder is not None and lock.blocks(holder, ""):
        return Document(path, engine, read_only=ReadOnlyReason.locked(holder))
    return Document(path, engine)


class FileReader:
    """Opens other offices' files read-only one after another through one engine.

    SQLAlchemy compiles a statement once per engine (its cache is keyed by the engine's
    dialect, so the ``compiled_cache`` option cannot be shared between engines): a merge
    of hundreds of files that opened each with its own engine compiled the same SELECTs
    again for every file. Through one reader they are compiled once. Each ``open`` is
    ``open_document(path, read_only=True)``; a document it returned must be closed before
    the next ``open`` (the engine then reads the next file). Not for use from two threads.
    """

    def __init__(self) -> None:
        self._uri = ""
        self.engine = create_engine(
            "sqlite://",
            creator=lambda: sqlite3.connect(self._uri, uri=True, check_same_thread=False),
            poolclass=NullPool,  # a connection per session: always to the file opened last
        )
        event.listen(self.engine, "connect", _set_pragmas)

    def open(self, path: Path | str) -> Document:
        """``path`` opened read-only as ``open_document`` does (checked by ``check_file``; an
        older schema migrated in memory, with an engine of its own). Raises what
        ``open_document`` raises."""
        path = Path(path).resolve()
        if check_file(path) < SCHEMA_VERSION:
            return open_document(path, read_only=True)
        self._uri = f"{path.as_uri()}?mode=ro"
        return Document(path, self.engine, read_only=ReadOnlyReason(ReadOnlyCause.ASKED))


def editing_program(path: Path | str) -> lock.LockHolder | None:
    """The program editing the file at ``path`` now (its edit lock, when it blocks others),
    read without opening the file for editing; None when nobody does.

    Raises the ``DocumentFileError`` subclasses of ``check_file`` for a file that is not a
    readable 绩效目标文件.
    """
    path = Path(path).resolve()
    if check_file(path) < 2:  # the edit lock came with schema 2
        return None
    engine = make_engine(path, read_only=True)
    try:
        with engine.connect() as connection:
            holder = lock.read_holder(connection)
    except DBAPIError as exc:
        raise DamagedFileError(path) from exc
    finally:
        engine.dispose()
    return holder if holder is not None and lock.blocks(holder, "") else None


def _migrate_in_place(path: Path) -> None:
    from desktop.storage.migrate import upgrade_file  # Alembic is slow to import

    raw = sqlite3.connect(path)
    try:
        raw.execute("PRAGMA journal_mode=DELETE")
        raw.execute("PRAGMA synchronous=FULL")
        raw.execute("PRAGMA trusted_schema=OFF")
        upgrade_file(raw, path=path, schema_version=SCHEMA_VERSION)
    finally:
        raw.close()


def _migrated_in_memory(path: Path, *, migrate: bool = True) -> Engine:
    """An engine on an in-memory copy of ``path`` (``migrate``: migrated to the newest
    schema)."""
    from desktop.storage.migrate import upgrade_file

    memory = sqlite3.connect(":memory:", check_same_thread=False)
    source = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    try:
        source.backup(memory)
    finally:
        source.close()
    if migrate:
        upgrade_file(memory, path=path, schema_version=SCHEMA_VERSION)
    return create_engine("sqlite://", creator=lambda: memory, poolclass=StaticPool)


def open_copy_in_memory(copy: Path, *, shown_as: Path, reason: ReadOnlyReason) -> Document:
    """A read-only document of the file ``copy`` loaded into memory (an older schema
    migrated there), named ``shown_as`` and read-only for ``reason``: ``copy`` may be
    removed afterwards. Raises the errors of ``check_file`` for ``copy``."""
    version = check_file(copy)
    engine = _migrated_in_memory(copy, migrate=version < SCHEMA_VERSION)
    return Document(Path(shown_as), engine, read_only=reason)


def create_document(
    path: Path | str, populate: Callable[[Session], None] | None = None
) -> Document:
    """Create a new .jxdb file at ``path`` (replacing one there) and open it.

    The file is built under a temporary name in the same folder — schema, then whatever
    ``populate(session)`` adds, committed — checked as an opened file would be
    (``check_file``), and renamed into place only when complete and accepted, so a
    failure (full disk, pulled stick, Ctrl+C, an exception from ``populate``, content the
    program would refuse to open) leaves any existing file at ``path`` byte-for-byte
    untouched and no temporary file behind. Raises ``FileWriteError`` when the folder
    cannot be written, ``ContentRefusedError`` (with the check's error) when the content
    is refused.
    """
    path = Path(path).resolve()
    try:
        with sidecars.replacing(path), replaced_atomically(path, create=False) as temp_path:
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
            _accept_new_file(temp_path, path)
    except (OSError, sqlite3.Error, DBAPIError) as exc:
        raise FileWriteError.of(path, exc) from exc
    return open_document(path)


def _accept_new_file(temp_path: Path, path: Path) -> None:
    """Raise ``DocumentFileError`` (about ``path``) when the file just built at ``temp_path``
    would be refused on opening: it must never take the place of a good file."""
    try:
        check_file(temp_path)
    except DocumentFileError as exc:
        raise ContentRefusedError(path, exc, existed=path.exists()) from exc


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
    place when complete. The copy carries no edit lock: it is a new file nobody edits yet.
    Raises ``FileWriteError`` (its ``failure``) when the target cannot be written.
    """
    document.write_copy(Path(out_path).resolve())


def save_units_copy(document: Document, declaration_uuids: list[str], out_path: Path) -> None:
    """A new .jxdb file at ``out_path`` (not ``document``'s own) holding the units
    ``declaration_uuids`` of ``document`` with all their rows as the document reads them
    (with the edits it holds while ``checking``): what a clerk keeps of a file refused by
    the check of its rest. Built and checked whole before it replaces anything
    (``create_document``). Raises ``WriteOverDamagedError`` when ``out_path`` is the
    document's own file, another ``DocumentFileError`` when it cannot be written."""
    from desktop.models import Declaration
    from desktop.storage.interchange import dump_row, insert_declaration

    out_path = Path(out_path).resolve()
    if out_path == document.path:
        raise WriteOverDamagedError(out_path)
    with document.session() as session:
        data = [
            dump_row(session.scalars(select(Declaration).filter_by(uuid=uuid)).one())
            for uuid in declaration_uuids
        ]

    def populate(session: Session) -> None:
        for unit in data:
            insert_declaration(session, unit)

    create_document(out_path, populate=populate).close()


def _without_lock(connection: sqlite3.Connection) -> None:
    """Remove the lock row from a fresh copy (files of schema 1 have no lock table)."""
    if connection.execute("SELECT 1 FROM sqlite_master WHERE name = 'edit_lock'").fetchone():
        connection.execute("DELETE FROM edit_lock")
        connection.commit()
