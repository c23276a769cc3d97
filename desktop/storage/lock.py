"""The edit lock: one program at a time edits a .jxdb file. Must not import Qt.

The lock is the single row of the table ``edit_lock`` inside the file (schema 2), naming
the program that edits it: computer, user, process id, since when (UTC) and a random
token of the open ``Document``.

Decision: the row is read when the file is opened and written only by the first edit, in
the same transaction as that edit (``Document`` does it just before each commit that
changed something). Opening and closing a file without editing it therefore changes
neither the file nor its folder (a file received from another office stays as sent), and
an edit can never be committed by a program that does not hold the lock. The program
removes its row when it closes the file.
Why in the file: a lock file beside the document would change the received file's folder
on every opening, is left behind on a stick pulled out, and does not travel with a copy.
Alternatives: SQLite's own locks last only for one transaction; OS file locks are
unreliable on network shares and vanish with the process, telling nobody who held them.

A row left by a crash on the same computer (its process no longer runs) is stale: it
does not block, and the next edit replaces it. A row naming another computer cannot be
checked from here; the clerk may break it after a warning (``take_over``). Two copies of
a file each carry their own row; ``save_copy`` writes copies without it.
"""

from __future__ import annotations

import getpass
import os
import socket
import sys
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Connection, text


@dataclass(frozen=True)
class LockHolder:
    """Who edits a file: ``token`` of the open document, ``computer`` (host name),
    ``user`` (login name), ``pid`` (process id on that computer), ``since`` (UTC)."""

    token: str
    computer: str
    user: str
    pid: int
    since: datetime

    def on_this_computer(self) -> bool:
        """True when the holder runs on this computer: the same host name, compared
        without regard to case (Windows and DNS treat “VM” and “vm” as one computer)."""
        return self.computer.casefold() == computer_name().casefold()


def computer_name() -> str:
    """This computer's network name, as other offices see it in a lock."""
    return socket.gethostname() or "未知计算机"


def user_name() -> str:
    """The login name of the clerk running this program ("未知用户" if unknown)."""
    try:
        return getpass.getuser()
    except (OSError, KeyError, ImportError):
        return "未知用户"


def this_program(token: str) -> LockHolder:
    """The lock row this program writes for the open document with ``token``."""
    return LockHolder(token, computer_name(), user_name(), os.getpid(), datetime.now(UTC))


def process_alive(pid: int) -> bool:
    """Whether a process with ``pid`` runs on this computer (a reused pid counts as alive)."""
    if pid <= 0:
        return False
    if sys.platform == "win32":  # os.kill(pid, 0) would terminate the process on Windows
        import ctypes

        kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]  # ctypes.windll exists on Windows only
        handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
        if not handle:
            return kernel32.GetLastError() == 5  # access denied: it exists
        code = ctypes.c_ulong()
        kernel32.GetExitCodeProcess(handle, ctypes.byref(code))
        kernel32.CloseHandle(handle)
        return code.value == 259  # STILL_ACTIVE
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True


def is_stale(holder: LockHolder) -> bool:
    """A lock left by a program that ended without closing the file (on this computer)."""
    return holder.on_this_computer() and not process_alive(holder.pid)


def blocks(holder: LockHolder | None, token: str) -> bool:
    """Whether ``holder`` keeps the document with ``token`` from writing."""
    return holder is not None and holder.token != token and not is_stale(holder)


def read_holder(connection: Connection) -> LockHolder | None:
    """The lock row of the file on ``connection``, or None when nobody holds it."""
    row = connection.execute(
        text("SELECT token, computer, user, pid, since FROM edit_lock WHERE id = 1")
    ).first()
    if row is None:
        return None
    since = row.since if isinstance(row.since, datetime) else datetime.fromisoformat(row.since)
    return LockHolder(row.token, row.computer, row.user, int(row.pid), since.replace(tzinfo=UTC))


def write_holder(connection: Connection, holder: LockHolder) -> None:
    """Make ``holder`` the file's lock row (inside the caller's transaction)."""
    connection.execute(
        text(
            "INSERT OR REPLACE INTO edit_lock (id, token, computer, user, pid, since) "
            "VALUES (1, :token, :computer, :user, :pid, :since)"
        ),
        {
            "token": holder.token,
            "computer": holder.computer,
            "user": holder.user,
            "pid": holder.pid,
            "since": holder.since.astimezone(UTC).replace(tzinfo=None).isoformat(" "),
        },
    )


def remove_holder(connection: Connection, token: str) -> None:
    """Remove the lock row if it is the one of the document with ``token``."""
    connection.execute(text("DELETE FROM edit_lock WHERE token = :token"), {"token": token})


@dataclass(frozen=True)
class EditHolder:
    """The reviewer editing a unit of a collection: computer, login name, database user
    and since when (UTC, without zone)."""

    computer: str
    user: str
    database_user: str
    since: datetime
