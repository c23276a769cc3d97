"""The collection database (汇总库): a finance bureau's units in PostgreSQL, with the same
models and Alembic migrations as a .jxdb file. Must not import Qt.

Decision: the collection's own table (``merge_record``: who merged which file when) has
its own migrations (``collection_migrations``, version table ``collection_version``)
beside the document schema's, which the collection shares with every .jxdb file.
Why: a .jxdb never holds it, so county files keep their schema version and stay readable
by the programs the units already have. Alternatives: a schema-5 revision for both (every
county file then needs the newest program for nothing it uses); a revision that creates
the table on PostgreSQL only (one revision, two schemas).

Passwords are never taken from a URL (nor written to settings): libpq reads its own
``.pgpass`` / ``PGPASSFILE`` / ``PGSERVICE`` (a ``?service=`` in the URL), and otherwise
the caller's ``ask_password`` is asked once per server, user and database in a process.

Decision: a unit opened in the window (``CollectionUnit``) is edited under a PostgreSQL
*session advisory lock* keyed by the unit's row id (``pg_try_advisory_lock``), its holder
named in the table ``edit_holder`` (revision c002) and trusted only while ``pg_locks``
shows that holder's connection holding the lock. Why: the lock lives in the server, works
across PCs and goes away with the holder's connection (a crashed PC or a pulled cable
leaves no stale lock); a row lock (``SELECT … FOR UPDATE``) would have to keep a
transaction open for the whole editing session, which holds back PostgreSQL's clean-up of
old rows for every table and is ended by a server's ``idle_in_transaction_session_timeout``,
and it would block the other reviewers' explanations (``explain_finding`` locks the unit's
row for the moment it writes). Alternatives: a lock row like a .jxdb's ``edit_lock``
(stale after a crash: needs 强制编辑 and trust in clocks).
"""

from __future__ import annotations

import contextlib
import hashlib
import re
import uuid as uuids
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import (
    Column,
    DateTime,
    Engine,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    create_engine,
    event,
    inspect,
    select,
    text,
)
from sqlalchemy.engine import URL, Connection, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, IntegrityError
from sqlalchemy.orm import ORMExecuteState, Session, sessionmaker, with_loader_criteria

from desktop.storage.document import Document
from desktop.storage.errors import (
    CollectionError,
    CollectionWriteError,
    NewerSchemaError,
    ReadOnlyDocumentError,
)
from desktop.storage.history import track_history
from desktop.storage.lock import EditHolder, LockHolder
from desktop.storage.reasons import (
    CollectionMoment,
    CollectionProblem,
    CollectionReason,
    ReadOnlyCause,
    ReadOnlyReason,
)

#: How a collection database is named on the command line (libpq's URI schemes).
SCHEMES = ("postgresql://", "postgres://")
#: The key of the advisory lock that keeps schema upgrades and merges one at a time
#: (the bytes "JXDB", like a .jxdb file's application_id).
_ADVISORY_KEY = 0x4A584442
#: The tables of a collection besides those of a .jxdb file of the newest schema.
COLLECTION_TABLES = frozenset({"collection_version", "merge_record", "edit_holder"})
#: The first key of a unit's edit lock (``pg_try_advisory_lock(space, declaration id)``):
#: the bytes "JXDE"; the two-key locks never meet the one-key merge lock above.
_EDIT_LOCK_SPACE = 0x4A584445

merge_record = Table(
    "merge_record",
    MetaData(),
    Column("id", Integer, primary_key=True),
    Column("merged_at", DateTime, nullable=False),  # UTC, without zone
    Column("computer", Text, nullable=False),
    Column("user", Text, nullable=False),
    Column("database_user", Text, nullable=False),
    Column("file_name", Text, nullable=False),
    Column("file_sha256", String(64), nullable=False),
    Column("fingerprints", Text, nullable=False),  # the units' short fingerprints, 、-joined
    Column("units", Integer, nullable=False),
)

edit_holder = Table(
    "edit_holder",
    MetaData(),
    Column("declaration_uuid", String(36), primary_key=True),
    Column("backend_pid", Integer, nullable=False),  # the holder's server connection
    Column("computer", Text, nullable=False),
    Column("user", Text, nullable=False),
    Column("database_user", Text, nullable=False),
    Column("since", DateTime, nullable=False),  # UTC, without zone
)

