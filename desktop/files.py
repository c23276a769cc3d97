"""Writing a file the safe way: to a temporary name in the target folder, renamed when complete.

Used for every file written for the user (PDF, copies of the document, settings), so a
failure midway — full disk, pulled stick, exception — never leaves a half-written file and
never harms the file already there. No Qt.
"""

from __future__ import annotations

import contextlib
import enum
import errno
import io
import os
import re
import secrets
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

#: what no file name may hold on Windows (and "/" nowhere), and control characters
_UNSAFE_IN_FILE_NAME = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]')


def safe_file_name(text: str) -> str:
    """``text`` usable as (part of) a file name on Windows and Linux: the characters no
    file name may hold on Windows (``/ \\ : * ? " < > |``) and control characters (a
    line break in a unit name) become ``_``; spaces and dots at either end go (Windows
    drops trailing ones)."""
    return _UNSAFE_IN_FILE_NAME.sub("_", text).strip(" .")


@contextlib.contextmanager
def replaced_atomically(target: Path, *, create: bool = True) -> Iterator[Path]:
    """Yield a temporary path beside ``target``; on success it replaces ``target``.

    With ``create=False`` the temporary path does not exist yet (for writers such as
    SQLite that must create the file themselves). The new file gets the usual permissions
    (0666 less the umask), not the private ones of a temporary file. On an exception the
    temporary file is removed and ``target`` is left as it was. Raises ``OSError`` when
    the folder cannot be written.
    """
    # named before it exists, so that an interruption (Ctrl+C, SIGTERM) at any moment
    # finds it in the ``finally`` below: mkstemp's file existed before its name was known
    temp = target.with_name(f".{target.stem}-{secrets.token_hex(6)}.tmp")
    try:
        if create:
            temp.touch(mode=0o600, exist_ok=False)
        yield temp
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temp, 0o666 & ~umask)
        os.replace(temp, target)
    finally:
        for leftover in (temp, temp.with_name(temp.name + "-journal")):
            with contextlib.suppress(FileNotFoundError):
                leftover.unlink()


def write_package(target: Path, save: Callable[[BinaryIO], None]) -> None:
    """Write a zip package (.xlsx, .docx) that ``save(stream)`` builds to ``target``, the
    safe way (``replaced_atomically``).

    The package is built in memory (a few MB at most) and written by one file this
    function owns and always closes: writing the zip to the file itself left, on a full
    disk, a ``ZipFile`` open whose clean-up printed "Exception ignored … OSError" after the
    Chinese message. Raises ``OSError`` when ``target`` cannot be written (nothing is left
    then and a file already there is unchanged).
    """
    package = io.BytesIO()
    save(package)
    with replaced_atomically(target) as temp, temp.open("wb") as stream:
        stream.write(package.getbuffer())


class WriteFault(enum.Enum):
    """Why a file could not be written, from the operating system's error number or
    SQLite's error name (``WriteFailure.of``)."""

    NO_FOLDER = enum.auto()  # the folder does not exist (ENOENT)
    NO_PERMISSION = enum.auto()  # no permission to write there (EACCES, EPERM, SQLITE_PERM)
    CANNOT_OPEN = enum.auto()  # SQLite could not open or create the file: its folder is
    # gone or cannot be written (SQLITE_CANTOPEN)
    DISK_FULL = enum.auto()  # ENOSPC, SQLITE_FULL
    READ_ONLY = enum.auto()  # a read-only file, disk or stick (EROFS, SQLITE_READONLY)
    MOVED = enum.auto()  # the open file is no longer where it was opened (SQLITE_READONLY_DBMOVED)
    IS_FOLDER = enum.auto()  # a folder has the file's name (EISDIR)
    IO_ERROR = enum.auto()  # EIO, SQLITE_IOERR: a stick pulled out or a damaged medium
    DEVICE_GONE = enum.auto()  # ENODEV
    BUSY = enum.auto()  # another program uses the file (SQLITE_BUSY, SQLITE_LOCKED)
    UNKNOWN = enum.auto()


