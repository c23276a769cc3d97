"""Sidecars — a rollback journal (-journal), write-ahead log (-wal) or its index (-shm) beside a
.jxdb file — found before SQLite touches the file, recovered only in a temporary copy.

Decision: SQLite applies a hot journal or a WAL it finds beside a file the moment it opens it,
and nothing in either proves that it belongs to that file: a file replaced on a USB stick by
another office's copy while the old journal stayed gets the stranger's pages rolled into it
(issue 15). So the program never opens a file in place while a sidecar SQLite would apply is
beside it. It copies the file alone (as it is) and the file with its sidecars (as SQLite
would recover it) into a temporary folder, lets SQLite recover the second copy there, checks
both as an opened file is checked (``check_file``) plus the full ``PRAGMA integrity_check``,
and the clerk chooses; the chosen version becomes the file, the other goes to the backups, the
sidecars are renamed aside — never deleted. Why not decide alone: a real crash mid-commit and
a stranger's journal look the same; usually exactly one version passes the checks and is
proposed, but both may pass. Alternatives: trusting SQLite (the bug); deleting sidecars (loses
the last commit of a real crash); refusing the file (leaves the clerk stuck).

A -journal counts only when SQLite itself would roll it back (it is hot: no live program holds
the file; asked through a read-only connection, which cannot roll back), so another program
committing at this moment is not mistaken for a crash. A -wal or -shm always counts: this
program never uses WAL, and SQLite opens a -wal (and creates a -shm) even read-only.
Must not import Qt.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from desktop.files import replaced_atomically
from desktop.storage.errors import (
    DamagedFileError,
    DocumentFileError,
    FileMissingError,
    FileWriteError,
)
from desktop.storage.reasons import FileProblem, Version

#: The files SQLite keeps beside a database, by the suffix added to its name.
SUFFIXES = ("-journal", "-wal", "-shm")
#: What a sidecar is renamed to when moved aside: its name, this word and the time.
ASIDE_WORD = "已移开"


def sidecars_of(path: Path) -> list[Path]:
    """The sidecars beside ``path`` that SQLite would apply or create from: a -wal or -shm
    whatever its size, a -journal when SQLite finds it hot. Reads only; [] when none."""
    found = []
    for suffix in SUFFIXES:
        sidecar = path.with_name(path.name + suffix)
        if not os.path.lexists(sidecar):
            continue
        if suffix != "-journal" or _journal_is_hot(path):
            found.append(sidecar)
    return found


def _journal_is_hot(path: Path) -> bool:
    """Whether SQLite would roll back the -journal beside ``path`` (no live writer holds
    the file). A read-only connection cannot roll back and says so instead."""
    try:
        probe = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True, timeout=5)
    except sqlite3.Error:
        return True  # cannot tell: treat as present (the file is checked anyway)
    try:
        probe.execute("PRAGMA schema_version").fetchone()
    except sqlite3.Error as exc:
        name = getattr(exc, "sqlite_errorname", "")
        return name == "SQLITE_READONLY_ROLLBACK" or not name.startswith("SQLITE_BUSY")
    finally:
        probe.close()
    return False


@dataclass(frozen=True)
class Candidate:
    """One version in the temporary folder: its copy and what is wrong with it (the error
    of the check an opened file gets, or a ``DamagedFileError`` with ``INTEGRITY_FAILED``
    or ``RECOVERY_FAILED``, about ``copy``, which has the file's name; None when it passes
    them all and the full integrity check)."""

    version: Version
    copy: Path
    problem: DocumentFileError | None

    @property
    def usable(self) -> bool:
        """True when this version may become the file."""
        return self.problem is None


@dataclass
class Recovery:
    """A file with sidecars, and its two versions made in ``folder`` (a temporary folder the
    caller removes with ``discard``). ``proposed`` is the safe choice: the only usable
    version, or — when both are — the file as it is (nothing unproven applied); None when
    neither is usable. ``same`` is True when the two are byte for byte the same (a sidecar
    that changes nothing)."""

    path: Path
    sidecars: list[Path]
    folder: Path
    as_is: Candidate
    recovered: Candidate

    @property
    def proposed(self) -> Version | None:
        if self.as_is.usable:
            return Version.AS_IS
        return Version.RECOVERED if self.recovered.usable else None

    @property
    def same(self) -> bool:
        return self.as_is.copy.read_bytes() == self.recovered.copy.read_bytes()

    def candidate(self, version: Version) -> Candidate:
        """The candidate of ``version``."""
        return self.as_is if version is Version.AS_IS else self.recovered

    def discard(self) -> None:
        """Remove the temporary folder (the file and its sidecars are not touched)."""
        shutil.rmtree(self.folder, ignore_errors=True)


def prepare_recovery(path: Path, check: Callable[[Path], object]) -> Recovery:
    """Make both versions of ``path`` in a new temporary folder and check each with
    ``check(copy)`` (``document.check_file``: raises ``DocumentFileError``) and
    ``PRAGMA integrity_check``. The file and its sidecars are only read.

    Raises ``DocumentFileError`` when they cannot be read or the temporary folder cannot
    be written (nothing is left behind).
    """
    path = Path(path).resolve()
    sidecars = sidecars_of(path)
    folder = Path(tempfile.mkdtemp(prefix="jixiao-recovery-"))
    try:
        as_is = folder / "as-is" / path.name
        recovered = folder / "recovered" / path.name
        for copy in (as_is, recovered):
            copy.parent.mkdir()
            shutil.copyfile(path, copy)
        for sidecar in sidecars:
            if not sidecar.name.endswith("-shm"):  # only an index: SQLite rebuilds it
                shutil.copyfile(sidecar, recovered.with_name(sidecar.name))
        recovery_problem = _recover(recovered)
        return Recovery(
            path,
            sidecars,
            folder,
            Candidate(Version.AS_IS, as_is, _problem(as_is, check)),
            Candidate(
                Version.RECOVERED,
                recovered,
                recovery_problem or _problem(recovered, check),
            ),
        )
    except OSError as exc:
        shutil.rmtree(folder, ignore_errors=True)
        detail = exc.strerror or type(exc).__name__
        raise FileMissingError(path, FileProblem.UNREADABLE, detail=detail) from exc
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise


def _recover(copy: Path) -> DamagedFileError | None:
    """Let SQLite apply the sidecars beside ``copy`` (roll back a journal, check a WAL
    point into the file) and leave no sidecar; None when done, else the error
    (``FileProblem.RECOVERY_FAILED``)."""
    failed = DamagedFileError(copy, FileProblem.RECOVERY_FAILED)
    try:
        connection = sqlite3.connect(copy)
        try:
            connection.execute("PRAGMA trusted_schema=OFF")
            connection.execute("PRAGMA schema_version").fetchone()  # a hot journal rolls back
            connection.execute("PRAGMA journal_mode=DELETE").fetchone()  # a WAL goes in
        finally:
            connection.close()
    except sqlite3.Error:
        return failed
    if any(copy.with_name(copy.name + suffix).exists() for suffix in SUFFIXES[:2]):
        return failed
    return None


def _problem(copy: Path, check: Callable[[Path], object]) -> DocumentFileError | None:
    """What is wrong with the version at ``copy`` (None when nothing): the error of
    ``check``, or ``FileProblem.INTEGRITY_FAILED``."""
    try:
        check(copy)
    except DocumentFileError as exc:
        return exc
    connection = sqlite3.connect(f"{copy.as_uri()}?mode=ro", uri=True)
    try:
        if connection.execute("PRAGMA integrity_check").fetchall() != [("ok",)]:
            return DamagedFileError(copy, FileProblem.INTEGRITY_FAILED)
    except sqlite3.Error:
        return DamagedFileError(copy, FileProblem.INTEGRITY_FAILED)
    finally:
        connection.close()
    return None


def apply_recovery(
    recovery: Recovery, version: Version, keep: Callable[[Path, Version], object]
) -> list[Path]:
    """Make ``version`` the file: ``keep(copy, other_version)`` first keeps the other
    version (a backup), then the sidecars are renamed aside (``…-journal.已移开-<time>``),
    then — for the recovered version — the file is replaced atomically. Returns the new
    names of the sidecars.

    Raises ``ValueError`` for a version that is not usable and ``DocumentFileError``
    when the folder cannot be written; the file is then as it was and the sidecars are
    back in place (moved back when the replacement failed).
    """
    chosen = recovery.candidate(version)
    if not chosen.usable:
        raise ValueError(f"{version.name} is not usable: {chosen.problem}")
    other = Version.RECOVERED if version is Version.AS_IS else Version.AS_IS
    keep(recovery.candidate(other).copy, other)
    path = recovery.path
    moved: list[tuple[Path, Path]] = []
    try:
        move_aside(recovery.sidecars, moved)
        if version is Version.RECOVERED:
            with replaced_atomically(path) as temp:
                shutil.copyfile(chosen.copy, temp)
    except OSError as exc:
        move_back(moved)
        raise FileWriteError.of(path, exc) from exc
    return [aside for _, aside in moved]


def move_aside(sidecars: list[Path], moved: list[tuple[Path, Path]]) -> None:
    """Rename each of ``sidecars`` to ``<name>.已移开-<date-time>`` (SQLite no longer sees
    it; nothing is deleted), appending (old, new) to ``moved`` as it goes. Raises
    ``OSError``; ``move_back(moved)`` undoes what was done."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    for sidecar in sidecars:
        aside = sidecar.with_name(f"{sidecar.name}.{ASIDE_WORD}-{stamp}")
        os.rename(sidecar, aside)
        moved.append((sidecar, aside))


def move_back(moved: list[tuple[Path, Path]]) -> None:
    """Undo ``move_aside`` as far as possible (errors ignored)."""
    for sidecar, aside in reversed(moved):
        with contextlib.suppress(OSError):
            os.rename(aside, sidecar)


@contextlib.contextmanager
def replacing(path: Path) -> Iterator[None]:
    """Around writing a new file over ``path``: the sidecars of the old file there
    (``sidecars_of``: not the journal of a program committing right now) are moved aside
    first — they would be applied to the new file — and back when the block fails. Raises
    ``OSError`` when they cannot be moved."""
    moved: list[tuple[Path, Path]] = []
    move_aside(sidecars_of(path) if path.is_file() else [], moved)
    try:
        yield
    except BaseException:
        move_back(moved)
        raise