#: Passwords asked in this process: (host, port, user, database) -> password.
_PASSWORDS: dict[tuple[str, int | None, str, str], str] = {}
#: ``ask_password(address)``: the password of the database at ``address`` (as shown, never
#: with a password; ``file_words.password_prompt`` asks for it), or None when none given.
AskPassword = Callable[[str], str | None]


class EditLockHeldError(CollectionError):
    """Another reviewer edits the unit ``unit`` (its label); ``holder`` names them (None
    when the server shows the lock but not yet its holder's name). Worded by the window
    (desktop/ui/wording.py), which alone edits a unit."""

    def __init__(self, path: Path | str, unit: str, holder: EditHolder | None) -> None:
        super().__init__(path)
        self.unit = unit
        self.holder = holder
        self.args = (f"edit lock of {unit} held by {holder}",)


class PasswordRequiredError(CollectionError):
    """The server wants a password that neither libpq (.pgpass) nor ``ask_password`` gave
    (``CollectionProblem.PASSWORD_REQUIRED``, the address in ``reason.shown``), so a
    caller that cannot ask while connecting (the window connects on a worker thread) asks
    (``file_words.password_prompt``) and connects again with the answer."""


def is_collection_url(text: str) -> bool:
    """Whether ``text`` names a collection database (postgresql://…) rather than a file."""
    return text.strip().lower().startswith(SCHEMES)


def collection_url(text: str) -> URL:
    """The SQLAlchemy URL (driver psycopg) of the database ``text`` names.

    Raises ``CollectionError`` for a URL that cannot be read, has no database name, or
    carries a password (passwords belong in .pgpass, never on a command line).
    """
    shown = text.strip()
    try:
        url = make_url(shown)
    except (ArgumentError, ValueError) as exc:
        reason = CollectionReason(CollectionProblem.BAD_URL, shown=shown)
        raise CollectionError(Path(shown), reason) from exc
    if url.password is not None:
        raise CollectionError(
            Path(url.database or "数据库"),
            CollectionReason(CollectionProblem.PASSWORD_IN_URL, database=url.database or ""),
        )
    if not url.database and "service" not in url.query:
        reason = CollectionReason(CollectionProblem.NO_DATABASE_NAME, shown=shown)
        raise CollectionError(Path(shown), reason)
    return url.set(drivername="postgresql+psycopg")


def shown_url(url: URL) -> str:
    """The URL as the user wrote it, without driver name, connect timeout (added by
    ``open_collection``) and never a password."""
    shown = url.set(drivername="postgresql").difference_update_query(["connect_timeout"])
    return shown.render_as_string(hide_password=True)


class Collection:
    """An open collection database: the counterpart of ``Document`` for services that read
    or write declarations through ``session()``.

    ``path`` names the database in messages (its URL, as a path: ``path.name`` is the
    database name); ``read_only`` is always None (reviewers write explanations; who may
    write what is the database's privileges); there is no edit lock file: concurrent
    writers are kept apart by row locks and, for merges, an advisory lock.
    """

    read_only: ReadOnlyReason | None = None
    lock_holder: LockHolder | None = None
    #: units read with each set of queries (``documents.each_declaration``): a round trip
    #: to the server costs more than a unit's rows in memory (docs/benchmarks.md)
    units_per_read = 25

    def __init__(self, url: URL, engine: Engine) -> None:
        self.url = url
        self.shown = shown_url(url)
        self.path = Path(url.database or "数据库")
        self.engine = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        track_history(self._sessions)

    @contextlib.contextmanager
    def session(self) -> Iterator[Session]:
        """A session that commits when the block ends normally and rolls back otherwise.

        Raises ``CollectionError`` (Chinese) when the server refuses or the connection is
        lost; nothing of the block was committed then.
        """
        with (
            _server_errors(self.url, self.path, CollectionError),
            self._sessions() as session,
            session.begin(),
        ):
            yield session

    def close(self) -> None:
        """Release every connection."""
        self.engine.dispose()


@dataclass(frozen=True)
class UnitEntry:
    """A unit of a collection as the list of units shows it; ``editor`` is the reviewer
    editing it now (None when nobody is)."""

    uuid: str
    unit_code: str
    unit_name: str
    fiscal_year: int
    editor: EditHolder | None

    @property
    def label(self) -> str:
        """507002 乐亭县机关事务中心 2022年度 (as ``documents.declaration_label``)."""
        return f"{self.unit_code} {self.unit_name} {self.fiscal_year}年度".strip()


