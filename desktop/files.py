"""Writing a file the safe way: to a temporary name in the target folder, renamed when complete.

Used for every file written for the user (PDF, copies of the document, settings), so a
failure midway — full disk, pulled stick, exception — never leaves a half-written file and
never harms the file already there. No Qt.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path


@contextlib.contextmanager
def replaced_atomically(target: Path, *, create: bool = True) -> Iterator[Path]:
    """Yield a temporary path beside ``target``; on success it replaces ``target``.

    With ``create=False`` the temporary path does not exist yet (for writers such as
    SQLite that must create the file themselves). The new file gets the usual permissions
    (0666 less the umask), not the private ones of a temporary file. On an exception the
    temporary file is removed and ``target`` is left as it was. Raises ``OSError`` when
    the folder cannot be written.
    """
    handle, name = tempfile.mkstemp(prefix=f".{target.stem}-", suffix=".tmp", dir=target.parent)
    os.close(handle)
    temp = Path(name)
    if not create:
        temp.unlink()
    try:
        yield temp
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temp, 0o666 & ~umask)
        os.replace(temp, target)
    finally:
        for leftover in (temp, temp.with_name(temp.name + "-journal")):
            with contextlib.suppress(FileNotFoundError):
                leftover.unlink()
