"""Why an open document cannot be edited, as data: the cause and what goes with it (the
program holding the edit lock, the version chosen at a recovery). Must not import Qt.

The window and the command line say it in their own words (``desktop/ui/wording.py``,
``desktop/cli.py``): both state the situation with ``situation`` and add their own advice,
the window naming its buttons (另存为, 强制编辑), the command line what a command-line user
can do. Storage never names either.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from pathlib import Path

from desktop.storage.lock import EditHolder, LockHolder


class Version(enum.Enum):
    """The two versions of a file with a sidecar (the value is what the clerk reads)."""

    AS_IS = "文件现在的内容（不采用旁边的文件）"
    RECOVERED = "按旁边的文件恢复后的内容"


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


@dataclass(frozen=True)
class Advice:
    """An edge's words for what the clerk can do: ``copy`` (edit a copy instead), ``wait``
    (what to do once the other program has closed the file) and ``take_over`` (how to
    break a lock held on another computer; empty where the edge cannot)."""

    copy: str
    wait: str
    take_over: str = ""


def situation(path: Path, reason: ReadOnlyReason, advice: Advice) -> str:
    """``reason`` for the file ``path`` in one paragraph (Chinese): the situation, then the
    edge's ``advice``. Used by the window and the command line, never by storage."""
    name = path.name
    if reason.cause is ReadOnlyCause.LOCKED:
        assert reason.holder is not None
        words = (
            f"“{name}”正由{reason.holder.describe()}编辑，现以只读方式打开。"
            f"{advice.copy}，或等对方关闭文件后{advice.wait}。"
        )
        return words + (advice.take_over if reason.may_take_over else "")
    if reason.cause is ReadOnlyCause.LOCATION:
        return (
            f"“{name}”所在的位置是只读的（文件或U盘设为只读，或没有写入权限），"
            f"现以只读方式打开。{advice.copy}。"
        )
    if reason.cause is ReadOnlyCause.RECOVERED:
        assert reason.version is not None
        return (
            f"“{name}”所在的位置是只读的，旁边的文件无法移开，现以只读方式显示您选择的"
            f"“{reason.version.value}”，文件本身未作改动。{advice.copy}。"
        )
    return "以只读方式打开。"