#: the holders whose connection holds the lock now (the others are stale rows)
_LIVE_HOLDERS = """
    SELECT h.declaration_uuid, h.computer, h."user", h.database_user, h.since
    FROM edit_holder h
    JOIN declaration d ON d.uuid = h.declaration_uuid
    JOIN pg_locks l ON l.locktype = 'advisory' AND l.granted AND l.pid = h.backend_pid
        AND l.classid::bigint = :space AND l.objid::bigint = d.id AND l.objsubid = 2
"""


def list_units(collection: Collection) -> list[UnitEntry]:
    """Every unit of ``collection`` by fiscal year and unit code, with who edits it now:
    one query for the names, one for the holders (names only: no rows below them).
    Raises ``CollectionError`` when the server cannot be read."""
    with collection.session() as session:
        editors = {
            row[0]: EditHolder(*row[1:])
            for row in session.execute(text(_LIVE_HOLDERS), {"space": _EDIT_LOCK_SPACE})
        }
        rows = session.execute(
            text(
                "SELECT uuid, unit_code, unit_name, fiscal_year FROM declaration"
                " ORDER BY fiscal_year, unit_code, id"
            )
        )
        return [
            UnitEntry(uuid, code, name, year, editors.get(uuid)) for uuid, code, name, year in rows
        ]


def open_collection(
    text_or_url: str | URL, *, create: bool = False, ask_password: AskPassword | None = None
) -> Collection:
    """Connect to the collection database named by ``text_or_url`` and check its schema.

    An empty database gets the schema when ``create`` (a first merge), an older schema
    is upgraded (one transaction, one program at a time); the password comes from libpq
    (.pgpass, PGPASSFILE, PGSERVICE) or, when the server asks for one, from
    ``ask_password`` once per process. Raises ``CollectionError`` (bad URL, server not
    reachable, wrong password, no such database, no privilege, an empty database when
    not ``create``, a database of another program; ``PasswordRequiredError`` when the
    server wants a password and none was given) and ``NewerSchemaError`` (a newer
    program's schema): the database is unchanged then. Waits at most the URL's
    ``connect_timeout`` (10 s when it names none) for the server to answer.
    """
    url = text_or_url if isinstance(text_or_url, URL) else collection_url(text_or_url)
    if "connect_timeout" not in url.query:
        url = url.update_query_dict({"connect_timeout": "10"})
    key = (url.host or "", url.port, url.username or "", url.database or "")
    path = Path(url.database or "数据库")
    engine = _engine(url, _PASSWORDS.get(key))
    try:
        with _server_errors(url, path, CollectionError):
            try:
                connection = engine.connect()
            except DBAPIError as exc:
                if not _wants_password(exc) or key in _PASSWORDS:
                    raise
                password = ask_password(shown_url(url)) if ask_password is not None else None
                if not password:
                    reason = _reason(url, CollectionProblem.PASSWORD_REQUIRED)
                    raise PasswordRequiredError(path, reason) from exc
                engine.dispose()
                engine = _engine(url, password)
                connection = engine.connect()
                _PASSWORDS[key] = password
            with connection:
                _check_schema(connection, url, create=create)
    except BaseException:
        engine.dispose()
        raise
    return Collection(url, engine)


def _engine(url: URL, password: str | None) -> Engine:
    arguments = {"password": password} if password else {}
    try:
        return create_engine(url, connect_args=arguments, pool_pre_ping=True)
    except ImportError as exc:  # no driver, or the driver finds no libpq
        raise CollectionError(Path(url.database or "数据库"), _driver_missing(url)) from exc


def _driver_missing(url: URL) -> CollectionReason:
    """Why the collection cannot be used without its driver: the bundle carries psycopg
    without libpq (the system's libpq5: a Depends of the .deb), or no psycopg at all."""
    import importlib.util

    found = importlib.util.find_spec("psycopg") is not None
    problem = CollectionProblem.NO_LIBPQ if found else CollectionProblem.NO_DRIVER
    return CollectionReason(problem, database=url.database or "")


def _reason(
    url: URL,
    problem: CollectionProblem,
    moment: CollectionMoment = CollectionMoment.CONNECTING,
    **data: Any,
) -> CollectionReason:
    """``problem`` of the database ``url`` names, with its name, address, server and user."""
    return CollectionReason(
        problem,
        database=url.database or "",
        moment=moment,
        shown=shown_url(url),
        server=_server_name(url),
        user=url.username or "",
        **data,
    )


