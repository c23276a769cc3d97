"""The error of an unusable library file. Imports nothing, so that the command line can
catch it without loading the models (``jixiao --version`` stays quick)."""

from __future__ import annotations


class LibraryFileError(Exception):
    """A library file that cannot be used at all (or written); ``message`` in Chinese says
    why and what to do."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
