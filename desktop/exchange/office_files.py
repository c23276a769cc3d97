"""What an Office file's first bytes say it is, before a reader opens it (.docx, .xlsx).

Must not import Qt, sessions or anything from storage/services.
"""

from __future__ import annotations

import enum
from pathlib import Path

#: the signature of an OLE2 compound file: old .doc/.xls/.wps, and the wrapper Office puts
#: around a password-protected .docx/.xlsx
_OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
#: how far into an OLE file its directory is looked for (the stream names sit early)
_OLE_DIRECTORY_BYTES = 4 * 1024 * 1024


class Container(enum.Enum):
    """The kind of container a file is."""

    ZIP = "zip"  # .docx, .xlsx, .odt, .ods: which one is told by the parts inside
    OLE = "ole"  # an old binary format (.doc, .xls, .wps)
    ENCRYPTED = "encrypted"  # an OLE file holding a password-protected package
    OTHER = "other"


def container_of(path: Path) -> Container:
    """The container ``path`` is, from its first bytes (at most 4 MiB are read).

    Raises ``OSError`` when the file cannot be read.
    """
    with path.open("rb") as stream:
        head = stream.read(len(_OLE_SIGNATURE))
        if head.startswith(b"PK"):
            return Container.ZIP
        if not head.startswith(_OLE_SIGNATURE):
            return Container.OTHER
        directory = stream.read(_OLE_DIRECTORY_BYTES)
    if "EncryptedPackage".encode("utf-16-le") in directory:
        return Container.ENCRYPTED
    return Container.OLE