def _first_line(error: BaseException | None) -> str:
    return str(error).strip().splitlines()[0] if error is not None and str(error).strip() else ""


def _wants_password(exc: DBAPIError) -> bool:
    return "no password supplied" in str(exc.orig)


#: libpq's and psycopg's words for a server that cannot be reached (or went away)
_UNREACHABLE = (
    "Connection refused",
    "could not translate host name",
    "No route to host",
    "Network is unreachable",
    "could not connect",
    "server closed the connection",
    "connection is closed",
    "terminating connection",
    "consuming input failed",
    "the connection is lost",
)


def _server_reason(url: URL, exc: DBAPIError, moment: CollectionMoment) -> CollectionReason:
    """Why the server or the connection failed, read from libpq's English message for the
    usual causes; a server unreachable while a unit is opened or shown is a connection
    lost (the address worked a moment ago), not an address to check."""
    detail = str(exc.orig)
    if "password authentication failed" in detail:
        problem = CollectionProblem.WRONG_PASSWORD
    elif "no password supplied" in detail:
        problem = CollectionProblem.PASSWORD_REQUIRED
    elif "does not exist" in detail and "database" in detail:
        problem = CollectionProblem.NO_SUCH_DATABASE
    elif "does not exist" in detail and "role" in detail:
        problem = CollectionProblem.NO_SUCH_USER
    elif "permission denied" in detail:
        problem = CollectionProblem.NO_PRIVILEGE
    elif "timeout expired" in detail or _unreachable(detail):
        if moment is not CollectionMoment.CONNECTING:
            problem = CollectionProblem.CONNECTION_LOST
        elif "timeout expired" in detail:
            problem = CollectionProblem.TIMEOUT
        else:
            problem = CollectionProblem.UNREACHABLE
    else:
        problem = CollectionProblem.SERVER_REFUSED
    seconds = url.query.get("connect_timeout", "")
    return _reason(
        url,
        problem,
        moment,
        seconds=seconds if isinstance(seconds, str) else "",
        detail=_first_line(exc.orig),
    )


@contextlib.contextmanager
def _server_errors(
    url: URL,
    path: Path,
    error: type[CollectionError],
    moment: CollectionMoment = CollectionMoment.CONNECTING,
) -> Iterator[None]:
    """Raise ``error(path, reason)`` for a failure of the server in the block at ``moment``:
    a write that conflicts with the database's content (``IntegrityError``:
    ``CollectionProblem.CONFLICT``) or any other (``_server_reason``). The one place where
    a collection's SQLAlchemy/psycopg errors become data."""
    try:
        yield
    except IntegrityError as exc:
        detail = _first_line(exc.orig)
        raise error(path, _reason(url, CollectionProblem.CONFLICT, moment, detail=detail)) from exc
    except DBAPIError as exc:
        raise error(path, _server_reason(url, exc, moment)) from exc


def _unreachable(detail: str) -> bool:
    return any(words in detail for words in _UNREACHABLE)


def _server_name(url: URL) -> str:
    return f"{url.host or '本机'}" + (f":{url.port}" if url.port else "")


def _check_schema(connection: Connection, url: URL, *, create: bool) -> None:
    """Refuse a database that is not ours; give an empty one the schema (``create``) and
    upgrade an older one, in one transaction under the advisory lock."""
    from desktop.storage import migrate
    from desktop.storage.document import NEWEST_TABLES

    name = url.database or ""
    with connection.begin():
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _ADVISORY_KEY})
        tables = set(inspect(connection).get_table_names())
        ours = NEWEST_TABLES | COLLECTION_TABLES
        foreign = sorted(tables - ours)
        if foreign or (tables and "alembic_version" not in tables):
            shown = tuple((foreign or sorted(tables))[:3])
            reason = _reason(url, CollectionProblem.FOREIGN_TABLES, tables=shown)
            raise CollectionError(Path(name), reason)
        if not tables and not create:
            raise CollectionError(Path(name), _reason(url, CollectionProblem.EMPTY))
        for table, known in (
            ("alembic_version", migrate.revisions(migrate.MIGRATIONS)),
            ("collection_version", migrate.revisions(migrate.COLLECTION_MIGRATIONS)),
        ):
            if table not in tables:
                continue
            found = connection.execute(text(f"SELECT version_num FROM {table}")).scalar()
            if found not in known:
                raise NewerSchemaError(Path(name), version=str(found), collection=name)
        try:
            migrate.upgrade_collection(connection)
        except DBAPIError:
            raise
        except Exception as exc:  # a migration failed: rolled back with the transaction
            reason = _reason(url, CollectionProblem.UPGRADE_FAILED, detail=str(exc))
            raise CollectionError(Path(name), reason) from exc


