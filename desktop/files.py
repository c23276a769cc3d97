"""Writing a file the safe way: to a temporary name in the target folder, renamed when complete.

Used for every file written for the user (PDF, copies of the document, settings), so a
failure midway — full disk, pulled stick, exception — never leaves a half-written file and
never harms the file already there. No Qt.
"""

from __future__ import annotations

import contextlib
import io
import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO


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