#: errno -> fault
_ERRNO_FAULTS = {
    errno.ENOENT: WriteFault.NO_FOLDER,
    errno.EACCES: WriteFault.NO_PERMISSION,
    errno.EPERM: WriteFault.NO_PERMISSION,
    errno.ENOSPC: WriteFault.DISK_FULL,
    errno.EROFS: WriteFault.READ_ONLY,
    errno.EISDIR: WriteFault.IS_FOLDER,
    errno.EIO: WriteFault.IO_ERROR,
    errno.ENODEV: WriteFault.DEVICE_GONE,
}
#: SQLite error name prefix -> fault, the first that matches (DBMOVED before READONLY)
_SQLITE_FAULTS = (
    ("SQLITE_FULL", WriteFault.DISK_FULL),
    ("SQLITE_READONLY_DBMOVED", WriteFault.MOVED),
    ("SQLITE_READONLY", WriteFault.READ_ONLY),
    ("SQLITE_PERM", WriteFault.NO_PERMISSION),
    ("SQLITE_AUTH", WriteFault.NO_PERMISSION),
    ("SQLITE_CANTOPEN", WriteFault.CANNOT_OPEN),
    ("SQLITE_IOERR", WriteFault.IO_ERROR),
    ("SQLITE_BUSY", WriteFault.BUSY),
    ("SQLITE_LOCKED", WriteFault.BUSY),
)


@dataclass(frozen=True)
class WriteFailure:
    """A write to ``path`` that failed: ``fault`` says why; ``existed`` whether a file was
    at ``path`` (the caller guarantees it is unchanged; else no file was written)."""

    path: Path
    fault: WriteFault
    existed: bool

    @classmethod
    def of(cls, path: Path | str, exc: BaseException) -> WriteFailure:
        """The failure of a write to ``path`` that raised ``exc``: an ``OSError`` (by its
        errno) or SQLite's error (``sqlite3`` or SQLAlchemy's wrapper of one, by its
        error name); ``UNKNOWN`` for anything else."""
        path = Path(path)
        code = getattr(exc, "errno", None)
        fault = _ERRNO_FAULTS.get(code, WriteFault.UNKNOWN) if code is not None else None
        if fault is None:
            name = getattr(getattr(exc, "orig", exc), "sqlite_errorname", "") or ""
            prefixes = (f for prefix, f in _SQLITE_FAULTS if name.startswith(prefix))
            fault = next(prefixes, WriteFault.UNKNOWN)
        return cls(path, fault, path.exists())


def write_failure_message(failure: WriteFailure) -> str:
    """The clerk's words for a file written for the clerk (a copy, a PDF, a workbook, the
    indicator library) that could not be written: what happened and what to do, then that
    the file already there is unchanged, or that no file was written. Used by the window,
    the command line and the indicator library (whose errors carry their message)."""
    path = failure.path
    no_permission = "没有写入该位置的权限，请换一个文件夹（例如“文档”）"
    read_only = "该磁盘或U盘是只读的（可能打开了写保护开关），请换一个位置"
    reasons = {
        WriteFault.NO_FOLDER: f"文件夹“{path.parent}”不存在，请先选择一个已有的文件夹",
        WriteFault.NO_PERMISSION: no_permission,
        WriteFault.CANNOT_OPEN: no_permission,
        WriteFault.DISK_FULL: "磁盘或U盘空间已满，请清理空间或换一个位置",
        WriteFault.READ_ONLY: read_only,
        WriteFault.MOVED: read_only,
        WriteFault.IS_FOLDER: f"“{path.name}”是一个文件夹，请换一个文件名",
        WriteFault.IO_ERROR: "读写出错，U盘可能已被拔出或损坏，请检查后重试",
        WriteFault.DEVICE_GONE: "设备已不可用，U盘可能已被拔出，请重新插好后重试",
    }
    reason = reasons.get(
        failure.fault,
        "请检查磁盘空间、U盘是否插好，以及文件是否正在其他程序中打开，然后重试",
    )
    outcome = "原有文件未被改动" if failure.existed else "没有写出文件"
    return f"无法写入“{path}”：{reason}。{outcome}。"