def lock_for_merge(session: Session) -> None:
    """Wait until no other program merges into the collection, then hold the lock until
    the session's transaction ends (a merge is one transaction per source file)."""
    session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _ADVISORY_KEY})


def record_merge(session: Session, path: Path, declarations: list[dict[str, Any]]) -> None:
    """Record in ``merge_record`` that this program merged the file ``path`` holding the
    JSON-form ``declarations``: this computer and login name, the database user, now
    (UTC), the file's SHA-256 and the short content fingerprints of its units (the 指纹
    printed on each page of their forms)."""
    from desktop.models import Declaration
    from desktop.storage import lock
    from desktop.storage.interchange import fingerprint, load_row, short_fingerprint

    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    prints = [short_fingerprint(fingerprint(load_row(Declaration, d, {}))) for d in declarations]
    session.execute(
        merge_record.insert().values(
            merged_at=datetime.now(UTC).replace(tzinfo=None),
            computer=lock.computer_name(),
            user=lock.user_name(),
            database_user=session.execute(text("SELECT current_user")).scalar_one(),
            file_name=str(path.resolve()),
            file_sha256=digest.hexdigest(),
            fingerprints="、".join(prints),
            units=len(declarations),
        )
    )


#: the tables a unit shown read-only writes: the reviewers' explanations (and the
#: content history the explanations' commit records)
_WRITTEN_READ_ONLY = frozenset({"finding_explanation", "content_history"})


