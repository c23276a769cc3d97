"""Errors of the file layer, each carrying a Chinese message that tells the clerk what to do."""

from __future__ import annotations

from pathlib import Path


class DocumentFileError(Exception):
    """A file could not be opened, created or written; ``message`` is for the clerk (Chinese).

    The file named by ``path`` has not been changed by the failed operation.
    """

    def __init__(self, path: Path | str, message: str) -> None:
        super().__init__(message)
        self.path = Path(path)
        self.message = message


class FileMissingError(DocumentFileError):
    """The path does not exist or is not a regular file."""


class ForeignFileError(DocumentFileError):
    """The file is not a 绩效目标文件: not SQLite at all, or SQLite of another program."""


class NewerSchemaError(DocumentFileError):
    """The file was written by a newer version of the program."""


class DamagedFileError(DocumentFileError):
    """The file is ours but damaged (truncated, corrupted pages, unexpected schema objects)."""


class InterchangeError(Exception):
    """A JSON interchange document is malformed; ``message`` says where, in Chinese."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
