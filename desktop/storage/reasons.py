"""Why a file cannot be opened or an open document cannot be edited, as data: the cause
and what goes with it (the program holding the edit lock, the version chosen at a
recovery). The errors of desktop/storage/errors.py carry these. Must not import Qt.

Storage puts none of it into words. ``desktop/file_words.py`` states each situation in
Chinese; the window (``desktop/ui/wording.py``) and the command line (``cli._error_words``)
each add their own advice through it, the window naming its buttons (另存为, 强制编辑), the
command line what a command-line user can do.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # lock.py imports SQLAlchemy, which the command line's --help must not load
    from desktop.storage.lock import EditHolder, LockHolder


class Version(enum.Enum):
    """The two versions of a file with a sidecar (desktop/file_words.py: ``VERSION_WORDS``
    names them for the clerk)."""

    AS_IS = enum.auto()  # the file as it is, the sidecars not applied
    RECOVERED = enum.auto()  # the file as SQLite recovers it with its sidecars


class FileProblem(enum.Enum):
    """Why a file was refused before anything of it was read or written (``check_file``,
    a recovery's check of the versions of a file with sidecars)."""

    FOLDER = enum.auto()  # the path is a folder
    NOT_FOUND = enum.auto()  # nothing is at the path
    UNREADABLE = enum.auto()  # it (or its sidecars) cannot be read: no permission, stick pulled
    EMPTY = enum.auto()  # 0 bytes: a copy or download that never finished
    NOT_SQLITE = enum.auto()  # not SQLite at all (a workbook renamed, a text)
    OTHER_DATABASE = enum.auto()  # SQLite of another program (its application_id)
    UNKNOWN_VERSION = enum.auto()  # ours, with a schema version no program of ours wrote
    DAMAGED = enum.auto()  # SQLite cannot read it or its quick_check fails
    UNTRUSTED = enum.auto()  # it holds something this program never writes (``part``)
    INTEGRITY_FAILED = enum.auto()  # a recovery's version fails the full integrity_check
    RECOVERY_FAILED = enum.auto()  # SQLite could not apply the sidecars to a copy


class ReadOnlyCause(enum.Enum):
    """What keeps a document read-only."""

    ASKED = enum.auto()  # opened read-only on purpose (to read, compare, merge from, back up)
    LOCATION = enum.auto()  # the file, its stick or its folder cannot be written
    LOCKED = enum.auto()  # another program holds the edit lock (``ReadOnlyReason.holder``)
    RECOVERED = enum.auto()  # a version chosen at a recovery, shown from memory: the file's
    # place cannot be written (``ReadOnlyReason.version``)
    UNIT_VIEWED = enum.auto()  # a unit of a collection database, shown until 编辑 takes its
    # edit lock (``unit``, ``collection``, ``server``; ``reviewer`` when another edits it)
    UNIT_LOCK_LOST = enum.auto()  # the connection holding a unit's edit lock broke


@dataclass(frozen=True)
class ReadOnlyReason:
    """Why a document is read-only: ``cause``, with ``holder`` for ``LOCKED`` and
    ``version`` for ``RECOVERED`` (None otherwise); for a unit of a collection database
    its ``unit`` (label), ``collection`` (database name), ``server`` (host:port) and the
    ``reviewer`` editing it, when another does."""

    cause: ReadOnlyCause
    holder: LockHolder | None = None
    version: Version | None = None
    unit: str = ""
    collection: str = ""
    server: str = ""
    reviewer: EditHolder | None = None

    @classmethod
    def locked(cls, holder: LockHolder) -> ReadOnlyReason:
        """Another program (``holder``) edits the file."""
        return cls(ReadOnlyCause.LOCKED, holder=holder)

    @classmethod
    def recovered(cls, version: Version) -> ReadOnlyReason:
        """The clerk's choice of ``version`` is shown from memory; the file is unchanged."""
        return cls(ReadOnlyCause.RECOVERED, version=version)

    @property
    def may_take_over(self) -> bool:
        """Whether the clerk may break the lock: it names another computer (a program on
        this one is checked: a lock of a program no longer running does not block)."""
        return self.holder is not None and not self.holder.on_this_computer()


class CollectionProblem(enum.Enum):
    """Why a collection database (PostgreSQL, desktop/storage/collection.py) could not be
    reached, opened or written; ``CollectionReason`` carries what goes with it."""

    BAD_URL = enum.auto()  # the address (``shown``, as typed) cannot be read
    PASSWORD_IN_URL = enum.auto()  # the address carries a password: never used
    NO_DATABASE_NAME = enum.auto()  # the address (``shown``) names no database
    NO_LIBPQ = enum.auto()  # psycopg is there, the system's libpq is not
    NO_DRIVER = enum.auto()  # this build carries no psycopg
    PASSWORD_REQUIRED = enum.auto()  # the server wants a password none gave (``shown``)
    WRONG_PASSWORD = enum.auto()  # the password (or the ``user``) is refused
    NO_SUCH_DATABASE = enum.auto()  # the server has no such database
    NO_SUCH_USER = enum.auto()  # the server has no such ``user``
    NO_PRIVILEGE = enum.auto()  # the ``user`` may not use the database
    TIMEOUT = enum.auto()  # the ``server`` did not answer in ``seconds``
    UNREACHABLE = enum.auto()  # the ``server`` cannot be reached (off, address, firewall)
    CONNECTION_LOST = enum.auto()  # the ``server`` went away while a unit was opened or shown
    SERVER_REFUSED = enum.auto()  # any other failure: the server's first line (``detail``)
    CONFLICT = enum.auto()  # a write conflicts with the database's content (``detail``)
    FOREIGN_TABLES = enum.auto()  # the database holds another program's ``tables``
    EMPTY = enum.auto()  # nothing merged into it yet (``shown``: the address to merge into)
    UPGRADE_FAILED = enum.auto()  # its older schema could not be upgraded (``detail``)
    UNIT_GONE = enum.auto()  # the unit to open is no longer in it
    LOCK_LOST = enum.auto()  # the connection holding a unit's edit lock broke: edit not written


class CollectionMoment(enum.Enum):
    """When a collection failed: what the user can do next depends on it."""

    CONNECTING = enum.auto()  # opening it, a merge into it, a command on it
    OPENING_UNIT = enum.auto()  # opening one of its units in the window
    UNIT_SHOWN = enum.auto()  # a unit shown in the window (its bar's 刷新)


@dataclass(frozen=True)
class CollectionReason:
    """Why a collection database failed: ``problem`` and ``moment``, with the
    ``database``'s name and what the problem names (``CollectionProblem``): the address
    ``shown`` (never a password), the ``server`` (host:port), the database ``user``, the
    ``seconds`` waited, the server's ``detail`` (its first line), the foreign ``tables``."""

    problem: CollectionProblem
    database: str = ""
    moment: CollectionMoment = CollectionMoment.CONNECTING
    shown: str = ""
    server: str = ""
    user: str = ""
    seconds: str = ""
    detail: str = ""
    tables: tuple[str, ...] = ()


class ContentProblem(enum.Enum):
    """What in a file this program never writes (``DamagedPart``, the ``part`` of a
    ``FileProblem.UNTRUSTED`` refusal: ``document.check_file``, storage/validation.py);
    the fields of ``DamagedPart`` each names are in brackets."""

    JOURNAL_MODE = enum.auto()  # in WAL mode: we only write rollback-journal files
    SCHEMA_OBJECTS = enum.auto()  # a table, index, view or trigger we never create
    COLUMNS = enum.auto()  # a ``table`` whose columns are not ours (``missing``, ``extra``)
    FILE_ROWS = enum.auto()  # more rows (``count``) than a file may hold (``limit``)
    DECLARATIONS = enum.auto()  # more units (``count``) than a file may hold (``limit``)
    LIST_ROWS = enum.auto()  # a row (``place``) with more rows (``count``) of ``table``
    # than one list may hold (``limit``)
    LOST_LINK = enum.auto()  # a row whose project or unit is gone (a foreign key)
    DUPLICATE_UUID = enum.auto()  # one UUID names several rows
    TOO_LARGE = enum.auto()  # checking it exhausted the memory
    TEXT_TOO_LONG = enum.auto()  # a text (``value``) longer than ``limit`` characters
    BAD_VALUE = enum.auto()  # a value (``value``) outside its domain (``detail``: the words
    # of ``models.domains.Domain.problem``)
    NOT_UTF8 = enum.auto()  # a text (``value``) that is not UTF-8
    NOT_UTF8_TABLE = enum.auto()  # a text of ``table`` not UTF-8, its column not known


class StepKind(enum.Enum):
    """How one row on the way to a value is known (``RowStep``)."""

    COUNTED = enum.auto()  # its ``number`` among its siblings (by position, then id)
    SOLE_UNIT = enum.auto()  # the one declaration of a file of one unit (部门整体)
    UNCOUNTED = enum.auto()  # not found among its siblings (a declaration: not found)
    ORPHAN = enum.auto()  # its parent row is gone: the row of its table
    RECORD = enum.auto()  # a table of records that are not rows of a unit (the edit lock,
    # the merge history, the schema version), named by its table alone
    UNREADABLE = enum.auto()  # could not be placed: a row of its table


@dataclass(frozen=True)
class RowStep:
    """One row on the way to a value: its ``table``, how it is known (``kind``) and for
    ``COUNTED`` its ``number`` among its siblings (1 the first)."""

    table: str
    kind: StepKind
    number: int = 0


@dataclass(frozen=True)
class ValuePlace:
    """Where a stored value is: ``steps`` from the unit down to the value's row (an
    ``ORPHAN``, ``RECORD`` or ``UNREADABLE`` step starts the way: nothing above it is
    known), then the row's ``table``, ``column`` and ``rowid`` for whoever helps."""

    steps: tuple[RowStep, ...]
    table: str
    column: str
    rowid: int


@dataclass(frozen=True)
class DamagedPart:
    """What in a file this program never writes: ``problem``, with what it names
    (``ContentProblem``): the ``table``, its ``missing`` and ``extra`` columns, a
    ``count`` over its ``limit``, the ``place`` of the row holding a list that is too
    long (steps as in ``ValuePlace``), the ``value`` outside its domain and the domain's
    ``detail``. Words: ``desktop/content_words.py``."""

    problem: ContentProblem
    table: str = ""
    missing: tuple[str, ...] = ()
    extra: tuple[str, ...] = ()
    count: int = 0
    limit: int = 0
    place: tuple[RowStep, ...] = ()
    value: ValuePlace | None = None
    detail: str = ""
