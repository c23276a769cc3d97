"""Errors of the file layer, each carrying a Chinese message that tells the clerk what to do."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

# Kept in desktop.files (below the layers, so the library can use it too); imported here
# because the file layer's callers look for it with the other errors.
from desktop.files import write_failure_message as write_failure_message

if TYPE_CHECKING:
    from desktop.storage.lock import LockHolder
    from desktop.storage.reasons import ReadOnlyReason


class DocumentFileError(Exception):
    """A file could not be opened, created or written; ``message`` is for the clerk (Chinese).

    The file named by ``path`` has not been changed by the failed operation.
    """

    def __init__(self, path: Path | str, message: str) -> None:
        super().__init__(message)
        self.path = Path(path)
        self.message = message


class FileMissingError(DocumentFileError):
    """The path does not exist or is not a regular file."""


class PathNotFoundError(FileMissingError):
    """Nothing is at the path. The message states it; the window and the command line each
    add where to look (the file's place, the path typed)."""


class ForeignFileError(DocumentFileError):
    """The file is not a 绩效目标文件: not SQLite at all, or SQLite of another program."""


class NewerSchemaError(DocumentFileError):
    """The file was written by a newer version of the program: ``version`` is the file's
    schema version (a revision name for a collection database), ``supported`` the newest
    this program reads ("" where unknown)."""

    def __init__(
        self, path: Path | str, message: str, *, version: object = "", supported: object = ""
    ) -> None:
        super().__init__(path, message)
        self.version = version
        self.supported = supported


class DamagedFileError(DocumentFileError):
    """The file is ours but damaged (truncated, corrupted pages, unexpected schema objects).
    ``part`` names what in it this program would never have written (a table, a trigger, a
    value out of its domain), in Chinese; empty when the file is simply unreadable."""

    def __init__(self, path: Path | str, message: str, *, part: str = "") -> None:
        super().__init__(path, message)
        self.part = part


class MigrationError(DocumentFileError):
    """Migrating an older file failed; the transaction was rolled back, the file is as it was."""


class DocumentWriteError(DocumentFileError):
    """An edit could not be written to the open file (full disk, stick pulled, file made
    read-only, lock held by another program). The transaction was rolled back: the file
    holds the state before the edit, never half of it."""


class ReadOnlyDocumentError(DocumentWriteError):
    """The document is read-only; ``reason`` (a ``ReadOnlyReason``) says why, for the window
    and the command line to put into their words. ``refused`` names what was refused
    (e.g. 不能合并到只读打开的文件), empty for an edit. ``message`` says it without advice."""

    def __init__(self, path: Path | str, reason: ReadOnlyReason, *, refused: str = "") -> None:
        path = Path(path)
        super().__init__(path, f"{refused or '没有写入'}：“{path.name}”以只读方式打开。")
        self.reason = reason
        self.refused = refused


class LockHeldError(ReadOnlyDocumentError):
    """Another program holds the file's edit lock (``holder``): the edit was rolled back and
    the document turned read-only."""

    def __init__(self, path: Path | str, holder: LockHolder) -> None:
        from desktop.storage.reasons import ReadOnlyReason

        super().__init__(path, ReadOnlyReason.locked(holder))
        self.holder = holder


class SidecarError(DocumentFileError):
    """A sidecar SQLite would apply (-journal, -wal, -shm) is beside the file: nothing was
    read or changed. ``sidecars`` lists them. The message tells the clerk to open the file
    in the program, which offers the choice (desktop/storage/sidecars.py)."""

    def __init__(self, path: Path | str, sidecars: list[Path]) -> None:
        names = "、".join(f"“{sidecar.name}”" for sidecar in sidecars)
        path = Path(path)
        super().__init__(
            path,
            f"“{path.name}”旁边有{names}：可能是上次保存时被中断（程序被强行关闭或U盘被拔出）"
            "留下的，也可能属于另一份同名文件（例如文件被别的单位的副本替换过）。"
            "为免把不属于它的内容写进文件，没有读取也没有改动它们。"
            f"请在绩效目标填报程序中打开“{path.name}”，按提示选择保留哪一份内容；"
            "不要删除这些文件，也不要把它们和文件一起复制。",
        )
        self.sidecars = sidecars


class InterchangeError(Exception):
    """A JSON interchange document is malformed; ``message`` says where, in Chinese."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def sqlite_failure_message(path: Path | str, error: BaseException) -> str:
    """A Chinese message for a read or write of the open file ``path`` that SQLite refused.

    ``error`` is the ``sqlite3`` exception; its error name tells the cause (full disk,
    read-only file or medium, missing folder or pulled stick, busy). The message says the
    file still holds the last saved state, which SQLite's rollback journal guarantees.
    """
    path = Path(path)
    name = getattr(error, "sqlite_errorname", "") or ""
    if name == "SQLITE_FULL":
        reason = "磁盘或U盘空间已满"
    elif name == "SQLITE_READONLY_DBMOVED":  # the file is no longer where it was opened
        reason = "文件已不在原来的位置（U盘可能已被拔出，或文件被移走、删除）"
    elif name.startswith(("SQLITE_READONLY", "SQLITE_PERM", "SQLITE_AUTH")):
        reason = "文件或所在的磁盘、U盘已变为只读"
    elif name.startswith("SQLITE_CANTOPEN"):
        reason = "文件所在的文件夹已不存在或不可写入（U盘可能已被拔出，或被设为只读）"
    elif name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")):
        reason = "文件正被其他程序使用"
    else:
        reason = "读写出错，U盘可能已被拔出或文件已损坏"
    return f"无法读写“{path.name}”：{reason}。文件中仍是上一次保存的内容，没有损坏。"