class CollectionUnit(Document):
    """One unit of a collection opened in the window, standing where a .jxdb ``Document``
    stands: sessions see this unit only (``declaration_names`` lists it alone), and it is
    read-only until ``take_edit_lock`` (the reason, Chinese, in ``read_only``). While
    read-only only the reviewers' explanations (已说明) are written; any other change is
    refused with ``ReadOnlyDocumentError``. Failures of the server raise
    ``CollectionWriteError`` (a ``DocumentWriteError``: the window keeps the edit).

    ``path`` only names the unit in the title (``path.name``); ``holder`` is the other
    reviewer who edits the unit, when known (refreshed by ``current_holder``).
    """

    #: the window's file-only steps (recent files, daily backup) skip it
    from_collection = True
    #: explanations are written while the unit is shown read-only
    explains_read_only = True

    def __init__(self, collection: Collection, declaration_uuid: str) -> None:
        # not Document.__init__: that one is SQLite's (its lock row, its change counter)
        from desktop.models import Declaration

        self.collection = collection
        self.engine = collection.engine
        self.declaration_uuid = declaration_uuid
        self.token = str(uuids.uuid4())
        self.remembered_rows: set[str] = set()
        self.holder: EditHolder | None = None
        self._lock: Connection | None = None
        with (
            _server_errors(collection.url, collection.path, CollectionError,
                           CollectionMoment.OPENING_UNIT),
            collection._sessions() as session,
            session.begin(),
        ):  # fmt: skip
            found = session.execute(
                text(
                    "SELECT id, unit_code, unit_name, fiscal_year FROM declaration"
                    " WHERE uuid = :uuid"
                ),
                {"uuid": declaration_uuid},
            ).one_or_none()
        if found is None:
            reason = CollectionReason(
                CollectionProblem.UNIT_GONE,
                database=collection.path.name,
                moment=CollectionMoment.OPENING_UNIT,
            )
            raise CollectionError(collection.path, reason)
        self._row_id = int(found[0])
        self.label = f"{found[1]} {found[2]} {found[3]}年度".strip()
        self.server = f"{collection.url.host or '本机'}:{collection.url.port or 5432}"
        name = re.sub(r'[\\/:*?"<>|]', "_", f"{self.label}（汇总库 {collection.path.name}）")
        self.path = Path(name)
        self.read_only: ReadOnlyReason | None = self._viewing_reason()
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        track_history(self._sessions)
        only_this = with_loader_criteria(
            Declaration, Declaration.uuid == declaration_uuid, include_aliases=True
        )

        def only_this_unit(state: ORMExecuteState) -> None:
            if state.is_select:
                state.statement = state.statement.options(only_this)
                return
            # an UPDATE/DELETE/INSERT statement (the services' field edits): as in a flush
            state.session.info["jixiao_changed"] = True
            table = getattr(state.statement, "table", None)
            if not self.editing and getattr(table, "name", "") not in _WRITTEN_READ_ONLY:
                raise ReadOnlyDocumentError(self.path, self.read_only or self._viewing_reason())

        event.listen(self._sessions, "do_orm_execute", only_this_unit)
        event.listen(self._sessions, "before_flush", self._refuse_unless_editing)
        event.listen(self._sessions, "before_commit", self._check_lock_kept)

    @property
    def editing(self) -> bool:
        """Whether this window holds the unit's edit lock."""
        return self._lock is not None

    def _viewing_reason(self, cause: ReadOnlyCause = ReadOnlyCause.UNIT_VIEWED) -> ReadOnlyReason:
        return ReadOnlyReason(
            cause,
            unit=self.label,
            collection=self.collection.path.name,
            server=self.server,
            reviewer=self.holder,
        )

    @contextlib.contextmanager
    def session(self) -> Iterator[Session]:
        """A session on this unit that commits when the block ends normally and rolls back
        otherwise. Raises ``ReadOnlyDocumentError`` for a change other than an explanation
        while not editing, ``CollectionWriteError`` when the server fails or the edit lock
        was lost; nothing of the block was committed then."""
        with (
            _server_errors(self.collection.url, self.path, CollectionWriteError,
                           CollectionMoment.UNIT_SHOWN),
            self._sessions() as session,
            session.begin(),
        ):  # fmt: skip
            yield session

    @contextlib.contextmanager
    def _whole_collection(self) -> Iterator[Session]:
        """A session of the collection (not only this unit: who edits which unit), its
        failures worded for a unit shown (``CollectionError``)."""
        with (
            _server_errors(self.collection.url, self.path, CollectionError,
                           CollectionMoment.UNIT_SHOWN),
            self.collection._sessions() as session,
            session.begin(),
        ):  # fmt: skip
            yield session

    def _refuse_unless_editing(self, session: Session, _context: Any, _instances: Any) -> None:
        from desktop.models import Declaration, FindingExplanation
        from desktop.models.history import ContentHistory

        changed = [*session.new, *session.dirty, *session.deleted]
        if changed:
            session.info["jixiao_changed"] = True
        if self.editing:
            return
        for row in changed:
            if isinstance(row, FindingExplanation | ContentHistory):
                continue
            if isinstance(row, Declaration) and not session.is_modified(
                row, include_collections=False
            ):
                continue  # its explanations' list changed
            raise ReadOnlyDocumentError(self.path, self.read_only or self._viewing_reason())

    def _check_lock_kept(self, session: Session) -> None:
        session.flush()
        if self._lock is None or not session.info.pop("jixiao_changed", False):
            return
        try:
            self._lock.execute(text("SELECT 1")).scalar()
            self._lock.commit()
        except DBAPIError as exc:
            self._lose_lock()
            self.read_only = self._viewing_reason(ReadOnlyCause.UNIT_LOCK_LOST)
            reason = _reason(
                self.collection.url, CollectionProblem.LOCK_LOST, CollectionMoment.UNIT_SHOWN
            )
            raise CollectionWriteError(self.path, reason) from exc

    def _lose_lock(self) -> None:
        if self._lock is not None:
            with contextlib.suppress(DBAPIError):
                self._lock.invalidate()  # never back to the pool holding a lock
            with contextlib.suppress(DBAPIError):
                self._lock.close()
        self._lock = None
        self.read_only = self._viewing_reason()

    def current_holder(self) -> EditHolder | None:
        """The reviewer holding the unit's edit lock now (None when nobody, or this
        window); also kept in ``holder`` and the read-only reason. Raises
        ``CollectionError`` when the server cannot be read."""
        if self.editing:
            return None
        with self._whole_collection() as session:
            row = session.execute(
                text(_LIVE_HOLDERS + " WHERE h.declaration_uuid = :uuid"),
                {"space": _EDIT_LOCK_SPACE, "uuid": self.declaration_uuid},
            ).one_or_none()
        self.holder = None if row is None else EditHolder(*row[1:])
        self.read_only = self._viewing_reason()
        return self.holder

    def take_edit_lock(self) -> None:
        """Take the unit's edit lock (a PostgreSQL advisory lock held by a connection of
        this window until ``release_edit_lock`` or ``close``) and become editable.

        Raises ``EditLockHeldError`` naming the reviewer who holds it (the unit stays
        read-only) and ``CollectionError`` when the server cannot be reached.
        """
        from desktop.storage import lock

        if self._lock is not None:
            return
        keys = {"space": _EDIT_LOCK_SPACE, "id": self._row_id}
        with _server_errors(self.collection.url, self.path, CollectionError,
                            CollectionMoment.UNIT_SHOWN):  # fmt: skip
            connection = self.engine.connect()
            self._hold_edit_lock(connection, keys, lock.computer_name(), lock.user_name())
        self._lock = connection
        self.holder = None
        self.read_only = None

    def _hold_edit_lock(
        self, connection: Connection, keys: dict[str, int], computer: str, user: str
    ) -> None:
        """Take the advisory lock on ``connection`` and name this reviewer its holder;
        the connection is closed (never back to the pool holding a lock) when it fails."""
        try:
            taken = connection.execute(
                text("SELECT pg_try_advisory_lock(CAST(:space AS integer), CAST(:id AS integer))"),
                keys,
            ).scalar()
            connection.commit()
            if not taken:
                connection.close()
                raise EditLockHeldError(self.path, self.label, self.current_holder())
            connection.execute(
                text(
                    'INSERT INTO edit_holder (declaration_uuid, backend_pid, computer, "user",'
                    " database_user, since) VALUES (:uuid, pg_backend_pid(), :computer, :user,"
                    " current_user, :since) ON CONFLICT (declaration_uuid) DO UPDATE SET"
                    " backend_pid = excluded.backend_pid, computer = excluded.computer,"
                    ' "user" = excluded."user", database_user = excluded.database_user,'
                    " since = excluded.since"
                ),
                {
                    "uuid": self.declaration_uuid,
                    "computer": computer,
                    "user": user,
                    "since": datetime.now(UTC).replace(tzinfo=None),
                },
            )
            connection.commit()
        except DBAPIError:
            with contextlib.suppress(DBAPIError):
                connection.invalidate()
                connection.close()
            raise

    def release_edit_lock(self) -> None:
        """Give the edit lock back (结束编辑); the unit is read-only again. A connection
        that broke meanwhile had lost the lock already: nothing to do then."""
        connection = self._lock
        if connection is None:
            return
        try:
            connection.execute(
                text("DELETE FROM edit_holder WHERE declaration_uuid = :uuid"
                     " AND backend_pid = pg_backend_pid()"),
                {"uuid": self.declaration_uuid},
            )  # fmt: skip
            connection.execute(
                text("SELECT pg_advisory_unlock(CAST(:space AS integer), CAST(:id AS integer))"),
                {"space": _EDIT_LOCK_SPACE, "id": self._row_id},
            )
            connection.commit()
            connection.close()
            self._lock = None
            self.read_only = self._viewing_reason()
        except DBAPIError:
            self._lose_lock()

    def take_over_lock(self) -> None:
        """As ``take_edit_lock`` (the file's 强制编辑 has no meaning here: a lock held by
        a live connection cannot be broken, and a dead one is gone already)."""
        self.take_edit_lock()

    def close(self) -> None:
        """Give the edit lock back and release every connection of the collection."""
        self.release_edit_lock()
        self.collection.close()

    def write_copy(self, out_path: Path) -> None:
        """另存为 of the unit: a new .jxdb file (``save_unit_copy``)."""
        save_unit_copy(self, out_path)


def save_unit_copy(unit: CollectionUnit, out_path: Path) -> None:
    """另存为 of a unit shown from a collection: the unit with all its rows (explanations
    and print records included) written into a new .jxdb file at ``out_path``, built and
    checked whole before it replaces anything there (``create_document``). Raises
    ``DocumentFileError`` (the folder cannot be written) or ``CollectionWriteError``."""
    from desktop.models import Declaration
    from desktop.storage.document import create_document
    from desktop.storage.interchange import dump_row, insert_declaration

    with unit.session() as session:
        declaration = session.scalars(select(Declaration)).one()
        data = dump_row(declaration)
    create_document(out_path, populate=lambda session: insert_declaration(session, data)).close()
