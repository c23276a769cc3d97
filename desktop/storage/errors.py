"""Errors of the file layer, each carrying what happened as data: which file, and why (a
``FileProblem``, a ``WriteFailure``, the lock holder, the newer version, the damaged part).
Storage never words them: desktop/file_words.py states each situation in Chinese, the
window (desktop/ui/wording.py) and the command line (``cli._error_words``) add their advice.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from desktop.files import WriteFailure, WriteFault
from desktop.storage.reasons import CollectionReason, DamagedPart, FileProblem, ReadOnlyReason

if TYPE_CHECKING:
    from desktop.storage.lock import LockHolder


class DocumentFileError(Exception):
    """A file could not be opened, created or written: ``path``. The file at ``path`` has not
    been changed by the failed operation.

    ``message`` holds the words of whoever raised it with words of its own (a service, the
    command line, a collection database: Chinese, what to do); it is empty for the typed
    errors below, which the edges put into words (``desktop.file_words.error_words``).
    ``str()`` is the message, or the class, path and data for a log.
    """

    def __init__(self, path: Path | str, message: str = "") -> None:
        super().__init__(message or f"{type(self).__name__}: {path}")
        self.path = Path(path)
        self.message = message


class FileMissingError(DocumentFileError):
    """The path cannot be read as a file: ``problem`` is ``FileProblem.FOLDER`` (a folder),
    ``NOT_FOUND`` (``PathNotFoundError``) or ``UNREADABLE`` (no permission, stick pulled;
    ``detail`` the operating system's words when the file's sidecars could not be copied
    for a recovery)."""

    def __init__(
        self, path: Path | str, problem: FileProblem = FileProblem.UNREADABLE, *, detail: str = ""
    ) -> None:
        super().__init__(path)
        self.problem = problem
        self.detail = detail
        self.args = (f"{problem.name}: {path} {detail}".rstrip(),)


class PathNotFoundError(FileMissingError):
    """Nothing is at the path (``FileProblem.NOT_FOUND``). The window and the command line
    each add where to look (the file's place, the path typed)."""

    def __init__(self, path: Path | str) -> None:
        super().__init__(path, FileProblem.NOT_FOUND)


class ForeignFileError(DocumentFileError):
    """The file is not a 绩效目标文件: ``problem`` is ``FileProblem.NOT_SQLITE`` (not SQLite
    at all) or ``OTHER_DATABASE`` (SQLite of another program)."""

    def __init__(self, path: Path | str, problem: FileProblem) -> None:
        super().__init__(path)
        self.problem = problem
        self.args = (f"{problem.name}: {path}",)


class NewerSchemaError(DocumentFileError):
    """The file was written by a newer version of the program: ``version`` is the file's
    schema version (``PRAGMA user_version``; for a collection database, named by
    ``collection``, its Alembic revision), ``supported`` the newest this program reads
    (None where there is no such number)."""

    def __init__(
        self,
        path: Path | str,
        *,
        version: int | str,
        supported: int | None = None,
        collection: str = "",
    ) -> None:
        super().__init__(path)
        self.version = version
        self.supported = supported
        self.collection = collection
        self.args = (f"newer schema {version} (supported {supported}): {path}",)


class DamagedFileError(DocumentFileError):
    """The file is ours but damaged: ``problem`` is ``FileProblem.DAMAGED`` (SQLite cannot
    read it, or its quick_check fails), ``EMPTY``, ``UNKNOWN_VERSION`` (``version``, below
    1), ``UNTRUSTED`` (``part``, a ``DamagedPart``, names what in it this program would
    never have written — a table, a trigger, a value out of its domain: storage/validation.py;
    words: desktop/content_words.py), or for a recovery's version ``INTEGRITY_FAILED`` or
    ``RECOVERY_FAILED``."""

    def __init__(
        self,
        path: Path | str,
        problem: FileProblem = FileProblem.DAMAGED,
        *,
        part: DamagedPart | None = None,
        version: int | None = None,
    ) -> None:
        super().__init__(path)
        self.problem = problem
        self.part = part
        self.version = version
        self.args = (f"{problem.name}: {path} {part or ''}".rstrip(),)


class MigrationError(DocumentFileError):
    """Migrating an older file failed; the transaction was rolled back, the file is as it
    was. ``detail`` says what failed (the migration's error, for the maintainers)."""

    def __init__(self, path: Path | str, detail: str) -> None:
        super().__init__(path)
        self.detail = detail
        self.args = (f"migration failed: {path}: {detail}",)


class FileWriteError(DocumentFileError):
    """A file written for the clerk (a copy, a new document, a PDF, a workbook) could not be
    written: ``failure`` (a ``WriteFailure``: path, ``WriteFault``, whether a file was
    there). Nothing is left half-written; a file already there is unchanged."""

    def __init__(self, failure: WriteFailure) -> None:
        super().__init__(failure.path)
        self.failure = failure
        self.args = (f"{failure.fault.name}: {failure.path}",)

    @classmethod
    def of(cls, path: Path | str, exc: BaseException) -> FileWriteError:
        """The error for a write to ``path`` that raised ``exc`` (``WriteFailure.of``)."""
        return cls(WriteFailure.of(path, exc))


class ContentRefusedError(DocumentFileError):
    """A new file was not written at ``path``: the content built for it would be refused on
    opening (``cause``, the check's error about the file built beside it). ``existed``:
    a file was at ``path`` (unchanged)."""

    def __init__(self, path: Path | str, cause: DocumentFileError, *, existed: bool) -> None:
        super().__init__(path)
        self.cause = cause
        self.existed = existed
        self.args = (f"content refused: {path}: {cause}",)


class DocumentWriteError(DocumentFileError):
    """An edit could not be written to the open file (full disk, stick pulled, file made
    read-only, lock held by another program). The transaction was rolled back: the file
    holds the state before the edit, never half of it.

    ``fault`` is what SQLite reported (a ``WriteFault``), or ``conflict`` SQLite's words for
    content that conflicts with what the file holds (what another program put there);
    a collection's write (``CollectionWriteError``) has its ``reason`` instead."""

    def __init__(
        self,
        path: Path | str,
        message: str = "",
        *,
        fault: WriteFault | None = None,
        conflict: str = "",
    ) -> None:
        super().__init__(path, message)
        self.fault = fault
        self.conflict = conflict
        if not message:
            self.args = (f"write failed ({fault.name if fault else conflict}): {path}",)


class ReadOnlyDocumentError(DocumentWriteError):
    """The document is read-only; ``reason`` (a ``ReadOnlyReason``) says why, for the window
    and the command line to put into their words. ``refused`` names what was refused
    (e.g. 不能合并到只读打开的文件), empty for an edit."""

    def __init__(self, path: Path | str, reason: ReadOnlyReason, *, refused: str = "") -> None:
        super().__init__(path)
        self.reason = reason
        self.refused = refused
        self.args = (f"read-only ({reason.cause.name}): {path} {refused}".rstrip(),)


class LockHeldError(ReadOnlyDocumentError):
    """Another program holds the file's edit lock (``holder``): the edit was rolled back and
    the document turned read-only."""

    def __init__(self, path: Path | str, holder: LockHolder) -> None:
        super().__init__(path, ReadOnlyReason.locked(holder))
        self.holder = holder


class WriteOverDamagedError(DocumentFileError):
    """The units of a damaged file were to be saved over that file itself (``path``):
    ``save_units_copy`` writes a new file beside it, never the file it saves from."""

    def __init__(self, path: Path | str) -> None:
        super().__init__(path)
        self.args = (f"would write over the damaged file {path}",)


class CollectionError(DocumentFileError):
    """A collection database could not be reached, opened or written: ``reason`` (a
    ``CollectionReason``: the problem, when, and what goes with it; None for an
    ``EditLockHeldError``). Nothing was changed in the database by the failure. Storage
    never words it: desktop/file_words.py does (``collection_words``)."""

    def __init__(self, path: Path | str, reason: CollectionReason | None = None) -> None:
        super().__init__(path)
        self.reason = reason
        if reason is not None:
            self.args = (f"{reason.problem.name}: {reason.database} {reason.detail}".rstrip(),)


class CollectionWriteError(CollectionError, DocumentWriteError):
    """A write of a unit opened in the window failed (server gone, edit lock lost): the
    window keeps the edit in memory and offers 另存为 and 重试 as for a file."""


class SidecarError(DocumentFileError):
    """A sidecar SQLite would apply (-journal, -wal, -shm) is beside the file: nothing was
    read or changed. ``sidecars`` lists them. The words tell the clerk to open the file in
    the program, which offers the choice (desktop/storage/sidecars.py)."""

    def __init__(self, path: Path | str, sidecars: list[Path]) -> None:
        super().__init__(path)
        self.sidecars = sidecars
        self.args = (f"sidecars beside {path}: {', '.join(s.name for s in sidecars)}",)


class InterchangeError(Exception):
    """A JSON interchange document is malformed; ``message`` says where, in Chinese."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
