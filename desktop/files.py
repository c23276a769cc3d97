"""Writing a file the safe way: to a temporary name in the target folder, renamed when complete.

Used for every file written for the user (PDF, copies of the document, settings), so a
failure midway — full disk, pulled stick, exception — never leaves a half-written file and
never harms the file already there. No Qt.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import secrets
from collections.abc import Callable, Iterator
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


def write_failure_message(path: Path | str, exc: BaseException) -> str:
    """A Chinese message for a failed write to ``path``: what happened and what to do.

    Names the usual causes by errno (missing folder, no permission, full disk, read-only
    medium, a folder in the way, a stick pulled out) or, for SQLite's errors (``sqlite3``
    or SQLAlchemy's wrapper of one), by SQLite's error name; anything else gets the
    generic advice.
    The caller guarantees that the previous file at ``path`` (if any) is unchanged: the
    message says so, or that no file was written where there was none.
    """
    import errno

    path = Path(path)
    code = getattr(exc, "errno", None)
    sqlite_name = getattr(getattr(exc, "orig", exc), "sqlite_errorname", "") or ""
    if code is None and sqlite_name:  # SQLite writing the file: its error name says why
        for prefix, number in (
            ("SQLITE_FULL", errno.ENOSPC),
            ("SQLITE_IOERR", errno.EIO),
            ("SQLITE_READONLY", errno.EROFS),
            ("SQLITE_PERM", errno.EACCES),
            ("SQLITE_CANTOPEN", errno.EACCES),
        ):
            if sqlite_name.startswith(prefix):
                code = number
    reasons = {
        errno.ENOENT: f"文件夹“{path.parent}”不存在，请先选择一个已有的文件夹",
        errno.EACCES: "没有写入该位置的权限，请换一个文件夹（例如“文档”）",
        errno.EPERM: "没有写入该位置的权限，请换一个文件夹（例如“文档”）",
        errno.ENOSPC: "磁盘或U盘空间已满，请清理空间或换一个位置",
        errno.EROFS: "该磁盘或U盘是只读的（可能打开了写保护开关），请换一个位置",
        errno.EISDIR: f"“{path.name}”是一个文件夹，请换一个文件名",
        errno.EIO: "读写出错，U盘可能已被拔出或损坏，请检查后重试",
        errno.ENODEV: "设备已不可用，U盘可能已被拔出，请重新插好后重试",
    }
    reason = reasons.get(code) if code is not None else None
    if reason is None:
        reason = "请检查磁盘空间、U盘是否插好，以及文件是否正在其他程序中打开，然后重试"
    outcome = "原有文件未被改动" if path.exists() else "没有写出文件"
    return f"无法写入“{path}”：{reason}。{outcome}。"
