"""Opening a file with a sidecar beside it: the two versions, what differs, and the clerk's
choice carried out (desktop/storage/sidecars.py explains why). Must not import Qt.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from desktop.files import replaced_atomically
from desktop.services import backups
from desktop.storage.compare import Difference
from desktop.storage.document import (
    Document,
    check_file,
    open_copy_in_memory,
    open_document,
    writable_location,
)
from desktop.storage.errors import FileWriteError
from desktop.storage.interchange import read_declarations
from desktop.storage.reasons import ReadOnlyReason, Version
from desktop.storage.sidecars import Recovery, apply_recovery, prepare_recovery

#: The reason word of the backup that keeps the version not chosen (services/backups.py).
KEPT_REASONS = {Version.AS_IS: "original", Version.RECOVERED: "recovered"}


@dataclass
class RecoveryOffer:
    """What the clerk chooses between: ``recovery`` (the two checked versions, the
    proposed one), and the ``differences`` between them field by field (本方 = the file as
    it is, 对方 = as recovered; empty when either is unusable or they are the same)."""

    recovery: Recovery
    differences: list[Difference] = field(default_factory=list)


def offer_recovery(path: Path | str) -> RecoveryOffer:
    """Make and check both versions of the file ``path`` (only read) and compare them.

    Raises ``DocumentFileError`` when they cannot be read. Call ``discard`` on the
    offer's ``recovery`` when done (``choose`` does it).
    """
    from desktop.services.merging import compare_declarations

    recovery = prepare_recovery(Path(path), check_file)
    offer = RecoveryOffer(recovery)
    try:
        if recovery.as_is.usable and recovery.recovered.usable and not recovery.same:
            offer.differences = compare_declarations(
                _declarations(recovery.as_is.copy), _declarations(recovery.recovered.copy)
            )
    except BaseException:
        recovery.discard()
        raise
    return offer


def _declarations(copy: Path) -> list[dict[str, Any]]:
    """The JSON-form declarations of the version at ``copy`` (an older schema migrated in
    memory: the copy is not changed)."""
    document = open_document(copy, read_only=True)
    try:
        with document.session() as session:
            return read_declarations(session.connection())
    finally:
        document.close()


def choose(offer: RecoveryOffer, version: Version) -> Document:
    """Carry out the clerk's choice and open the file.

    Where the file can be written: the other version is kept in the file's backups, the
    sidecars are renamed aside, the chosen version becomes the file, and the file is
    opened for editing (``backups.open_file``). Where it cannot (a write-protected stick):
    nothing is changed, and the chosen version is shown read-only from memory (另存为
    keeps it). The temporary folder is removed in every case.
    Raises ``ValueError`` for an unusable version and ``DocumentFileError`` when the file
    cannot be written or opened (the file and sidecars are then as they were).
    """
    recovery = offer.recovery
    try:
        if not writable_location(recovery.path):
            return _read_only(recovery, version)
        apply_recovery(
            recovery, version, lambda copy, other: keep_version(recovery.path, copy, other)
        )
    finally:
        recovery.discard()
    return backups.open_file(recovery.path)


def keep_version(path: Path, copy: Path, version: Version) -> Path:
    """Put the version at ``copy`` of the file ``path`` into the file's backups (reason
    ``original`` or ``recovered``). Raises ``FileWriteError`` when it cannot be written."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    target = backups.backup_folder(path) / f"{stamp}-{KEPT_REASONS[version]}.jxdb"
    try:
        with replaced_atomically(target) as temp:
            shutil.copyfile(copy, temp)
    except OSError as exc:
        raise FileWriteError.of(target, exc) from exc
    return target


def _read_only(recovery: Recovery, version: Version) -> Document:
    """The chosen version of a file that cannot be written, in memory, read-only."""
    chosen = recovery.candidate(version)
    if not chosen.usable:
        raise ValueError(f"{version.name} is not usable: {chosen.problem}")
    reason = ReadOnlyReason.recovered(version)
    return open_copy_in_memory(chosen.copy, shown_as=recovery.path, reason=reason)
