"""Backups of .jxdb files in the user's data folder: once a day on opening, bounded. No Qt.

Each file gets its own folder (named after the file and a hash of its full path), holding
complete copies made with SQLite's backup API, named by time. DESIGN.md: a timestamped
copy when a file is first opened each day (and, once they exist, before migrations and
merges); a bounded number kept per file; restored as a new file, never over the original.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from desktop import paths
from desktop.services.documents import load_declarations
from desktop.storage.document import Document, open_document, save_copy
from desktop.storage.errors import DocumentFileError
from desktop.storage.interchange import fingerprint, short_fingerprint

#: Copies kept per file; the oldest go first.
MAX_BACKUPS = 20
_NAME = re.compile(r"(\d{8}-\d{6})-([a-z]+)\.jxdb$")


@dataclass(frozen=True)
class Backup:
    """One backup copy: where it is, when it was taken (local time), why, and the short
    content fingerprint of its declaration (to match a printout)."""

    path: Path
    taken_at: datetime
    reason: str
    fingerprint: str


def backup_folder(document_path: Path) -> Path:
    """The folder holding the backups of the file at ``document_path`` (created)."""
    resolved = Path(document_path).resolve()
    digest = hashlib.sha256(str(resolved).encode("utf-8")).hexdigest()[:10]
    folder = paths.data_dir() / "backups" / f"{resolved.stem}-{digest}"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def make_backup(document: Document, *, reason: str, now: datetime | None = None) -> Path:
    """Copy the open document into its backup folder; keep at most ``MAX_BACKUPS``.

    ``reason`` is a short lowercase word (daily, merge, migrate). Raises
    ``DocumentFileError`` when the copy cannot be written.
    """
    stamp = (now or datetime.now()).strftime("%Y%m%d-%H%M%S")
    folder = backup_folder(document.path)
    target = folder / f"{stamp}-{reason}.jxdb"
    save_copy(document, target)
    for old in sorted(folder.glob("*.jxdb"))[:-MAX_BACKUPS]:
        old.unlink(missing_ok=True)
    return target


def backup_daily(document: Document, *, now: datetime | None = None) -> Path | None:
    """The day's first opening of a file makes a backup; later ones do nothing (None)."""
    today = (now or datetime.now()).strftime("%Y%m%d")
    if any(path.name.startswith(today) for path in backup_folder(document.path).glob("*.jxdb")):
        return None
    return make_backup(document, reason="daily", now=now)


def list_backups(document_path: Path) -> list[Backup]:
    """The backups of a file, newest first; copies that no longer open are left out."""
    backups = []
    for path in sorted(backup_folder(document_path).glob("*.jxdb"), reverse=True):
        match = _NAME.search(path.name)
        if match is None:
            continue
        try:
            copy = open_document(path, read_only=True)  # an older copy is migrated in memory
        except DocumentFileError:
            continue
        try:
            with copy.session() as session:
                declarations = load_declarations(session)
                short = short_fingerprint(fingerprint(declarations[0])) if declarations else ""
        finally:
            copy.close()
        taken = datetime.strptime(match.group(1), "%Y%m%d-%H%M%S")
        backups.append(Backup(path, taken, match.group(2), short))
    return backups


def put_back(path: Path, backup: Path) -> None:
    """Put the closed file ``path`` back as the backup copy ``backup`` holds it (撤销合并:
    the backup made before the merge). The copy replaces the file atomically: on any
    failure the file is as before. The caller backs up the present state first (reason
    ``undo``) and must not hold ``path`` open. Raises ``DocumentFileError`` when the backup
    cannot be read or the file cannot be written."""
    source = open_document(backup, read_only=True)
    try:
        save_copy(source, path)
    finally:
        source.close()


def restore_backup(backup: Backup, out_path: Path) -> Document:
    """Write a backup as the new file ``out_path`` (never over the file it came from) and
    open it. Raises ``DocumentFileError`` when the backup is damaged or the target cannot
    be written."""
    source = open_document(backup.path, read_only=True)
    try:
        save_copy(source, out_path)
    finally:
        source.close()
    return open_document(out_path)


def open_file(path: Path | str, *, check_later: bool = False) -> Document:
    """Open a .jxdb file for the clerk (GUI, CLI): a file of an older schema is first
    copied to its backup folder (reason "migrate"), then migrated in place.
    ``check_later``: a big file is checked as far as showing its first unit needs and
    stays read-only until the caller has checked the rest (``open_document``; the window).

    DESIGN.md: a backup before every migration. Raises the ``DocumentFileError``
    subclasses of ``open_document``; when the backup cannot be written the file is
    neither migrated nor opened.
    """
    return open_document(
        path,
        before_migration=lambda original: make_backup(original, reason="migrate"),
        check_later=check_later,
    )
